"""Journeys through joint applications, with axe-core on every page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import assert_accessible, login, logout

pytestmark = pytest.mark.browser


def _goto_application(page, base_url, title):
    page.goto(f"{base_url}/ansokningar/")
    assert_accessible(page)
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)


def test_party_staff_write_an_application_and_the_co_applicant_confirms(page, live_demo):
    login(page, live_demo, "part@demo.se")
    page.get_by_role("link", name="Ansökningar", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Skriv en ny ansökan").click()
    expect(page.get_by_text("Flera kommuner räknas som en part").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Namn på insatsen").fill("Vägen till egen försörjning")
    page.get_by_label("Typ av insats").select_option(label="Individinriktad")
    page.get_by_label("Bakgrund och behov").fill("Många har stöd från flera håll utan samordning.")
    page.get_by_label(re.compile(r"^Syfte")).fill("Samordnat stöd mot arbete.")
    page.get_by_label("Mätbara mål").fill("Hälften av deltagarna i arbete eller studier.")
    page.get_by_label("Målgrupp").fill("Personer 20–64 år med försörjningsstöd.")
    page.get_by_label("Planerat antal deltagare").fill("25")
    page.get_by_label("Metod och aktiviteter").fill("Gemensamt team och arbetsträning.")
    page.get_by_label("Startdatum").fill("2027-01-01")
    page.get_by_label("Slutdatum").fill("2027-12-31")
    page.get_by_label("Uppföljning och utvärdering").fill("Tertialrapporter och slutrapport.")
    page.get_by_label(re.compile(r"^Kontaktperson:?$")).fill("Sara Nyberg")
    page.get_by_label("Kontaktpersonens e-post").fill("part@demo.se")
    page.get_by_role("button", name="Spara utkast och gå vidare").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Parter: Vägen till egen försörjning")
    expect(page.get_by_text("Kravet på minst två parter är inte uppfyllt ännu.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Part att bjuda in").select_option(label="Arbetsförmedlingen")
    page.get_by_role("button", name="Bjud in").click()
    expect(page.get_by_text("Arbetsförmedlingen är inbjuden.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Tillbaka till ansökan").click()
    page.get_by_role("link", name="Budget", exact=True).click()
    assert_accessible(page)
    page.locator("#id_form-0-year").fill("2027")
    page.locator("#id_form-0-category").select_option(label="Personal")
    page.locator("#id_form-0-description").fill("Arbetskonsulent 100 %")
    page.locator("#id_form-0-amount_kr").fill("640000")
    page.get_by_role("button", name="Spara budgeten").click()
    expect(page.get_by_text("Ändringarna är sparade.")).to_be_visible()
    assert_accessible(page)
    logout(page)

    login(page, live_demo, "part2@demo.se")
    page.get_by_role("link", name="Inbjudningar att bekräfta eller avböja").click()
    assert_accessible(page)
    invitations = page.get_by_role("region", name="Inbjudningar att bekräfta")
    invitations.get_by_role("link", name="Vägen till egen försörjning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Svara för Arbetsförmedlingen")
    assert_accessible(page)
    page.get_by_label("Vi bekräftar vårt deltagande").check()
    page.get_by_label("Kommentar").fill("Vi bidrar med en handläggare på 20 %.")
    page.get_by_role("button", name="Spara svaret").click()
    expect(page.get_by_text("Svaret för Arbetsförmedlingen är sparat.")).to_be_visible()
    expect(page.get_by_role("cell", name="Vi bidrar med en handläggare på 20 %.")).to_be_visible()
    assert_accessible(page)
    logout(page)

    login(page, live_demo, "part@demo.se")
    _goto_application(page, live_demo, "Vägen till egen försörjning")
    page.get_by_role("link", name="Skicka in", exact=True).click()
    expect(page.get_by_text("Kravet på minst två parter är uppfyllt.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka in ansökan").click()
    expect(page.get_by_text(re.compile(r"har diarienummer \d{4}-\d{3}"))).to_be_visible()
    assert_accessible(page)


def test_two_kommuner_alone_are_refused_with_the_explanation(page, live_demo):
    from forbund.models import Party, RoleAssignment, User
    from insatser import services
    from insatser.models import Application

    # Askersund confirms through its own staff, so only two kommuner stand behind the draft.
    askersund = Party.objects.get(name="Askersunds kommun")
    person = User.objects.create_user("askersund@example.se", "x", name="Handläggare Askersund")
    RoleAssignment.objects.create(user=person, role="party_staff", party=askersund)
    application = Application.objects.get(title="Askersund och Kumla tillsammans")
    services.co_applicant_respond(
        co_applicant=application.co_applicants.get(party=askersund),
        confirm=True,
        comment="",
        by=person,
    )

    login(page, live_demo, "part@demo.se")
    _goto_application(page, live_demo, "Askersund och Kumla tillsammans")
    expect(page.get_by_text("Flera kommuner räknas som en part").first).to_be_visible()
    page.get_by_role("link", name="Skicka in", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Skicka in ansökan").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ansökan kan inte skickas in")
    expect(alert).to_contain_text("Flera kommuner räknas som en part")
    assert_accessible(page)
    application.refresh_from_db()
    assert application.status == "utkast" and application.case_number == ""


def test_kansli_asks_for_completion_and_writes_the_proposal(page, live_demo):
    title = "Unga vuxna i Kumla – vägen till arbete"
    login(page, live_demo, "kansli@demo.se")
    _goto_application(page, live_demo, title)
    expect(page.get_by_text("Budgetrader att granska")).to_be_visible()
    page.get_by_role("button", name="Påbörja beredning").click()
    expect(page.get_by_text("Beredningen är påbörjad.")).to_be_visible()
    page.get_by_role("link", name="Begär komplettering").click()
    assert_accessible(page)
    page.get_by_label("Vad ska sökanden komplettera?").fill(
        "Busskort är en individuell förmån. Ta bort raden och beskriv hur deltagarna rekryteras."
    )
    page.get_by_role("button", name="Skicka begäran").click()
    expect(page.get_by_text("Begäran om komplettering är skickad")).to_be_visible()
    assert_accessible(page)
    logout(page)

    login(page, live_demo, "part@demo.se")
    page.get_by_role("link", name="Ansökningar där kansliet begär komplettering").click()
    assert_accessible(page)
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("link", name="Budget", exact=True).click()
    assert_accessible(page)
    busskort = page.locator("input[value='Busskort till deltagare']").get_attribute("id")
    page.locator("#" + busskort.replace("-description", "-DELETE")).check()
    page.get_by_role("button", name="Spara budgeten").click()
    expect(page.get_by_text("Ändrat sedan senast inskickade version")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Skicka in kompletteringen").click()
    assert_accessible(page)
    page.get_by_label("Svar på kansliets frågor").fill(
        "Raden med busskort är borttagen. Deltagarna rekryteras via handläggarna hos parterna."
    )
    page.get_by_role("button", name="Skicka in kompletteringen").click()
    expect(page.get_by_text("Ansökan är inskickad")).to_be_visible()
    assert_accessible(page)
    logout(page)

    login(page, live_demo, "kansli@demo.se")
    _goto_application(page, live_demo, title)
    page.get_by_role("button", name="Påbörja beredning").click()
    page.get_by_role("link", name="Skriv förslag till beslut").click()
    assert_accessible(page)
    page.get_by_label("Bevilja").check()
    page.get_by_label("Motivering").fill("Insatsen möter ett tydligt behov hos målgruppen.")
    page.get_by_label("Villkor").fill("Lägesrapport varje tertial.")
    page.get_by_role("button", name="Spara förslaget").click()
    expect(page.get_by_text("Förslaget till beslut är sparat.")).to_be_visible()
    expect(page.get_by_role("heading", name="Förslag till beslut", level=2)).to_be_visible()
    proposal = page.get_by_role("region", name="Förslag till beslut")
    expect(proposal).to_contain_text("Insatsen möter ett tydligt behov hos målgruppen.")
    expect(proposal).to_contain_text("Bevilja")
    assert_accessible(page)
