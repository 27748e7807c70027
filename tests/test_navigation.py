import pytest
from django.test import RequestFactory

from finsam.navigation import nav_items
from tests.factories import RoleAssignmentFactory, UserFactory


@pytest.mark.django_db
def test_only_the_closest_menu_item_is_current():
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="office", party=None)
    request = RequestFactory().get("/forbund/budget/2026/")
    request.user = user
    current = [item["label"] for item in nav_items(request) if item["current"]]
    assert current == ["Budget"]
    request = RequestFactory().get("/")
    request.user = user
    assert [item["label"] for item in nav_items(request) if item["current"]] == ["Start"]
