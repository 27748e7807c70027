import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from hypothesis import given
from hypothesis import strategies as st

from uppfoljning import chart_svg
from uppfoljning.charts import Series, bar_chart, chart_figure, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"
GENDER = ["Kvinna", "Man", "Annat/uppgift saknas"]
STATUS = [
    Series("Arbete, osubventionerat", [5, 7, 9]),
    Series("Studier", [8, 3, 6]),
    Series("Aktivt arbetssökande", [12, 15, 4]),
    Series("Annat/okänt", [6, 0, 7]),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def all_charts(public=False):
    return [
        bar_chart(GENDER, [34, 27, 3], title="Nya deltagare per kön", public=public),
        bar_chart(GENDER, [34, 27, 3], title="Stående", horizontal=False, public=public),
        stacked_bar_chart(["2024", "2025", "2026"], STATUS, title="Status", public=public),
        stacked_bar_chart(
            ["2024", "2025", "2026"], STATUS, title="Status", horizontal=False, public=public
        ),
        line_chart(["T1 2026", "T2 2026", "T3 2026"], STATUS, title="Per tertial", public=public),
    ]


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_with_white(colour: str) -> float:
    return 1.05 / (luminance(colour) + 0.05)


@pytest.mark.parametrize("index", range(5))
def test_every_chart_is_an_image_with_a_title_and_a_text_alternative(index):
    svg = all_charts()[index]
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text
    assert len(root.find(f"{SVG}desc").text) > 20
    assert root.get("viewBox").startswith("0 0 ")


@pytest.mark.parametrize("index", range(5))
def test_charts_need_nothing_from_outside(index):
    """No script, no inline style (the CSP forbids it), no external file or font."""
    svg = str(all_charts()[index])
    assert "<script" not in svg
    assert "style=" not in svg
    assert "@font-face" not in svg
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert set(re.findall(r"url\(([^)]*)\)", svg)) <= {
        f"#{e.get('id')}" for e in parse(svg).iter(f"{SVG}pattern")
    }


def test_text_alternative_lists_the_figures_when_they_are_few():
    desc = parse(all_charts()[0]).find(f"{SVG}desc").text
    assert desc == ("Liggande stapeldiagram. Kvinna: 34; Man: 27; Annat/uppgift saknas: 3.")


def test_text_alternative_points_to_the_table_when_figures_are_many():
    labels = [f"Period {n}" for n in range(12)]
    svg = line_chart(labels, STATUS, title="Många")
    desc = parse(svg).find(f"{SVG}desc").text
    assert "4 serier" in desc
    assert "Alla siffror finns i tabellen intill diagrammet." in desc


def test_texts_are_escaped():
    svg = bar_chart(['<b>&"x"'], [5], title="</title><script>alert(1)</script>")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "</title><script>alert(1)</script>"
    assert "<script>" not in str(svg)


def test_colours_have_enough_contrast_against_white():
    """Bars and lines need 3:1 (WCAG 1.4.11); we keep 4.5:1 so values on them read too."""
    for colour in (*chart_svg.COLOURS, chart_svg.INK, chart_svg.MUTED):
        assert contrast_with_white(colour) >= 4.5, colour


def test_each_series_of_a_stacked_chart_has_its_own_pattern_and_a_legend():
    root = parse(all_charts()[2])
    patterns = root.findall(f".//{SVG}pattern")
    assert len(patterns) == len(STATUS)
    drawings = {ET.tostring(p).split(b">", 1)[1] for p in patterns}
    assert len(drawings) == len(STATUS)
    words = texts(root)
    for item in STATUS:
        assert item.name in words
    assert "15" in words  # wide segments carry their value


def test_each_line_has_its_own_dash_and_marker_shape():
    root = parse(all_charts()[4])
    paths = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "none"]
    assert len({p.get("stroke-dasharray", "") for p in paths}) == len(STATUS)
    assert root.findall(f"{SVG}circle") and root.findall(f"{SVG}rect")


def test_a_missing_figure_breaks_the_line():
    svg = line_chart(["a", "b", "c", "d", "e"], [Series("Nya", [10, 12, None, 8, 9])], title="x")
    paths = [p for p in parse(svg).iter(f"{SVG}path") if p.get("fill") == "none"]
    assert len(paths) == 2


def test_single_series_bars_carry_their_values():
    words = texts(parse(all_charts()[0]))
    assert {"34", "27", "3"} <= set(words)
    assert {"Kvinna", "Man", "Annat/uppgift saknas"} <= set(words)


def test_amounts_are_printed_the_swedish_way():
    svg = bar_chart(["Personal"], [1_234_567], title="Kostnad", unit="kr", horizontal=False)
    words = texts(parse(svg))
    assert "1\xa0234\xa0567\xa0kr" in words
    assert "1\xa0000\xa0000" in words  # an axis tick


def test_public_charts_hide_small_counts():
    """Under 5 is shown as "–" and not drawn; 5 and more are shown."""
    root = parse(all_charts(public=True)[0])
    words = texts(root)
    assert "3" not in words and "–" in words
    assert "Annat/uppgift saknas: –" in root.find(f"{SVG}desc").text
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == chart_svg.COLOURS[0]]
    assert len(bars) == 2


