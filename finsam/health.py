"""The state of the services Finsam needs, for /health/ and monitoring."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is not usable
        return False, f"fel: {exc.__class__.__name__}"
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, "eager"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, f"fel: {exc.__class__.__name__}"
    return True, "ok"


def check_storage() -> tuple[bool, str]:
    name = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        default_storage.delete(saved)
    except Exception as exc:  # noqa: BLE001
        return False, f"fel: {exc.__class__.__name__}"
    return True, "ok"


def health() -> tuple[bool, dict[str, str]]:
    checks = {"database": check_database, "broker": check_broker, "storage": check_storage}
    results = {name: check() for name, check in checks.items()}
    return all(ok for ok, _ in results.values()), {
        name: text for name, (_, text) in results.items()
    }
