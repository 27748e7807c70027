"""Journeys through the follow-up's kansli pages, with axe-core on every page."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from tests.browser.harness import assert_accessible, login
from uppfoljning.charts import Series, bar_chart, chart_figure, line_chart, stacked_bar_chart
from uppfoljning.models import Category, FollowUpSettings

pytestmark = pytest.mark.browser


def test_kansli_opens_the_category_lists_and_edits_one(page, live_demo):
    login(page, live_demo, "kansli@demo.se")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    assert_accessible(page)
    page.get_by_role("link", name="Kategorier och rapportperioder").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Uppföljning")
    assert page.get_by_role("heading", name="Kön", exact=True).is_visible()
    assert page.get_by_role("rowheader", name="Annat/uppgift saknas", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ändra Annat/uppgift saknas").click()
    assert_accessible(page)
    page.get_by_label("Benämning").fill("Annat kön/uppgift saknas")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text("Kategorin ”Annat kön/uppgift saknas” är sparad.").is_visible()
    assert Category.objects.filter(kind="gender", label="Annat kön/uppgift saknas").exists()


def test_kansli_is_told_why_a_personnummer_is_refused_and_then_adds_the_category(page, live_demo):
    login(page, live_demo, "kansli@demo.se")
    page.goto(f"{live_demo}/uppfoljning/kategorier/")
    page.get_by_role("link", name="Lägg till kategori i listan typ av aktivitet").click()
    page.get_by_label("Benämning").fill("Studiebesök 811218-9876")
    page.get_by_role("button", name="Lägg till").click()
    field = page.get_by_label("Benämning")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.get_by_text("personnummer eller samordningsnummer (811218-XXXX)").is_visible()
    assert_accessible(page)
    field.fill("Studiebesök")
    page.get_by_role("button", name="Lägg till").click()
    assert page.get_by_text("Kategorin ”Studiebesök” är tillagd.").is_visible()
    assert page.get_by_role("rowheader", name="Studiebesök", exact=True).is_visible()


def test_kansli_switches_to_monthly_periods(page, live_demo):
    """Refused while this year's reports use tertials; allowed once there are none."""
    from uppfoljning.models import PeriodReport

    login(page, live_demo, "kansli@demo.se")
    page.goto(f"{live_demo}/uppfoljning/kategorier/")
    page.get_by_role("link", name="Ändra rapportperiod").click()
    assert_accessible(page)
    page.get_by_label("Rapportperiod").select_option(label="Månad")
    page.get_by_role("button", name="Spara").click()
    year = timezone.localdate().year
    assert page.get_by_text("Byt rapportperiod inför ett nytt år").is_visible()
    assert_accessible(page)
    assert FollowUpSettings.load().period_length == "tertial"

    PeriodReport.objects.filter(year=year).delete()
    page.get_by_label("Rapportperiod").select_option(label="Månad")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text(f"januari {year}, februari {year}, mars {year}").is_visible()
    assert FollowUpSettings.load().period_length == "month"


def test_party_staff_do_not_reach_the_category_pages(page, live_demo):
    login(page, live_demo, "part@demo.se")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    assert page.get_by_role("link", name="Kategorier och rapportperioder").count() == 0
    response = page.goto(f"{live_demo}/uppfoljning/kategorier/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Ingen behörighet").is_visible()


def test_charts_with_their_tables_pass_axe(page, live_demo):
    """Every kind of chart, in the include that puts the figures beside it, is accessible."""
    labels = ["Kvinna", "Man", "Annat/uppgift saknas"]
    status = [Series("Arbete", [5, 7, 9]), Series("Studier", [8, 3, 6])]
    periods = ["T1 2026", "T2 2026", "T3 2026"]
    figures = [
        chart_figure(
            bar_chart(labels, [34, 27, 3], title="Nya deltagare per kön", public=True),
            labels,
            [Series("Nya deltagare", [34, 27, 3])],
            title="Nya deltagare per kön",
            row_header="Kön",
            public=True,
        ),
        chart_figure(
            stacked_bar_chart(
                ["2025", "2026"], [Series(s.name, s.values[:2]) for s in status], title="Status"
            ),
            ["2025", "2026"],
            [Series(s.name, s.values[:2]) for s in status],
            title="Status efter avslutad insats",
            row_header="År",
        ),
        chart_figure(
            line_chart(periods, status, title="Per tertial"),
            periods,
            status,
            title="Avslutade per tertial",
            row_header="Period",
        ),
    ]
    body = "".join(
        render_to_string("uppfoljning/includes/chart.html", {"chart": figure}) for figure in figures
    )
    page.goto(f"{live_demo}/konto/login/")  # a page of the site, so the stylesheet loads
    page.set_content(
        "<!DOCTYPE html><html lang='sv'><head><title>Diagram</title>"
        f"<link rel='stylesheet' href='{live_demo}/static/css/finsam.css'></head>"
        f"<body><main><h1>Diagram</h1>{body}</main></body></html>"
    )
    assert page.get_by_role("img", name="Nya deltagare per kön").is_visible()
    assert page.get_by_role("table").count() == 3
    assert_accessible(page)


