from datetime import date

import pytest
from django.db import IntegrityError

from forbund import permissions
from forbund.models import RoleAssignment
from tests.factories import BoardSeatFactory, PartyFactory, RoleAssignmentFactory, UserFactory


@pytest.mark.django_db
def test_roles_of_reads_every_role():
    user = UserFactory()
    kumla = PartyFactory(name="Kumla kommun")
    region = PartyFactory(region=True)
    RoleAssignmentFactory(user=user, role="office", party=None)
    RoleAssignmentFactory(user=user, role="party_staff", party=kumla)
    RoleAssignmentFactory(user=user, role="auditor", party=region)
    BoardSeatFactory(user=user, party=kumla, office="chair")
    roles = permissions.roles_of(user)
    assert roles.office and roles.board and roles.chair and roles.staff and roles.auditor
    assert roles.staff_parties == {kumla.pk}
    assert roles.auditor_parties == {region.pk}
    assert roles.board_parties == {kumla.pk}


@pytest.mark.django_db
def test_ended_roles_no_longer_count():
    user = UserFactory()
    RoleAssignmentFactory(user=user, valid_from=date(2020, 1, 1), valid_to=date(2021, 1, 1))
    BoardSeatFactory(user=user, starts_on=date(2019, 1, 1), ends_on=date(2022, 1, 1))
    roles = permissions.roles_of(user)
    assert not roles.any
    assert permissions.roles_of(user, on=date(2020, 6, 1)).staff


@pytest.mark.django_db
def test_anonymous_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.roles_of(AnonymousUser()).any
    assert not permissions.can_view_forbund(AnonymousUser())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "view", "manage", "mfa"),
    [
        ("office", True, True, True),
        ("board", True, False, True),
        ("auditor", True, False, True),
        ("party_staff", False, False, False),
        ("none", False, False, False),
    ],
)
def test_role_matrix(role, view, manage, mfa):
    user = UserFactory()
    if role == "office":
        RoleAssignmentFactory(user=user, role="office", party=None)
    elif role == "board":
        BoardSeatFactory(user=user)
    elif role in {"auditor", "party_staff"}:
        RoleAssignmentFactory(user=user, role=role)
    assert permissions.can_view_forbund(user) is view
    assert permissions.can_manage_forbund(user) is manage
    assert permissions.can_manage_accounts(user) is manage
    assert permissions.requires_mfa(user) is mfa


@pytest.mark.django_db
def test_party_staff_role_needs_a_party():
    from django.core.exceptions import ValidationError

    user = UserFactory()
    role = RoleAssignment(user=user, role="party_staff", party=None)
    with pytest.raises(ValidationError, match="hör till en part"):
        role.full_clean()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role="party_staff", party=None)


@pytest.mark.django_db
def test_office_role_has_no_party():
    user = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignment.objects.create(user=user, role="office", party=PartyFactory())
