"""Reads for the förbund's pages and for other apps: composition, board, budget and money."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from finsam.start import Todo

from . import permissions, rules
from .models import (
    BoardSeat,
    BudgetYear,
    Contribution,
    Forbund,
    MandatePeriod,
    Party,
    Population,
    User,
)

# --- Composition -------------------------------------------------------------------


@dataclass(frozen=True)
class CompositionStatus:
    """Whether the members on a day make a lawful förbund, and if not, what is missing."""

    day: date
    parties: list
    problems: list[str]

    @property
    def valid(self) -> bool:
        return not self.problems


def composition_on(day: date | None = None) -> CompositionStatus:
    """Return the members on `day` (today by default) and what the composition rule says."""
    day = day or timezone.localdate()
    parties = list(Party.objects.members_on(day))
    return CompositionStatus(
        day=day,
        parties=parties,
        problems=rules.composition_problems(party.kind for party in parties),
    )


# --- Board -------------------------------------------------------------------


@dataclass
class PartySeats:
    party: Party
    members: list = field(default_factory=list)
    deputies: list = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return rules.board_seat_problems(len(self.members), len(self.deputies))


@dataclass
class BoardOverview:
    day: date
    period: MandatePeriod | None
    parties: list[PartySeats]
    chair: list
    vice_chairs: list

    @property
    def problems(self) -> list[tuple[Party, str]]:
        result = [(row.party, problem) for row in self.parties for problem in row.problems]
        return result

    @property
    def office_problems(self) -> list[str]:
        problems = []
        if not self.chair:
            problems.append("Styrelsen har ingen ordförande.")
        elif len(self.chair) > 1:
            problems.append("Styrelsen har mer än en ordförande.")
        if not self.vice_chairs:
            problems.append("Styrelsen har ingen vice ordförande.")
        elif len(self.vice_chairs) > rules.MAX_VICE_CHAIRS:
            problems.append("Styrelsen har fler än två vice ordförande.")
        return problems


def _active_seats(day: date):
    return BoardSeat.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day
    ).select_related("user", "party", "mandate_period")


def board_on(day: date | None = None) -> BoardOverview:
    """Return each member party's seats on `day`, with what is missing, and the officers."""
    day = day or timezone.localdate()
    period = MandatePeriod.objects.filter(starts_on__lte=day, ends_on__gte=day).first()
    rows = {party.pk: PartySeats(party) for party in Party.objects.members_on(day)}
    chair, vice_chairs = [], []
    for seat in _active_seats(day).order_by("user__name"):
        row = rows.setdefault(seat.party_id, PartySeats(seat.party))
        if seat.kind == BoardSeat.Kind.MEMBER:
            row.members.append(seat)
        else:
            row.deputies.append(seat)
        if seat.office == BoardSeat.Office.CHAIR:
            chair.append(seat)
        elif seat.office == BoardSeat.Office.VICE_CHAIR:
            vice_chairs.append(seat)
    ordered = sorted(rows.values(), key=lambda r: (rules.KINDS.index(r.party.kind), r.party.name))
    return BoardOverview(
        day=day, period=period, parties=ordered, chair=chair, vice_chairs=vice_chairs
    )


# --- Budget -------------------------------------------------------------------


def _weights(budget_year: BudgetYear, parties: list[Party]) -> tuple[dict, list[str]]:
    """Return each kommun's and region's key weight for the year, and what is missing."""
    if budget_year.key == BudgetYear.Key.FIXED:
        values = dict(budget_year.key_shares.values_list("party_id", "share"))
        label = "fast andel"
    else:
        values = dict(
            Population.objects.filter(year=budget_year.year, party__in=parties).values_list(
                "party_id", "inhabitants"
            )
        )
        label = "befolkningstal"
    missing = [p.name for p in parties if p.has_population and p.pk not in values]
    problems = []
    if missing:
        problems.append(
            f"{label.capitalize()} för {budget_year.year} saknas för: {', '.join(missing)}."
        )
    return values, problems


