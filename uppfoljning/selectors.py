"""Reads of the follow-up: what to do next, the periods of an insats, and the dashboards.

The dashboards read a fixed number of queries whatever the amount of data: every figure is
summed in the database or from one list of approved reports, never per insats or per period.
They count approved reports only.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone

from finsam.start import Todo
from forbund.permissions import roles_of
from insatser import rules as insats_rules

from . import permissions, rules
from .models import (
    Activity,
    ActivityAttendance,
    ActualCost,
    Category,
    FollowUpSettings,
    ParticipantCount,
    PeriodReport,
)

KIND_LABELS = {
    insats_rules.INDIVIDUAL: "Individinriktad",
    insats_rules.STRUCTURAL: "Strukturövergripande",
}


# --- What to do next ----------------------------------------------------------------------------


@dataclass
class PeriodRow:
    """One period of an insats and its report (None when not started)."""

    period: rules.Period
    report: PeriodReport | None
    due: bool  # the period has ended, so the report is due


def periods_of_insats(insats, reports, today=None) -> list[PeriodRow]:
    """Return the insats's periods that have started, with the report of each (or None).

    `reports` are the insats's reports; a report in another period length keeps its own row.
    """
    today = today or timezone.localdate()
    length = FollowUpSettings.load().period_length
    by_start = {report.starts_on: report for report in reports}
    rows = [
        PeriodRow(period, by_start.pop(period.start, None), period.end < today)
        for period in rules.insats_periods(insats.starts_on, insats.ends_on, length, until=today)
    ]
    rows += [PeriodRow(report.period, report, True) for report in by_start.values()]
    return sorted(rows, key=lambda row: row.period.sort_key())


def reports_to_fill_in(user, today=None) -> tuple[int, int]:
    """Return (periods ended without a handed-in report, reports returned) for the lead staff."""
    roles = roles_of(user)
    if not roles.staff:
        return 0, 0
    from insatser.models import Insats

    today = today or timezone.localdate()
    length = FollowUpSettings.load().period_length
    insatser = list(
        Insats.objects.filter(lead_party_id__in=roles.staff_parties, starts_on__lte=today).only(
            "pk", "starts_on", "ends_on"
        )
    )
    reports = PeriodReport.objects.filter(insats__in=insatser).values_list(
        "insats_id", "starts_on", "status"
    )
    state = {(insats_id, starts_on): status for insats_id, starts_on, status in reports}
    missing = returned = 0
    for insats in insatser:
        for period in rules.insats_periods(insats.starts_on, insats.ends_on, length, until=today):
            status = state.get((insats.pk, period.start))
            if status == rules.RETURNED:
                returned += 1
            elif period.end < today and status in (None, rules.DRAFT):
                missing += 1
    return missing, returned


def todos_for(user) -> list[Todo]:
    """What this person has to do next in the follow-up."""
    result: list[Todo] = []
    index = reverse("uppfoljning:index")
    missing, returned = reports_to_fill_in(user)
    if returned:
        result.append(
            Todo("Periodrapporter som kansliet har skickat tillbaka", index, returned, urgent=True)
        )
    if missing:
        result.append(Todo("Periodrapporter att fylla i och skicka in", index, missing))
    if roles_of(user).office:
        waiting = PeriodReport.objects.filter(status=rules.SUBMITTED).count()
        if waiting:
            result.append(Todo("Periodrapporter att godkänna", f"{index}#att-godkanna", waiting))
    return result


def insatser_overview(user):
    """Return the insatser `user` may follow, with counts of their reports by state."""
    return (
        permissions.followup_insatser(user)
        .select_related("lead_party", "application")
        .annotate(
            approved_reports=Count(
                "period_reports", filter=Q(period_reports__status=rules.APPROVED)
            ),
            submitted_reports=Count(
                "period_reports", filter=Q(period_reports__status=rules.SUBMITTED)
            ),
            open_reports=Count(
                "period_reports", filter=Q(period_reports__status__in=rules.EDITABLE_STATES)
            ),
        )
        .order_by("-starts_on", "title")
    )


def reports_waiting_for_approval():
    return (
        PeriodReport.objects.filter(status=rules.SUBMITTED)
        .select_related("insats__lead_party")
        .order_by("submitted_at")
    )


# --- Dashboards ---------------------------------------------------------------------------------


@dataclass
class Filters:
    """What a dashboard shows: one year or all, one party's insatser or all, one kind or both."""

    year: int | None = None
    party_id: int | None = None
    kind: str = ""
    public: bool = False

    def insats_q(self, prefix: str = "") -> Q:
        """Return a filter on Insats (or on a model reaching it through `prefix`)."""
        from insatser.models import Insats

        condition = Q()
        if self.kind:
            condition &= Q(**{f"{prefix}kind": self.kind})
        if self.party_id:
            co = Insats.co_parties.through.objects.filter(
                insats_id=OuterRef(f"{prefix}pk" if not prefix else prefix.rstrip("_") + "_id"),
                party_id=self.party_id,
            )
            condition &= Q(**{f"{prefix}lead_party_id": self.party_id}) | Q(Exists(co))
        return condition


