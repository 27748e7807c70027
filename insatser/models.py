"""Joint applications (ansökningar om medel) and their preparation (beredning).

An `Application` is written by staff of its lead party (huvudman) together with co-applying
parties (`CoApplicant`, medsökande) that each confirm their part. On submission it gets a
case number (diarienummer) from `CaseNumberCounter` and its content is kept as an
`ApplicationVersion`. The kansli prepares it and writes a `Proposal` (förslag till beslut), which
the board decisions build on.
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


class Application(models.Model):
    """An application for money for a samordnad rehabiliteringsinsats (ansökan om medel)."""

    class Status(models.TextChoices):
        DRAFT = rules.DRAFT, _("Utkast")
        SUBMITTED = rules.SUBMITTED, _("Inskickad")
        IN_PREPARATION = rules.IN_PREPARATION, _("Under beredning")
        COMPLETION_REQUESTED = rules.COMPLETION_REQUESTED, _("Komplettering begärd")
        PROPOSED = rules.PROPOSED, _("Förslag till beslut")
        GRANTED = rules.GRANTED, _("Beviljad")
        REJECTED = rules.REJECTED, _("Avslagen")
        WITHDRAWN = rules.WITHDRAWN, _("Återtagen")

    class Kind(models.TextChoices):
        INDIVIDUAL = rules.INDIVIDUAL, _("Individinriktad")
        STRUCTURAL = rules.STRUCTURAL, _("Strukturövergripande")

    lead_party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="led_applications",
        verbose_name=_("huvudman"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    title = models.CharField(_("namn på insatsen"), max_length=200)
    kind = models.CharField(_("typ av insats"), max_length=16, choices=Kind.choices)
    background = models.TextField(_("bakgrund och behov"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    goals = models.TextField(_("mätbara mål"), blank=True)
    target_group = models.TextField(_("målgrupp"), blank=True)
    planned_participants = models.PositiveIntegerField(
        _("planerat antal deltagare"), null=True, blank=True
    )
    method = models.TextField(_("metod och aktiviteter"), blank=True)
    starts_on = models.DateField(_("startdatum"), null=True, blank=True)
    ends_on = models.DateField(_("slutdatum"), null=True, blank=True)
    follow_up_plan = models.TextField(_("uppföljning och utvärdering"), blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)

    case_year = models.PositiveSmallIntegerField(_("diarieår"), null=True, blank=True)
    case_seq = models.PositiveIntegerField(_("löpnummer"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("först inskickad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="application_period_in_order",
                violation_error_message="Slutdatum ligger före startdatum.",
            ),
            models.CheckConstraint(
                condition=(Q(case_year__isnull=True) & Q(case_seq__isnull=True))
                | (Q(case_year__isnull=False) & Q(case_seq__isnull=False)),
                name="application_case_number_complete",
                violation_error_message="Diarienumret måste ha både år och löpnummer.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[rules.DRAFT, rules.WITHDRAWN]) | Q(case_seq__isnull=False),
                name="application_submitted_has_case_number",
                violation_error_message="En inskickad ansökan måste ha ett diarienummer.",
            ),
            models.UniqueConstraint(
                fields=["case_year", "case_seq"],
                name="application_case_number_unique",
                violation_error_message="Diarienumret är redan använt.",
            ),
        ]

    def __str__(self):
        if self.case_number:
            return f"{self.case_number} {self.title}"
        return self.title

    @property
    def case_number(self) -> str:
        """Return the diarienummer, `2026-014`, or "" before submission."""
        if self.case_seq is None:
            return ""
        return rules.format_case_number(self.case_year, self.case_seq)

    @property
    def was_submitted(self) -> bool:
        return self.case_seq is not None

    @property
    def status_css(self) -> str:
        """Return the modifier of the status badge (`status--ok` …) for this state."""
        return {
            rules.COMPLETION_REQUESTED: "warn",
            rules.PROPOSED: "ok",
            rules.GRANTED: "ok",
            rules.REJECTED: "error",
        }.get(self.status, "")

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Slutdatum ligger före startdatum."})

    def period_years(self) -> list[int]:
        if not (self.starts_on and self.ends_on):
            return []
        return list(range(self.starts_on.year, self.ends_on.year + 1))


class CaseNumberCounter(models.Model):
    """The last diarienummer handed out in one year; its row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    last_number = models.PositiveIntegerField(_("senaste löpnummer"), default=0)

    class Meta:
        verbose_name = _("diarieräknare")
        verbose_name_plural = _("diarieräknare")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class CoApplicant(models.Model):
    """A co-applying party (medsökande) and its answer to the invitation."""

    class Status(models.TextChoices):
        INVITED = rules.INVITED, _("Inbjuden, inte besvarad")
        CONFIRMED = rules.CONFIRMED, _("Bekräftad")
        DECLINED = rules.DECLINED, _("Avböjd")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_applicants"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="co_applications", verbose_name=_("part")
    )
    status = models.CharField(
        _("svar"), max_length=12, choices=Status.choices, default=Status.INVITED
    )
    comment = models.TextField(_("kommentar"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("inbjuden"), default=timezone.now)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("besvarad av"),
    )
    responded_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        verbose_name = _("medsökande")
        verbose_name_plural = _("medsökande")
        ordering = ["party__kind", "party__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "party"],
                name="co_applicant_once_per_application",
                violation_error_message="Parten är redan inbjuden till ansökan.",
            ),
            models.CheckConstraint(
                condition=Q(status=rules.INVITED) | Q(responded_at__isnull=False),
                name="co_applicant_answer_has_time",
                violation_error_message="Ett svar måste ha en tidpunkt.",
            ),
        ]

    def __str__(self):
        return f"{self.party} ({self.get_status_display().lower()})"

    def clean(self):
        super().clean()
        if self.application_id and self.party_id == self.application.lead_party_id:
            raise ValidationError({"party": "Huvudmannen kan inte också vara medsökande."})


