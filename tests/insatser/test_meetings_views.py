"""Pages for meetings, decisions and insatser: forms, refusals, PDF, query counts, start page."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finsam.start import todos_for
from insatser import navigation, services_decisions, services_insats, services_meetings
from insatser.models_insats import PaymentRequest
from insatser.models_meetings import Decision, Meeting
from tests.factories.decisions import (
    board,
    called_meeting,
    granted_insats,
    money,
    proposed_application,
    the_office,
)
from tests.factories.forbund import ForbundFactory
from tests.factories.insatser import lead_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def office_client(client, with_mfa):
    client.force_login(with_mfa(the_office()))
    return client


def test_kansli_plans_a_meeting_and_places_a_proposal(office_client):
    board()
    application = proposed_application()
    response = office_client.post(
        reverse("meetings:create"),
        {"held_on": "2026-12-10", "starts_at": "13:00", "place": "Kumla stadshus"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    response = office_client.post(
        reverse("meetings:item_add", args=[meeting.pk, "forslag"]),
        {"application": application.pk},
    )
    assert response.status_code == 302
    page = office_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f"Ansökan {application.case_number}" in page
    assert "§ 1" in page


def test_decision_form_refuses_grant_above_the_money_in_swedish(office_client):
    """The secretary's form shows the service's refusal with what is left; nothing is saved."""
    board()
    money(2027, 250_000)
    money(2028)
    meeting = called_meeting(proposed_application())
    item = meeting.items.get()
    response = office_client.post(
        reverse("meetings:decision", args=[meeting.pk, item.pk]),
        {"outcome": "bevilja", "amount_2027": 300_000, "amount_2028": 0, "reasons": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "250\xa0000\xa0kr återstår" in page
    assert not Decision.objects.exists()


def test_decision_form_needs_reasons_for_rejection(office_client):
    board()
    meeting = called_meeting(proposed_application())
    item = meeting.items.get()
    response = office_client.post(
        reverse("meetings:decision", args=[meeting.pk, item.pk]), {"outcome": "avsla"}
    )
    assert "Skriv skälen för avslaget." in response.content.decode()
    assert not Decision.objects.exists()


def test_board_member_declares_conflict_through_the_page(client, with_mfa):
    people = board()
    meeting = called_meeting(proposed_application())
    item = meeting.items.get()
    client.force_login(with_mfa(people["member"]))
    page = client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
    assert "Anmäl jäv för mig" in page
    response = client.post(
        reverse("meetings:conflict", args=[meeting.pk, item.pk]), {"reason": "Närstående"}
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:item", args=[meeting.pk, item.pk])).content.decode()
    assert "Lars Berg (Närstående)" in page
    assert "Ta tillbaka min jävsanmälan" in page


def test_minutes_pdf_is_a_pdf_with_paragraphs(client, with_mfa):
    insats = granted_insats()
    meeting = insats.decision.agenda_item.meeting
    client.force_login(with_mfa(board()["member"]))
    response = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from insatser import documents

    html = documents.minutes_html(meeting)
    assert "§ 1" in html and "Styrelsen beslutar att bevilja" in html
    assert "justerat digitalt" in html


def test_application_page_links_to_meeting_and_insats(client, with_mfa):
    insats = granted_insats()
    client.force_login(lead_staff(insats.application))
    page = client.get(reverse("insatser:detail", args=[insats.application_id])).content.decode()
    assert reverse("insats:detail", args=[insats.pk]) in page
    assert "Beviljas" in page


def test_delegation_button_for_kansli_on_a_proposal(office_client):
    ForbundFactory(delegation_limit_kr=100_000)
    application = proposed_application()
    page = office_client.get(reverse("insatser:detail", args=[application.pk])).content.decode()
    assert reverse("meetings:delegated_create", args=[application.pk]) in page
    response = office_client.post(
        reverse("meetings:delegated_create", args=[application.pk]),
        {"amount_2027": 150_000, "amount_2028": 0, "reasons": ""},
    )
    assert "över delegationsgränsen" in response.content.decode()


def test_payment_form_refuses_more_than_left(client):
    insats = granted_insats()
    client.force_login(lead_staff(insats.application))
    url = reverse("insats:payment_create", args=[insats.pk])
    response = client.post(url, {"year": 2027, "amount_kr": 300_001, "description": "Lön"})
    assert "Det återstår 300\xa0000\xa0kr att rekvirera för 2027." in response.content.decode()
    assert not PaymentRequest.objects.exists()
    response = client.post(url, {"year": 2027, "amount_kr": 300_000, "description": "Lön"})
    assert response.status_code == 302
    page = client.get(reverse("insats:detail", args=[insats.pk])).content.decode()
    assert "300\xa0000\xa0kr" in page


def test_report_submitted_through_the_page(client):
    insats = granted_insats()
    report = insats.reports.order_by("due_on").first()
    client.force_login(lead_staff(insats.application))
    url = reverse("insats:report", args=[insats.pk, report.pk])
    response = client.post(
        url,
        {
            "text": "Arbetet löper enligt plan.",
            "attachment": SimpleUploadedFile("bilaga.exe", b"MZ\x90\x00binary"),
        },
    )
    assert response.status_code == 200
    assert not insats.reports.filter(submitted_at__isnull=False).exists()
    response = client.post(url, {"text": "Arbetet löper enligt plan."})
    assert response.status_code == 302
    assert insats.reports.filter(submitted_at__isnull=False).count() == 1


# Query counts: the same number whatever the number of rows.


def _count_queries(client, url) -> int:
    """Return the queries of one request, after a first request has warmed the caches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_meeting_list_runs_a_fixed_number_of_queries(office_client, django_assert_num_queries):
    board()
    url = reverse("meetings:list")
    called_meeting(proposed_application())
    few = _count_queries(office_client, url)
    for _ in range(3):
        called_meeting(proposed_application())
        proposed_application()
    with django_assert_num_queries(few):
        assert office_client.get(url).status_code == 200


