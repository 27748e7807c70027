from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .. import rules
from .organisation import Party


class BudgetYear(models.Model):
    """A budget year (budgetår): the state allocation, the key, and the kansli's own budget.

    The total funding is twice the state allocation: the state pays half through
    Försäkringskassan, the regions together a quarter and the kommuner together a quarter.
    """

    class Key(models.TextChoices):
        POPULATION = "population", _("Befolkning (invånare 31/12 året före)")
        FIXED = "fixed", _("Fasta andelar per part")

    year = models.PositiveSmallIntegerField(_("år"))
    state_allocation_kr = models.BigIntegerField(
        _("statlig tilldelning (kr)"),
        help_text=_("Statens del, som betalas via Försäkringskassan. Totalen är det dubbla."),
    )
    key = models.CharField(
        _("fördelningsnyckel"), max_length=12, choices=Key.choices, default=Key.POPULATION
    )
    other_income_kr = models.BigIntegerField(_("övriga intäkter (kr)"), default=0)
    equity_brought_in_kr = models.BigIntegerField(
        _("eget kapital från föregående år (kr)"), default=0
    )
    board_cost_kr = models.BigIntegerField(_("styrelse (kr)"), default=0)
    administration_cost_kr = models.BigIntegerField(_("administration (kr)"), default=0)
    audit_cost_kr = models.BigIntegerField(_("revision (kr)"), default=0)
    equity_at_year_end_kr = models.BigIntegerField(
        _("eget kapital vid årets slut (kr)"),
        null=True,
        blank=True,
        help_text=_("Fylls i när året är bokslutat."),
    )

    class Meta:
        verbose_name = _("budgetår")
        verbose_name_plural = _("budgetår")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="budget_year_unique",
                violation_error_message="Det finns redan en budget för det året.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="budget_year_plausible",
                violation_error_message="Året måste ligga mellan 2000 och 2100.",
            ),
            models.CheckConstraint(
                condition=Q(state_allocation_kr__gte=0),
                name="budget_year_state_allocation_not_negative",
                violation_error_message="Den statliga tilldelningen kan inte vara negativ.",
            ),
            models.CheckConstraint(
                condition=Q(other_income_kr__gte=0),
                name="budget_year_other_income_not_negative",
                violation_error_message="Övriga intäkter kan inte vara negativa.",
            ),
            models.CheckConstraint(
                condition=Q(board_cost_kr__gte=0)
                & Q(administration_cost_kr__gte=0)
                & Q(audit_cost_kr__gte=0),
                name="budget_year_office_costs_not_negative",
                violation_error_message="Kansliets budgetposter kan inte vara negativa.",
            ),
        ]

    def __str__(self):
        return f"Budgetår {self.year}"

    @property
    def total_kr(self) -> int:
        """The year's funding from the members: twice the state allocation."""
        return 2 * self.state_allocation_kr

    @property
    def office_costs_kr(self) -> int:
        """The kansli's own budget: styrelse, administration and revision."""
        return self.board_cost_kr + self.administration_cost_kr + self.audit_cost_kr

    @property
    def money_available_kr(self) -> int:
        return rules.money_available(
            contributions_kr=self.total_kr,
            other_income_kr=self.other_income_kr,
            equity_brought_in_kr=self.equity_brought_in_kr,
            office_costs_kr=self.office_costs_kr,
        )


class KeyShare(models.Model):
    """A kommun's or region's fixed share of its group's quarter, for years with a fixed key."""

    budget_year = models.ForeignKey(
        BudgetYear, on_delete=models.CASCADE, related_name="key_shares", verbose_name=_("budgetår")
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="key_shares", verbose_name=_("part")
    )
    share = models.PositiveIntegerField(
        _("andel (hundradels procent)"), help_text=_("10 000 betyder 100 %.")
    )

    class Meta:
        verbose_name = _("fast andel")
        verbose_name_plural = _("fasta andelar")
        ordering = ["budget_year", "party__kind", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "party"],
                name="key_share_unique_per_party_and_year",
                violation_error_message="Parten har redan en andel det året.",
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=rules.FULL_SHARE),
                name="key_share_between_0_and_100_percent",
                violation_error_message="En andel ligger mellan 0 och 100 %%.",
            ),
        ]

    def __str__(self):
        return f"{self.party} {self.budget_year.year}: {rules.format_share(self.share)}"

    def clean(self):
        if self.party_id and not self.party.has_population:
            raise ValidationError(
                {"party": "Fasta andelar gäller bara kommuner och regioner."},
                code="key_share_party_kind",
            )


class Contribution(models.Model):
    """A member's contribution (medlemsbidrag) for a year, and what has been invoiced and paid."""

    class Status(models.TextChoices):
        NOT_INVOICED = "not_invoiced", _("Ej fakturerad")
        INVOICED = "invoiced", _("Fakturerad, ej betald")
        PART_PAID = "part_paid", _("Delvis betald")
        PAID = "paid", _("Betald")

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("budgetår"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("part")
    )
    amount_kr = models.BigIntegerField(_("bidrag (kr)"))
    invoiced_on = models.DateField(_("fakturerat"), null=True, blank=True)
    paid_on = models.DateField(_("betalt"), null=True, blank=True)
    paid_kr = models.BigIntegerField(_("betalt belopp (kr)"), default=0)

    class Meta:
        verbose_name = _("medlemsbidrag")
        verbose_name_plural = _("medlemsbidrag")
        ordering = ["budget_year", "party__kind", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_year", "party"],
                name="contribution_unique_per_party_and_year",
                violation_error_message="Parten har redan ett medlemsbidrag det året.",
            ),
            models.CheckConstraint(
                condition=Q(amount_kr__gte=0),
                name="contribution_amount_not_negative",
                violation_error_message="Bidraget kan inte vara negativt.",
            ),
            models.CheckConstraint(
                condition=Q(paid_kr__gte=0) & Q(paid_kr__lte=F("amount_kr")),
                name="contribution_paid_within_amount",
                violation_error_message=(
                    "Betalt belopp måste ligga mellan 0 kr och bidragets belopp."
                ),
            ),
            models.CheckConstraint(
                condition=Q(paid_kr=0, paid_on__isnull=True)
                | Q(paid_kr__gt=0, paid_on__isnull=False),
                name="contribution_paid_amount_has_date",
                violation_error_message=(
                    "Ange både betalningsdatum och betalt belopp, eller inget av dem."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.party} {self.budget_year.year}"

    def clean(self):
        if self.party_id and self.party.kind == Party.Kind.AF:
            raise ValidationError(
                {
                    "party": "Arbetsförmedlingen betalar inget eget medlemsbidrag; statens "
                    "hälft betalas via Försäkringskassan."
                },
                code="contribution_party_kind",
            )
        if self.paid_on and self.invoiced_on and self.paid_on < self.invoiced_on:
            raise ValidationError(
                {"paid_on": "Betalningsdatumet ligger före fakturadatumet."},
                code="contribution_paid_before_invoiced",
            )

    @property
    def outstanding_kr(self) -> int:
        return self.amount_kr - self.paid_kr

    @property
    def status(self) -> str:
        if self.amount_kr and self.paid_kr >= self.amount_kr:
            return self.Status.PAID
        if self.paid_kr:
            return self.Status.PART_PAID
        if self.invoiced_on:
            return self.Status.INVOICED
        if self.amount_kr == 0:
            return self.Status.PAID
        return self.Status.NOT_INVOICED

    def get_status_display(self) -> str:
        return self.Status(self.status).label