@dataclass
class YearFigures:
    """The participants of individinriktade insatser in one year (or all years together)."""

    new: int = 0
    ended: int = 0
    running: int = 0  # at the end of the last approved period
    served: int = 0  # at the start of the year's first period + new in the year
    cost_kr: int = 0  # costs of individinriktade insatser, for cost per participant
    by_category: dict[int, int] = field(default_factory=dict)


@dataclass
class InsatsRow:
    insats: object
    budget_kr: int
    outcome_kr: int
    new: int
    ended: int

    @property
    def share(self):
        return rules.share(self.outcome_kr, self.budget_kr)


@dataclass
class Dashboard:
    filters: Filters
    years: list[int]
    categories: dict[str, list[Category]]
    by_year: dict[int, YearFigures]
    total: YearFigures
    insatser_by_kind: dict[str, int]
    rows: list[InsatsRow]
    budget_by_year: dict[int, int]
    outcome_by_year: dict[int, int]

    @property
    def budget_kr(self) -> int:
        return sum(row.budget_kr for row in self.rows)

    @property
    def outcome_kr(self) -> int:
        return sum(row.outcome_kr for row in self.rows)


def report_years() -> list[int]:
    """Return the years that have approved reports, oldest first."""
    return sorted(
        set(
            PeriodReport.objects.filter(status=rules.APPROVED)
            .values_list("year", flat=True)
            .distinct()
        )
    )


def breakdown_categories() -> dict[str, list[Category]]:
    result: dict[str, list[Category]] = {kind: [] for kind in rules.BREAKDOWNS}
    for category in Category.objects.filter(kind__in=list(rules.BREAKDOWNS)).order_by(
        "kind", "order", "label"
    ):
        result[category.kind].append(category)
    return result


def _year_figures(report_rows, count_rows, cost_rows, individual_ids) -> dict:
    """Sum approved reports per year; `report_rows` are ordered by insats and start."""
    years: dict[int, YearFigures] = defaultdict(YearFigures)
    last_end: dict[tuple[int, int], int] = {}
    first_start: dict[tuple[int, int], int] = {}
    for row in report_rows:
        if row["insats_id"] not in individual_ids:
            continue
        key = (row["insats_id"], row["year"])
        figures = years[row["year"]]
        figures.new += row["participants_new"] or 0
        figures.ended += row["participants_ended"] or 0
        first_start.setdefault(key, row["participants_start"] or 0)
        last_end[key] = row["participants_end"] or 0
    for (_insats, year), value in last_end.items():
        years[year].running += value
    for (_insats, year), value in first_start.items():
        years[year].served += value
    for figures in years.values():
        figures.served += figures.new
    for row in count_rows:
        figures = years[row["report__year"]]
        figures.by_category[row["category_id"]] = row["total"]
    for row in cost_rows:
        if row["report__insats_id"] in individual_ids:
            years[row["report__year"]].cost_kr += row["total"]
    return dict(years)


