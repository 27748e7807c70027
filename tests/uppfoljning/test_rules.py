from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uppfoljning import rules
from uppfoljning.rules import Period, PeriodLength

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
lengths = st.sampled_from(list(PeriodLength))
counts = st.integers(min_value=0, max_value=100_000)


# --- Periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2026, 1, 1), "T1 2026", date(2026, 1, 1), date(2026, 4, 30)),
        (date(2026, 4, 30), "T1 2026", date(2026, 1, 1), date(2026, 4, 30)),
        (date(2026, 5, 1), "T2 2026", date(2026, 5, 1), date(2026, 8, 31)),
        (date(2026, 8, 31), "T2 2026", date(2026, 5, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), "T3 2026", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2026, 12, 31), "T3 2026", date(2026, 9, 1), date(2026, 12, 31)),
    ],
)
def test_tertials_are_january_to_april_may_to_august_september_to_december(day, label, start, end):
    """T1 is januari–april, T2 maj–augusti, T3 september–december."""
    period = rules.period_for(day)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_months_are_named_in_swedish_and_know_leap_years():
    """A monthly period is named like "februari 2028" and ends on the month's last day."""
    period = rules.period_for(date(2028, 2, 10), PeriodLength.MONTH)
    assert rules.period_label(period) == "februari 2028"
    assert period.end == date(2028, 2, 29)
    assert rules.period_for(date(2027, 2, 10), "month").end == date(2027, 2, 28)
    assert [p.label for p in rules.periods_of(2026, "month")][4] == "maj 2026"


def test_long_label_names_the_months_of_a_tertial():
    assert Period(2026, 2).long_label == "T2 2026 (maj–augusti)"
    assert Period(2026, 11, "month").long_label == "november 2026"


def test_next_and_previous_cross_the_year():
    """After T3 comes T1 of the next year; before januari comes december the year before."""
    assert rules.next_period(Period(2026, 3)) == Period(2027, 1)
    assert rules.previous_period(Period(2026, 1)) == Period(2025, 3)
    assert rules.previous_period(Period(2026, 1, "month")) == Period(2025, 12, "month")


def test_a_period_that_does_not_exist_is_refused_in_swedish():
    with pytest.raises(ValueError, match="Period 4 finns inte; ett år har 3 perioder."):
        Period(2026, 4)
    with pytest.raises(ValueError, match="Period 13 finns inte; ett år har 12 perioder."):
        Period(2026, 13, "month")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2026-T1", Period(2026, 1)),
        ("2026-t3", Period(2026, 3)),
        ("2026-03", Period(2026, 3, "month")),
    ],
)
def test_period_codes_round_trip(code, expected):
    assert rules.parse_period(code) == expected
    assert rules.parse_period(expected.code) == expected


@pytest.mark.parametrize("code", ["2026", "2026-T4", "2026-13", "T1-2026", "tjugo-T1", ""])
def test_a_wrong_period_code_says_how_to_write_one(code):
    with pytest.raises(ValueError, match="Skriv till exempel 2026-T1"):
        rules.parse_period(code)


@given(days, lengths)
def test_period_for_contains_the_day(day, length):
    """Whatever the day, its period contains it and has the chosen length."""
    period = rules.period_for(day, length)
    assert period.contains(day)
    assert period.length == length


@given(st.integers(min_value=1990, max_value=2100), lengths)
def test_periods_of_a_year_cover_it_without_gaps_or_overlaps(year, length):
    periods = rules.periods_of(year, length)
    assert periods[0].start == date(year, 1, 1)
    assert periods[-1].end == date(year, 12, 31)
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
        assert rules.check_periods_adjoin(before, after) == []
    assert (
        sum((p.end - p.start).days + 1 for p in periods)
        == (date(year, 12, 31) - date(year, 1, 1)).days + 1
    )


@given(days, lengths)
def test_next_and_previous_are_inverse_and_adjoin(day, length):
    period = rules.period_for(day, length)
    following = rules.next_period(period)
    assert following.start == period.end + timedelta(days=1)
    assert rules.previous_period(following) == period
    assert rules.next_period(rules.previous_period(period)) == period


def test_periods_that_do_not_adjoin_are_named_with_their_dates():
    messages = rules.check_periods_adjoin(Period(2026, 1), Period(2026, 3))
    assert messages == [
        "T3 2026 (september–december) följer inte direkt på T1 2026 (januari–april): "
        "T1 2026 slutar 2026-04-30 och T3 2026 börjar 2026-09-01."
    ]


def test_chronological_sorts_by_dates():
    periods = [Period(2027, 1), Period(2026, 3), Period(2026, 1)]
    assert rules.chronological(periods) == [Period(2026, 1), Period(2026, 3), Period(2027, 1)]


# --- Figures ------------------------------------------------------------------------------------


def test_negative_numbers_are_refused_by_name():
    assert rules.check_not_negative({"Nya deltagare": -2, "Avslutade": 0, "Kostnad": None}) == [
        "Nya deltagare kan inte vara negativt (−2 är angivet)."
    ]


