"""The förbund part of the generated benchmark dataset (see finsam/bench.py)."""

from datetime import date

from django.utils import timezone

from finsam.bench import Page

from .models import (
    BoardSeat,
    BudgetYear,
    Forbund,
    MandatePeriod,
    Party,
    Population,
    RoleAssignment,
    User,
)

KOMMUNER = ["Arboga", "Berga", "Dalby", "Ekeby", "Fjärås", "Gryt", "Hova", "Ivetofta"]
YEARS = 10


def generate(rng, ctx) -> None:
    this_year = timezone.localdate().year
    first_year = this_year - YEARS + 1
    start = date(first_year, 1, 1)
    Forbund.objects.create(
        name="Samordningsförbundet Bench",
        org_number="222000-4564",
        seat="Arboga",
        delegation_limit_kr=100_000,
    )
    kinds = [("Försäkringskassan", Party.Kind.FK), ("Arbetsförmedlingen", Party.Kind.AF)]
    kinds += [("Region Norr", Party.Kind.REGION), ("Region Syd", Party.Kind.REGION)]
    kinds += [(f"{name} kommun", Party.Kind.KOMMUN) for name in KOMMUNER]
    parties = Party.objects.bulk_create(
        Party(name=name, kind=kind, member_from=start) for name, kind in kinds
    )
    users = {
        "office": User.objects.create_user("bench-kansli@example.se", "x", name="Kansli Bench"),
        "chair": User.objects.create_user("bench-ordf@example.se", "x", name="Ordförande Bench"),
        "auditor": User.objects.create_user("bench-revisor@example.se", "x", name="Revisor Bench"),
    }
    staff = [
        User.objects.create_user(f"bench-part{i}@example.se", "x", name=f"Handläggare {i}")
        for i in range(len(parties))
    ]
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users["office"], role="office", valid_from=start),
            RoleAssignment(
                user=users["auditor"], role="auditor", party=parties[2], valid_from=start
            ),
            *[
                RoleAssignment(user=user, role="party_staff", party=party, valid_from=start)
                for user, party in zip(staff, parties, strict=True)
            ],
        ]
    )
    seats = []
    for term_start in range(first_year, this_year + 4, 4):
        period = MandatePeriod.objects.create(
            starts_on=date(term_start, 1, 1), ends_on=date(term_start + 3, 12, 31)
        )
        for index, party in enumerate(parties):
            for kind in ("member", "deputy"):
                if index == 0 and kind == "member":
                    person = users["chair"]
                else:
                    person = User.objects.create_user(
                        f"bench-{kind}-{term_start}-{index}@example.se",
                        None,
                        name=f"{kind} {index}",
                    )
                seats.append(
                    BoardSeat(
                        mandate_period=period,
                        party=party,
                        user=person,
                        kind=kind,
                        office="chair" if person == users["chair"] else "",
                        starts_on=period.starts_on,
                        ends_on=period.ends_on,
                    )
                )
    BoardSeat.objects.bulk_create(seats)
    _budget_years(rng, parties, first_year, this_year)
    ctx.update(
        parties=parties,
        users=users,
        staff=staff,
        first_year=first_year,
        this_year=this_year,
        rng=rng,
    )
    ctx["summary"] = f"{len(parties)} parter, {YEARS} år"


def _budget_years(rng, parties, first_year: int, this_year: int) -> None:
    """Give every year, and the next (insatser are granted into it), a budget, populations and
    contributions from the split. Large enough for some 100 insatser running at a time."""
    from . import services

    populated = [p for p in parties if p.kind in (Party.Kind.REGION, Party.Kind.KOMMUN)]
    base = {
        p.pk: rng.randint(150_000, 400_000)
        if p.kind == Party.Kind.REGION
        else rng.randint(3_000, 60_000)
        for p in populated
    }
    Population.objects.bulk_create(
        Population(party=p, year=year, inhabitants=base[p.pk] + 50 * (year - first_year))
        for p in populated
        for year in range(first_year, this_year + 1)
    )
    equity = 1_000_000
    for year in range(first_year, this_year + 2):
        budget_year = BudgetYear.objects.create(
            year=year,
            state_allocation_kr=rng.randint(130, 180) * 100_000,
            other_income_kr=rng.randint(0, 50) * 1_000,
            equity_brought_in_kr=equity,
            board_cost_kr=250_000,
            administration_cost_kr=1_400_000,
            audit_cost_kr=120_000,
            equity_at_year_end_kr=None if year >= this_year else equity + 50_000,
        )
        equity += 50_000
        services.contributions_sync(budget_year=budget_year, by=None)


REPORT_INSATSER = 40  # issue 7: the large förbund's report has some 40 insatser …
REPORT_PERIOD_YEARS = 3  # … and three years of follow-up periods behind it


