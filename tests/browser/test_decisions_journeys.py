"""Journeys through board meetings, decisions, justering and payments, with axe on every page."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.harness import assert_accessible, login, logout

pytestmark = pytest.mark.browser

PROPOSAL = "Gemensam kompetensutveckling i samverkan"


@pytest.fixture
def next_years_budget(live_demo):
    """The demo has no budget for the years the förslag is about; the kansli has now entered it."""
    from forbund.models import BudgetYear

    year = timezone.localdate().year + 1
    for budget_year in (year, year + 1):
        BudgetYear.objects.get_or_create(
            year=budget_year, defaults={"state_allocation_kr": 3_000_000}
        )
    return year


def _flash(page, text):
    expect(page.get_by_role("status").get_by_text(text, exact=False)).to_be_visible()


def test_from_forslag_to_justerat_protokoll_and_payment(page, live_demo, next_years_budget):
    """The kansli places a förslag and sends the kallelse; a ledamot declares jäv; the
    secretary's too large grant is refused, the right one recorded; the ordförande and the
    justerare approve; the applicants are told; the lead party rekvirerar and the kansli
    attests."""
    year = next_years_budget
    today = timezone.localdate().isoformat()

    # The kansli plans today's meeting, places the förslag and sends the kallelse.
    login(page, live_demo, "kansli@demo.se")
    page.get_by_role("link", name="Sammanträden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrelsens sammanträden")
    assert_accessible(page)
    page.get_by_role("link", name="Planera ett sammanträde").click()
    assert_accessible(page)
    page.get_by_label("Datum").fill(today)
    page.get_by_label("Klockan").fill("13:00")
    page.get_by_label("Plats").fill("Kumla stadshus, sal 1")
    page.get_by_role("button", name="Spara").click()
    _flash(page, "Sammanträdet är planerat.")
    assert_accessible(page)
    from insatser.models import Application

    application = Application.objects.select_related("lead_party").get(title=PROPOSAL)
    page.get_by_label("Ansökan med förslag till beslut").select_option(
        label=f"{application.case_number} {PROPOSAL} ({application.lead_party})"
    )
    page.get_by_role("button", name="Lägg på dagordningen").click()
    _flash(page, "är lagt på dagordningen")
    expect(page.get_by_role("rowheader", name="§ 1")).to_be_visible()
    page.get_by_role("link", name="Välj ordförande och justerare").click()
    assert_accessible(page)
    page.get_by_label("Ordförande vid sammanträdet").select_option(label="Eva Ström")
    page.get_by_label("Lars Berg").check()
    page.get_by_role("button", name="Spara").click()
    _flash(page, "Ordförande och justerare är valda.")
    page.get_by_role("link", name="Skicka kallelsen").click()
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Skicka kallelsen").click()
    _flash(page, "Kallelsen med handlingarna skickas")
    notices = [m for m in mail.outbox if "Kallelse" in m.subject]
    assert "ledamot@demo.se" in {m.to[0] for m in notices}
    assert notices[0].attachments[0][0].endswith(".pdf")
    meeting_url = page.url
    logout(page)

    # A ledamot reads the beslutsunderlag and declares jäv for himself.
    login(page, live_demo, "ledamot@demo.se")
    page.get_by_role("link", name=f"Läs handlingarna till sammanträdet {today}").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(PROPOSAL)).click()
    expect(page.get_by_role("heading", name="Beslutsunderlag")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Skäl (frivilligt)").fill("Styrelseledamot i en medsökande förening")
    page.get_by_role("button", name="Anmäl jäv för mig").click()
    _flash(page, "Du har anmält jäv i § 1")
    assert_accessible(page)
    logout(page)

    # The secretary records the decision: too much is refused with what is left.
    login(page, live_demo, "kansli@demo.se")
    page.goto(meeting_url)
    page.get_by_role("link", name="Protokollför beslut i § 1").click()
    assert_accessible(page)
    expect(page.get_by_label("Lars Berg")).to_be_checked()
    page.get_by_label(f"Belopp {year} (kr)").fill("99000000")
    page.get_by_role("button", name="Spara beslutet").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"Beviljandet ryms inte i {year} års medel för insatser")
    expect(alert).to_contain_text("återstår")
    assert_accessible(page)
    page.get_by_label(f"Belopp {year} (kr)").fill("700000")
    page.get_by_role("button", name="Spara beslutet").click()
    _flash(page, "Beslutet i § 1 är protokollfört.")
    page.get_by_role("button", name="Lämna protokollet för justering").click()
    _flash(page, "Protokollet är lämnat för justering.")
    assert_accessible(page)
    logout(page)

    # The ordförande justerar.
    login(page, live_demo, "styrelse@demo.se")
    page.get_by_role("link", name=f"Justera protokollet från {today}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Protokoll")
    assert_accessible(page)
    page.get_by_role("button", name="Justera protokollet").click()
    _flash(page, "Du har justerat protokollet.")
    logout(page)

    # The justerare justerar: the decision takes effect and the applicants are told.
    mail.outbox.clear()
    login(page, live_demo, "ledamot@demo.se")
    page.get_by_role("link", name=f"Justera protokollet från {today}").click()
    expect(page.get_by_text("Lars Berg anmälde jäv")).to_be_visible()
    page.get_by_role("button", name="Justera protokollet").click()
    _flash(page, "Protokollet är justerat.")
    assert_accessible(page)
    told = {m.to[0] for m in mail.outbox if "är beviljad" in m.subject}
    assert {"part2@demo.se", "part@demo.se"} <= told
    logout(page)

    # The lead party (Arbetsförmedlingen) requests payment.
    login(page, live_demo, "part2@demo.se")
    page.get_by_role("link", name="Insatser", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=PROPOSAL).click()
    assert_accessible(page)
    page.get_by_role("link", name="Rekvirera medel").click()
    assert_accessible(page)
    page.get_by_label("År").select_option(str(year))
    page.get_by_label("Belopp (kr)").fill("800000")
    page.get_by_label("Avser").fill("Kursavgifter våren")
    page.get_by_role("button", name="Skicka rekvisitionen").click()
    expect(
        page.get_by_text(f"Det återstår 700\xa0000\xa0kr att rekvirera för {year}.")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Belopp (kr)").fill("250000")
    page.get_by_role("button", name="Skicka rekvisitionen").click()
    _flash(page, "Rekvisitionen är inskickad.")
    logout(page)

    # The kansli attests it.
    login(page, live_demo, "kansli@demo.se")
    page.get_by_role("link", name="Rekvisitioner att attestera").click()
    assert_accessible(page)
    page.get_by_role("region", name="Rekvisitioner att hantera").get_by_role(
        "link", name=PROPOSAL
    ).click()
    page.get_by_role("button", name=re.compile("Attestera rekvisitionen på 250")).click()
    _flash(page, "är attesterad")
    row = page.get_by_role("row").filter(has_text="Kursavgifter våren")
    expect(row).to_contain_text("Attesterad")
    assert_accessible(page)


def test_auditor_reads_the_justerat_protokoll_and_the_insatser(page, live_demo):
    """The auditor sees the justerat meeting, its minutes and the insatser, and changes nothing."""
    login(page, live_demo, "revisor@demo.se")
    page.get_by_role("link", name="Sammanträden", exact=True).click()
    assert_accessible(page)
    expect(page.get_by_role("cell", name="Protokoll justerat").first).to_be_visible()
    expect(page.get_by_role("cell", name="Kallelse skickad")).to_have_count(0)
    page.get_by_role("table").get_by_role("link").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Protokoll", exact=True).click()
    expect(page.get_by_text("Styrelsen beslutar att avslå ansökan.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Delegationsbeslut", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Insatser", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Arbetsintegrerande socialt företagande").click()
    expect(page.get_by_role("heading", name="Rekvisitioner")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Attestera"))).to_have_count(0)
    assert_accessible(page)
