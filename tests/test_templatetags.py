from finsam.templatetags.finsam import format_kr, percent


def test_amounts_are_printed_with_spaces_and_kr():
    assert format_kr(1234567) == "1\xa0234\xa0567\xa0kr"
    assert format_kr(0) == "0\xa0kr"
    assert format_kr(-2500) == "−2\xa0500\xa0kr"
    assert format_kr(None) == "–"


def test_percent_uses_decimal_comma():
    assert percent(0.253) == "25,3\xa0%"


def test_dates_are_iso(settings):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("sv"):
        rendered = Template("{{ d|date }}").render(Context({"d": date(2026, 11, 22)}))
    assert rendered == "2026-11-22"
