"""The figures an annual report is made from, gathered into one JSON-serialisable dict.

The report is rendered from this dict alone, and the dict is kept with every finished version, so
two versions can be compared figure by figure (`figure_changes`). Reads the förbund's own
selectors and, through imports inside the functions, the insatser and uppfoljning apps: those apps
import the förbund, never the other way round at module level.

Follow-up figures (participants, results after ended insatser, actual costs) come from the
uppfoljning app's approved period reports. A year without any has `None` there, and the report
says the figures are missing; nothing is estimated.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Q, Sum
from django.utils import timezone

from . import rules, selectors
from .models import BoardSeat, BudgetYear, Forbund, Party, Population, RoleAssignment

FIGURES_VERSION = 1


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _overlaps(prefix_from: str, prefix_to: str, year: int) -> Q:
    """Rows whose period (from, to or open) overlaps the calendar year."""
    return Q(**{f"{prefix_from}__lte": date(year, 12, 31)}) & (
        Q(**{f"{prefix_to}__isnull": True}) | Q(**{f"{prefix_to}__gte": date(year, 1, 1)})
    )


# --- The förbund -------------------------------------------------------------------------


def forbund_figures(year: int) -> dict:
    forbund = Forbund.objects.first()
    return {
        "name": forbund.name if forbund else "Samordningsförbundet",
        "org_number": forbund.org_number if forbund else "",
        "address": forbund.address if forbund else "",
        "seat": forbund.seat if forbund else "",
        "delegation_limit_kr": forbund.delegation_limit_kr if forbund else 0,
        "equity_warning_percent": forbund.equity_warning_percent if forbund else 20,
        "has_logo": bool(forbund and forbund.logo),
    }


def member_figures(year: int) -> list[dict]:
    """Return the parties that were members at some time during the year."""
    parties = sorted(
        Party.objects.members_in(year), key=lambda p: (rules.KINDS.index(p.kind), p.name)
    )
    population = dict(
        Population.objects.filter(year=year, party__in=parties).values_list(
            "party_id", "inhabitants"
        )
    )
    return [
        {
            "name": party.name,
            "kind": party.kind,
            "kind_label": party.get_kind_display(),
            "org_number": party.org_number,
            "member_from": _iso(party.member_from),
            "member_to": _iso(party.member_to),
            "population": population.get(party.pk),
        }
        for party in parties
    ]


def board_figures(year: int) -> list[dict]:
    """Return every party's ledamöter and ersättare who held a seat during the year."""
    seats = (
        BoardSeat.objects.filter(_overlaps("starts_on", "ends_on", year))
        .select_related("user", "party")
        .order_by("party__name", "kind", "user__name", "starts_on")
    )
    by_party: dict[int, dict] = {}
    for seat in seats:
        row = by_party.setdefault(
            seat.party_id,
            {
                "party": seat.party.name,
                "kind": seat.party.kind,
                "members": [],
                "deputies": [],
            },
        )
        person = {
            "name": seat.user.name or seat.user.email,
            "office": seat.get_office_display() if seat.office else "",
            "starts_on": _iso(seat.starts_on),
            "ends_on": _iso(seat.ends_on),
        }
        row["members" if seat.kind == BoardSeat.Kind.MEMBER else "deputies"].append(person)
    return sorted(by_party.values(), key=lambda r: (rules.KINDS.index(r["kind"]), r["party"]))


def _people_with_role(role: str, year: int) -> list[dict]:
    assignments = (
        RoleAssignment.objects.filter(_overlaps("valid_from", "valid_to", year), role=role)
        .select_related("user", "party")
        .order_by("user__name", "pk")
    )
    seen, people = set(), []
    for assignment in assignments:
        key = (assignment.user_id, assignment.party_id)
        if key in seen:
            continue
        seen.add(key)
        people.append(
            {
                "name": assignment.user.name or assignment.user.email,
                "party": assignment.party.name if assignment.party_id else "",
            }
        )
    return people


def signatory_figures(year: int, today: date) -> list[dict]:
    """Return the ledamöter who sign the report: those sitting when it is made (or at year end,
    for a report made before the year is over)."""
    board = selectors.board_on(today)
    if not any(row.members for row in board.parties):
        board = selectors.board_on(date(year, 12, 31))
    return [
        {"name": seat.user.name or seat.user.email, "party": row.party.name}
        for row in board.parties
        for seat in row.members
    ]


# --- Money -------------------------------------------------------------------------


