"""The annual report as HTML and as PDF/A: plain functions, testable without Celery.

The document is rendered from the figures dict of `report_figures` alone, so a stored version can
be rendered again from what it was made from. The PDF is PDF/A-3b (archivable: fonts embedded,
XMP metadata) and tagged, so screen readers can navigate its headings. The font is DejaVu Sans
(free licence, Debian's fonts-dejavu-core). WeasyPrint may fetch nothing but data: URIs: the logo
is passed in as one, and nothing in a report can make the server reach out to a URL.
"""

import base64
import mimetypes

from django.template.loader import render_to_string
from django.utils import timezone

from .models import Forbund

PDF_VARIANT = "pdf/a-3b"
PDF_OPTIONS = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}


def logo_data_uri() -> str:
    """Return the förbund's logo as a data: URI, or "" when it has none or it can't be read."""
    forbund = Forbund.objects.first()
    if forbund is None or not forbund.logo:
        return ""
    content_type = mimetypes.guess_type(forbund.logo.name)[0] or ""
    if content_type not in {"image/png", "image/jpeg", "image/svg+xml"}:
        return ""
    try:
        with forbund.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _charts(figures: dict) -> dict:
    """Return the SVG charts the report shows, drawn by the follow-up app's chart functions."""
    from uppfoljning.charts import Series, bar_chart, chart_figure

    charts = {}
    by_kind = figures["insatser_by_kind"]
    labels = [row["label"] for row in by_kind]
    values = [row["running"] for row in by_kind]
    title = f"Insatser som pågick {figures['year']}, per typ"
    charts["insatser_by_kind"] = chart_figure(
        bar_chart(labels, values, title=title, width=560),
        labels,
        [Series("Insatser", values)],
        title=title,
        row_header="Typ av insats",
    )
    money = figures.get("money")
    if money and money["contributions"]:
        rows = [row for row in money["contributions"] if row["contribution_kr"] is not None]
        if rows:
            labels = [row["party"] for row in rows]
            values = [row["contribution_kr"] for row in rows]
            title = f"Medlemsbidrag {figures['year']} per part"
            charts["contributions"] = chart_figure(
                bar_chart(labels, values, title=title, unit="kr", width=560),
                labels,
                [Series("Medlemsbidrag", values)],
                title=title,
                row_header="Part",
                unit="kr",
            )
    followup = figures.get("followup") or {}
    for row in followup.get("charts", []):
        charts[row["key"]] = chart_figure(
            bar_chart(
                row["labels"], row["values"], title=row["title"], public=True, breakdown=True
            ),
            row["labels"],
            [Series(row["series"], row["values"])],
            title=row["title"],
            row_header=row["row_header"],
            public=True,
            breakdown=True,
        )
    return charts


def annual_report_html(figures: dict, *, version: int | None = None, made_at=None) -> str:
    """Return the annual report for the figures as a standalone HTML document."""
    made_at = made_at or timezone.localtime()
    return render_to_string(
        "forbund/reports/annual_report_document.html",
        {
            "f": figures,
            "year": figures["year"],
            "year_label": str(figures["year"]),
            "forbund": figures["forbund"],
            "money": figures.get("money"),
            "followup": figures.get("followup"),
            "charts": _charts(figures),
            "logo": logo_data_uri() if figures["forbund"].get("has_logo") else "",
            "version": version,
            "made_at": made_at,
        },
    )


def html_to_pdf(html: str) -> bytes:
    """Return the HTML as a tagged PDF/A document. WeasyPrint alone: what the bench compares."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)


def annual_report_pdf(figures: dict, *, version: int | None = None, made_at=None) -> bytes:
    return html_to_pdf(annual_report_html(figures, version=version, made_at=made_at))


def decision_letter_html(decision) -> str:
    """Return the letter (beslutsbrev) that tells the applicants of a decision in force."""
    return render_to_string(
        "forbund/reports/decision_letter.html",
        {
            "decision": decision,
            "application": decision.application,
            "forbund": Forbund.objects.first(),
        },
    )


def decision_letter_pdf(decision) -> bytes:
    return html_to_pdf(decision_letter_html(decision))
