"""The follow-up part of the generated benchmark dataset (see finsam/bench.py).

The insatser are granted through the real services (applications, a board meeting per start
year, justerat minutes), since the insatser app has no benchmark data of its own. Their period
reports – three a year, approved – are written in bulk with figures that obey every rule
(breakdowns add up, each period starts where the one before ended), so the dashboards have many
years of data to sum.
"""

from datetime import date

from finsam.bench import Page

INSATSER_PER_YEAR = 6


def _grant_year(year, count, rng, ctx, office, chair) -> list:
    from forbund.models import BoardSeat, Party
    from insatser import services, services_meetings
    from insatser.models_meetings import Meeting

    parties, staff = ctx["parties"], ctx["staff"]
    first_year, this_year = ctx["first_year"], ctx["this_year"]
    by_kind = {}
    for party, user in zip(parties, staff, strict=True):
        by_kind.setdefault(party.kind, []).append((party, user))
    leads = by_kind[Party.Kind.KOMMUN] + by_kind[Party.Kind.AF]
    applications = []
    for n in range(count):
        lead, lead_user = leads[(year + n) % len(leads)]
        co, co_user = (
            by_kind[Party.Kind.FK][0] if lead.kind == Party.Kind.AF else by_kind[Party.Kind.AF][0]
        )
        kind = "strukturell" if n % 3 == 2 else "individinriktad"
        last = min(year + rng.randint(1, 2), this_year + 1)
        years = list(range(year, last + 1))
        application = services.application_create(
            lead_party=lead,
            by=lead_user,
            title=f"Insats {year}-{n + 1} {lead.name}",
            kind=kind,
            background="Parterna möter samma personer utan en gemensam plan.",
            purpose="Samordnat stöd mot arbete eller studier.",
            goals="Minst 30 procent går vidare till arbete eller studier.",
            target_group="Personer 16–64 år.",
            planned_participants=30 if kind == "individinriktad" else None,
            method="Gemensamt team.",
            starts_on=date(year, 1, 1),
            ends_on=date(last, 12, 31),
            follow_up_plan="Tertialvis uppföljning.",
            contact_name=lead_user.name,
            contact_email=lead_user.email,
        )
        grant = rng.choice([240_000, 360_000, 480_000, 600_000])
        services.budget_replace(
            application=application,
            lines=[
                {"year": y, "category": c, "description": d, "amount_kr": a}
                for y in years
                for c, d, a in (
                    ("personal", "Personal", grant - 40_000),
                    ("lokaler", "Lokal", 40_000),
                )
            ],
            by=lead_user,
        )
        invitation = services.co_applicant_invite(application=application, party=co, by=lead_user)
        services.co_applicant_respond(
            co_applicant=invitation, confirm=True, comment="Vi deltar.", by=co_user
        )
        services.application_submit(application=application, by=lead_user)
        services.application_start_preparation(application=application, by=office)
        services.application_propose(
            application=application,
            recommendation="bevilja",
            reasoning="Inom förbundets uppdrag.",
            conditions="Uppföljning varje tertial.",
            amounts={y: grant for y in years},
            by=office,
        )
        applications.append(application)
    held_on = max(date(year - 1, 12, 1), date(first_year, 1, 1))
    meeting = Meeting.objects.create(held_on=held_on, place="Kansliet", created_by=office)
    for application in applications:
        services_meetings.agenda_add_proposal(meeting=meeting, application=application, by=office)
    services_meetings.meeting_send_notice(meeting=meeting, by=office)
    for item in meeting.items.select_related("application__proposal"):
        proposal = item.application.proposal
        services_meetings.decision_record(
            item=item,
            outcome="bevilja",
            amounts={a.year: a.amount_kr for a in proposal.amounts.all()},
            conditions=proposal.conditions,
            reasons=proposal.reasoning,
            conflicted=[],
            by=office,
        )
    adjuster = (
        BoardSeat.objects.filter(starts_on__lte=held_on, ends_on__gte=held_on, kind="member")
        .exclude(user=chair)
        .first()
        .user
    )
    services_meetings.meeting_set_signers(
        meeting=meeting, chair=chair, adjusters=[adjuster], by=office
    )
    services_meetings.minutes_finalise(meeting=meeting, by=office)
    services_meetings.minutes_approve(meeting=meeting, by=chair)
    services_meetings.minutes_approve(meeting=meeting, by=adjuster)
    for application in applications:
        application.refresh_from_db()
    return [application.insats for application in applications]


def _budget_years(ctx) -> None:
    from forbund.models import BudgetYear
    from forbund.services import budget_year_save

    for year in range(ctx["first_year"], ctx["this_year"] + 2):
        if not BudgetYear.objects.filter(year=year).exists():
            budget_year_save(
                budget_year=BudgetYear(
                    year=year,
                    state_allocation_kr=6_000_000,
                    other_income_kr=0,
                    equity_brought_in_kr=0,
                    board_cost_kr=300_000,
                    administration_cost_kr=1_500_000,
                    audit_cost_kr=150_000,
                ),
                by=None,
            )


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

    office, chair = ctx["users"]["office"], ctx["users"]["chair"]
    _budget_years(ctx)
    count = max(2, round(INSATSER_PER_YEAR * ctx.get("scale", 1.0)))
    insatser = []
    for year in range(ctx["first_year"], ctx["this_year"] + 1):
        insatser += _grant_year(year, count, rng, ctx, office, chair)
    reports = _reports(insatser, rng, timezone.localdate())
    ctx["followup_insats"] = max(insatser, key=lambda i: (i.ends_on - i.starts_on, -i.pk))
    ctx["followup_staff"] = next(
        user
        for party, user in zip(ctx["parties"], ctx["staff"], strict=True)
        if party.pk == ctx["followup_insats"].lead_party_id
    )
    ctx["summary"] += f", {len(insatser)} insatser, {reports} periodrapporter"


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
