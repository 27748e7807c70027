"""Who may see and do what in the förbund app, and the roles every other app asks about.

A user's roles are read once per request and kept on the user object; views, templates and
querysets in every app ask these functions, never the role tables directly.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from .models import BoardSeat, RoleAssignment

_CACHE_ATTR = "_finsam_roles"


@dataclass(frozen=True)
class Roles:
    """The roles a person holds on one day."""

    office: bool = False
    board_parties: frozenset[int] = field(default_factory=frozenset)
    chair: bool = False
    staff_parties: frozenset[int] = field(default_factory=frozenset)
    auditor_parties: frozenset[int] = field(default_factory=frozenset)

    @property
    def board(self) -> bool:
        return bool(self.board_parties)

    @property
    def staff(self) -> bool:
        return bool(self.staff_parties)

    @property
    def auditor(self) -> bool:
        return bool(self.auditor_parties)

    @property
    def any(self) -> bool:
        return self.office or self.board or self.staff or self.auditor

    def labels(self) -> list[str]:
        labels = []
        if self.office:
            labels.append("Förbundschef/kansli")
        if self.chair:
            labels.append("Ordförande")
        elif self.board:
            labels.append("Styrelseledamot/ersättare")
        if self.staff:
            labels.append("Partshandläggare")
        if self.auditor:
            labels.append("Revisor")
        return labels


def _active(prefix_from: str, prefix_to: str, on: date) -> Q:
    return Q(**{f"{prefix_from}__lte": on}) & (
        Q(**{f"{prefix_to}__isnull": True}) | Q(**{f"{prefix_to}__gte": on})
    )


def roles_of(user, on: date | None = None) -> Roles:
    """Return the roles `user` holds on `on` (today by default); cached per user object."""
    if user is None or not user.is_authenticated:
        return Roles()
    if on is None:
        cached = getattr(user, _CACHE_ATTR, None)
        if cached is not None:
            return cached
    day = on or timezone.localdate()
    assignments = list(
        RoleAssignment.objects.filter(
            _active("valid_from", "valid_to", day), user=user
        ).values_list("role", "party_id")
    )
    seats = list(
        BoardSeat.objects.filter(_active("starts_on", "ends_on", day), user=user).values_list(
            "party_id", "office"
        )
    )
    roles = Roles(
        office=any(role == RoleAssignment.Role.OFFICE for role, _ in assignments),
        board_parties=frozenset(party for party, _ in seats),
        chair=any(office == BoardSeat.Office.CHAIR for _, office in seats),
        staff_parties=frozenset(
            party for role, party in assignments if role == RoleAssignment.Role.PARTY_STAFF
        ),
        auditor_parties=frozenset(
            party for role, party in assignments if role == RoleAssignment.Role.AUDITOR
        ),
    )
    if on is None:
        setattr(user, _CACHE_ATTR, roles)
    return roles


def forget_roles(user) -> None:
    """Drop the cached roles, after the user's roles changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def requires_mfa(user) -> bool:
    """Kansli, board members and auditors must use two-factor authentication."""
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor


def is_office(user) -> bool:
    return roles_of(user).office


def can_view_forbund(user) -> bool:
    """The förbund's parties, board and budget are open to kansli, board and auditors."""
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor


def can_manage_forbund(user) -> bool:
    """Only the kansli changes parties, board seats, budget years, payments and imports."""
    return roles_of(user).office


def can_export_forbund(user) -> bool:
    """Whoever may read the budget may take it away as a spreadsheet (auditors need this)."""
    return can_view_forbund(user)


def can_manage_accounts(user) -> bool:
    return roles_of(user).office


# --- Annual reports and audit -----------------------------------------------------------------


def can_view_reports(user) -> bool:
    """Annual reports, audit packages and the auditors' exports: kansli, board and auditors."""
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor


def can_request_reports(user) -> bool:
    """Only the kansli asks for a new annual report or audit package."""
    return roles_of(user).office


def can_read_audit_trail(user) -> bool:
    """The audit trail (händelseloggen) is open to the kansli and the auditors."""
    roles = roles_of(user)
    return roles.office or roles.auditor
