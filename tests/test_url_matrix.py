"""The permission matrix generated from the URL conf: every route of every app has a rule here.

A new view without a rule fails `test_every_route_has_a_rule`, so it cannot ship unchecked. The
apps' own matrices (tests/<app>/) say exactly which role gets which answer in which state; this
one sweeps every route with the demo förbund and checks what must hold everywhere:

- anonymous visitors are sent to the login page, whatever the route and method;
- staff of a party that takes part in nothing never reach another party's objects, the
  kansli's pages or the board's pages (403 or 404);
- party staff never reach the kansli's pages or the pages for kansli, board and auditors;
- auditors change nothing anywhere: a POST to every route leaves every table as it was.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from forbund.models import Party, RoleAssignment
from tests.factories.forbund import RoleAssignmentFactory, UserFactory

PUBLIC = "public"  # anyone, logged in or not
LOGIN = "login"  # every logged-in role
OFFICE = "office"  # the kansli only
OFFICE_AUDITOR = "office+auditor"  # the kansli and the auditors
READERS = "readers"  # kansli, board and auditors
OBJECT = "object"  # depends on the object: only those involved (and kansli/board/auditors)
APP = "app"  # a list or start page of an app: what it lists depends on the role
STAFF = "staff"  # party staff only (writing a new application)


def _year(w):
    return {"year": timezone.localdate().year}


def _application(w):
    return {"pk": w["application"].pk}


def _meeting(w):
    return {"pk": w["meeting"].pk}


def _item(w):
    return {"pk": w["meeting"].pk, "item_pk": w["item"].pk}


def _insats(w):
    return {"pk": w["insats"].pk}


def _payment(w):
    return {"pk": w["insats"].pk, "request_pk": w["payment"].pk}


def _insats_report(w):
    return {"pk": w["insats"].pk, "report_pk": w["insats_report"].pk}


def _none(w):
    return {}


# route name -> (audience, URL arguments built from the demo förbund)
RULES = {
    "start": (LOGIN, _none),
    "health": (PUBLIC, _none),
    "event_list": (OFFICE_AUDITOR, _none),
    "forbund:overview": (READERS, _none),
    "forbund:party_create": (OFFICE, _none),
    "forbund:party_edit": (OFFICE, lambda w: {"pk": w["kumla"].pk}),
    "forbund:board": (READERS, _none),
    "forbund:seat_create": (OFFICE, _none),
    "forbund:mandate_period_create": (OFFICE, _none),
    "forbund:mandate_period_edit": (OFFICE, lambda w: {"pk": w["seat"].mandate_period_id}),
    "forbund:seat_edit": (OFFICE, lambda w: {"pk": w["seat"].pk}),
    "forbund:budget_list": (READERS, _none),
    "forbund:budget_create": (OFFICE, _none),
    "forbund:budget_detail": (READERS, _year),
    "forbund:budget_edit": (OFFICE, _year),
    "forbund:budget_population": (OFFICE, _year),
    "forbund:budget_key_shares": (OFFICE, _year),
    "forbund:contribution_edit": (OFFICE, lambda w: {**_year(w), "pk": w["contribution"].pk}),
    "forbund:budget_export": (READERS, lambda w: {**_year(w), "file_format": "csv"}),
    "forbund:data_import": (OFFICE, _none),
    "forbund:data_import_confirm": (OFFICE, _none),
    "forbund:data_export": (READERS, lambda w: {"resource_key": "parter", "file_format": "csv"}),
    "forbund:report_list": (READERS, _none),
    "forbund:report_request": (OFFICE, _none),
    "forbund:report_status": (READERS, lambda w: {"pk": w["annual_report"].pk}),
    "forbund:report_download": (READERS, lambda w: {"pk": w["annual_report"].pk}),
    "forbund:audit": (READERS, _none),
    "forbund:audit_package_request": (OFFICE, _year),
    "forbund:audit_export": (
        READERS,
        lambda w: {**_year(w), "key": "beslut", "file_format": "csv"},
    ),
    "forbund:account_list": (OFFICE, _none),
    "forbund:account_create": (OFFICE, _none),
    "insatser:list": (APP, _none),
    "insatser:create": (STAFF, _none),
    "insatser:detail": (OBJECT, _application),
    "insatser:edit": (OBJECT, _application),
    "insatser:budget": (OBJECT, _application),
    "insatser:co_funding": (OBJECT, _application),
    "insatser:parties": (OBJECT, _application),
    "insatser:party_remove": (OBJECT, lambda w: {**_application(w), "co_pk": w["co"].pk}),
    "insatser:respond": (OBJECT, lambda w: {**_application(w), "co_pk": w["co"].pk}),
    "insatser:attachments": (OBJECT, _application),
    "insatser:attachment": (
        OBJECT,
        lambda w: {"pk": w["draft"].pk, "attachment_pk": w["attachment"].pk},
    ),
    "insatser:attachment_remove": (
        OBJECT,
        lambda w: {"pk": w["draft"].pk, "attachment_pk": w["attachment"].pk},
    ),
    "insatser:submit": (OBJECT, _application),
    "insatser:withdraw": (OBJECT, _application),
    "insatser:comment": (OBJECT, _application),
    "insatser:start_preparation": (OBJECT, _application),
    "insatser:request_completion": (OBJECT, _application),
    "insatser:propose": (OBJECT, _application),
    "insatser:reopen": (OBJECT, _application),
    "insatser:version": (OBJECT, lambda w: {**_application(w), "number": 1}),
    "meetings:list": (READERS, _none),
    "meetings:create": (OFFICE, _none),
    "meetings:delegated": (READERS, _none),
    "meetings:delegated_create": (OFFICE, lambda w: {"application_pk": w["proposed"].pk}),
    "meetings:detail": (READERS, _meeting),
    "meetings:edit": (OFFICE, _meeting),
    "meetings:item_add": (OFFICE, lambda w: {**_meeting(w), "kind": "ovrigt"}),
    "meetings:item": (READERS, _item),
    "meetings:item_remove": (OFFICE, _item),
    "meetings:conflict": (READERS, _item),
    "meetings:conflict_withdraw": (READERS, _item),
    "meetings:decision": (OFFICE, _item),
    "meetings:send_notice": (OFFICE, _meeting),
    "meetings:signers": (OFFICE, _meeting),
    "meetings:minutes": (READERS, _meeting),
    "meetings:minutes_pdf": (READERS, _meeting),
    "meetings:finalise": (OFFICE, _meeting),
    "meetings:reopen": (OFFICE, _meeting),
    "meetings:approve": (READERS, _meeting),
    "insats:list": (APP, _none),
    "insats:detail": (OBJECT, _insats),
    "insats:agreement": (OFFICE, _insats),
    "insats:close": (OFFICE, _insats),
    "insats:payment_create": (OBJECT, _insats),
    "insats:payment_attest": (OFFICE, _payment),
    "insats:payment_deny": (OFFICE, _payment),
    "insats:payment_paid": (OFFICE, _payment),
    "insats:report_add": (OFFICE, _insats),
    "insats:report": (OBJECT, _insats_report),
    "insats:report_attachment": (OBJECT, _insats_report),
    "uppfoljning:index": (APP, _none),
    "uppfoljning:dashboard": (READERS, _none),
    "uppfoljning:insats": (OBJECT, lambda w: {"pk": w["followed_insats"].pk}),
    "uppfoljning:report_start": (
        OBJECT,
        lambda w: {"pk": w["followed_insats"].pk, "code": w["period_code"]},
    ),
    "uppfoljning:report_detail": (OBJECT, lambda w: {"pk": w["period_report"].pk}),
    "uppfoljning:report_edit": (OBJECT, lambda w: {"pk": w["period_report"].pk}),
    "uppfoljning:report_approve": (OFFICE, lambda w: {"pk": w["period_report"].pk}),
    "uppfoljning:report_return": (OFFICE, lambda w: {"pk": w["period_report"].pk}),
    "uppfoljning:report_reopen": (OFFICE, lambda w: {"pk": w["approved_report"].pk}),
    "uppfoljning:import": (APP, _none),
    "uppfoljning:import_confirm": (APP, _none),
    "uppfoljning:import_template": (APP, lambda w: {"file_format": "csv"}),
    "uppfoljning:export_all": (APP, lambda w: {"file_format": "csv"}),
    "uppfoljning:export_national": (READERS, lambda w: {**_year(w), "file_format": "csv"}),
    "uppfoljning:category_list": (OFFICE, _none),
    "uppfoljning:category_create": (OFFICE, lambda w: {"kind": "activity_kind"}),
    "uppfoljning:category_edit": (OFFICE, lambda w: {"pk": w["category"].pk}),
    "uppfoljning:settings_edit": (OFFICE, _none),
}

SKIPPED_NAMESPACES = ("admin",)


def routes(patterns=None, namespace=""):
    """Yield the name of every route in the URL conf (allauth's and the admin's left out)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or str(pattern.pattern) == "konto/":
                continue
            yield from routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_route_has_a_rule():
    """A new view needs a rule in this matrix (and in its app's own matrix) before it ships."""
    names = set(routes())
    assert names - set(RULES) == set(), "vyer utan regel i behörighetsmatrisen"
    assert set(RULES) - names == set(), "regler för vyer som inte finns"


