"""Demo data for the förbund: Samordningsförbundet Sydnärke, its parties, board and logins.

Every function is safe to run twice: rows are looked up by a natural key before being created.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from . import services
from .models import BoardSeat, BudgetYear, Forbund, MandatePeriod, Party, RoleAssignment, User

DEMO_PASSWORD = "finsam-demo"

PARTIES = [
    ("Försäkringskassan", Party.Kind.FK, "202100-5521"),
    ("Arbetsförmedlingen", Party.Kind.AF, "202100-2114"),
    ("Region Örebro län", Party.Kind.REGION, "232100-0164"),
    ("Askersunds kommun", Party.Kind.KOMMUN, "212000-1975"),
    ("Hallsbergs kommun", Party.Kind.KOMMUN, "212000-1967"),
    ("Kumla kommun", Party.Kind.KOMMUN, "212000-1934"),
    ("Laxå kommun", Party.Kind.KOMMUN, "212000-1868"),
]

# (e-mail, name, role description printed by `make run`)
DEMO_LOGINS = [
    ("kansli@demo.se", "Karin Lindqvist", "förbundschef"),
    ("styrelse@demo.se", "Eva Ström", "ordförande"),
    ("ledamot@demo.se", "Lars Berg", "ledamot"),
    ("part@demo.se", "Sara Nyberg", "partshandläggare, Kumla kommun"),
    ("part2@demo.se", "Omar Haddad", "partshandläggare, Arbetsförmedlingen"),
    ("revisor@demo.se", "Gunilla Åberg", "revisor, Region Örebro län"),
]

# Board seats: (party, kind, office, name, e-mail or None for a person without a demo login)
BOARD = [
    ("Kumla kommun", "member", "chair", "Eva Ström", "styrelse@demo.se"),
    ("Kumla kommun", "deputy", "", "Henrik Sjö", "ersattare.kumla@demo.se"),
    ("Hallsbergs kommun", "member", "", "Lars Berg", "ledamot@demo.se"),
    ("Hallsbergs kommun", "deputy", "", "Maria Falk", "ersattare.hallsberg@demo.se"),
    ("Askersunds kommun", "member", "", "Per Ek", "ledamot.askersund@demo.se"),
    ("Askersunds kommun", "deputy", "", "Lena Holm", "ersattare.askersund@demo.se"),
    ("Laxå kommun", "member", "", "Anders Nord", "ledamot.laxa@demo.se"),
    ("Laxå kommun", "deputy", "", "Sofia Vik", "ersattare.laxa@demo.se"),
    ("Region Örebro län", "member", "vice_chair", "Johan Åkesson", "ledamot.region@demo.se"),
    ("Region Örebro län", "deputy", "", "Ingrid Dahl", "ersattare.region@demo.se"),
    ("Försäkringskassan", "member", "", "Maja Lund", "ledamot.fk@demo.se"),
    ("Försäkringskassan", "deputy", "", "Erik Sand", "ersattare.fk@demo.se"),
    ("Arbetsförmedlingen", "member", "", "Nils Ahl", "ledamot.af@demo.se"),
    ("Arbetsförmedlingen", "deputy", "", "Amina Roth", "ersattare.af@demo.se"),
]


# Invånare 31 December the year before the budget year, roughly as published by SCB.
POPULATION = {
    "Askersunds kommun": 11_400,
    "Hallsbergs kommun": 16_300,
    "Kumla kommun": 22_000,
    "Laxå kommun": 5_600,
    "Region Örebro län": 310_000,
}
# Yearly change relative to POPULATION for the budget years before the current one.
POPULATION_DRIFT = {
    "Askersunds kommun": -40,
    "Hallsbergs kommun": 60,
    "Kumla kommun": 180,
    "Laxå kommun": -50,
    "Region Örebro län": 1_900,
}

# Years relative to the current one: (state allocation, other income, equity brought in,
# styrelse, administration, revision, equity at year end or None while the year is open)
BUDGET = {
    -2: (3_600_000, 40_000, 1_250_000, 230_000, 1_350_000, 110_000, 1_520_000),
    -1: (3_800_000, 25_000, 1_520_000, 240_000, 1_380_000, 115_000, 1_310_000),
    0: (4_000_000, 30_000, 1_310_000, 250_000, 1_420_000, 120_000, None),
}
# In the current year Askersund has not paid yet and Laxå has paid half.
UNPAID_THIS_YEAR = {"Askersunds kommun": 0.0, "Laxå kommun": 0.5}


def current_term(today: date) -> tuple[date, date]:
    """Return the four-year term of office (2023–2026, 2027–2030, ...) that contains `today`."""
    first = 2023 + 4 * ((today.year - 2023) // 4)
    return date(first, 1, 1), date(first + 3, 12, 31)


def _user(email: str, name: str, *, login: bool) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"name": name})
    if created:
        if login:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def seed() -> dict[str, Party]:
    Forbund.objects.get_or_create(
        name="Samordningsförbundet Sydnärke",
        defaults={
            "org_number": "222000-1230",
            "address": "Box 123\n692 80 Kumla",
            "seat": "Kumla",
            "delegation_limit_kr": 100_000,
            "equity_warning_percent": 20,
        },
    )
    parties = {}
    for name, kind, org_number in PARTIES:
        parties[name], _ = Party.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "org_number": org_number, "member_from": date(2009, 1, 1)},
        )
    login_emails = {email for email, _, _ in DEMO_LOGINS}
    users = {email: _user(email, name, login=True) for email, name, _ in DEMO_LOGINS}

    def assign(email, role, party=None):
        RoleAssignment.objects.get_or_create(
            user=users[email], role=role, party=party, defaults={"valid_from": date(2020, 1, 1)}
        )

    assign("kansli@demo.se", RoleAssignment.Role.OFFICE)
    assign("part@demo.se", RoleAssignment.Role.PARTY_STAFF, parties["Kumla kommun"])
    assign("part2@demo.se", RoleAssignment.Role.PARTY_STAFF, parties["Arbetsförmedlingen"])
    assign("revisor@demo.se", RoleAssignment.Role.AUDITOR, parties["Region Örebro län"])

    term_start, term_end = current_term(timezone.localdate())
    period, _ = MandatePeriod.objects.get_or_create(starts_on=term_start, ends_on=term_end)
    for party_name, kind, office, name, email in BOARD:
        person = _user(email, name, login=email in login_emails)
        BoardSeat.objects.get_or_create(
            mandate_period=period,
            party=parties[party_name],
            user=person,
            kind=kind,
            defaults={"office": office, "starts_on": term_start, "ends_on": term_end},
        )
    _seed_budget(parties, timezone.localdate().year)
    return parties


def _seed_budget(parties: dict[str, Party], this_year: int) -> None:
    for offset, figures in sorted(BUDGET.items()):
        year = this_year + offset
        state, other, brought_in, board, administration, audit, equity_end = figures
        services.population_set(
            year=year,
            inhabitants={
                parties[name]: count + offset * POPULATION_DRIFT[name]
                for name, count in POPULATION.items()
            },
            by=None,
        )
        budget_year = BudgetYear.objects.filter(year=year).first()
        if budget_year is None:
            budget_year = services.budget_year_save(
                budget_year=BudgetYear(
                    year=year,
                    state_allocation_kr=state,
                    other_income_kr=other,
                    equity_brought_in_kr=brought_in,
                    board_cost_kr=board,
                    administration_cost_kr=administration,
                    audit_cost_kr=audit,
                    equity_at_year_end_kr=equity_end,
                ),
                by=None,
            )
        for contribution in budget_year.contributions.select_related("party"):
            if contribution.invoiced_on is not None:
                continue  # already seeded, or changed by hand: leave it
            share = 1.0 if offset < 0 else UNPAID_THIS_YEAR.get(contribution.party.name, 1.0)
            paid = round(contribution.amount_kr * share)
            services.contribution_update(
                contribution=contribution,
                invoiced_on=date(year, 1, 20),
                paid_on=date(year, 2, 15) if paid else None,
                paid_kr=paid,
                by=None,
            )
