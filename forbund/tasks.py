from celery import Task, shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse


def invitation_url(user) -> str:
    """Return the link where `user` sets a password (allauth's reset-from-key page)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_invitation(user_pk: int) -> None:
    from .models import Forbund, User

    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return
    forbund = Forbund.objects.first()
    context = {"user": user, "url": invitation_url(user), "forbund": forbund}
    send_mail(
        subject="Ditt konto i Finsam",
        message=render_to_string("forbund/email/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


REPORT_MAX_RETRIES = 3


class ReportTask(Task):
    """Records on the report what the task itself never gets to see: the hard time limit, when
    the worker kills the process making it, and a lost worker whose message is not given back."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        from celery.exceptions import TimeLimitExceeded, WorkerLostError

        from . import services_reports as service

        report_id = args[0] if args else kwargs.get("report_id")
        if report_id is None:
            return
        if isinstance(exc, TimeLimitExceeded):
            reason = (
                "Rapporten tog längre tid än den yttersta tidsgränsen för bakgrundsjobb "
                f"({settings.CELERY_TASK_TIME_LIMIT // 60} minuter) och avbröts."
            )
        elif isinstance(exc, WorkerLostError):
            reason = f"Processen som gjorde rapporten avslutades oväntat ({exc})."
        else:  # errors inside the task are recorded by the task itself
            return
        service.annual_report_fail(report_id=report_id, reason=reason)


@shared_task(bind=True, base=ReportTask, max_retries=REPORT_MAX_RETRIES, acks_late=True)
def make_annual_report(self, report_id: int) -> str:
    """Make an annual report or audit package (by id); return its status.

    Transient errors (disk, network, database) are tried again with a growing pause; any other
    error, the last transient one and the soft time limit are recorded on the report with their
    reason, so a failure is never lost. Running twice is safe (see annual_report_make).
    """
    import logging

    from celery.exceptions import SoftTimeLimitExceeded

    from . import services_reports as service

    logger = logging.getLogger(__name__)
    try:
        report = service.annual_report_make(report_id=report_id)
    except SoftTimeLimitExceeded:
        service.annual_report_fail(
            report_id=report_id,
            reason="Rapporten tog längre tid än tidsgränsen för bakgrundsjobb och avbröts.",
        )
        return service.FAILED
    except service.TRANSIENT_ERRORS as error:
        attempt = self.request.retries + 1
        if self.request.retries < self.max_retries:
            service.annual_report_retrying(
                report_id=report_id,
                reason=f"Tillfälligt fel, försöker igen: {type(error).__name__}: {error}",
                attempt=attempt,
            )
            raise self.retry(exc=error, countdown=min(300, 10 * 2**self.request.retries)) from error
        service.annual_report_fail(
            report_id=report_id,
            reason=service.failure_text(error, transient=True, attempts=attempt),
        )
        return service.FAILED
    except Exception as error:
        logger.exception("Årsrapport %s kunde inte göras", report_id)
        service.annual_report_fail(report_id=report_id, reason=service.failure_text(error))
        return service.FAILED
    return report.status if report is not None else ""
