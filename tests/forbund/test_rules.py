import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from forbund import rules

# --- Parties as the law counts them ---------------------------------------------------------------


def test_two_kommuner_are_one_party():
    """Askersund and Kumla together are one party; Kumla with Arbetsförmedlingen are two."""
    assert rules.count_distinct_parties(["KOMMUN", "KOMMUN"]) == 1
    assert rules.count_distinct_parties(["KOMMUN", "AF"]) == 2
    assert rules.count_distinct_parties(["REGION", "REGION", "KOMMUN"]) == 2
    assert rules.count_distinct_parties(iter(["FK", "AF", "REGION", "KOMMUN", "KOMMUN"])) == 4
    assert rules.count_distinct_parties([]) == 0


def test_party_groups():
    """Every kommun falls in one group, every region in another."""
    assert rules.party_group("KOMMUN") == "KOMMUN"
    assert rules.distinct_party_groups(["REGION", "REGION", "FK"]) == {"REGION", "FK"}
    with pytest.raises(ValueError, match="Okänd typ"):
        rules.party_group("SKOLA")


def test_complete_composition_has_no_problems():
    """FK, AF, a region and several kommuner make a lawful förbund."""
    assert rules.composition_problems(["FK", "AF", "REGION", "KOMMUN", "KOMMUN"]) == []


@pytest.mark.parametrize(
    ("kinds", "message"),
    [
        (["AF", "REGION", "KOMMUN"], "Försäkringskassan saknas som medlem."),
        (["FK", "REGION", "KOMMUN"], "Arbetsförmedlingen saknas som medlem."),
        (["FK", "AF", "KOMMUN"], "Ingen region är medlem; förbundet behöver minst en region."),
        (["FK", "AF", "REGION"], "Ingen kommun är medlem; förbundet behöver minst en kommun."),
        (
            ["FK", "FK", "AF", "REGION", "KOMMUN"],
            "Försäkringskassan finns 2 gånger; förbundet ska ha exakt en.",
        ),
    ],
)
def test_composition_problems_say_what_is_missing(kinds, message):
    """The composition rule names, in Swedish, exactly what is wrong."""
    assert rules.composition_problems(kinds) == [message]


# --- Organisationsnummer --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number", ["202100-5521", "2021005521", "16202100-5521", "212000-1934", "232100-0164"]
)
def test_real_org_numbers_are_valid(number):
    """Försäkringskassan's, Kumla's and Region Örebro län's numbers pass, with or without hyphen."""
    rules.validate_org_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("202100-5522", "kontrollsiffra stämmer inte"),
        ("212000-1935", "kontrollsiffra stämmer inte"),
        ("2021-5521", "ska ha tio siffror"),
        ("abc", "ska ha tio siffror"),
        ("811218-9876", "personnummer"),
    ],
)
def test_bad_org_numbers_are_refused(number, message):
    """A wrong check digit, a wrong length or a personnummer is refused with a Swedish message."""
    with pytest.raises(ValidationError, match=message):
        rules.validate_org_number(number)


def test_org_number_is_normalised():
    assert rules.normalize_org_number(" 2120001934 ") == "212000-1934"
    assert rules.normalize_org_number("16212000-1934") == "212000-1934"
    assert rules.normalize_org_number("okänt") == "okänt"


# --- Board ----------------------------------------------------------------------------------------


def test_board_seat_problems():
    """A party needs a ledamot and at least as many ersättare as ledamöter."""
    assert rules.board_seat_problems(1, 1) == []
    assert rules.board_seat_problems(1, 2) == []
    assert rules.board_seat_problems(0, 1) == ["Parten saknar ledamot."]
    assert rules.board_seat_problems(2, 1) == ["Parten har färre ersättare (1) än ledamöter (2)."]


def test_officer_problems():
    """One ordförande and at most two vice ordförande at a time."""
    assert rules.officer_problems(1, 2) == []
    assert rules.officer_problems(2, 0) == ["Styrelsen kan bara ha en ordförande åt gången."]
    assert rules.officer_problems(0, 3) == ["Styrelsen kan ha högst två vice ordförande åt gången."]


# --- The split ------------------------------------------------------------------------------------


def test_the_example_from_the_law():
    """4 000 000 kr from the state: FK 4 000 000, region 2 000 000, kommuner 2 000 000."""
    split = rules.split_funding(4_000_000, [("region", 1)], [("a", 11_400), ("k", 22_000)])
    assert split.total_kr == 8_000_000
    assert (split.state_kr, split.region_kr, split.kommun_kr) == (4_000_000, 2_000_000, 2_000_000)
    assert split.regions == {"region": 2_000_000}
    assert split.kommuner == {"a": 682_635, "k": 1_317_365}
    assert sum(split.kommuner.values()) == 2_000_000


def test_odd_allocation_gives_the_extra_krona_to_the_regions():
    """With an odd state allocation the quarters differ by one krona: the regions get it."""
    split = rules.split_funding(1_000_001, [("r", 1)], [("k", 1)])
    assert (split.state_kr, split.region_kr, split.kommun_kr) == (1_000_001, 500_001, 500_000)