def test_a_breakdown_that_does_not_add_up_names_the_row_and_the_numbers():
    messages = rules.check_breakdown(
        "Nya deltagare per kön",
        "Nya deltagare",
        8,
        {"Kvinna": 3, "Man": 4, "Annat/uppgift saknas": 0},
    )
    assert messages == [
        "Nya deltagare per kön: Kvinna 3 + Man 4 + Annat/uppgift saknas 0 = 7, men nya deltagare "
        "är 8. Fördelningen har 1 för lite."
    ]


def test_a_breakdown_with_too_many_says_so():
    (message,) = rules.check_breakdown("Per åldersgrupp", "Nya deltagare", 5, {"16–24 år": 6})
    assert "16–24 år 6 = 6, men nya deltagare är 5. Fördelningen har 1 för mycket." in message


def test_empty_parts_of_a_breakdown_count_as_zero():
    assert rules.check_breakdown("Per kön", "Nya", 4, {"Kvinna": 4, "Man": None}) == []


@given(st.lists(counts, max_size=8))
def test_a_breakdown_that_sums_to_its_total_passes(parts):
    named = {f"Grupp {index}": value for index, value in enumerate(parts)}
    assert rules.check_breakdown("Per grupp", "Totalt", sum(parts), named) == []


@given(st.lists(counts, min_size=1, max_size=8), st.integers(min_value=1, max_value=1000))
def test_a_breakdown_off_by_anything_is_refused_with_both_numbers(parts, off):
    named = {f"Grupp {index}": value for index, value in enumerate(parts)}
    total = sum(parts) + off
    (message,) = rules.check_breakdown("Per grupp", "Totalt", total, named)
    assert f"= {rules._number(sum(parts))}, men totalt är {rules._number(total)}" in message
    assert f"har {rules._number(off)} för lite" in message


def test_end_of_period_must_be_start_plus_new_minus_ended():
    assert rules.check_participant_flow(10, 5, 3, 12) == []
    assert rules.check_participant_flow(10, 5, 3, 11, Period(2026, 2)) == [
        "Deltagare vid periodens slut (T2 2026): 11 är angivet, men start 10 + nya 5 − "
        "avslutade 3 = 12."
    ]


def test_more_ended_than_there_were_is_refused():
    messages = rules.check_participant_flow(2, 1, 5, -2)
    assert messages[0] == (
        "Avslutade deltagare: 5 är fler än deltagarna vid periodens start (2) och de nya (1) "
        "tillsammans, 3."
    )


@given(counts, counts, st.data())
def test_consistent_flows_pass(start, new, data):
    ended = data.draw(st.integers(min_value=0, max_value=start + new))
    end = rules.participants_at_end(start, new, ended)
    assert end >= 0
    assert rules.check_participant_flow(start, new, ended, end) == []


@given(counts, counts, counts, counts)
def test_every_inconsistent_flow_is_refused_with_its_numbers(start, new, ended, end):
    messages = rules.check_participant_flow(start, new, ended, end)
    consistent = ended <= start + new and end == start + new - ended
    assert (messages == []) is consistent
    if end != start + new - ended:
        assert f"{rules._number(end)} är angivet" in messages[-1]


def test_a_period_starts_where_the_previous_one_ended():
    assert rules.check_continuity(12, 12, Period(2026, 1), Period(2026, 2)) == []
    assert rules.check_continuity(12, 9, Period(2026, 1), Period(2026, 2)) == [
        "Deltagare vid start av T2 2026: 9 är angivet, men T1 2026 slutade med 12. "
        "En period börjar där den förra slutade."
    ]


def test_large_numbers_are_grouped_in_messages():
    (message,) = rules.check_not_negative({"Kostnad": -1_234_567})
    assert "−1\xa0234\xa0567" in message


def test_a_category_list_keeps_one_active_category():
    assert rules.check_list_keeps_an_active_category("Kön", 1) == []
    assert rules.check_list_keeps_an_active_category("Kön", 0) == [
        "Listan kön måste ha minst en aktiv kategori. Lägg till eller aktivera en annan "
        "kategori först."
    ]


# --- Small counts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "public", "shown"),
    [
        (0, True, "–"),
        (4, True, "–"),
        (5, True, 5),
        (120, True, 120),
        (3, False, 3),
        (None, True, None),
    ],
)
def test_counts_under_five_are_hidden_from_the_public(n, public, shown):
    assert rules.suppress_small(n, public=public) == shown


def test_suppress_small_is_public_by_default():
    assert rules.suppress_small(2) == "–"


def test_one_hidden_part_of_a_breakdown_hides_the_smallest_other_part_too():
    """Otherwise the hidden part could be worked out from the total."""
    assert rules.suppress_breakdown([12, 3, 7, 9]) == [12, "–", "–", 9]
    assert rules.suppress_breakdown([12, 3, 2, 9]) == [12, "–", "–", 9]
    assert rules.suppress_breakdown([12, 30, 7]) == [12, 30, 7]
    assert rules.suppress_breakdown([3, 1]) == ["–", "–"]
    assert rules.suppress_breakdown([12, 3], public=False) == [12, 3]


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=8))
def test_a_public_breakdown_never_shows_a_small_count_nor_a_single_hidden_cell(values):
    shown = rules.suppress_breakdown(values)
    assert not any(isinstance(value, int) and value < 5 for value in shown)
    assert shown.count("–") != 1 or all(value == "–" for value in shown)
