"""Asking for and making annual reports and audit packages. Views, the Celery task and the
`annual_report` command all come here; nothing else changes an AnnualReport's status.

A request is saved as a queued version and returns at once; the work runs in a Celery task (or
directly, from the command line). Making a report is safe to run twice: a finished version is
never made again, and its file name is fixed by the version, so a second run can't leave a second
file behind.
"""

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone

from finsam import audit

from .models import AnnualReport, BudgetYear
from .models.reports import DONE, FAILED, IN_PROGRESS, QUEUED, RUNNING, report_file_path

logger = logging.getLogger(__name__)

# Errors worth another try: the disk, the network or the database was briefly unavailable.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)

# Putting the task on the queue: a few quick tries, so a broker that is down answers the person
# who asked within a few seconds instead of leaving the page hanging.
PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5}

QUEUE_DOWN_REASON = (
    "Beställningen kunde inte lämnas till bakgrundsjobben: meddelandekön (Redis) svarar inte. "
    "Inget har gjorts. Beställ igen om en stund; kvarstår felet, kontakta den som sköter driften."
)


def check_year(year: int, *, today=None) -> None:
    """Raise ValidationError (Swedish) unless a report can be made for `year`."""
    today = today or timezone.localdate()
    if year < 2000 or year > today.year:
        raise ValidationError(
            f"En årsrapport kan bara göras för ett år som har börjat (2000–{today.year}).",
            code="report_year",
        )
    if not BudgetYear.objects.filter(year=year).exists():
        raise ValidationError(
            f"Det finns ingen budget för {year}. Lägg in budgetåret innan årsrapporten görs.",
            code="report_no_budget",
        )


