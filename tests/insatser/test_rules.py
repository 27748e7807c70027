import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from insatser import rules

KINDS = ["FK", "AF", "REGION", "KOMMUN"]


@pytest.mark.parametrize(
    ("kinds", "ok"),
    [
        (["KOMMUN", "KOMMUN"], False),
        (["REGION", "REGION"], False),
        (["KOMMUN"], False),
        (["KOMMUN", "AF"], True),
        (["AF", "FK"], True),
        (["KOMMUN", "KOMMUN", "REGION"], True),
    ],
)
def test_two_parties_counts_kommuner_and_regions_as_one(kinds, ok):
    """Askersund and Kumla are one party; Kumla with Arbetsförmedlingen are two."""
    assert rules.has_two_parties(kinds) is ok


@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
def test_two_parties_holds_exactly_when_two_kinds_are_present(kinds):
    assert rules.has_two_parties(kinds) is (len(set(kinds)) >= 2)


def test_require_two_parties_refuses_in_plain_swedish():
    with pytest.raises(ValidationError) as error:
        rules.require_two_parties(["KOMMUN", "KOMMUN"])
    assert "Flera kommuner räknas som en part" in error.value.messages[0]


def test_every_state_has_a_label_and_the_table_only_uses_known_states():
    states = set(rules.STATE_LABELS)
    for transition in rules.TRANSITIONS:
        assert {transition.source, transition.target} <= states


def test_withdraw_is_possible_before_a_decision_only():
    for state in rules.OPEN_STATES:
        assert rules.transition_for("withdraw", state).target == rules.WITHDRAWN
    for state in (rules.GRANTED, rules.REJECTED, rules.WITHDRAWN):
        with pytest.raises(ValidationError, match="kan inte återtas"):
            rules.transition_for("withdraw", state)


def test_resubmission_after_completion_request_is_in_the_table():
    assert rules.transition_for("submit", rules.COMPLETION_REQUESTED).target == rules.SUBMITTED


def test_decisions_belong_to_the_board():
    """The board grants and rejects; the kansli only grants, on delegation (checked in the
    decision service against the förbund's delegation limit)."""
    deciders = {
        (t.action, t.actor)
        for t in rules.TRANSITIONS
        if t.target in (rules.GRANTED, rules.REJECTED)
    }
    assert deciders == {
        ("grant", rules.BOARD),
        ("reject", rules.BOARD),
        ("grant_delegated", rules.OFFICE),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Busskort till deltagare",
        "Milersättning",
        "Ersättning vid arbetsträning",
        "Arbetsträningsersättning",
        "Tolk vid möten med deltagare",
        "Månadskort för resor",
    ],
)
def test_individual_benefits_are_flagged(text):
    assert "individuell förmån" in rules.individual_benefit_warning(text)


@pytest.mark.parametrize("text", ["Projektledare 50 %", "Lokalhyra", "Utbildning i MI"])
def test_ordinary_costs_are_not_flagged(text):
    assert rules.individual_benefit_warning(text) == ""


def test_case_number_has_year_and_three_digits():
    assert rules.format_case_number(2026, 14) == "2026-014"
    assert rules.format_case_number(2026, 1234) == "2026-1234"


def test_budget_year_must_lie_in_the_period():
    assert rules.budget_year_problem(2027, [2027, 2028]) == ""
    assert rules.budget_year_problem(2029, [2027, 2028]) == (
        "Året 2029 ligger utanför insatsens period (2027–2028)."
    )


def test_missing_for_submission_names_each_missing_part():
    content = {"fields": {"kind": rules.INDIVIDUAL, "title": "X"}, "budget": []}
    missing = rules.missing_for_submission(content)
    assert "Syfte saknas." in missing
    assert any("Planerat antal deltagare" in item for item in missing)
    assert "Budgeten saknas: lägg till minst en budgetrad." in missing


def test_diff_lists_changed_added_and_removed_lines():
    old = {
        "fields": {"title": "A", "planned_participants": 10},
        "budget": [
            {"year": 2027, "category": "Personal", "description": "Coach", "amount_kr": 100}
        ],
    }
    new = {
        "fields": {"title": "B", "planned_participants": 10},
        "budget": [
            {"year": 2027, "category": "Personal", "description": "Coach", "amount_kr": 150},
            {"year": 2027, "category": "Lokaler", "description": "Hyra", "amount_kr": 20},
        ],
    }
    changes = [(c.label, c.old, c.new) for c in rules.diff_contents(old, new)]
    assert changes == [
        ("Namn på insatsen", "A", "B"),
        ("Budget 2027, Personal: Coach", "100 kr", "150 kr"),
        ("Budget 2027, Lokaler: Hyra", "–", "20 kr"),
    ]