def split_for(budget_year: BudgetYear, parties: list[Party] | None = None):
    """Return the year's rules.Split among the parties that are members during the year.

    Raise rules.SplitError (a Swedish message) when the key is incomplete or the composition
    has no kommun or region. Parties are passed to the split lowest id first, the documented
    tie order.
    """
    if parties is None:
        parties = list(Party.objects.members_in(budget_year.year).order_by("pk"))
    parties = sorted(parties, key=lambda p: p.pk)
    weights, problems = _weights(budget_year, parties)
    if problems:
        raise rules.SplitError(" ".join(problems))
    regions = [(p.pk, weights[p.pk]) for p in parties if p.kind == Party.Kind.REGION]
    kommuner = [(p.pk, weights[p.pk]) for p in parties if p.kind == Party.Kind.KOMMUN]
    if budget_year.key == BudgetYear.Key.FIXED:
        share_problems = rules.fixed_share_problems(
            {
                rules.REGION: [share for _, share in regions],
                rules.KOMMUN: [share for _, share in kommuner],
            }
        )
        if share_problems:
            raise rules.SplitError(" ".join(share_problems))
    return rules.split_funding(budget_year.state_allocation_kr, regions, kommuner)


@dataclass
class SplitRow:
    party: Party
    weight: int | None  # inhabitants, or hundredths of a percent with a fixed key
    weight_share: float | None  # the party's share of its group's key
    split_kr: int  # the party's part by the split
    contribution: Contribution | None
    fixed_key: bool = False

    @property
    def weight_display(self) -> str:
        """The key as printed: 11\u00a0400 (invånare) or 12,5 % (fixed share)."""
        if self.weight is None:
            return "–"
        if self.fixed_key:
            return rules.format_share(self.weight)
        return f"{self.weight:,}".replace(",", "\xa0")

    @property
    def differs(self) -> bool:
        """Whether the contribution on record differs from the split (e.g. imported)."""
        return self.contribution is not None and self.contribution.amount_kr != self.split_kr


@dataclass
class BudgetSummary:
    budget_year: BudgetYear
    rows: list[SplitRow]
    split: rules.Split | None
    split_error: str
    equity_warning_percent: int
    composition_problems: list[str] = field(default_factory=list)

    @property
    def contributions(self) -> list[Contribution]:
        return [row.contribution for row in self.rows if row.contribution is not None]

    @property
    def contributions_kr(self) -> int:
        return sum(c.amount_kr for c in self.contributions)

    @property
    def paid_kr(self) -> int:
        return sum(c.paid_kr for c in self.contributions)

    @property
    def outstanding_kr(self) -> int:
        return sum(c.outstanding_kr for c in self.contributions)

    @property
    def money_available_kr(self) -> int:
        return self.budget_year.money_available_kr

    @property
    def equity_share(self) -> float | None:
        equity = self.budget_year.equity_at_year_end_kr
        if equity is None:
            return None
        return rules.equity_share(equity, self.budget_year.total_kr)

    @property
    def equity_warning(self) -> bool:
        equity = self.budget_year.equity_at_year_end_kr
        if equity is None:
            return False
        return rules.equity_over_threshold(
            equity, self.budget_year.total_kr, self.equity_warning_percent
        )


