import pytest

from tests.browser.harness import assert_accessible, login

ROLES = [
    ("kansli@demo.se", "Förbundschef/kansli"),
    ("styrelse@demo.se", "Ordförande"),
    ("ledamot@demo.se", "Styrelseledamot"),
    ("part@demo.se", "Partshandläggare"),
    ("part2@demo.se", "Partshandläggare"),
    ("revisor@demo.se", "Revisor"),
]


def test_login_page_is_accessible(page, live_demo):
    page.goto(f"{live_demo}/konto/login/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Logga in"
    assert_accessible(page)


def test_wrong_password_shows_the_error_next_to_the_form(page, live_demo):
    page.goto(f"{live_demo}/konto/login/")
    page.get_by_label("E-postadress").fill("kansli@demo.se")
    page.get_by_label("Lösenord").fill("fel-losenord")
    page.get_by_role("button", name="Logga in", exact=True).click()
    assert page.get_by_text("E-postadressen eller lösenordet stämmer inte.").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize(("email", "role_label"), ROLES)
def test_each_demo_role_logs_in_and_sees_its_start_page(page, live_demo, email, role_label):
    """Every demo login works at once and lands on an accessible start page naming the role."""
    login(page, live_demo, email)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
    assert role_label.lower() in page.locator("main").inner_text().lower()
    assert_accessible(page)
    # Every page in this role's menu opens and is accessible.
    hrefs = page.locator("nav[aria-label='Huvudmeny'] a").evaluate_all(
        "els => els.map(e => e.href)"
    )
    for href in hrefs:
        response = page.goto(href)
        assert response.status < 400, href
        assert_accessible(page)


def test_skip_link_moves_focus_to_main(page, live_demo):
    login(page, live_demo, "part@demo.se")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_kansli_creates_an_account(page, live_demo):
    login(page, live_demo, "kansli@demo.se")
    page.get_by_role("link", name="Konton", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Skapa konto").click()
    page.get_by_label("Namn").fill("Nina Ny")
    page.get_by_label("E-postadress").fill("nina@example.se")
    page.get_by_label("Partshandläggare för part").select_option(label="Kumla kommun")
    page.get_by_role("button", name="Skapa och skicka inbjudan").click()
    assert page.get_by_text("Kontot för Nina Ny är skapat").is_visible()
    assert page.get_by_role("cell", name="nina@example.se").is_visible()
    assert_accessible(page)


def test_kansli_must_set_up_mfa_before_anything_else(page, live_demo, settings):
    """With MFA demanded, the kansli reaches only the MFA pages until an authenticator is set up."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    settings.FINSAM_REQUIRE_MFA = True
    page.goto(f"{live_demo}/konto/login/")
    page.get_by_label("E-postadress").fill("kansli@demo.se")
    page.get_by_label("Lösenord").fill("finsam-demo")
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{live_demo}/konto/2fa/")
    assert_accessible(page)
    page.goto(f"{live_demo}/forbund/konton/")
    assert page.url == f"{live_demo}/konto/2fa/"

    page.goto(f"{live_demo}/konto/2fa/totp/activate/")
    # allauth asks for the password again before an authenticator is added.
    assert "/konto/reauthenticate/" in page.url
    assert_accessible(page)
    page.get_by_label("Lösenord").fill("finsam-demo")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_demo}/konto/2fa/totp/activate/")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.locator("input[name=code]").fill(code)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/activate/" not in url)
    page.goto(f"{live_demo}/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Välkommen")
