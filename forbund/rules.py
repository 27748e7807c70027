"""The förbund's policy as plain functions: no ORM, no Django models.

Party kinds are the strings of `Party.Kind`: "FK", "AF", "REGION", "KOMMUN".
"""

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

FK = "FK"
AF = "AF"
REGION = "REGION"
KOMMUN = "KOMMUN"
KINDS = (FK, AF, REGION, KOMMUN)

KIND_NAMES = {
    FK: "Försäkringskassan",
    AF: "Arbetsförmedlingen",
    REGION: "region",
    KOMMUN: "kommun",
}


# --- Parties as the law counts them --------------------------------------------------------------


def party_group(kind: str) -> str:
    """Return the group a party of `kind` counts as where the law speaks of "parties".

    Several kommuner count together as one party, and so do several regions (lag 2003:1210), so
    the group of a party is simply its kind: every kommun falls in the group "KOMMUN".
    """
    if kind not in KINDS:
        raise ValueError(f"Okänd typ av part: {kind!r}")
    return kind


def distinct_party_groups(kinds: Iterable[str]) -> set[str]:
    """Return the distinct party groups among `kinds` (all kommuner as one, all regions as one)."""
    return {party_group(kind) for kind in kinds}


def count_distinct_parties(kinds: Iterable[str]) -> int:
    """Return how many parties `kinds` make in the sense of the law.

    Askersund and Kumla (two kommuner) are one party; Kumla and Arbetsförmedlingen are two.
    """
    return len(distinct_party_groups(kinds))


def composition_problems(kinds: Iterable[str]) -> list[str]:
    """Return, in plain Swedish, what keeps the members `kinds` from being a lawful förbund.

    A förbund has exactly one Försäkringskassan, exactly one Arbetsförmedlingen, at least one
    region and at least one kommun. An empty list means the composition is valid.
    """
    kinds = list(kinds)
    counts = {kind: 0 for kind in KINDS}
    for kind in kinds:
        counts[party_group(kind)] += 1
    problems = []
    for kind in (FK, AF):
        if counts[kind] == 0:
            problems.append(f"{KIND_NAMES[kind]} saknas som medlem.")
        elif counts[kind] > 1:
            problems.append(
                f"{KIND_NAMES[kind]} finns {counts[kind]} gånger; förbundet ska ha exakt en."
            )
    if counts[REGION] == 0:
        problems.append("Ingen region är medlem; förbundet behöver minst en region.")
    if counts[KOMMUN] == 0:
        problems.append("Ingen kommun är medlem; förbundet behöver minst en kommun.")
    return problems


# --- Organisationsnummer -------------------------------------------------------------------

_ORG_NUMBER = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def luhn_valid(digits: str) -> bool:
    """Return whether `digits` end in a correct Luhn (modulus 10) check digit."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_org_number(value: str) -> str:
    """Return `value` as NNNNNN-NNNN, or unchanged if it does not look like a number at all."""
    match = _ORG_NUMBER.match(value.strip().replace(" ", ""))
    if not match:
        return value.strip()
    return f"{match.group(1)}-{match.group(2)}"


def validate_org_number(value: str) -> None:
    """Raise ValidationError unless `value` is an organisationsnummer with a valid check digit.

    Ten digits, written NNNNNN-NNNN (the hyphen and a leading "16" may be left out). The third
    digit of a legal person's number is at least 2, which tells it apart from a personnummer.
    """
    match = _ORG_NUMBER.match(value.strip().replace(" ", ""))
    if not match:
        raise ValidationError(
            "Organisationsnumret ska ha tio siffror, till exempel 212000-1934.",
            code="org_number_format",
        )
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise ValidationError(
            "Det ser ut som ett personnummer; i ett organisationsnummer är tredje siffran minst 2.",
            code="org_number_person",
        )
    if not luhn_valid(digits):
        raise ValidationError(
            "Organisationsnumrets kontrollsiffra stämmer inte. Kontrollera att numret är rätt.",
            code="org_number_check_digit",
        )


# --- Board -------------------------------------------------------------------

MAX_VICE_CHAIRS = 2  # the board elects an ordförande and one or two vice ordförande


def board_seat_problems(members: int, deputies: int) -> list[str]:
    """Return what is wrong with one party's seats: every party has a ledamot and as many
    ersättare as ledamöter."""
    problems = []
    if members == 0:
        problems.append("Parten saknar ledamot.")
    if deputies < members:
        problems.append(f"Parten har färre ersättare ({deputies}) än ledamöter ({members}).")
    return problems


def officer_problems(chairs: int, vice_chairs: int) -> list[str]:
    """Return what is wrong with the number of ordförande and vice ordförande at one time."""
    problems = []
    if chairs > 1:
        problems.append("Styrelsen kan bara ha en ordförande åt gången.")
    if vice_chairs > MAX_VICE_CHAIRS:
        problems.append("Styrelsen kan ha högst två vice ordförande åt gången.")
    return problems


# --- The 50/25/25 split -------------------------------------------------------------------

FULL_SHARE = 10_000  # fixed key shares are kept in hundredths of a percent: 10 000 = 100 %


def largest_remainder(total: int, weights: Sequence[tuple[Hashable, int]]) -> dict[Hashable, int]:
    """Divide the whole number `total` in proportion to `weights`, exactly, to the unit.

    Each key first gets the whole part of its exact share; the units left over go one each to
    the keys with the largest remainders. Ties are broken in a stable, documented order: the
    larger weight first, then the key that comes first in `weights` (callers pass parties in the
    order they were registered, lowest id first). The parts always sum to `total`.
    """
    if total < 0:
        raise ValueError("Beloppet som ska fördelas kan inte vara negativt.")
    if any(weight < 0 for _, weight in weights):
        raise ValueError("En fördelningsnyckel kan inte vara negativ.")
    weight_sum = sum(weight for _, weight in weights)
    if weight_sum == 0:
        if total == 0:
            return {key: 0 for key, _ in weights}
        raise ValueError(
            "Fördelningsnyckeln summerar till noll; det finns inget att fördela efter."
        )
    parts = {}
    remainders = []
    for position, (key, weight) in enumerate(weights):
        whole, remainder = divmod(total * weight, weight_sum)
        parts[key] = whole
        remainders.append((-remainder, -weight, position, key))
    left = total - sum(parts.values())
    for _, _, _, key in sorted(remainders)[:left]:
        parts[key] += 1
    return parts


class SplitError(ValueError):
    """The year's funding cannot be split; the message says why, in Swedish."""


