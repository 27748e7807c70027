from datetime import date

import pytest
from django.utils import timezone

from forbund import selectors, services
from forbund.models import BudgetYear, Contribution
from tests.factories.forbund import (
    BoardSeatFactory,
    ForbundFactory,
    PartyFactory,
    UserFactory,
    complete_forbund,
)

pytestmark = pytest.mark.django_db


def test_composition_on_a_day():
    """Members that have left don't count; the status names what is missing."""
    complete_forbund()
    assert selectors.composition_on(date(2026, 6, 1)).valid
    PartyFactory(fk=True).__class__.objects.filter(kind="FK").update(member_to=date(2025, 12, 31))
    status = selectors.composition_on(date(2026, 6, 1))
    assert not status.valid
    assert status.problems == ["Försäkringskassan saknas som medlem."]
    assert selectors.composition_on(date(2025, 6, 1)).valid


def test_board_warnings():
    """A party without ledamot, or with fewer ersättare than ledamöter, is pointed out."""
    parties = complete_forbund()
    day = date(2026, 6, 1)
    kumla = parties["Kumla kommun"]
    BoardSeatFactory(party=kumla, kind="member", office="chair")
    BoardSeatFactory(party=kumla, kind="member")
    BoardSeatFactory(party=kumla, kind="deputy")
    BoardSeatFactory(party=parties["Askersunds kommun"], kind="deputy")
    board = selectors.board_on(day)
    problems = {(party.name, problem) for party, problem in board.problems}
    assert ("Kumla kommun", "Parten har färre ersättare (1) än ledamöter (2).") in problems
    assert ("Askersunds kommun", "Parten saknar ledamot.") in problems
    assert ("Försäkringskassan", "Parten saknar ledamot.") in problems
    assert [seat.party for seat in board.chair] == [kumla]
    assert board.office_problems == ["Styrelsen har ingen vice ordförande."]


def test_budget_summary_and_money_available():
    """The split table shows each party's share, payments and the money available."""
    ForbundFactory(equity_warning_percent=20)
    complete_forbund()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(
            year=2026,
            state_allocation_kr=4_000_000,
            other_income_kr=30_000,
            equity_brought_in_kr=1_310_000,
            board_cost_kr=250_000,
            administration_cost_kr=1_420_000,
            audit_cost_kr=120_000,
            equity_at_year_end_kr=1_700_000,
        ),
        by=None,
    )
    fk = Contribution.objects.get(party__kind="FK")
    services.contribution_update(
        contribution=fk, invoiced_on=None, paid_on=date(2026, 2, 1), paid_kr=4_000_000, by=None
    )
    summary = selectors.budget_summary(budget_year)
    rows = {row.party.name: row for row in summary.rows}
    assert list(rows) == [
        "Försäkringskassan",
        "Arbetsförmedlingen",
        "Region Örebro län",
        "Askersunds kommun",
        "Kumla kommun",
    ]
    assert rows["Arbetsförmedlingen"].contribution is None
    assert rows["Kumla kommun"].weight_display == "22\xa0000"
    assert round(rows["Kumla kommun"].weight_share, 4) == 0.6587
    assert summary.contributions_kr == 8_000_000
    assert summary.paid_kr == 4_000_000
    assert summary.outstanding_kr == 4_000_000
    assert summary.money_available_kr == 7_550_000
    assert selectors.money_available_for_insatser(2026) == 7_550_000
    assert summary.equity_share == 0.2125
    assert summary.equity_warning
    assert summary.composition_problems == []


def test_budget_summary_names_a_missing_member():
    """A year without Arbetsförmedlingen is pointed out on the budget page."""
    parties = complete_forbund()
    parties["Arbetsförmedlingen"].delete()
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=1_000), by=None
    )
    summary = selectors.budget_summary(budget_year)
    assert summary.composition_problems == ["Arbetsförmedlingen saknas som medlem."]


def test_money_available_without_budget_is_zero():
    """A year without a budget has nothing to grant."""
    assert selectors.money_available_for_insatser(2031) == 0


def test_budget_summary_query_count(django_assert_num_queries):
    """The budget page's data costs a fixed number of queries, whatever the number of parties."""
    populations = {f"Kommun {n}": 1000 + n for n in range(12)}
    populations["Region Test"] = 100_000
    complete_forbund(populations=populations)
    budget_year = services.budget_year_save(
        budget_year=BudgetYear(year=2026, state_allocation_kr=4_000_000), by=None
    )
    budget_year = BudgetYear.objects.get(pk=budget_year.pk)
    with django_assert_num_queries(5):
        summary = selectors.budget_summary(budget_year)
        assert len(summary.rows) == 15


def test_todos_for_kansli(demo):
    """The kansli is told about unpaid contributions; others get no förbund todos."""
    kansli = demo["kansli@demo.se"]
    texts = {todo.text: todo for todo in selectors.todos_for(kansli)}
    unpaid = texts["Fakturerade medlemsbidrag som inte är betalda"]
    assert unpaid.count == 2  # Askersund unpaid, Laxå half paid
    assert "Förbundets sammansättning uppfyller inte lagen" not in texts
    assert selectors.todos_for(demo["revisor@demo.se"]) == []


def test_todos_for_invalid_composition_and_missing_budget():
    kansli = UserFactory(office=True)
    PartyFactory(name="Kumla kommun")
    texts = {todo.text: todo for todo in selectors.todos_for(kansli)}
    assert texts["Förbundets sammansättning uppfyller inte lagen"].urgent
    assert f"Lägg in budgeten för {timezone.localdate().year}" in texts
    assert texts["Styrelseplatser som saknas"].count >= 1
