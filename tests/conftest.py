import os
import socket
from urllib.parse import urlparse

import pytest

# Set FINSAM_REQUIRE_SERVICES=1 (CI does) to turn a skip for a missing server into a failure.
REQUIRE_SERVICES = os.environ.get("FINSAM_REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def service_reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def skip_or_fail(reason: str):
    """Skip outside CI; in CI a missing service is a failure."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (FINSAM_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    """Fast password hashing and eager Celery in tests; tests of a real worker opt out."""
    from finsam.celery import app

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.FINSAM_REQUIRE_MFA = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def postgres_db(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip_or_fail("PostgreSQL behövs (sätt DATABASE_URL)")
    return connection


@pytest.fixture
def redis_url(monkeypatch):
    url = os.environ.get("REDIS_URL") or os.environ.get("CELERY_BROKER_URL") or ""
    if not url or not service_reachable(url, 6379):
        skip_or_fail("Redis behövs (sätt REDIS_URL)")
    # Each parallel test process gets a Redis database of its own, so a worker started by one
    # test never takes a task queued by a test in another process.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if worker.startswith("gw"):
        parsed = urlparse(url)
        url = parsed._replace(path=f"/{10 + int(worker[2:]) % 6}").geturl()
    # Celery prefers this environment variable to its configuration: keep them the same.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    return url


@pytest.fixture
def demo(db):
    """The demo förbund, as `make run` has it."""
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-logins", verbosity=0)
    from forbund.models import User

    return {user.email: user for user in User.objects.filter(email__endswith="@demo.se")}


@pytest.fixture
def with_mfa():
    """Give a user a TOTP authenticator so the MFA demand is met."""
    from allauth.mfa.models import Authenticator

    def give(user):
        Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
        )
        return user

    return give


@pytest.fixture(autouse=True)
def _migration_data(request):
    """A transactional test empties the database, rows made by data migrations included; put
    the default follow-up categories back, so no test depends on the order tests run in."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not {"db", "transactional_db", "live_server"} & names:
        return
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None:
        transactional = transactional or bool(
            marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from uppfoljning.defaults import ensure_default_categories

    ensure_default_categories()
