import ast
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories.uppfoljning import CategoryFactory
from uppfoljning import defaults
from uppfoljning.models import Category, CategoryKind, FollowUpSettings

MIGRATION = Path(defaults.__file__).parent / "migrations" / "0002_default_categories.py"


@pytest.mark.django_db
def test_the_migration_creates_the_default_lists_from_the_domain():
    """Kön, age groups, source of support, status after and activity kinds exist, in order."""
    labels = {
        kind: list(Category.objects.filter(kind=kind).values_list("label", flat=True))
        for kind in CategoryKind.values
    }
    assert labels["gender"] == ["Kvinna", "Man", "Annat/uppgift saknas"]
    assert labels["age_group"] == ["16–24 år", "25–29 år", "30–39 år", "40–49 år", "50–64 år"]
    assert "Ekonomiskt bistånd/försörjningsstöd" in labels["support_at_start"]
    assert labels["status_after"][:2] == ["Arbete, osubventionerat", "Arbete, subventionerat"]
    assert all(labels.values())
    assert not Category.objects.filter(active=False).exists()
    assert FollowUpSettings.objects.get().period_length == "tertial"


def test_the_migration_holds_the_same_defaults_as_the_code():
    """The migration keeps a frozen copy; today it must still match uppfoljning.defaults."""
    tree = ast.parse(MIGRATION.read_text())
    (frozen,) = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and node.targets[0].id == "DEFAULTS"
    ]
    assert frozen == {kind: list(entries) for kind, entries in defaults.DEFAULT_CATEGORIES.items()}
    assert set(frozen) == set(CategoryKind.values)


@pytest.mark.django_db
def test_ensure_default_categories_restores_missing_ones_and_keeps_edits():
    Category.objects.filter(kind="gender", code="man").delete()
    Category.objects.filter(kind="gender", code="kvinna").update(label="Kvinnor")
    assert defaults.ensure_default_categories() == 1
    assert defaults.ensure_default_categories() == 0
    assert list(Category.objects.filter(kind="gender").values_list("label", flat=True)) == [
        "Kvinnor",
        "Man",
        "Annat/uppgift saknas",
    ]


@pytest.mark.django_db
def test_ensure_default_categories_does_not_clash_with_a_renamed_category():
    Category.objects.filter(kind="gender", code="man").update(code="man-egen")
    assert defaults.ensure_default_categories() == 0


@pytest.mark.django_db
def test_code_is_unique_per_list():
    CategoryFactory(kind="activity_kind", code="mote", label="Möte")
    duplicate = Category(kind="activity_kind", code="mote", label="Annat möte")
    with pytest.raises(
        ValidationError, match="Det finns redan en kategori med den koden i listan."
    ):
        duplicate.full_clean()
    with pytest.raises(IntegrityError):
        Category.objects.create(kind="activity_kind", code="mote", label="Annat möte")


@pytest.mark.django_db
def test_the_same_code_may_be_used_in_another_list():
    CategoryFactory(kind="activity_kind", code="annat-okant", label="Okänt")
    assert Category.objects.filter(code="annat-okant").count() == 3


@pytest.mark.django_db
def test_label_is_unique_per_list():
    duplicate = Category(kind="gender", code="kvinna-2", label="Kvinna")
    with pytest.raises(ValidationError, match="Det finns redan en kategori med den benämningen"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError):
        Category.objects.create(kind="gender", code="kvinna-2", label="Kvinna")


@pytest.mark.django_db
def test_unknown_list_is_refused():
    category = Category(kind="shoe_size", code="42", label="42")
    # The field's choices answer first; the check constraint guards raw writes.
    with pytest.raises(ValidationError, match="'shoe_size' är inget giltigt alternativ"):
        category.full_clean()
    with pytest.raises(IntegrityError):
        Category.objects.create(kind="shoe_size", code="42", label="42")


@pytest.mark.django_db
def test_empty_label_is_refused():
    with pytest.raises(ValidationError):
        Category(kind="gender", code="x", label="").full_clean()
    with pytest.raises(IntegrityError):
        Category.objects.create(kind="gender", code="x", label="")


@pytest.mark.django_db
def test_empty_code_is_refused():
    with pytest.raises(ValidationError):
        Category(kind="gender", code="", label="X").full_clean()
    with pytest.raises(IntegrityError):
        Category.objects.create(kind="gender", code="", label="X")


@pytest.mark.django_db
def test_a_label_with_a_personnummer_is_refused():
    category = Category(kind="activity_kind", code="x", label="Möte med 811218-9876")
    with pytest.raises(ValidationError, match="personnummer"):
        category.full_clean()


@pytest.mark.django_db
def test_there_is_only_one_settings_row():
    assert FollowUpSettings.load().pk == 1
    second = FollowUpSettings(pk=2)
    with pytest.raises(ValidationError, match="bara en uppsättning inställningar"):
        second.full_clean()
    with pytest.raises(IntegrityError):
        FollowUpSettings.objects.create(pk=2)


@pytest.mark.django_db
def test_unknown_period_length_is_refused():
    settings = FollowUpSettings.load()
    settings.period_length = "week"
    with pytest.raises(ValidationError):
        settings.full_clean()
    with pytest.raises(IntegrityError):
        FollowUpSettings.objects.filter(pk=1).update(period_length="week")


@pytest.mark.django_db
def test_load_recreates_a_missing_settings_row():
    FollowUpSettings.objects.all().delete()
    assert FollowUpSettings.load().period_length == "tertial"