def test_insats_list_runs_a_fixed_number_of_queries(office_client, django_assert_num_queries):
    url = reverse("insats:list")
    insats = granted_insats()
    services_insats.payment_request_create(
        insats=insats,
        year=2027,
        amount_kr=1000,
        description="Lön",
        by=lead_staff(insats.application),
    )
    few = _count_queries(office_client, url)
    for _ in range(3):
        other = granted_insats()
        services_insats.payment_request_create(
            insats=other,
            year=2027,
            amount_kr=1000,
            description="Lön",
            by=lead_staff(other.application),
        )
    with django_assert_num_queries(few):
        assert office_client.get(url).status_code == 200


def test_delegated_list_runs_a_fixed_number_of_queries(office_client, django_assert_num_queries):
    ForbundFactory(delegation_limit_kr=1_000_000)
    money(2027)
    money(2028)
    url = reverse("meetings:delegated")

    def delegate():
        services_decisions.decision_delegate(
            application=proposed_application(),
            amounts={2027: 1000},
            conditions="",
            reasons="",
            by=the_office(),
        )

    delegate()
    few = _count_queries(office_client, url)
    for _ in range(3):
        delegate()
    with django_assert_num_queries(few):
        assert office_client.get(url).status_code == 200


def test_meeting_page_runs_a_fixed_number_of_queries(office_client, django_assert_num_queries):
    board()
    money(2027)
    money(2028)
    one = called_meeting(proposed_application())
    many = called_meeting(*[proposed_application() for _ in range(4)])
    few = _count_queries(office_client, reverse("meetings:detail", args=[one.pk]))
    more = _count_queries(office_client, reverse("meetings:detail", args=[many.pk]))
    assert more == few


# Start page and menu.


def test_todos_for_each_role(with_mfa):
    """Signers are asked to justera, the kansli to attest, the lead party to report."""
    people = board()
    money(2027)
    money(2028)
    office = the_office()
    meeting = called_meeting(proposed_application())
    services_decisions.decision_record(
        item=meeting.items.get(),
        outcome="bevilja",
        amounts={2027: 1000},
        conditions="",
        reasons="",
        conflicted=[],
        by=office,
    )
    services_meetings.meeting_set_signers(
        meeting=meeting, chair=people["chair"], adjusters=[people["adjuster"]], by=office
    )
    services_meetings.minutes_finalise(meeting=meeting, by=office)
    texts = [t.text for t in todos_for(people["chair"])]
    assert f"Justera protokollet från {timezone.localdate():%Y-%m-%d}" in texts
    assert not any("Justera" in t.text for t in todos_for(people["member"]))

    insats = granted_insats()
    services_insats.payment_request_create(
        insats=insats,
        year=2027,
        amount_kr=1000,
        description="Lön",
        by=lead_staff(insats.application),
    )
    assert "Rekvisitioner att attestera" in [t.text for t in todos_for(office)]
    services_insats.report_add(
        insats=insats,
        kind="lagesrapport",
        due_on=timezone.localdate() - timedelta(days=1),
        by=office,
    )
    assert "Försenade rapporter att lämna" in [
        t.text for t in todos_for(lead_staff(insats.application))
    ]


def test_navigation_shows_what_each_role_may_use():
    people = board()
    labels = [item.label for item in navigation.items(people["member"])]
    assert labels == ["Ansökningar", "Sammanträden", "Delegationsbeslut", "Insatser"]
    staff = lead_staff(proposed_application())
    assert [item.label for item in navigation.items(staff)] == ["Ansökningar", "Insatser"]


def test_demo_has_every_kind_of_thing(demo):
    """seed_demo: two meetings (one justerat), decisions both ways, a delegated decision,
    payment requests in every state, reports due and overdue."""
    from insatser.models_insats import Report

    assert set(Meeting.objects.values_list("status", flat=True)) == {"justerat", "kallat"}
    assert set(Decision.objects.values_list("outcome", "delegated")) == {
        ("bevilja", False),
        ("avsla", False),
        ("bevilja", True),
    }
    assert set(PaymentRequest.objects.values_list("status", flat=True)) == {
        "inkommen",
        "attesterad",
        "utbetald",
        "avvisad",
    }
    today = timezone.localdate()
    open_reports = Report.objects.filter(submitted_at__isnull=True)
    assert open_reports.filter(due_on__lt=today).exists()
    assert open_reports.filter(due_on__gte=today).exists()


def test_admin_shows_meetings_and_insatser_read_only(client, with_mfa):
    """The admin lists meetings, decisions, insatser, payments and reports; nothing is editable."""
    from forbund.models import User

    insats = granted_insats()
    admin = User.objects.create_superuser(email="admin@example.se", name="Admin", password="x")
    client.force_login(with_mfa(admin))
    for model in ("meeting", "decision", "insats", "paymentrequest", "report"):
        assert client.get(reverse(f"admin:insatser_{model}_changelist")).status_code == 200
    response = client.get(reverse("admin:insatser_insats_change", args=[insats.pk]))
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    assert client.get(reverse("admin:insatser_insats_add")).status_code == 403
