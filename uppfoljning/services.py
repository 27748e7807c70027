"""Every write in the follow-up that matters goes through here, with an audit event."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from finsam.audit import log

from . import rules
from .models import Category, FollowUpSettings

EDITABLE_CATEGORY_FIELDS = ("label", "order", "active")


@transaction.atomic
def category_create(*, kind: str, code: str, label: str, order: int, by) -> Category:
    """Add a category to a list; it is active at once."""
    category = Category(kind=kind, code=code, label=label.strip(), order=order, active=True)
    category.full_clean()
    category.save()
    log(
        category,
        "category.created",
        actor=by,
        data={"kind": kind, "code": code, "label": category.label, "order": order},
    )
    return category


@transaction.atomic
def category_update(*, category: Category, label: str, order: int, active: bool, by) -> Category:
    """Change a category's label, order or active flag; a list keeps one active category.

    The code never changes: imports and exports rely on it.
    """
    locked = Category.objects.select_for_update().get(pk=category.pk)
    before = {field: getattr(locked, field) for field in EDITABLE_CATEGORY_FIELDS}
    if locked.active and not active:
        # Lock the whole list so two people cannot each deactivate the last-but-one category.
        active_others = (
            Category.objects.select_for_update()
            .filter(kind=locked.kind, active=True)
            .exclude(pk=locked.pk)
            .count()
        )
        problems = rules.check_list_keeps_an_active_category(
            locked.get_kind_display(), active_others
        )
        if problems:
            raise ValidationError({"active": problems})
    locked.label, locked.order, locked.active = label.strip(), order, active
    locked.full_clean()
    after = {field: getattr(locked, field) for field in EDITABLE_CATEGORY_FIELDS}
    changed = {
        field: [before[field], after[field]] for field in after if before[field] != after[field]
    }
    if not changed:
        return locked
    locked.save(update_fields=list(changed))
    log(locked, "category.updated", actor=by, data={"changed": changed})
    return locked


@transaction.atomic
def followup_settings_update(*, period_length: str, by) -> FollowUpSettings:
    """Choose how the year is cut into reporting periods (tertial or month)."""
    settings = FollowUpSettings.load()
    settings = FollowUpSettings.objects.select_for_update().get(pk=settings.pk)
    before = settings.period_length
    if before != period_length:
        from .models import PeriodReport

        year = timezone.localdate().year
        if PeriodReport.objects.filter(year=year, period_length=before).exists():
            raise ValidationError(
                {
                    "period_length": (
                        f"Det finns redan periodrapporter för {year} med den nuvarande "
                        "rapportperioden. Byt rapportperiod inför ett nytt år, så att årets "
                        "rapporter går att jämföra."
                    )
                }
            )
    settings.period_length = period_length
    settings.full_clean()
    if before != period_length:
        settings.save(update_fields=["period_length"])
        log(
            settings,
            "followup_settings.updated",
            actor=by,
            from_state=before,
            to_state=period_length,
        )
    return settings