def budget_summary(budget_year: BudgetYear) -> BudgetSummary:
    """Return the year's split table with each party's contribution and payment status.

    A fixed number of queries whatever the number of parties.
    """
    parties = sorted(Party.objects.members_in(budget_year.year), key=lambda p: p.pk)
    contributions = {c.party_id: c for c in Contribution.objects.filter(budget_year=budget_year)}
    party_ids = {p.pk for p in parties}
    extra = [c.party_id for c in contributions.values() if c.party_id not in party_ids]
    if extra:  # a contribution from a party that has since left: still show it
        parties += list(Party.objects.filter(pk__in=extra))
    weights, _ = _weights(budget_year, parties)
    split, split_error = None, ""
    try:
        split = split_for(budget_year, [p for p in parties if p.pk in party_ids])
    except rules.SplitError as error:
        split_error = str(error)
    group_totals = {
        kind: sum(weights.get(p.pk, 0) for p in parties if p.kind == kind)
        for kind in (Party.Kind.REGION, Party.Kind.KOMMUN)
    }
    rows = []
    for party in sorted(parties, key=lambda p: (rules.KINDS.index(p.kind), p.name)):
        weight = weights.get(party.pk) if party.has_population else None
        group_total = group_totals.get(party.kind, 0)
        if split is None:
            split_kr = 0
        elif party.kind == Party.Kind.FK:
            split_kr = split.state_kr
        else:
            split_kr = split.parts.get(party.pk, 0)
        rows.append(
            SplitRow(
                party=party,
                weight=weight,
                weight_share=(weight / group_total) if weight and group_total else None,
                split_kr=split_kr,
                contribution=contributions.get(party.pk),
                fixed_key=budget_year.key == BudgetYear.Key.FIXED,
            )
        )
    forbund = Forbund.objects.first()
    return BudgetSummary(
        budget_year=budget_year,
        rows=rows,
        split=split,
        split_error=split_error,
        equity_warning_percent=forbund.equity_warning_percent if forbund else 20,
        composition_problems=rules.composition_problems(
            p.kind for p in parties if p.pk in party_ids
        ),
    )


def money_available_for_insatser(year: int) -> int:
    """Return the money the board may grant to insatser in `year`, in whole kronor.

    Contributions (twice the state allocation) + other income + equity brought in from last
    year − the kansli's own budget (styrelse, administration, revision). A year without a
    budget has nothing to grant: 0.
    """
    budget_year = BudgetYear.objects.filter(year=year).first()
    if budget_year is None:
        return 0
    return budget_year.money_available_kr


def money_available_for_insatser_by_year(years) -> dict[int, int]:
    """Return `money_available_for_insatser` for each of `years` from one query (0 for a year
    without a budget)."""
    years = set(years)
    available = {
        budget_year.year: budget_year.money_available_kr
        for budget_year in BudgetYear.objects.filter(year__in=years)
    }
    return {year: available.get(year, 0) for year in years}


# --- Start page -------------------------------------------------------------------


def todos_for(user) -> list[Todo]:
    from .report_selectors import todos_for as report_todos

    result = report_todos(user)
    if permissions.can_manage_accounts(user):
        waiting = User.objects.filter(is_active=True, last_login__isnull=True).count()
        if waiting:
            result.append(
                Todo("Konton som ännu inte har loggat in", reverse("forbund:account_list"), waiting)
            )
    if not permissions.can_manage_forbund(user):
        return result
    today = timezone.localdate()
    composition = composition_on(today)
    if not composition.valid:
        result.append(
            Todo(
                "Förbundets sammansättning uppfyller inte lagen",
                reverse("forbund:overview"),
                len(composition.problems),
                urgent=True,
            )
        )
    board = board_on(today)
    seat_problems = len(board.problems) + len(board.office_problems)
    if seat_problems:
        result.append(Todo("Styrelseplatser som saknas", reverse("forbund:board"), seat_problems))
    budget_year = BudgetYear.objects.filter(year=today.year).first()
    if budget_year is None:
        result.append(
            Todo(f"Lägg in budgeten för {today.year}", reverse("forbund:budget_list"), urgent=True)
        )
    unpaid = Contribution.objects.filter(
        budget_year__year__lte=today.year, invoiced_on__isnull=False
    ).filter(paid_kr__lt=F("amount_kr"))
    count = unpaid.count()
    if count:
        result.append(
            Todo(
                "Fakturerade medlemsbidrag som inte är betalda",
                reverse("forbund:budget_list"),
                count,
            )
        )
    return result
