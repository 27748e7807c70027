"""Demo data for the follow-up: the default category lists and settings, and three years of
period reports.

The insatser the other demos grant start next year, so nothing of theirs has a period behind it
yet. This demo therefore grants three insatser that started two years ago – at a board meeting
held before they began, walked through the real services – and reports every period that has
ended since, approved by the kansli; the period before the current one is left submitted, for
the kansli to approve. Safe to run twice: an insats that exists is left alone, and so is a
period that already has a report.
"""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from forbund.models import BoardSeat, Party, User

from . import rules
from . import services_reports as services
from .defaults import ensure_default_categories
from .models import ActualCost, Category, FollowUpSettings, PeriodReport

# (title, kind, lead party, co party, participants new per period, yearly grant)
HISTORY = [
    ("Vägen vidare – samordnat stöd i Kumla", "individinriktad", "Kumla kommun",
     "Arbetsförmedlingen", 9, 650_000),
    ("Steget till arbete", "individinriktad", "Arbetsförmedlingen", "Kumla kommun", 6, 480_000),
    ("Gemensamt lärande mellan parterna", "strukturell", "Kumla kommun", "Arbetsförmedlingen",
     0, 180_000),
]  # fmt: skip
PLACE = "Kumla stadshus, sal 2"


@transaction.atomic
def seed() -> None:
    # The data migration creates these; a flushed test database has lost them, so seed again.
    ensure_default_categories()
    FollowUpSettings.load()
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.se")}
    if "kansli@demo.se" not in users or "part@demo.se" not in users:
        return  # the förbund demo has not run
    insatser = _granted_history(users)
    for insats, (_title, _kind, _lead, _co, per_period, _grant) in insatser:
        _report_history(insats, per_period, users)


def _granted_history(users) -> list:
    from insatser import services_meetings
    from insatser.demo_meetings import _proposed, _record_all
    from insatser.models import Insats
    from insatser.models_meetings import Meeting

    today = timezone.localdate()
    first = today.year - 2
    years = [first, first + 1, first + 2]
    parties = {p.name: p for p in Party.objects.all()}
    staff = {"Kumla kommun": users["part@demo.se"], "Arbetsförmedlingen": users["part2@demo.se"]}
    office = users["kansli@demo.se"]
    result, new = [], []
    for entry in HISTORY:
        title, kind, lead, co, _per_period, grant = entry
        existing = Insats.objects.filter(title=title).first()
        if existing is not None:
            result.append((existing, entry))
            continue
        application = _proposed(
            title, parties[lead], parties[co], staff[lead], staff[co], office, years,
            recommend="bevilja", amounts={year: grant for year in years}, kind=kind,
        )  # fmt: skip
        if application is not None:
            new.append((application, entry))
    if new:
        chair = users["styrelse@demo.se"]
        member = users["ledamot@demo.se"]
        # Held before the insatser began, on a day the demo board sits.
        seated_from = max(
            BoardSeat.objects.filter(user__in=[chair, member]).values_list("starts_on", flat=True)
        )
        held_on = max(date(first - 1, 11, 20), seated_from)
        meeting = Meeting.objects.create(held_on=held_on, place=PLACE, created_by=office)
        for application, _entry in new:
            services_meetings.agenda_add_proposal(
                meeting=meeting, application=application, by=office
            )
        services_meetings.meeting_send_notice(meeting=meeting, by=office)
        _record_all(meeting, office)
        services_meetings.meeting_set_signers(
            meeting=meeting, chair=chair, adjusters=[member], by=office
        )
        services_meetings.minutes_finalise(meeting=meeting, by=office)
        services_meetings.minutes_approve(meeting=meeting, by=chair)
        services_meetings.minutes_approve(meeting=meeting, by=member)
        for application, entry in new:
            application.refresh_from_db()
            result.append((application.insats, entry))
    return result


