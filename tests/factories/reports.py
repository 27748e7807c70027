"""A year worth reporting on, built through the real services:

reported_year()   this year's budget with the 50/25/25 split as contributions (Kumla has paid),
                  a board, an auditor, and one insats granted at a justerat meeting today with a
                  paid payment request. Returns the people and objects the tests look at.
"""

from datetime import date

from django.utils import timezone

from forbund import services as forbund_services
from forbund.models import BudgetYear, Contribution, RoleAssignment
from insatser import services, services_insats
from tests.factories.decisions import board, called_meeting, decide_and_approve, the_office
from tests.factories.forbund import ForbundFactory, UserFactory, complete_forbund
from tests.factories.insatser import ApplicationFactory, lead_staff

STATE_ALLOCATION_KR = 3_000_001  # odd on purpose: the extra krona goes to the regions
GRANTED_KR = 250_000
PAID_KR = 120_000


def reported_year(year: int | None = None) -> dict:
    year = year or timezone.localdate().year
    ForbundFactory(name="Samordningsförbundet Test", seat="Kumla")
    parties = complete_forbund(
        year,
        {
            "Region Örebro län": 310_000,
            "Askersunds kommun": 11_400,
            "Hallsbergs kommun": 16_300,
            "Kumla kommun": 22_000,
        },
    )
    people = board()
    office = the_office()
    budget_year = BudgetYear.objects.create(
        year=year,
        state_allocation_kr=STATE_ALLOCATION_KR,
        other_income_kr=40_000,
        equity_brought_in_kr=900_000,
        board_cost_kr=200_000,
        administration_cost_kr=1_000_000,
        audit_cost_kr=100_000,
    )
    forbund_services.contributions_sync(budget_year=budget_year, by=office)
    kumla = Contribution.objects.get(budget_year=budget_year, party=parties["Kumla kommun"])
    forbund_services.contribution_update(
        contribution=kumla,
        invoiced_on=date(year, 1, 15),
        paid_on=date(year, 2, 1),
        paid_kr=kumla.amount_kr,
        by=office,
    )
    auditor = UserFactory(email="revisor@example.se", name="Gunilla Åberg")
    RoleAssignment.objects.create(
        user=auditor,
        role=RoleAssignment.Role.AUDITOR,
        party=parties["Region Örebro län"],
        valid_from=date(year, 1, 1),
    )
    application = ApplicationFactory(
        lead_party=parties["Kumla kommun"],
        title="Vägen till arbete i Kumla",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        budget=[(year, "personal", "Arbetskonsulent", GRANTED_KR)],
        in_preparation=True,
    )
    services.application_propose(
        application=application,
        recommendation="bevilja",
        reasoning="Väl underbyggd.",
        conditions="Lägesrapport i juni.",
        amounts={year: GRANTED_KR},
        by=office,
    )
    meeting = decide_and_approve(called_meeting(application))
    application.refresh_from_db()
    insats = application.insats
    staff = lead_staff(application)
    request = services_insats.payment_request_create(
        insats=insats, year=year, amount_kr=PAID_KR, description="Första halvåret", by=staff
    )
    services_insats.payment_request_attest(request=request, by=office)
    services_insats.payment_request_mark_paid(request=request, paid_on=date(year, 6, 30), by=office)
    return {
        "year": year,
        "parties": parties,
        "budget_year": budget_year,
        "office": office,
        "chair": people["chair"],
        "member": people["member"],
        "auditor": auditor,
        "staff": staff,
        "insats": insats,
        "meeting": meeting,
    }


def approved_period(insats, *, staff, office, new: int, ended: int, women: int, cost_kr: int):
    """Fill in, submit and approve the insats's first period of its start year: `new`
    participants (`women` of them kvinnor, the rest män), `ended` of them ended, `cost_kr` spent
    on personal. Every breakdown sums to its total."""
    from uppfoljning import rules as followup_rules
    from uppfoljning import services_reports as followup
    from uppfoljning.defaults import ensure_default_categories
    from uppfoljning.models import Category

    ensure_default_categories()
    period = followup_rules.periods_of(insats.starts_on.year)[0]
    report = followup.period_report_create(insats=insats, period=period, by=staff)
    by_code = {(c.kind, c.code): c.pk for c in Category.objects.all()}
    firsts = {}
    for category in Category.objects.filter(active=True).order_by("kind", "order", "label"):
        firsts.setdefault(category.kind, category.pk)
    counts = {
        by_code[("gender", "kvinna")]: women,
        by_code[("gender", "man")]: new - women,
        firsts["age_group"]: new,
        firsts["support_at_start"]: new,
        firsts["status_after"]: ended,
    }
    followup.period_report_save(
        report=report,
        participants={"start": 0, "new": new, "ended": ended, "end": new - ended},
        counts=counts,
        costs={"personal": cost_kr},
        by=staff,
    )
    followup.period_report_submit(report=report, by=staff)
    return followup.period_report_approve(report=report, by=office)
