from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from forbund.models import BoardSeat, BudgetYear, Contribution, Party

pytestmark = pytest.mark.django_db

ROLES = {
    "kansli": "kansli@demo.se",
    "chair": "styrelse@demo.se",
    "board": "ledamot@demo.se",
    "staff_kumla": "part@demo.se",
    "staff_af": "part2@demo.se",
    "auditor": "revisor@demo.se",
    "anonymous": None,
}
READERS = {"kansli", "chair", "board", "auditor"}


def forbund_urls():
    """Every URL of the app: (url, who may use it: 'readers' or 'office')."""
    year = timezone.localdate().year
    party = Party.objects.get(name="Kumla kommun")
    seat = BoardSeat.objects.filter(party=party).first()
    contribution = Contribution.objects.get(budget_year__year=year, party=party)
    return [
        (reverse("forbund:overview"), "readers"),
        (reverse("forbund:board"), "readers"),
        (reverse("forbund:budget_list"), "readers"),
        (reverse("forbund:budget_detail", args=[year]), "readers"),
        (reverse("forbund:budget_export", args=[year, "csv"]), "readers"),
        (reverse("forbund:budget_export", args=[year, "xlsx"]), "readers"),
        (reverse("forbund:data_export", args=["parter", "csv"]), "readers"),
        (reverse("forbund:data_export", args=["styrelseplatser", "xlsx"]), "readers"),
        (reverse("forbund:party_create"), "office"),
        (reverse("forbund:party_edit", args=[party.pk]), "office"),
        (reverse("forbund:seat_create"), "office"),
        (reverse("forbund:seat_edit", args=[seat.pk]), "office"),
        (reverse("forbund:mandate_period_create"), "office"),
        (reverse("forbund:mandate_period_edit", args=[seat.mandate_period_id]), "office"),
        (reverse("forbund:budget_create"), "office"),
        (reverse("forbund:budget_edit", args=[year]), "office"),
        (reverse("forbund:budget_population", args=[year]), "office"),
        (reverse("forbund:budget_key_shares", args=[year]), "office"),
        (reverse("forbund:contribution_edit", args=[year, contribution.pk]), "office"),
        (reverse("forbund:data_import"), "office"),
        (reverse("forbund:account_list"), "office"),
        (reverse("forbund:account_create"), "office"),
    ]


@pytest.mark.parametrize("role", list(ROLES))
def test_permission_matrix(client, demo, with_mfa, role):
    """Kansli, board and auditors read; only the kansli edits; party staff get 403;
    anonymous visitors are sent to the login page."""
    email = ROLES[role]
    if email:
        client.force_login(with_mfa(demo[email]))
    for url, audience in forbund_urls():
        response = client.get(url)
        if role == "anonymous":
            expected = 302
        elif role == "kansli" or (audience == "readers" and role in READERS):
            expected = 200
        else:
            expected = 403
        assert response.status_code == expected, f"{role} {url}: {response.status_code}"
        if expected == 302:
            assert response["Location"].startswith(reverse("account_login"))
    # The import confirmation only takes POST from the kansli.
    confirm = client.post(reverse("forbund:data_import_confirm"), {"token": "x"})
    assert confirm.status_code == {"kansli": 302, "anonymous": 302}.get(role, 403)


def test_edits_by_others_are_refused(client, demo, with_mfa):
    """A POST from an auditor changes nothing."""
    year = timezone.localdate().year
    client.force_login(with_mfa(demo["revisor@demo.se"]))
    response = client.post(
        reverse("forbund:budget_edit", args=[year]), {"state_allocation_kr": 1, "key": "population"}
    )
    assert response.status_code == 403
    assert BudgetYear.objects.get(year=year).state_allocation_kr == 4_000_000


