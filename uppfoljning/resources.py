"""Import and export of period figures and costs (django-import-export), and the yearly export
in the shape of the national follow-up.

One row per insats and period: Dnr, Period (2026-T1), the participants, one column per category
("Nya deltagare per kön: Kvinna"), one per cost category ("Kostnad: Personal (kr)") and a
comment. Every row is saved and submitted through the services, so an import is checked by the
same rules as the form; `services_reports.data_import` runs the whole file in one transaction,
so one bad row imports nothing. Exports neutralise text that a spreadsheet would run as a formula.
"""

import re

import tablib
from django.core.exceptions import ValidationError
from django.db.models import Sum
from import_export import resources

from forbund.resources import FileError, WholeNumberWidget, dataset_from_file, export_bytes
from insatser import rules as insats_rules

from . import rules
from .models import ActualCost, Category, FollowUpSettings, ParticipantCount, PeriodReport

__all__ = [
    "FileError",
    "PeriodReportResource",
    "dataset_from_file",
    "export_bytes",
    "full_export",
    "national_export",
]

DNR = "Dnr"
PERIOD = "Period"
COMMENT = "Kommentar"
# Shown in exports for the reader; ignored on import.
INFORMATIVE = ("Insats", "Typ av insats", "Huvudman", "Status")
PARTICIPANT_COLUMNS = {key: label for key, label in rules.PARTICIPANT_LABELS.items()}
COST_PREFIX = "Kostnad: "
COST_SUFFIX = " (kr)"


def category_column(category: Category) -> str:
    return f"{rules.BREAKDOWNS[category.kind][1]}: {category.label}"


def cost_column(label: str) -> str:
    return f"{COST_PREFIX}{label}{COST_SUFFIX}"


