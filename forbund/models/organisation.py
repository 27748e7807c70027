from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import rules
from .accounts import User


class Forbund(models.Model):
    """The samordningsförbund itself; one per installation."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[rules.validate_org_number],
        help_text=_("Tio siffror, till exempel 222000-1230."),
    )
    address = models.TextField(_("adress"), blank=True)
    seat = models.CharField(_("säte"), max_length=100, blank=True)
    delegation_limit_kr = models.BigIntegerField(
        _("delegationsgräns för förbundschefen (kr)"), default=0
    )
    equity_warning_percent = models.PositiveSmallIntegerField(
        _("varningsgräns för eget kapital (%)"), default=20
    )
    logo = models.ImageField(_("logotyp"), upload_to="forbund/", blank=True)

    class Meta:
        verbose_name = _("förbund")
        verbose_name_plural = _("förbund")
        constraints = [
            models.CheckConstraint(
                condition=Q(delegation_limit_kr__gte=0),
                name="forbund_delegation_limit_not_negative",
                violation_error_message="Delegationsgränsen kan inte vara negativ.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.org_number = rules.normalize_org_number(self.org_number)


class PartyQuerySet(models.QuerySet):
    def members_on(self, day: date):
        """Return the parties that are members on `day`."""
        return self.filter(Q(member_to__isnull=True) | Q(member_to__gte=day), member_from__lte=day)

    def members_in(self, year: int):
        """Return the parties that are members at some time during `year`."""
        return self.filter(
            Q(member_to__isnull=True) | Q(member_to__gte=date(year, 1, 1)),
            member_from__lte=date(year, 12, 31),
        )


class Party(models.Model):
    """A member of the förbund (part/medlem)."""

    class Kind(models.TextChoices):
        FK = "FK", _("Försäkringskassan")
        AF = "AF", _("Arbetsförmedlingen")
        REGION = "REGION", _("Region")
        KOMMUN = "KOMMUN", _("Kommun")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    org_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        validators=[rules.validate_org_number],
        help_text=_("Tio siffror, till exempel 212000-1934."),
    )
    member_from = models.DateField(_("medlem från"))
    member_to = models.DateField(_("medlem till"), null=True, blank=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parter")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_to__isnull=True) | Q(member_to__gte=models.F("member_from")),
                name="party_membership_dates_in_order",
                violation_error_message="Slutdatum för medlemskapet ligger före startdatum.",
            ),
            models.UniqueConstraint(
                fields=["org_number"],
                condition=~Q(org_number=""),
                name="party_org_number_unique",
                violation_error_message="Det finns redan en part med det organisationsnumret.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.org_number = rules.normalize_org_number(self.org_number)

    @property
    def has_population(self) -> bool:
        """Kommuner and regions share their quarter by population; FK and AF have none."""
        return self.kind in (self.Kind.KOMMUN, self.Kind.REGION)

    def is_member_in(self, year: int) -> bool:
        return self.member_from <= date(year, 12, 31) and (
            self.member_to is None or self.member_to >= date(year, 1, 1)
        )


class Population(models.Model):
    """A kommun's or region's population (invånare) on 31 December the year before `year`."""

    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="populations", verbose_name=_("part")
    )
    year = models.PositiveSmallIntegerField(
        _("budgetår"), help_text=_("Året befolkningstalet används för (invånare 31/12 året före).")
    )
    inhabitants = models.PositiveIntegerField(_("invånare"))

    class Meta:
        verbose_name = _("befolkning")
        verbose_name_plural = _("befolkning")
        ordering = ["-year", "party__kind", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "year"],
                name="population_unique_per_party_and_year",
                violation_error_message="Parten har redan ett befolkningstal för det året.",
            ),
            models.CheckConstraint(
                condition=Q(inhabitants__gt=0),
                name="population_positive",
                violation_error_message="Invånarantalet måste vara större än noll.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="population_year_plausible",
                violation_error_message="Året måste ligga mellan 2000 och 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.party} {self.year}: {self.inhabitants} invånare"

    def clean(self):
        if self.party_id and not self.party.has_population:
            raise ValidationError(
                {"party": "Befolkning anges bara för kommuner och regioner."},
                code="population_party_kind",
            )


class MandatePeriod(models.Model):
    """A term of office for the board (mandatperiod), usually four years."""

    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"))

    class Meta:
        verbose_name = _("mandatperiod")
        verbose_name_plural = _("mandatperioder")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="mandate_period_dates_in_order",
                violation_error_message="Mandatperiodens slut måste ligga efter dess start.",
            ),
        ]

    def __str__(self):
        return f"{self.starts_on.year}–{self.ends_on.year}"


class BoardSeat(models.Model):
    """A seat on the board (styrelse) held by one person for one party."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Ledamot")
        DEPUTY = "deputy", _("Ersättare")

    class Office(models.TextChoices):
        NONE = "", _("–")
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")

    mandate_period = models.ForeignKey(
        MandatePeriod,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name=_("mandatperiod"),
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("part")
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="board_seats", verbose_name=_("person")
    )
    kind = models.CharField(_("uppdrag"), max_length=10, choices=Kind.choices)
    office = models.CharField(_("funktion"), max_length=12, choices=Office.choices, blank=True)
    starts_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        verbose_name = _("styrelseplats")
        verbose_name_plural = _("styrelseplatser")
        ordering = ["party__kind", "party__name", "kind", "user__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="board_seat_dates_in_order",
                violation_error_message="Uppdragets slutdatum ligger före startdatum.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="deputy") | Q(office=""),
                name="board_seat_officer_is_member",
                violation_error_message="Ordförande och vice ordförande måste vara ledamöter.",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_kind_display()}, {self.party})"


class RoleAssignment(models.Model):
    """A role that is not a board seat: kansli, party staff (partshandläggare) or auditor."""

    class Role(models.TextChoices):
        OFFICE = "office", _("Förbundschef/kansli")
        PARTY_STAFF = "party_staff", _("Partshandläggare")
        AUDITOR = "auditor", _("Revisor")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("person")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("part"),
        help_text=_("Den part personen arbetar för (partshandläggare) eller som utsett revisorn."),
    )
    valid_from = models.DateField(_("från"), default=timezone.localdate)
    valid_to = models.DateField(_("till"), null=True, blank=True)

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        ordering = ["user__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role="office") & Q(party__isnull=True))
                | (~Q(role="office") & Q(party__isnull=False)),
                name="role_party_matches_role",
                violation_error_message=(
                    "Partshandläggare och revisorer hör till en part; kansliet gör det inte."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_dates_in_order",
                violation_error_message="Rollens slutdatum ligger före startdatum.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "party", "valid_from"],
                name="role_unique_per_start",
                violation_error_message="Personen har redan den rollen från det datumet.",
            ),
        ]

    def __str__(self):
        if self.party_id:
            return f"{self.get_role_display()} ({self.party})"
        return self.get_role_display()
