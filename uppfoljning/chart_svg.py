"""Building blocks of the follow-up's SVG charts: scales, text, patterns, markers, legends.

Every text that goes into the SVG passes through `svg_text` or `svg_open`, which escape it.
"""

import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString

from .rules import SUPPRESSED, suppress_breakdown, suppress_small

FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"
INK = "#1b1f24"
MUTED = "#4a5360"
GRID = "#c9d1d9"
# Contrast against white: 8.9, 5.6, 6.4, 7.6, 7.4, 7.7, 4.8 – all at least 4.5:1.
COLOURS = ("#0b4f6c", "#b34700", "#1e6b34", "#6a3d9a", "#a4161a", "#4a5360", "#8a5a00")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4")
LABEL_CHARS = 30
CHAR_WIDTH = 7.2  # average width of a 13 px DejaVu Sans character


@dataclass(frozen=True)
class Series:
    """One named row of figures, one value per label (None: no figure)."""

    name: str
    values: Sequence[int | float | None]


@dataclass(frozen=True)
class ChartFigure:
    """A chart with the same figures as a table, for templates/uppfoljning/includes/chart.html."""

    title: str
    svg: SafeString
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    public: bool = False
    unit: str = ""
    notes: list[str] = field(default_factory=list)


def format_value(value, unit: str = "") -> str:
    """Return a figure the Swedish way: `1 234`, `12,5`, `1 234 kr`; "–" for a hidden figure."""
    if value is None or value == SUPPRESSED:
        return SUPPRESSED
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", "\xa0")
    else:
        text = f"{int(value):,}".replace(",", "\xa0")
    if value < 0:
        text = "−" + text.lstrip("-")
    return f"{text}\xa0{unit}" if unit else text


def suppressed(values, public: bool, breakdown: bool = False) -> list:
    if breakdown:
        return suppress_breakdown(list(values), public)
    return [suppress_small(value, public) for value in values]


def as_number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def nice_step(value: float, count: int = 4) -> float:
    """Return a round tick step (1, 2 or 5 times a power of ten, at least 1) for about `count`
    steps up to `value`; figures are whole people or kronor, so no step is below 1."""
    raw = max(value, 1) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return max(step, 1)


def nice_max(value: float) -> float:
    """Return the axis maximum: the first multiple of the tick step at or above `value`."""
    step = nice_step(value)
    return max(math.ceil(value / step), 1) * step


def ticks(maximum: float) -> list[float]:
    step = nice_step(maximum)
    return [step * index for index in range(int(round(maximum / step)) + 1)]


def wrap(label: str, chars: int, lines: int = 2) -> list[str]:
    """Return `label` in at most `lines` lines of about `chars` characters, breaking at spaces
    and after slashes; what does not fit ends in "…"."""
    tokens = re.findall(r"[^\s/]+/?|/", label)
    result: list[str] = []
    current = ""
    for token in tokens:
        joiner = "" if not current or current.endswith("/") else " "
        if len(current) + len(joiner) + len(token) <= chars or not current:
            current += joiner + token
        else:
            result.append(current)
            current = token
    if current:
        result.append(current)
    result = [short(line, chars) for line in result] or [""]
    if len(result) > lines:
        result = result[: lines - 1] + [short(result[lines - 1] + " " + result[lines], chars)]
        if not result[-1].endswith("…"):
            result[-1] = short(result[-1], len(result[-1])).rstrip() + "…"
    return result


def svg_lines(x, y, lines: list[str], *, size=13, anchor="start", line_height=15) -> str:
    """Return a text of several lines, the first on `y`."""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if index == 0 else line_height}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{INK}" '
        f'text-anchor="{anchor}">{spans}</text>'
    )


def short(label: str, chars: int = LABEL_CHARS) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def make_chart_id(kind: str, title: str, payload) -> str:
    digest = hashlib.sha1(f"{kind}|{title}|{payload!r}".encode()).hexdigest()[:10]
    return f"chart-{digest}"


def svg_text(x, y, content, *, size=13, anchor="start", weight="normal", fill=INK, extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'font-weight="{weight}" fill="{fill}" text-anchor="{anchor}"{extra}>'
        f"{escape(str(content))}</text>"
    )


def svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def describe(kind: str, labels, series: Sequence[Series], shown, unit: str) -> str:
    """Return the text alternative: what the chart is, and its figures when they are few."""
    if len(series) == 1:
        head = f"{kind}."
    else:
        head = f"{kind} med {len(series)} serier: {', '.join(s.name for s in series)}."
    if len(labels) * len(series) > 24:
        return f"{head} Alla siffror finns i tabellen intill diagrammet."
    parts = []
    for item, values in zip(series, shown, strict=True):
        figures = "; ".join(
            f"{label}: {format_value(value, unit)}"
            for label, value in zip(labels, values, strict=True)
        )
        parts.append(figures if len(series) == 1 else f"{item.name} – {figures}")
    return f"{head} {'. '.join(parts)}."


