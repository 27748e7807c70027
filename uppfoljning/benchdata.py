"""The follow-up part of the generated benchmark dataset (see finsam/bench.py).

The insatser are the ones the insatser app generated (`ctx["insatser"]`). Their period reports –
three a year, approved, for every period that has ended – are written in bulk with figures that
obey every rule (breakdowns add up, each period starts where the one before ended), so the
dashboards have many years of data to sum.
"""

from datetime import date

from finsam.bench import Page


def _reports(insatser, rng, until: date) -> int:
    """Write approved reports for every ended period of `insatser`; return how many."""
    from insatser import rules as insats_rules

    from . import rules
    from .defaults import ensure_default_categories
    from .models import ActualCost, Category, ParticipantCount, PeriodReport

    ensure_default_categories()
    lists = {
        kind: list(Category.objects.filter(kind=kind, active=True).order_by("order"))
        for kind in rules.BREAKDOWNS
    }
    reports, breakdowns, costs = [], [], []
    for insats in insatser:
        start = 0
        for period in rules.insats_periods(insats.starts_on, insats.ends_on, "tertial", until):
            if period.end >= until:
                break
            individual = insats.kind == insats_rules.INDIVIDUAL
            new = rng.randint(2, 14) if individual else None
            ended = min(start + new, rng.randint(0, max(start // 2, 1))) if individual else None
            report = PeriodReport(
                insats=insats,
                period_length="tertial",
                year=period.year,
                number=period.number,
                starts_on=period.start,
                ends_on=period.end,
                status=rules.APPROVED,
                participants_start=start if individual else None,
                participants_new=new,
                participants_ended=ended,
                participants_end=start + new - ended if individual else None,
            )
            reports.append(report)
            if individual:
                for kind, categories in lists.items():
                    total = ended if kind == "status_after" else new
                    parts = [0] * len(categories)
                    for _ in range(total):
                        parts[rng.randrange(len(categories))] += 1
                    breakdowns.append((report, categories, parts))
                start = start + new - ended
            costs.append((report, rng.randint(60_000, 200_000), rng.randint(5_000, 15_000)))
    PeriodReport.objects.bulk_create(reports)
    ParticipantCount.objects.bulk_create(
        ParticipantCount(report=report, category=category, count=count)
        for report, categories, parts in breakdowns
        for category, count in zip(categories, parts, strict=True)
    )
    ActualCost.objects.bulk_create(
        cost
        for report, staff, premises in costs
        for cost in (
            ActualCost(report=report, category="personal", amount_kr=staff),
            ActualCost(report=report, category="lokaler", amount_kr=premises),
        )
    )
    return len(reports)


def generate(rng, ctx) -> None:
    from django.utils import timezone

    insatser = ctx["insatser"]
    reports = _reports(insatser, rng, timezone.localdate())
    ctx["followup_insats"] = max(insatser, key=lambda i: (i.ends_on - i.starts_on, -i.pk))
    ctx["followup_staff"] = next(
        user
        for party, user in zip(ctx["parties"], ctx["staff"], strict=True)
        if party.pk == ctx["followup_insats"].lead_party_id
    )
    ctx["summary"] += f", {reports} periodrapporter"


def pages(ctx) -> list[Page]:
    office = ctx["users"]["office"].email
    insats = ctx["followup_insats"]
    staff = ctx["followup_staff"].email
    model = "uppfoljning.PeriodReport"
    return [
        Page("Uppföljning: översikt i år", office, "/uppfoljning/oversikt/", model),
        Page("Uppföljning: översikt alla år", office, "/uppfoljning/oversikt/?ar=&typ=", model),
        Page(
            "Uppföljning: översikt publik",
            staff,
            f"/uppfoljning/oversikt/?ar=&publik=on&part={insats.lead_party_id}",
            model,
        ),
        Page("Uppföljning: insats", office, f"/uppfoljning/insats/{insats.pk}/", model),
        Page("Uppföljning: start kansli", office, "/uppfoljning/", model),
        Page("Uppföljning: start huvudman", staff, "/uppfoljning/", model),
    ]
