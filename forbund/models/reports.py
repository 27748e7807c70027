"""Annual reports (årsrapporter) and audit packages (revisionspaket), made in the background.

Every request is kept as its own version: a finished one has its file, who asked for it, when it
was made, the file's SHA-256 and the figures it was made from, so a later version can be compared
with an earlier one. Nothing is ever overwritten.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
IN_PROGRESS = (QUEUED, RUNNING)

# A version still queued or running this long after it was asked for (or last started) has most
# likely lost its worker or its message: the task's hard time limit has passed, plus a margin for
# a retry's pause. It is shown as "kan ha fastnat" and the kansli may ask for a new version.
STUCK_MARGIN = timedelta(minutes=5)


def stuck_after() -> timedelta:
    """How long a version may be queued or running before it may have got stuck."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + STUCK_MARGIN


def report_file_path(instance, filename: str) -> str:
    """Keep reports under their kind and year; the name is set by the service, never the user."""
    return f"arsrapporter/{instance.year}/{filename}"


class AnnualReport(models.Model):
    """One version of the annual report for a year, or of the year's audit package."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Årsrapport")
        AUDIT_PACKAGE = "audit_package", _("Revisionspaket")

    class Status(models.TextChoices):
        QUEUED = QUEUED, _("I kö")
        RUNNING = RUNNING, _("Görs nu")
        DONE = DONE, _("Klar")
        FAILED = FAILED, _("Misslyckades")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices, default=Kind.REPORT)
    year = models.PositiveSmallIntegerField(_("år"))
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    failure_reason = models.TextField(_("orsak till felet"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    file = models.FileField(_("fil"), upload_to=report_file_path, max_length=300, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("storlek (byte)"), null=True, blank=True)
    figures = models.JSONField(_("underlag"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("beställd av"),
        help_text=_("Tomt när rapporten gjordes från kommandoraden."),
    )
    requested_at = models.DateTimeField(_("beställd"), default=timezone.now)
    started_at = models.DateTimeField(_("påbörjad"), null=True, blank=True)
    made_at = models.DateTimeField(_("klar"), null=True, blank=True)

    class Meta:
        verbose_name = _("årsrapport")
        verbose_name_plural = _("årsrapporter")
        ordering = ["-year", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "version"],
                name="annual_report_version_unique",
                violation_error_message="Den versionen finns redan för året.",
            ),
            models.UniqueConstraint(
                fields=["kind", "year"],
                condition=Q(status__in=IN_PROGRESS),
                name="annual_report_one_in_progress",
                violation_error_message="En version för det året håller redan på att göras.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="annual_report_year_plausible",
                violation_error_message="Året måste ligga mellan 2000 och 2100.",
            ),
            models.CheckConstraint(
                condition=~Q(status=DONE)
                | (~Q(file="") & Q(made_at__isnull=False) & Q(sha256__regex=r"^[0-9a-f]{64}$")),
                name="annual_report_done_has_file",
                violation_error_message="En färdig rapport måste ha en fil, en tid och en SHA-256.",
            ),
            models.CheckConstraint(
                condition=~Q(status=FAILED) | ~Q(failure_reason=""),
                name="annual_report_failure_has_reason",
                violation_error_message="En misslyckad rapport måste ha en orsak.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}, version {self.version}"

    @property
    def in_progress(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def stuck(self) -> bool:
        """Queued or running for longer than any run may take: the worker may be gone."""
        if not self.in_progress:
            return False
        since = self.started_at or self.requested_at
        return since is not None and timezone.now() - since > stuck_after()

    @property
    def stuck_minutes(self) -> int:
        return int(stuck_after().total_seconds() // 60)

    @property
    def done(self) -> bool:
        return self.status == DONE

    @property
    def status_css(self) -> str:
        if self.stuck:
            return "error"
        return {DONE: "ok", FAILED: "error", RUNNING: "warn"}.get(self.status, "")

    @property
    def download_name(self) -> str:
        if self.kind == self.Kind.AUDIT_PACKAGE:
            return f"revisionspaket-{self.year}-v{self.version}.zip"
        return f"arsrapport-{self.year}-v{self.version}.pdf"