def test_largest_remainder_tie_order():
    """Equal remainders go to the larger weight first, then to the key listed first."""
    assert rules.largest_remainder(10, [("a", 1), ("b", 1), ("c", 1)]) == {"a": 4, "b": 3, "c": 3}
    assert rules.largest_remainder(10, [("c", 1), ("b", 1), ("a", 1)]) == {"c": 4, "b": 3, "a": 3}
    # 5 × 1/4 = 1.25 and 5 × 3/4 = 3.75: the larger remainder wins.
    assert rules.largest_remainder(5, [("small", 1), ("big", 3)]) == {"small": 1, "big": 4}
    # 3 kr over weights 1, 2, 3 (exact 0.5, 1, 1.5): equal remainders 0.5, the larger weight wins.
    assert rules.largest_remainder(3, [("a", 1), ("b", 2), ("c", 3)]) == {"a": 0, "b": 1, "c": 2}


def test_split_refuses_what_cannot_be_divided():
    """No kommun, no region or an all-zero key gives a Swedish reason."""
    with pytest.raises(rules.SplitError, match="Ingen kommun"):
        rules.split_funding(100, [("r", 1)], [])
    with pytest.raises(rules.SplitError, match="Ingen region"):
        rules.split_funding(100, [], [("k", 1)])
    with pytest.raises(rules.SplitError, match="summerar till noll"):
        rules.split_funding(100, [("r", 1)], [("k", 0)])
    with pytest.raises(rules.SplitError, match="negativ"):
        rules.split_funding(-1, [("r", 1)], [("k", 1)])


weights = st.lists(st.integers(min_value=1, max_value=2_000_000), min_size=1, max_size=12)
allocations = st.integers(min_value=0, max_value=50_000_000)


@given(allocations, weights, weights)
def test_split_sums_to_the_total_exactly(state, region_weights, kommun_weights):
    """Every krona is accounted for: the parts sum to twice the state allocation."""
    split = rules.split_funding(
        state, list(enumerate(region_weights)), list(enumerate(kommun_weights))
    )
    assert split.total_kr == 2 * state
    assert split.state_kr + sum(split.regions.values()) + sum(split.kommuner.values()) == 2 * state
    assert sum(split.regions.values()) == split.region_kr
    assert sum(split.kommuner.values()) == split.kommun_kr


@given(allocations, weights, weights)
def test_split_is_50_25_25_within_one_krona(state, region_weights, kommun_weights):
    """The state pays exactly half; each quarter is within 1 kr of a quarter of the total."""
    split = rules.split_funding(
        state, list(enumerate(region_weights)), list(enumerate(kommun_weights))
    )
    total = 2 * state
    assert split.state_kr * 2 == total
    assert abs(split.region_kr * 4 - total) <= 4
    assert abs(split.kommun_kr * 4 - total) <= 4


@given(st.integers(min_value=0, max_value=100_000_000), weights)
def test_parts_are_proportional_to_the_key(total, key):
    """Each part is within 1 kr of its exact share of the total by the key."""
    parts = rules.largest_remainder(total, list(enumerate(key)))
    weight_sum = sum(key)
    assert sum(parts.values()) == total
    for index, weight in enumerate(key):
        # |part − total × weight / sum| < 1, compared in whole numbers
        assert abs(parts[index] * weight_sum - total * weight) < weight_sum
    # A larger weight never gets less.
    for i, wi in enumerate(key):
        for j, wj in enumerate(key):
            if wi > wj:
                assert parts[i] >= parts[j]


def test_fixed_shares_must_sum_to_100_percent():
    """Fixed shares are checked per group: kommuner 100 %, regions 100 %."""
    assert rules.fixed_share_problems({"KOMMUN": [2500, 7500], "REGION": [10_000]}) == []
    assert rules.fixed_share_problems({"KOMMUN": [2500, 7000], "REGION": [10_000]}) == [
        "Andelarna för kommunernas fjärdedel summerar till 95\xa0%, inte 100 %."
    ]
    assert rules.fixed_share_problems({"REGION": [9_950]}) == [
        "Andelarna för regionernas fjärdedel summerar till 99,5\xa0%, inte 100 %."
    ]


def test_format_share():
    assert rules.format_share(1250) == "12,5\xa0%"
    assert rules.format_share(10_000) == "100\xa0%"
    assert rules.format_share(1) == "0,01\xa0%"


# --- Money ----------------------------------------------------------------------------------------


def test_money_available():
    """Contributions + other income + equity brought in − the kansli's own budget."""
    assert (
        rules.money_available(
            contributions_kr=8_000_000,
            other_income_kr=30_000,
            equity_brought_in_kr=1_310_000,
            office_costs_kr=1_790_000,
        )
        == 7_550_000
    )


def test_equity_threshold():
    """Equity above the threshold share of the year's contributions gives a warning."""
    assert rules.equity_share(2_000_000, 8_000_000) == 0.25
    assert rules.equity_share(1, 0) is None
    assert rules.equity_over_threshold(1_600_001, 8_000_000, 20)
    assert not rules.equity_over_threshold(1_600_000, 8_000_000, 20)


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Kumla kommun", "Kumla kommun"),
        (-500, -500),
        (None, None),
    ],
)
def test_formulas_are_neutralised(value, safe):
    """Text starting with = + - @ gets a leading apostrophe; numbers stay numbers."""
    assert rules.neutralise_formula(value) == safe
