"""The follow-up demo: three years of period reports that obey every rule, seeded once."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from uppfoljning import rules
from uppfoljning.models import PeriodReport
from uppfoljning.services_reports import report_figures

pytestmark = pytest.mark.django_db


def test_the_demo_reports_three_years_that_pass_every_check(demo):
    """Every ended period since two years ago has a report; all but the last are approved, and
    each handed-in report passes the same checks as the form."""
    reports = list(PeriodReport.objects.select_related("insats").order_by("insats", "starts_on"))
    years = {report.year for report in reports}
    this_year = timezone.localdate().year
    assert years == {this_year - 2, this_year - 1, this_year}
    assert {r.status for r in reports} == {rules.APPROVED, rules.SUBMITTED}
    for report in reports:
        assert rules.check_report(report_figures(report)) == [], report
    assert len({r.insats_id for r in reports}) == 3


def test_seeding_twice_adds_nothing(demo):
    count = PeriodReport.objects.count()
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    assert PeriodReport.objects.count() == count