def patterns(chart_id: str, count: int) -> str:
    """Return one <pattern> per series: plain, stripes, dots, lines, crosshatch, ... in colour."""
    shapes = (
        "",
        '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="2"/>',
        '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
        '<path d="M0,4 h8" stroke="#ffffff" stroke-width="2"/>',
        '<path d="M0,0 l8,8 M8,0 l-8,8" stroke="#ffffff" stroke-width="1.5"/>',
        '<path d="M4,0 v8" stroke="#ffffff" stroke-width="2"/>',
        '<path d="M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4" stroke="#ffffff" stroke-width="2"/>',
    )
    parts = ["<defs>"]
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        parts.append(
            f'<pattern id="{chart_id}-p{index}" patternUnits="userSpaceOnUse" width="8" height="8">'
            f'<rect width="8" height="8" fill="{colour}"/>{shapes[index % len(shapes)]}</pattern>'
        )
    parts.append("</defs>")
    return "".join(parts)


def legend_swatches(chart_id: str, series: Sequence[Series], x: float, y: float, width: float):
    """Return legend items (swatch with the series' pattern, then its name), wrapping lines."""
    parts, cursor_x, cursor_y = [], x, y
    for index, item in enumerate(series):
        item_width = 26 + len(short(item.name, 28)) * CHAR_WIDTH + 18
        if cursor_x > x and cursor_x + item_width > x + width:
            cursor_x, cursor_y = x, cursor_y + 22
        parts.append(
            f'<rect x="{cursor_x:.1f}" y="{cursor_y - 11:.1f}" width="16" height="16" '
            f'fill="url(#{chart_id}-p{index})" stroke="{INK}" stroke-width="1"/>'
        )
        parts.append(svg_text(cursor_x + 22, cursor_y + 2, short(item.name, 28)))
        cursor_x += item_width
    return parts, cursor_y + 22 - y


def segment(chart_id, index, x, y, width, height) -> str:
    # A white outline keeps neighbouring segments apart whatever their colours.
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
        f'fill="url(#{chart_id}-p{index})" stroke="#ffffff" stroke-width="1.5"/>'
    )


def value_badge(x, y, value) -> str:
    """Return a value on a white plate, readable on any segment colour or pattern."""
    text = format_value(value)
    plate = len(text) * CHAR_WIDTH + 6
    return (
        f'<rect x="{x - plate / 2:.1f}" y="{y - 9:.1f}" width="{plate:.1f}" height="18" rx="3" '
        f'fill="#ffffff"/>' + svg_text(x, y + 4.5, text, size=12, anchor="middle", weight="bold")
    )


def marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<path d="M{x:.1f},{y - 5.5:.1f} L{x + 5:.1f},{y + 4:.1f} L{x - 5:.1f},{y + 4:.1f} Z" '
            f'fill="{colour}"/>'
        )
    if shape == "diamond":
        return (
            f'<path d="M{x:.1f},{y - 5.5:.1f} L{x + 5.5:.1f},{y:.1f} L{x:.1f},{y + 5.5:.1f} '
            f'L{x - 5.5:.1f},{y:.1f} Z" fill="{colour}"/>'
        )
    return (
        f'<path d="M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x + 4:.1f},{y - 4:.1f} '
        f'L{x - 4:.1f},{y + 4:.1f}" stroke="{colour}" stroke-width="2.5"/>'
    )


def row_labels(labels: Sequence[str]) -> tuple[list[list[str]], float, int]:
    """Return wrapped labels for the rows of a horizontal chart, the left margin they need and
    the row height (taller when a label needs two lines)."""
    wrapped = [wrap(label, 28) for label in labels]
    longest = max([len(line) for lines in wrapped for line in lines] + [4])
    row = 40 if any(len(lines) > 1 for lines in wrapped) else 30
    return wrapped, min(longest * CHAR_WIDTH + 16, 230), row


def column_labels(labels: Sequence[str], slot: float) -> tuple[list[list[str]], int]:
    """Return wrapped labels under the columns of a vertical chart and the margin they need."""
    chars = max(int((slot - 6) / CHAR_WIDTH), 6)
    wrapped = [wrap(label, chars, 3) for label in labels]
    return wrapped, 14 + 15 * max([len(lines) for lines in wrapped] + [1]) + 6


def axis_margin(maximum: float) -> int:
    """Return the left margin that the longest tick label of a vertical axis needs."""
    return int(len(format_value(maximum)) * 6.8 + 16)
