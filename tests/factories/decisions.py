"""Factories for meetings, decisions and insatser. They walk the real services:

board()                                  an ordförande, two ledamöter and an ersättare, seated today
money(year=2027, kr=2_000_000)           a budget year with `kr` available for insatser
MeetingFactory()                         a planned meeting today, made by the kansli
called_meeting(application)              … with the application's förslag as § 1, kallelse sent
granted_insats(application)              the application granted and justerat: an Insats
"""

from datetime import date

import factory
from django.utils import timezone

from forbund.models import BoardSeat, BudgetYear
from insatser import services_decisions, services_meetings
from insatser.models_meetings import Meeting
from tests.factories.forbund import (
    BoardSeatFactory,
    ForbundFactory,
    MandatePeriodFactory,
    PartyFactory,
    UserFactory,
)
from tests.factories.insatser import ApplicationFactory, office_user


def the_office():
    """Return the kansli user of the test (one per database)."""
    from forbund.models import RoleAssignment

    assignment = RoleAssignment.objects.filter(role=RoleAssignment.Role.OFFICE).first()
    return assignment.user if assignment else office_user()


def board() -> dict:
    """Return {"chair", "member", "adjuster", "deputy"}: users with seats in 2023–2030."""
    existing = BoardSeat.objects.filter(office=BoardSeat.Office.CHAIR).first()
    if existing is not None:
        seats = BoardSeat.objects.select_related("user")
        by_email = {seat.user.email: seat.user for seat in seats}
        return {
            "chair": existing.user,
            "member": by_email["ledamot@example.se"],
            "adjuster": by_email["justerare@example.se"],
            "deputy": by_email["ersattare@example.se"],
        }
    period = MandatePeriodFactory()
    hallsberg = PartyFactory(name="Hallsbergs kommun")
    region = PartyFactory(region=True, name="Region Örebro län")
    people = {
        "chair": ("ordforande@example.se", "Eva Ström", hallsberg, "member", "chair"),
        "member": ("ledamot@example.se", "Lars Berg", region, "member", ""),
        "adjuster": ("justerare@example.se", "Per Ek", PartyFactory(fk=True), "member", ""),
        "deputy": ("ersattare@example.se", "Maria Falk", hallsberg, "deputy", ""),
    }
    result = {}
    for key, (email, name, party, kind, office) in people.items():
        user = UserFactory(email=email, name=name)
        BoardSeatFactory(mandate_period=period, party=party, user=user, kind=kind, office=office)
        result[key] = user
    return result


def money(year: int = 2027, kr: int = 2_000_000) -> BudgetYear:
    """Return a budget year with exactly `kr` available for insatser."""
    if not _forbund_exists():
        ForbundFactory()
    budget_year, _ = BudgetYear.objects.update_or_create(
        year=year,
        defaults={
            "state_allocation_kr": kr // 2,
            "other_income_kr": kr % 2,
            "equity_brought_in_kr": 0,
            "board_cost_kr": 0,
            "administration_cost_kr": 0,
            "audit_cost_kr": 0,
        },
    )
    return budget_year


def _forbund_exists() -> bool:
    from forbund.models import Forbund

    return Forbund.objects.exists()


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    held_on = factory.LazyFunction(timezone.localdate)
    place = "Förbundets kansli, Kumla"
    created_by = factory.LazyFunction(the_office)


def proposed_application(**kwargs):
    """Return an application with a förslag to grant 300 000 kr (2027) and 310 000 kr (2028)."""
    return ApplicationFactory(proposed=True, **kwargs)


def called_meeting(*applications, held_on: date | None = None) -> Meeting:
    """Return a meeting with each application's förslag on the agenda and the kallelse sent."""
    office = the_office()
    meeting = MeetingFactory(held_on=held_on or timezone.localdate(), created_by=office)
    for application in applications:
        services_meetings.agenda_add_proposal(meeting=meeting, application=application, by=office)
    services_meetings.meeting_send_notice(meeting=meeting, by=office)
    meeting.refresh_from_db()
    return meeting


def decide_and_approve(meeting: Meeting, outcomes: dict | None = None) -> Meeting:
    """Record a decision in every § (grant as proposed unless `outcomes` says {§: "avsla"}),
    choose signers and have all of them justera."""
    office = the_office()
    people = board()
    outcomes = outcomes or {}
    for item in meeting.items.select_related("application__proposal"):
        if item.kind != "forslag":
            continue
        outcome = outcomes.get(item.number, "bevilja")
        services_decisions.decision_record(
            item=item,
            outcome=outcome,
            amounts={a.year: a.amount_kr for a in item.application.proposal.amounts.all()},
            conditions="Lägesrapport varje år.",
            reasons="" if outcome == "bevilja" else "Insatsen ligger utanför förbundets uppdrag.",
            conflicted=[],
            by=office,
        )
    services_meetings.meeting_set_signers(
        meeting=meeting, chair=people["chair"], adjusters=[people["adjuster"]], by=office
    )
    services_meetings.minutes_finalise(meeting=meeting, by=office)
    services_meetings.minutes_approve(meeting=meeting, by=people["chair"])
    services_meetings.minutes_approve(meeting=meeting, by=people["adjuster"])
    meeting.refresh_from_db()
    return meeting


def granted_insats(application=None):
    """Return the Insats of an application granted at a justerat meeting."""
    board()
    money(2027)
    money(2028)
    application = application or proposed_application()
    meeting = called_meeting(application)
    decide_and_approve(meeting)
    application.refresh_from_db()
    return application.insats
