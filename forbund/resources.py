"""Import and export (django-import-export) of parties, population, contributions and seats.

Every imported row is checked with the model's own rules (`clean_model_instances`) and saved
through the services, so an import obeys the same rules as a form. `services.data_import` runs a
whole file in one transaction: one bad row and nothing is imported. Column names are Swedish;
values that look like spreadsheet formulas are neutralised on export.
"""

import csv
import io
import re
from datetime import date, datetime

import tablib
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from . import rules
from .models import BoardSeat, BudgetYear, Contribution, MandatePeriod, Party, Population, User

# --- Widgets with Swedish messages ---------------------------------------------------------------


class DateWidget(widgets.Widget):
    """Dates as ÅÅÅÅ-MM-DD; spreadsheet dates pass through."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"”{text}” är inte ett datum; skriv det som ÅÅÅÅ-MM-DD.") from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class WholeNumberWidget(widgets.Widget):
    """Whole numbers (kronor, invånare, år); spaces and a trailing "kr" are allowed."""

    def __init__(self, required=True, **kwargs):
        self.required = required
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            if self.required:
                raise ValueError("Värdet saknas.")
            return None
        if isinstance(value, bool):
            raise ValueError(f"”{value}” är inte ett heltal.")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            raise ValueError(f"”{value}” är inte ett heltal; ange hela kronor.")
        text = re.sub(r"[\s\u00a0]", "", str(value))
        text = re.sub(r"(?i)kr$", "", text).replace("−", "-")
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"”{value}” är inte ett heltal.")
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice by its code or its Swedish label, in any case; exported as the label."""

    def __init__(self, choices, what: str, required=True, **kwargs):
        self.choices = list(choices)
        self.what = what
        self.required = required
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValueError(f"{self.what.capitalize()} saknas.")
            return ""
        for code, label in self.choices:
            if text.lower() in (str(code).lower(), str(label).lower()):
                return code
        allowed = ", ".join(str(label) for code, label in self.choices if code)
        raise ValueError(f"”{text}” är inte en giltig {self.what}; välj bland: {allowed}.")

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class LookupWidget(widgets.Widget):
    """A related row by a unique, readable field (a party's name, a person's e-mail)."""

    def __init__(self, model, field: str, message: str, **kwargs):
        self.model = model
        self.field = field
        self.message = message
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError(self.message.format(value="").replace("””", "(tomt)"))
        found = self.model.objects.filter(**{f"{self.field}__iexact": text}).first()
        if found is None:
            raise ValueError(self.message.format(value=text))
        return found

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.field, "") if value else ""


class BudgetYearWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        year = WholeNumberWidget().clean(value)
        found = BudgetYear.objects.filter(year=year).first()
        if found is None:
            raise ValueError(f"Det finns ingen budget för {year}; lägg in budgetåret först.")
        return found

    def render(self, value, obj=None, **kwargs):
        return value.year if value else ""


