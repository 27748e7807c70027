"""The policy for granted insatser, payment requests and reports: plain functions, no ORM."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from finsam.templatetags.finsam import format_kr

# Insats states.
ONGOING = "pagaende"
CLOSED = "avslutad"

# Payment request states (rekvisition).
REQUESTED = "inkommen"
ATTESTED = "attesterad"
PAID = "utbetald"
DENIED = "avvisad"

PAYMENT_STATE_LABELS = {
    REQUESTED: "Inkommen",
    ATTESTED: "Attesterad",
    PAID: "Utbetald",
    DENIED: "Avvisad",
}
# The states that count against what is granted for the year (a denied request does not).
COUNTED_STATES = frozenset({REQUESTED, ATTESTED, PAID})

LEAD_STAFF = "lead_staff"
OFFICE = "office"


@dataclass(frozen=True)
class PaymentTransition:
    action: str
    source: str
    target: str
    actor: str
    label: str


PAYMENT_TRANSITIONS: tuple[PaymentTransition, ...] = (
    PaymentTransition("attest", REQUESTED, ATTESTED, OFFICE, "Attestera"),
    PaymentTransition("deny", REQUESTED, DENIED, OFFICE, "Avvisa"),
    PaymentTransition("deny", ATTESTED, DENIED, OFFICE, "Avvisa"),
    PaymentTransition("mark_paid", ATTESTED, PAID, OFFICE, "Markera som utbetald"),
)
_PAYMENT_BY_ACTION_AND_SOURCE = {(t.action, t.source): t for t in PAYMENT_TRANSITIONS}
_PAYMENT_ACTION_NAMES = {
    "attest": "attesteras",
    "deny": "avvisas",
    "mark_paid": "markeras som utbetald",
}


def payment_transition_for(action: str, source: str) -> PaymentTransition:
    transition = _PAYMENT_BY_ACTION_AND_SOURCE.get((action, source))
    if transition is None:
        state = PAYMENT_STATE_LABELS.get(source, source).lower()
        what = _PAYMENT_ACTION_NAMES.get(action, action)
        raise ValidationError(
            f"En rekvisition med status ”{state}” kan inte {what}. Ingenting har ändrats.",
            code="transition_not_allowed",
        )
    return transition


def payment_problem(*, year: int, amount_kr: int, granted_kr: int, counted_kr: int) -> str:
    """Return why a payment request of `amount_kr` for `year` is refused, or ""."""
    if amount_kr <= 0:
        return "Beloppet måste vara större än 0 kr."
    if granted_kr <= 0:
        return f"Insatsen har inga beviljade medel för {year}."
    left = max(granted_kr - counted_kr, 0)
    if amount_kr > left:
        return (
            f"Rekvisitionen är större än vad som återstår för {year}: {format_kr(left)} kvar "
            f"av beviljade {format_kr(granted_kr)} (redan rekvirerat {format_kr(counted_kr)}). "
            "Ingenting har ändrats."
        )
    return ""


# Reports.
PROGRESS = "lagesrapport"
FINAL = "slutrapport"
REPORT_KIND_LABELS = {PROGRESS: "Lägesrapport", FINAL: "Slutrapport"}

# Reminders: one some days before the due date, one after it has passed.
REMIND_BEFORE = "fore"
REMIND_AFTER = "efter"
REMINDER_DAYS_BEFORE = 14
REMINDER_DAYS_AFTER = 1
FINAL_REPORT_MONTHS_AFTER_END = 3


def add_months(day: date, months: int) -> date:
    """Return `day` moved `months` ahead, clamped to the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def default_report_schedule(starts_on: date, ends_on: date) -> list[tuple[str, date]]:
    """Return the reports an insats owes: a lägesrapport after each calendar year that is not the
    last (due 31 January), and a slutrapport three months after the end."""
    reports = [(PROGRESS, date(year + 1, 1, 31)) for year in range(starts_on.year, ends_on.year)]
    reports.append((FINAL, add_months(ends_on, FINAL_REPORT_MONTHS_AFTER_END)))
    return reports


def reminder_due(due_on: date, today: date) -> str:
    """Return which reminder an unsubmitted report due on `due_on` calls for today, or ""."""
    if today >= due_on + timedelta(days=REMINDER_DAYS_AFTER):
        return REMIND_AFTER
    if due_on - timedelta(days=REMINDER_DAYS_BEFORE) <= today <= due_on:
        return REMIND_BEFORE
    return ""
