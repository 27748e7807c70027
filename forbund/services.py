from django.db import transaction

from .models import RoleAssignment, User
from .tasks import send_invitation


@transaction.atomic
def user_create(*, name: str, email: str, roles: list[tuple[str, object]], by: User | None) -> User:
    """Create an account with the given (role, party) pairs and e-mail a link to set a password.

    The account has no usable password until the person follows the link.
    """
    user = User.objects.create_user(email=email, password=None, name=name)
    for role, party in roles:
        assignment = RoleAssignment(user=user, role=role, party=party)
        assignment.full_clean()
        assignment.save()
    transaction.on_commit(lambda: send_invitation.delay(user.pk))
    return user


@transaction.atomic
def user_roles_update(*, user: User, roles: list[tuple[str, object]], by: User | None) -> User:
    """Replace the user's kansli, party-staff and auditor roles with `roles`."""
    wanted = {(role, getattr(party, "pk", None)) for role, party in roles}
    current = {(a.role, a.party_id): a for a in user.role_assignments.all()}
    for key, assignment in current.items():
        if key not in wanted:
            assignment.delete()
    for role, party in roles:
        if (role, getattr(party, "pk", None)) not in current:
            assignment = RoleAssignment(user=user, role=role, party=party)
            assignment.full_clean()
            assignment.save()
    return user
