from datetime import date

import pytest
from django.core.exceptions import ValidationError

from finsam.audit import events_for
from forbund import services
from forbund.models import BoardSeat, BudgetYear, Contribution, KeyShare, Party, Population
from tests.factories.forbund import (
    BoardSeatFactory,
    MandatePeriodFactory,
    PartyFactory,
    UserFactory,
    complete_forbund,
)

pytestmark = pytest.mark.django_db


def amounts(budget_year) -> dict[str, int]:
    return {c.party.name: c.amount_kr for c in budget_year.contributions.select_related("party")}


def test_budget_year_save_splits_into_contributions():
    """Saving a budget year makes each party's contribution: FK half, quarters by population."""
    complete_forbund()
    kansli = UserFactory(office=True)
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000), by=kansli
    )
    assert amounts(budget_year) == {
        "Försäkringskassan": 4_000_000,
        "Region Örebro län": 2_000_000,
        "Askersunds kommun": 682_635,
        "Kumla kommun": 1_317_365,
    }
    assert sum(amounts(budget_year).values()) == budget_year.total_kr
    assert [e.action for e in events_for(budget_year)] == ["budget_year.created"]
    kumla = Contribution.objects.get(party__name="Kumla kommun")
    event = events_for(kumla).get()
    assert event.action == "contribution.amount_set" and event.actor == kansli


def test_budget_year_waits_for_missing_population():
    """Without a population for every kommun the year is saved and no contributions are made."""
    parties = complete_forbund()
    Population.objects.filter(party=parties["Kumla kommun"]).delete()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000), by=None
    )
    assert budget_year.pk and not budget_year.contributions.exists()
    services.population_set(year=2026, inhabitants={parties["Kumla kommun"]: 22_000}, by=None)
    assert amounts(budget_year)["Kumla kommun"] == 1_317_365


def test_population_change_updates_the_years_contributions():
    parties = complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000), by=None
    )
    services.population_set(year=2026, inhabitants={parties["Askersunds kommun"]: 22_000}, by=None)
    assert amounts(budget_year)["Askersunds kommun"] == 1_000_000
    assert amounts(budget_year)["Kumla kommun"] == 1_000_000


def test_invalid_population_changes_nothing():
    """A population of zero is refused with the constraint's Swedish message."""
    parties = complete_forbund()
    with pytest.raises(ValidationError, match="större än noll"):
        services.population_set(
            year=2026,
            inhabitants={parties["Kumla kommun"]: 25_000, parties["Askersunds kommun"]: 0},
            by=None,
        )


def test_fixed_key_shares():
    """With a fixed key the kommun quarter is divided by the entered shares."""
    parties = complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000, key="fixed"), by=None
    )
    assert not budget_year.contributions.exists()  # no shares yet
    services.key_shares_set(
        budget_year=budget_year,
        shares={
            parties["Region Örebro län"]: 10_000,
            parties["Askersunds kommun"]: 2_500,
            parties["Kumla kommun"]: 7_500,
        },
        by=None,
    )
    assert amounts(budget_year)["Askersunds kommun"] == 500_000
    assert amounts(budget_year)["Kumla kommun"] == 1_500_000
    assert KeyShare.objects.count() == 3


def test_fixed_key_shares_must_sum_to_100_percent():
    """Shares that don't sum to 100 % are refused and nothing is saved."""
    parties = complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000, key="fixed"), by=None
    )
    with pytest.raises(ValidationError) as excinfo:
        services.key_shares_set(
            budget_year=budget_year,
            shares={
                parties["Region Örebro län"]: 10_000,
                parties["Askersunds kommun"]: 2_500,
                parties["Kumla kommun"]: 6_500,
            },
            by=None,
        )
    assert excinfo.value.messages == [
        "Andelarna för kommunernas fjärdedel summerar till 90\xa0%, inte 100 %."
    ]
    assert not KeyShare.objects.exists()


def test_contribution_update_records_payment():
    complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000), by=None
    )
    kumla = budget_year.contributions.get(party__name="Kumla kommun")
    services.contribution_update(
        contribution=kumla,
        invoiced_on=date(2026, 1, 20),
        paid_on=date(2026, 2, 15),
        paid_kr=1_000_000,
        by=None,
    )
    kumla.refresh_from_db()
    assert kumla.outstanding_kr == 317_365
    assert kumla.get_status_display() == "Delvis betald"
    assert events_for(kumla).last().to_state == "Delvis betald"


def test_contribution_update_refuses_overpayment():
    complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=100), by=None
    )
    kumla = budget_year.contributions.get(party__name="Kumla kommun")
    with pytest.raises(ValidationError, match="mellan 0 kr och bidragets belopp"):
        services.contribution_update(
            contribution=kumla, invoiced_on=None, paid_on=date(2026, 2, 1), paid_kr=10**6, by=None
        )


def test_lowering_the_allocation_below_a_payment_is_refused():
    """A party that has paid can't be given a smaller contribution than it paid."""
    complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000), by=None
    )
    fk = budget_year.contributions.get(party__kind="FK")
    services.contribution_update(
        contribution=fk, invoiced_on=None, paid_on=date(2026, 2, 1), paid_kr=4_000_000, by=None
    )
    budget_year.state_allocation_kr = 3_000_000
    with pytest.raises(ValidationError, match="har redan betalat"):
        services.budget_year_save(budget_year=budget_year, by=None)


def test_party_save_validates_and_audits():
    kansli = UserFactory(office=True)
    party = services.party_save(
        party=Party(
            name="Laxå kommun", kind="KOMMUN", org_number="2120001868", member_from=date(2009, 1, 1)
        ),
        by=kansli,
    )
    assert party.org_number == "212000-1868"
    assert events_for(party).get().action == "party.created"
    with pytest.raises(ValidationError, match="kontrollsiffra"):
        services.party_save(
            party=Party(
                name="Fel", kind="KOMMUN", org_number="212000-1869", member_from=date(2009, 1, 1)
            ),
            by=kansli,
        )
    assert not Party.objects.filter(name="Fel").exists()


def test_board_seat_save_allows_one_chair_at_a_time():
    """A second ordförande overlapping the first is refused with a Swedish message."""
    period = MandatePeriodFactory()
    BoardSeatFactory(mandate_period=period, office="chair")
    seat = BoardSeat(
        mandate_period=period,
        party=PartyFactory(),
        user=UserFactory(),
        kind="member",
        office="chair",
        starts_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError, match="bara ha en ordförande"):
        services.board_seat_save(seat=seat, by=None)
    seat.office = "vice_chair"
    services.board_seat_save(seat=seat, by=None)
    assert events_for(seat).get().action == "board_seat.created"


def test_board_seat_must_lie_in_its_mandate_period():
    period = MandatePeriodFactory(starts_on=date(2023, 1, 1), ends_on=date(2026, 12, 31))
    seat = BoardSeat(
        mandate_period=period,
        party=PartyFactory(),
        user=UserFactory(),
        kind="member",
        starts_on=date(2022, 1, 1),
    )
    with pytest.raises(ValidationError, match="inom mandatperioden 2023–2026"):
        services.board_seat_save(seat=seat, by=None)


def test_deputy_cannot_be_chair():
    seat = BoardSeat(
        mandate_period=MandatePeriodFactory(),
        party=PartyFactory(),
        user=UserFactory(),
        kind="deputy",
        office="chair",
        starts_on=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError, match="måste vara ledamöter"):
        services.board_seat_save(seat=seat, by=None)
