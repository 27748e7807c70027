"""The förbund's policy as plain functions: no ORM, no Django models.

Party kinds are the strings of `Party.Kind`: "FK", "AF", "REGION", "KOMMUN".
"""

from collections.abc import Iterable

FK = "FK"
AF = "AF"
REGION = "REGION"
KOMMUN = "KOMMUN"
KINDS = (FK, AF, REGION, KOMMUN)


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