def _fold(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def report_headers(categories) -> list[str]:
    return [
        DNR,
        "Insats",
        PERIOD,
        *PARTICIPANT_COLUMNS.values(),
        *[category_column(c) for c in categories],
        *[cost_column(label) for _code, label in ActualCost.Category.choices],
        COMMENT,
    ]


def parse_case_number(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(?:dnr\s*)?(\d{4})-(\d{1,4})", _fold(text))
    if not match:
        raise ValueError(f"”{text}” är inget diarienummer; skriv det som 2026-014.")
    return int(match.group(1)), int(match.group(2))


class PeriodReportResource(resources.ModelResource):
    """One row per insats and period; saved and submitted through the services."""

    class Meta:
        model = PeriodReport
        fields = ()
        skip_diff = True
        clean_model_instances = False

    def __init__(self, by=None, **kwargs):
        super().__init__(**kwargs)
        self.by = by
        self.columns: dict[str, tuple[str, object]] = {}

    # --- Columns ---

    def before_import(self, dataset, **kwargs):
        headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
        dataset.headers = headers
        known: dict[str, tuple[str, object]] = {_fold(DNR): ("dnr", None)}
        known[_fold(PERIOD)] = ("period", None)
        known[_fold(COMMENT)] = ("comment", None)
        for column in INFORMATIVE:
            known[_fold(column)] = ("ignore", None)
        for key, label in PARTICIPANT_COLUMNS.items():
            known[_fold(label)] = ("participants", key)
        for category in Category.objects.filter(kind__in=list(rules.BREAKDOWNS)):
            row = rules.BREAKDOWNS[category.kind][1]
            known[_fold(category_column(category))] = ("count", category)
            known[_fold(f"{row}: {category.code}")] = ("count", category)
        for code, label in ActualCost.Category.choices:
            known[_fold(cost_column(label))] = ("cost", code)
            known[_fold(f"{COST_PREFIX}{label}")] = ("cost", code)
        unknown = [h for h in headers if h and _fold(h) not in known]
        missing = [c for c in (DNR, PERIOD) if _fold(c) not in {_fold(h) for h in headers}]
        problems = []
        if missing:
            problems.append(
                "Filen saknar kolumnerna: " + ", ".join(missing) + ". Hämta mallen för kolumnerna."
            )
        if unknown:
            problems.append(
                "Kolumnerna känns inte igen: "
                + ", ".join(f"”{h}”" for h in unknown)
                + ". Kontrollera stavningen mot mallen (kategoriernas namn kan ha ändrats)."
            )
        if problems:
            raise ValueError(" ".join(problems))
        self.columns = {h: known[_fold(h)] for h in headers if h}

    # --- Rows ---

    def get_or_init_instance(self, instance_loader, row):
        from insatser.models import Insats

        messages = []
        insats = period = None
        dnr = row.get(self._header("dnr"))
        try:
            year, seq = parse_case_number(dnr)
        except ValueError as error:
            messages.append(str(error))
        else:
            insats = (
                Insats.objects.select_related("application")
                .filter(application__case_year=year, application__case_seq=seq)
                .first()
            )
            if insats is None:
                messages.append(f"Det finns ingen insats med diarienummer {dnr}.")
        text = str(row.get(self._header("period")) or "").strip()
        try:
            period = rules.parse_period(text)
        except ValueError as error:
            messages.append(str(error))
        else:
            length = FollowUpSettings.load().period_length
            if period.length != length:
                messages.append(
                    f"{text}: förbundet rapporterar per "
                    f"{'tertial' if length == rules.PeriodLength.TERTIAL else 'månad'}."
                )
        if messages:
            raise ValidationError(messages)
        report = PeriodReport.objects.filter(
            insats=insats, year=period.year, number=period.number, period_length=period.length
        ).first()
        if report is None:
            report = PeriodReport(insats=insats, year=period.year, number=period.number)
            report.period_length = period.length
            return report, True
        return report, False

    def _header(self, kind: str) -> str:
        return next((h for h, (k, _v) in self.columns.items() if k == kind), "")

    def import_instance(self, instance, row, **kwargs):
        participants: dict[str, int | None] = {}
        counts: dict[int, int | None] = {}
        costs: dict[str, int | None] = {}
        comment = ""
        messages = []
        number = WholeNumberWidget(required=False)
        for header, (kind, key) in self.columns.items():
            value = row.get(header)
            if kind == "comment":
                comment = "" if value is None else str(value)
                continue
            if kind not in ("participants", "count", "cost"):
                continue
            try:
                parsed = number.clean(value)
            except ValueError as error:
                messages.append(f"{header}: {error}")
                continue
            if kind == "participants":
                participants[key] = parsed
            elif kind == "count":
                counts[key.pk] = parsed
            else:
                costs[key] = parsed
        if messages:
            raise ValidationError(messages)
        instance._import = (participants, counts, costs, comment)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        from .services_reports import period_report_import

        participants, counts, costs, comment = instance._import
        if instance.insats.kind != insats_rules.INDIVIDUAL:
            if any(value is not None for value in [*participants.values(), *counts.values()]):
                raise ValidationError(
                    f"{instance.insats} är strukturövergripande och rapporterar aktiviteter, "
                    "inte deltagare. Lämna deltagarkolumnerna tomma."
                )
        report, _new = period_report_import(
            insats=instance.insats,
            period=instance.period,
            participants=participants,
            counts=counts,
            costs=costs,
            comment=comment,
            by=self.by,
        )
        instance.pk = report.pk

    def import_data(self, *args, **kwargs):
        # Errors from before_import (columns) come back as a base error of the result.
        return super().import_data(*args, **kwargs)


# --- Exports ---------------------------------------------------------------------------------


def full_export(reports, public: bool = False) -> tablib.Dataset:
    """Return every figure of `reports` in the import's columns (so it works as a template).

    Three queries whatever the number of reports. With `public`, counts under 5 are hidden.
    """
    categories = list(
        Category.objects.filter(kind__in=list(rules.BREAKDOWNS)).order_by("kind", "order", "label")
    )
    kinds = list(rules.BREAKDOWNS)
    categories.sort(key=lambda c: (kinds.index(c.kind), c.order, c.label))
    reports = list(
        reports.select_related("insats__application", "insats__lead_party").order_by(
            "insats__title", "insats_id", "starts_on"
        )
    )
    ids = [report.pk for report in reports]
    counts: dict[tuple[int, int], int] = {
        (r, c): n
        for r, c, n in ParticipantCount.objects.filter(report_id__in=ids).values_list(
            "report_id", "category_id", "count"
        )
    }
    costs: dict[tuple[int, str], int] = {
        (r, c): n
        for r, c, n in ActualCost.objects.filter(report_id__in=ids).values_list(
            "report_id", "category", "amount_kr"
        )
    }
    headers = report_headers(categories)
    headers[-1:-1] = ["Status"]
    dataset = tablib.Dataset(headers=headers, title="Periodrapporter")
    for report in reports:
        flow = [
            report.participants_start,
            report.participants_new,
            report.participants_ended,
            report.participants_end,
        ]
        by_category = [counts.get((report.pk, c.pk)) for c in categories]
        if public:
            flow = [rules.suppress_small(v) for v in flow]
            by_category = [rules.suppress_small(v) for v in by_category]
        dataset.append(
            [
                report.insats.case_number,
                report.insats.title,
                report.period.code,
                *["" if v is None else v for v in flow],
                *["" if v is None else v for v in by_category],
                *[costs.get((report.pk, code), "") for code, _label in ActualCost.Category.choices],
                report.get_status_display(),
                report.comment if not public else "",
            ]
        )
    return dataset


def template_dataset() -> tablib.Dataset:
    """Return the import's columns with no rows."""
    categories = list(
        Category.objects.filter(kind__in=list(rules.BREAKDOWNS), active=True).order_by(
            "kind", "order", "label"
        )
    )
    kinds = list(rules.BREAKDOWNS)
    categories.sort(key=lambda c: (kinds.index(c.kind), c.order, c.label))
    return tablib.Dataset(headers=report_headers(categories), title="Periodrapporter")


def national_export(year: int, public: bool = False) -> tablib.Dataset:
    """Return the year's insatser in the national follow-up's shape: kind, lead party, budget
    (granted) and outcome, and participants of individinriktade insatser by kön."""
    from .selectors import Filters, dashboard

    dash = dashboard(Filters(year=year))
    genders = list(Category.objects.filter(kind="gender").order_by("order", "label"))
    by_insats: dict[tuple[int, int], int] = {
        (row["report__insats_id"], row["category_id"]): row["total"]
        for row in ParticipantCount.objects.filter(
            report__status=rules.APPROVED, report__year=year, category__kind="gender"
        )
        .values("report__insats_id", "category_id")
        .annotate(total=Sum("count"))
        .order_by()
    }
    dataset = tablib.Dataset(
        headers=[
            DNR,
            "Insats",
            "Typ av insats",
            "Huvudman",
            f"Budget {year} (beviljat, kr)",
            f"Utfall {year} (kr)",
            *[f"Nya deltagare {year}: {g.label}" for g in genders],
            f"Nya deltagare {year}: totalt",
            f"Avslutade deltagare {year}",
        ],
        title=f"Uppföljning {year}",
    )
    for row in dash.rows:
        insats = row.insats
        individual = insats.kind == insats_rules.INDIVIDUAL
        by_gender = [by_insats.get((insats.pk, g.pk), 0) for g in genders]
        people = [*by_gender, row.new, row.ended]
        if public:
            shown = rules.suppress_breakdown(by_gender, public=True)
            people = [*shown, rules.suppress_small(row.new), rules.suppress_small(row.ended)]
        dataset.append(
            [
                insats.case_number,
                insats.title,
                insats.get_kind_display(),
                insats.lead_party.name,
                row.budget_kr,
                row.outcome_kr,
                *(people if individual else [""] * len(people)),
            ]
        )
    return dataset
