import pytest
from django.utils import timezone

from tests.browser.harness import assert_accessible, login


@pytest.mark.browser
@pytest.mark.parametrize("email", ["kansli@demo.se", "revisor@demo.se"])
def test_forbund_pages_are_readable_and_accessible(page, live_demo, email):
    """Kansli and auditor open the overview, board and budget pages; each passes axe."""
    year = timezone.localdate().year
    login(page, live_demo, email)

    page.get_by_role("link", name="Förbundet", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Förbundet och dess parter"
    assert page.get_by_text("Sammansättningen uppfyller lagen").is_visible()
    assert page.get_by_role("rowheader", name="Laxå kommun").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Styrelsen", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Styrelsen"
    assert "Eva Ström" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Budget", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=str(year), exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Budgetår {year}"
    main = page.locator("main").inner_text()
    assert "8\xa0000\xa0000\xa0kr" in main  # the total, twice the state allocation
    assert "Tillgängligt för insatser" in main
    assert_accessible(page)

    # Only the kansli sees the edit links.
    edit_links = page.get_by_role("link", name="Ändra budgeten").count()
    assert edit_links == (1 if email == "kansli@demo.se" else 0)


@pytest.mark.browser
def test_kansli_records_a_payment(page, live_demo):
    """The kansli registers Askersund's payment and the outstanding amount drops to zero."""
    year = timezone.localdate().year
    login(page, live_demo, "kansli@demo.se")
    page.goto(f"{live_demo}/forbund/budget/{year}/")
    page.get_by_role("link", name="Registrera betalning från Askersunds kommun").click()
    assert_accessible(page)
    amount = page.locator("main p").first.inner_text()
    kronor = "".join(ch for ch in amount if ch.isdigit())
    page.locator("#id_paid_on").fill(f"{year}-03-01")
    page.locator("#id_paid_kr").fill(kronor)
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text("Betalningen från Askersunds kommun är sparad.").is_visible()
    row = page.get_by_role("row").filter(has_text="Askersunds kommun")
    assert "Betald" in row.inner_text()
    assert_accessible(page)
