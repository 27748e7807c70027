"""The follow-up's policy as plain functions: reporting periods and the checks on period figures.

No database access here. Forms and services call the same functions, so a user sees the same
Swedish message wherever a rule is hit. Every check returns a list of messages (empty when the
figures agree); each message names the row and the numbers that disagree.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import TextChoices

MONTH_NAMES = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _number(value: int) -> str:
    """Return an integer the Swedish way: thin groups of three, a real minus sign."""
    digits = f"{abs(value):,}".replace(",", "\xa0")
    return f"−{digits}" if value < 0 else digits


# --- Reporting periods ---------------------------------------------------------------------------


class PeriodLength(TextChoices):
    """How the förbund cuts the year into reporting periods."""

    TERTIAL = "tertial", "Tertial (januari–april, maj–augusti, september–december)"
    MONTH = "month", "Månad"


MONTHS_PER_PERIOD = {PeriodLength.TERTIAL: 4, PeriodLength.MONTH: 1}


@dataclass(frozen=True)
class Period:
    """One reporting period: tertial 1–3 or month 1–12 of a year."""

    year: int
    number: int
    length: PeriodLength = PeriodLength.TERTIAL

    def __post_init__(self):
        length = PeriodLength(self.length)
        object.__setattr__(self, "length", length)
        count = 12 // MONTHS_PER_PERIOD[length]
        if not 1 <= self.number <= count:
            raise ValueError(f"Period {self.number} finns inte; ett år har {count} perioder.")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"Året {self.year} är inte giltigt.")

    @property
    def months(self) -> int:
        return MONTHS_PER_PERIOD[self.length]

    @property
    def first_month(self) -> int:
        return (self.number - 1) * self.months + 1

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        if self.last_month == 12:
            return date(self.year, 12, 31)
        return date(self.year, self.last_month + 1, 1) - timedelta(days=1)

    @property
    def code(self) -> str:
        """Return a stable key for imports and URLs: `2026-T1` or `2026-03`."""
        if self.length == PeriodLength.TERTIAL:
            return f"{self.year}-T{self.number}"
        return f"{self.year}-{self.number:02d}"

    @property
    def label(self) -> str:
        """Return the short Swedish name: `T1 2026` or `mars 2026`."""
        if self.length == PeriodLength.TERTIAL:
            return f"T{self.number} {self.year}"
        return f"{MONTH_NAMES[self.number - 1]} {self.year}"

    @property
    def long_label(self) -> str:
        """Return the name with its months: `T1 2026 (januari–april)`."""
        if self.length == PeriodLength.TERTIAL:
            first = MONTH_NAMES[self.first_month - 1]
            last = MONTH_NAMES[self.last_month - 1]
            return f"T{self.number} {self.year} ({first}–{last})"
        return self.label

    def __str__(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def sort_key(self) -> tuple[date, date]:
        return (self.start, self.end)


def period_for(day: date, length: PeriodLength | str = PeriodLength.TERTIAL) -> Period:
    """Return the period of `length` that contains `day`."""
    months = MONTHS_PER_PERIOD[PeriodLength(length)]
    return Period(day.year, (day.month - 1) // months + 1, length)


def periods_of(year: int, length: PeriodLength | str = PeriodLength.TERTIAL) -> list[Period]:
    """Return the year's periods in order; together they cover the year without gaps."""
    count = 12 // MONTHS_PER_PERIOD[PeriodLength(length)]
    return [Period(year, number, length) for number in range(1, count + 1)]


def next_period(period: Period) -> Period:
    """Return the period that starts the day after `period` ends."""
    return period_for(period.end + timedelta(days=1), period.length)


def previous_period(period: Period) -> Period:
    """Return the period that ends the day before `period` starts."""
    return period_for(period.start - timedelta(days=1), period.length)


def period_label(period: Period) -> str:
    """Return the period's Swedish name, `T2 2026` or `maj 2026`."""
    return period.label