class BudgetLine(models.Model):
    """One line of the budget: a year, a cost category, what it is for and whole kronor."""

    class Category(models.TextChoices):
        STAFF = "personal", _("Personal")
        PREMISES = "lokaler", _("Lokaler")
        MATERIAL = "material", _("Material")
        TRAINING = "utbildning", _("Utbildning")
        SERVICES = "kopta_tjanster", _("Köpta tjänster")
        OTHER = "ovrigt", _("Övrigt")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    category = models.CharField(_("kostnadsslag"), max_length=16, choices=Category.choices)
    description = models.CharField(_("beskrivning"), max_length=200)
    amount_kr = models.BigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["year", "category", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_kr__gte=0),
                name="budget_line_amount_not_negative",
                violation_error_message="Beloppet kan inte vara negativt.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="budget_line_year_plausible",
                violation_error_message="Året måste ligga mellan 2000 och 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.get_category_display()}: {self.description}"

    @property
    def benefit_warning(self) -> str:
        """Return why this line may be an individual benefit the förbund may not pay, or ""."""
        return rules.individual_benefit_warning(self.description)


class CoFunding(models.Model):
    """A party's own contribution (medfinansiering), in money or in kind, valued in kronor."""

    class Kind(models.TextChoices):
        MONEY = "pengar", _("Pengar")
        IN_KIND = "natura", _("I annan form (personal, lokaler …)")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="co_funding"
    )
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="+", verbose_name=_("part")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("form"), max_length=8, choices=Kind.choices)
    description = models.CharField(_("beskrivning"), max_length=200)
    amount_kr = models.BigIntegerField(_("värde (kr)"))

    class Meta:
        verbose_name = _("medfinansiering")
        verbose_name_plural = _("medfinansiering")
        ordering = ["year", "party__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_kr__gte=0),
                name="co_funding_amount_not_negative",
                violation_error_message="Värdet kan inte vara negativt.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="co_funding_year_plausible",
                violation_error_message="Året måste ligga mellan 2000 och 2100.",
            ),
        ]

    def __str__(self):
        return f"{self.party} {self.year}: {self.description}"


def attachment_path(instance, filename: str) -> str:
    """Store under a random name: the user's file name is kept only for display."""
    return f"ansokningar/{instance.application_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A file attached to an application, stored by the default storage and never public."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=120)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__lte=rules.MAX_ATTACHMENT_BYTES),
                name="attachment_at_most_10_mb",
                violation_error_message="En bilaga får vara högst 10 MB.",
            ),
        ]

    def __str__(self):
        return self.original_name


class ApplicationVersion(models.Model):
    """The content of an application as it was submitted (version 1) or resubmitted (2, 3 …)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("innehåll"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("sparad"), default=timezone.now)

    class Meta:
        verbose_name = _("version av ansökan")
        verbose_name_plural = _("versioner av ansökan")
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"],
                name="application_version_unique_number",
                violation_error_message="Versionen finns redan.",
            ),
        ]

    def __str__(self):
        return f"{self.application} version {self.number}"


class Comment(models.Model):
    """A comment on a submitted application, by the kansli or by the applying parties."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"))
    created_at = models.DateTimeField(_("skriven"), default=timezone.now)

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class CompletionRequest(models.Model):
    """The kansli's questions back to the applicant (begäran om komplettering) and the answer."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="completion_requests"
    )
    questions = models.TextField(_("frågor"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    answer = models.TextField(_("svar"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)

    class Meta:
        verbose_name = _("begäran om komplettering")
        verbose_name_plural = _("begäranden om komplettering")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answer=""))
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="completion_answer_has_time",
                violation_error_message="Ett svar på kompletteringen måste ha text och tidpunkt.",
            ),
        ]

    def __str__(self):
        return f"Komplettering {self.requested_at:%Y-%m-%d}"


class Proposal(models.Model):
    """The kansli's förslag till beslut (tjänsteutlåtande) for the board."""

    class Recommendation(models.TextChoices):
        GRANT = "bevilja", _("Bevilja")
        REJECT = "avsla", _("Avslå")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="proposal"
    )
    recommendation = models.CharField(_("förslag"), max_length=8, choices=Recommendation.choices)
    reasoning = models.TextField(_("motivering"))
    conditions = models.TextField(_("villkor"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(_("skrivet"), default=timezone.now)

    class Meta:
        verbose_name = _("förslag till beslut")
        verbose_name_plural = _("förslag till beslut")

    def __str__(self):
        return f"Förslag: {self.get_recommendation_display()} – {self.application}"

    @property
    def total_kr(self) -> int:
        return sum(amount.amount_kr for amount in self.amounts.all())


class ProposalAmount(models.Model):
    """The amount proposed for one year of the insats."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("år"))
    amount_kr = models.BigIntegerField(_("belopp (kr)"))

    class Meta:
        verbose_name = _("föreslaget belopp")
        verbose_name_plural = _("föreslagna belopp")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "year"],
                name="proposal_amount_once_per_year",
                violation_error_message="Det finns redan ett belopp för det året.",
            ),
            models.CheckConstraint(
                condition=Q(amount_kr__gte=0),
                name="proposal_amount_not_negative",
                violation_error_message="Beloppet kan inte vara negativt.",
            ),
        ]

    def __str__(self):
        return f"{self.year}: {self.amount_kr} kr"


# Board meetings, decisions and granted insatser live in their own modules.
from .models_meetings import *  # noqa: E402, F401, F403, I001
from .models_insats import *  # noqa: E402, F401, F403, I001
