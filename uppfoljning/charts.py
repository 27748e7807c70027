"""Charts drawn on the server as inline SVG, for web pages and for WeasyPrint PDFs alike.

Each function returns a safe `<svg>` string: no JavaScript, no external fonts or files, fixed
coordinates in a viewBox. Every chart

* has role="img" with a <title> and a <desc> (the text alternative, listing the figures when they
  are few), and is meant to be shown with the same figures as a table beside it (see
  `chart_figure` and templates/uppfoljning/includes/chart.html);
* uses colours with at least 4.5:1 contrast against white, and never colour alone: single series
  carry their values as labels, stacked bars carry a pattern per series, lines carry a dash
  pattern and a marker shape per series, and legends repeat the pattern or marker;
* with public=True shows counts under 5 as "–" (see `rules.suppress_small`), never as bars.
"""

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from . import chart_svg as draw
from .chart_svg import (
    CHAR_WIDTH,
    COLOURS,
    DASHES,
    GRID,
    INK,
    MARKERS,
    MUTED,
    ChartFigure,
    Series,
    format_value,
)
from .rules import SUPPRESSED

__all__ = [
    "ChartFigure",
    "Series",
    "bar_chart",
    "chart_figure",
    "format_value",
    "line_chart",
    "stacked_bar_chart",
]


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int | float | None],
    *,
    title: str,
    description: str | None = None,
    horizontal: bool = True,
    unit: str = "",
    public: bool = False,
    breakdown: bool = False,
    chart_id: str | None = None,
    width: int = 640,
) -> SafeString:
    """Return a bar chart of one series, each bar labelled with its value.

    Pass breakdown=True when the bars are the parts of a total shown elsewhere (new participants
    by kön), so a public chart hides a second part rather than let a hidden one be worked out.
    """
    labels = [str(label) for label in labels]
    shown = draw.suppressed(values, public, breakdown=breakdown)
    chart_id = chart_id or draw.make_chart_id(
        "bar", title, (labels, list(values), public, breakdown, horizontal)
    )
    if description is None:
        kind = "Liggande stapeldiagram" if horizontal else "Stående stapeldiagram"
        description = draw.describe(kind, labels, [Series(title, values)], [shown], unit)
    maximum = draw.nice_max(max([draw.as_number(v) for v in shown] + [0]))
    if horizontal:
        return _horizontal_bars(chart_id, labels, shown, title, description, unit, maximum, width)
    return _vertical_bars(chart_id, labels, shown, title, description, unit, maximum, width)


def _horizontal_bars(chart_id, labels, shown, title, description, unit, maximum, width):
    wrapped, left, row = draw.row_labels(labels)
    right, top = 100, 16
    plot = width - left - right
    height = int(top + row * len(labels) + 34)
    parts = draw.svg_open(chart_id, width, height, title, description)
    bottom = top + row * len(labels)
    for tick in draw.ticks(maximum):
        x = left + plot * tick / maximum
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(
            draw.svg_text(x, bottom + 18, format_value(tick), size=12, anchor="middle", fill=MUTED)
        )
    for index, value in enumerate(shown):
        y = top + row * index
        first = y + row / 2 + 4.5 - 7.5 * (len(wrapped[index]) - 1)
        parts.append(draw.svg_lines(left - 8, first, wrapped[index], anchor="end"))
        length = plot * draw.as_number(value) / maximum
        if length > 0:
            parts.append(
                f'<rect x="{left}" y="{y + 6}" width="{length:.1f}" height="{row - 12}" '
                f'fill="{COLOURS[0]}"/>'
            )
        parts.append(
            draw.svg_text(
                left + length + 6, y + row / 2 + 4.5, format_value(value, unit), weight="bold"
            )
        )
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{INK}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 – every text is escaped above


def _vertical_bars(chart_id, labels, shown, title, description, unit, maximum, width):
    left, right, top = draw.axis_margin(maximum), 16, 28
    plot = width - left - right
    slot = plot / max(len(labels), 1)
    wrapped, bottom_margin = draw.column_labels(labels, slot)
    plot_height = 220
    height = top + plot_height + bottom_margin
    bottom = top + plot_height
    parts = draw.svg_open(chart_id, width, height, title, description)
    for tick in draw.ticks(maximum):
        y = bottom - plot_height * tick / maximum
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            draw.svg_text(left - 8, y + 4, format_value(tick), size=12, anchor="end", fill=MUTED)
        )
    bar = min(slot * 0.6, 80)
    for index, value in enumerate(shown):
        centre = left + slot * (index + 0.5)
        length = plot_height * draw.as_number(value) / maximum
        if length > 0:
            parts.append(
                f'<rect x="{centre - bar / 2:.1f}" y="{bottom - length:.1f}" width="{bar:.1f}" '
                f'height="{length:.1f}" fill="{COLOURS[0]}"/>'
            )
        parts.append(
            draw.svg_text(
                centre,
                bottom - length - 6,
                format_value(value, unit),
                anchor="middle",
                weight="bold",
            )
        )
        parts.append(draw.svg_lines(centre, bottom + 20, wrapped[index], anchor="middle"))
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="{INK}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 – every text is escaped above


