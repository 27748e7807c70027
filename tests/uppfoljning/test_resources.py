"""Import of period figures (preview, all or nothing, Swedish row errors) and the exports."""

import io

import openpyxl
import pytest
import tablib

from tests.factories.decisions import the_office
from tests.factories.forbund import PartyFactory
from tests.factories.insatser import staff_of
from tests.factories.uppfoljning import lead_staff_of, past_insats, reported
from uppfoljning import rules
from uppfoljning import services_reports as services
from uppfoljning.models import Category, PeriodReport
from uppfoljning.resources import (
    dataset_from_file,
    export_bytes,
    full_export,
    national_export,
    template_dataset,
)
from uppfoljning.rules import Period

pytestmark = pytest.mark.django_db


def _row(dnr, period, start, new, ended, kvinnor, man, status_first, **extra):
    """A row of the template: every breakdown of `new` as kvinnor/man, age and support in the
    first category, and the ended all in `status_first`."""
    headers = template_dataset().headers
    values = dict.fromkeys(headers, "")
    values.update(
        {
            "Dnr": dnr,
            "Period": period,
            "Deltagare vid periodens start": start,
            "Nya deltagare": new,
            "Avslutade deltagare": ended,
            "Deltagare vid periodens slut": start + new - ended,
            "Nya deltagare per kön: Kvinna": kvinnor,
            "Nya deltagare per kön: Man": man,
            "Nya deltagare per kön: Annat/uppgift saknas": 0,
            "Nya deltagare per åldersgrupp: 16–24 år": new,
            "Nya deltagare per försörjning vid start: A-kassa/aktivitetsstöd": new,
            "Avslutade deltagare per status efter insatsen: "
            + Category.objects.get(kind="status_after", code="arbete-osubventionerat").label: (
                status_first
            ),
            "Kostnad: Personal (kr)": 80_000,
        }
    )
    values.update(extra)
    return [values[h] for h in headers]


def _dataset(rows):
    dataset = tablib.Dataset(headers=template_dataset().headers)
    for row in rows:
        dataset.append(row)
    return dataset


def _messages(result):
    from forbund.resources import import_report

    return import_report(result)["errors"]


def test_a_good_file_previews_then_imports_and_submits():
    insats = past_insats()
    dnr = insats.case_number
    rows = [_row(dnr, "2025-T1", 0, 10, 4, 6, 4, 4), _row(dnr, "2025-T2", 6, 5, 3, 3, 2, 3)]
    lead = lead_staff_of(insats)
    preview = services.data_import(dataset=_dataset(rows), by=lead, dry_run=True)
    assert _messages(preview) == []
    assert preview.totals["new"] == 2
    assert not PeriodReport.objects.exists()
    services.data_import(dataset=_dataset(rows), by=lead, dry_run=False)
    reports = list(PeriodReport.objects.order_by("starts_on"))
    assert [(r.status, r.participants_end) for r in reports] == [
        (rules.SUBMITTED, 6),
        (rules.SUBMITTED, 8),
    ]


def test_one_bad_row_imports_nothing_and_says_why_in_swedish():
    insats = past_insats()
    dnr = insats.case_number
    rows = [
        _row(dnr, "2025-T1", 0, 10, 4, 6, 4, 4),
        _row(dnr, "2025-T2", 6, 5, 3, 3, 1, 3),  # kön adds up to 4, not 5
        _row("2099-999", "2025-T9", 0, 1, 0, 1, 0, 0),
    ]
    result = services.data_import(dataset=_dataset(rows), by=the_office(), dry_run=False)
    messages = _messages(result)
    assert (
        2,
        "Nya deltagare per kön: Kvinna 3 + Man 1 + Annat/uppgift saknas 0 = 4, men nya "
        "deltagare är 5. Fördelningen har 1 för lite.",
    ) in messages
    assert (3, "Det finns ingen insats med diarienummer 2099-999.") in messages
    assert any(n == 3 and m.startswith("”2025-T9” är ingen period") for n, m in messages)
    assert not PeriodReport.objects.exists()


def test_staff_cannot_import_for_an_insats_their_party_does_not_lead():
    insats = past_insats()
    stranger = staff_of(PartyFactory(name="Laxå kommun"))
    rows = [_row(insats.case_number, "2025-T1", 0, 10, 4, 6, 4, 4)]
    result = services.data_import(dataset=_dataset(rows), by=stranger, dry_run=True)
    assert "bara importera siffror för insatser som din part är huvudman för" in str(
        _messages(result)
    )


def test_an_approved_period_is_not_overwritten_by_an_import():
    insats = past_insats()
    reported(insats, Period(2025, 1))
    rows = [_row(insats.case_number, "2025-T1", 0, 10, 4, 6, 4, 4)]
    result = services.data_import(dataset=_dataset(rows), by=the_office(), dry_run=True)
    assert "T1 2025 är godkänd och kan inte ändras" in str(_messages(result))


def test_unknown_columns_are_named():
    insats = past_insats()
    dataset = _dataset([_row(insats.case_number, "2025-T1", 0, 10, 4, 6, 4, 4)])
    dataset.append_col(["x"], header="Nya deltagare per kön: Okänd")
    result = services.data_import(dataset=dataset, by=the_office(), dry_run=True)
    assert "Kolumnerna känns inte igen: ”Nya deltagare per kön: Okänd”" in str(_messages(result))


def test_an_xlsx_file_imports_like_a_csv():
    insats = past_insats()
    dataset = _dataset([_row(insats.case_number, "2025-T1", 0, 10, 4, 6, 4, 4)])
    content = dataset.export("xlsx")
    loaded = dataset_from_file(content, "perioder.xlsx")
    services.data_import(dataset=loaded, by=lead_staff_of(insats), dry_run=False)
    assert PeriodReport.objects.get().participants_new == 10


def test_the_full_export_reimports_and_neutralises_formulas():
    insats = past_insats()
    report = reported(insats, Period(2025, 1))
    PeriodReport.objects.filter(pk=report.pk).update(comment="=HYPERLINK(1)")
    dataset = full_export(PeriodReport.objects.all())
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(dataset, "xlsx"))).active
    cells = [cell.value for cell in sheet[2]]
    assert "'=HYPERLINK(1)" in cells
    assert insats.case_number in cells and "2025-T1" in cells


def test_the_national_export_has_kind_lead_party_money_and_participants_by_kon():
    insats = past_insats()
    reported(insats, Period(2025, 1))
    dataset = national_export(2025)
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["Typ av insats"] == "Individinriktad"
    assert row["Huvudman"] == insats.lead_party.name
    assert row["Budget 2025 (beviljat, kr)"] == 300_000
    assert row["Utfall 2025 (kr)"] == 96_000
    assert (row["Nya deltagare 2025: Kvinna"], row["Nya deltagare 2025: Man"]) == (5, 5)
    public = dict(zip(dataset.headers, national_export(2025, public=True)[0], strict=True))
    assert public["Nya deltagare 2025: Annat/uppgift saknas"] == "–"
    assert public["Avslutade deltagare 2025"] == "–"  # 4 ended
    assert public["Nya deltagare 2025: totalt"] == 10