class MandatePeriodWidget(widgets.Widget):
    """A mandate period written as its years, "2023–2026" (or with a plain hyphen)."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        match = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
        if not match:
            raise ValueError(f"”{text}” är ingen mandatperiod; skriv den som 2023–2026.")
        found = MandatePeriod.objects.filter(
            starts_on__year=int(match.group(1)), ends_on__year=int(match.group(2))
        ).first()
        if found is None:
            raise ValueError(f"Mandatperioden {text} finns inte; lägg in den först.")
        return found

    def render(self, value, obj=None, **kwargs):
        return str(value) if value else ""


def party_lookup():
    return LookupWidget(Party, "name", "Det finns ingen part som heter ”{value}”.")


# --- Resources -----------------------------------------------------------------------------------


class FinsamResource(resources.ModelResource):
    """Shared behaviour: Swedish column checks, saving through services, safe exports."""

    optional_columns: tuple[str, ...] = ()

    def __init__(self, by=None, **kwargs):
        super().__init__(**kwargs)
        self.by = by

    def before_import(self, dataset, **kwargs):
        expected = [field.column_name for field in self.get_import_fields()]
        headers = [str(h).strip() if h is not None else "" for h in (dataset.headers or [])]
        dataset.headers = headers
        for column in self.optional_columns:
            if column not in headers and len(dataset):
                dataset.append_col([""] * len(dataset), header=column)
            elif column not in headers:
                dataset.headers = [*dataset.headers, column]
        missing = [c for c in expected if c not in dataset.headers]
        if missing:
            raise ValueError(
                "Filen saknar kolumnerna: "
                + ", ".join(missing)
                + ". Första raden ska innehålla kolumnnamnen: "
                + ", ".join(expected)
                + "."
            )

    def do_instance_save(self, instance, is_create):
        self.save_through_service(instance)

    def save_through_service(self, instance):  # pragma: no cover - every resource overrides
        raise NotImplementedError

    def export(self, *args, **kwargs):
        return neutralise_dataset(super().export(*args, **kwargs))


class PartyResource(FinsamResource):
    name = fields.Field(attribute="name", column_name="Namn")
    kind = fields.Field(
        attribute="kind", column_name="Typ", widget=ChoiceWidget(Party.Kind.choices, "typ av part")
    )
    org_number = fields.Field(attribute="org_number", column_name="Organisationsnummer")
    member_from = fields.Field(
        attribute="member_from", column_name="Medlem från", widget=DateWidget()
    )
    member_to = fields.Field(attribute="member_to", column_name="Medlem till", widget=DateWidget())

    optional_columns = ("Medlem till",)

    class Meta:
        model = Party
        fields = ("name", "kind", "org_number", "member_from", "member_to")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        if field.attribute == "org_number" and instance.org_number is None:
            instance.org_number = ""

    def save_through_service(self, instance):
        from .services import party_save

        party_save(party=instance, by=self.by)


class PopulationResource(FinsamResource):
    party = fields.Field(attribute="party", column_name="Part", widget=party_lookup())
    year = fields.Field(attribute="year", column_name="År", widget=WholeNumberWidget())
    inhabitants = fields.Field(
        attribute="inhabitants", column_name="Invånare", widget=WholeNumberWidget()
    )

    class Meta:
        model = Population
        fields = ("party", "year", "inhabitants")
        import_id_fields = ("party", "year")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None, **kwargs):
        return Population.objects.select_related("party")

    def save_through_service(self, instance):
        from .services import population_set

        population_set(
            year=instance.year, inhabitants={instance.party: instance.inhabitants}, by=self.by
        )
        instance.pk = Population.objects.get(party=instance.party, year=instance.year).pk


class ContributionResource(FinsamResource):
    budget_year = fields.Field(attribute="budget_year", column_name="År", widget=BudgetYearWidget())
    party = fields.Field(attribute="party", column_name="Part", widget=party_lookup())
    amount_kr = fields.Field(
        attribute="amount_kr", column_name="Bidrag (kr)", widget=WholeNumberWidget()
    )
    invoiced_on = fields.Field(
        attribute="invoiced_on", column_name="Fakturerat", widget=DateWidget()
    )
    paid_on = fields.Field(attribute="paid_on", column_name="Betalt", widget=DateWidget())
    paid_kr = fields.Field(
        attribute="paid_kr",
        column_name="Betalt belopp (kr)",
        widget=WholeNumberWidget(required=False),
    )

    optional_columns = ("Fakturerat", "Betalt", "Betalt belopp (kr)")

    class Meta:
        model = Contribution
        fields = ("budget_year", "party", "amount_kr", "invoiced_on", "paid_on", "paid_kr")
        import_id_fields = ("budget_year", "party")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        if field.attribute == "paid_kr" and instance.paid_kr is None:
            instance.paid_kr = 0

    def get_export_queryset(self, request=None, **kwargs):
        return Contribution.objects.select_related("budget_year", "party")

    def save_through_service(self, instance):
        from .services import contribution_import

        contribution_import(contribution=instance, by=self.by)


class BoardSeatResource(FinsamResource):
    mandate_period = fields.Field(
        attribute="mandate_period", column_name="Mandatperiod", widget=MandatePeriodWidget()
    )
    party = fields.Field(attribute="party", column_name="Part", widget=party_lookup())
    user = fields.Field(
        attribute="user",
        column_name="E-post",
        widget=LookupWidget(
            User, "email", "Det finns inget konto med e-postadressen ”{value}”; skapa kontot först."
        ),
    )
    kind = fields.Field(
        attribute="kind",
        column_name="Uppdrag",
        widget=ChoiceWidget(BoardSeat.Kind.choices, "typ av uppdrag"),
    )
    office = fields.Field(
        attribute="office",
        column_name="Funktion",
        widget=ChoiceWidget(
            [(code, label) for code, label in BoardSeat.Office.choices if code],
            "funktion",
            required=False,
        ),
    )
    starts_on = fields.Field(attribute="starts_on", column_name="Från", widget=DateWidget())
    ends_on = fields.Field(attribute="ends_on", column_name="Till", widget=DateWidget())

    optional_columns = ("Funktion", "Till")

    class Meta:
        model = BoardSeat
        fields = ("mandate_period", "party", "user", "kind", "office", "starts_on", "ends_on")
        import_id_fields = ("mandate_period", "party", "user", "kind")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request=None, **kwargs):
        return BoardSeat.objects.select_related("mandate_period", "party", "user")

    def save_through_service(self, instance):
        from .services import board_seat_save

        board_seat_save(seat=instance, by=self.by)


RESOURCES = {
    "parter": ("Parter", PartyResource),
    "befolkning": ("Befolkning per år", PopulationResource),
    "medlemsbidrag": ("Medlemsbidrag och betalningar", ContributionResource),
    "styrelseplatser": ("Styrelseplatser", BoardSeatResource),
}


# --- Files ---------------------------------------------------------------------------------------

FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)"}


class FileError(ValueError):
    """The uploaded file cannot be read; the message says why, in Swedish."""


def dataset_from_file(content: bytes, filename: str) -> tablib.Dataset:
    """Read an uploaded CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX file."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise FileError("Filen kunde inte läsas som en Excel-fil (XLSX).") from error
    elif extension == "csv":
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if any(row)]
        if not rows:
            raise FileError("Filen är tom.")
        width = len(rows[0])
        dataset = tablib.Dataset(headers=rows[0])
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != width:
                raise FileError(
                    f"Rad {number} har {len(row)} kolumner men rubrikraden har {width}."
                )
            dataset.append(row)
    else:
        raise FileError("Välj en fil som slutar på .csv eller .xlsx.")
    if not dataset.headers:
        raise FileError("Filen saknar rubrikrad.")
    return dataset


