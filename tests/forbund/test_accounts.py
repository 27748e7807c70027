import re

import pytest
from django.core import mail
from django.urls import reverse

from forbund.models import RoleAssignment, User
from tests.factories import BoardSeatFactory, PartyFactory, RoleAssignmentFactory, UserFactory


@pytest.mark.django_db
def test_login_with_email_and_password(client):
    user = UserFactory(email="anna@example.se")
    RoleAssignmentFactory(user=user)  # party staff: no MFA demanded
    response = client.post(
        reverse("account_login"), {"login": "anna@example.se", "password": "losen-ord-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("start")).status_code == 200


@pytest.mark.django_db
def test_wrong_password_is_refused_in_swedish(client):
    UserFactory(email="anna@example.se")
    response = client.post(
        reverse("account_login"), {"login": "anna@example.se", "password": "fel"}
    )
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet stämmer inte." in response.content.decode()


@pytest.mark.django_db
def test_sign_up_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ny@example.se", "password1": "Langt-losen-99", "password2": "Langt-losen-99"},
    )
    assert not User.objects.filter(email="ny@example.se").exists()
    assert response.status_code == 200


@pytest.mark.django_db
def test_start_page_needs_login(client):
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["office", "board", "auditor"])
def test_mfa_required_roles_reach_only_mfa_setup(client, role):
    """Kansli, board members and auditors without MFA are sent to the MFA pages."""
    user = UserFactory()
    if role == "office":
        RoleAssignmentFactory(user=user, role="office", party=None)
    elif role == "auditor":
        RoleAssignmentFactory(user=user, role="auditor")
    else:
        BoardSeatFactory(user=user)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "losen-ord-123"}
    )
    response = client.get(reverse("start"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    assert client.get(reverse("forbund:account_list")).url == reverse("mfa_index")
    assert client.get(reverse("mfa_index")).status_code == 200
    # allauth asks for the password again before an authenticator is added; that page is open.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": "losen-ord-123"})
    assert response.status_code == 302
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


@pytest.mark.django_db
def test_mfa_setup_lets_the_user_in(client, with_mfa):
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="office", party=None)
    with_mfa(user)
    client.force_login(user)
    assert client.get(reverse("start")).status_code == 200


@pytest.mark.django_db
def test_party_staff_need_no_mfa(client):
    user = UserFactory()
    RoleAssignmentFactory(user=user)
    client.force_login(user)
    assert client.get(reverse("start")).status_code == 200


@pytest.mark.django_db
def test_mfa_demand_can_be_turned_off(client, settings):
    settings.FINSAM_REQUIRE_MFA = False
    user = UserFactory()
    RoleAssignmentFactory(user=user, role="office", party=None)
    client.force_login(user)
    assert client.get(reverse("start")).status_code == 200


@pytest.mark.django_db
def test_kansli_creates_account_and_person_sets_password(
    client, with_mfa, django_capture_on_commit_callbacks
):
    """The kansli creates an account; the person gets a link, sets a password and logs in."""
    office = with_mfa(UserFactory())
    RoleAssignmentFactory(user=office, role="office", party=None)
    kumla = PartyFactory(name="Kumla kommun")
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("forbund:account_create"),
            {"name": "Nina Ny", "email": "Nina@Kumla.se", "staff_party": kumla.pk},
        )
    assert response.status_code == 302
    person = User.objects.get(email="nina@kumla.se")
    assert not person.has_usable_password()
    assert list(person.role_assignments.values_list("role", "party")) == [
        (RoleAssignment.Role.PARTY_STAFF, kumla.pk)
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@kumla.se"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(
        form_url, {"password1": "Ett-nytt-losen-42", "password2": "Ett-nytt-losen-42"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Ett-nytt-losen-42")


@pytest.mark.django_db
def test_account_create_refuses_duplicate_email(client, with_mfa):
    office = with_mfa(UserFactory())
    RoleAssignmentFactory(user=office, role="office", party=None)
    UserFactory(email="finns@example.se")
    client.force_login(office)
    response = client.post(
        reverse("forbund:account_create"), {"name": "X", "email": "finns@example.se"}
    )
    assert response.status_code == 200
    assert "Det finns redan ett konto med den e-postadressen." in response.content.decode()
    assert User.objects.filter(email="finns@example.se").count() == 1
    assert not mail.outbox


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["forbund:account_list", "forbund:account_create"])
def test_only_kansli_manages_accounts(client, with_mfa, url_name):
    staff = UserFactory()
    RoleAssignmentFactory(user=staff)
    auditor = with_mfa(UserFactory())
    RoleAssignmentFactory(user=auditor, role="auditor")
    for user in (staff, auditor):
        client.force_login(user)
        assert client.get(reverse(url_name)).status_code == 403