@pytest.fixture
def world(demo, with_mfa):
    from forbund.models import AnnualReport, BoardSeat, Contribution
    from insatser.models import Application, Attachment
    from insatser.models_insats import Insats, PaymentRequest, Report
    from insatser.models_meetings import AgendaItem, Meeting
    from uppfoljning.models import Category
    from uppfoljning.models_reports import PeriodReport

    kumla = Party.objects.get(name="Kumla kommun")
    application = Application.objects.filter(lead_party=kumla, status="inskickad").first()
    draft = Application.objects.filter(lead_party=kumla, status="utkast").first()
    period_report = PeriodReport.objects.filter(status="inskickad").first()
    approved_report = PeriodReport.objects.filter(status="godkand").first()
    laxa_staff = UserFactory(email="laxa@example.se")
    RoleAssignmentFactory(
        user=laxa_staff,
        role=RoleAssignment.Role.PARTY_STAFF,
        party=Party.objects.get(name="Laxå kommun"),
    )
    insats = Insats.objects.filter(payment_requests__isnull=False).first()
    meeting = Meeting.objects.filter(items__isnull=False).order_by("-held_on").first()
    return {
        "users": {
            "office": with_mfa(demo["kansli@demo.se"]),
            "chair": with_mfa(demo["styrelse@demo.se"]),
            "board": with_mfa(demo["ledamot@demo.se"]),
            "staff": demo["part@demo.se"],
            "unrelated": laxa_staff,
            "auditor": with_mfa(demo["revisor@demo.se"]),
        },
        "kumla": kumla,
        "seat": BoardSeat.objects.first(),
        "contribution": Contribution.objects.filter(party=kumla).first(),
        "annual_report": _finished_report(AnnualReport, demo["kansli@demo.se"]),
        "application": application,
        "co": application.co_applicants.first(),
        "draft": draft,
        "attachment": Attachment.objects.filter(application=draft).first()
        or _attachment(draft, demo["part@demo.se"]),
        "proposed": Application.objects.filter(status="forslag").first(),
        "meeting": meeting,
        "item": AgendaItem.objects.filter(meeting=meeting).first(),
        "insats": insats,
        "payment": PaymentRequest.objects.filter(insats=insats).first(),
        "insats_report": Report.objects.filter(insats=insats).first(),
        "followed_insats": period_report.insats,
        "period_report": period_report,
        "approved_report": approved_report,
        "period_code": period_report.period.code,
        "category": Category.objects.first(),
    }


