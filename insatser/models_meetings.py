"""Board meetings (sammanträden), their agenda, jäv, decisions and the justering of the minutes.

Imported by `insatser.models`, so Django sees these as models of the `insatser` app.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules_meetings as rules
from .models import Application

__all__ = [
    "AgendaItem",
    "ConflictOfInterest",
    "Decision",
    "DecisionAmount",
    "Meeting",
    "MinutesSignature",
]


class Meeting(models.Model):
    """A meeting of the board (sammanträde) with its agenda and minutes (protokoll)."""

    class Status(models.TextChoices):
        PLANNED = rules.PLANNED, _("Planerat")
        NOTICE_SENT = rules.NOTICE_SENT, _("Kallelse skickad")
        MINUTES_READY = rules.MINUTES_READY, _("Protokoll för justering")
        APPROVED = rules.APPROVED, _("Protokoll justerat")

    held_on = models.DateField(_("datum"))
    starts_at = models.TimeField(_("klockan"), null=True, blank=True)
    place = models.CharField(_("plats"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    notice_sent_at = models.DateTimeField(_("kallelse skickad"), null=True, blank=True)
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("sekreterare"),
    )
    minutes_ready_at = models.DateTimeField(_("lämnat för justering"), null=True, blank=True)
    approved_at = models.DateTimeField(_("justerat"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=rules.APPROVED, approved_at__isnull=False)
                | (~Q(status=rules.APPROVED) & Q(approved_at__isnull=True)),
                name="meeting_approved_has_time",
                violation_error_message="Ett justerat protokoll måste ha en tid för justeringen.",
            ),
            models.CheckConstraint(
                condition=Q(status=rules.PLANNED) | Q(notice_sent_at__isnull=False),
                name="meeting_called_has_notice_time",
                violation_error_message="Ett kallat sammanträde måste ha en tid för kallelsen.",
            ),
        ]

    def __str__(self):
        return f"Styrelsens sammanträde {self.held_on:%Y-%m-%d}"

    @property
    def status_css(self) -> str:
        return {rules.MINUTES_READY: "warn", rules.APPROVED: "ok"}.get(self.status, "")

    @property
    def agenda_open(self) -> bool:
        return self.status in rules.AGENDA_OPEN_STATES


class AgendaItem(models.Model):
    """An ärende with its paragraph number (§): a proposal, a delegated decision or other."""

    class Kind(models.TextChoices):
        PROPOSAL = "forslag", _("Förslag till beslut")
        DELEGATION_REPORT = "delegation", _("Anmälan av delegationsbeslut")
        OTHER = "ovrigt", _("Övrigt ärende")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveIntegerField(_("§"))
    kind = models.CharField(_("typ av ärende"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="agenda_item",
        null=True,
        blank=True,
        verbose_name=_("ansökan"),
    )
    reported_decision = models.OneToOneField(
        "Decision",
        on_delete=models.PROTECT,
        related_name="reported_at",
        null=True,
        blank=True,
        verbose_name=_("delegationsbeslut"),
    )
    notes = models.TextField(_("protokollsanteckning"), blank=True)

    class Meta:
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="agenda_item_number_unique",
                violation_error_message="Paragrafnumret finns redan på sammanträdet.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="forslag", application__isnull=False, reported_decision__isnull=True)
                    | Q(
                        kind="delegation",
                        application__isnull=True,
                        reported_decision__isnull=False,
                    )
                    | Q(kind="ovrigt", application__isnull=True, reported_decision__isnull=True)
                ),
                name="agenda_item_kind_matches_subject",
                violation_error_message=(
                    "Ett förslag hör till en ansökan och en anmälan till ett delegationsbeslut."
                ),
            ),
        ]

    def __str__(self):
        return f"§ {self.number} {self.title}"


class ConflictOfInterest(models.Model):
    """A board member's declaration of jäv on one ärende: they take no part in it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ledamot/ersättare"),
    )
    reason = models.CharField(_("skäl"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("anmält"), default=timezone.now)

    class Meta:
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        ordering = ["item", "declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "member"],
                name="conflict_once_per_item_and_member",
                violation_error_message="Jävet är redan anmält för ärendet.",
            ),
        ]

    def __str__(self):
        return f"Jäv: {self.member} i {self.item}"


