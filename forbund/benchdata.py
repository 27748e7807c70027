"""The förbund part of the generated benchmark dataset (see finsam/bench.py)."""

from datetime import date

from django.utils import timezone

from finsam.bench import Page

from .models import BoardSeat, BudgetYear, MandatePeriod, Party, Population, RoleAssignment, User

KOMMUNER = ["Arboga", "Berga", "Dalby", "Ekeby", "Fjärås", "Gryt", "Hova", "Ivetofta"]
YEARS = 10


def generate(rng, ctx) -> None:
    this_year = timezone.localdate().year
    first_year = this_year - YEARS + 1
    start = date(first_year, 1, 1)
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
    """Give every year a budget, populations and contributions from the split."""
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
    for year in range(first_year, this_year + 1):
        budget_year = BudgetYear.objects.create(
            year=year,
            state_allocation_kr=rng.randint(30, 60) * 100_000,
            other_income_kr=rng.randint(0, 50) * 1_000,
            equity_brought_in_kr=equity,
            board_cost_kr=250_000,
            administration_cost_kr=1_400_000,
            audit_cost_kr=120_000,
            equity_at_year_end_kr=None if year == this_year else equity + 50_000,
        )
        equity += 50_000
        services.contributions_sync(budget_year=budget_year, by=None)


def extra_benchmarks(ctx, runs: int) -> None:
    """Print the time to make last year's annual report (gathering the figures, rendering the
    HTML, WeasyPrint) next to WeasyPrint alone on the same HTML, so the overhead shows."""
    import statistics
    import time

    from . import report_document, report_figures

    year = ctx["this_year"] - 1
    runs = max(1, min(runs, 5))  # a PDF takes seconds; a few runs give a stable median
    whole, gather, weasy = [], [], []
    html = ""
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
    median = statistics.median
    print()
    print(f"Årsrapport {year} ({len(figures['insatser'])} insatser, {len(pdf) // 1024} kB PDF)")
    print(f"  {'hela rapporten':<28} {median(whole):8.0f}ms")
    print(f"  {'  varav insamling av siffror':<28} {median(gather):8.0f}ms")
    print(f"  {'WeasyPrint ensam, samma HTML':<28} {median(weasy):8.0f}ms")
    print(f"  {'kvot':<28} {median(whole) / median(weasy):8.2f}x")


def pages(ctx) -> list[Page]:
    users = ctx["users"]
    return [
        Page("Start: kansli", users["office"].email, "/", "forbund.Party"),
        Page("Start: ordförande", users["chair"].email, "/", "forbund.Party"),
        Page("Start: partshandläggare", ctx["staff"][5].email, "/", "forbund.Party"),
        Page("Start: revisor", users["auditor"].email, "/", "forbund.Party"),
        Page("Konton", users["office"].email, "/forbund/konton/", "forbund.User"),
        Page("Årsrapport", users["office"].email, "/forbund/arsrapporter/", "forbund.AnnualReport"),
        Page("Revision", users["auditor"].email, "/forbund/revision/", "forbund.AnnualReport"),
    ]
