"""Exports for the auditors (revisorer), per year, as tablib datasets: decisions, contributions and
their payments, payment requests (rekvisitioner), insatser, and the follow-up figures.

Each dataset is written to CSV or XLSX by `resources.export_bytes`, which neutralises anything that
looks like a spreadsheet formula.
"""

from collections.abc import Callable
from dataclasses import dataclass

import tablib

from . import report_figures, selectors
from .models import BudgetYear


def _iso(day) -> str:
    return day.isoformat() if day else ""


def decisions(year: int) -> tablib.Dataset:
    """Every decision taken in the year, by the board or on delegation."""
    from insatser.models_meetings import Decision

    rows = (
        Decision.objects.filter(decided_on__year=year)
        .select_related("application__lead_party", "agenda_item__meeting", "recorded_by")
        .prefetch_related("amounts")
        .order_by("decided_on", "pk")
    )
    dataset = tablib.Dataset(
        headers=[
            "Diarienummer",
            "Ansökan",
            "Huvudman",
            "Beslutsdatum",
            "Beslutat av",
            "Sammanträde",
            "§",
            "Beslut",
            "Status",
            "Belopp per år",
            "Belopp totalt (kr)",
            "Villkor",
            "Motivering",
        ]
    )
    for decision in rows:
        item = decision.agenda_item
        amounts = list(decision.amounts.all())
        dataset.append(
            [
                decision.application.case_number,
                decision.application.title,
                decision.application.lead_party.name,
                _iso(decision.decided_on),
                "Förbundschefen (delegation)" if decision.delegated else "Styrelsen",
                _iso(item.meeting.held_on) if item else "",
                item.number if item else "",
                decision.get_outcome_display(),
                decision.get_status_display(),
                "; ".join(f"{a.year}: {a.amount_kr}" for a in amounts),
                sum(a.amount_kr for a in amounts),
                decision.conditions,
                decision.reasons,
            ]
        )
    return dataset


def contributions(year: int) -> tablib.Dataset:
    """Each party's contribution for the year, what the split says, and what has been paid."""
    dataset = tablib.Dataset(
        headers=[
            "Part",
            "Typ",
            "Enligt fördelningen (kr)",
            "Medlemsbidrag (kr)",
            "Fakturerat",
            "Betalt",
            "Betalt belopp (kr)",
            "Kvar att betala (kr)",
            "Status",
        ]
    )
    budget_year = BudgetYear.objects.filter(year=year).first()
    if budget_year is None:
        return dataset
    for row in selectors.budget_summary(budget_year).rows:
        contribution = row.contribution
        dataset.append(
            [
                row.party.name,
                row.party.get_kind_display(),
                row.split_kr,
                contribution.amount_kr if contribution else "",
                _iso(contribution.invoiced_on) if contribution else "",
                _iso(contribution.paid_on) if contribution else "",
                contribution.paid_kr if contribution else "",
                contribution.outstanding_kr if contribution else "",
                contribution.get_status_display() if contribution else "Inget bidrag registrerat",
            ]
        )
    return dataset


def payment_requests(year: int) -> tablib.Dataset:
    """Every payment request against the year's granted money."""
    from insatser.models_insats import PaymentRequest

    rows = (
        PaymentRequest.objects.filter(year=year)
        .select_related("insats__lead_party", "insats__application", "requested_by", "attested_by")
        .order_by("requested_at", "pk")
    )
    dataset = tablib.Dataset(
        headers=[
            "Diarienummer",
            "Insats",
            "Huvudman",
            "År",
            "Belopp (kr)",
            "Avser",
            "Status",
            "Inkommen",
            "Begärd av",
            "Attesterad",
            "Attesterad av",
            "Utbetald",
            "Skäl för avvisning",
        ]
    )
    for request in rows:
        dataset.append(
            [
                request.insats.application.case_number,
                request.insats.title,
                request.insats.lead_party.name,
                request.year,
                request.amount_kr,
                request.description,
                request.get_status_display(),
                _iso(request.requested_at.date()),
                str(request.requested_by),
                _iso(request.attested_at.date()) if request.attested_at else "",
                str(request.attested_by) if request.attested_by else "",
                _iso(request.paid_on),
                request.denied_reason,
            ]
        )
    return dataset


def insatser(year: int) -> tablib.Dataset:
    """Every insats that ran during the year, with its money for the year."""
    dataset = tablib.Dataset(
        headers=[
            "Diarienummer",
            "Insats",
            "Typ",
            "Status",
            "Huvudman",
            "Medverkande parter",
            "Start",
            "Slut",
            "Beviljat för året (kr)",
            "Rekvirerat för året (kr)",
            "Utbetalt för året (kr)",
            "Beviljat totalt (kr)",
        ]
    )
    for row in report_figures.insats_figures(year):
        dataset.append(
            [
                row["case_number"],
                row["title"],
                row["kind_label"],
                row["status_label"],
                row["lead_party"],
                ", ".join(row["co_parties"]),
                row["starts_on"],
                row["ends_on"],
                row["granted_year_kr"],
                row["requested_year_kr"],
                row["paid_year_kr"],
                row["granted_total_kr"],
            ]
        )
    return dataset


def followup(year: int) -> tablib.Dataset:
    """Every approved period report of the year with all its figures (the import's columns)."""
    from uppfoljning import rules as followup_rules
    from uppfoljning.models_reports import PeriodReport
    from uppfoljning.resources import full_export

    reports = PeriodReport.objects.filter(year=year, status=followup_rules.APPROVED)
    return full_export(reports)


def followup_national(year: int) -> tablib.Dataset:
    """The year in the national follow-up's shape: per insats budget, outcome, kön."""
    from uppfoljning.resources import national_export

    return national_export(year)


@dataclass(frozen=True)
class Export:
    key: str
    label: str
    build: Callable[[int], tablib.Dataset]


EXPORTS = [
    Export("beslut", "Beslut", decisions),
    Export("medlemsbidrag", "Medlemsbidrag och betalningar", contributions),
    Export("rekvisitioner", "Rekvisitioner", payment_requests),
    Export("insatser", "Insatser och pengar", insatser),
    Export("uppfoljning", "Uppföljning: alla godkända periodrapporter", followup),
    Export(
        "uppfoljning-nationell",
        "Uppföljning i den nationella uppföljningens form",
        followup_national,
    ),
]
EXPORTS_BY_KEY = {export.key: export for export in EXPORTS}


def available_exports() -> list[Export]:
    return list(EXPORTS)
