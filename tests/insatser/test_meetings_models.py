"""Each constraint of meetings, decisions and insatser both ways: full_clean() gives the Swedish
message, a raw save is refused by the database."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from insatser.models_insats import (
    GrantedAmount,
    Insats,
    PaymentRequest,
    Report,
    ReportReminder,
)
from insatser.models_meetings import (
    AgendaItem,
    ConflictOfInterest,
    Decision,
    DecisionAmount,
    Meeting,
    MinutesSignature,
)
from tests.factories.decisions import MeetingFactory, the_office
from tests.factories.forbund import UserFactory
from tests.factories.insatser import ApplicationFactory

pytestmark = pytest.mark.django_db


def _both_ways(instance, message):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert message in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


@pytest.fixture
def item():
    meeting = MeetingFactory()
    application = ApplicationFactory()
    return AgendaItem.objects.create(
        meeting=meeting, number=1, kind="forslag", title="Ansökan", application=application
    )


def _decision(item, **kwargs):
    fields = {
        "application": item.application,
        "agenda_item": item,
        "outcome": "bevilja",
        "decided_on": date(2026, 11, 1),
        "recorded_by": the_office(),
    }
    fields.update(kwargs)
    return Decision(**fields)


def _insats(item, **kwargs):
    decision = _decision(item)
    decision.save()
    fields = {
        "application": item.application,
        "decision": decision,
        "title": "Insats",
        "kind": "individinriktad",
        "lead_party": item.application.lead_party,
        "starts_on": date(2027, 1, 1),
        "ends_on": date(2027, 12, 31),
    }
    fields.update(kwargs)
    return Insats(**fields)


# Meetings.


def test_approved_meeting_has_a_time():
    meeting = MeetingFactory.build(
        created_by=the_office(), status="justerat", notice_sent_at=timezone.now()
    )
    _both_ways(meeting, "Ett justerat protokoll måste ha en tid för justeringen.")


def test_called_meeting_has_a_notice_time():
    meeting = MeetingFactory.build(created_by=the_office(), status="kallat")
    _both_ways(meeting, "Ett kallat sammanträde måste ha en tid för kallelsen.")


def test_paragraph_numbers_are_unique(item):
    twin = AgendaItem(meeting=item.meeting, number=1, kind="ovrigt", title="Övrigt")
    _both_ways(twin, "Paragrafnumret finns redan på sammanträdet.")


def test_proposal_item_has_an_application():
    item = AgendaItem(meeting=MeetingFactory(), number=1, kind="forslag", title="Förslag")
    _both_ways(item, "Ett förslag hör till en ansökan och en anmälan till ett delegationsbeslut.")


def test_conflict_is_declared_once(item):
    member = UserFactory()
    ConflictOfInterest.objects.create(item=item, member=member, recorded_by=member)
    twin = ConflictOfInterest(item=item, member=member, recorded_by=member)
    _both_ways(twin, "Jävet är redan anmält för ärendet.")


def test_one_person_signs_once_and_one_chair(item):
    first, second = UserFactory(), UserFactory()
    MinutesSignature.objects.create(meeting=item.meeting, user=first, role="ordforande")
    _both_ways(
        MinutesSignature(meeting=item.meeting, user=first, role="justerare"),
        "Personen justerar redan protokollet.",
    )
    _both_ways(
        MinutesSignature(meeting=item.meeting, user=second, role="ordforande"),
        "Sammanträdet har redan en ordförande.",
    )


# Decisions.


def test_decision_is_board_or_delegated(item):
    _both_ways(
        _decision(item, delegated=True),
        "Ett beslut fattas antingen av styrelsen i ett ärende eller på delegation.",
    )


def test_rejection_has_reasons(item):
    _both_ways(_decision(item, outcome="avsla"), "Ett avslag måste motiveras.")


def test_delegated_decisions_only_grant(item):
    decision = _decision(item, agenda_item=None, delegated=True, outcome="avsla", reasons="Nej")
    _both_ways(decision, "Förbundschefen beslutar bara beviljanden på delegation.")


def test_one_decision_per_application_unless_lapsed(item):
    _decision(item).save()
    other = AgendaItem.objects.create(meeting=item.meeting, number=2, kind="ovrigt", title="X")
    twin = _decision(item, agenda_item=None, delegated=True)
    _both_ways(twin, "Ansökan har redan ett beslut.")
    Decision.objects.update(status="forfallet")
    assert other.pk
    _decision(item, agenda_item=None, delegated=True).save()


def test_decision_amounts_positive_and_once_per_year(item):
    decision = _decision(item)
    decision.save()
    _both_ways(
        DecisionAmount(decision=decision, year=2027, amount_kr=0),
        "Ett beviljat belopp måste vara större än 0 kr.",
    )
    DecisionAmount.objects.create(decision=decision, year=2027, amount_kr=1)
    _both_ways(
        DecisionAmount(decision=decision, year=2027, amount_kr=5),
        "Det finns redan ett belopp för det året.",
    )


# Insatser.


def test_insats_period_in_order(item):
    _both_ways(_insats(item, ends_on=date(2026, 1, 1)), "Slutdatum ligger före startdatum.")


def test_closed_insats_has_a_time(item):
    _both_ways(
        _insats(item, status="avslutad"), "En avslutad insats måste ha en tidpunkt för avslutet."
    )


def _saved_insats(item):
    insats = _insats(item)
    insats.save()
    return insats


def test_granted_amount_positive_and_once_per_year(item):
    insats = _saved_insats(item)
    _both_ways(
        GrantedAmount(insats=insats, year=2027, amount_kr=-1),
        "Ett beviljat belopp måste vara större än 0 kr.",
    )
    GrantedAmount.objects.create(insats=insats, year=2027, amount_kr=1)
    _both_ways(
        GrantedAmount(insats=insats, year=2027, amount_kr=2),
        "Insatsen har redan ett beviljat belopp för det året.",
    )


def _payment(insats, **kwargs):
    fields = {
        "insats": insats,
        "year": 2027,
        "amount_kr": 1000,
        "description": "Lön",
        "requested_by": the_office(),
    }
    fields.update(kwargs)
    return PaymentRequest(**fields)


def test_payment_request_constraints(item):
    insats = _saved_insats(item)
    _both_ways(_payment(insats, amount_kr=0), "Beloppet måste vara större än 0 kr.")
    _both_ways(_payment(insats, status="avvisad"), "En avvisad rekvisition måste ha ett skäl.")
    _both_ways(
        _payment(insats, status="utbetald", attested_at=timezone.now()),
        "En utbetald rekvisition måste ha ett utbetalningsdatum.",
    )
    _both_ways(
        _payment(insats, status="attesterad"),
        "En attesterad rekvisition måste ha en tid för attesten.",
    )


def test_report_constraints(item):
    insats = _saved_insats(item)
    _both_ways(
        Report(
            insats=insats, kind="slutrapport", due_on=date(2028, 3, 31), submitted_by=UserFactory()
        ),
        "En inlämnad rapport måste ha text, avsändare och tid.",
    )
    report = Report.objects.create(insats=insats, kind="slutrapport", due_on=date(2028, 3, 31))
    _both_ways(
        Report(insats=insats, kind="slutrapport", due_on=date(2028, 3, 31)),
        "Insatsen har redan en sådan rapport med det datumet.",
    )
    ReportReminder.objects.create(report=report, kind="fore")
    _both_ways(ReportReminder(report=report, kind="fore"), "Påminnelsen är redan skickad.")


def test_meeting_reads_as_its_date():
    meeting = Meeting(held_on=date(2026, 12, 10), place="Kumla")
    assert str(meeting) == "Styrelsens sammanträde 2026-12-10"
