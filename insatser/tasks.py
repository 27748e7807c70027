"""E-mail about applications. Tasks take ids and are queued with transaction.on_commit."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse


def _absolute(url_name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, kwargs=kwargs)}"


def _send(subject: str, template: str, context: dict, recipients: list[str]) -> int:
    """Send one message per recipient, so no one sees the others' addresses."""
    if not recipients:
        return 0
    body = render_to_string(template, context)
    messages = [(f"[Finsam] {subject}", body, None, [email]) for email in sorted(set(recipients))]
    return send_mass_mail(messages)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_co_applicant_invitation(co_applicant_pk: int) -> int:
    """E-mail the staff of the invited party and ask them to confirm or decline."""
    from . import rules, selectors
    from .models import CoApplicant

    co_applicant = (
        CoApplicant.objects.select_related("application__lead_party", "party", "invited_by")
        .filter(pk=co_applicant_pk, status=rules.INVITED)
        .first()
    )
    if co_applicant is None:
        return 0
    application = co_applicant.application
    context = {
        "application": application,
        "co_applicant": co_applicant,
        "url": _absolute("insatser:respond", pk=application.pk, co_pk=co_applicant.pk),
    }
    recipients = selectors.party_staff_emails(co_applicant.party_id)
    return _send(
        f"Inbjudan att söka tillsammans: {application.title}",
        "insatser/email/invitation.txt",
        context,
        recipients,
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_office_submitted(application_pk: int) -> int:
    """Tell the kansli that an application has come in (or come back after komplettering)."""
    from . import selectors
    from .models import Application

    application = Application.objects.select_related("lead_party").filter(pk=application_pk).first()
    if application is None:
        return 0
    context = {"application": application, "url": _absolute("insatser:detail", pk=application.pk)}
    return _send(
        f"Ansökan {application.case_number} har kommit in",
        "insatser/email/submitted.txt",
        context,
        selectors.office_emails(),
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_completion_requested(application_pk: int) -> int:
    """Send the kansli's questions to the lead party's staff and the contact person."""
    from . import selectors
    from .models import Application

    application = Application.objects.select_related("lead_party").filter(pk=application_pk).first()
    if application is None:
        return 0
    request = application.completion_requests.order_by("-requested_at", "-pk").first()
    context = {
        "application": application,
        "request": request,
        "url": _absolute("insatser:detail", pk=application.pk),
    }
    recipients = selectors.party_staff_emails(application.lead_party_id)
    if application.contact_email:
        recipients.append(application.contact_email)
    return _send(
        f"Komplettering begärd: {application.case_number} {application.title}",
        "insatser/email/completion_requested.txt",
        context,
        recipients,
    )


# The tasks about meetings and insatser live in their own modules; import them so the worker
# registers them.
from . import tasks_insats, tasks_meetings  # noqa: E402, F401, I001
