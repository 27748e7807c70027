"""The dashboards' charts: each one an SVG with the same figures as a table beside it.

Counts of people pass `public=` so a public view hides counts under 5; money is never hidden.
Shares (status after an ended insats) are hidden where the count behind them is.
"""

from insatser import rules as insats_rules

from . import rules
from .charts import Series, bar_chart, chart_figure, line_chart, stacked_bar_chart
from .selectors import KIND_LABELS, Dashboard, InsatsDashboard, YearFigures


def _bar(labels, values, *, title, row_header, column, public, breakdown=False, unit=""):
    """A bar chart of one series; `breakdown` when the bars are parts of a shown total."""
    svg = bar_chart(labels, values, title=title, public=public, breakdown=breakdown, unit=unit)
    if breakdown:
        return _breakdown_figure(svg, labels, values, title, row_header, column, public)
    return chart_figure(
        svg,
        labels,
        [Series(column, values)],
        title=title,
        row_header=row_header,
        public=public,
        unit=unit,
    )


def _breakdown_figure(svg, labels, values, title, row_header, column, public):
    figure = chart_figure(
        svg, labels, [Series(column, values)], title=title, row_header=row_header, public=public
    )
    if public:
        # Hide in the table exactly what the chart hides (a second part when one is hidden).
        shown = rules.suppress_breakdown(list(values), public)
        rows = [
            (label, [rules.SUPPRESSED if value == rules.SUPPRESSED else cells[0]])
            for (label, cells), value in zip(figure.rows, shown, strict=True)
        ]
        figure = type(figure)(**{**figure.__dict__, "rows": rows})
    return figure


def _shares(labels, counts, *, title, row_header, public):
    """A bar chart of shares (per cent) with the counts beside them in the table."""
    total = sum(counts)
    shown = rules.suppress_breakdown(counts, public)
    shares = [
        None if value == rules.SUPPRESSED else rules.share(count, total)
        for count, value in zip(counts, shown, strict=True)
    ]
    svg = bar_chart(labels, shares, title=title, unit="%", public=False)
    figure = chart_figure(
        svg,
        labels,
        [
            Series("Andel", shares),
            Series("Antal", [v if v != rules.SUPPRESSED else None for v in shown]),
        ],
        title=title,
        row_header=row_header,
        public=False,
    )
    rows = [
        (label, [f"{cells[0]}\xa0%" if cells[0] != rules.SUPPRESSED else cells[0], cells[1]])
        for label, cells in figure.rows
    ]
    notes = list(figure.notes)
    if public and rules.SUPPRESSED in shown:
        notes.append(
            "– = färre än 5 personer eller uppgift som annars kan räknas fram; visas inte."
        )
    return type(figure)(**{**figure.__dict__, "rows": rows, "notes": notes, "public": public})


def _category_values(categories, by_category):
    shown = [c for c in categories if c.active or by_category.get(c.pk)]
    return [c.label for c in shown], [by_category.get(c.pk, 0) for c in shown]


def breakdown_charts(categories, by_category: dict[int, int], when: str, public: bool) -> list:
    result = []
    titles = {
        "gender": ("Nya deltagare per kön", "Kön"),
        "age_group": ("Nya deltagare per åldersgrupp", "Åldersgrupp"),
        "support_at_start": ("Nya deltagare per huvudsaklig försörjning vid start", "Försörjning"),
    }
    for kind, (title, header) in titles.items():
        labels, values = _category_values(categories[kind], by_category)
        if labels:
            result.append(
                _bar(
                    labels,
                    values,
                    title=f"{title} {when}",
                    row_header=header,
                    column="Nya deltagare",
                    public=public,
                    breakdown=True,
                )
            )
    labels, values = _category_values(categories["status_after"], by_category)
    if labels:
        result.append(
            _shares(
                labels,
                values,
                title=f"Status efter avslutad insats {when}, andel av avslutade",
                row_header="Status",
                public=public,
            )
        )
    return result