def _finished_report(model, user):
    import hashlib

    from django.core.files.base import ContentFile

    content = b"%PDF-1.7 provrapport"
    report = model(
        year=timezone.localdate().year - 1,
        version=1,
        status=model.Status.DONE,
        sha256=hashlib.sha256(content).hexdigest(),
        made_at=timezone.now(),
        requested_by=user,
    )
    report.file.save("provrapport.pdf", ContentFile(content), save=False)
    report.save()
    return report


def _attachment(application, user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from insatser import services

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return services.attachment_add(
        application=application, upload=SimpleUploadedFile("underlag.pdf", pdf), by=user
    )


def _url(name, world):
    return reverse(name, kwargs=RULES[name][1](world))


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table == "django_session":
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client, world):
    login = reverse("account_login")
    for name, (audience, _) in RULES.items():
        if audience == PUBLIC:
            continue
        url = _url(name, world)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and response.url.startswith(login), (name, method)


@pytest.mark.django_db
def test_unrelated_party_staff_reach_nothing_of_others(client, world):
    """Staff of Laxå kommun, which takes part in nothing, get 403 or 404 everywhere but lists."""
    client.force_login(world["users"]["unrelated"])
    for name, (audience, _) in RULES.items():
        if audience in {PUBLIC, LOGIN, APP, STAFF}:
            continue
        response = client.get(_url(name, world))
        assert response.status_code in {403, 404, 405}, (name, response.status_code)