def money_figures(year: int, insats_rows: list[dict]) -> dict | None:
    """Return the year's funding, split, costs, result and equity, or None without a budget."""
    budget_year = BudgetYear.objects.filter(year=year).first()
    if budget_year is None:
        return None
    summary = selectors.budget_summary(budget_year)
    split = summary.split
    contributions = [
        {
            "party": row.party.name,
            "kind": row.party.kind,
            "kind_label": row.party.get_kind_display(),
            "key": row.weight_display,
            "key_share": round(row.weight_share, 6) if row.weight_share is not None else None,
            "split_kr": row.split_kr,
            "contribution_kr": row.contribution.amount_kr if row.contribution else None,
            "paid_kr": row.contribution.paid_kr if row.contribution else 0,
            "outstanding_kr": row.contribution.outstanding_kr if row.contribution else None,
        }
        for row in summary.rows
    ]
    granted_kr = sum(row["granted_year_kr"] for row in insats_rows)
    paid_to_insatser_kr = sum(row["paid_year_kr"] for row in insats_rows)
    office_costs_kr = budget_year.office_costs_kr
    income_kr = budget_year.total_kr + budget_year.other_income_kr
    equity_end = budget_year.equity_at_year_end_kr
    if equity_end is not None:
        result_kr = equity_end - budget_year.equity_brought_in_kr
        result_basis = "bokslut"
    else:
        result_kr = income_kr - office_costs_kr - paid_to_insatser_kr
        result_basis = "preliminart"
    return {
        "state_allocation_kr": budget_year.state_allocation_kr,
        "total_kr": budget_year.total_kr,
        "key": budget_year.get_key_display(),
        "state_kr": split.state_kr if split else None,
        "region_kr": split.region_kr if split else None,
        "kommun_kr": split.kommun_kr if split else None,
        "split_error": summary.split_error,
        "contributions": contributions,
        "contributions_kr": summary.contributions_kr,
        "contributions_paid_kr": summary.paid_kr,
        "contributions_outstanding_kr": summary.outstanding_kr,
        "other_income_kr": budget_year.other_income_kr,
        "income_kr": income_kr,
        "equity_brought_in_kr": budget_year.equity_brought_in_kr,
        "board_cost_kr": budget_year.board_cost_kr,
        "administration_cost_kr": budget_year.administration_cost_kr,
        "audit_cost_kr": budget_year.audit_cost_kr,
        "office_costs_kr": office_costs_kr,
        "available_for_insatser_kr": budget_year.money_available_kr,
        "granted_kr": granted_kr,
        "paid_to_insatser_kr": paid_to_insatser_kr,
        "result_kr": result_kr,
        "result_basis": result_basis,
        "equity_at_year_end_kr": equity_end,
        "equity_share": summary.equity_share,
        "equity_warning_percent": summary.equity_warning_percent,
        "equity_over_threshold": summary.equity_warning,
    }


# --- Insatser -------------------------------------------------------------------------


def insats_figures(year: int) -> list[dict]:
    """Return every insats that ran at some time during the year, with its money."""
    from insatser import rules_insats
    from insatser.models_insats import Insats

    insatser = (
        Insats.objects.filter(starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1))
        .select_related("lead_party", "application", "decision__agenda_item__meeting", "decision")
        .prefetch_related("co_parties", "granted_amounts", "payment_requests")
        .order_by("title", "pk")
    )
    rows = []
    for insats in insatser:
        decision = insats.decision
        item = decision.agenda_item
        granted = {g.year: g.amount_kr for g in insats.granted_amounts.all()}
        counted = [
            r for r in insats.payment_requests.all() if r.status in rules_insats.COUNTED_STATES
        ]
        paid = [r for r in counted if r.status == rules_insats.PAID]
        rows.append(
            {
                "id": insats.pk,
                "title": insats.title,
                "case_number": insats.application.case_number,
                "kind": insats.kind,
                "kind_label": insats.get_kind_display(),
                "status": insats.status,
                "status_label": insats.get_status_display(),
                "purpose": insats.application.purpose,
                "planned_participants": insats.application.planned_participants,
                "lead_party": insats.lead_party.name,
                "co_parties": sorted(p.name for p in insats.co_parties.all()),
                "starts_on": _iso(insats.starts_on),
                "ends_on": _iso(insats.ends_on),
                "started_this_year": insats.starts_on.year == year,
                "closed_this_year": bool(
                    insats.closed_at and timezone.localtime(insats.closed_at).year == year
                )
                or (insats.status == rules_insats.CLOSED and insats.ends_on.year == year),
                "decision": {
                    "delegated": decision.delegated,
                    "decided_on": _iso(decision.decided_on),
                    "paragraph": item.number if item else None,
                    "meeting_on": _iso(item.meeting.held_on) if item else None,
                },
                "granted_by_year": [{"year": y, "amount_kr": granted[y]} for y in sorted(granted)],
                "granted_total_kr": sum(granted.values()),
                "granted_year_kr": granted.get(year, 0),
                "requested_year_kr": sum(r.amount_kr for r in counted if r.year == year),
                "paid_year_kr": sum(r.amount_kr for r in paid if r.year == year),
                "paid_total_kr": sum(r.amount_kr for r in paid),
            }
        )
    return rows