# --- Period reports ------------------------------------------------------------------------------

INSATS = "Vägen vidare – samordnat stöd i Kumla"


def _fill(page, label, value):
    page.get_by_label(label).fill(str(value))


def test_party_staff_fill_in_a_report_fix_a_wrong_sum_and_the_kansli_approves_it(page, live_demo):
    """The lead party's staff start the current period, submit with one wrong sum, read which
    breakdown disagrees, fix it and submit; the kansli approves; the dashboard counts it."""
    from uppfoljning.models import PeriodReport

    login(page, live_demo, "part@demo.se")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    assert_accessible(page)
    page.get_by_role("link", name=INSATS).click()
    assert_accessible(page)
    current = PeriodReport.objects.filter(insats__title=INSATS).order_by("-starts_on").first()
    start_of_current = current.participants_end  # the last reported period's end
    page.get_by_role("button", name="Börja fylla i").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Periodrapport")
    assert_accessible(page)
    _fill(page, "Nya deltagare", 7)
    _fill(page, "Avslutade deltagare", 0)
    _fill(page, "Deltagare vid periodens slut", start_of_current + 7)
    _fill(page, "Kvinna", 4)
    _fill(page, "Man", 2)  # one short: 4 + 2 = 6, not 7
    _fill(page, "Annat/uppgift saknas", 0)
    _fill(page, "16–24 år", 7)
    _fill(page, "A-kassa/aktivitetsstöd", 7)
    _fill(page, "Personal (kr)", 150000)
    page.get_by_role("button", name="Spara och skicka in").click()
    alert = page.get_by_role("alert").filter(has_text="Det här behöver rättas")
    assert "Nya deltagare per kön: Kvinna 4 + Man 2 + Annat/uppgift saknas 0 = 6" in (
        alert.inner_text()
    )
    assert_accessible(page)
    _fill(page, "Man", 3)
    page.get_by_role("button", name="Spara och skicka in").click()
    assert page.get_by_text("är inskickad till kansliet").is_visible()
    assert_accessible(page)
    report = PeriodReport.objects.filter(insats__title=INSATS).order_by("-starts_on").first()
    assert report.status == "inskickad" and report.participants_new == 7

    page.get_by_role("button", name="Logga ut").click()
    login(page, live_demo, "kansli@demo.se")
    page.goto(f"{live_demo}/uppfoljning/")
    assert_accessible(page)
    page.goto(f"{live_demo}/uppfoljning/rapport/{report.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Godkänn").click()
    assert page.get_by_text(f"Rapporten för {report.period.label} är godkänd.").is_visible()
    report.refresh_from_db()
    assert report.status == "godkand"

    page.goto(f"{live_demo}/uppfoljning/oversikt/?ar={report.year}&part=&typ=individinriktad")
    assert_accessible(page)
    from uppfoljning.selectors import Filters, dashboard

    expected = dashboard(Filters(year=report.year, kind="individinriktad")).total.new
    key = page.locator(".key-figures div").filter(has_text="Nya deltagare")
    assert key.locator("dd").inner_text().replace("\xa0", "").replace(" ", "") == str(expected)
    assert page.get_by_role("img", name=f"Nya deltagare per kön {report.year}").is_visible()


def test_an_import_with_a_bad_row_is_refused_whole(page, live_demo, tmp_path):
    """The preview names the bad row in Swedish and nothing is imported."""
    from insatser.models import Insats
    from uppfoljning.models import PeriodReport
    from uppfoljning.resources import template_dataset

    insats = Insats.objects.get(title=INSATS)
    before = PeriodReport.objects.count()
    dataset = template_dataset()
    blank = dict.fromkeys(dataset.headers, "")
    good = blank | {"Dnr": insats.case_number, "Period": "2020-T1"}
    bad = blank | {"Dnr": "1999-001", "Period": "2026-T1"}
    dataset.append([good[h] for h in dataset.headers])
    dataset.append([bad[h] for h in dataset.headers])
    path = tmp_path / "perioder.csv"
    path.write_text(dataset.export("csv"), encoding="utf-8")

    login(page, live_demo, "kansli@demo.se")
    page.goto(f"{live_demo}/uppfoljning/import/")
    assert_accessible(page)
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(path))
    page.get_by_role("button", name="Förhandsgranska").click()
    alert = page.get_by_role("alert")
    assert "Filen kan inte importeras" in alert.inner_text()
    assert "Rad 3: Det finns ingen insats med diarienummer 1999-001." in alert.inner_text()
    assert "Rad 2: Insatsen pågår inte under T1 2020" in alert.inner_text()
    assert page.get_by_role("button", name="Importera").count() == 0
    assert_accessible(page)
    assert PeriodReport.objects.count() == before
