"""Each constraint both ways: full_clean() gives the Swedish message, a raw save is refused."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from insatser import rules
from insatser.models import (
    Application,
    Attachment,
    BudgetLine,
    CoApplicant,
    CoFunding,
    CompletionRequest,
    ProposalAmount,
)
from tests.factories.forbund import PartyFactory, UserFactory
from tests.factories.insatser import ApplicationFactory, BudgetLineFactory, CoFundingFactory

pytestmark = pytest.mark.django_db


def _both_ways(instance, message):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    assert message in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_period_must_be_in_order():
    application = ApplicationFactory.build(
        lead_party=PartyFactory(),
        created_by=UserFactory(),
        starts_on=date(2027, 6, 1),
        ends_on=date(2027, 1, 1),
    )
    _both_ways(application, "Slutdatum ligger före startdatum.")


def test_submitted_application_needs_a_case_number():
    application = ApplicationFactory.build(
        lead_party=PartyFactory(), created_by=UserFactory(), status=rules.SUBMITTED
    )
    _both_ways(application, "En inskickad ansökan måste ha ett diarienummer.")


def test_case_number_needs_year_and_number():
    application = ApplicationFactory.build(
        lead_party=PartyFactory(), created_by=UserFactory(), case_year=2026
    )
    _both_ways(application, "Diarienumret måste ha både år och löpnummer.")


def test_case_number_is_unique():
    ApplicationFactory(case_year=2026, case_seq=1, status=rules.SUBMITTED)
    twin = ApplicationFactory.build(
        lead_party=PartyFactory(),
        created_by=UserFactory(),
        case_year=2026,
        case_seq=1,
        status=rules.SUBMITTED,
    )
    _both_ways(twin, "Diarienumret är redan använt.")


def test_budget_amount_not_negative():
    line = BudgetLineFactory.build(application=ApplicationFactory(budget=[]), amount_kr=-1)
    _both_ways(line, "Beloppet kan inte vara negativt.")


def test_budget_year_plausible():
    line = BudgetLineFactory.build(application=ApplicationFactory(budget=[]), year=1990)
    _both_ways(line, "Året måste ligga mellan 2000 och 2100.")


def test_co_funding_value_not_negative():
    row = CoFundingFactory.build(application=ApplicationFactory(), amount_kr=-10)
    row.party = row.application.lead_party
    _both_ways(row, "Värdet kan inte vara negativt.")


def test_party_invited_once_per_application():
    application = ApplicationFactory()
    af = PartyFactory(af=True)
    CoApplicant.objects.create(application=application, party=af, invited_by=UserFactory())
    twin = CoApplicant(application=application, party=af, invited_by=UserFactory())
    _both_ways(twin, "Parten är redan inbjuden till ansökan.")


def test_answer_needs_a_time():
    co = CoApplicant(
        application=ApplicationFactory(),
        party=PartyFactory(af=True),
        invited_by=UserFactory(),
        status=rules.CONFIRMED,
    )
    _both_ways(co, "Ett svar måste ha en tidpunkt.")


def test_lead_party_cannot_be_its_own_co_applicant():
    application = ApplicationFactory()
    co = CoApplicant(
        application=application, party=application.lead_party, invited_by=UserFactory()
    )
    with pytest.raises(ValidationError, match="Huvudmannen kan inte också vara medsökande."):
        co.full_clean()


def test_attachment_at_most_10_mb():
    attachment = Attachment(
        application=ApplicationFactory(),
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=rules.MAX_ATTACHMENT_BYTES + 1,
        uploaded_by=UserFactory(),
    )
    _both_ways(attachment, "En bilaga får vara högst 10 MB.")


def test_completion_answer_needs_text_and_time():
    request = CompletionRequest(
        application=ApplicationFactory(),
        questions="?",
        requested_by=UserFactory(),
        answer="Svar",
    )
    _both_ways(request, "Ett svar på kompletteringen måste ha text och tidpunkt.")


def test_proposal_amount_once_per_year_and_not_negative():
    application = ApplicationFactory(proposed=True)
    proposal = application.proposal
    _both_ways(
        ProposalAmount(proposal=proposal, year=2027, amount_kr=5),
        "Det finns redan ett belopp för det året.",
    )
    _both_ways(
        ProposalAmount(proposal=proposal, year=2029, amount_kr=-5),
        "Beloppet kan inte vara negativt.",
    )


def test_str_and_case_number():
    application = Application(title="Vägen", case_year=2026, case_seq=7)
    assert str(application) == "2026-007 Vägen"
    assert BudgetLine(year=2027, category="personal", description="Coach").__str__() == (
        "2027 Personal: Coach"
    )
    assert CoFunding.Kind.IN_KIND.label.startswith("I annan form")
