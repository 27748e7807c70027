"""Filters for the annual report and its pages."""

from django import template

register = template.Library()

NBSP = "\xa0"


@register.filter(name="intspace")
def intspace(value) -> str:
    """Return a whole number with Swedish digit grouping: 11400 → `11 400`."""
    if value is None or value == "":
        return "–"
    return f"{int(value):,}".replace(",", NBSP)
