"""The policy of meetings, decisions, payments and reports as plain functions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from insatser import rules_insats, rules_meetings


def test_meeting_workflow_table():
    assert rules_meetings.meeting_transition_for("send_notice", "planerat").target == "kallat"
    assert rules_meetings.meeting_transition_for("approve_minutes", "for_justering").target == (
        "justerat"
    )
    with pytest.raises(ValidationError) as error:
        rules_meetings.meeting_transition_for("approve_minutes", "kallat")
    assert error.value.messages == [
        "Ett sammanträde med status ”kallelse skickad” kan inte justeras. Ingenting har ändrats."
    ]


def test_money_problem_says_what_is_left():
    problems = rules_meetings.money_problems(
        {2027: 300_000, 2028: 100}, {2027: 1_000_000, 2028: 100}, {2027: 800_000}
    )
    assert len(problems) == 1
    assert problems[0].startswith(
        "Beviljandet ryms inte i 2027 års medel för insatser: 200\xa0000\xa0kr återstår"
    )


@given(
    available=st.integers(0, 10**9),
    committed=st.integers(0, 10**9),
    asked=st.integers(1, 10**9),
)
def test_money_rule_allows_exactly_what_fits(available, committed, asked):
    """A grant fits when committed + asked ≤ available, never otherwise."""
    problems = rules_meetings.money_problems({2027: asked}, {2027: available}, {2027: committed})
    assert (not problems) == (committed + asked <= available)


def test_delegation_limit_is_inclusive():
    assert rules_meetings.delegation_problem(100_000, 100_000) == ""
    assert "över delegationsgränsen" in rules_meetings.delegation_problem(100_001, 100_000)
    assert "ingen delegationsgräns" in rules_meetings.delegation_problem(1, 0)


def test_amounts_problem():
    assert rules_meetings.amounts_problem("avsla", {}, [2027]) == ""
    assert "minst ett år" in rules_meetings.amounts_problem("bevilja", {2027: 0}, [2027])
    assert "utanför insatsens period" in rules_meetings.amounts_problem(
        "bevilja", {2029: 5}, [2027, 2028]
    )


def test_payment_workflow_and_limits():
    assert rules_insats.payment_transition_for("attest", "inkommen").target == "attesterad"
    with pytest.raises(ValidationError, match="kan inte markeras som utbetald"):
        rules_insats.payment_transition_for("mark_paid", "inkommen")
    assert rules_insats.payment_problem(year=2027, amount_kr=10, granted_kr=10, counted_kr=0) == ""
    assert "1\xa0kr kvar" in rules_insats.payment_problem(
        year=2027, amount_kr=2, granted_kr=10, counted_kr=9
    )
    assert "större än 0" in rules_insats.payment_problem(
        year=2027, amount_kr=0, granted_kr=10, counted_kr=0
    )


def test_report_schedule_and_reminders():
    assert rules_insats.default_report_schedule(date(2027, 1, 1), date(2029, 11, 30)) == [
        ("lagesrapport", date(2028, 1, 31)),
        ("lagesrapport", date(2029, 1, 31)),
        ("slutrapport", date(2030, 2, 28)),
    ]
    due = date(2027, 6, 30)
    assert rules_insats.reminder_due(due, date(2027, 6, 15)) == ""
    assert rules_insats.reminder_due(due, date(2027, 6, 16)) == "fore"
    assert rules_insats.reminder_due(due, due) == "fore"
    assert rules_insats.reminder_due(due, date(2027, 7, 1)) == "efter"


def test_add_months_clamps_to_month_end():
    assert rules_insats.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert rules_insats.add_months(date(2027, 12, 31), 3) == date(2028, 3, 31)
