"""Journeys through the annual report and the auditors' page, with axe-core on every page."""

import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.harness import assert_accessible, login, logout

pytestmark = pytest.mark.browser


def _download(page, link) -> bytes:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as handle:
        return handle.read()


def test_kansli_makes_the_report_and_the_auditor_downloads_it(page, live_demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = timezone.localdate().year - 1

    login(page, live_demo, "kansli@demo.se")
    page.get_by_role("link", name="Årsrapport", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsrapport")
    assert_accessible(page)
    page.get_by_label("År", exact=True).select_option(str(year))
    page.get_by_role("button", name="Gör årsrapporten").click()
    expect(page.get_by_text(f"Årsrapporten för {year} (version 1) är beställd")).to_be_visible()
    report_link = page.get_by_role("link", name=f"Ladda ner arsrapport-{year}-v1.pdf")
    expect(report_link).to_be_visible(timeout=60_000)
    expect(page.locator(".status", has_text="Klar")).to_be_visible()
    assert_accessible(page)
    assert _download(page, report_link).startswith(b"%PDF")

    page.get_by_role("link", name="Revision", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Gör revisionspaket för {year}").click()
    expect(page.get_by_text(f"Revisionspaketet för {year} (version 1) är beställt")).to_be_visible()
    expect(page.get_by_role("link", name=f"Ladda ner revisionspaket-{year}-v1.zip")).to_be_visible(
        timeout=120_000
    )
    assert_accessible(page)
    logout(page)

    login(page, live_demo, "revisor@demo.se")
    page.get_by_role("link", name="Revision", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revision")
    assert_accessible(page)
    pdf = _download(page, page.get_by_role("link", name=f"Ladda ner arsrapport-{year}-v1.pdf"))
    assert pdf.startswith(b"%PDF")
    package = tmp_path / "paket.zip"
    package.write_bytes(
        _download(page, page.get_by_role("link", name=f"Ladda ner revisionspaket-{year}-v1.zip"))
    )
    names = zipfile.ZipFile(package).namelist()
    assert f"revisionspaket-{year}/arsrapport-{year}-v1.pdf" in names
    assert any(re.search(r"/export/beslut-\d{4}\.xlsx$", name) for name in names)
    expect(page.get_by_role("button", name=re.compile("Gör revisionspaket"))).to_have_count(0)
