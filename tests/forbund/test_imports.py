import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finsam.models import Event
from forbund import services
from forbund.models import BoardSeat, Contribution, Party, Population
from forbund.resources import FileError, dataset_from_file, validation_messages
from tests.factories.forbund import BudgetYearFactory, PartyFactory

pytestmark = pytest.mark.django_db

PARTY_HEADER = "Namn,Typ,Organisationsnummer,Medlem från,Medlem till\n"


def upload(name: str, text: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def kansli_client(client, demo, with_mfa):
    client.force_login(with_mfa(demo["kansli@demo.se"]))
    return client


def preview(client, resource, file):
    return client.post(reverse("forbund:data_import"), {"resource": resource, "file": file})


def test_party_import_preview_then_confirm(kansli_client):
    """The kansli sees what would change, confirms, and the rows are saved and audited."""
    csv = (
        PARTY_HEADER
        + "Örebro kommun,Kommun,2120001850,2027-01-01,\n"
        + "Laxå kommun,KOMMUN,212000-1868,2009-01-01,\n"
    )
    response = preview(kansli_client, "parter", upload("parter.csv", csv))
    assert response.status_code == 200
    report = response.context["report"]
    assert report["errors"] == []
    assert (report["new"], report["skip"]) == (1, 1)
    assert not Party.objects.filter(name="Örebro kommun").exists()  # preview changes nothing
    response = kansli_client.post(
        reverse("forbund:data_import_confirm"), {"token": response.context["token"]}
    )
    assert response.status_code == 302
    assert Party.objects.get(name="Örebro kommun").org_number == "212000-1850"
    assert Event.objects.filter(action="forbund.data_imported").exists()
    assert Event.objects.filter(action="party.created").exists()


def test_one_bad_row_imports_nothing(kansli_client):
    """A bad check digit on row 3 is reported in Swedish, with its row, and nothing is saved."""
    csv = (
        PARTY_HEADER
        + "Örebro kommun,Kommun,2120001850,2027-01-01,\n"
        + "Lekebergs kommun,Kommun,212000-1851,2027-01-01,\n"
        + "Nora kommun,Skola,212000-1900,igår,\n"
    )
    response = preview(kansli_client, "parter", upload("parter.csv", csv))
    report = response.context["report"]
    messages = [(number, message) for number, message in report["errors"]]
    assert any(n == 2 and "kontrollsiffra stämmer inte" in m for n, m in messages)
    assert any(n == 3 and "”Skola” är inte en giltig typ av part" in m for n, m in messages)
    assert any(n == 3 and "”igår” är inte ett datum" in m for n, m in messages)
    assert (
        response.context["token"] is None or "Importera</button>" not in response.content.decode()
    )
    page = response.content.decode()
    assert "Rad 3:" in page and "Ingenting har importerats" in page
    assert not Party.objects.filter(name__in=["Örebro kommun", "Lekebergs kommun"]).exists()
    # The service itself is all or nothing too, not just the preview.
    dataset = dataset_from_file(csv.encode(), "parter.csv")
    result = services.data_import(resource_key="parter", dataset=dataset, by=None, dry_run=False)
    assert result.has_validation_errors()
    assert not Party.objects.filter(name="Örebro kommun").exists()


def test_a_tampered_token_imports_nothing(kansli_client):
    response = kansli_client.post(
        reverse("forbund:data_import_confirm"), {"token": "fel"}, follow=True
    )
    assert "Förhandsgranskningen har gått ut" in response.content.decode()


def test_missing_columns_are_named(kansli_client):
    response = preview(kansli_client, "parter", upload("parter.csv", "Namn,Typ\nX,Kommun\n"))
    errors = [message for _, message in response.context["report"]["errors"]]
    assert errors and errors[0].startswith(
        "Filen saknar kolumnerna: Organisationsnummer, Medlem från"
    )


def test_wrong_file_type_is_refused(kansli_client):
    response = preview(kansli_client, "parter", upload("parter.txt", "x"))
    assert "Välj en fil som slutar på .csv eller .xlsx." in response.content.decode()


def test_population_import_from_xlsx(kansli_client):
    """Population from an Excel file is saved through the service."""
    year = timezone.localdate().year + 1
    content = xlsx(
        ["Part", "År", "Invånare"], [["Kumla kommun", year, 23_000], ["Laxå kommun", year, 5_500]]
    )
    file = SimpleUploadedFile("befolkning.xlsx", content)
    response = preview(kansli_client, "befolkning", file)
    assert response.context["report"]["errors"] == []
    kansli_client.post(reverse("forbund:data_import_confirm"), {"token": response.context["token"]})
    assert Population.objects.get(party__name="Kumla kommun", year=year).inhabitants == 23_000


def test_population_import_cannot_undercut_a_payment(demo):
    """New population that would make a paid contribution smaller than the payment is refused."""
    year = timezone.localdate().year
    csv = f"Part,År,Invånare\nHallsbergs kommun,{year},5000\n"
    dataset = dataset_from_file(csv.encode(), "b.csv")
    result = services.data_import(
        resource_key="befolkning", dataset=dataset, by=None, dry_run=False
    )
    messages = [m for row in result.invalid_rows for m in validation_messages(row.error)]
    assert any("Hallsbergs kommun har redan betalat" in m for m in messages)
    assert Population.objects.get(party__name="Hallsbergs kommun", year=year).inhabitants == 16_300


def test_population_import_refuses_an_unknown_party_and_a_zero():
    year = timezone.localdate().year
    PartyFactory(name="Kumla kommun")
    csv = f"Part,År,Invånare\nKumla kommun,{year},0\nStockholms stad,{year},900000\n"
    dataset = dataset_from_file(csv.encode(), "b.csv")
    result = services.data_import(
        resource_key="befolkning", dataset=dataset, by=None, dry_run=False
    )
    messages = [str(e.error) for _, errors in result.row_errors() for e in errors]
    messages += [m for row in result.invalid_rows for m in validation_messages(row.error)]
    assert "Det finns ingen part som heter ”Stockholms stad”." in messages
    assert "Invånarantalet måste vara större än noll." in messages


def test_contribution_import_with_semicolons_and_swedish_amounts(demo):
    """Semicolon-separated Windows files with amounts like "1 317 365 kr" are read."""
    year = timezone.localdate().year
    kumla = Contribution.objects.get(budget_year__year=year, party__name="Kumla kommun")
    amount = f"{kumla.amount_kr:,}".replace(",", " ") + " kr"
    csv = (
        "År;Part;Bidrag (kr);Fakturerat;Betalt;Betalt belopp (kr)\n"
        f"{year};Kumla kommun;{amount};{year}-01-20;{year}-03-03;{amount}\n"
    )
    dataset = dataset_from_file(csv.encode("cp1252"), "bidrag.csv")
    result = services.data_import(
        resource_key="medlemsbidrag", dataset=dataset, by=demo["kansli@demo.se"], dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    kumla.refresh_from_db()
    assert kumla.paid_on.isoformat() == f"{year}-03-03"


def test_contribution_import_refuses_overpayment_and_unknown_year():
    year = timezone.localdate().year
    csv = (
        "År,Part,Bidrag (kr),Fakturerat,Betalt,Betalt belopp (kr)\n"
        f"{year},Kumla kommun,100,,{year}-03-03,200\n"
        f"2099,Kumla kommun,100,,,\n"
    )
    BudgetYearFactory(year=year)
    PartyFactory(name="Kumla kommun")
    dataset = dataset_from_file(csv.encode(), "bidrag.csv")
    result = services.data_import(
        resource_key="medlemsbidrag", dataset=dataset, by=None, dry_run=False
    )
    assert result.has_errors() or result.has_validation_errors()
    assert not Contribution.objects.exists()


def test_board_seat_import_unknown_person(demo):
    csv = (
        "Mandatperiod,Part,E-post,Uppdrag,Funktion,Från,Till\n"
        "2023–2026,Kumla kommun,okand@demo.se,Ledamot,,2023-01-01,\n"
    )
    dataset = dataset_from_file(csv.encode(), "s.csv")
    count = BoardSeat.objects.count()
    result = services.data_import(
        resource_key="styrelseplatser", dataset=dataset, by=None, dry_run=False
    )
    messages = [str(e.error) for _, errors in result.row_errors() for e in errors]
    messages += [m for row in result.invalid_rows for m in validation_messages(row.error)]
    assert any("Det finns inget konto med e-postadressen ”okand@demo.se”" in m for m in messages)
    assert BoardSeat.objects.count() == count


def test_board_seat_export_reimports_unchanged(demo):
    """An export has the import's columns, so it imports back with nothing changed."""
    from forbund.resources import BoardSeatResource

    dataset = BoardSeatResource().export()
    assert dataset.headers[:3] == ["Mandatperiod", "Part", "E-post"]
    again = dataset_from_file(dataset.export("csv").encode(), "s.csv")
    result = services.data_import(
        resource_key="styrelseplatser", dataset=again, by=None, dry_run=True
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(dataset)


def test_exports_neutralise_formulas(kansli_client):
    """A party name that starts like a formula gets a leading apostrophe in CSV and XLSX."""
    Party.objects.filter(name="Laxå kommun").update(name='=HYPERLINK("http://x")')
    csv = kansli_client.get(reverse("forbund:data_export", args=["parter", "csv"])).content
    assert "'=HYPERLINK" in csv.decode("utf-8-sig")
    year = timezone.localdate().year
    response = kansli_client.get(reverse("forbund:budget_export", args=[year, "xlsx"]))
    assert response["Content-Disposition"] == f'attachment; filename="fordelning-{year}.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://x")' in names
    assert names[-1] == "Summa"
    total_column = [row[5].value for row in sheet.iter_rows(min_row=2)]
    assert total_column[-1] == 8_000_000  # numbers stay numbers


def test_split_table_csv(kansli_client):
    year = timezone.localdate().year
    response = kansli_client.get(reverse("forbund:budget_export", args=[year, "csv"]))
    data = tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv")
    assert data.headers[0] == "Part" and "Kvar att betala (kr)" in data.headers
    rows = {row[0]: row for row in data}
    assert rows["Försäkringskassan"][5] == "4000000"


def test_unreadable_files():
    with pytest.raises(FileError, match="Excel-fil"):
        dataset_from_file(b"not a zip", "x.xlsx")
    with pytest.raises(FileError, match="Rad 2 har 1 kolumner men rubrikraden har 2"):
        dataset_from_file(b"a,b\n1\n", "x.csv")
    with pytest.raises(FileError, match="tom"):
        dataset_from_file(b"", "x.csv")


def test_admin_import_is_all_or_nothing(client, demo, with_mfa):
    """In the admin, a file with a bad row shows the errors and offers no confirmation."""
    admin = demo["kansli@demo.se"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(with_mfa(admin))
    csv = (
        PARTY_HEADER
        + "Örebro kommun,Kommun,2120001850,2027-01-01,\n"
        + "Nora kommun,Kommun,212000-1901,2027-01-01,\n"
    )
    response = client.post(
        reverse("admin:forbund_party_import"),
        {"resource": "0", "format": "0", "import_file": upload("p.csv", csv)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "kontrollsiffra stämmer inte" in page
    assert "confirm" not in response.context or not response.context.get("confirm_form")
    assert not Party.objects.filter(name="Örebro kommun").exists()
