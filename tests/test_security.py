from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import RoleAssignmentFactory, UserFactory


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_scripts(client):
    """The CSP forbids inline scripts, so the pages must not rely on any."""
    import re

    user = UserFactory()
    RoleAssignmentFactory(user=user)
    client.force_login(user)
    for url in [reverse("account_login"), reverse("start")]:
        html = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert " style=" not in html
        assert " onclick=" not in html


@pytest.mark.django_db
def test_login_ignores_redirects_to_other_hosts(client):
    user = UserFactory(email="anna@example.se")
    RoleAssignmentFactory(user=user)
    response = client.post(
        reverse("account_login") + "?next=https://evil.example/",
        {"login": "anna@example.se", "password": "losen-ord-123", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


@pytest.mark.django_db
def test_session_expires_after_inactivity(client, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    user = UserFactory()
    RoleAssignmentFactory(user=user)
    client.force_login(user)
    client.get(reverse("start"))
    assert 0 < client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_unreachable_database_gives_readable_503(client):
    user = UserFactory()
    RoleAssignmentFactory(user=user)
    client.force_login(user)
    client.raise_request_exception = False
    with mock.patch("finsam.views.todos_for", side_effect=OperationalError("connection refused")):
        response = client.get(reverse("start"))
    assert response.status_code == 503
    assert "Databasen går inte att nå just nu" in response.content.decode()
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_unreachable_database_health_says_why(client):
    client.raise_request_exception = False
    checks = {"database": "fel: OperationalError", "broker": "eager", "storage": "ok"}
    with mock.patch("finsam.views.health", side_effect=[OperationalError("down"), (False, checks)]):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "fel: OperationalError"