def insatser_by_kind(rows: list[dict]) -> list[dict]:
    from insatser.models_insats import Insats

    result = []
    for kind, label in Insats.Kind.choices:
        of_kind = [row for row in rows if row["kind"] == kind]
        result.append(
            {
                "kind": kind,
                "label": str(label),
                "running": len(of_kind),
                "started": sum(row["started_this_year"] for row in of_kind),
                "closed": sum(row["closed_this_year"] for row in of_kind),
                "granted_kr": sum(row["granted_year_kr"] for row in of_kind),
                "paid_kr": sum(row["paid_year_kr"] for row in of_kind),
            }
        )
    return result


# --- Decisions -------------------------------------------------------------------------


def decision_figures(year: int) -> dict:
    """Return the year's meetings with each ärende and its decision, and delegated decisions."""
    from insatser import rules_meetings
    from insatser.models_meetings import AgendaItem, Decision, Meeting

    meetings = list(Meeting.objects.filter(held_on__year=year).order_by("held_on", "pk"))
    items = (
        AgendaItem.objects.filter(meeting__in=meetings)
        .select_related("decision", "application", "reported_decision__application")
        .prefetch_related("decision__amounts")
        .order_by("meeting__held_on", "number")
    )
    items_by_meeting = defaultdict(list)
    for item in items:
        decision = getattr(item, "decision", None)
        entry = {
            "number": item.number,
            "title": item.title,
            "kind": item.kind,
            "kind_label": item.get_kind_display(),
            "case_number": item.application.case_number if item.application_id else "",
            "outcome": decision.get_outcome_display() if decision else "",
            "decision_status": decision.get_status_display() if decision else "",
            "amounts": [{"year": a.year, "amount_kr": a.amount_kr} for a in decision.amounts.all()]
            if decision
            else [],
            "total_kr": sum(a.amount_kr for a in decision.amounts.all()) if decision else 0,
        }
        if item.reported_decision_id:
            entry["case_number"] = item.reported_decision.application.case_number
        items_by_meeting[item.meeting_id].append(entry)
    delegated = (
        Decision.objects.filter(delegated=True, decided_on__year=year)
        .exclude(status=rules_meetings.LAPSED)
        .select_related("application__lead_party", "reported_at__meeting")
        .prefetch_related("amounts")
        .order_by("decided_on", "pk")
    )
    return {
        "meetings": [
            {
                "held_on": _iso(meeting.held_on),
                "place": meeting.place,
                "status": meeting.status,
                "status_label": meeting.get_status_display(),
                "approved": meeting.status == rules_meetings.APPROVED,
                "approved_on": _iso(timezone.localtime(meeting.approved_at).date())
                if meeting.approved_at
                else None,
                "items": items_by_meeting.get(meeting.pk, []),
            }
            for meeting in meetings
        ],
        "delegated": [
            {
                "case_number": decision.application.case_number,
                "title": decision.application.title,
                "lead_party": decision.application.lead_party.name,
                "decided_on": _iso(decision.decided_on),
                "total_kr": sum(a.amount_kr for a in decision.amounts.all()),
                "reported_on": _iso(decision.reported_at.meeting.held_on)
                if getattr(decision, "reported_at", None)
                else None,
                "reported_paragraph": decision.reported_at.number
                if getattr(decision, "reported_at", None)
                else None,
            }
            for decision in delegated
        ],
    }


# --- Follow-up (uppfoljning) -------------------------------------------------------------


def _breakdown(categories, by_category: dict[int, int]) -> list[dict]:
    """Return [{"label", "count", "shown"}] for a category list; counts under 5 are hidden
    (the report is a public document), and a second part when one alone would give it away."""
    from uppfoljning import rules as followup_rules

    values = [by_category.get(category.pk, 0) for category in categories]
    shown = followup_rules.suppress_breakdown(values, True)
    return [
        {"label": category.label, "count": value, "shown": str(display)}
        for category, value, display in zip(categories, values, shown, strict=True)
        if value or category.active
    ]