def test_menu_items_follow_roles(client, demo, with_mfa):
    client.force_login(with_mfa(demo["kansli@demo.se"]))
    labels = [item["label"] for item in client.get("/").context["nav_items"]]
    assert {"Förbundet", "Styrelsen", "Budget", "Import", "Konton"} <= set(labels)
    client.force_login(demo["part@demo.se"])
    labels = [item["label"] for item in client.get("/").context["nav_items"]]
    assert not {"Förbundet", "Styrelsen", "Budget", "Import"} & set(labels)
    client.force_login(with_mfa(demo["revisor@demo.se"]))
    labels = [item["label"] for item in client.get("/").context["nav_items"]]
    assert {"Förbundet", "Styrelsen", "Budget"} <= set(labels) and "Import" not in labels


@pytest.fixture
def kansli_client(client, demo, with_mfa):
    client.force_login(with_mfa(demo["kansli@demo.se"]))
    return client


def test_overview_says_the_composition_is_valid(kansli_client):
    page = kansli_client.get(reverse("forbund:overview")).content.decode()
    assert "Sammansättningen uppfyller lagen" in page
    assert "förbundet har alltså 4 parter i lagens mening och 7 medlemmar" in page


def test_overview_says_what_is_missing(kansli_client):
    Party.objects.filter(kind="AF").update(member_to=date(2020, 12, 31))
    page = kansli_client.get(reverse("forbund:overview")).content.decode()
    assert "Sammansättningen uppfyller inte lagen" in page
    assert "Arbetsförmedlingen saknas som medlem." in page


def test_pages_use_a_fixed_number_of_queries(kansli_client, django_assert_max_num_queries):
    """List pages cost the same number of queries whatever the number of rows."""
    year = timezone.localdate().year
    for url in [
        reverse("forbund:overview"),
        reverse("forbund:board"),
        reverse("forbund:budget_list"),
        reverse("forbund:budget_detail", args=[year]),
    ]:
        kansli_client.get(url)  # warm the roles cache and the förbund name
        with django_assert_max_num_queries(20):
            assert kansli_client.get(url).status_code == 200


def test_board_page_query_count_does_not_grow(kansli_client, django_assert_num_queries):
    """Adding seats does not add queries to the board page."""
    from tests.factories.forbund import BoardSeatFactory

    url = reverse("forbund:board")
    kansli_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        kansli_client.get(url)
    for _ in range(5):
        BoardSeatFactory(party=Party.objects.get(name="Laxå kommun"), kind="deputy")
    with django_assert_num_queries(len(before)):
        kansli_client.get(url)


