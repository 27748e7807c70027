from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from finsam.audit import events_for
from insatser import rules, services
from insatser.models import Application, ApplicationVersion, CaseNumberCounter
from tests.factories.forbund import PartyFactory
from tests.factories.insatser import ApplicationFactory, lead_staff, office_user, staff_of

pytestmark = pytest.mark.django_db


def _invite_and_answer(application, party, *, confirm=True):
    co = services.co_applicant_invite(
        application=application, party=party, by=lead_staff(application)
    )
    return services.co_applicant_respond(
        co_applicant=co,
        confirm=confirm,
        comment="" if confirm else "Inga resurser.",
        by=staff_of(party),
    )


def test_two_kommuner_cannot_submit():
    """Askersund and Kumla alone are one party: the submission is refused and nothing changes."""
    application = ApplicationFactory(lead_party=PartyFactory(name="Kumla kommun"))
    _invite_and_answer(application, PartyFactory(name="Askersunds kommun"))
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=lead_staff(application))
    assert error.value.messages == [rules.TWO_PARTIES_REFUSAL]
    application.refresh_from_db()
    assert application.status == rules.DRAFT
    assert application.case_number == ""
    assert not CaseNumberCounter.objects.exists()
    assert not ApplicationVersion.objects.exists()


def test_kommun_with_arbetsformedlingen_can_submit(django_capture_on_commit_callbacks):
    """Kumla with Arbetsförmedlingen confirmed is two parties: submitted with a diarienummer."""
    office_user(user__email="kansli@example.se")
    application = ApplicationFactory(lead_party=PartyFactory(name="Kumla kommun"))
    _invite_and_answer(application, PartyFactory(af=True))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(application=application, by=lead_staff(application))
    year = date.today().year
    assert submitted.status == rules.SUBMITTED
    assert submitted.case_number == f"{year}-001"
    assert submitted.versions.get().number == 1
    assert [m.to for m in mail.outbox] == [["kansli@example.se"]]
    assert f"{year}-001" in mail.outbox[0].subject


def test_unconfirmed_or_declined_party_does_not_count():
    """An invitation not yet answered, or declined, does not make a second party."""
    application = ApplicationFactory()
    af = PartyFactory(af=True)
    services.co_applicant_invite(application=application, party=af, by=lead_staff(application))
    with pytest.raises(ValidationError, match="minst två olika"):
        services.application_submit(application=application, by=lead_staff(application))
    _invite_and_answer(application, PartyFactory(fk=True), confirm=False)
    with pytest.raises(ValidationError, match="minst två olika"):
        services.application_submit(application=application, by=lead_staff(application))


def test_incomplete_application_lists_what_is_missing():
    application = ApplicationFactory(purpose="", budget=[], confirmed=True)
    with pytest.raises(ValidationError) as error:
        services.application_submit(application=application, by=lead_staff(application))
    assert "Syfte saknas." in error.value.messages
    assert "Budgeten saknas: lägg till minst en budgetrad." in error.value.messages


def test_case_numbers_are_gapless_per_year():
    """Each submission takes the next number; a refused one takes none."""
    first = ApplicationFactory(submitted=True)
    refused = ApplicationFactory()
    with pytest.raises(ValidationError):
        services.application_submit(application=refused, by=lead_staff(refused))
    second = ApplicationFactory(submitted=True)
    year = date.today().year
    assert [first.case_number, second.case_number] == [f"{year}-001", f"{year}-002"]


def test_only_lead_party_staff_submit():
    application = ApplicationFactory(confirmed=True)
    co_staff = staff_of(application.co_applicants.get().party)
    with pytest.raises(ValidationError, match="Bara huvudmannen"):
        services.application_submit(application=application, by=co_staff)
    application.refresh_from_db()
    assert application.status == rules.DRAFT


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("submitted", "submit"),
        ("proposed", "request_completion"),
        ("in_preparation", "start_preparation"),
        ("submitted", "propose"),
    ],
)
def test_transitions_outside_the_table_are_refused(state, action):
    """A step the workflow table does not allow is refused in Swedish and changes nothing."""
    application = ApplicationFactory(**{state: True})
    before = application.status
    events_before = events_for(application).count()
    office = office_user()
    calls = {
        "submit": lambda: services.application_submit(
            application=application, by=lead_staff(application)
        ),
        "request_completion": lambda: services.application_request_completion(
            application=application, questions="?", by=office
        ),
        "start_preparation": lambda: services.application_start_preparation(
            application=application, by=office
        ),
        "propose": lambda: services.application_propose(
            application=application,
            recommendation="bevilja",
            reasoning="x",
            conditions="",
            amounts={2027: 1},
            by=office,
        ),
    }
    with pytest.raises(ValidationError) as error:
        calls[action]()
    assert error.value.messages == [rules.refusal_message(action, before)]
    assert "Ingenting har ändrats" in error.value.messages[0]
    application.refresh_from_db()
    assert application.status == before
    assert events_for(application).count() == events_before