@transaction.atomic
def annual_report_request(
    *, year: int, by, kind: str = AnnualReport.Kind.REPORT, in_background: bool = True
) -> AnnualReport:
    """Queue a new version of the report (or audit package) for `year` and return it at once.

    With in_background the Celery task is queued when the transaction commits; the command line
    passes False and calls `annual_report_make` itself.
    """
    check_year(year)
    label = "revisionspaket" if kind == AnnualReport.Kind.AUDIT_PACKAGE else "årsrapport"
    existing = AnnualReport.objects.select_for_update().filter(kind=kind, year=year)
    busy = existing.filter(status__in=IN_PROGRESS).first()
    if busy is not None and busy.stuck:
        _give_up(busy, by=by)
        busy = None
    if busy is not None:
        raise ValidationError(
            f"Ett {label} för {year} håller redan på att göras (version {busy.version}). "
            "Vänta tills det är klart."
            if kind == AnnualReport.Kind.AUDIT_PACKAGE
            else f"En {label} för {year} håller redan på att göras (version {busy.version}). "
            "Vänta tills den är klar.",
            code="report_in_progress",
        )
    version = (existing.aggregate(last=Max("version"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(
                kind=kind, year=year, version=version, requested_by=by
            )
    except IntegrityError as error:  # a request that came in at the same moment
        raise ValidationError(
            f"Någon annan begärde samma {label} för {year} alldeles nyss. Ladda om sidan.",
            code="report_in_progress",
        ) from error
    audit.log(
        report,
        "annual_report.requested",
        actor=by,
        to_state=QUEUED,
        data={"kind": kind, "year": year, "version": version},
    )
    if in_background:
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _give_up(report: AnnualReport, *, by) -> None:
    """Mark a version that has been queued or running for too long as failed, so a new one can
    be asked for. Should its task still turn up, it finds the version failed and leaves it."""
    minutes = report.stuck_minutes
    previous = report.status
    report.status = FAILED
    report.failure_reason = (
        f"Versionen blev inte klar inom {minutes} minuter och kan ha fastnat (bakgrundsjobbet "
        "eller meddelandekön kan ha startats om). En ny version beställdes i stället."
    )
    report.save(update_fields=["status", "failure_reason"])
    audit.log(
        report,
        "annual_report.abandoned",
        actor=by,
        from_state=previous,
        to_state=FAILED,
        comment=report.failure_reason,
    )


def _enqueue(report_id: int) -> None:
    """Put the task for a saved request on the queue; when the broker can't be reached, record
    the version as failed with the reason, so it can be asked for again (never stuck in the
    queue). Called after the request has committed."""
    from .tasks import make_annual_report

    try:
        make_annual_report.apply_async(
            args=[report_id], retry=True, retry_policy=PUBLISH_RETRY_POLICY
        )
    except Exception as error:  # any failure to publish means no worker will ever see it
        logger.exception("Årsrapport %s kunde inte läggas i kön", report_id)
        annual_report_fail(
            report_id=report_id,
            reason=f"{QUEUE_DOWN_REASON} (Tekniskt fel: {type(error).__name__}: {error})",
        )


@transaction.atomic
def _claim(report_id: int) -> AnnualReport | None:
    """Mark the report as being made; return None when it is finished or failed already."""
    report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status not in IN_PROGRESS:
        return None
    previous = report.status
    report.status = RUNNING
    report.attempts += 1
    report.started_at = timezone.now()
    report.save(update_fields=["status", "attempts", "started_at"])
    if previous != RUNNING:
        audit.log(report, "annual_report.started", from_state=previous, to_state=RUNNING)
    return report


def _render(report: AnnualReport) -> tuple[bytes, dict, object]:
    made_at = timezone.now()
    if report.kind == AnnualReport.Kind.AUDIT_PACKAGE:
        from .audit_package import build_audit_package

        content, manifest = build_audit_package(report.year)
        return content, manifest, made_at
    from .report_document import annual_report_pdf
    from .report_figures import annual_report_figures

    figures = annual_report_figures(report.year)
    content = annual_report_pdf(
        figures, version=report.version, made_at=timezone.localtime(made_at)
    )
    return content, figures, made_at


@transaction.atomic
def _store(report_id: int, content: bytes, figures: dict, made_at) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report_id)
    if report.status != RUNNING:  # another run finished (or failed) it meanwhile
        return report
    name = report_file_path(report, report.download_name)
    if default_storage.exists(name):  # left by a run that died before it committed
        default_storage.delete(name)
    report.file.name = default_storage.save(name, ContentFile(content))
    report.sha256 = hashlib.sha256(content).hexdigest()
    report.size_bytes = len(content)
    report.figures = figures
    report.made_at = made_at
    report.status = DONE
    report.failure_reason = ""
    report.full_clean()
    report.save()
    audit.log(
        report,
        "annual_report.done",
        from_state=RUNNING,
        to_state=DONE,
        data={"sha256": report.sha256, "bytes": report.size_bytes},
    )
    return report


def annual_report_make(*, report_id: int) -> AnnualReport | None:
    """Make the file of a queued report and store it; return the report.

    Safe to call twice and concurrently: a finished or failed report is left as it is, and only
    the first run to finish stores its file. Errors propagate to the caller (the task decides
    whether to try again or record the failure).
    """
    report = _claim(report_id)
    if report is None:
        return AnnualReport.objects.filter(pk=report_id).first()
    content, figures, made_at = _render(report)
    return _store(report_id, content, figures, made_at)


@transaction.atomic
def annual_report_retrying(*, report_id: int, reason: str, attempt: int) -> None:
    """Record that making the report hit a transient error and will be tried again."""
    report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status not in IN_PROGRESS:
        return
    audit.log(
        report,
        "annual_report.retrying",
        from_state=report.status,
        to_state=report.status,
        comment=reason,
        data={"attempt": attempt},
    )


@transaction.atomic
def annual_report_fail(*, report_id: int, reason: str) -> AnnualReport | None:
    """Record that the report could not be made, and why. A finished report stays finished."""
    report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
    if report is None or report.status == DONE:
        return report
    previous = report.status
    report.status = FAILED
    report.failure_reason = reason[:2000] or "Okänt fel."
    report.save(update_fields=["status", "failure_reason"])
    audit.log(report, "annual_report.failed", from_state=previous, to_state=FAILED, comment=reason)
    return report


def failure_text(error: BaseException, *, transient: bool = False, attempts: int = 1) -> str:
    """Return the Swedish reason shown for a failed report, with the error itself."""
    detail = f"{type(error).__name__}: {error}".strip()
    if transient:
        return (
            f"Rapporten kunde inte göras efter {attempts} försök på grund av ett tillfälligt fel "
            f"(lagring, nätverk eller databas). {detail}"
        )
    return f"Rapporten kunde inte göras. {detail}"


__all__ = [
    "DONE",
    "FAILED",
    "QUEUED",
    "RUNNING",
    "TRANSIENT_ERRORS",
    "annual_report_fail",
    "annual_report_make",
    "annual_report_request",
    "annual_report_retrying",
    "check_year",
    "failure_text",
]
