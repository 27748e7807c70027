"""Who may see and do what with applications. Views, templates and querysets ask these.

- Party staff see their own party's applications and those their party is invited to (a
  co-applying party sees a draft only once invited); they never see another party's drafts.
- The kansli sees every application that has been submitted (not drafts) and prepares them.
- Auditors read submitted applications and change nothing.
- Board members read decided applications, and proposals once they are on the agenda of a
  meeting whose kallelse has gone out (the beslutsunderlag).
"""

from django.db.models import Exists, OuterRef, Q

from forbund.permissions import roles_of

from . import rules
from . import rules_meetings as meeting_rules
from .models import Application, CoApplicant


def visible_q(user) -> Q | None:
    """Return a filter on Application for what `user` may read, or None for nothing."""
    roles = roles_of(user)
    conditions = Q(pk__in=[])
    any_role = False
    if roles.staff:
        any_role = True
        invited = CoApplicant.objects.filter(
            application=OuterRef("pk"), party_id__in=roles.staff_parties
        )
        conditions |= Q(lead_party_id__in=roles.staff_parties) | Q(Exists(invited))
    if roles.office or roles.auditor:
        any_role = True
        conditions |= Q(case_seq__isnull=False)
    if roles.board:
        any_role = True
        conditions |= Q(status__in=rules.DECIDED_STATES) | Q(
            status=rules.PROPOSED,
            agenda_item__meeting__status__in=meeting_rules.BOARD_VISIBLE_STATES,
        )
    return conditions if any_role else None


def visible_applications(user):
    condition = visible_q(user)
    if condition is None:
        return Application.objects.none()
    return Application.objects.filter(condition)


def _involved_parties(application: Application) -> set[int]:
    """Return the lead party and every invited party (uses the prefetched co-applicants)."""
    return {application.lead_party_id} | {c.party_id for c in application.co_applicants.all()}


def is_lead_staff(user, application: Application) -> bool:
    return application.lead_party_id in roles_of(user).staff_parties


def is_involved_staff(user, application: Application) -> bool:
    staff_parties = roles_of(user).staff_parties
    return bool(staff_parties) and bool(staff_parties & _involved_parties(application))


def can_view_list(user) -> bool:
    roles = roles_of(user)
    return roles.staff or roles.office or roles.auditor or roles.board


def can_create_application(user) -> bool:
    return roles_of(user).staff


def can_view_application(user, application: Application) -> bool:
    roles = roles_of(user)
    if is_involved_staff(user, application):
        return True
    if (roles.office or roles.auditor) and application.was_submitted:
        return True
    if not roles.board:
        return False
    if application.status in rules.DECIDED_STATES:
        return True
    item = (
        getattr(application, "agenda_item", None) if application.status == rules.PROPOSED else None
    )
    return item is not None and item.meeting.status in meeting_rules.BOARD_VISIBLE_STATES


def can_edit_application(user, application: Application) -> bool:
    """The lead party and the invited parties change the content while it is open for edits."""
    if application.status not in rules.EDITABLE_STATES:
        return False
    if is_lead_staff(user, application):
        return True
    staff_parties = roles_of(user).staff_parties
    return any(
        c.party_id in staff_parties and c.status != rules.DECLINED
        for c in application.co_applicants.all()
    )


def can_manage_parties(user, application: Application) -> bool:
    """Only the lead party invites and removes co-applying parties."""
    return application.status in rules.EDITABLE_STATES and is_lead_staff(user, application)


def can_submit(user, application: Application) -> bool:
    return application.status in rules.EDITABLE_STATES and is_lead_staff(user, application)


def can_withdraw(user, application: Application) -> bool:
    return application.status in rules.OPEN_STATES and is_lead_staff(user, application)


def can_respond(user, co_applicant: CoApplicant) -> bool:
    """Staff of the invited party answer the invitation while the application is open."""
    return (
        co_applicant.party_id in roles_of(user).staff_parties
        and co_applicant.application.status in rules.EDITABLE_STATES
    )


def can_prepare(user, application: Application) -> bool:
    return roles_of(user).office and application.status in rules.PREPARATION_STATES


def can_comment(user, application: Application) -> bool:
    """The kansli and the applying parties discuss a submitted application."""
    if not application.was_submitted or application.status not in rules.OPEN_STATES:
        return False
    return roles_of(user).office or is_involved_staff(user, application)


def can_view_attachment(user, application: Application) -> bool:
    return can_view_application(user, application)


def can_change_attachments(user, application: Application) -> bool:
    return can_edit_application(user, application)


# Meetings, decisions and insatser: their rules live in their own module, asked through this one.
from .permissions_meetings import *  # noqa: E402, F401, F403, I001
