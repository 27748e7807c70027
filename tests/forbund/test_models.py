from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from forbund.models import BudgetYear, Contribution, KeyShare, Party, Population
from tests.factories.forbund import (
    BudgetYearFactory,
    ContributionFactory,
    PartyFactory,
    PopulationFactory,
)

pytestmark = pytest.mark.django_db


def both_ways(instance, message, create):
    """full_clean() raises the Swedish message; a raw create() hits the database constraint."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_party_org_number_check_digit():
    """A party's organisationsnummer must have a valid check digit."""
    party = Party(
        name="Kumla kommun", kind="KOMMUN", org_number="212000-1935", member_from=date(2009, 1, 1)
    )
    with pytest.raises(ValidationError, match="kontrollsiffra"):
        party.full_clean()
    party.org_number = "2120001934"
    party.full_clean()
    assert party.org_number == "212000-1934"


def test_party_org_number_is_unique():
    PartyFactory(name="Kumla kommun", org_number="212000-1934")
    twin = Party(
        name="Kumla igen", kind="KOMMUN", org_number="212000-1934", member_from=date(2009, 1, 1)
    )
    both_ways(
        twin,
        "Det finns redan en part med det organisationsnumret.",
        lambda: Party.objects.create(
            name="Kumla igen", kind="KOMMUN", org_number="212000-1934", member_from=date(2009, 1, 1)
        ),
    )
    # Blank numbers are not duplicates of each other.
    PartyFactory(name="A")
    PartyFactory(name="B")


def test_party_membership_dates_in_order():
    party = Party(name="X", kind="KOMMUN", member_from=date(2020, 1, 1), member_to=date(2019, 1, 1))
    both_ways(
        party,
        "Slutdatum för medlemskapet ligger före startdatum.",
        lambda: Party.objects.create(
            name="X", kind="KOMMUN", member_from=date(2020, 1, 1), member_to=date(2019, 1, 1)
        ),
    )


def test_population_constraints():
    """Population is positive, one per party and year, and only for kommuner and regions."""
    kumla = PartyFactory(name="Kumla kommun")
    both_ways(
        Population(party=kumla, year=2026, inhabitants=0),
        "Invånarantalet måste vara större än noll.",
        lambda: Population.objects.create(party=kumla, year=2026, inhabitants=0),
    )
    PopulationFactory(party=kumla, year=2026, inhabitants=22_000)
    both_ways(
        Population(party=kumla, year=2026, inhabitants=21_000),
        "Parten har redan ett befolkningstal för det året.",
        lambda: Population.objects.create(party=kumla, year=2026, inhabitants=21_000),
    )
    both_ways(
        Population(party=kumla, year=1990, inhabitants=21_000),
        "Året måste ligga mellan 2000 och 2100.",
        lambda: Population.objects.create(party=kumla, year=1990, inhabitants=21_000),
    )
    with pytest.raises(ValidationError, match="bara för kommuner och regioner"):
        Population(party=PartyFactory(af=True), year=2026, inhabitants=5).full_clean()


def test_budget_year_constraints():
    both_ways(
        BudgetYear(year=2026, state_allocation_kr=-1),
        "Den statliga tilldelningen kan inte vara negativ.",
        lambda: BudgetYear.objects.create(year=2026, state_allocation_kr=-1),
    )
    both_ways(
        BudgetYear(year=2026, state_allocation_kr=1, audit_cost_kr=-5),
        "Kansliets budgetposter kan inte vara negativa.",
        lambda: BudgetYear.objects.create(year=2026, state_allocation_kr=1, audit_cost_kr=-5),
    )
    both_ways(
        BudgetYear(year=2026, state_allocation_kr=1, other_income_kr=-5),
        "Övriga intäkter kan inte vara negativa.",
        lambda: BudgetYear.objects.create(year=2026, state_allocation_kr=1, other_income_kr=-5),
    )
    both_ways(
        BudgetYear(year=1999, state_allocation_kr=1),
        "Året måste ligga mellan 2000 och 2100.",
        lambda: BudgetYear.objects.create(year=1999, state_allocation_kr=1),
    )
    BudgetYearFactory(year=2026)
    both_ways(
        BudgetYear(year=2026, state_allocation_kr=1),
        "Det finns redan en budget för det året.",
        lambda: BudgetYear.objects.create(year=2026, state_allocation_kr=1),
    )