def _report_year(ctx) -> tuple[int, int, int]:
    """Return the finished year whose report is timed, its number of insatser and the number of
    years their approved periods cover: among the years whose insatser have periods in at least
    three years, the one with running insatser closest to 40 (scaled)."""
    from insatser.models_insats import Insats
    from uppfoljning.models_reports import PeriodReport

    target = max(1, round(REPORT_INSATSER * ctx.get("scale", 1.0)))
    candidates = {}
    for year in range(ctx["first_year"], ctx["this_year"]):
        running = Insats.objects.filter(
            starts_on__lte=date(year, 12, 31), ends_on__gte=date(year, 1, 1)
        )
        period_years = (
            PeriodReport.objects.filter(insats__in=running).values("year").distinct().count()
        )
        candidates[year] = (running.count(), period_years)
    eligible = [y for y, (_, periods) in candidates.items() if periods >= REPORT_PERIOD_YEARS]
    year = min(eligible or candidates, key=lambda y: (abs(candidates[y][0] - target), -y))
    return year, *candidates[year]


def _time_report(year: int, runs: int) -> dict:
    """Time the annual report of `year`: whole, gathering only, and WeasyPrint alone."""
    import statistics
    import time

    from . import report_document, report_figures

    whole, gather, weasy = [], [], []
    html, figures, pdf = "", {}, b""
    for _ in range(runs):
        started = time.perf_counter()
        figures = report_figures.annual_report_figures(year)
        gathered = time.perf_counter()
        html = report_document.annual_report_html(figures)
        report_document.html_to_pdf(html)
        whole.append((time.perf_counter() - started) * 1000)
        gather.append((gathered - started) * 1000)
    for _ in range(runs):
        started = time.perf_counter()
        pdf = report_document.html_to_pdf(html)
        weasy.append((time.perf_counter() - started) * 1000)
    from uppfoljning.models_reports import PeriodReport

    median = statistics.median
    return {
        "insatser": len(figures["insatser"]),
        "reports": PeriodReport.objects.filter(year=year).count(),
        "kb": len(pdf) // 1024,
        "whole": median(whole),
        "gather": median(gather),
        "weasy": median(weasy),
    }


def _time_demo_report(runs: int) -> tuple[int, dict]:
    """Time the demo förbund's report: `seed_demo` into the emptied database, inside a
    transaction that is rolled back, so the generated förbund is there again afterwards."""
    import io

    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import transaction

    class _Undo(Exception):
        pass

    result = {}
    try:
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("seed_demo", "--quiet-logins", verbosity=0, stdout=io.StringIO())
            year = BudgetYear.objects.filter(equity_at_year_end_kr__isnull=False).latest("year")
            result = (year.year, _time_report(year.year, runs))
            raise _Undo
    except _Undo:
        pass
    ContentType.objects.clear_cache()  # the flushed types came back with their old ids
    return result


def extra_benchmarks(ctx, runs: int) -> None:
    """Print the time to make an annual report (gathering the figures, rendering the HTML,
    WeasyPrint) next to WeasyPrint alone on the same HTML, so the overhead shows: for a year of
    the generated förbund with some 40 insatser and three years of periods, and for the demo
    förbund's last closed year."""
    runs = max(1, min(runs, 3))  # a PDF takes seconds; a few runs give a stable median
    year, _, period_years = _report_year(ctx)
    timings = [
        (
            f"Årsrapport {year}, genererat förbund (insatsernas uppföljning täcker "
            f"{period_years} år)",
            _time_report(year, runs),
        )
    ]
    demo_year, demo = _time_demo_report(runs)
    timings.append((f"Årsrapport {demo_year}, demoförbundet", demo))
    for title, t in timings:
        print()
        print(title)
        print(
            f"  {t['insatser']} insatser, {t['reports']} periodrapporter det året, {t['kb']} kB PDF"
        )
        print(f"  {'hela rapporten':<30} {t['whole']:8.0f}ms")
        print(f"  {'  varav insamling av siffror':<30} {t['gather']:8.0f}ms")
        print(f"  {'WeasyPrint ensam, samma HTML':<30} {t['weasy']:8.0f}ms")
        print(f"  {'kvot':<30} {t['whole'] / t['weasy']:8.2f}x")


def pages(ctx) -> list[Page]:
    users = ctx["users"]
    return [
        Page("Start: kansli", users["office"].email, "/", "forbund.Party"),
        Page("Start: ordförande", users["chair"].email, "/", "forbund.Party"),
        # The staff of the party that leads the most applications (when the insatser are there).
        Page(
            "Start: partshandläggare",
            ctx.get("insatser_staff", ctx["staff"][5]).email,
            "/",
            "forbund.Party",
        ),
        Page("Start: revisor", users["auditor"].email, "/", "forbund.Party"),
        Page("Konton", users["office"].email, "/forbund/konton/", "forbund.User"),
        Page(
            "Budget i år",
            users["office"].email,
            f"/forbund/budget/{ctx['this_year']}/",
            "forbund.Contribution",
        ),
        Page("Årsrapport", users["office"].email, "/forbund/arsrapporter/", "forbund.AnnualReport"),
        Page("Revision", users["auditor"].email, "/forbund/revision/", "forbund.AnnualReport"),
    ]
