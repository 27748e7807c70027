from datetime import date

import factory

from forbund.models import RoleAssignment
from uppfoljning.models import Category, CategoryKind


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    kind = CategoryKind.ACTIVITY_KIND
    code = factory.Sequence(lambda n: f"kategori-{n}")
    label = factory.Sequence(lambda n: f"Kategori {n}")
    order = factory.Sequence(lambda n: 200 + n)
    active = True

    class Params:
        inactive = factory.Trait(active=False)


def past_insats(
    *,
    kind: str = "individinriktad",
    starts_on: date = date(2025, 1, 1),
    ends_on: date = date(2026, 12, 31),
    grant: int = 300_000,
):
    """Return an insats granted at a justerat meeting before it began (the real services),
    running `starts_on`–`ends_on`, led by a kommun with Arbetsförmedlingen taking part."""
    from insatser import services as application_services
    from tests.factories.decisions import board, called_meeting, decide_and_approve, money
    from tests.factories.insatser import ApplicationFactory, office_user

    years = list(range(starts_on.year, ends_on.year + 1))
    board()
    for year in years:
        money(year, 4_000_000)
    application = ApplicationFactory(
        in_preparation=True,
        kind=kind,
        planned_participants=30 if kind == "individinriktad" else None,
        starts_on=starts_on,
        ends_on=ends_on,
        budget=[(year, "personal", "Arbetskonsulent", grant) for year in years]
        + [(year, "lokaler", "Lokal", 20_000) for year in years],
    )
    application_services.application_propose(
        application=application,
        recommendation="bevilja",
        reasoning="Väl underbyggd.",
        conditions="Uppföljning varje tertial.",
        amounts={year: grant for year in years},
        by=office_user(),
    )
    application.refresh_from_db()
    meeting = called_meeting(application, held_on=date(starts_on.year - 1, 12, 1))
    decide_and_approve(meeting)
    application.refresh_from_db()
    return application.insats


def lead_staff_of(insats):
    from tests.factories.insatser import staff_of

    assignment = RoleAssignment.objects.filter(
        party=insats.lead_party, role=RoleAssignment.Role.PARTY_STAFF
    ).first()
    return assignment.user if assignment else staff_of(insats.lead_party)


def co_staff_of(insats):
    from tests.factories.insatser import staff_of

    party = insats.co_parties.first()
    assignment = RoleAssignment.objects.filter(
        party=party, role=RoleAssignment.Role.PARTY_STAFF
    ).first()
    return assignment.user if assignment else staff_of(party)


def category_ids(kind: str) -> list[int]:
    return list(
        Category.objects.filter(kind=kind, active=True)
        .order_by("order", "label")
        .values_list("pk", flat=True)
    )


def good_figures(start: int = 0, new: int = 10, ended: int = 4) -> dict:
    """Return participants, counts and costs for a report whose every breakdown adds up."""
    counts = {}
    for kind, total in (
        ("gender", new),
        ("age_group", new),
        ("support_at_start", new),
        ("status_after", ended),
    ):
        ids = category_ids(kind)
        counts.update({pk: 0 for pk in ids})
        counts[ids[0]] = total - total // 2
        counts[ids[1]] = total // 2
    return {
        "participants": {"start": start, "new": new, "ended": ended, "end": start + new - ended},
        "counts": counts,
        "costs": {"personal": 90_000, "lokaler": 6_000},
    }


def reported(insats, period, *, by=None, approve=True, figures=None):
    """Return the report of `insats` for `period`, filled in, submitted (and approved)."""
    from uppfoljning import services_reports as services
    from uppfoljning.models import PeriodReport

    by = by or lead_staff_of(insats)
    report = PeriodReport.objects.filter(insats=insats, starts_on=period.start).first()
    report = report or services.period_report_create(insats=insats, period=period, by=by)
    if figures is None:
        start = report.participants_start or 0
        figures = good_figures(start=start, new=10, ended=min(4, start + 10))
    services.period_report_save(report=report, comment="", by=by, **figures)
    report = services.period_report_submit(report=report, by=by)
    if approve:
        from tests.factories.decisions import the_office

        report = services.period_report_approve(report=report, by=the_office())
    return report