class Decision(models.Model):
    """A decision on an application: beviljas with amounts and conditions, or avslås with reasons.

    Taken by the board at a meeting (then it takes effect when the minutes are justerade) or by
    the förbundschef on delegation (in force at once, and reported at the next meeting).
    """

    class Outcome(models.TextChoices):
        GRANT = rules.GRANT, _("Beviljas")
        REJECT = rules.REJECT, _("Avslås")

    class Status(models.TextChoices):
        PENDING = rules.PENDING, _("Väntar på justering")
        IN_FORCE = rules.IN_FORCE, _("Gäller")
        LAPSED = rules.LAPSED, _("Förfallet")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("ansökan")
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.PROTECT,
        related_name="decision",
        null=True,
        blank=True,
        verbose_name=_("ärende"),
    )
    delegated = models.BooleanField(_("delegationsbeslut"), default=False)
    outcome = models.CharField(_("beslut"), max_length=8, choices=Outcome.choices)
    conditions = models.TextField(_("villkor"), blank=True)
    reasons = models.TextField(_("motivering"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_on = models.DateField(_("beslutsdatum"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("protokollfört av"),
    )
    recorded_at = models.DateTimeField(_("protokollfört"), default=timezone.now)
    in_force_at = models.DateTimeField(_("gäller från"), null=True, blank=True)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delegated=True, agenda_item__isnull=True)
                | Q(delegated=False, agenda_item__isnull=False),
                name="decision_board_or_delegated",
                violation_error_message=(
                    "Ett beslut fattas antingen av styrelsen i ett ärende eller på delegation."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(outcome=rules.REJECT) | ~Q(reasons=""),
                name="decision_rejection_has_reasons",
                violation_error_message="Ett avslag måste motiveras.",
            ),
            models.CheckConstraint(
                condition=~Q(delegated=True, outcome=rules.REJECT),
                name="decision_delegated_only_grants",
                violation_error_message="Förbundschefen beslutar bara beviljanden på delegation.",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status=rules.LAPSED),
                name="decision_once_per_application",
                violation_error_message="Ansökan har redan ett beslut.",
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.application}"

    def clean(self):
        super().clean()
        if self.outcome == rules.REJECT and not self.reasons.strip():
            raise ValidationError({"reasons": "Ett avslag måste motiveras."})

    @property
    def total_kr(self) -> int:
        return sum(amount.amount_kr for amount in self.amounts.all())

    @property
    def status_css(self) -> str:
        if self.status == rules.LAPSED:
            return "error"
        return "ok" if self.outcome == rules.GRANT else "error"


class DecisionAmount(models.Model):
    """The amount granted for one year of the insats."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount_kr = models.BigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("beviljat belopp")
        verbose_name_plural = _("beviljade belopp")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "year"],
                name="decision_amount_once_per_year",
                violation_error_message="Det finns redan ett belopp för det året.",
            ),
            models.CheckConstraint(
                condition=Q(amount_kr__gt=0),
                name="decision_amount_positive",
                violation_error_message="Ett beviljat belopp måste vara större än 0 kr.",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount_kr} kr"


class MinutesSignature(models.Model):
    """Who justerar the minutes: the ordförande and one or two justerare, each for themselves."""

    class Role(models.TextChoices):
        CHAIR = "ordforande", _("Ordförande")
        ADJUSTER = "justerare", _("Justerare")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="signatures")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    role = models.CharField(_("roll"), max_length=12, choices=Role.choices)
    approved_at = models.DateTimeField(_("justerat"), null=True, blank=True)

    class Meta:
        verbose_name = _("justering")
        verbose_name_plural = _("justeringar")
        ordering = ["meeting", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                name="minutes_signature_once_per_person",
                violation_error_message="Personen justerar redan protokollet.",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(role="ordforande"),
                name="minutes_signature_one_chair",
                violation_error_message="Sammanträdet har redan en ordförande.",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.user}"