def test_party_staff_cannot_take_office_steps():
    application = ApplicationFactory(submitted=True)
    with pytest.raises(ValidationError, match="Bara förbundets kansli"):
        services.application_start_preparation(application=application, by=lead_staff(application))


def test_completion_round_trip_keeps_case_number_and_versions(django_capture_on_commit_callbacks):
    """Komplettering: questions go to the applicant, who edits, answers and resubmits."""
    application = ApplicationFactory(in_preparation=True)
    staff = lead_staff(application)
    number = application.case_number
    office = office_user()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_completion(
            application=application, questions="Hur många deltagare per år?", by=office
        )
    assert "Hur många deltagare per år?" in mail.outbox[0].body
    assert staff.email in {m.to[0] for m in mail.outbox}
    services.application_update(application=application, planned_participants=45, by=staff)
    with pytest.raises(ValidationError, match="Skriv ett svar"):
        services.application_submit(application=application, by=staff)
    services.application_submit(application=application, answer="45 per år.", by=staff)
    application.refresh_from_db()
    assert application.status == rules.SUBMITTED
    assert application.case_number == number
    assert list(application.versions.values_list("number", flat=True)) == [1, 2]
    request = application.completion_requests.get()
    assert request.answer == "45 per år." and request.answered_by == staff
    edit = [e for e in events_for(application) if e.action == "application.edited"][0]
    assert ["Planerat antal deltagare", "30", "45"] in edit.data["changes"]
    changes = rules.diff_contents(
        application.versions.get(number=1).content, application.versions.get(number=2).content
    )
    assert [(c.label, c.old, c.new) for c in changes] == [("Planerat antal deltagare", "30", "45")]


def test_content_is_locked_while_in_preparation():
    application = ApplicationFactory(in_preparation=True)
    with pytest.raises(ValidationError, match="kan bara ändras som utkast"):
        services.application_update(
            application=application, title="Nytt namn", by=lead_staff(application)
        )
    application.refresh_from_db()
    assert application.title != "Nytt namn"


def test_proposal_with_amounts_per_year():
    application = ApplicationFactory(proposed=True)
    assert application.status == rules.PROPOSED
    proposal = application.proposal
    assert {a.year: a.amount_kr for a in proposal.amounts.all()} == {2027: 300_000, 2028: 310_000}
    assert proposal.total_kr == 610_000
    actions = [e.action for e in events_for(application)]
    assert "application.propose" in actions and "application.proposal_written" in actions


def test_proposal_year_outside_period_is_refused():
    application = ApplicationFactory(in_preparation=True)
    with pytest.raises(ValidationError, match="utanför insatsens period"):
        services.application_propose(
            application=application,
            recommendation="bevilja",
            reasoning="Bra.",
            conditions="",
            amounts={2031: 5},
            by=office_user(),
        )
    application.refresh_from_db()
    assert application.status == rules.IN_PREPARATION


def test_reject_proposal_needs_no_amounts():
    application = ApplicationFactory(in_preparation=True)
    proposal = services.application_propose(
        application=application,
        recommendation="avsla",
        reasoning="Utanför målgruppen.",
        conditions="",
        amounts={2027: 100},
        by=office_user(),
    )
    assert proposal.amounts.count() == 0


def test_withdraw_any_time_before_a_decision_but_not_after():
    application = ApplicationFactory(proposed=True)
    staff = lead_staff(application)
    services.application_withdraw(application=application, reason="Ändrade planer.", by=staff)
    application.refresh_from_db()
    assert application.status == rules.WITHDRAWN
    granted = ApplicationFactory(proposed=True)
    Application.objects.filter(pk=granted.pk).update(status=rules.GRANTED)
    with pytest.raises(ValidationError, match="kan inte återtas"):
        services.application_withdraw(application=granted, reason="", by=lead_staff(granted))


