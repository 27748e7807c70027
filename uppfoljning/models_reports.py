"""Period reports: what the lead party reports for an insats and a period (aggregates only).

Imported by `uppfoljning.models`, so Django sees these as models of the `uppfoljning` app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forbund.models import Party
from insatser.models import BudgetLine

from . import rules
from .models import Category, CategoryKind
from .validators import validate_no_personnummer

__all__ = ["Activity", "ActivityAttendance", "ActualCost", "ParticipantCount", "PeriodReport"]


class PeriodReport(models.Model):
    """One insats's follow-up for one period: participants, activities and actual costs."""

    class Status(models.TextChoices):
        DRAFT = rules.DRAFT, _("Utkast")
        SUBMITTED = rules.SUBMITTED, _("Inskickad")
        RETURNED = rules.RETURNED, _("Återskickad för rättelse")
        APPROVED = rules.APPROVED, _("Godkänd")

    insats = models.ForeignKey(
        "insatser.Insats",
        on_delete=models.PROTECT,
        related_name="period_reports",
        verbose_name=_("insats"),
    )
    period_length = models.CharField(
        _("periodlängd"), max_length=10, choices=rules.PeriodLength.choices
    )
    year = models.PositiveSmallIntegerField(_("år"))
    number = models.PositiveSmallIntegerField(_("period"))
    # Denormalised from the period for ordering and for finding the report of the day before.
    starts_on = models.DateField(_("periodens start"))
    ends_on = models.DateField(_("periodens slut"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    participants_start = models.PositiveIntegerField(
        _("deltagare vid periodens start"), null=True, blank=True
    )
    participants_new = models.PositiveIntegerField(_("nya deltagare"), null=True, blank=True)
    participants_ended = models.PositiveIntegerField(
        _("avslutade deltagare"), null=True, blank=True
    )
    participants_end = models.PositiveIntegerField(
        _("deltagare vid periodens slut"), null=True, blank=True
    )
    comment = models.TextField(
        _("kommentar"),
        blank=True,
        validators=[validate_no_personnummer],
        help_text=_("Det som behövs för att förstå siffrorna. Inga uppgifter om enskilda."),
    )
    office_comment = models.TextField(
        _("kansliets kommentar"), blank=True, validators=[validate_no_personnummer]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    updated_at = models.DateTimeField(_("senast ändrad"), default=timezone.now)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodrapport")
        verbose_name_plural = _("periodrapporter")
        ordering = ["insats", "starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["insats", "year", "number", "period_length"],
                name="period_report_once_per_period",
                violation_error_message="Insatsen har redan en rapport för den perioden.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="period_report_dates_in_order",
                violation_error_message="Periodens slut ligger före dess start.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=rules.EDITABLE_STATES)
                | Q(participants_end__isnull=True)
                | Q(
                    participants_end=F("participants_start")
                    + F("participants_new")
                    - F("participants_ended")
                ),
                name="period_report_participant_flow",
                violation_error_message=(
                    "Deltagare vid periodens slut ska vara start + nya − avslutade."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=list(rules.REPORT_STATE_LABELS)),
                name="period_report_status_known",
                violation_error_message="Okänd status för periodrapporten.",
            ),
            models.CheckConstraint(
                condition=Q(period_length__in=rules.PeriodLength.values),
                name="period_report_length_known",
                violation_error_message="Okänd periodlängd.",
            ),
        ]

    def __str__(self):
        return f"{self.period.label} – {self.insats}"

    @property
    def period(self) -> rules.Period:
        return rules.Period(self.year, self.number, self.period_length)

    @property
    def editable(self) -> bool:
        return self.status in rules.EDITABLE_STATES

    @property
    def status_css(self) -> str:
        return {
            rules.SUBMITTED: "warn",
            rules.RETURNED: "error",
            rules.APPROVED: "ok",
        }.get(self.status, "")

    def clean(self):
        super().clean()
        if self.year and self.number and self.period_length:
            try:
                period = self.period
            except ValueError as error:
                raise ValidationError({"number": str(error)}) from None
            if (self.starts_on, self.ends_on) != (period.start, period.end):
                raise ValidationError("Datumen stämmer inte med perioden.")
        flow = [
            self.participants_start,
            self.participants_new,
            self.participants_ended,
            self.participants_end,
        ]
        if self.status not in rules.EDITABLE_STATES and None not in flow:
            problems = rules.check_participant_flow(*flow, period=self.period)
            if problems:
                raise ValidationError(problems)


class ParticipantCount(models.Model):
    """How many of a report's new (or ended) participants fall in one category."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="counts")
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("kategori")
    )
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        verbose_name = _("antal per kategori")
        verbose_name_plural = _("antal per kategori")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "category"],
                name="participant_count_once_per_category",
                violation_error_message="Rapporten har redan ett antal för den kategorin.",
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.count}"


class Activity(models.Model):
    """An activity of a strukturövergripande insats: a training day, a network meeting, ..."""

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="activities")
    kind = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": CategoryKind.ACTIVITY_KIND},
        verbose_name=_("typ av aktivitet"),
    )
    held_on = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("längd i minuter"))
    description = models.CharField(
        _("beskrivning"), max_length=200, blank=True, validators=[validate_no_personnummer]
    )

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["report", "held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=15) & Q(minutes__lte=24 * 60),
                name="activity_length_plausible",
                violation_error_message="En aktivitet är mellan 15 minuter och 24 timmar lång.",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.held_on:%Y-%m-%d}"

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def clean(self):
        super().clean()
        report = getattr(self, "report", None)
        if report is not None and self.held_on and not report.period.contains(self.held_on):
            raise ValidationError(
                {"held_on": f"{self.held_on:%Y-%m-%d} ligger utanför {report.period.long_label}."}
            )


class ActivityAttendance(models.Model):
    """How many people from one party took part in an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    attendees = models.PositiveIntegerField(_("antal deltagare"))

    class Meta:
        verbose_name = _("deltagare från part")
        verbose_name_plural = _("deltagare från parter")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "party"],
                name="activity_attendance_once_per_party",
                violation_error_message="Aktiviteten har redan ett antal för den parten.",
            ),
        ]

    def __str__(self):
        return f"{self.party}: {self.attendees}"


class ActualCost(models.Model):
    """The actual cost (utfall) in one budget cost category for a report's period."""

    Category = BudgetLine.Category

    report = models.ForeignKey(PeriodReport, on_delete=models.CASCADE, related_name="costs")
    category = models.CharField(
        _("kostnadsslag"), max_length=16, choices=BudgetLine.Category.choices
    )
    amount_kr = models.BigIntegerField(_("utfall (kr)"))

    class Meta:
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["report", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "category"],
                name="actual_cost_once_per_category",
                violation_error_message="Rapporten har redan ett utfall för det kostnadsslaget.",
            ),
            models.CheckConstraint(
                condition=Q(amount_kr__gte=0),
                name="actual_cost_not_negative",
                violation_error_message="Utfallet kan inte vara negativt.",
            ),
            models.CheckConstraint(
                condition=Q(category__in=BudgetLine.Category.values),
                name="actual_cost_category_known",
                violation_error_message="Okänt kostnadsslag.",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.amount_kr} kr"