def followup_figures(year: int, insats_ids: list[int]) -> dict | None:
    """Return the year's participants, results after ended insatser and actual costs from the
    uppfoljning app's approved period reports (None when no report for the year is approved).

    Per insats under "by_insats" (keyed by id as text, as JSON keys are).
    """
    from uppfoljning import rules as followup_rules
    from uppfoljning.models_reports import ParticipantCount, PeriodReport
    from uppfoljning.selectors import Filters, dashboard

    approved = PeriodReport.objects.filter(year=year, status=followup_rules.APPROVED)
    if not approved.exists():
        return None
    dash = dashboard(Filters(year=year))
    total = dash.total
    gender = dash.categories.get("gender", [])
    status_after = dash.categories.get("status_after", [])
    by_insats: dict[str, dict] = {}
    last_end: dict[int, int] = {}
    for row in approved.order_by("insats_id", "starts_on").values("insats_id", "participants_end"):
        if row["participants_end"] is not None:
            last_end[row["insats_id"]] = row["participants_end"]
    gender_counts: dict[int, dict[int, int]] = defaultdict(dict)
    for insats_id, category_id, count in (
        ParticipantCount.objects.filter(report__in=approved, category__in=gender)
        .values_list("report__insats_id", "category_id")
        .annotate(total=Sum("count"))
        .values_list("report__insats_id", "category_id", "total")
    ):
        gender_counts[insats_id][category_id] = count
    for row in dash.rows:
        if row.insats.pk not in insats_ids:
            continue
        by_insats[str(row.insats.pk)] = {
            "participants_new": row.new,
            "participants_ended": row.ended,
            "participants_at_year_end": last_end.get(row.insats.pk),
            "new_by_gender": _breakdown(gender, gender_counts.get(row.insats.pk, {}))
            if row.insats.kind == "individinriktad"
            else [],
            "budget_kr": row.budget_kr,
            "used_kr": row.outcome_kr,
        }
    new_by_gender = _breakdown(gender, total.by_category)
    ended_by_status = _breakdown(status_after, total.by_category)
    return {
        "participants_new": total.new,
        "participants_ended": total.ended,
        "participants_at_year_end": total.running,
        "new_by_gender": new_by_gender,
        "status_after": ended_by_status,
        "used_kr": dash.outcome_kr,
        "by_insats": by_insats,
        "charts": [
            {
                "key": "followup-gender",
                "title": f"Nya deltagare {year} per kön",
                "labels": [row["label"] for row in new_by_gender],
                "values": [row["count"] for row in new_by_gender],
                "series": "Nya deltagare",
                "row_header": "Kön",
            },
            {
                "key": "followup-status",
                "title": f"Avslutade deltagare {year} per status efter insatsen",
                "labels": [row["label"] for row in ended_by_status],
                "values": [row["count"] for row in ended_by_status],
                "series": "Avslutade deltagare",
                "row_header": "Status efter insatsen",
            },
        ],
    }


# --- All of it -------------------------------------------------------------------------


def annual_report_figures(year: int, *, today: date | None = None) -> dict:
    """Return everything the annual report for `year` shows, JSON-serialisable."""
    today = today or timezone.localdate()
    insats_rows = insats_figures(year)
    followup = followup_figures(year, [row["id"] for row in insats_rows])
    for row in insats_rows:
        row["followup"] = (followup or {}).get("by_insats", {}).get(str(row["id"]))
    return {
        "figures_version": FIGURES_VERSION,
        "year": year,
        "forbund": forbund_figures(year),
        "members": member_figures(year),
        "board": board_figures(year),
        "auditors": _people_with_role(RoleAssignment.Role.AUDITOR, year),
        "office": _people_with_role(RoleAssignment.Role.OFFICE, year),
        "signatories": signatory_figures(year, today),
        "insatser_by_kind": insatser_by_kind(insats_rows),
        "insatser": insats_rows,
        "money": money_figures(year, insats_rows),
        "decisions": decision_figures(year),
        "followup": followup,
    }


# --- Comparing versions -------------------------------------------------------------------------


def _flatten(value, prefix: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            result.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return result
    if isinstance(value, list):
        result = {}
        for index, item in enumerate(value):
            result.update(_flatten(item, f"{prefix}[{index}]"))
        return result
    return {prefix: value}


def figure_changes(before: dict | None, after: dict | None) -> list[dict]:
    """Return the figures that differ between two versions: [{"path", "before", "after"}]."""
    old, new = _flatten(before or {}), _flatten(after or {})
    return [
        {"path": path, "before": old.get(path), "after": new.get(path)}
        for path in sorted(set(old) | set(new))
        if old.get(path) != new.get(path)
    ]
