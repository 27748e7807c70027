"""Report and audit pages: each URL × each role, polling, downloads; auditors change nothing."""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from finsam.models import Event
from forbund import services_reports
from forbund.models import AnnualReport
from tests.factories.insatser import staff_of
from tests.factories.reports import reported_year


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, with_mfa, django_capture_on_commit_callbacks):
    data = reported_year()
    for key in ("office", "chair", "auditor"):
        with_mfa(data[key])
    data["unrelated_staff"] = staff_of(data["parties"]["Askersunds kommun"])
    with django_capture_on_commit_callbacks(execute=True):
        report = services_reports.annual_report_request(year=data["year"], by=data["office"])
    report.refresh_from_db()
    data["report"] = report
    return data


ROLES = ["office", "chair", "staff", "unrelated_staff", "auditor", "anonymous"]
READ = {"office": 200, "chair": 200, "staff": 403, "unrelated_staff": 403, "auditor": 200}
ASK = {"office": 302, "chair": 403, "staff": 403, "unrelated_staff": 403, "auditor": 403}


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world[role])
    return client


def _urls(world):
    year, pk = world["year"], world["report"].pk
    return [
        ("get", reverse("forbund:report_list"), READ),
        ("post", reverse("forbund:report_request"), ASK),
        ("get", reverse("forbund:report_status", args=[pk]), READ),
        ("get", reverse("forbund:report_download", args=[pk]), READ),
        ("get", reverse("forbund:audit"), READ),
        ("post", reverse("forbund:audit_package_request", args=[year]), ASK),
        ("get", reverse("forbund:audit_export", args=[year, "beslut", "csv"]), READ),
        ("get", reverse("forbund:audit_export", args=[year, "medlemsbidrag", "xlsx"]), READ),
        ("get", reverse("forbund:audit_export", args=[year, "uppfoljning", "csv"]), READ),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role):
    """Kansli asks; board and auditors read and download; party staff get 403; anonymous log in."""
    client = _client(client, world, role)
    for method, url, expected in _urls(world):
        data = {"year": world["year"]} if method == "post" else None
        response = getattr(client, method)(url, data)
        want = 302 if role == "anonymous" else expected[role]
        assert response.status_code == want, (role, method, url, response.status_code)
        if role == "anonymous":
            assert "/konto/login/" in response["Location"]
        if method == "post" and role == "office":  # let the next POST be accepted too
            AnnualReport.objects.filter(status__in=["queued", "running"]).update(
                status="failed", failure_reason="Avbruten i testet."
            )


def test_the_list_polls_while_a_report_is_made_and_stops_when_done(client, world):
    """A queued row asks for itself with htmx; a finished row offers the download instead."""
    client.force_login(world["office"])
    waiting = services_reports.annual_report_request(
        year=world["year"], by=world["office"], in_background=False
    )
    page = client.get(reverse("forbund:report_list")).content.decode()
    status_url = reverse("forbund:report_status", args=[waiting.pk])
    assert f'hx-get="{status_url}"' in page
    assert "I kö" in page
    row = client.get(status_url).content.decode()
    assert 'hx-trigger="every 2s"' in row
    services_reports.annual_report_make(report_id=waiting.pk)
    row = client.get(status_url).content.decode()
    assert "hx-get" not in row and "Klar" in row
    assert reverse("forbund:report_download", args=[waiting.pk]) in row


def test_download_gives_the_stored_pdf(client, world):
    """The download is the stored file, as an attachment, with its SHA-256 in a header."""
    client.force_login(world["auditor"])
    report = world["report"]
    response = client.get(reverse("forbund:report_download", args=[report.pk]))
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{report.download_name}"' in response["Content-Disposition"]
    assert response["X-Content-SHA256"] == report.sha256


def test_a_refused_request_says_why_and_changes_nothing(client, world):
    """A year without a budget gets the Swedish reason on the page and no new version."""
    client.force_login(world["office"])
    before = AnnualReport.objects.count()
    response = client.post(reverse("forbund:report_request"), {"year": world["year"] - 3})
    assert response.status_code == 400
    assert f"Det finns ingen budget för {world['year'] - 3}" in response.content.decode()
    assert AnnualReport.objects.count() == before


def test_the_list_pages_use_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    """More versions do not mean more queries."""
    client.force_login(world["auditor"])
    client.get(reverse("forbund:audit"))  # warm the session and roles
    with django_assert_num_queries(10) as first:
        client.get(reverse("forbund:audit"))
    for _ in range(3):
        report = services_reports.annual_report_request(
            year=world["year"], by=world["office"], in_background=False
        )
        services_reports.annual_report_make(report_id=report.pk)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("forbund:audit"))


def test_exports_hold_the_years_figures(client, world):
    """The auditors' CSV of contributions lists every party with its contribution."""
    client.force_login(world["auditor"])
    url = reverse("forbund:audit_export", args=[world["year"], "medlemsbidrag", "csv"])
    text = client.get(url).content.decode("utf-8-sig")
    assert "Kumla kommun" in text and "Försäkringskassan" in text
    assert client.get(url.replace("medlemsbidrag", "okand")).status_code == 404


def _all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _all_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _fill(route: str, year: int, value: int) -> str | None:
    """Turn a route like "x/<int:pk>/<str:file_format>" into a path; None for regex routes."""
    import re

    if route.startswith("^"):
        return None

    def replace(match):
        converter, name = match.group(1) or "str", match.group(2)
        if name == "year":
            return str(year)
        if converter == "int":
            return str(value)
        if name == "file_format":
            return "csv"
        return "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def _counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_auditors_change_nothing_anywhere(client, world):
    """An auditor who POSTs to every URL of the application changes no row and logs no event."""
    client.force_login(world["auditor"])
    client.raise_request_exception = False  # a page's own error is not what this test is about
    before, events = _counts(), Event.objects.count()
    tried = 0
    for route, _pattern in _all_patterns():
        if route.startswith(("konto/", "admin/")):  # their own account; admin refuses non-staff
            continue
        for value in (1, 2, 3):
            path = _fill(route, world["year"], value)
            if path is None:
                continue
            client.post(path, {"year": world["year"], "comment": "x", "outcome": "bevilja"})
            tried += 1
    admin = client.post("/admin/forbund/party/add/", {"name": "Ny part", "kind": "KOMMUN"})
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
    after = _counts()
    after.pop("sessions.Session", None)
    before.pop("sessions.Session", None)
    assert tried > 50
    assert Event.objects.count() == events
    assert after == before
