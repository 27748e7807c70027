from unittest import mock

import pytest


@pytest.mark.django_db
def test_health_ok(client):
    """All services fine: 200 with each one's state; without a broker it says 'eager'."""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager", "storage": "ok"}


@pytest.mark.django_db
def test_health_reports_broken_database(client):
    """A broken database gives 503 and says which part failed."""
    with mock.patch("finsam.health.connection.cursor", side_effect=RuntimeError("nere")):
        response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fel"
    assert body["database"] == "fel: RuntimeError"
    assert body["storage"] == "ok"


@pytest.mark.django_db
def test_health_reports_unreachable_broker(client, settings):
    """With a broker configured but down, /health/ answers 503 with the broker's state."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("fel")


@pytest.mark.django_db
def test_health_reports_broker_ok(client, settings, redis_url):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_health_reports_broken_storage(client):
    with mock.patch("finsam.health.default_storage.save", side_effect=PermissionError):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["storage"] == "fel: PermissionError"