def _categories(kind: str) -> list[Category]:
    return list(Category.objects.filter(kind=kind, active=True).order_by("order", "label"))


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Split `total` into parts roughly by `weights` that add up to `total` exactly."""
    if not weights:
        return []
    noisy = [max(w * rng.uniform(0.7, 1.3), 0.01) for w in weights]
    scale = total / sum(noisy)
    parts = [int(w * scale) for w in noisy]
    remainders = sorted(range(len(noisy)), key=lambda i: noisy[i] * scale - parts[i], reverse=True)
    for index in remainders[: total - sum(parts)]:
        parts[index] += 1
    return parts


WEIGHTS = {
    "gender": [0.52, 0.45, 0.03],
    "age_group": [0.3, 0.2, 0.22, 0.15, 0.13],
    "support_at_start": [0.18, 0.2, 0.12, 0.32, 0.04, 0.1, 0.04],
    "status_after": [0.18, 0.12, 0.14, 0.16, 0.2, 0.1, 0.1],
}


def figures_for(report: PeriodReport, per_period: int, rng: random.Random) -> dict:
    """Return plausible figures for `report`: participants, breakdowns that add up, costs."""
    start = report.participants_start or 0
    new = max(per_period + rng.randint(-3, 3), 0) if per_period else 0
    ended = min(start + new, max(int(start * rng.uniform(0.25, 0.45)), 0))
    counts: dict[int, int] = {}
    for kind, weights in WEIGHTS.items():
        categories = _categories(kind)
        total = ended if kind == "status_after" else new
        weights = (weights + [0.05] * len(categories))[: len(categories)]
        for category, part in zip(categories, _split(total, weights, rng), strict=True):
            counts[category.pk] = part
    return {
        "participants": {"start": start, "new": new, "ended": ended, "end": start + new - ended},
        "counts": counts,
    }


def _costs(grant: int, months: int, rng: random.Random) -> dict[str, int]:
    share = grant * months / 12
    return {
        ActualCost.Category.STAFF: round(share * rng.uniform(0.72, 0.85), -2),
        ActualCost.Category.PREMISES: round(share * rng.uniform(0.05, 0.08), -2),
        ActualCost.Category.MATERIAL: round(share * rng.uniform(0.02, 0.05), -2),
    }


def _report_history(insats, per_period: int, users) -> None:
    """Report every ended period of `insats` that has no report yet."""
    lead = (
        users["part@demo.se"]
        if insats.lead_party.name == "Kumla kommun"
        else users["part2@demo.se"]
    )
    office = users["kansli@demo.se"]
    today = timezone.localdate()
    length = FollowUpSettings.load().period_length
    periods = [
        p
        for p in rules.insats_periods(insats.starts_on, insats.ends_on, length, until=today)
        if p.end < today
    ]
    grant = next((g.amount_kr for g in insats.granted_amounts.all()), 0)
    rng = random.Random(insats.pk)
    kinds = _categories(Category.Kind.ACTIVITY_KIND)
    parties = [insats.lead_party, *insats.co_parties.all()]
    for index, period in enumerate(periods):
        if PeriodReport.objects.filter(insats=insats, starts_on=period.start).exists():
            continue
        report = services.period_report_create(insats=insats, period=period, by=lead)
        individual = services.is_individual(insats)
        if individual:
            data = figures_for(report, per_period, rng)
            activities = None
        else:
            data = {"participants": {}, "counts": {}}
            activities = [
                services.ActivityInput(
                    kind=kinds[(index + n) % len(kinds)],
                    held_on=period.start + timedelta(days=10 + 25 * n),
                    minutes=rng.choice([90, 120, 180, 240]),
                    description="Gemensam träff för handläggare från parterna",
                    attendance={party.pk: rng.randint(4, 18) for party in parties},
                )
                for n in range(3)
            ]
        services.period_report_save(
            report=report,
            participants=data["participants"],
            counts=data["counts"],
            costs=_costs(grant, period.months, rng),
            activities=activities,
            comment="",
            by=lead,
        )
        services.period_report_submit(report=report, by=lead)
        if index < len(periods) - 1:
            services.period_report_approve(report=report, by=office)
