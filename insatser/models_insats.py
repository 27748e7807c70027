"""Granted insatser, their payment requests (rekvisitioner) and reports.

Imported by `insatser.models`, so Django sees these as models of the `insatser` app.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forbund.models import Party

from . import rules
from . import rules_insats as insats_rules
from .models import Application
from .models_meetings import Decision

__all__ = ["GrantedAmount", "Insats", "PaymentRequest", "Report", "ReportReminder"]


class Insats(models.Model):
    """A granted application: the insats the förbund finances, led by the huvudman."""

    class Status(models.TextChoices):
        ONGOING = insats_rules.ONGOING, _("Pågående")
        CLOSED = insats_rules.CLOSED, _("Avslutad")

    class Kind(models.TextChoices):
        INDIVIDUAL = rules.INDIVIDUAL, _("Individinriktad")
        STRUCTURAL = rules.STRUCTURAL, _("Strukturövergripande")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="insats", verbose_name=_("ansökan")
    )
    decision = models.OneToOneField(
        Decision, on_delete=models.PROTECT, related_name="insats", verbose_name=_("beslut")
    )
    title = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av insats"), max_length=16, choices=Kind.choices)
    lead_party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="led_insatser", verbose_name=_("huvudman")
    )
    co_parties = models.ManyToManyField(
        Party, related_name="co_insatser", blank=True, verbose_name=_("medverkande parter")
    )
    starts_on = models.DateField(_("startdatum"))
    ends_on = models.DateField(_("slutdatum"))
    agreement_signed_on = models.DateField(_("avtal undertecknat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ONGOING
    )
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["-starts_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="insats_period_in_order",
                violation_error_message="Slutdatum ligger före startdatum.",
            ),
            models.CheckConstraint(
                condition=Q(status=insats_rules.CLOSED, closed_at__isnull=False)
                | Q(status=insats_rules.ONGOING, closed_at__isnull=True),
                name="insats_closed_has_time",
                violation_error_message="En avslutad insats måste ha en tidpunkt för avslutet.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def case_number(self) -> str:
        return self.application.case_number

    @property
    def status_css(self) -> str:
        return "ok" if self.status == insats_rules.ONGOING else ""

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Slutdatum ligger före startdatum."})


class GrantedAmount(models.Model):
    """The money granted to an insats for one year."""

    insats = models.ForeignKey(Insats, on_delete=models.CASCADE, related_name="granted_amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount_kr = models.BigIntegerField(_("beviljat (kr)"))

    class Meta:
        verbose_name = _("beviljat belopp för insats")
        verbose_name_plural = _("beviljade belopp för insatser")
        ordering = ["insats", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["insats", "year"],
                name="granted_amount_once_per_year",
                violation_error_message="Insatsen har redan ett beviljat belopp för det året.",
            ),
            models.CheckConstraint(
                condition=Q(amount_kr__gt=0),
                name="granted_amount_positive",
                violation_error_message="Ett beviljat belopp måste vara större än 0 kr.",
            ),
        ]

    def __str__(self):
        return f"{self.insats} {self.year}: {self.amount_kr} kr"


class PaymentRequest(models.Model):
    """A rekvisition: the lead party asks for granted money; the kansli attests and pays."""

    class Status(models.TextChoices):
        REQUESTED = insats_rules.REQUESTED, _("Inkommen")
        ATTESTED = insats_rules.ATTESTED, _("Attesterad")
        PAID = insats_rules.PAID, _("Utbetald")
        DENIED = insats_rules.DENIED, _("Avvisad")

    insats = models.ForeignKey(Insats, on_delete=models.PROTECT, related_name="payment_requests")
    year = models.PositiveSmallIntegerField(_("år"))
    amount_kr = models.BigIntegerField(_("belopp (kr)"))
    description = models.CharField(_("avser"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("inkommen"), default=timezone.now)
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    attested_at = models.DateTimeField(_("attesterad"), null=True, blank=True)
    paid_on = models.DateField(_("utbetald"), null=True, blank=True)
    denied_reason = models.TextField(_("skäl för avvisning"), blank=True)

    class Meta:
        verbose_name = _("rekvisition")
        verbose_name_plural = _("rekvisitioner")
        ordering = ["insats", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_kr__gt=0),
                name="payment_request_amount_positive",
                violation_error_message="Beloppet måste vara större än 0 kr.",
            ),
            models.CheckConstraint(
                condition=~Q(status=insats_rules.DENIED) | ~Q(denied_reason=""),
                name="payment_request_denial_has_reason",
                violation_error_message="En avvisad rekvisition måste ha ett skäl.",
            ),
            models.CheckConstraint(
                condition=~Q(status=insats_rules.PAID) | Q(paid_on__isnull=False),
                name="payment_request_paid_has_date",
                violation_error_message="En utbetald rekvisition måste ha ett utbetalningsdatum.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[insats_rules.ATTESTED, insats_rules.PAID])
                | Q(attested_at__isnull=False),
                name="payment_request_attested_has_time",
                violation_error_message="En attesterad rekvisition måste ha en tid för attesten.",
            ),
        ]

    def __str__(self):
        return f"Rekvisition {self.year}: {self.amount_kr} kr ({self.insats})"

    @property
    def status_css(self) -> str:
        return {
            insats_rules.ATTESTED: "warn",
            insats_rules.PAID: "ok",
            insats_rules.DENIED: "error",
        }.get(self.status, "")


def report_attachment_path(instance, filename: str) -> str:
    """Store under a random name: the user's file name is kept only for display."""
    return f"rapporter/{instance.insats_id}/{uuid.uuid4().hex}{instance.attachment_extension}"


class Report(models.Model):
    """A lägesrapport or slutrapport the lead party owes by its due date."""

    class Kind(models.TextChoices):
        PROGRESS = insats_rules.PROGRESS, _("Lägesrapport")
        FINAL = insats_rules.FINAL, _("Slutrapport")

    insats = models.ForeignKey(Insats, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("typ av rapport"), max_length=14, choices=Kind.choices)
    due_on = models.DateField(_("ska lämnas senast"))
    text = models.TextField(_("rapport"), blank=True)
    attachment = models.FileField(
        _("bilaga"), upload_to=report_attachment_path, max_length=300, blank=True
    )
    attachment_name = models.CharField(_("bilagans filnamn"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=120, blank=True)
    attachment_extension = models.CharField(max_length=8, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        ordering = ["insats", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(submitted_at__isnull=True) & Q(submitted_by__isnull=True))
                | (Q(submitted_at__isnull=False) & Q(submitted_by__isnull=False) & ~Q(text="")),
                name="report_submission_complete",
                violation_error_message="En inlämnad rapport måste ha text, avsändare och tid.",
            ),
            models.UniqueConstraint(
                fields=["insats", "kind", "due_on"],
                name="report_once_per_kind_and_due_date",
                violation_error_message="Insatsen har redan en sådan rapport med det datumet.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d} – {self.insats}"

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def is_overdue(self, today=None) -> bool:
        return not self.submitted and self.due_on < (today or timezone.localdate())


class ReportReminder(models.Model):
    """A reminder that has gone out about a report; one of each kind per report, never two."""

    class Kind(models.TextChoices):
        BEFORE = insats_rules.REMIND_BEFORE, _("Före sista dag")
        AFTER = insats_rules.REMIND_AFTER, _("Efter sista dag")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("påminnelse"), max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    recipients = models.JSONField(_("mottagare"), default=list)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["report", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind"],
                name="report_reminder_once_per_kind",
                violation_error_message="Påminnelsen är redan skickad.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.report}"
