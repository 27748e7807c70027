"""Period reports through the services: drafts, submission checks, approval, return, reopening."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from finsam.audit import events_for
from tests.factories.decisions import the_office
from tests.factories.forbund import PartyFactory
from tests.factories.insatser import staff_of
from tests.factories.uppfoljning import (
    category_ids,
    co_staff_of,
    good_figures,
    lead_staff_of,
    past_insats,
    reported,
)
from uppfoljning import rules, services
from uppfoljning import services_reports as reports
from uppfoljning.models import ActualCost, PeriodReport
from uppfoljning.rules import Period

pytestmark = pytest.mark.django_db
T1, T2, T3 = (Period(2025, n) for n in (1, 2, 3))


@pytest.fixture
def insats():
    return past_insats()


def test_a_new_report_starts_as_a_draft_with_zero_participants_in_the_first_period(insats):
    """The first period of an insats starts with 0 participants; the event is recorded."""
    report = reports.period_report_create(insats=insats, period=T1, by=lead_staff_of(insats))
    assert report.status == rules.DRAFT
    assert report.participants_start == 0
    assert (report.starts_on, report.ends_on) == (date(2025, 1, 1), date(2025, 4, 30))
    assert [e.action for e in events_for(report)] == ["period_report.created"]


def test_only_the_lead_partys_staff_start_a_report(insats):
    """Co-party staff, unrelated staff and the kansli cannot start a report in the form."""
    for user in (co_staff_of(insats), staff_of(PartyFactory(region=True)), the_office()):
        with pytest.raises(ValidationError, match="huvudmannens handläggare"):
            reports.period_report_create(insats=insats, period=T1, by=user)
    assert not PeriodReport.objects.exists()


def test_a_period_outside_the_insats_or_in_the_future_is_refused(insats):
    lead = lead_staff_of(insats)
    with pytest.raises(ValidationError, match="pågår inte under T3 2024"):
        reports.period_report_create(insats=insats, period=Period(2024, 3), by=lead)
    with pytest.raises(ValidationError, match="har inte börjat än"):
        future = past_insats(starts_on=date(2025, 1, 1), ends_on=date(2099, 12, 31))
        reports.period_report_create(
            insats=future, period=Period(2099, 1), by=lead_staff_of(future)
        )


def test_a_wrong_sum_is_refused_on_submit_with_the_row_and_numbers(insats):
    """The draft keeps the figures; submission names the breakdown and the numbers."""
    lead = lead_staff_of(insats)
    report = reports.period_report_create(insats=insats, period=T1, by=lead)
    figures = good_figures(new=12, ended=0)
    kvinna = category_ids("gender")[0]
    figures["counts"][kvinna] -= 1  # 5 + 6 = 11, not 12
    reports.period_report_save(report=report, comment="", by=lead, **figures)
    with pytest.raises(ValidationError) as error:
        reports.period_report_submit(report=report, by=lead)
    assert error.value.messages == [
        "Nya deltagare per kön: Kvinna 5 + Man 6 + Annat/uppgift saknas 0 = 11, men nya "
        "deltagare är 12. Fördelningen har 1 för lite."
    ]
    report.refresh_from_db()
    assert report.status == rules.DRAFT and report.participants_new == 12

    figures["counts"][kvinna] += 1
    reports.period_report_save(report=report, comment="", by=lead, **figures)
    report = reports.period_report_submit(report=report, by=lead)
    assert report.status == rules.SUBMITTED


def test_end_must_be_start_plus_new_minus_ended(insats):
    lead = lead_staff_of(insats)
    report = reports.period_report_create(insats=insats, period=T1, by=lead)
    figures = good_figures(new=10, ended=4)
    figures["participants"]["end"] = 7
    reports.period_report_save(report=report, comment="", by=lead, **figures)
    with pytest.raises(ValidationError) as error:
        reports.period_report_submit(report=report, by=lead)
    assert error.value.messages == [
        "Deltagare vid periodens slut (T1 2025): 7 är angivet, men start 0 + nya 10 − "
        "avslutade 4 = 6."
    ]


def test_negative_numbers_and_personnummer_are_refused_when_saving(insats):
    lead = lead_staff_of(insats)
    report = reports.period_report_create(insats=insats, period=T1, by=lead)
    figures = good_figures()
    figures["costs"]["lokaler"] = -500
    with pytest.raises(ValidationError, match=r"Kostnad lokaler kan inte vara negativt \(−500"):
        reports.period_report_save(report=report, comment="", by=lead, **figures)
    with pytest.raises(ValidationError, match="personnummer"):
        reports.period_report_save(
            report=report, comment="Gäller 19811218-9876", by=lead, **good_figures()
        )
    assert not ActualCost.objects.exists()


def test_the_next_period_starts_where_this_one_ended(insats):
    """The start is carried from the handed-in report before, and a different start is refused."""
    lead = lead_staff_of(insats)
    reported(insats, T1, approve=False)  # ends with 6
    second = reports.period_report_create(insats=insats, period=T2, by=lead)
    assert second.participants_start == 6
    figures = good_figures(start=9, new=10, ended=4)
    with pytest.raises(ValidationError) as error:
        reports.period_report_save(report=second, comment="", by=lead, **figures)
    assert error.value.messages == [
        "Deltagare vid start av T2 2025: 9 är angivet, men T1 2025 slutade med 6. En period "
        "börjar där den förra slutade."
    ]


def test_a_report_cannot_be_submitted_before_the_one_before_it(insats):
    lead = lead_staff_of(insats)
    reports.period_report_create(insats=insats, period=T1, by=lead)
    second = reports.period_report_create(insats=insats, period=T2, by=lead)
    reports.period_report_save(report=second, comment="", by=lead, **good_figures())
    with pytest.raises(ValidationError, match="T1 2025 saknar en inskickad periodrapport"):
        reports.period_report_submit(report=second, by=lead)


def test_approved_is_locked_and_reopening_is_recorded(insats):
    lead, office = lead_staff_of(insats), the_office()
    report = reported(insats, T1)
    assert report.status == rules.APPROVED
    with pytest.raises(ValidationError, match="godkänd och kan inte ändras"):
        reports.period_report_save(report=report, comment="", by=lead, **good_figures())
    with pytest.raises(ValidationError, match="Skriv vad som behöver rättas"):
        reports.period_report_reopen(report=report, comment=" ", by=office)
    with pytest.raises(ValidationError, match="Bara förbundets kansli"):
        reports.period_report_reopen(report=report, comment="Fel kön", by=lead)
    report = reports.period_report_reopen(report=report, comment="Kön ska rättas.", by=office)
    assert report.status == rules.RETURNED
    event = events_for(report).filter(action="period_report.reopened").get()
    assert (event.from_state, event.to_state, event.comment) == (
        rules.APPROVED,
        rules.RETURNED,
        "Kön ska rättas.",
    )
    reports.period_report_save(report=report, comment="Rättat.", by=lead, **good_figures())
    assert reports.period_report_submit(report=report, by=lead).status == rules.SUBMITTED


def test_the_kansli_returns_a_submitted_report_with_a_comment(insats):
    lead, office = lead_staff_of(insats), the_office()
    report = reported(insats, T1, approve=False)
    with pytest.raises(ValidationError, match="Bara förbundets kansli"):
        reports.period_report_approve(report=report, by=lead)
    report = reports.period_report_return(report=report, comment="Saknar kostnader.", by=office)
    assert (report.status, report.office_comment) == (rules.RETURNED, "Saknar kostnader.")
    with pytest.raises(ValidationError, match="”återskickad för rättelse” kan inte godkännas"):
        reports.period_report_approve(report=report, by=office)


def test_a_resubmitted_report_carries_its_end_to_the_next_draft(insats):
    lead, office = lead_staff_of(insats), the_office()
    first = reported(insats, T1)  # ends with 6
    second = reports.period_report_create(insats=insats, period=T2, by=lead)
    reports.period_report_reopen(report=first, comment="Fler nya.", by=office)
    reports.period_report_save(report=first, comment="", by=lead, **good_figures(new=12, ended=4))
    reports.period_report_submit(report=first, by=lead)
    second.refresh_from_db()
    assert second.participants_start == 8


def test_structural_reports_carry_activities_with_attendees_per_party():
    insats = past_insats(kind="strukturell")
    lead = lead_staff_of(insats)
    from uppfoljning.models import Category

    kind = Category.objects.filter(kind="activity_kind").first()
    report = reports.period_report_create(insats=insats, period=T1, by=lead)
    assert report.participants_start is None
    activity = reports.ActivityInput(
        kind=kind,
        held_on=date(2025, 3, 4),
        minutes=150,
        description="Nätverksträff",
        attendance={insats.lead_party_id: 7, insats.co_parties.first().pk: 5},
    )
    reports.period_report_save(
        report=report, costs={"utbildning": 12_000}, activities=[activity], comment="", by=lead
    )
    outside = reports.ActivityInput(kind=kind, held_on=date(2025, 6, 1), minutes=60)
    with pytest.raises(ValidationError, match="Aktivitet 1: 2025-06-01 ligger utanför T1 2025"):
        reports.period_report_save(report=report, activities=[outside], comment="", by=lead)
    assert reports.period_report_submit(report=report, by=lead).status == rules.SUBMITTED
    saved = report.activities.get()
    assert sorted(saved.attendances.values_list("attendees", flat=True)) == [5, 7]


def test_the_period_length_cannot_change_while_this_years_reports_use_it(insats):
    from django.utils import timezone

    this_year = timezone.localdate().year
    current = past_insats(starts_on=date(this_year, 1, 1), ends_on=date(this_year, 12, 31))
    reports.period_report_create(
        insats=current, period=Period(this_year, 1), by=lead_staff_of(current)
    )
    with pytest.raises(ValidationError, match="Byt rapportperiod inför ett nytt år"):
        services.followup_settings_update(period_length="month", by=the_office())