def test_budget_year_money():
    """The total is twice the state allocation; money available subtracts the kansli's budget."""
    year = BudgetYear(
        year=2026,
        state_allocation_kr=4_000_000,
        other_income_kr=30_000,
        equity_brought_in_kr=1_310_000,
        board_cost_kr=250_000,
        administration_cost_kr=1_420_000,
        audit_cost_kr=120_000,
    )
    assert year.total_kr == 8_000_000
    assert year.office_costs_kr == 1_790_000
    assert year.money_available_kr == 7_550_000


def test_key_share_constraints():
    budget_year = BudgetYearFactory()
    kumla = PartyFactory(name="Kumla kommun")
    both_ways(
        KeyShare(budget_year=budget_year, party=kumla, share=10_001),
        "En andel ligger mellan 0 och 100 %.",
        lambda: KeyShare.objects.create(budget_year=budget_year, party=kumla, share=10_001),
    )
    KeyShare.objects.create(budget_year=budget_year, party=kumla, share=5_000)
    both_ways(
        KeyShare(budget_year=budget_year, party=kumla, share=5_000),
        "Parten har redan en andel det året.",
        lambda: KeyShare.objects.create(budget_year=budget_year, party=kumla, share=5_000),
    )
    with pytest.raises(ValidationError, match="bara kommuner och regioner"):
        KeyShare(budget_year=budget_year, party=PartyFactory(fk=True), share=1).full_clean()


def test_contribution_constraints():
    budget_year = BudgetYearFactory()
    kumla = PartyFactory(name="Kumla kommun")

    def make(**kwargs):
        return Contribution(budget_year=budget_year, party=kumla, **kwargs)

    def create(**kwargs):
        return lambda: Contribution.objects.create(budget_year=budget_year, party=kumla, **kwargs)

    both_ways(make(amount_kr=-1), "Bidraget kan inte vara negativt.", create(amount_kr=-1))
    both_ways(
        make(amount_kr=100, paid_kr=101, paid_on=date(2026, 2, 1)),
        "Betalt belopp måste ligga mellan 0 kr och bidragets belopp.",
        create(amount_kr=100, paid_kr=101, paid_on=date(2026, 2, 1)),
    )
    both_ways(
        make(amount_kr=100, paid_kr=100),
        "Ange både betalningsdatum och betalt belopp, eller inget av dem.",
        create(amount_kr=100, paid_kr=100),
    )
    both_ways(
        make(amount_kr=100, paid_kr=0, paid_on=date(2026, 2, 1)),
        "Ange både betalningsdatum och betalt belopp, eller inget av dem.",
        create(amount_kr=100, paid_kr=0, paid_on=date(2026, 2, 1)),
    )
    ContributionFactory(budget_year=budget_year, party=kumla)
    both_ways(
        make(amount_kr=100),
        "Parten har redan ett medlemsbidrag det året.",
        create(amount_kr=100),
    )


def test_contribution_clean():
    """AF pays no contribution of its own, and a payment can't precede its invoice."""
    budget_year = BudgetYearFactory()
    with pytest.raises(ValidationError, match="Arbetsförmedlingen betalar inget eget"):
        Contribution(budget_year=budget_year, party=PartyFactory(af=True), amount_kr=1).full_clean()
    contribution = Contribution(
        budget_year=budget_year,
        party=PartyFactory(),
        amount_kr=100,
        invoiced_on=date(2026, 2, 1),
        paid_on=date(2026, 1, 1),
        paid_kr=100,
    )
    with pytest.raises(ValidationError, match="före fakturadatumet"):
        contribution.full_clean()


def test_contribution_status_and_outstanding():
    c = Contribution(amount_kr=1000)
    assert c.status == "not_invoiced" and c.outstanding_kr == 1000
    c.invoiced_on = date(2026, 1, 20)
    assert c.get_status_display() == "Fakturerad, ej betald"
    c.paid_kr, c.paid_on = 400, date(2026, 2, 1)
    assert c.status == "part_paid" and c.outstanding_kr == 600
    c.paid_kr = 1000
    assert c.status == "paid" and c.outstanding_kr == 0