@dataclass(frozen=True)
class Split:
    """A year's funding divided among the parties, in whole kronor."""

    total_kr: int
    state_kr: int  # Försäkringskassan's half, which also covers Arbetsförmedlingen
    region_kr: int  # the regions' quarter, together
    kommun_kr: int  # the kommuner's quarter, together
    regions: dict = field(default_factory=dict)  # key -> kr
    kommuner: dict = field(default_factory=dict)  # key -> kr

    @property
    def parts(self) -> dict:
        """Every party's part, regions and kommuner; the state half is not among them."""
        return {**self.regions, **self.kommuner}


def split_funding(
    state_allocation_kr: int,
    region_weights: Sequence[tuple[Hashable, int]],
    kommun_weights: Sequence[tuple[Hashable, int]],
) -> Split:
    """Split a year's funding: the total is twice the state allocation; the state pays half
    (through Försäkringskassan), the regions together a quarter and the kommuner together a
    quarter, each quarter divided by the year's key (population or fixed shares).

    When the state allocation is odd the two quarters cannot both be whole kronor: the extra
    krona goes to the regions' quarter (the documented tie order: state, regions, kommuner).
    """
    if state_allocation_kr < 0:
        raise SplitError("Den statliga tilldelningen kan inte vara negativ.")
    if not region_weights:
        raise SplitError(
            "Ingen region är medlem detta år; regionernas fjärdedel kan inte fördelas."
        )
    if not kommun_weights:
        raise SplitError(
            "Ingen kommun är medlem detta år; kommunernas fjärdedel kan inte fördelas."
        )
    total = 2 * state_allocation_kr
    groups = largest_remainder(total, [(FK, 2), (REGION, 1), (KOMMUN, 1)])
    try:
        regions = largest_remainder(groups[REGION], region_weights)
    except ValueError as error:
        raise SplitError(f"Regionernas fjärdedel kan inte fördelas: {error}") from error
    try:
        kommuner = largest_remainder(groups[KOMMUN], kommun_weights)
    except ValueError as error:
        raise SplitError(f"Kommunernas fjärdedel kan inte fördelas: {error}") from error
    return Split(
        total_kr=total,
        state_kr=groups[FK],
        region_kr=groups[REGION],
        kommun_kr=groups[KOMMUN],
        regions=regions,
        kommuner=kommuner,
    )


def fixed_share_problems(shares_by_group: dict[str, Sequence[int]]) -> list[str]:
    """Return what is wrong with fixed key shares (hundredths of a percent) per group.

    The kommuner's shares must sum to exactly 100 %, and so must the regions'.
    """
    problems = []
    for group, shares in shares_by_group.items():
        label = "kommunernas" if group == KOMMUN else "regionernas"
        if any(share < 0 for share in shares):
            problems.append(f"En andel i {label} fördelning är negativ.")
        total = sum(shares)
        if total != FULL_SHARE:
            problems.append(
                f"Andelarna för {label} fjärdedel summerar till {format_share(total)}, inte 100 %."
            )
    return problems


def format_share(hundredths_of_percent: int) -> str:
    """Return 1250 (hundredths of a percent) as "12,5 %"."""
    whole, rest = divmod(hundredths_of_percent, 100)
    text = f"{whole},{rest:02d}".rstrip("0").rstrip(",")
    return f"{text}\xa0%"


# --- Money of a year -------------------------------------------------------------------


def money_available(
    *,
    contributions_kr: int,
    other_income_kr: int,
    equity_brought_in_kr: int,
    office_costs_kr: int,
) -> int:
    """Return the money the board may grant to insatser in a year:
    contributions + other income + equity brought in − the kansli's own budget."""
    return contributions_kr + other_income_kr + equity_brought_in_kr - office_costs_kr


def equity_share(equity_kr: int, contributions_kr: int) -> float | None:
    """Return equity as a share (0.25 = 25 %) of the year's contributions, or None if none."""
    if contributions_kr <= 0:
        return None
    return equity_kr / contributions_kr


def equity_over_threshold(equity_kr: int, contributions_kr: int, threshold_percent: int) -> bool:
    """Return whether equity exceeds `threshold_percent` of the year's contributions.

    Compared in whole numbers (equity × 100 > contributions × threshold) so nothing is rounded.
    """
    if contributions_kr <= 0:
        return equity_kr > 0
    return equity_kr * 100 > contributions_kr * threshold_percent


# --- Spreadsheets -------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Return `value` safe to open in a spreadsheet: text that starts like a formula
    (= + - @, or a tab or carriage return) gets a leading apostrophe. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