def forbund_charts(dash: Dashboard) -> dict[str, list]:
    """Return the förbund dashboard's charts by section."""
    public = dash.filters.public
    when = str(dash.filters.year) if dash.filters.year else "alla år"
    kinds = list(KIND_LABELS)
    sections: dict[str, list] = {}
    sections["insatser"] = [
        _bar(
            [KIND_LABELS[k] for k in kinds],
            [dash.insatser_by_kind.get(k, 0) for k in kinds],
            title=f"Insatser per typ {when}",
            row_header="Typ av insats",
            column="Insatser",
            public=False,
        )
    ]
    total: YearFigures = dash.total
    flow_labels = ["Nya", "Avslutade", "Pågående vid periodens slut"]
    sections["deltagare"] = [
        _bar(
            flow_labels,
            [total.new, total.ended, total.running],
            title=f"Deltagare i individinriktade insatser {when}",
            row_header="Deltagare",
            column="Antal",
            public=public,
        ),
        *breakdown_charts(dash.categories, total.by_category, when, public),
    ]
    years = [str(year) for year in dash.years]
    over_years = []
    if years:
        series = [
            Series("Nya", [dash.by_year.get(y, YearFigures()).new for y in dash.years]),
            Series("Avslutade", [dash.by_year.get(y, YearFigures()).ended for y in dash.years]),
            Series(
                "Pågående vid årets slut",
                [dash.by_year.get(y, YearFigures()).running for y in dash.years],
            ),
        ]
        title = "Deltagare per år"
        over_years.append(
            chart_figure(
                line_chart(years, series, title=title, public=public),
                years,
                series,
                title=title,
                row_header="År",
                public=public,
            )
        )
        genders = [c for c in dash.categories["gender"]]
        series = [
            Series(
                c.label,
                [dash.by_year.get(y, YearFigures()).by_category.get(c.pk, 0) for y in dash.years],
            )
            for c in genders
        ]
        title = "Nya deltagare per kön och år"
        over_years.append(
            chart_figure(
                stacked_bar_chart(years, series, title=title, public=public, horizontal=False),
                years,
                series,
                title=title,
                row_header="År",
                public=public,
                breakdown=True,
            )
        )
        per_participant = []
        for y in dash.years:
            figures = dash.by_year.get(y, YearFigures())
            value = rules.per_participant(figures.cost_kr, figures.served)
            if public and figures.served < rules.PUBLIC_MINIMUM:
                value = None
            per_participant.append(value)
        title = "Kostnad per deltagare och år, individinriktade insatser"
        over_years.append(
            chart_figure(
                bar_chart(years, per_participant, title=title, unit="kr", horizontal=False),
                years,
                [Series("Kostnad per deltagare", per_participant)],
                title=title,
                row_header="År",
                unit="kr",
            )
        )
        money = [
            Series("Beviljat", [dash.budget_by_year.get(y, 0) for y in dash.years]),
            Series("Utfall", [dash.outcome_by_year.get(y, 0) for y in dash.years]),
        ]
        title = "Budget (beviljat) och utfall per år"
        over_years.append(
            chart_figure(
                line_chart(years, money, title=title, unit="kr"),
                years,
                money,
                title=title,
                row_header="År",
                unit="kr",
            )
        )
    sections["over_years"] = over_years
    return sections


def insats_charts(dash: InsatsDashboard, public: bool) -> list:
    """Return an insats's charts over its approved periods."""
    labels = [report.period.label for report in dash.reports]
    result = []
    if not labels:
        return result
    if dash.insats.kind == insats_rules.INDIVIDUAL:
        series = [
            Series("Vid start", [r.participants_start for r in dash.reports]),
            Series("Nya", [r.participants_new for r in dash.reports]),
            Series("Avslutade", [r.participants_ended for r in dash.reports]),
            Series("Vid slut", [r.participants_end for r in dash.reports]),
        ]
        title = "Deltagare per period"
        result.append(
            chart_figure(
                line_chart(labels, series, title=title, public=public),
                labels,
                series,
                title=title,
                row_header="Period",
                public=public,
            )
        )
        genders = dash.categories["gender"]
        series = [
            Series(c.label, [dash.counts.get(r.pk, {}).get(c.pk, 0) for r in dash.reports])
            for c in genders
        ]
        title = "Nya deltagare per kön och period"
        result.append(
            chart_figure(
                stacked_bar_chart(labels, series, title=title, public=public),
                labels,
                series,
                title=title,
                row_header="Period",
                public=public,
                breakdown=True,
            )
        )
        totals: dict[int, int] = {}
        for by_category in dash.counts.values():
            for category_id, value in by_category.items():
                totals[category_id] = totals.get(category_id, 0) + value
        result += breakdown_charts(dash.categories, totals, "alla perioder", public)
    else:
        activity_counts = [dash.activities.get(r.pk, (0, 0))[0] for r in dash.reports]
        hours = [round(dash.activities.get(r.pk, (0, 0))[1] / 60, 1) for r in dash.reports]
        series = [Series("Aktiviteter", activity_counts), Series("Timmar", hours)]
        title = "Aktiviteter och timmar per period"
        result.append(
            chart_figure(
                line_chart(labels, series, title=title),
                labels,
                series,
                title=title,
                row_header="Period",
            )
        )
        if dash.attendance:
            parties = [name for name, _n in dash.attendance]
            values = [n for _name, n in dash.attendance]
            result.append(
                _bar(
                    parties,
                    values,
                    title="Deltagare i aktiviteterna per part, alla perioder",
                    row_header="Part",
                    column="Deltagare",
                    public=public,
                )
            )
    costs = [dash.costs.get(r.pk, 0) for r in dash.reports]
    title = "Utfall per period"
    result.append(
        chart_figure(
            bar_chart(labels, costs, title=title, unit="kr", horizontal=False),
            labels,
            [Series("Utfall", costs)],
            title=title,
            row_header="Period",
            unit="kr",
        )
    )
    return result
