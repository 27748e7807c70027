import pytest
from django.core.exceptions import ValidationError

from finsam.audit import events_for
from tests.factories.forbund import UserFactory
from tests.factories.uppfoljning import CategoryFactory
from uppfoljning import services
from uppfoljning.models import Category, FollowUpSettings


@pytest.mark.django_db
def test_category_create_records_who_added_it():
    user = UserFactory(office=True)
    category = services.category_create(
        kind="activity_kind", code="studiebesok", label=" Studiebesök ", order=15, by=user
    )
    assert (category.label, category.active) == ("Studiebesök", True)
    (event,) = events_for(category)
    assert event.action == "category.created"
    assert event.actor == user
    assert event.data["code"] == "studiebesok"


@pytest.mark.django_db
def test_category_create_refuses_a_duplicate_and_changes_nothing():
    before = Category.objects.count()
    with pytest.raises(ValidationError, match="Det finns redan en kategori med den koden"):
        services.category_create(kind="gender", code="man", label="Män", order=1, by=None)
    assert Category.objects.count() == before


@pytest.mark.django_db
def test_category_update_records_what_changed():
    user = UserFactory(office=True)
    category = Category.objects.get(kind="gender", code="annat-uppgift-saknas")
    services.category_update(
        category=category, label="Annat kön/uppgift saknas", order=30, active=True, by=user
    )
    category.refresh_from_db()
    assert category.label == "Annat kön/uppgift saknas"
    (event,) = events_for(category)
    assert event.action == "category.updated"
    assert event.data == {
        "changed": {"label": ["Annat/uppgift saknas", "Annat kön/uppgift saknas"]}
    }


@pytest.mark.django_db
def test_category_update_without_changes_records_nothing():
    category = Category.objects.get(kind="gender", code="man")
    services.category_update(category=category, label="Man", order=20, active=True, by=None)
    assert not events_for(category).exists()


@pytest.mark.django_db
def test_a_category_can_be_made_inactive_and_active_again():
    category = Category.objects.get(kind="status_after", code="studier")
    services.category_update(category=category, label="Studier", order=30, active=False, by=None)
    assert not Category.objects.get(pk=category.pk).active
    services.category_update(category=category, label="Studier", order=30, active=True, by=None)
    assert Category.objects.get(pk=category.pk).active


@pytest.mark.django_db
def test_the_last_active_category_of_a_list_cannot_be_made_inactive():
    Category.objects.filter(kind="gender").exclude(code="kvinna").update(active=False)
    category = Category.objects.get(kind="gender", code="kvinna")
    with pytest.raises(ValidationError) as caught:
        services.category_update(category=category, label="Kvinna", order=10, active=False, by=None)
    assert caught.value.message_dict["active"] == [
        "Listan kön måste ha minst en aktiv kategori. Lägg till eller aktivera en annan "
        "kategori först."
    ]
    assert Category.objects.get(pk=category.pk).active
    assert not events_for(category).exists()


@pytest.mark.django_db
def test_the_code_cannot_be_changed_through_an_update():
    category = CategoryFactory(code="fast", label="Fast")
    category.code = "annan"
    services.category_update(category=category, label="Fast", order=1, active=True, by=None)
    assert Category.objects.get(pk=category.pk).code == "fast"


@pytest.mark.django_db
def test_settings_update_records_the_change_of_period_length():
    user = UserFactory(office=True)
    settings = services.followup_settings_update(period_length="month", by=user)
    assert FollowUpSettings.load().period_length == "month"
    (event,) = events_for(settings)
    assert (event.action, event.from_state, event.to_state) == (
        "followup_settings.updated",
        "tertial",
        "month",
    )
    services.followup_settings_update(period_length="month", by=user)
    assert events_for(settings).count() == 1


@pytest.mark.django_db
def test_settings_update_refuses_an_unknown_length():
    with pytest.raises(ValidationError):
        services.followup_settings_update(period_length="week", by=None)
    assert FollowUpSettings.load().period_length == "tertial"
