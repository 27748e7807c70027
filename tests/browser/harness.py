"""Helpers for the browser journeys: log in as a demo role, check a page with axe-core."""

from axe_playwright_python.sync_playwright import Axe

DEMO_PASSWORD = "finsam-demo"
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

_axe = Axe()


def login(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and land on the start page."""
    page.goto(f"{base_url}/konto/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url(f"{base_url}/")


def logout(page) -> None:
    page.get_by_role("button", name="Logga ut").click()


def axe_violations(page) -> list[dict]:
    """Return axe-core's serious and critical WCAG 2.1 A/AA violations on the current page."""
    results = _axe.run(page, options=AXE_OPTIONS)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} – "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in violations
    )
