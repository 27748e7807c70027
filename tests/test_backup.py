"""Backups: the documented pg_dump/restore brings back every row and every stored file."""

import os
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _url(params: dict, name: str) -> str:
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or "5432"
    user = params.get("USER") or "postgres"
    password = params.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgresql://{auth}{host}:{port}/{name}"


def _row_counts(cursor) -> dict[str, int]:
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from models
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(postgres_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    stored = default_storage.save("bilagor/test.pdf", ContentFile(b"%PDF-1.7 finsam"))
    with connection.cursor() as cursor:
        before = _row_counts(cursor)
    assert sum(before.values()) > 0

    params = connection.settings_dict
    source_url = _url(params, params["NAME"])
    target_name = f"{params['NAME']}_restored"
    env = {**os.environ, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "DATABASE_URL": source_url}
    result = subprocess.run(
        [str(ROOT / "scripts/backup.sh"), str(tmp_path / "backup")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    dump, files = result.stdout.split()

    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    restored_media = tmp_path / "restored-media"
    try:
        env = {
            **os.environ,
            "MEDIA_ROOT": str(restored_media),
            "DATABASE_URL": _url(params, target_name),
        }
        result = subprocess.run(
            [str(ROOT / "scripts/restore.sh"), dump, files],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        import psycopg

        with psycopg.connect(_url(params, target_name)) as restored, restored.cursor() as cursor:
            after = _row_counts(cursor)
        assert after == before
        assert (restored_media / stored).read_bytes() == b"%PDF-1.7 finsam"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