@pytest.mark.django_db
def test_party_staff_reach_no_kansli_or_board_pages(client, world):
    client.force_login(world["users"]["staff"])
    for name, (audience, _) in RULES.items():
        if audience not in {OFFICE, OFFICE_AUDITOR, READERS}:
            continue
        response = client.get(_url(name, world))
        assert response.status_code in {403, 404, 405}, (name, response.status_code)


@pytest.mark.django_db
def test_kansli_reaches_every_page(client, world):
    """No page meant for the kansli refuses it or fails (405 where a route only takes POST).

    Pages that are the applicants' own (editing, answering an invitation) are left to the apps'
    matrices, which check them per state."""
    client.force_login(world["users"]["office"])
    for name, (audience, _) in RULES.items():
        if audience in {STAFF, OBJECT}:
            continue
        response = client.get(_url(name, world))
        assert response.status_code in {200, 302, 405}, (name, response.status_code)


@pytest.mark.django_db
def test_auditors_change_nothing_anywhere(client, world):
    """A POST from an auditor to every route leaves every table, the audit trail included, as
    it was."""
    client.force_login(world["users"]["auditor"])
    client.raise_request_exception = False
    before = _row_counts()
    for name in RULES:
        response = client.post(_url(name, world), {"comment": "x", "text": "x", "reason": "x"})
        assert response.status_code < 500, name
    assert _row_counts() == before


def _view_functions(patterns=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _view_functions(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, pattern.callback


def test_no_view_is_exempt_from_csrf():
    """Every view, allauth's and the admin's included, keeps Django's CSRF protection."""
    exempt = [name for name, view in _view_functions() if getattr(view, "csrf_exempt", False)]
    assert exempt == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["office", "staff", "auditor", "chair"])
def test_pages_keep_to_the_content_security_policy(client, world, role):
    """No page relies on inline scripts, inline styles or event-handler attributes, which the
    Content-Security-Policy forbids."""
    import re

    client.force_login(world["users"][role])
    checked = 0
    for name in RULES:
        response = client.get(_url(name, world))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (name, tag)
        assert not re.search(r"\sstyle=\"", html), name
        assert not re.search(r"\son[a-z]+=\"", html), name
        assert "Content-Security-Policy" in response
        checked += 1
    assert checked >= 5