def neutralise_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """Return `dataset` with every text cell that starts like a formula neutralised."""
    safe = tablib.Dataset(headers=[rules.neutralise_formula(h) for h in dataset.headers or []])
    safe.title = dataset.title
    for row in dataset:
        safe.append([rules.neutralise_formula(value) for value in row])
    return safe


def export_bytes(dataset: tablib.Dataset, file_format: str) -> bytes:
    """Return `dataset` as CSV (UTF-8 with BOM, for Excel) or XLSX bytes, formulas neutralised."""
    dataset = neutralise_dataset(dataset)
    if file_format == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    if file_format == "xlsx":
        return dataset.export("xlsx")
    raise ValueError(f"Okänt filformat: {file_format}")


def validation_messages(error: ValidationError) -> list[str]:
    """Return a ValidationError's messages as plain Swedish sentences, field names first."""
    if hasattr(error, "error_dict"):
        return [msg for messages in error.message_dict.values() for msg in messages]
    return list(error.messages)


def split_table(summary) -> tablib.Dataset:
    """Return a budget year's split table (selectors.BudgetSummary) as a dataset for export."""
    year = summary.budget_year
    fixed = year.key == BudgetYear.Key.FIXED
    dataset = tablib.Dataset(
        headers=[
            "Part",
            "Typ",
            "Organisationsnummer",
            "Andel (%)" if fixed else "Invånare",
            "Andel av gruppens fjärdedel (%)",
            "Bidrag enligt fördelningen (kr)",
            "Bidrag (kr)",
            "Fakturerat",
            "Betalt",
            "Betalt belopp (kr)",
            "Kvar att betala (kr)",
        ],
        title=f"Fördelning {year.year}",
    )
    for row in summary.rows:
        contribution = row.contribution
        weight = row.weight
        if fixed and weight is not None:
            weight = weight / 100
        dataset.append(
            [
                row.party.name,
                row.party.get_kind_display(),
                row.party.org_number,
                weight if weight is not None else "",
                round(row.weight_share * 100, 2) if row.weight_share is not None else "",
                row.split_kr,
                contribution.amount_kr if contribution else "",
                contribution.invoiced_on.isoformat()
                if contribution and contribution.invoiced_on
                else "",
                contribution.paid_on.isoformat() if contribution and contribution.paid_on else "",
                contribution.paid_kr if contribution else "",
                contribution.outstanding_kr if contribution else "",
            ]
        )
    dataset.append(
        [
            "Summa",
            "",
            "",
            "",
            "",
            sum(row.split_kr for row in summary.rows),
            summary.contributions_kr,
            "",
            "",
            summary.paid_kr,
            summary.outstanding_kr,
        ]
    )
    return dataset


def import_report(result) -> dict:
    """Return what an import did or would do, and every error, by row, in Swedish."""
    errors = [(None, str(error.error)) for error in result.base_errors]
    for row in result.invalid_rows:
        errors += [(row.number, message) for message in validation_messages(row.error)]
    for number, row_errors in result.row_errors():
        for error in row_errors:
            if isinstance(error.error, ValidationError):
                errors += [(number, m) for m in validation_messages(error.error)]
            else:
                errors.append((number, str(error.error)))
    errors.sort(key=lambda item: item[0] or 0)
    totals = result.totals
    return {
        "errors": errors,
        "new": totals.get("new", 0),
        "update": totals.get("update", 0),
        "skip": totals.get("skip", 0),
        "rows": result.total_rows,
    }
