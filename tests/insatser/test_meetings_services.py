"""Meetings, jäv, decisions, justering and delegation through the services."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from finsam.audit import events_for
from insatser import rules, services, services_decisions, services_meetings
from insatser.models import Application
from insatser.models_insats import Insats
from insatser.models_meetings import ConflictOfInterest, Decision, Meeting
from tests.factories.decisions import (
    MeetingFactory,
    board,
    called_meeting,
    decide_and_approve,
    money,
    proposed_application,
    the_office,
)
from tests.factories.forbund import ForbundFactory, PartyFactory
from tests.factories.insatser import ApplicationFactory, lead_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    people = board()
    money(2027, 2_000_000)
    money(2028, 2_000_000)
    return {"office": the_office(), **people}


def _record(item, by, outcome="bevilja", amounts=None, conflicted=(), reasons=""):
    return services_decisions.decision_record(
        item=item,
        outcome=outcome,
        amounts=amounts if amounts is not None else {2027: 300_000, 2028: 310_000},
        conditions="Lägesrapport varje år.",
        reasons=reasons,
        conflicted=list(conflicted),
        by=by,
    )


def test_notice_goes_to_members_and_deputies_with_the_documents(
    world, django_capture_on_commit_callbacks
):
    """The kallelse is e-mailed to every ledamot and ersättare of the day, with a PDF attached."""
    application = proposed_application()
    meeting = MeetingFactory()
    services_meetings.agenda_add_proposal(
        meeting=meeting, application=application, by=world["office"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_meetings.meeting_send_notice(meeting=meeting, by=world["office"])
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(u.email for u in (world[k] for k in world if k != "office"))
    message = mail.outbox[0]
    assert "Kallelse till styrelsens sammanträde" in message.subject
    assert "§ 1 Ansökan" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".pdf") and mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    meeting.refresh_from_db()
    assert meeting.status == "kallat" and meeting.notice_sent_at is not None


def test_notice_needs_an_agenda(world):
    """An empty agenda is not sent: the meeting stays planned."""
    meeting = MeetingFactory()
    with pytest.raises(ValidationError, match="minst ett ärende"):
        services_meetings.meeting_send_notice(meeting=meeting, by=world["office"])
    meeting.refresh_from_db()
    assert meeting.status == "planerat"


def test_only_proposals_go_on_the_agenda_and_only_once(world):
    """An application without a förslag is refused; a förslag is on one agenda only."""
    meeting = MeetingFactory()
    draft = ApplicationFactory(submitted=True)
    with pytest.raises(ValidationError, match="förslag till beslut"):
        services_meetings.agenda_add_proposal(
            meeting=meeting, application=draft, by=world["office"]
        )
    application = proposed_application()
    services_meetings.agenda_add_proposal(
        meeting=meeting, application=application, by=world["office"]
    )
    with pytest.raises(ValidationError, match="redan på dagordningen"):
        services_meetings.agenda_add_proposal(
            meeting=MeetingFactory(), application=application, by=world["office"]
        )


def test_items_are_numbered_and_renumbered_on_removal(world):
    """Paragraphs count from § 1; removing one from a planned meeting closes the gap."""
    meeting = MeetingFactory()
    office = world["office"]
    first = services_meetings.agenda_add_other(
        meeting=meeting, title="Öppnande", notes="", by=office
    )
    second = services_meetings.agenda_add_proposal(
        meeting=meeting, application=proposed_application(), by=office
    )
    third = services_meetings.agenda_add_other(
        meeting=meeting, title="Avslutning", notes="", by=office
    )
    assert [first.number, second.number, third.number] == [1, 2, 3]
    services_meetings.agenda_item_remove(item=second, by=office)
    assert list(meeting.items.values_list("title", "number")) == [
        ("Öppnande", 1),
        ("Avslutning", 2),
    ]


def test_member_declares_conflict_only_for_themselves(world):
    """A board member declares jäv for themselves; party staff and outsiders cannot."""
    application = proposed_application()
    meeting = called_meeting(application)
    item = meeting.items.get()
    services_meetings.conflict_declare(item=item, reason="Anställd hos sökande", by=world["member"])
    assert ConflictOfInterest.objects.get().member == world["member"]
    with pytest.raises(ValidationError, match="redan anmält"):
        services_meetings.conflict_declare(item=item, by=world["member"])
    with pytest.raises(ValidationError, match="Bara ledamöter och ersättare"):
        services_meetings.conflict_declare(item=item, by=lead_staff(application))
    services_meetings.conflict_withdraw(item=item, by=world["member"])
    assert not ConflictOfInterest.objects.exists()


def test_decision_waits_for_justering_then_takes_effect(world, django_capture_on_commit_callbacks):
    """A recorded grant leaves the application proposed until every signer has approved; then
    it is beviljad, an insats exists and the applicants are told."""
    application = proposed_application()
    meeting = called_meeting(application)
    item = meeting.items.get()
    office = world["office"]
    decision = _record(item, office, conflicted=[world["member"]])
    application.refresh_from_db()
    assert application.status == rules.PROPOSED
    assert decision.status == "vantar_justering"
    assert list(item.conflicts.values_list("member__email", flat=True)) == [world["member"].email]

    services_meetings.meeting_set_signers(
        meeting=meeting, chair=world["chair"], adjusters=[world["adjuster"]], by=office
    )
    services_meetings.minutes_finalise(meeting=meeting, by=office)
    with pytest.raises(ValidationError, match="Bara sammanträdets ordförande"):
        services_meetings.minutes_approve(meeting=meeting, by=world["member"])
    services_meetings.minutes_approve(meeting=meeting, by=world["chair"])
    with pytest.raises(ValidationError, match="redan justerat"):
        services_meetings.minutes_approve(meeting=meeting, by=world["chair"])
    application.refresh_from_db()
    assert application.status == rules.PROPOSED
    assert not Insats.objects.exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services_meetings.minutes_approve(meeting=meeting, by=world["adjuster"])
    meeting.refresh_from_db()
    application.refresh_from_db()
    assert meeting.status == "justerat" and meeting.approved_at is not None
    assert application.status == rules.GRANTED
    insats = application.insats
    assert insats.lead_party == application.lead_party
    assert list(insats.co_parties.values_list("kind", flat=True)) == ["AF"]
    assert {(g.year, g.amount_kr) for g in insats.granted_amounts.all()} == {
        (2027, 300_000),
        (2028, 310_000),
    }
    assert [r.kind for r in insats.reports.order_by("due_on")] == ["lagesrapport", "slutrapport"]
    subjects = {m.subject for m in mail.outbox}
    assert f"[Finsam] Beslut: ansökan {application.case_number} är beviljad" in subjects
    assert lead_staff(application).email in {m.to[0] for m in mail.outbox}
    assert "application.grant" in [e.action for e in events_for(application)]


def test_rejection_needs_reasons_and_makes_no_insats(world):
    """Avslag needs reasons; once justerat the application is avslagen without an insats."""
    application = proposed_application()
    meeting = called_meeting(application)
    item = meeting.items.get()
    with pytest.raises(ValidationError, match="skälen för avslaget"):
        _record(item, world["office"], outcome="avsla")
    decide_and_approve(meeting, outcomes={1: "avsla"})
    application.refresh_from_db()
    assert application.status == rules.REJECTED
    assert not Insats.objects.exists()


def test_decisions_are_recorded_from_the_meeting_day(world):
    """A meeting in the future cannot have decisions yet."""
    application = proposed_application()
    meeting = called_meeting(application, held_on=timezone.localdate() + timedelta(days=7))
    with pytest.raises(ValidationError, match="från och med den dagen"):
        _record(meeting.items.get(), world["office"])


def test_minutes_need_every_decision_and_signers(world):
    """The minutes go for justering only with a decision in each § and chosen signers."""
    meeting = called_meeting(proposed_application())
    office = world["office"]
    with pytest.raises(ValidationError, match="§ 1 saknar beslut"):
        services_meetings.minutes_finalise(meeting=meeting, by=office)
    _record(meeting.items.get(), office)
    with pytest.raises(ValidationError, match="Välj ordförande och justerare"):
        services_meetings.minutes_finalise(meeting=meeting, by=office)
    with pytest.raises(ValidationError, match="Ordföranden justerar redan"):
        services_meetings.meeting_set_signers(
            meeting=meeting, chair=world["chair"], adjusters=[world["chair"]], by=office
        )
    outsider = lead_staff(meeting.items.get().application)
    with pytest.raises(ValidationError, match="satt inte i styrelsen"):
        services_meetings.meeting_set_signers(
            meeting=meeting, chair=world["chair"], adjusters=[outsider], by=office
        )


def test_reopened_minutes_undo_the_approvals(world):
    """Opening the minutes for corrections means everyone justerar again."""
    meeting = called_meeting(proposed_application())
    office = world["office"]
    _record(meeting.items.get(), office)
    services_meetings.meeting_set_signers(
        meeting=meeting, chair=world["chair"], adjusters=[world["adjuster"]], by=office
    )
    services_meetings.minutes_finalise(meeting=meeting, by=office)
    services_meetings.minutes_approve(meeting=meeting, by=world["chair"])
    services_meetings.minutes_reopen(meeting=meeting, by=office)
    assert not meeting.signatures.filter(approved_at__isnull=False).exists()
    assert Meeting.objects.get(pk=meeting.pk).status == "kallat"


def test_grant_above_the_years_money_is_refused_with_what_is_left(world):
    """A grant that takes 2027 above its money is refused and says how much is left."""
    money(2027, 500_000)
    first, second = proposed_application(), proposed_application()
    meeting = called_meeting(first, second)
    one, two = meeting.items.order_by("number")
    _record(one, world["office"])  # 300 000 kr of 500 000 kr in 2027
    with pytest.raises(ValidationError) as error:
        _record(two, world["office"])
    message = error.value.messages[0]
    assert "2027" in message
    assert "200\xa0000\xa0kr återstår" in message
    assert "Ingenting har ändrats" in message
    assert not Decision.objects.filter(agenda_item=two).exists()
    _record(two, world["office"], amounts={2027: 200_000, 2028: 310_000})


def test_replacing_a_decision_does_not_count_itself(world):
    """Recording the same § again replaces the decision; its old amounts do not block it."""
    money(2027, 300_000)
    meeting = called_meeting(proposed_application())
    item = meeting.items.get()
    _record(item, world["office"])
    _record(item, world["office"])
    assert Decision.objects.count() == 1


def test_lapsed_decision_when_application_withdrawn_before_justering(world):
    """If the applicant withdraws before the justering, the decision lapses; no insats."""
    application = proposed_application()
    meeting = called_meeting(application)
    office = world["office"]
    _record(meeting.items.get(), office)
    services.application_withdraw(
        application=application, reason="Ej aktuell", by=lead_staff(application)
    )
    services_meetings.meeting_set_signers(
        meeting=meeting, chair=world["chair"], adjusters=[world["adjuster"]], by=office
    )
    services_meetings.minutes_finalise(meeting=meeting, by=office)
    services_meetings.minutes_approve(meeting=meeting, by=world["chair"])
    services_meetings.minutes_approve(meeting=meeting, by=world["adjuster"])
    assert Decision.objects.get().status == "forfallet"
    assert Application.objects.get(pk=application.pk).status == rules.WITHDRAWN
    assert not Insats.objects.exists()


# Delegation.


def test_forbundschef_grants_within_the_delegation_limit(world, django_capture_on_commit_callbacks):
    """A grant within the limit is in force at once, makes an insats and waits for anmälan."""
    ForbundFactory(delegation_limit_kr=100_000)
    application = proposed_application()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services_decisions.decision_delegate(
            application=application,
            amounts={2027: 60_000, 2028: 40_000},
            conditions="",
            reasons="Litet belopp inom delegationen.",
            by=world["office"],
        )
    application.refresh_from_db()
    assert decision.delegated and decision.status == "gallande"
    assert application.status == rules.GRANTED
    assert application.insats.granted_amounts.count() == 2
    assert any("är beviljad" in m.subject for m in mail.outbox)
    meeting = MeetingFactory()
    item = services_meetings.agenda_add_delegation_report(
        meeting=meeting, decision=decision, by=world["office"]
    )
    assert item.title.startswith("Anmälan av delegationsbeslut")
    with pytest.raises(ValidationError, match="redan anmält"):
        services_meetings.agenda_add_delegation_report(
            meeting=meeting, decision=decision, by=world["office"]
        )


def test_delegation_limit_counts_the_total(world):
    """100 001 kr over two years is above a 100 000 kr limit: refused, nothing changes."""
    ForbundFactory(delegation_limit_kr=100_000)
    application = proposed_application()
    with pytest.raises(ValidationError, match="över delegationsgränsen"):
        services_decisions.decision_delegate(
            application=application,
            amounts={2027: 50_001, 2028: 50_000},
            conditions="",
            reasons="",
            by=world["office"],
        )
    application.refresh_from_db()
    assert application.status == rules.PROPOSED
    assert not Decision.objects.exists()


def test_delegation_only_by_the_kansli_and_not_for_agenda_items(world):
    ForbundFactory(delegation_limit_kr=1_000_000)
    application = proposed_application()
    with pytest.raises(ValidationError, match="Bara förbundschefen"):
        services_decisions.decision_delegate(
            application=application,
            amounts={2027: 1_000},
            conditions="",
            reasons="",
            by=world["chair"],
        )
    called_meeting(application)
    with pytest.raises(ValidationError, match="dagordning"):
        services_decisions.decision_delegate(
            application=application,
            amounts={2027: 1_000},
            conditions="",
            reasons="",
            by=world["office"],
        )


def test_delegated_grant_respects_the_years_money(world):
    ForbundFactory(delegation_limit_kr=1_000_000)
    money(2027, 50_000)
    with pytest.raises(ValidationError) as error:
        services_decisions.decision_delegate(
            application=proposed_application(),
            amounts={2027: 60_000},
            conditions="",
            reasons="",
            by=world["office"],
        )
    assert "50\xa0000\xa0kr återstår" in error.value.messages[0]


def test_year_without_budget_has_nothing_to_grant(world):
    """No budget year for 2029: 0 kr left, the grant is refused."""
    application = ApplicationFactory(
        starts_on=date(2029, 1, 1),
        ends_on=date(2029, 12, 31),
        budget=[(2029, "personal", "Konsult", 100_000)],
        in_preparation=True,
    )
    services.application_propose(
        application=application,
        recommendation="bevilja",
        reasoning="Bra.",
        conditions="",
        amounts={2029: 100_000},
        by=world["office"],
    )
    meeting = called_meeting(application)
    with pytest.raises(ValidationError) as error:
        _record(meeting.items.get(), world["office"], amounts={2029: 1})
    assert "2029 års medel för insatser: 0\xa0kr återstår" in error.value.messages[0]


def test_party_staff_of_two_kommuner_cannot_place_anything(world):
    """Only the kansli plans meetings."""
    staff = lead_staff(proposed_application(lead_party=PartyFactory(name="Kumla kommun")))
    with pytest.raises(ValidationError, match="Bara förbundets kansli"):
        services_meetings.meeting_create(held_on=date(2027, 2, 1), place="Kumla", by=staff)