def parse_period(code: str) -> Period:
    """Return the period named by `code` (`2026-T1` or `2026-03`); ValueError in Swedish if not."""
    text = code.strip().upper()
    year_text, _, rest = text.partition("-")
    try:
        year = int(year_text)
        if rest.startswith("T"):
            return Period(year, int(rest[1:]), PeriodLength.TERTIAL)
        if len(rest) == 2:
            return Period(year, int(rest), PeriodLength.MONTH)
    except ValueError:
        pass
    raise ValueError(
        f"”{code}” är ingen period. Skriv till exempel 2026-T1 för ett tertial "
        "eller 2026-03 för en månad."
    )


# --- Checks on period figures --------------------------------------------------------------------


def check_not_negative(values: Mapping[str, int | None]) -> list[str]:
    """Refuse negative counts and amounts; `values` maps each row's name to its number."""
    return [
        f"{row} kan inte vara negativt ({_number(value)} är angivet)."
        for row, value in values.items()
        if value is not None and value < 0
    ]


def check_breakdown(
    row: str, total_label: str, total: int, parts: Mapping[str, int | None]
) -> list[str]:
    """Check that a breakdown (`row`, e.g. "Nya deltagare per kön") sums to its total.

    Empty parts count as 0. The message shows the parts, their sum and the total.
    """
    values = {name: value or 0 for name, value in parts.items()}
    added = sum(values.values())
    if added == total:
        return []
    terms = " + ".join(f"{name} {_number(value)}" for name, value in values.items()) or "inget"
    difference = added - total
    more_or_less = "för mycket" if difference > 0 else "för lite"
    return [
        f"{row}: {terms} = {_number(added)}, men {total_label.lower()} är {_number(total)}. "
        f"Fördelningen har {_number(abs(difference))} {more_or_less}."
    ]


def participants_at_end(start: int, new: int, ended: int) -> int:
    """Return the participants at the end of a period: start + new − ended."""
    return start + new - ended


def check_participant_flow(
    start: int, new: int, ended: int, end: int, period: str | Period | None = None
) -> list[str]:
    """Check start + new − ended = end, and that no more participants end than there were."""
    where = f" ({period})" if period else ""
    messages = []
    if ended > start + new:
        messages.append(
            f"Avslutade deltagare{where}: {_number(ended)} är fler än deltagarna vid periodens "
            f"start ({_number(start)}) och de nya ({_number(new)}) tillsammans, "
            f"{_number(start + new)}."
        )
    expected = participants_at_end(start, new, ended)
    if end != expected:
        messages.append(
            f"Deltagare vid periodens slut{where}: {_number(end)} är angivet, men "
            f"start {_number(start)} + nya {_number(new)} − avslutade {_number(ended)} "
            f"= {_number(expected)}."
        )
    return messages


def check_continuity(
    previous_end: int, start: int, previous: str | Period, current: str | Period
) -> list[str]:
    """Check that a period starts with the participants the previous period ended with."""
    if previous_end == start:
        return []
    return [
        f"Deltagare vid start av {current}: {_number(start)} är angivet, men {previous} "
        f"slutade med {_number(previous_end)}. En period börjar där den förra slutade."
    ]


def check_periods_adjoin(previous: Period, current: Period) -> list[str]:
    """Check that `current` starts the day after `previous` ends (no gap, no overlap)."""
    if current.start == previous.end + timedelta(days=1):
        return []
    return [
        f"{current.long_label} följer inte direkt på {previous.long_label}: "
        f"{previous.label} slutar {previous.end.isoformat()} och {current.label} börjar "
        f"{current.start.isoformat()}."
    ]


# --- Category lists ------------------------------------------------------------------------------


def check_list_keeps_an_active_category(list_label: str, active_after: int) -> list[str]:
    """A category list must keep at least one active category, or nothing could be reported."""
    if active_after > 0:
        return []
    return [
        f"Listan {list_label.lower()} måste ha minst en aktiv kategori. "
        "Lägg till eller aktivera en annan kategori först."
    ]


def chronological(periods: Iterable[Period]) -> Sequence[Period]:
    """Return `periods` sorted by their dates."""
    return sorted(periods, key=Period.sort_key)


