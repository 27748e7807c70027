"""Display filters used in every template: amounts and dates the Swedish public-sector way."""

from django import template

register = template.Library()

NBSP = "\xa0"


def format_kr(value) -> str:
    """Return whole kronor as `1 234 567 kr` (non-breaking spaces, minus sign for debts)."""
    if value is None or value == "":
        return "–"
    amount = int(value)
    digits = f"{abs(amount):,}".replace(",", NBSP)
    sign = "−" if amount < 0 else ""
    return f"{sign}{digits}{NBSP}kr"


@register.filter(name="kr")
def kr(value) -> str:
    return format_kr(value)


@register.filter(name="percent")
def percent(value, decimals: int = 1) -> str:
    """Return a share (0.253) as `25,3 %`."""
    if value is None:
        return "–"
    text = f"{float(value) * 100:.{int(decimals)}f}".replace(".", ",")
    return f"{text}{NBSP}%"


@register.filter(name="with_aria")
def with_aria(bound_field):
    """Render a form field with its help text and errors tied to it for screen readers."""
    described_by = []
    attrs = {}
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return bound_field.as_widget(attrs=attrs)
