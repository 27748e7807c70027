"""Who may see and do what in the follow-up. Views, templates and querysets ask these.

- The lead party's staff (huvudmannen) fill in and submit their insatser's period reports.
- Staff of the other parties in an insats read its reports once they are handed in.
- The kansli approves, returns and reopens reports and reads everything.
- Board members and auditors read approved figures and the dashboards.
- Staff of a party outside an insats see nothing of it.
The dashboards count approved reports only, whoever looks.
"""

from django.db.models import Exists, OuterRef, Q

from forbund.permissions import roles_of

from . import rules


def can_manage_categories(user) -> bool:
    """The category lists are the förbund's own; only the kansli changes them."""
    return roles_of(user).office


def can_manage_settings(user) -> bool:
    """The reporting period and other follow-up settings belong to the kansli."""
    return roles_of(user).office


# --- Insatser and their reports ------------------------------------------------------------------


def _party_q(parties, prefix: str = "") -> Q:
    """Return a filter on Insats (or via `prefix`) for insatser a party in `parties` is in."""
    from insatser.models import Insats

    co = Insats.co_parties.through.objects.filter(
        insats_id=OuterRef("insats_id" if prefix else "pk"),
        party_id__in=parties,
    )
    return Q(**{f"{prefix}lead_party_id__in": parties}) | Q(Exists(co))


def followup_insatser(user):
    """Return the insatser whose follow-up `user` may read."""
    from insatser.models import Insats

    roles = roles_of(user)
    if roles.office or roles.board or roles.auditor:
        return Insats.objects.all()
    if roles.staff:
        return Insats.objects.filter(_party_q(roles.staff_parties))
    return Insats.objects.none()


def visible_reports(user):
    """Return the period reports `user` may read."""
    from .models import PeriodReport

    roles = roles_of(user)
    if roles.office:
        return PeriodReport.objects.all()
    condition = Q(pk__in=[])
    if roles.board or roles.auditor:
        condition |= Q(status=rules.APPROVED)
    if roles.staff:
        parties = roles.staff_parties
        condition |= Q(insats__lead_party_id__in=parties)
        condition |= _party_q(parties, "insats__") & ~Q(status=rules.DRAFT)
    return PeriodReport.objects.filter(condition)


def is_lead_staff(user, insats) -> bool:
    return insats.lead_party_id in roles_of(user).staff_parties


def is_co_party_staff(user, insats) -> bool:
    parties = roles_of(user).staff_parties
    if not parties:
        return False
    return any(party.pk in parties for party in insats.co_parties.all())


def can_view_followup(user) -> bool:
    """The follow-up's lists are for anyone with a role in the förbund."""
    return roles_of(user).any


def can_view_insats_followup(user, insats) -> bool:
    roles = roles_of(user)
    if roles.office or roles.board or roles.auditor:
        return True
    return is_lead_staff(user, insats) or is_co_party_staff(user, insats)


def can_view_report(user, report) -> bool:
    roles = roles_of(user)
    if roles.office:
        return True
    if report.status == rules.APPROVED and (roles.board or roles.auditor):
        return True
    if is_lead_staff(user, report.insats):
        return True
    return report.status != rules.DRAFT and is_co_party_staff(user, report.insats)


def can_fill_in(user, insats) -> bool:
    """Only the lead party's staff start and fill in period reports for their insats."""
    return is_lead_staff(user, insats)


def can_edit_report(user, report) -> bool:
    return report.status in rules.EDITABLE_STATES and is_lead_staff(user, report.insats)


def can_submit_report(user, report) -> bool:
    return can_edit_report(user, report)


def can_handle_reports(user) -> bool:
    """The kansli approves, returns and reopens period reports."""
    return roles_of(user).office


def can_approve_report(user, report) -> bool:
    return roles_of(user).office and report.status == rules.SUBMITTED


def can_return_report(user, report) -> bool:
    return can_approve_report(user, report)


def can_reopen_report(user, report) -> bool:
    return roles_of(user).office and report.status == rules.APPROVED


def can_import(user) -> bool:
    """The kansli and party staff import period figures (staff only for insatser they lead)."""
    roles = roles_of(user)
    return roles.office or roles.staff


def can_import_for(user, insats) -> bool:
    return roles_of(user).office or is_lead_staff(user, insats)


def can_view_dashboard(user) -> bool:
    """The förbund's figures as a whole: kansli, board and auditors."""
    roles = roles_of(user)
    return roles.office or roles.board or roles.auditor


def can_export(user) -> bool:
    """The yearly and full exports of approved figures: kansli, board and auditors."""
    return can_view_dashboard(user)


def can_view_public_dashboard(user) -> bool:
    """The public version (small counts hidden) may be shown to anyone with a role."""
    return roles_of(user).any