def stacked_bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str | None = None,
    horizontal: bool = True,
    unit: str = "",
    public: bool = False,
    chart_id: str | None = None,
    width: int = 640,
) -> SafeString:
    """Return bars split into one patterned segment per series, with a legend.

    Segments wide enough carry their value; hidden counts (public) are left out of the bar.
    """
    labels = [str(label) for label in labels]
    # Suppress per bar (a bar is a breakdown of its total), then turn back into per-series rows.
    per_bar = [
        draw.suppressed([item.values[index] for item in series], public, breakdown=True)
        for index in range(len(labels))
    ]
    shown = [[per_bar[bar][index] for bar in range(len(labels))] for index in range(len(series))]
    chart_id = chart_id or draw.make_chart_id(
        "stacked", title, (labels, [(s.name, list(s.values)) for s in series], public, horizontal)
    )
    if description is None:
        kind = "Liggande staplat stapeldiagram" if horizontal else "Stående staplat stapeldiagram"
        description = draw.describe(kind, labels, series, shown, unit)
    totals = [sum(draw.as_number(value) for value in bar) for bar in per_bar]
    maximum = draw.nice_max(max(totals + [0]))
    legend, legend_height = draw.legend_swatches(chart_id, series, 16, 22, width - 32)
    layout = _stacked_rows if horizontal else _stacked_columns
    parts, height = layout(chart_id, labels, per_bar, maximum, 22 + legend_height, width)
    head = draw.svg_open(chart_id, width, int(height), title, description)
    return mark_safe(  # noqa: S308 – every text is escaped
        "".join([*head, draw.patterns(chart_id, len(series)), *legend, *parts, "</svg>"])
    )


def _stacked_rows(chart_id, labels, per_bar, maximum, top, width) -> tuple[list[str], float]:
    wrapped, left, row = draw.row_labels(labels)
    row += 4
    plot = width - left - 24
    bottom = top + row * len(labels)
    parts = []
    for tick in draw.ticks(maximum):
        x = left + plot * tick / maximum
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(
            draw.svg_text(x, bottom + 18, format_value(tick), size=12, anchor="middle", fill=MUTED)
        )
    for bar, lines in enumerate(wrapped):
        y, x = top + row * bar, float(left)
        first = y + row / 2 + 4.5 - 7.5 * (len(lines) - 1)
        parts.append(draw.svg_lines(left - 8, first, lines, anchor="end"))
        for index, value in enumerate(per_bar[bar]):
            length = plot * draw.as_number(value) / maximum
            if length <= 0:
                continue
            parts.append(draw.segment(chart_id, index, x, y + 5, length, row - 10))
            if length >= len(format_value(value)) * CHAR_WIDTH + 8:
                parts.append(draw.value_badge(x + length / 2, y + row / 2, value))
            x += length
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="{INK}"/>')
    return parts, bottom + 34


