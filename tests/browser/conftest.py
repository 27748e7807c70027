"""Browser harness: the app on a free port (pytest-django's live server) and Debian's Chromium.

Run alone with `make browser-test`. Without Chromium the tests skip (fail in CI).
"""

import os
import shutil

import pytest

from tests.conftest import skip_or_fail

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        skip_or_fail("Chromium behövs för webbläsartesterna (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # axe-core is injected by the test driver, so the page's CSP must not block it.
    context = browser.new_context(locale="sv-SE", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript-fel på sidan: {errors}"


@pytest.fixture
def live_demo(live_server, transactional_db, settings):
    """The live server's URL with the demo förbund loaded and MFA not demanded, as in `make run`."""
    from django.core.management import call_command

    settings.FINSAM_REQUIRE_MFA = False
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    return live_server.url
