from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-postadress krävs.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: kansli, board member, party staff or auditor (or several)."""

    email = models.EmailField(_("e-postadress"), unique=True)
    name = models.CharField(_("namn"), max_length=200)
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(_("får använda admin"), default=False)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["name", "email"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


class Forbund(models.Model):
    """The samordningsförbund itself; one per installation."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
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


class Party(models.Model):
    """A member of the förbund (part/medlem)."""

    class Kind(models.TextChoices):
        FK = "FK", _("Försäkringskassan")
        AF = "AF", _("Arbetsförmedlingen")
        REGION = "REGION", _("Region")
        KOMMUN = "KOMMUN", _("Kommun")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    member_from = models.DateField(_("medlem från"))
    member_to = models.DateField(_("medlem till"), null=True, blank=True)

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
        ]

    def __str__(self):
        return self.name


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