def test_party_form_shows_swedish_errors(kansli_client):
    response = kansli_client.post(
        reverse("forbund:party_create"),
        {"name": "Örebro kommun", "kind": "KOMMUN", "org_number": "212000-1844", "member_from": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "kontrollsiffra stämmer inte" in page
    assert not Party.objects.filter(name="Örebro kommun").exists()
    response = kansli_client.post(
        reverse("forbund:party_create"),
        {
            "name": "Örebro kommun",
            "kind": "KOMMUN",
            "org_number": "2120001850",
            "member_from": "2027-01-01",
        },
    )
    assert response.status_code == 302
    assert Party.objects.get(name="Örebro kommun").org_number == "212000-1850"


def test_budget_create_and_edit(kansli_client):
    """A new budget year gets contributions from the split at once."""
    response = kansli_client.post(
        reverse("forbund:budget_create"),
        {
            "year": 2027,
            "state_allocation_kr": 4_100_001,
            "key": "population",
            "other_income_kr": 0,
            "equity_brought_in_kr": 0,
            "board_cost_kr": 0,
            "administration_cost_kr": 0,
            "audit_cost_kr": 0,
        },
    )
    assert response.status_code == 302
    budget_year = BudgetYear.objects.get(year=2027)
    # No population for 2027 yet: the page says what is missing.
    page = kansli_client.get(reverse("forbund:budget_detail", args=[2027])).content.decode()
    assert "Befolkningstal för 2027 saknas för" in page
    parties = [p for p in Party.objects.members_in(2027) if p.has_population]
    data = {f"party_{p.pk}": 10_000 for p in parties}
    response = kansli_client.post(reverse("forbund:budget_population", args=[2027]), data)
    assert response.status_code == 302
    total = sum(c.amount_kr for c in budget_year.contributions.all())
    assert total == 8_200_002


def test_key_shares_form_checks_the_sum(kansli_client):
    year = timezone.localdate().year
    parties = [p for p in Party.objects.members_in(year) if p.has_population]
    data = {f"party_{p.pk}": "10" for p in parties}
    response = kansli_client.post(reverse("forbund:budget_key_shares", args=[year]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Andelarna för kommunernas fjärdedel summerar till 40\xa0%, inte 100 %." in page
    data = {f"party_{p.pk}": ("100" if p.kind == "REGION" else "25") for p in parties}
    response = kansli_client.post(reverse("forbund:budget_key_shares", args=[year]), data)
    assert response.status_code == 302


def test_contribution_edit(kansli_client):
    year = timezone.localdate().year
    contribution = Contribution.objects.get(budget_year__year=year, party__name="Askersunds kommun")
    url = reverse("forbund:contribution_edit", args=[year, contribution.pk])
    response = kansli_client.post(
        url, {"invoiced_on": f"{year}-01-20", "paid_on": "", "paid_kr": 100}
    )
    assert "Ange både betalningsdatum och betalt belopp" in response.content.decode()
    response = kansli_client.post(
        url,
        {
            "invoiced_on": f"{year}-01-20",
            "paid_on": f"{year}-03-01",
            "paid_kr": contribution.amount_kr,
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.outstanding_kr == 0


def test_budget_page_shows_split_and_equity_warning(kansli_client):
    """Two years back the demo equity (1 520 000 of 7 200 000) is over the 20 % threshold."""
    year = timezone.localdate().year
    page = kansli_client.get(reverse("forbund:budget_detail", args=[year - 2])).content.decode()
    assert "Det egna kapitalet är över varningsgränsen." in page
    page = kansli_client.get(reverse("forbund:budget_detail", args=[year])).content.decode()
    assert "Tillgängligt för insatser" in page
    assert "Delvis betald" in page and "Fakturerad, ej betald" in page


def test_seat_form_refuses_a_second_chair(kansli_client, demo):
    from forbund.models import MandatePeriod

    period = MandatePeriod.objects.first()
    response = kansli_client.post(
        reverse("forbund:seat_create"),
        {
            "mandate_period": period.pk,
            "party": Party.objects.get(name="Laxå kommun").pk,
            "user": demo["ledamot@demo.se"].pk,
            "kind": "member",
            "office": "chair",
            "starts_on": period.starts_on.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Styrelsen kan bara ha en ordförande åt gången." in response.content.decode()


def test_kansli_adds_the_next_mandate_period(kansli_client):
    """The kansli adds a mandate period on the board page; an overlapping one is refused."""
    from forbund.models import MandatePeriod

    current = MandatePeriod.objects.get()
    next_start = current.ends_on.replace(year=current.ends_on.year + 1, month=1, day=1)
    response = kansli_client.post(
        reverse("forbund:mandate_period_create"),
        {"starts_on": next_start.isoformat(), "ends_on": f"{next_start.year + 3}-12-31"},
    )
    assert response.status_code == 302
    assert MandatePeriod.objects.count() == 2
    response = kansli_client.post(
        reverse("forbund:mandate_period_create"),
        {"starts_on": current.starts_on.isoformat(), "ends_on": f"{next_start.year}-06-30"},
    )
    assert response.status_code == 200
    assert "Mandatperioden överlappar mandatperioden" in response.content.decode()
    assert MandatePeriod.objects.count() == 2


def test_mandate_period_cannot_shrink_past_its_seats(kansli_client):
    from forbund.models import MandatePeriod

    current = MandatePeriod.objects.get()
    response = kansli_client.post(
        reverse("forbund:mandate_period_edit", args=[current.pk]),
        {"starts_on": current.starts_on.isoformat(), "ends_on": f"{current.starts_on.year}-12-31"},
    )
    assert response.status_code == 200
    assert "styrelseplatser skulle hamna utanför mandatperioden" in response.content.decode()
    current.refresh_from_db()
    assert current.ends_on.year == current.starts_on.year + 3