def test_a_public_breakdown_as_bars_hides_a_second_part():
    svg = bar_chart(GENDER, [34, 27, 3], title="Kön", public=True, breakdown=True)
    desc = parse(svg).find(f"{SVG}desc").text
    assert desc.endswith("Kvinna: 34; Man: –; Annat/uppgift saknas: –.")


def test_public_stacked_bars_also_hide_the_part_that_would_give_a_hidden_one_away():
    svg = stacked_bar_chart(
        ["2026"], [Series("A", [12]), Series("B", [3]), Series("C", [7])], title="x", public=True
    )
    desc = parse(svg).find(f"{SVG}desc").text
    assert "A – 2026: 12" in desc
    assert "B – 2026: –" in desc
    assert "C – 2026: –" in desc


def test_internal_charts_show_every_count():
    words = texts(parse(all_charts(public=False)[0]))
    assert "3" in words


def test_ids_are_stable_and_differ_between_charts():
    first, second = all_charts()[0], all_charts()[0]
    assert parse(first).get("id") == parse(second).get("id")
    ids = {parse(svg).get("id") for svg in all_charts()}
    assert len(ids) == 5
    custom = bar_chart(["a"], [1], title="x", chart_id="kon-2026")
    assert parse(custom).get("id") == "kon-2026"


def test_empty_charts_are_drawn_without_error():
    for svg in (
        bar_chart([], [], title="Tomt"),
        bar_chart([], [], title="Tomt", horizontal=False),
        stacked_bar_chart([], [], title="Tomt"),
        line_chart([], [], title="Tomt"),
        line_chart(["T1 2026"], [Series("Nya", [4])], title="En punkt"),
    ):
        assert parse(svg).get("role") == "img"


@given(st.integers(min_value=0, max_value=10**12))
def test_axis_ticks_are_round_whole_numbers_reaching_the_largest_value(value):
    maximum = chart_svg.nice_max(value)
    ticks = chart_svg.ticks(maximum)
    assert ticks[0] == 0 and ticks[-1] == maximum >= value
    assert 2 <= len(ticks) <= 6
    step = ticks[1] - ticks[0]
    assert step >= 1 and float(step).is_integer()
    assert re.fullmatch(r"[125]0*", str(int(step)))


@given(st.text(min_size=1, max_size=80))
def test_wrapped_labels_fit_their_width(label):
    lines = chart_svg.wrap(label, 14, 3)
    assert 1 <= len(lines) <= 3
    assert all(len(line) <= 14 for line in lines)


def test_wrap_breaks_after_slashes_and_spaces():
    assert chart_svg.wrap("Ekonomiskt bistånd/försörjningsstöd", 20) == [
        "Ekonomiskt bistånd/",
        "försörjningsstöd",
    ]


def test_chart_figure_gives_the_same_figures_as_a_table():
    labels = ["2024", "2025", "2026"]
    svg = stacked_bar_chart(labels, STATUS, title="Status", public=True)
    figure = chart_figure(
        svg, labels, STATUS, title="Status", row_header="År", public=True, breakdown=True
    )
    assert figure.columns == [item.name for item in STATUS]
    assert figure.rows[0] == ("2024", ["5", "8", "12", "6"])
    assert figure.rows[1] == ("2025", ["7", "–", "15", "–"])
    assert figure.notes == [
        "– = färre än 5 personer eller uppgift som annars kan räknas fram; visas inte."
    ]


def test_the_include_shows_the_chart_and_an_accessible_table_beside_it():
    svg = bar_chart(GENDER, [34, 27, 3], title="Nya deltagare per kön")
    figure = chart_figure(
        svg,
        GENDER,
        [Series("Nya deltagare", [34, 27, 3])],
        title="Nya deltagare per kön",
        row_header="Kön",
    )
    html = render_to_string("uppfoljning/includes/chart.html", {"chart": figure})
    assert "<figcaption>Nya deltagare per kön</figcaption>" in html
    assert 'role="img"' in html
    assert "<caption>Siffrorna i diagrammet</caption>" in html
    assert '<th scope="col">Kön</th>' in html
    assert '<th scope="row">Annat/uppgift saknas</th><td class="num">3</td>' in html
    assert "uppfoljning/charts.css" in html


def test_charts_render_in_a_weasyprint_pdf_with_their_texts():
    """The annual report embeds the same SVG; WeasyPrint draws it, labels as real text."""
    from pypdf import PdfReader
    from weasyprint import HTML

    body = "".join(f"<div>{svg}</div>" for svg in all_charts())
    pdf = HTML(string=f"<html lang='sv'><body>{body}</body></html>").write_pdf()
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(page.extract_text() for page in pages)
    for word in ("Kvinna", "Aktivt arbetssökande", "T2 2026", "2025"):
        assert word in text
    assert any(page["/Resources"].get("/Pattern") for page in pages)  # the stacked bars' fills
