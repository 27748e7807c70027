"""Insatser: payment requests within the grant, reports and their reminders."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from insatser import rules_insats, services_insats, tasks_insats
from insatser.models_insats import PaymentRequest, Report, ReportReminder
from tests.factories.decisions import granted_insats, the_office
from tests.factories.forbund import PartyFactory
from tests.factories.insatser import lead_staff, staff_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def insats():
    return granted_insats()


def _request(insats, amount, year=2027, by=None):
    return services_insats.payment_request_create(
        insats=insats,
        year=year,
        amount_kr=amount,
        description="Lönekostnader",
        by=by or lead_staff(insats.application),
    )


def test_lead_party_requests_and_kansli_attests_and_pays(
    insats, django_capture_on_commit_callbacks
):
    """Requested → attested → paid; the kansli is told of the request."""
    office = the_office()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = _request(insats, 100_000)
    assert request.status == rules_insats.REQUESTED
    assert office.email in {m.to[0] for m in mail.outbox}
    assert "Rekvisition att attestera" in mail.outbox[0].subject
    request = services_insats.payment_request_attest(request=request, by=office)
    assert request.status == rules_insats.ATTESTED and request.attested_by == office
    request = services_insats.payment_request_mark_paid(
        request=request, paid_on=timezone.localdate(), by=office
    )
    assert request.status == rules_insats.PAID
    with pytest.raises(ValidationError, match="”utbetald” kan inte attesteras"):
        services_insats.payment_request_attest(request=request, by=office)


def test_never_more_than_granted_for_the_year(insats):
    """Requested + attested + paid may not exceed the year's grant; denied does not count."""
    office = the_office()
    paid = _request(insats, 100_000)
    services_insats.payment_request_attest(request=paid, by=office)
    services_insats.payment_request_mark_paid(request=paid, paid_on=timezone.localdate(), by=office)
    attested = services_insats.payment_request_attest(request=_request(insats, 100_000), by=office)
    denied = _request(insats, 50_000)
    _request(insats, 50_000)  # requested: 300 000 of 300 000 counted with the denied one
    with pytest.raises(ValidationError) as error:
        _request(insats, 1)
    assert "0\xa0kr kvar" in error.value.messages[0]
    services_insats.payment_request_deny(request=denied, reason="Fel period.", by=office)
    assert PaymentRequest.objects.get(pk=denied.pk).denied_reason == "Fel period."
    _request(insats, 50_000)  # the denied amount is free again
    with pytest.raises(ValidationError, match="större än vad som återstår"):
        _request(insats, 1)
    assert attested.status == rules_insats.ATTESTED
    _request(insats, 310_000, year=2028)
    with pytest.raises(ValidationError, match="inga beviljade medel för 2029"):
        _request(insats, 1, year=2029)


def test_only_lead_staff_request_payment(insats):
    """Staff of a co-party and of an unrelated party cannot rekvirera."""
    co_party = insats.co_parties.get()
    for user in (staff_of(co_party), staff_of(PartyFactory(name="Laxå kommun")), the_office()):
        with pytest.raises(ValidationError, match="Bara handläggare hos huvudmannen"):
            _request(insats, 1_000, by=user)
    assert not PaymentRequest.objects.exists()


def test_denial_needs_a_reason_and_attest_needs_the_kansli(insats):
    request = _request(insats, 1_000)
    with pytest.raises(ValidationError, match="Skriv varför"):
        services_insats.payment_request_deny(request=request, reason=" ", by=the_office())
    with pytest.raises(ValidationError, match="Bara förbundets kansli"):
        services_insats.payment_request_attest(request=request, by=lead_staff(insats.application))


def test_closing_waits_for_open_requests(insats):
    """An insats with a request waiting cannot close; once paid it can, and then no requests."""
    office = the_office()
    request = _request(insats, 1_000)
    with pytest.raises(ValidationError, match="väntar på attest"):
        services_insats.insats_close(insats=insats, by=office)
    services_insats.payment_request_deny(request=request, reason="Dubblett.", by=office)
    services_insats.insats_close(insats=insats, by=office)
    with pytest.raises(ValidationError, match="bara medan insatsen pågår"):
        _request(insats, 1_000)


