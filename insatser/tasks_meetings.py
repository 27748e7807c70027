"""E-mail about meetings and decisions. Tasks take ids and are queued with on_commit."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from .tasks import _absolute, _send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_meeting_notice(meeting_pk: int) -> int:
    """E-mail the kallelse, with the agenda and beslutsunderlag as a PDF, to every ledamot and
    ersättare of the mandate period that holds the meeting's date."""
    from . import documents, selectors_meetings
    from .models_meetings import Meeting

    meeting = Meeting.objects.filter(pk=meeting_pk).first()
    if meeting is None:
        return 0
    recipients = selectors_meetings.board_emails_on(meeting.held_on)
    if not recipients:
        return 0
    body = render_to_string(
        "insatser/email/meeting_notice.txt",
        {
            "meeting": meeting,
            "items": selectors_meetings.agenda(meeting),
            "url": _absolute("meetings:detail", pk=meeting.pk),
        },
    )
    pdf = documents.notice_pdf(meeting)
    filename = f"kallelse-{meeting.held_on:%Y-%m-%d}.pdf"
    messages = []
    for email in recipients:
        message = EmailMessage(
            f"[Finsam] Kallelse till styrelsens sammanträde {meeting.held_on:%Y-%m-%d}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
        message.attach(filename, pdf, "application/pdf")
        messages.append(message)
    return get_connection().send_messages(messages) or 0


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_signers(meeting_pk: int) -> int:
    """Ask the ordförande and the justerare to justera the minutes."""
    from .models_meetings import Meeting

    meeting = Meeting.objects.filter(pk=meeting_pk).first()
    if meeting is None:
        return 0
    recipients = [
        s.user.email for s in meeting.signatures.select_related("user") if s.approved_at is None
    ]
    return _send(
        f"Protokollet från {meeting.held_on:%Y-%m-%d} är klart för justering",
        "insatser/email/minutes_ready.txt",
        {"meeting": meeting, "url": _absolute("meetings:minutes", pk=meeting.pk)},
        recipients,
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_decision(decision_pk: int) -> int:
    """Tell the applying parties' staff and the contact person what was decided."""
    from . import rules_meetings, selectors_meetings
    from .models_meetings import Decision

    decision = (
        Decision.objects.select_related("application__lead_party", "agenda_item__meeting")
        .prefetch_related("amounts")
        .filter(pk=decision_pk, status=rules_meetings.IN_FORCE)
        .first()
    )
    if decision is None:
        return 0
    application = decision.application
    context = {
        "decision": decision,
        "application": application,
        "url": _absolute("insatser:detail", pk=application.pk),
    }
    insats = getattr(decision, "insats", None)
    if insats is not None:
        context["insats_url"] = _absolute("insats:detail", pk=insats.pk)
    verdict = "beviljad" if decision.outcome == rules_meetings.GRANT else "avslagen"
    return _send(
        f"Beslut: ansökan {application.case_number} är {verdict}",
        "insatser/email/decision.txt",
        context,
        selectors_meetings.applicant_emails(application),
    )
