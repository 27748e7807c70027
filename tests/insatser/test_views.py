import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finsam.navigation import nav_items
from finsam.start import todos_for
from insatser import rules, services
from insatser.models import Application, Attachment
from tests.factories.forbund import PartyFactory
from tests.factories.insatser import ApplicationFactory, lead_staff, office_user, staff_of

pytestmark = pytest.mark.django_db


def _html(response) -> str:
    return response.content.decode()


def _list_queries(client, user, django_assert_num_queries, queries):
    client.force_login(user)
    client.get(reverse("insatser:list"))  # warm up the session
    with django_assert_num_queries(queries):
        response = client.get(reverse("insatser:list"))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("rows", [1, 6])
def test_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, with_mfa, rows):
    """The list costs the same queries for one row as for six, for staff and kansli.

    Session, user, roles (2), invitations, count of the page, applications, their parties,
    session save (3).
    """
    kumla = PartyFactory(name="Kumla kommun")
    for _ in range(rows):
        application = ApplicationFactory(lead_party=kumla, submitted=True)
    staff = lead_staff(application)
    response = _list_queries(client, staff, django_assert_num_queries, 11)
    assert _html(response).count("/ansokningar/") >= rows
    office = with_mfa(office_user())
    _list_queries(client, office, django_assert_num_queries, 11)


def test_list_shows_fifty_applications_a_page_and_keeps_the_status_filter(client):
    """Many years of applications come 50 to a page, newest first; the pages keep the filter."""
    from insatser.views import PAGE_SIZE

    kumla = PartyFactory(name="Kumla kommun")
    applications = [
        ApplicationFactory(lead_party=kumla, title=f"Ansökan nummer {n:03d}")
        for n in range(PAGE_SIZE + 1)
    ]
    client.force_login(lead_staff(applications[0]))
    first = _html(client.get(reverse("insatser:list"), {"status": rules.DRAFT}))
    assert first.count("Ansökan nummer") == PAGE_SIZE
    assert f"1–{PAGE_SIZE} av {PAGE_SIZE + 1}" in first
    assert f"?status={rules.DRAFT}&amp;sida=2" in first
    second = _html(client.get(reverse("insatser:list"), {"status": rules.DRAFT, "sida": 2}))
    assert second.count("Ansökan nummer") == 1
    assert "Sida 2 av 2" in second
    assert "Föregående sida" in second
    beyond = client.get(reverse("insatser:list"), {"sida": "999"})
    assert beyond.status_code == 200


def test_create_form_explains_the_two_party_rule_before_submission(client):
    staff = staff_of(PartyFactory(name="Kumla kommun"))
    client.force_login(staff)
    response = client.get(reverse("insatser:create"))
    assert "Flera kommuner räknas som en part" in _html(response)


def test_party_staff_write_a_draft_and_invite(client, django_capture_on_commit_callbacks):
    kumla = PartyFactory(name="Kumla kommun")
    af = PartyFactory(af=True)
    staff_of(af, user__email="af@example.se")
    staff = staff_of(kumla)
    client.force_login(staff)
    response = client.post(
        reverse("insatser:create"),
        {"lead_party": kumla.pk, "title": "Ny väg", "kind": rules.INDIVIDUAL},
    )
    application = Application.objects.get(title="Ny väg")
    assert response.url == reverse("insatser:parties", kwargs={"pk": application.pk})
    assert application.status == rules.DRAFT and application.created_by == staff
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"party": af.pk})
    assert response.status_code == 302
    assert application.co_applicants.get().party == af


def test_only_two_kommuner_is_refused_with_the_explanation(client):
    application = ApplicationFactory(lead_party=PartyFactory(name="Kumla kommun"))
    askersund = PartyFactory(name="Askersunds kommun")
    co = services.co_applicant_invite(
        application=application, party=askersund, by=lead_staff(application)
    )
    services.co_applicant_respond(co_applicant=co, confirm=True, comment="", by=staff_of(askersund))
    client.force_login(lead_staff(application))
    url = reverse("insatser:submit", kwargs={"pk": application.pk})
    page = _html(client.get(url))
    assert "Kravet på minst två parter är <strong>inte</strong> uppfyllt" in page
    response = client.post(url)
    assert response.status_code == 200
    assert "Flera kommuner räknas som en part" in _html(response)
    assert rules.TWO_PARTIES_REFUSAL.split(":")[0] in _html(response)
    application.refresh_from_db()
    assert application.status == rules.DRAFT


def test_budget_formset_saves_lines_and_flags_benefits(client):
    application = ApplicationFactory(budget=[])
    client.force_login(lead_staff(application))
    url = reverse("insatser:budget", kwargs={"pk": application.pk})
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2027",
        "form-0-category": "personal",
        "form-0-description": "Coach",
        "form-0-amount_kr": "500000",
        "form-1-year": "2027",
        "form-1-category": "ovrigt",
        "form-1-description": "Milersättning för deltagare",
        "form-1-amount_kr": "12000",
    }
    assert client.post(url, data).status_code == 302
    assert application.budget_lines.count() == 2
    detail = _html(client.get(reverse("insatser:detail", kwargs={"pk": application.pk})))
    assert "Budgetrader att granska" in detail and "Milersättning för deltagare" in detail
    data["form-0-year"] = "2035"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Året 2035 ligger utanför insatsens period (2027–2028)." in _html(response)