def test_agreement_date_cannot_be_in_the_future(insats):
    office = the_office()
    with pytest.raises(ValidationError, match="framtiden"):
        services_insats.insats_set_agreement(
            insats=insats, signed_on=timezone.localdate() + timedelta(days=1), by=office
        )
    services_insats.insats_set_agreement(insats=insats, signed_on=date(2026, 11, 1), by=office)
    insats.refresh_from_db()
    assert insats.agreement_signed_on == date(2026, 11, 1)


def test_report_submitted_with_attachment_checked_by_content(insats):
    """The lead party submits text and a PDF; a file that is not what it claims is refused."""
    report = insats.reports.order_by("due_on").first()
    staff = lead_staff(insats.application)
    with pytest.raises(ValidationError, match="Skriv rapporten"):
        services_insats.report_submit(report=report, text=" ", by=staff)
    fake = SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services_insats.report_submit(report=report, text="Det går bra.", upload=fake, by=staff)
    assert not Report.objects.get(pk=report.pk).submitted
    with pytest.raises(ValidationError, match="Bara handläggare hos huvudmannen"):
        services_insats.report_submit(report=report, text="x", by=the_office())
    submitted = services_insats.report_submit(
        report=report,
        text="Det går bra.",
        upload=SimpleUploadedFile("rapport.pdf", PDF),
        by=staff,
    )
    assert submitted.submitted and submitted.attachment_name == "rapport.pdf"
    assert submitted.attachment_type == "application/pdf"
    with pytest.raises(ValidationError, match="redan inlämnad"):
        services_insats.report_submit(report=report, text="Igen", by=staff)


def test_default_reports_follow_the_period(insats):
    """2027–2028: a lägesrapport 2028-01-31 and a slutrapport three months after the end."""
    assert [(r.kind, r.due_on) for r in insats.reports.order_by("due_on")] == [
        ("lagesrapport", date(2028, 1, 31)),
        ("slutrapport", date(2029, 3, 31)),
    ]


def test_reminders_go_out_once_per_report_and_kind(insats, settings, monkeypatch):
    """Before the due date one reminder, after it one more; running again sends nothing."""
    report = insats.reports.order_by("due_on").first()
    staff = lead_staff(insats.application)

    def run_on(day):
        monkeypatch.setattr(timezone, "localdate", lambda: day)
        return tasks_insats.send_report_reminders()

    mail.outbox.clear()
    assert run_on(report.due_on - timedelta(days=30)) == 0
    sent = run_on(report.due_on - timedelta(days=10))
    assert sent >= 1
    assert staff.email in {m.to[0] for m in mail.outbox}
    assert "ska lämnas senast 2028-01-31" in mail.outbox[0].subject
    assert run_on(report.due_on - timedelta(days=9)) == 0
    assert run_on(report.due_on) == 0
    count = len(mail.outbox)
    assert run_on(report.due_on + timedelta(days=3)) >= 1
    assert "försenad" in mail.outbox[count].subject
    assert run_on(report.due_on + timedelta(days=4)) == 0
    assert set(ReportReminder.objects.filter(report=report).values_list("kind", flat=True)) == {
        "fore",
        "efter",
    }


def test_submitted_reports_get_no_reminders(insats, monkeypatch):
    report = insats.reports.order_by("due_on").first()
    services_insats.report_submit(report=report, text="Klar.", by=lead_staff(insats.application))
    monkeypatch.setattr(timezone, "localdate", lambda: report.due_on + timedelta(days=5))
    tasks_insats.send_report_reminders()
    assert not ReportReminder.objects.filter(report=report).exists()


def test_failed_send_keeps_no_reminder_row(insats, monkeypatch):
    """If the e-mail fails, no reminder is recorded, so the next run tries again."""
    report = insats.reports.order_by("due_on").first()

    def fail(*args, **kwargs):
        raise OSError("SMTP nere")

    monkeypatch.setattr(tasks_insats, "_send", fail)
    with pytest.raises(OSError):
        tasks_insats.remind_about_report(report.pk, rules_insats.REMIND_BEFORE)
    assert not ReportReminder.objects.exists()


def test_beat_schedule_has_the_reminder_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["insatser-report-reminders"]
    assert entry["task"] == "insatser.tasks_insats.send_report_reminders"
    from finsam.celery import app

    assert entry["task"] in app.tasks