def test_invitation_mails_the_staff_of_the_invited_party(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    af = PartyFactory(af=True)
    staff_of(af, user__email="handlaggare@af.example.se")
    staff_of(PartyFactory(fk=True), user__email="fel@fk.example.se")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.co_applicant_invite(application=application, party=af, by=lead_staff(application))
    assert [m.to for m in mail.outbox] == [["handlaggare@af.example.se"]]
    assert application.title in mail.outbox[0].body
    assert f"/ansokningar/{application.pk}/parter/" in mail.outbox[0].body


def test_only_the_invited_partys_staff_answer():
    application = ApplicationFactory()
    af = PartyFactory(af=True)
    co = services.co_applicant_invite(application=application, party=af, by=lead_staff(application))
    with pytest.raises(ValidationError, match="Bara handläggare hos Arbetsförmedlingen"):
        services.co_applicant_respond(
            co_applicant=co, confirm=True, comment="", by=lead_staff(application)
        )
    with pytest.raises(ValidationError, match="Skriv varför"):
        services.co_applicant_respond(co_applicant=co, confirm=False, comment=" ", by=staff_of(af))
    co.refresh_from_db()
    assert co.status == rules.INVITED


def test_confirmation_and_decline_are_events():
    application = ApplicationFactory()
    _invite_and_answer(application, PartyFactory(af=True))
    _invite_and_answer(application, PartyFactory(fk=True), confirm=False)
    events = {e.action: e for e in events_for(application)}
    assert events["application.party_confirmed"].data == {"party": "Arbetsförmedlingen"}
    assert events["application.party_declined"].comment == "Inga resurser."


def test_declined_party_may_be_invited_again():
    application = ApplicationFactory()
    fk = PartyFactory(fk=True)
    _invite_and_answer(application, fk, confirm=False)
    co = services.co_applicant_invite(application=application, party=fk, by=lead_staff(application))
    assert co.status == rules.INVITED and co.comment == ""


def test_lead_party_cannot_be_co_applicant_nor_invited_twice():
    application = ApplicationFactory()
    staff = lead_staff(application)
    with pytest.raises(ValidationError, match="Huvudmannen kan inte"):
        services.co_applicant_invite(
            application=application, party=application.lead_party, by=staff
        )
    af = PartyFactory(af=True)
    services.co_applicant_invite(application=application, party=af, by=staff)
    with pytest.raises(ValidationError, match="redan inbjuden"):
        services.co_applicant_invite(application=application, party=af, by=staff)


def test_budget_lines_that_look_like_benefits_are_flagged():
    application = ApplicationFactory()
    services.budget_replace(
        application=application,
        lines=[
            {
                "year": 2027,
                "category": "ovrigt",
                "description": "Busskort till deltagare",
                "amount_kr": 20_000,
            },
            {"year": 2027, "category": "personal", "description": "Coach", "amount_kr": 400_000},
        ],
        by=lead_staff(application),
    )
    flagged = [line for line in application.budget_lines.all() if line.benefit_warning]
    assert [line.description for line in flagged] == ["Busskort till deltagare"]
    event = [e for e in events_for(application) if e.action == "application.budget_flagged"][0]
    assert event.data == {"lines": ["Busskort till deltagare"]}


def test_budget_year_outside_period_is_refused():
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match="Året 2030 ligger utanför insatsens period"):
        services.budget_replace(
            application=application,
            lines=[{"year": 2030, "category": "personal", "description": "x", "amount_kr": 1}],
            by=lead_staff(application),
        )
    assert application.budget_lines.count() == 2


def test_co_funding_only_from_parties_behind_the_application():
    application = ApplicationFactory(confirmed=True)
    staff = lead_staff(application)
    af = application.co_applicants.get().party
    services.co_funding_replace(
        application=application,
        rows=[
            {
                "party": af,
                "year": 2027,
                "kind": "natura",
                "description": "Handläggare 20 %",
                "amount_kr": 150_000,
            }
        ],
        by=staff,
    )
    assert application.co_funding.get().party == af
    with pytest.raises(ValidationError, match="står inte bakom ansökan"):
        services.co_funding_replace(
            application=application,
            rows=[
                {
                    "party": PartyFactory(region=True),
                    "year": 2027,
                    "kind": "pengar",
                    "description": "Bidrag",
                    "amount_kr": 1,
                }
            ],
            by=staff,
        )


def test_comments_are_events():
    application = ApplicationFactory(submitted=True)
    services.application_comment(application=application, text="Bra underlag.", by=office_user())
    event = list(events_for(application))[-1]
    assert event.action == "application.commented" and event.comment == "Bra underlag."


def test_every_transition_is_an_event_with_states():
    application = ApplicationFactory(proposed=True)
    moves = [
        (e.action, e.from_state, e.to_state)
        for e in events_for(application)
        if e.from_state and e.to_state and e.action != "application.party_confirmed"
    ]
    assert moves == [
        ("application.submit", rules.DRAFT, rules.SUBMITTED),
        ("application.start_preparation", rules.SUBMITTED, rules.IN_PREPARATION),
        ("application.propose", rules.IN_PREPARATION, rules.PROPOSED),
    ]
