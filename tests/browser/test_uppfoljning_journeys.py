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
    login(page, live_demo, "kansli@demo.se")
    page.goto(f"{live_demo}/uppfoljning/kategorier/")
    page.get_by_role("link", name="Ändra rapportperiod").click()
    assert_accessible(page)
    page.get_by_label("Rapportperiod").select_option(label="Månad")
    page.get_by_role("button", name="Spara").click()
    year = timezone.localdate().year
    assert page.get_by_text(f"januari {year}, februari {year}, mars {year}").is_visible()
    assert FollowUpSettings.load().period_length == "month"


def test_party_staff_do_not_reach_the_category_pages(page, live_demo):
    login(page, live_demo, "part@demo.se")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    assert menu.get_by_role("link", name="Uppföljning").count() == 0
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
