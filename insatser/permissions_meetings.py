"""Who may see and do what with board meetings, decisions and insatser.

Re-exported by `insatser.permissions`, so views and templates ask one module.

- The kansli does everything: plans meetings, sends the notice, records decisions, decides on
  delegation, manages insatser, attests and pays.
- Board members (ledamöter and ersättare) see the meetings of the days they hold a seat, from
  the notice on; they declare jäv only for themselves and approve the minutes only where they
  are ordförande or justerare. They read every decided matter (delegated decisions, insatser).
- Party staff see the insatser their party leads or takes part in; only the lead party's staff
  request payment and submit reports.
- Auditors read the justerade minutes, every decision and insats; they change nothing.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from forbund.models import BoardSeat
from forbund.permissions import roles_of

from . import rules_insats as insats_rules
from . import rules_meetings as meeting_rules
from .models_insats import Insats, Report
from .models_meetings import Meeting, MinutesSignature

__all__ = [
    "can_approve_minutes",
    "can_attest_payment",
    "can_declare_conflict",
    "can_decide_on_delegation",
    "can_edit_agenda",
    "can_manage_insatser",
    "can_manage_meetings",
    "can_record_decisions",
    "can_request_payment",
    "can_submit_report",
    "can_view_decisions",
    "can_view_insats",
    "can_view_insats_list",
    "can_view_meeting",
    "can_view_meetings",
    "can_view_minutes",
    "holds_seat_on",
    "is_lead_staff_of_insats",
    "visible_insatser",
    "visible_meetings",
]


def holds_seat_on(user, day: date) -> bool:
    """Return whether `user` holds a board seat (ledamot or ersättare) on `day`."""
    if user is None or not user.is_authenticated:
        return False
    return (
        BoardSeat.objects.filter(user=user, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .exists()
    )


# Meetings.


def can_view_meetings(user) -> bool:
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor


def can_manage_meetings(user) -> bool:
    return roles_of(user).office


def visible_meetings(user):
    """Return the meetings `user` may read."""
    roles = roles_of(user)
    if roles.office:
        return Meeting.objects.all()
    condition = Q(pk__in=[])
    if roles.board:
        seat = BoardSeat.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("held_on")),
            user=user,
            starts_on__lte=OuterRef("held_on"),
        )
        condition |= Q(Exists(seat), status__in=meeting_rules.BOARD_VISIBLE_STATES)
    if roles.auditor:
        condition |= Q(status=meeting_rules.APPROVED)
    if not (roles.board or roles.auditor):
        return Meeting.objects.none()
    return Meeting.objects.filter(condition)


def can_view_meeting(user, meeting: Meeting) -> bool:
    roles = roles_of(user)
    if roles.office:
        return True
    if roles.auditor and meeting.status == meeting_rules.APPROVED:
        return True
    return (
        roles.board
        and meeting.status in meeting_rules.BOARD_VISIBLE_STATES
        and holds_seat_on(user, meeting.held_on)
    )


def can_edit_agenda(user, meeting: Meeting) -> bool:
    return roles_of(user).office and meeting.status in meeting_rules.AGENDA_OPEN_STATES


def can_declare_conflict(user, meeting: Meeting) -> bool:
    """A board member declares jäv for themselves on a called meeting they sit on."""
    return meeting.status in meeting_rules.RECORDING_STATES and holds_seat_on(user, meeting.held_on)


def can_record_decisions(user, meeting: Meeting) -> bool:
    return roles_of(user).office and meeting.status in meeting_rules.RECORDING_STATES


def can_view_minutes(user, meeting: Meeting) -> bool:
    """The kansli reads the minutes as they are written; others once they are for justering."""
    if roles_of(user).office:
        return True
    if meeting.status not in (meeting_rules.MINUTES_READY, meeting_rules.APPROVED):
        return False
    return can_view_meeting(user, meeting)


def can_approve_minutes(user, meeting: Meeting) -> bool:
    """Only the ordförande and the chosen justerare, each for themselves, once."""
    if meeting.status != meeting_rules.MINUTES_READY:
        return False
    if user is None or not user.is_authenticated:
        return False
    return MinutesSignature.objects.filter(
        meeting=meeting, user=user, approved_at__isnull=True
    ).exists()


# Decisions.


def can_view_decisions(user) -> bool:
    """Decided matters are open to the kansli, the board and the auditors."""
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor


def can_decide_on_delegation(user, application) -> bool:
    from . import rules

    return roles_of(user).office and application.status == rules.PROPOSED


# Insatser.


def can_view_insats_list(user) -> bool:
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor or roles.staff


def visible_insatser(user):
    roles = roles_of(user)
    if roles.office or roles.board or roles.auditor:
        return Insats.objects.all()
    if roles.staff:
        return Insats.objects.filter(
            Q(lead_party_id__in=roles.staff_parties) | Q(co_parties__in=roles.staff_parties)
        ).distinct()
    return Insats.objects.none()


def can_view_insats(user, insats: Insats) -> bool:
    roles = roles_of(user)
    if roles.office or roles.board or roles.auditor:
        return True
    if not roles.staff:
        return False
    if insats.lead_party_id in roles.staff_parties:
        return True
    return insats.co_parties.filter(pk__in=roles.staff_parties).exists()


def can_manage_insatser(user) -> bool:
    return roles_of(user).office


def is_lead_staff_of_insats(user, insats: Insats) -> bool:
    return insats.lead_party_id in roles_of(user).staff_parties


def can_request_payment(user, insats: Insats) -> bool:
    """Only the lead party's staff rekvirerar, while the insats is ongoing."""
    return insats.status == insats_rules.ONGOING and is_lead_staff_of_insats(user, insats)


def can_attest_payment(user) -> bool:
    return roles_of(user).office


def can_submit_report(user, report: Report) -> bool:
    return not report.submitted and is_lead_staff_of_insats(user, report.insats)