def _stacked_columns(chart_id, labels, per_bar, maximum, top, width) -> tuple[list[str], float]:
    left, plot_height = draw.axis_margin(maximum), 220
    plot = width - left - 16
    slot = plot / max(len(labels), 1)
    wrapped, bottom_margin = draw.column_labels(labels, slot)
    bottom = top + plot_height
    parts = []
    for tick in draw.ticks(maximum):
        y = bottom - plot_height * tick / maximum
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            draw.svg_text(left - 8, y + 4, format_value(tick), size=12, anchor="end", fill=MUTED)
        )
    bar_width = min(slot * 0.6, 80)
    for bar, lines in enumerate(wrapped):
        x = left + slot * (bar + 0.5) - bar_width / 2
        y = float(bottom)
        for index, value in enumerate(per_bar[bar]):
            length = plot_height * draw.as_number(value) / maximum
            if length <= 0:
                continue
            y -= length
            parts.append(draw.segment(chart_id, index, x, y, bar_width, length))
            if length >= 18 and bar_width >= len(format_value(value)) * CHAR_WIDTH + 6:
                parts.append(draw.value_badge(x + bar_width / 2, y + length / 2, value))
        parts.append(draw.svg_lines(x + bar_width / 2, bottom + 20, lines, anchor="middle"))
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - 16}" y2="{bottom}" stroke="{INK}"/>'
    )
    return parts, bottom + bottom_margin


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    description: str | None = None,
    unit: str = "",
    public: bool = False,
    chart_id: str | None = None,
    width: int = 640,
) -> SafeString:
    """Return one line per series over `labels` (periods or years), each with its own dash
    pattern and marker shape; a missing or hidden figure breaks the line."""
    labels = [str(label) for label in labels]
    shown = [draw.suppressed(item.values, public) for item in series]
    chart_id = chart_id or draw.make_chart_id(
        "line", title, (labels, [(s.name, list(s.values)) for s in series], public)
    )
    if description is None:
        description = draw.describe("Linjediagram", labels, series, shown, unit)
    maximum = draw.nice_max(max([draw.as_number(v) for values in shown for v in values] + [0]))
    left, right, plot_height = draw.axis_margin(maximum), 30, 220
    legend_parts, cursor_x, cursor_y = [], 16.0, 22.0
    for index, item in enumerate(series):
        colour, name = COLOURS[index % len(COLOURS)], draw.short(item.name, 28)
        item_width = 44 + len(name) * CHAR_WIDTH + 18
        if cursor_x > 16 and cursor_x + item_width > width - 16:
            cursor_x, cursor_y = 16.0, cursor_y + 22
        dash = DASHES[index % len(DASHES)]
        legend_parts.append(
            f'<line x1="{cursor_x:.1f}" y1="{cursor_y - 4:.1f}" x2="{cursor_x + 36:.1f}" '
            f'y2="{cursor_y - 4:.1f}" stroke="{colour}" stroke-width="2.5"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        legend_parts.append(
            draw.marker(MARKERS[index % len(MARKERS)], cursor_x + 18, cursor_y - 4, colour)
        )
        legend_parts.append(draw.svg_text(cursor_x + 44, cursor_y + 1, name))
        cursor_x += item_width
    top = cursor_y + 22
    bottom = top + plot_height
    plot = width - left - right
    step = plot / max(len(labels) - 1, 1)
    every = max(1, int(len(labels) * 60 // plot) + 1)  # thin out labels that would collide
    height = int(bottom + 34)
    parts = draw.svg_open(chart_id, width, height, title, description) + legend_parts
    for tick in draw.ticks(maximum):
        y = bottom - plot_height * tick / maximum
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(
            draw.svg_text(left - 8, y + 4, format_value(tick), size=12, anchor="end", fill=MUTED)
        )
    for position, label in enumerate(labels):
        if position % every == 0:
            x = left + step * position if len(labels) > 1 else left + plot / 2
            parts.append(
                draw.svg_text(x, bottom + 20, draw.short(label, 14), size=12, anchor="middle")
            )
    for index, values in enumerate(shown):
        colour, dash = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        points, runs = [], [[]]
        for position, value in enumerate(values):
            x = left + step * position if len(labels) > 1 else left + plot / 2
            if not isinstance(value, int | float):
                runs.append([])
                continue
            y = bottom - plot_height * draw.as_number(value) / maximum
            runs[-1].append((x, y))
            points.append((x, y))
        for run in runs:
            if len(run) > 1:
                path = " ".join(
                    f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(run)
                )
                parts.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>"
                )
        parts.extend(draw.marker(MARKERS[index % len(MARKERS)], x, y, colour) for x, y in points)
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{width - right}" y2="{bottom}" stroke="{INK}"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 – every text is escaped above


def chart_figure(
    svg: SafeString,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    row_header: str,
    unit: str = "",
    public: bool = False,
    breakdown: bool = False,
) -> ChartFigure:
    """Return the chart with its figures as table rows (one row per label, one column per
    series), suppressed the same way as the chart when meant for the public.

    Pass breakdown=True when each row is a breakdown of a shown total (as in a stacked bar).
    """
    if breakdown:
        per_row = [
            draw.suppressed([item.values[index] for item in series], public, breakdown=True)
            for index in range(len(labels))
        ]
    else:
        columns = [draw.suppressed(item.values, public) for item in series]
        per_row = [[column[index] for column in columns] for index in range(len(labels))]
    rows = [
        (str(label), [format_value(value, unit) for value in values])
        for label, values in zip(labels, per_row, strict=True)
    ]
    notes = []
    if public and any(SUPPRESSED in cells for _label, cells in rows):
        notes.append(
            "– = färre än 5 personer eller uppgift som annars kan räknas fram; visas inte."
        )
    return ChartFigure(
        title=title,
        svg=svg,
        row_header=row_header,
        columns=[item.name for item in series],
        rows=rows,
        public=public,
        unit=unit,
        notes=notes,
    )
