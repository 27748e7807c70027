"""Every URL of meetings, decisions and insatser × every role, with the expected status code.

Roles: the kansli, the ordförande (chosen to justera), a board member (not chosen), staff of the
lead party, staff of a co-applying party, staff of an unrelated party, an auditor and an
anonymous visitor. "302" is a redirect after a POST; "login" the redirect to the login page.
What a role may not read answers 404, so its existence is not revealed. Each URL is tried by
every role in one world; the roles that may change something go last.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from forbund.models import RoleAssignment
from insatser import services_decisions, services_insats, services_meetings
from tests.factories.decisions import (
    MeetingFactory,
    board,
    called_meeting,
    decide_and_approve,
    money,
    proposed_application,
    the_office,
)
from tests.factories.forbund import ForbundFactory, PartyFactory, RoleAssignmentFactory
from tests.factories.insatser import lead_staff, staff_of

ROLES = ["anon", "other", "co", "auditor", "member", "lead", "chair", "office"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(db, with_mfa):
    ForbundFactory(delegation_limit_kr=100_000)
    people = board()
    money(2027)
    money(2028)
    office = the_office()
    kumla = PartyFactory(name="Kumla kommun")

    def proposal():
        return proposed_application(lead_party=kumla)

    approved = called_meeting(proposal())
    decide_and_approve(approved)
    insats = approved.items.get().application.insats
    ready = called_meeting(proposal())
    services_decisions.decision_record(
        item=ready.items.get(),
        outcome="bevilja",
        amounts={2027: 1000},
        conditions="",
        reasons="",
        conflicted=[],
        by=office,
    )
    services_meetings.meeting_set_signers(
        meeting=ready, chair=people["chair"], adjusters=[people["adjuster"]], by=office
    )
    services_meetings.minutes_finalise(meeting=ready, by=office)
    called = called_meeting(proposal())
    planned = MeetingFactory()
    services_meetings.agenda_add_proposal(meeting=planned, application=proposal(), by=office)
    for_delegation = proposal()

    lead = lead_staff(insats.application)
    payment = services_insats.payment_request_create(
        insats=insats, year=2027, amount_kr=1000, description="Lön", by=lead
    )
    report = insats.reports.order_by("due_on").first()
    services_insats.report_submit(
        report=report, text="Bra.", upload=SimpleUploadedFile("r.pdf", PDF), by=lead
    )
    users = {
        "office": with_mfa(office),
        "chair": with_mfa(people["chair"]),
        "member": with_mfa(people["member"]),
        "lead": lead,
        "co": staff_of(insats.co_parties.get()),
        "other": staff_of(PartyFactory(name="Laxå kommun")),
        "auditor": with_mfa(
            RoleAssignmentFactory(
                role=RoleAssignment.Role.AUDITOR, party=PartyFactory(region=True)
            ).user
        ),
        "anon": None,
    }
    return {
        "users": users,
        "planned": planned,
        "called": called,
        "ready": ready,
        "approved": approved,
        "insats": insats,
        "payment": payment,
        "report": report,
        "for_delegation": for_delegation,
    }


def _row(office, chair, member, lead, co, other, auditor, anon="login"):
    return {
        "office": office,
        "chair": chair,
        "member": member,
        "lead": lead,
        "co": co,
        "other": other,
        "auditor": auditor,
        "anon": anon,
    }


def _meeting(key):
    return lambda w: {"pk": w[key].pk}


def _item(key):
    return lambda w: {"pk": w[key].pk, "item_pk": w[key].items.first().pk}


def _insats(w):
    return {"pk": w["insats"].pk}


def _payment(w):
    return {"pk": w["insats"].pk, "request_pk": w["payment"].pk}


def _report(w):
    return {"pk": w["insats"].pk, "report_pk": w["report"].pk}


NONE = lambda w: {}  # noqa: E731
STAFF_403 = (403, 403, 403)

# (url name, kwargs, method, POST data, expected codes per role)
MATRIX = [
    ("meetings:list", NONE, "get", {}, _row(200, 200, 200, *STAFF_403, 200)),
    ("meetings:create", NONE, "get", {}, _row(200, 403, 403, *STAFF_403, 403)),
    ("meetings:delegated", NONE, "get", {}, _row(200, 200, 200, *STAFF_403, 200)),
    (
        "meetings:delegated_create",
        lambda w: {"application_pk": w["for_delegation"].pk},
        "get",
        {},
        _row(200, 403, 403, 403, 403, 404, 403),
    ),
    ("meetings:detail", _meeting("planned"), "get", {}, _row(200, 404, 404, *STAFF_403, 404)),
    ("meetings:detail", _meeting("called"), "get", {}, _row(200, 200, 200, *STAFF_403, 404)),
    ("meetings:detail", _meeting("ready"), "get", {}, _row(200, 200, 200, *STAFF_403, 404)),
    ("meetings:detail", _meeting("approved"), "get", {}, _row(200, 200, 200, *STAFF_403, 200)),
    ("meetings:edit", _meeting("planned"), "get", {}, _row(200, 404, 404, *STAFF_403, 404)),
    ("meetings:edit", _meeting("approved"), "get", {}, _row(403, 403, 403, *STAFF_403, 403)),
    ("meetings:item", _item("called"), "get", {}, _row(200, 200, 200, *STAFF_403, 404)),
    ("meetings:item", _item("approved"), "get", {}, _row(200, 200, 200, *STAFF_403, 200)),
    (
        "meetings:item_add",
        lambda w: {"pk": w["planned"].pk, "kind": "ovrigt"},
        "post",
        {"title": "Information"},
        _row(302, 404, 404, *STAFF_403, 404),
    ),
    (
        "meetings:item_remove",
        _item("planned"),
        "post",
        {},
        _row(302, 404, 404, *STAFF_403, 404),
    ),
    ("meetings:conflict", _item("called"), "post", {}, _row(403, 302, 302, *STAFF_403, 404)),
    (
        "meetings:conflict_withdraw",
        _item("called"),
        "post",
        {},
        _row(403, 302, 302, *STAFF_403, 404),
    ),
    ("meetings:conflict", _item("approved"), "post", {}, _row(403, 403, 403, *STAFF_403, 403)),
    ("meetings:decision", _item("called"), "get", {}, _row(200, 403, 403, *STAFF_403, 404)),
    ("meetings:decision", _item("approved"), "get", {}, _row(403, 403, 403, *STAFF_403, 403)),
    ("meetings:send_notice", _meeting("planned"), "get", {}, _row(200, 404, 404, *STAFF_403, 404)),
    ("meetings:signers", _meeting("called"), "get", {}, _row(200, 403, 403, *STAFF_403, 404)),
    ("meetings:minutes", _meeting("called"), "get", {}, _row(200, 403, 403, *STAFF_403, 404)),
    ("meetings:minutes", _meeting("ready"), "get", {}, _row(200, 200, 200, *STAFF_403, 404)),
    ("meetings:minutes", _meeting("approved"), "get", {}, _row(200, 200, 200, *STAFF_403, 200)),
    (
        "meetings:minutes_pdf",
        _meeting("approved"),
        "get",
        {},
        _row(200, 200, 200, *STAFF_403, 200),
    ),
    ("meetings:finalise", _meeting("called"), "post", {}, _row(302, 403, 403, *STAFF_403, 404)),
    ("meetings:approve", _meeting("ready"), "post", {}, _row(403, 302, 403, *STAFF_403, 404)),
    ("meetings:reopen", _meeting("ready"), "post", {}, _row(302, 403, 403, *STAFF_403, 404)),
    # Insatser.
    ("insats:list", NONE, "get", {}, _row(200, 200, 200, 200, 200, 200, 200)),
    ("insats:detail", _insats, "get", {}, _row(200, 200, 200, 200, 200, 404, 200)),
    (
        "insats:agreement",
        _insats,
        "post",
        {"signed_on": "2026-01-15"},
        _row(302, 403, 403, 403, 403, 404, 403),
    ),
    ("insats:close", _insats, "post", {}, _row(302, 403, 403, 403, 403, 404, 403)),
    ("insats:payment_create", _insats, "get", {}, _row(403, 403, 403, 200, 403, 404, 403)),
    ("insats:payment_attest", _payment, "post", {}, _row(302, 403, 403, 403, 403, 404, 403)),
    ("insats:payment_deny", _payment, "get", {}, _row(200, 403, 403, 403, 403, 404, 403)),
    ("insats:payment_paid", _payment, "get", {}, _row(200, 403, 403, 403, 403, 404, 403)),
    (
        "insats:report_add",
        _insats,
        "post",
        {"kind": "lagesrapport", "due_on": "2027-06-30"},
        _row(302, 403, 403, 403, 403, 404, 403),
    ),
    ("insats:report", _report, "get", {}, _row(200, 200, 200, 200, 200, 404, 200)),
    ("insats:report_attachment", _report, "get", {}, _row(200, 200, 200, 200, 200, 404, 200)),
]


def _status(response) -> object:
    if response.status_code == 302 and "/konto/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize(
    ("name", "kwargs", "method", "data", "expected"),
    MATRIX,
    ids=[f"{row[0]}-{i}" for i, row in enumerate(MATRIX)],
)
def test_permission_matrix(world, name, kwargs, method, data, expected):
    url = reverse(name, kwargs=kwargs(world))
    seen = {}
    for role in ROLES:
        client = Client()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, data)
        seen[role] = _status(response)
    assert seen == {role: expected[role] for role in ROLES}, url


def test_matrix_covers_every_url():
    """Every URL of the meetings and insats modules is in the matrix."""
    from insatser import urls_insats, urls_meetings

    names = {f"meetings:{p.name}" for p in urls_meetings.urlpatterns}
    names |= {f"insats:{p.name}" for p in urls_insats.urlpatterns}
    assert names == {row[0] for row in MATRIX}
