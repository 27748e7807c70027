from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rules import PeriodLength
from .validators import validate_no_personnummer


class CategoryKind(models.TextChoices):
    """The category lists."""

    GENDER = "gender", _("Kön")
    AGE_GROUP = "age_group", _("Åldersgrupp")
    SUPPORT_AT_START = "support_at_start", _("Huvudsaklig försörjning vid start")
    STATUS_AFTER = "status_after", _("Status efter avslutad insats")
    ACTIVITY_KIND = "activity_kind", _("Typ av aktivitet i strukturövergripande insatser")


class Category(models.Model):
    """One entry in a category list the follow-up counts by (kön, age group, ...).

    The lists are data so a förbund can adapt them; the defaults come from the national
    follow-up's practice. A category is never deleted once created, only made inactive, so
    figures reported against it keep their meaning.
    """

    Kind = CategoryKind

    kind = models.CharField(_("lista"), max_length=20, choices=Kind.choices)
    code = models.SlugField(
        _("kod"),
        max_length=40,
        help_text=_("Kort kod som används i import och export. Kan inte ändras senare."),
    )
    label = models.CharField(_("benämning"), max_length=100, validators=[validate_no_personnummer])
    order = models.PositiveSmallIntegerField(
        _("ordning"), default=100, help_text=_("Lägre tal visas först.")
    )
    active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_(
            "Inaktiva kategorier visas i det som redan rapporterats men går inte att välja."
        ),
    )

    class Meta:
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")
        ordering = ["kind", "order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                name="category_code_unique_per_list",
                violation_error_message="Det finns redan en kategori med den koden i listan.",
            ),
            models.UniqueConstraint(
                fields=["kind", "label"],
                name="category_label_unique_per_list",
                violation_error_message="Det finns redan en kategori med den benämningen i listan.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CategoryKind.values),
                name="category_kind_known",
                violation_error_message="Okänd kategorilista.",
            ),
            models.CheckConstraint(
                condition=~Q(label=""),
                name="category_label_not_empty",
                violation_error_message="Kategorin behöver en benämning.",
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="category_code_not_empty",
                violation_error_message="Kategorin behöver en kod.",
            ),
        ]

    def __str__(self):
        return self.label


class FollowUpSettings(models.Model):
    """The förbund-wide settings of the follow-up; there is exactly one row (id 1)."""

    SINGLETON_ID = 1

    period_length = models.CharField(
        _("rapportperiod"),
        max_length=10,
        choices=PeriodLength.choices,
        default=PeriodLength.TERTIAL,
        help_text=_("Hur ofta huvudmannen rapporterar deltagare och kostnader."),
    )

    class Meta:
        verbose_name = _("inställningar för uppföljningen")
        verbose_name_plural = _("inställningar för uppföljningen")
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="followup_settings_single_row",
                violation_error_message=(
                    "Det finns bara en uppsättning inställningar för uppföljningen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_length__in=PeriodLength.values),
                name="followup_settings_period_length_known",
                violation_error_message="Okänd periodlängd.",
            ),
        ]

    def __str__(self):
        return str(_("Inställningar för uppföljningen"))

    @classmethod
    def load(cls) -> "FollowUpSettings":
        """Return the settings row, creating it with the defaults if it is missing."""
        settings, _created = cls.objects.get_or_create(pk=cls.SINGLETON_ID)
        return settings


from .models_reports import *  # noqa: E402, F401, F403, I001