def test_negative_budget_amount_is_refused_by_the_form(client):
    application = ApplicationFactory(budget=[])
    client.force_login(lead_staff(application))
    response = client.post(
        reverse("insatser:budget", kwargs={"pk": application.pk}),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-year": "2027",
            "form-0-category": "personal",
            "form-0-description": "Coach",
            "form-0-amount_kr": "-5",
        },
    )
    assert response.status_code == 200
    assert application.budget_lines.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("faktura.pdf", b"MZ\x90\x00 executable", "Filtypen tas inte emot"),
        ("bild.png", b"<html>not an image</html>", "Filtypen tas inte emot"),
        ("budget.xlsx", b"PK\x03\x04garbage", "skadad"),
    ],
)
def test_attachment_type_is_checked_by_content(client, name, content, message):
    application = ApplicationFactory()
    client.force_login(lead_staff(application))
    response = client.post(
        reverse("insatser:attachments", kwargs={"pk": application.pk}),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert message in _html(response)
    assert not Attachment.objects.exists()


def test_attachment_over_10_mb_is_refused(client, settings):
    application = ApplicationFactory()
    client.force_login(lead_staff(application))
    big = b"%PDF-1.4\n" + b"0" * (rules.MAX_ATTACHMENT_BYTES)
    response = client.post(
        reverse("insatser:attachments", kwargs={"pk": application.pk}),
        {"file": SimpleUploadedFile("stor.pdf", big)},
    )
    assert "större än 10 MB" in _html(response)
    assert not Attachment.objects.exists()


def test_kansli_asks_for_completion_and_applicant_resubmits(client, with_mfa):
    application = ApplicationFactory(in_preparation=True)
    office = with_mfa(office_user())
    client.force_login(office)
    response = client.post(
        reverse("insatser:request_completion", kwargs={"pk": application.pk}),
        {"questions": "Beskriv rekryteringen."},
    )
    assert response.status_code == 302
    client.force_login(lead_staff(application))
    detail = _html(client.get(reverse("insatser:detail", kwargs={"pk": application.pk})))
    assert "Beskriv rekryteringen." in detail and "Skicka in kompletteringen" in detail
    client.post(
        reverse("insatser:edit", kwargs={"pk": application.pk}),
        {
            **{name: getattr(application, name) or "" for name in services.CONTENT_FIELDS},
            "method": "Rekrytering via gemensamma möten.",
        },
    )
    detail = _html(client.get(reverse("insatser:detail", kwargs={"pk": application.pk})))
    assert "Ändrat sedan senast inskickade version" in detail
    assert "Rekrytering via gemensamma möten." in detail
    response = client.post(
        reverse("insatser:submit", kwargs={"pk": application.pk}), {"answer": "Se metoden."}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == rules.SUBMITTED
    assert application.versions.count() == 2
    version = _html(
        client.get(reverse("insatser:version", kwargs={"pk": application.pk, "number": 2}))
    )
    assert "Ändrat sedan version 1" in version and "Rekrytering via gemensamma möten." in version


def test_kansli_writes_the_proposal(client, with_mfa):
    application = ApplicationFactory(in_preparation=True)
    client.force_login(with_mfa(office_user()))
    url = reverse("insatser:propose", kwargs={"pk": application.pk})
    form = _html(client.get(url))
    assert "Belopp 2027 (kr)" in form and "Belopp 2028 (kr)" in form
    response = client.post(
        url,
        {
            "recommendation": "bevilja",
            "reasoning": "Tydliga mål.",
            "conditions": "Tertialrapporter.",
            "amount_2027": "250000",
            "amount_2028": "",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == rules.PROPOSED
    assert [(a.year, a.amount_kr) for a in application.proposal.amounts.all()] == [(2027, 250000)]
    detail = _html(client.get(reverse("insatser:detail", kwargs={"pk": application.pk})))
    assert "Förslag till beslut" in detail and "250\xa0000\xa0kr" in detail


def test_grant_proposal_without_amount_is_refused_by_the_form(client, with_mfa):
    application = ApplicationFactory(in_preparation=True)
    client.force_login(with_mfa(office_user()))
    response = client.post(
        reverse("insatser:propose", kwargs={"pk": application.pk}),
        {"recommendation": "bevilja", "reasoning": "Bra."},
    )
    assert response.status_code == 200
    assert "måste ha ett belopp för minst ett år" in _html(response)


def test_detail_shows_the_timeline(client):
    application = ApplicationFactory(submitted=True)
    client.force_login(lead_staff(application))
    page = _html(client.get(reverse("insatser:detail", kwargs={"pk": application.pk})))
    for label in ("Part inbjuden", "Part bekräftade", "Inskickad"):
        assert label in page


def test_start_page_todos_and_menu(rf, with_mfa):
    application = ApplicationFactory()
    af = PartyFactory(af=True)
    af_staff = staff_of(af)
    services.co_applicant_invite(application=application, party=af, by=lead_staff(application))
    todos = todos_for(af_staff)
    assert [(t.text, t.count, t.urgent) for t in todos] == [
        ("Inbjudningar att bekräfta eller avböja", 1, True)
    ]
    ApplicationFactory(submitted=True)
    office = office_user()
    assert ("Inskickade ansökningar att ta upp för beredning", 1) in [
        (t.text, t.count) for t in todos_for(office)
    ]
    request = rf.get("/")
    request.user = af_staff
    assert "Ansökningar" in [item["label"] for item in nav_items(request)]


def test_completion_request_is_an_urgent_todo_for_the_lead_party():
    application = ApplicationFactory(completion_requested=True)
    todos = todos_for(lead_staff(application))
    assert ("Ansökningar där kansliet begär komplettering", 1, True) in [
        (t.text, t.count, t.urgent) for t in todos
    ]