# --- Small counts in anything meant for the public -----------------------------------------------

PUBLIC_MINIMUM = 5
SUPPRESSED = "–"


def suppress_small(n: int | None, public: bool = True) -> int | str | None:
    """Return `n`, or "–" when it is meant for the public and under 5 (0 included).

    Use this for every count that leaves the förbund (public reports, the public dashboard,
    exports marked public). Internal pages pass public=False and see the real number. Zero is
    hidden too: beside a known total, a zero can tell something about the people in the other
    groups ("all three who ended went to work"). None (no figure) stays None.
    """
    if n is None or not public:
        return n
    return SUPPRESSED if n < PUBLIC_MINIMUM else n


def suppress_breakdown(values: Sequence[int | None], public: bool = True) -> list[int | str | None]:
    """Return a breakdown with small counts suppressed so they cannot be worked out again.

    Where the total is shown and exactly one part is hidden, the hidden part would be the total
    minus the others, so the smallest shown part is hidden as well (secondary suppression).
    """
    result = [suppress_small(value, public) for value in values]
    if not public:
        return result
    hidden = [index for index, value in enumerate(result) if value == SUPPRESSED]
    shown = [index for index, value in enumerate(result) if isinstance(value, int)]
    if len(hidden) == 1 and shown:
        smallest = min(shown, key=lambda index: result[index])
        result[smallest] = SUPPRESSED
    return result


# --- Period reports ------------------------------------------------------------------------------

# Report states.
DRAFT = "utkast"
SUBMITTED = "inskickad"
RETURNED = "returnerad"
APPROVED = "godkand"

REPORT_STATE_LABELS = {
    DRAFT: "Utkast",
    SUBMITTED: "Inskickad",
    RETURNED: "Återskickad för rättelse",
    APPROVED: "Godkänd",
}
# The lead party changes the figures only in these states; an approved report is locked.
EDITABLE_STATES = frozenset({DRAFT, RETURNED})
# A report in these states counts as handed in: the next period may continue from it.
HANDED_IN_STATES = frozenset({SUBMITTED, APPROVED})

LEAD_STAFF = "lead_staff"
OFFICE = "office"

# (action, from state) -> (to state, who may take it)
REPORT_TRANSITIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("submit", DRAFT): (SUBMITTED, LEAD_STAFF),
    ("submit", RETURNED): (SUBMITTED, LEAD_STAFF),
    ("approve", SUBMITTED): (APPROVED, OFFICE),
    ("return", SUBMITTED): (RETURNED, OFFICE),
    ("reopen", APPROVED): (RETURNED, OFFICE),
}
_ACTION_NAMES = {
    "submit": "skickas in",
    "approve": "godkännas",
    "return": "skickas tillbaka",
    "reopen": "öppnas igen",
}


def report_transition(action: str, state: str) -> tuple[str, str]:
    """Return (new state, actor) for `action` on a report in `state`; ValueError in Swedish."""
    found = REPORT_TRANSITIONS.get((action, state))
    if found is None:
        label = REPORT_STATE_LABELS.get(state, state).lower()
        raise ValueError(
            f"En periodrapport med status ”{label}” kan inte {_ACTION_NAMES.get(action, action)}. "
            "Ingenting har ändrats."
        )
    return found


# Which total each category list breaks down, and the row name its messages use.
NEW = "new"
ENDED = "ended"
BREAKDOWNS: dict[str, tuple[str, str]] = {
    "gender": (NEW, "Nya deltagare per kön"),
    "age_group": (NEW, "Nya deltagare per åldersgrupp"),
    "support_at_start": (NEW, "Nya deltagare per försörjning vid start"),
    "status_after": (ENDED, "Avslutade deltagare per status efter insatsen"),
}
TOTAL_LABELS = {NEW: "Nya deltagare", ENDED: "Avslutade deltagare"}
PARTICIPANT_LABELS = {
    "start": "Deltagare vid periodens start",
    "new": "Nya deltagare",
    "ended": "Avslutade deltagare",
    "end": "Deltagare vid periodens slut",
}


