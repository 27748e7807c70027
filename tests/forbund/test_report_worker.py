"""A real Celery worker on Redis makes the annual report against the test database (CI)."""

import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader

from forbund import services_reports, tasks
from forbund.models import AnnualReport
from tests.conftest import skip_or_fail
from tests.factories.reports import reported_year

WAIT_SECONDS = 180


def _database_url(connection) -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "postgres")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_report(redis_url, settings, tmp_path):
    """The task runs in `celery -A finsam worker` on Redis and stores a readable PDF/A."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip_or_fail("PostgreSQL behövs för testet med en riktig worker (sätt DATABASE_URL)")
    from finsam.celery import app

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    data = reported_year()
    queue = f"finsam-test-{uuid.uuid4().hex[:10]}"  # nobody else's worker takes this task
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection),  # the test database, not the real one
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "finsam.settings",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "finsam",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "WARNING",
            ],
            cwd=Path(django_settings.BASE_DIR),
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    previous_broker = app.conf.broker_url
    try:
        app.conf.task_always_eager = False
        app.conf.broker_url = redis_url
        report = services_reports.annual_report_request(
            year=data["year"], by=data["office"], in_background=False
        )
        # Publish on a connection of our own to the same Redis the worker listens to, whatever
        # pool or environment earlier tests in this process left behind.
        with app.connection_for_write(redis_url) as connection_to_worker:
            tasks.make_annual_report.apply_async(
                args=[report.pk], queue=queue, connection=connection_to_worker
            )
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if not report.in_progress or worker.poll() is not None:
                break
            time.sleep(0.5)
    finally:
        worker.terminate()
        try:
            worker.wait(30)
        except subprocess.TimeoutExpired:
            worker.kill()
        app.conf.broker_url = previous_broker
    assert report.status == AnnualReport.Status.DONE, (
        report.status,
        report.failure_reason,
        log.read_text(errors="replace")[-3000:],
    )
    assert report.attempts == 1
    pdf = (media / report.file.name).read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title.startswith(f"Årsrapport {data['year']}")
    assert 'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data().decode()
    text = reader.pages[0].extract_text()
    assert f"Årsrapport {data['year']}" in text
