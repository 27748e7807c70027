import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'],"
    " 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    " 'email': s.EMAIL_BACKEND, 'debug': s.DEBUG, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE,"
    " 'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), 'secure_cookie': s.SESSION_COOKIE_SECURE,"
    " 'cache': s.CACHES['default']['BACKEND'],"
    " 'storage': s.STORAGES['default']['BACKEND']}))"
)


def run_settings(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "REDIS_URL",
            "DJANGO_ENV",
            "DJANGO_SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_DEBUG",
            "EMAIL_HOST",
            "S3_BUCKET",
        }
    }
    env.update({"DJANGO_SETTINGS_MODULE": "finsam.settings", **extra_env})
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_embedded_defaults():
    """Without any environment the app uses SQLite, eager Celery, console e-mail and no DEBUG."""
    result = run_settings({})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["debug"] is False
    assert values["lang"] == "sv"
    assert values["tz"] == "Europe/Stockholm"


def test_environment_switches_to_postgres_and_redis():
    """DATABASE_URL and REDIS_URL switch to PostgreSQL, a real broker and a shared cache."""
    result = run_settings(
        {
            "DATABASE_URL": "postgres://u@db.example:5432/finsam",
            "REDIS_URL": "redis://r.example:6379/0",
        }
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_to_start_without_secret_key():
    result = run_settings({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "finsam.example.se"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY måste vara satt i produktion" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_settings({"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS måste vara satt i produktion" in result.stderr


def test_production_hardening_is_on():
    result = run_settings(
        {"DJANGO_ENV": "production", "DJANGO_SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "f.example.se"}
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["hsts"] >= 31536000
    assert values["secure_cookie"] is True


def test_s3_bucket_switches_file_storage():
    """With S3_BUCKET set, attachments and reports go to an S3-compatible store."""
    result = run_settings({"S3_BUCKET": "finsam-filer", "S3_ENDPOINT_URL": "https://s3.example.se"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["storage"] == "storages.backends.s3.S3Storage"
    default = json.loads(run_settings({}).stdout)["storage"]
    assert default == "django.core.files.storage.FileSystemStorage"