@dataclass
class ReportFigures:
    """What a period report says, in plain values, for `check_report`.

    `breakdowns` maps a category list (see BREAKDOWNS) to {category label: count}; `costs` maps
    a cost category's label to whole kronor. `previous` is the report of the period before
    (its period and the participants it ended with), or None when there is none handed in.
    """

    period: Period
    individual: bool
    start: int | None = None
    new: int | None = None
    ended: int | None = None
    end: int | None = None
    breakdowns: dict[str, dict[str, int | None]] = field(default_factory=dict)
    costs: dict[str, int | None] = field(default_factory=dict)
    previous: tuple[Period, int | None] | None = None
    first_period: bool = False


def check_report(figures: ReportFigures) -> list[str]:
    """Return every reason the report cannot be handed in (empty when it can).

    The same checks run when a report is submitted in the form and when it is imported.
    """
    messages: list[str] = []
    flow = {
        "start": figures.start,
        "new": figures.new,
        "ended": figures.ended,
        "end": figures.end,
    }
    if figures.individual:
        messages += [
            f"{PARTICIPANT_LABELS[key]} saknas; skriv 0 om det inte fanns några."
            for key, value in flow.items()
            if value is None
        ]
    values: dict[str, int | None] = {}
    if figures.individual:
        values.update({PARTICIPANT_LABELS[key]: value for key, value in flow.items()})
        for kind, parts in figures.breakdowns.items():
            row = BREAKDOWNS[kind][1]
            values.update({f"{row}, {label}": value for label, value in parts.items()})
    values.update({f"Kostnad {label.lower()}": value for label, value in figures.costs.items()})
    negative = check_not_negative(values)
    messages += negative
    if not figures.individual or negative or None in flow.values():
        return messages + _continuity(figures)
    messages += check_participant_flow(
        figures.start, figures.new, figures.ended, figures.end, figures.period
    )
    for kind, parts in figures.breakdowns.items():
        total_key, row = BREAKDOWNS[kind]
        total = figures.new if total_key == NEW else figures.ended
        messages += check_breakdown(row, TOTAL_LABELS[total_key], total, parts)
    return messages + _continuity(figures)


def _continuity(figures: ReportFigures) -> list[str]:
    if figures.previous is None:
        if figures.first_period:
            return []
        before = previous_period(figures.period)
        return [
            f"{before.label} saknar en inskickad periodrapport. Rapporterna lämnas in i ordning, "
            f"så skicka in {before.label} först."
        ]
    previous, previous_end = figures.previous
    messages = check_periods_adjoin(previous, figures.period)
    if figures.individual and previous_end is not None and figures.start is not None:
        messages += check_continuity(previous_end, figures.start, previous, figures.period)
    return messages


def period_overlaps(period: Period, starts_on: date, ends_on: date) -> bool:
    """Return whether an insats running `starts_on`–`ends_on` runs during `period`."""
    return period.start <= ends_on and starts_on <= period.end


def insats_periods(
    starts_on: date, ends_on: date, length: PeriodLength | str, until: date | None = None
) -> list[Period]:
    """Return the periods an insats running `starts_on`–`ends_on` reports, in order; with
    `until`, only those that have started by then."""
    result = []
    for year in range(starts_on.year, ends_on.year + 1):
        for period in periods_of(year, length):
            if not period_overlaps(period, starts_on, ends_on):
                continue
            if until is not None and period.start > until:
                continue
            result.append(period)
    return result


def share(part: int | None, whole: int | None) -> float | None:
    """Return part/whole as a percentage with one decimal, or None when whole is 0 or missing."""
    if not whole or part is None:
        return None
    return round(part * 100 / whole, 1)


def per_participant(amount_kr: int, participants: int) -> int | None:
    """Return the cost per participant in whole kronor (rounded half up), None without any."""
    if participants <= 0:
        return None
    return (amount_kr * 2 + participants) // (participants * 2)
