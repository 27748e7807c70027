import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.audit import events_for
from tests.factories.forbund import (
    BoardSeatFactory,
    PartyFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from tests.factories.uppfoljning import CategoryFactory
from uppfoljning.models import Category, FollowUpSettings

ROLES = ["kansli", "ordforande", "staff_involved", "staff_other", "auditor", "anonymous"]


@pytest.fixture
def as_role(client, with_mfa):
    """Log the test client in as a person holding one role (or nobody)."""

    def login(role: str):
        kumla = PartyFactory(name="Kumla kommun")
        if role == "anonymous":
            return client
        user = UserFactory()
        if role == "kansli":
            RoleAssignmentFactory(user=user, role="office", party=None)
            with_mfa(user)
        elif role == "ordforande":
            BoardSeatFactory(user=user, party=kumla, office="chair")
            with_mfa(user)
        elif role == "staff_involved":
            RoleAssignmentFactory(user=user, party=kumla)
        elif role == "staff_other":
            RoleAssignmentFactory(user=user, party=PartyFactory(af=True))
        elif role == "auditor":
            RoleAssignmentFactory(user=user, role="auditor", party=PartyFactory(region=True))
            with_mfa(user)
        client.force_login(user)
        client.user = user
        return client

    return login


def _urls():
    category = Category.objects.get(kind="gender", code="man")
    return {
        "category_list": reverse("uppfoljning:category_list"),
        "category_create": reverse("uppfoljning:category_create", args=["activity_kind"]),
        "category_edit": reverse("uppfoljning:category_edit", args=[category.pk]),
        "settings_edit": reverse("uppfoljning:settings_edit"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["category_list", "category_create", "category_edit", "settings_edit"]
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(as_role, role, name):
    """Only the kansli opens the follow-up's settings pages; others get 403, anonymous logs in."""
    client = as_role(role)
    url = _urls()[name]
    response = client.get(url)
    expected = {"kansli": 200, "anonymous": 302}.get(role, 403)
    assert response.status_code == expected, (role, name)
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["category_create", "category_edit", "settings_edit"])
@pytest.mark.parametrize("role", [r for r in ROLES if r != "kansli"])
def test_only_the_kansli_can_post(as_role, role, name):
    """A POST from anyone but the kansli changes nothing."""
    client = as_role(role)
    before = list(Category.objects.values_list("pk", "label", "active", "order"))
    response = client.post(
        _urls()[name],
        {"label": "Ny", "code": "ny", "order": 1, "active": "", "period_length": "month"},
    )
    assert response.status_code == (302 if role == "anonymous" else 403)
    assert list(Category.objects.values_list("pk", "label", "active", "order")) == before
    assert FollowUpSettings.load().period_length == "tertial"


@pytest.mark.django_db
def test_unknown_list_is_404(as_role):
    client = as_role("kansli")
    url = reverse("uppfoljning:category_create", args=["shoe_size"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_menu_shows_follow_up_only_to_the_kansli(as_role):
    client = as_role("kansli")
    assert "Uppföljning" in client.get(reverse("start")).content.decode()
    other = as_role("staff_involved")
    other.force_login(UserFactory())
    assert "Uppföljning" not in other.get(reverse("start")).content.decode()


@pytest.mark.django_db
def test_category_list_shows_every_list_with_its_categories(as_role):
    client = as_role("kansli")
    CategoryFactory(label="Gammal kategori", inactive=True)
    page = client.get(reverse("uppfoljning:category_list")).content.decode()
    for heading in ["Kön", "Åldersgrupp", "Huvudsaklig försörjning vid start"]:
        assert f">{heading}</h2>" in page
    assert "Annat/uppgift saknas" in page
    assert "Inaktiv" in page
    year = timezone.localdate().year
    assert f"T1 {year} (januari–april), T2 {year} (maj–augusti)" in page


@pytest.mark.django_db
def test_category_list_uses_a_fixed_number_of_queries(as_role, django_assert_num_queries):
    client = as_role("kansli")
    url = reverse("uppfoljning:category_list")
    client.get(url)  # warm the förbund-name cache
    with django_assert_num_queries(10) as few:
        client.get(url)
    for index in range(40):
        CategoryFactory(kind=["gender", "activity_kind"][index % 2])
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_kansli_adds_a_category_and_the_code_is_made_from_the_label(as_role):
    client = as_role("kansli")
    url = reverse("uppfoljning:category_create", args=["activity_kind"])
    response = client.post(url, {"label": "Studiebesök på arbetsplats", "code": "", "order": 5})
    assert response.status_code == 302
    category = Category.objects.get(kind="activity_kind", label="Studiebesök på arbetsplats")
    assert category.code == "studiebesok-pa-arbetsplats"
    assert events_for(category).get().actor == client.user
    page = client.get(response.url).content.decode()
    assert "Kategorin ”Studiebesök på arbetsplats” är tillagd." in page


@pytest.mark.django_db
def test_a_duplicate_category_is_refused_in_swedish_and_nothing_is_added(as_role):
    client = as_role("kansli")
    before = Category.objects.count()
    url = reverse("uppfoljning:category_create", args=["gender"])
    response = client.post(url, {"label": "Kvinna", "code": "kvinna-2", "order": 5})
    assert response.status_code == 200
    assert "Det finns redan en kategori med den benämningen i listan." in response.content.decode()
    assert Category.objects.count() == before


@pytest.mark.django_db
def test_a_label_with_a_personnummer_is_refused_in_the_form(as_role):
    client = as_role("kansli")
    url = reverse("uppfoljning:category_create", args=["activity_kind"])
    response = client.post(url, {"label": "Möte 811218-9876", "code": "", "order": 5})
    page = response.content.decode()
    assert response.status_code == 200
    assert "personnummer eller samordningsnummer (811218-XXXX)" in page
    assert 'aria-invalid="true"' in page
    assert not Category.objects.filter(label__startswith="Möte 8").exists()


@pytest.mark.django_db
def test_a_label_without_letters_or_digits_needs_a_code(as_role):
    client = as_role("kansli")
    url = reverse("uppfoljning:category_create", args=["activity_kind"])
    response = client.post(url, {"label": "–", "code": "", "order": 5})
    assert "Skriv en kod med bokstäver a–z, siffror och bindestreck." in response.content.decode()


@pytest.mark.django_db
def test_kansli_renames_and_deactivates_a_category(as_role):
    client = as_role("kansli")
    category = Category.objects.get(kind="status_after", code="studier")
    url = reverse("uppfoljning:category_edit", args=[category.pk])
    response = client.post(url, {"label": "Studier (reguljära)", "order": 35})
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.label, category.order, category.active) == ("Studier (reguljära)", 35, False)


@pytest.mark.django_db
def test_the_last_active_category_stays_active_and_the_page_says_why(as_role):
    client = as_role("kansli")
    Category.objects.filter(kind="gender").exclude(code="man").update(active=False)
    category = Category.objects.get(kind="gender", code="man")
    url = reverse("uppfoljning:category_edit", args=[category.pk])
    response = client.post(url, {"label": "Man", "order": 20})
    assert response.status_code == 200
    assert "Listan kön måste ha minst en aktiv kategori." in response.content.decode()
    assert Category.objects.get(pk=category.pk).active


@pytest.mark.django_db
def test_a_negative_order_is_refused(as_role):
    client = as_role("kansli")
    category = Category.objects.get(kind="gender", code="man")
    url = reverse("uppfoljning:category_edit", args=[category.pk])
    response = client.post(url, {"label": "Man", "order": -1, "active": "on"})
    assert response.status_code == 200
    assert Category.objects.get(pk=category.pk).order == 20


@pytest.mark.django_db
def test_kansli_switches_to_monthly_periods(as_role):
    client = as_role("kansli")
    response = client.post(reverse("uppfoljning:settings_edit"), {"period_length": "month"})
    assert response.status_code == 302
    assert FollowUpSettings.load().period_length == "month"
    page = client.get(response.url).content.decode()
    year = timezone.localdate().year
    assert f"januari {year}, februari {year}, mars {year}" in page
    assert f"december {year}</dd>" in page


@pytest.mark.django_db
def test_an_unknown_period_length_is_refused(as_role):
    client = as_role("kansli")
    response = client.post(reverse("uppfoljning:settings_edit"), {"period_length": "week"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ." in response.content.decode()
    assert FollowUpSettings.load().period_length == "tertial"