def dashboard(filters: Filters) -> Dashboard:
    """Return the förbund's approved figures under `filters` (a fixed number of queries)."""
    from insatser.models import GrantedAmount, Insats

    years = report_years()
    insats_q = filters.insats_q()
    insatser = Insats.objects.filter(insats_q).select_related("lead_party", "application")
    if filters.year:
        insatser = insatser.filter(
            starts_on__year__lte=filters.year, ends_on__year__gte=filters.year
        )
    insatser = list(insatser.order_by("title", "pk"))
    individual_ids = {i.pk for i in insatser if i.kind == insats_rules.INDIVIDUAL}

    reports = PeriodReport.objects.filter(filters.insats_q("insats__"), status=rules.APPROVED)
    report_rows = list(
        reports.values(
            "insats_id",
            "year",
            "participants_start",
            "participants_new",
            "participants_ended",
            "participants_end",
        ).order_by("insats_id", "starts_on")
    )
    count_rows = list(
        ParticipantCount.objects.filter(
            filters.insats_q("report__insats__"), report__status=rules.APPROVED
        )
        .values("report__year", "category_id")
        .annotate(total=Sum("count"))
        .order_by()
    )
    cost_rows = list(
        ActualCost.objects.filter(
            filters.insats_q("report__insats__"), report__status=rules.APPROVED
        )
        .values("report__insats_id", "report__year")
        .annotate(total=Sum("amount_kr"))
        .order_by()
    )
    granted_rows = list(
        GrantedAmount.objects.filter(filters.insats_q("insats__")).values(
            "insats_id", "year", "amount_kr"
        )
    )
    by_year = _year_figures(report_rows, count_rows, cost_rows, individual_ids)
    # All years of data, so the charts across years show every year with figures.
    all_years = sorted(set(years) | set(by_year))
    total = YearFigures()
    chosen = [filters.year] if filters.year else all_years
    for year in chosen:
        figures = by_year.get(year)
        if figures is None:
            continue
        total.new += figures.new
        total.ended += figures.ended
        total.served += figures.served
        total.cost_kr += figures.cost_kr
        for category_id, value in figures.by_category.items():
            total.by_category[category_id] = total.by_category.get(category_id, 0) + value
    if filters.year:
        total.running = by_year.get(filters.year, YearFigures()).running
    elif all_years:
        total.running = by_year.get(all_years[-1], YearFigures()).running

    def in_scope(year):
        return filters.year is None or year == filters.year

    budget: dict[int, int] = defaultdict(int)
    budget_by_year: dict[int, int] = defaultdict(int)
    for row in granted_rows:
        budget_by_year[row["year"]] += row["amount_kr"]
        if in_scope(row["year"]):
            budget[row["insats_id"]] += row["amount_kr"]
    outcome: dict[int, int] = defaultdict(int)
    outcome_by_year: dict[int, int] = defaultdict(int)
    for row in cost_rows:
        outcome_by_year[row["report__year"]] += row["total"]
        if in_scope(row["report__year"]):
            outcome[row["report__insats_id"]] += row["total"]
    flows: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in report_rows:
        if in_scope(row["year"]):
            flows[row["insats_id"]][0] += row["participants_new"] or 0
            flows[row["insats_id"]][1] += row["participants_ended"] or 0
    rows = [
        InsatsRow(insats, budget[insats.pk], outcome[insats.pk], *flows[insats.pk])
        for insats in insatser
    ]
    by_kind = {kind: 0 for kind in KIND_LABELS}
    for insats in insatser:
        by_kind[insats.kind] = by_kind.get(insats.kind, 0) + 1
    return Dashboard(
        filters=filters,
        years=all_years,
        categories=breakdown_categories(),
        by_year=by_year,
        total=total,
        insatser_by_kind=by_kind,
        rows=rows,
        budget_by_year=dict(budget_by_year),
        outcome_by_year=dict(outcome_by_year),
    )


@dataclass
class InsatsDashboard:
    insats: object
    reports: list[PeriodReport]
    categories: dict[str, list[Category]]
    counts: dict[int, dict[int, int]]  # report id -> category id -> count
    costs: dict[int, int]  # report id -> kronor
    granted_by_year: dict[int, int]
    outcome_by_year: dict[int, int]
    activities: dict[int, tuple[int, int]]  # report id -> (activities, minutes)
    attendance: list[tuple[str, int]]  # (party, attendees) over all approved periods

    def total_for(self, category_id: int) -> int:
        return sum(by_category.get(category_id, 0) for by_category in self.counts.values())


def insats_dashboard(insats) -> InsatsDashboard:
    """Return an insats's approved figures over its periods (a fixed number of queries)."""
    from insatser.models import GrantedAmount

    reports = list(
        PeriodReport.objects.filter(insats=insats, status=rules.APPROVED).order_by("starts_on")
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for report_id, category_id, count in ParticipantCount.objects.filter(
        report__insats=insats, report__status=rules.APPROVED
    ).values_list("report_id", "category_id", "count"):
        counts[report_id][category_id] = count
    costs = dict(
        ActualCost.objects.filter(report__insats=insats, report__status=rules.APPROVED)
        .values("report_id")
        .annotate(total=Sum("amount_kr"))
        .values_list("report_id", "total")
        .order_by()
    )
    granted = dict(GrantedAmount.objects.filter(insats=insats).values_list("year", "amount_kr"))
    outcome: dict[int, int] = defaultdict(int)
    for report in reports:
        outcome[report.year] += costs.get(report.pk, 0)
    activities = {
        row["report_id"]: (row["n"], row["minutes"] or 0)
        for row in Activity.objects.filter(report__insats=insats, report__status=rules.APPROVED)
        .values("report_id")
        .annotate(n=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    }
    attendance = [
        (row["party__name"], row["total"])
        for row in ActivityAttendance.objects.filter(
            activity__report__insats=insats, activity__report__status=rules.APPROVED
        )
        .values("party__name")
        .annotate(total=Sum("attendees"))
        .order_by("party__name")
    ]
    return InsatsDashboard(
        insats=insats,
        reports=reports,
        categories=breakdown_categories(),
        counts=dict(counts),
        costs=costs,
        granted_by_year=granted,
        outcome_by_year=dict(outcome),
        activities=activities,
        attendance=attendance,
    )
