"""The two-party rule and the workflow hold on the admin and import paths too."""

import pytest
import tablib
from django.urls import reverse

from forbund.models import User
from insatser import rules, services
from insatser.models import Application
from insatser.resources import ApplicationResource
from tests.factories.forbund import PartyFactory, RoleAssignmentFactory, UserFactory
from tests.factories.insatser import ApplicationFactory, lead_staff, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, with_mfa):
    user = UserFactory(is_staff=True, is_superuser=True)
    RoleAssignmentFactory(user=user, role="office", party=None)
    client.force_login(with_mfa(user))
    return client


def test_admin_submit_action_refuses_two_kommuner(admin_client):
    """Even an admin who works for the lead party cannot submit past the two-party rule."""
    kumla = PartyFactory(name="Kumla kommun")
    admin_user = User.objects.get(pk=admin_client.session["_auth_user_id"])
    RoleAssignmentFactory(user=admin_user, role="party_staff", party=kumla)
    application = ApplicationFactory(lead_party=kumla)
    askersund = PartyFactory(name="Askersunds kommun")
    co = services.co_applicant_invite(
        application=application, party=askersund, by=lead_staff(application)
    )
    services.co_applicant_respond(co_applicant=co, confirm=True, comment="", by=staff_of(askersund))
    response = admin_client.post(
        reverse("admin:insatser_application_changelist"),
        {"action": "submit_selected", "_selected_action": [application.pk], "index": "0"},
        follow=True,
    )
    import re

    print(re.findall(r"<li class=\"[a-z]+\">.*?</li>", response.content.decode()))
    assert "Flera kommuner räknas som en part" in response.content.decode()
    application.refresh_from_db()
    assert application.status == rules.DRAFT


def test_admin_submit_action_needs_the_lead_party(admin_client):
    application = ApplicationFactory(confirmed=True)
    response = admin_client.post(
        reverse("admin:insatser_application_changelist"),
        {"action": "submit_selected", "_selected_action": [application.pk], "index": "0"},
        follow=True,
    )
    assert "Bara huvudmannen" in response.content.decode()
    application.refresh_from_db()
    assert application.status == rules.DRAFT


def test_admin_change_page_is_read_only(admin_client):
    application = ApplicationFactory(submitted=True)
    url = reverse("admin:insatser_application_change", args=[application.pk])
    assert admin_client.get(url).status_code == 200
    admin_client.post(url, {"status": rules.GRANTED, "title": "Ändrad"})
    application.refresh_from_db()
    assert application.status == rules.SUBMITTED and application.title != "Ändrad"


def _dataset(rows):
    headers = ["id", "huvudman", "status", "title", "kind", "starts_on", "ends_on"]
    return tablib.Dataset(*rows, headers=headers)


def test_import_creates_drafts_and_ignores_status():
    kumla = PartyFactory(name="Kumla kommun")
    user = staff_of(kumla)
    dataset = _dataset(
        [
            [
                "",
                "Kumla kommun",
                rules.SUBMITTED,
                "Importerad",
                rules.INDIVIDUAL,
                "2027-01-01",
                "2027-12-31",
            ]
        ]
    )
    result = ApplicationResource().import_data(dataset, dry_run=False, user=user)
    assert not result.has_errors(), [e.error for row in result.row_errors() for e in row[1]]
    assert not result.has_validation_errors(), [r.error for r in result.invalid_rows]
    application = Application.objects.get(title="Importerad")
    assert application.status == rules.DRAFT and application.case_number == ""
    assert application.created_by == user


def test_import_cannot_change_a_submitted_application():
    application = ApplicationFactory(submitted=True)
    user = lead_staff(application)
    dataset = _dataset(
        [
            [
                application.pk,
                application.lead_party.name,
                "",
                "Nytt namn",
                application.kind,
                "2027-01-01",
                "2028-12-31",
            ]
        ]
    )
    result = ApplicationResource().import_data(dataset, dry_run=False, user=user)
    assert result.has_errors() or result.has_validation_errors()
    application.refresh_from_db()
    assert application.title != "Nytt namn"


def test_import_for_a_party_the_user_does_not_work_for_is_refused():
    PartyFactory(name="Laxå kommun")
    user = staff_of(PartyFactory(name="Kumla kommun"))
    dataset = _dataset([["", "Laxå kommun", "", "Fel part", rules.INDIVIDUAL, "", ""]])
    result = ApplicationResource().import_data(dataset, dry_run=False, user=user)
    assert result.has_errors() or result.has_validation_errors()
    assert not Application.objects.filter(title="Fel part").exists()


def test_export_has_case_number_and_status():
    application = ApplicationFactory(submitted=True)
    exported = ApplicationResource().export()
    assert exported.dict[0]["diarienummer"] == application.case_number
    assert exported.dict[0]["status"] == rules.SUBMITTED
