"""The follow-up pages: every URL × every role, the report form, and fixed query counts."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories.decisions import board, the_office
from tests.factories.forbund import PartyFactory, RoleAssignmentFactory
from tests.factories.insatser import staff_of
from tests.factories.uppfoljning import (
    category_ids,
    co_staff_of,
    lead_staff_of,
    past_insats,
    reported,
)
from uppfoljning import rules
from uppfoljning.models import PeriodReport
from uppfoljning.rules import Period

pytestmark = pytest.mark.django_db
ROLES = ["kansli", "ordforande", "lead_staff", "co_staff", "staff_other", "auditor", "anonymous"]


@pytest.fixture
def world():
    insats = past_insats()
    approved = reported(insats, Period(2025, 1))
    submitted = reported(insats, Period(2025, 2), approve=False)
    auditor = RoleAssignmentFactory(role="auditor", party=PartyFactory(region=True)).user
    return {
        "insats": insats,
        "approved": approved,
        "submitted": submitted,
        "users": {
            "kansli": the_office(),
            "ordforande": board()["chair"],
            "lead_staff": lead_staff_of(insats),
            "co_staff": co_staff_of(insats),
            "staff_other": staff_of(PartyFactory(name="Laxå kommun")),
            "auditor": auditor,
        },
    }


def _login(client, world, role, with_mfa):
    if role == "anonymous":
        return
    user = world["users"][role]
    with_mfa(user)
    client.force_login(user)


# url name -> (method, args builder, expected status per role)
OK, FORBIDDEN, REDIRECT = 200, 403, 302
MATRIX = {
    "index": ("get", lambda w: [], {r: OK for r in ROLES[:-1]} | {"staff_other": OK}),
    "dashboard": (
        "get",
        lambda w: [],
        {"kansli": OK, "ordforande": OK, "auditor": OK, "lead_staff": FORBIDDEN,
         "co_staff": FORBIDDEN, "staff_other": FORBIDDEN},
    ),
    "insats": (
        "get",
        lambda w: [w["insats"].pk],
        {"kansli": OK, "ordforande": OK, "auditor": OK, "lead_staff": OK, "co_staff": OK,
         "staff_other": FORBIDDEN},
    ),
    "report_detail_approved": (
        "get",
        lambda w: [w["approved"].pk],
        {"kansli": OK, "ordforande": OK, "auditor": OK, "lead_staff": OK, "co_staff": OK,
         "staff_other": FORBIDDEN},
    ),
    "report_detail_submitted": (
        "get",
        lambda w: [w["submitted"].pk],
        {"kansli": OK, "ordforande": FORBIDDEN, "auditor": FORBIDDEN, "lead_staff": OK,
         "co_staff": OK, "staff_other": FORBIDDEN},
    ),
    "report_edit": (
        "get",
        lambda w: [w["submitted"].pk],
        {"kansli": REDIRECT, "ordforande": FORBIDDEN, "auditor": FORBIDDEN,
         "lead_staff": REDIRECT, "co_staff": REDIRECT, "staff_other": FORBIDDEN},
    ),
    "report_start": (
        "post",
        lambda w: [w["insats"].pk, "2025-T3"],
        {"kansli": FORBIDDEN, "ordforande": FORBIDDEN, "auditor": FORBIDDEN,
         "lead_staff": REDIRECT, "co_staff": FORBIDDEN, "staff_other": FORBIDDEN},
    ),
    "report_return": (
        "get",
        lambda w: [w["submitted"].pk],
        {"kansli": OK, "ordforande": FORBIDDEN, "auditor": FORBIDDEN, "lead_staff": FORBIDDEN,
         "co_staff": FORBIDDEN, "staff_other": FORBIDDEN},
    ),
    "report_reopen": (
        "get",
        lambda w: [w["approved"].pk],
        {"kansli": OK, "ordforande": FORBIDDEN, "auditor": FORBIDDEN, "lead_staff": FORBIDDEN,
         "co_staff": FORBIDDEN, "staff_other": FORBIDDEN},
    ),
    "import": (
        "get",
        lambda w: [],
        {"kansli": OK, "ordforande": FORBIDDEN, "auditor": FORBIDDEN, "lead_staff": OK,
         "co_staff": OK, "staff_other": OK},
    ),
    "import_confirm": (
        "get",
        lambda w: [],
        {"kansli": REDIRECT, "ordforande": FORBIDDEN, "auditor": FORBIDDEN,
         "lead_staff": REDIRECT, "co_staff": REDIRECT, "staff_other": REDIRECT},
    ),
    "import_template": (
        "get",
        lambda w: ["csv"],
        {"kansli": OK, "ordforande": FORBIDDEN, "auditor": FORBIDDEN, "lead_staff": OK,
         "co_staff": OK, "staff_other": OK},
    ),
    "export_all": (
        "get",
        lambda w: ["xlsx"],
        {r: OK for r in ROLES[:-1]},
    ),
    "export_national": (
        "get",
        lambda w: [2025, "csv"],
        {"kansli": OK, "ordforande": OK, "auditor": OK, "lead_staff": FORBIDDEN,
         "co_staff": FORBIDDEN, "staff_other": FORBIDDEN},
    ),
    # Last: approving changes the state the other rows rely on.
    "report_approve": (
        "post",
        lambda w: [w["submitted"].pk],
        {"kansli": REDIRECT, "ordforande": FORBIDDEN, "auditor": FORBIDDEN,
         "lead_staff": FORBIDDEN, "co_staff": FORBIDDEN, "staff_other": FORBIDDEN},
    ),
}  # fmt: skip
URL_NAMES = {"report_detail_approved": "report_detail", "report_detail_submitted": "report_detail"}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role, with_mfa):
    """Every follow-up URL answers each role as the permissions say; anonymous must log in."""
    _login(client, world, role, with_mfa)
    failures = []
    for key, (method, args, expected) in MATRIX.items():
        url = reverse(f"uppfoljning:{URL_NAMES.get(key, key)}", args=args(world))
        response = getattr(client, method)(url)
        want = REDIRECT if role == "anonymous" else expected[role]
        if response.status_code != want:
            failures.append(f"{key}: {response.status_code} ≠ {want}")
        if role == "anonymous":
            assert "/konto/login/" in response.url
    assert not failures, failures
    assert PeriodReport.objects.filter(status=rules.APPROVED).count() >= 1


def test_unrelated_staff_see_nothing_of_the_insats(client, world):
    client.force_login(world["users"]["staff_other"])
    page = client.get(reverse("uppfoljning:index")).content.decode()
    assert world["insats"].title not in page
    export = client.get(reverse("uppfoljning:export_all", args=["csv"])).content.decode()
    assert world["insats"].title not in export


def test_lead_staff_fill_in_a_report_read_the_error_and_fix_it(client, world):
    """The form keeps the draft, shows the breakdown that disagrees, then submits once fixed."""
    insats = world["insats"]
    client.force_login(world["users"]["lead_staff"])
    response = client.post(reverse("uppfoljning:report_start", args=[insats.pk, "2025-T3"]))
    report = PeriodReport.objects.get(insats=insats, year=2025, number=3)
    assert response.url == reverse("uppfoljning:report_edit", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "Hämtat från T2 2025, som slutade med 12." in page
    gender = category_ids("gender")
    data = {
        "participants_new": "3",
        "participants_ended": "2",
        "participants_end": "13",
        f"count_{gender[0]}": "2",
        f"count_{gender[1]}": "0",
        f"count_{category_ids('status_after')[0]}": "2",
        "cost_personal": "45000",
        "comment": "",
        "submit": "1",
    }
    for kind in ("age_group", "support_at_start"):
        data[f"count_{category_ids(kind)[0]}"] = "3"
    response = client.post(reverse("uppfoljning:report_edit", args=[report.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nya deltagare per kön: Kvinna 2 + Man 0 + Annat/uppgift saknas 0 = 2, men nya" in page
    report.refresh_from_db()
    assert (report.status, report.participants_new) == (rules.DRAFT, 3)
    data[f"count_{gender[1]}"] = "1"
    response = client.post(reverse("uppfoljning:report_edit", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == rules.SUBMITTED


def test_the_kansli_approves_from_the_report_page(client, world, with_mfa):
    client.force_login(with_mfa(world["users"]["kansli"]))
    report = world["submitted"]
    client.post(reverse("uppfoljning:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == rules.APPROVED
    response = client.post(
        reverse("uppfoljning:report_reopen", args=[report.pk]), {"comment": "Rätta kostnaden."}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.office_comment) == (rules.RETURNED, "Rätta kostnaden.")


def test_todos_name_what_each_role_has_to_do(world):
    from uppfoljning.selectors import todos_for

    lead = {t.text: t.count for t in todos_for(world["users"]["lead_staff"])}
    # 2025-T3 … 2026-T2 have ended without a report (today is after 2026-08-31).
    assert lead["Periodrapporter att fylla i och skicka in"] >= 3
    office = {t.text: t.count for t in todos_for(world["users"]["kansli"])}
    assert office["Periodrapporter att godkänna"] == 1
    assert todos_for(world["users"]["auditor"]) == []


def _grow(insats, periods):
    for period in periods:
        reported(insats, period)


@pytest.mark.parametrize(
    "url_name",
    ["dashboard", "insats", "index"],
)
def test_pages_use_a_fixed_number_of_queries(
    client, world, with_mfa, url_name, django_assert_num_queries
):
    """The same number of queries with one insats and three periods as with three insatser
    and many more periods."""
    client.force_login(with_mfa(world["users"]["kansli"]))
    args = [world["insats"].pk] if url_name == "insats" else []
    url = reverse(f"uppfoljning:{url_name}", args=args)
    if url_name == "dashboard":
        url += "?ar=&part=&typ="
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    world["submitted"].refresh_from_db()
    from uppfoljning import services_reports

    services_reports.period_report_approve(report=world["submitted"], by=world["users"]["kansli"])
    _grow(world["insats"], [Period(2025, 3), Period(2026, 1), Period(2026, 2)])
    for _ in range(2):
        other = past_insats(starts_on=date(2025, 1, 1), ends_on=date(2026, 12, 31))
        _grow(other, [Period(2025, 1), Period(2025, 2), Period(2025, 3)])
    with django_assert_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_a_public_dashboard_hides_counts_under_five(client, world, with_mfa):
    client.force_login(with_mfa(world["users"]["kansli"]))
    page = client.get(reverse("uppfoljning:dashboard") + "?ar=2025&publik=on").content.decode()
    assert "Publik visning" in page
    assert "–" in page
    internal = client.get(reverse("uppfoljning:dashboard") + "?ar=2025").content.decode()
    assert "Publik visning" not in internal
