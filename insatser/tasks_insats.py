"""E-mail about insatser: payment requests, and reminders of reports (a Celery beat task)."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .tasks import _absolute, _send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_payment_requested(request_pk: int) -> int:
    """Tell the kansli that a rekvisition waits for attestation."""
    from . import selectors
    from .models_insats import PaymentRequest

    request = PaymentRequest.objects.select_related("insats__lead_party").filter(pk=request_pk)
    request = request.first()
    if request is None:
        return 0
    return _send(
        f"Rekvisition att attestera: {request.insats}",
        "insatser/email/payment_requested.txt",
        {"request": request, "url": _absolute("insats:detail", pk=request.insats_id)},
        selectors.office_emails(),
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_payment_denied(request_pk: int) -> int:
    """Tell the lead party's staff why a rekvisition was sent back."""
    from . import selectors
    from .models_insats import PaymentRequest

    request = PaymentRequest.objects.select_related("insats__lead_party").filter(pk=request_pk)
    request = request.first()
    if request is None:
        return 0
    return _send(
        f"Rekvisitionen för {request.insats} är avvisad",
        "insatser/email/payment_denied.txt",
        {"request": request, "url": _absolute("insats:detail", pk=request.insats_id)},
        selectors.party_staff_emails(request.insats.lead_party_id),
    )


def _report_recipients(report) -> list[str]:
    from . import selectors

    emails = set(selectors.party_staff_emails(report.insats.lead_party_id))
    contact = report.insats.application.contact_email
    if contact:
        emails.add(contact.lower())
    return sorted(emails)


def remind_about_report(report_pk: int, kind: str) -> int:
    """Send reminder `kind` about one report unless it has already gone out; return mails sent.

    The reminder row and the e-mail share a transaction: if sending fails, no row is kept and the
    next run tries again; once sent, the unique row stops every later run.
    """
    from . import rules_insats, services_insats
    from .models_insats import Report

    report = Report.objects.select_related("insats__lead_party", "insats__application")
    report = report.filter(pk=report_pk, submitted_at__isnull=True).first()
    if report is None:
        return 0
    recipients = _report_recipients(report)
    with transaction.atomic():
        if not services_insats.report_reminder_record(
            report=report, kind=kind, recipients=recipients
        ):
            return 0
        overdue = kind == rules_insats.REMIND_AFTER
        subject = (
            f"Påminnelse: {report.get_kind_display().lower()} för {report.insats} är försenad"
            if overdue
            else f"Påminnelse: {report.get_kind_display().lower()} för {report.insats} "
            f"ska lämnas senast {report.due_on:%Y-%m-%d}"
        )
        return _send(
            subject,
            "insatser/email/report_reminder.txt",
            {
                "report": report,
                "overdue": overdue,
                "url": _absolute("insats:report", pk=report.insats_id, report_pk=report.pk),
            },
            recipients,
        )


@shared_task
def send_report_reminders() -> int:
    """Daily: remind the lead party of reports due within two weeks and of overdue ones.

    Safe to run any number of times a day: each report gets each kind of reminder once.
    """
    from . import rules_insats
    from .models_insats import Report

    today = timezone.localdate()
    sent = 0
    candidates = Report.objects.filter(
        submitted_at__isnull=True,
        insats__status=rules_insats.ONGOING,
        due_on__lte=today + timedelta(days=rules_insats.REMINDER_DAYS_BEFORE),
    ).values_list("pk", "due_on")
    for pk, due_on in candidates:
        kind = rules_insats.reminder_due(due_on, today)
        if kind:
            sent += remind_about_report(pk, kind)
    return sent
