"""Annual reports: the figures, the PDF/A read back, the task's retries and failures, versions."""

import io
import re
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from finsam import audit
from forbund import report_document, report_figures, services_reports, tasks
from forbund.models import AnnualReport, Contribution
from tests.factories.reports import GRANTED_KR, PAID_KR, STATE_ALLOCATION_KR, reported_year


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def data(db):
    return reported_year()


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\xa0", " ")


def _kr(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"


def _outline_titles(reader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


def _request_and_run(data, django_capture_on_commit_callbacks, **kwargs) -> AnnualReport:
    with django_capture_on_commit_callbacks(execute=True):
        report = services_reports.annual_report_request(
            year=data["year"], by=data["office"], **kwargs
        )
    report.refresh_from_db()
    return report


def test_figures_hold_the_split_the_contributions_and_the_insats_money(data):
    """The figures carry the 50/25/25 split as the database has it, and the insats's money."""
    figures = report_figures.annual_report_figures(data["year"])
    money = figures["money"]
    assert money["total_kr"] == 2 * STATE_ALLOCATION_KR
    assert money["state_kr"] == STATE_ALLOCATION_KR
    assert money["state_kr"] + money["region_kr"] + money["kommun_kr"] == money["total_kr"]
    assert money["region_kr"] == money["kommun_kr"] + 1  # the odd krona goes to the regions
    in_db = {c.party.name: c.amount_kr for c in Contribution.objects.select_related("party")}
    assert {
        r["party"]: r["contribution_kr"] for r in money["contributions"] if r["contribution_kr"]
    } == in_db
    assert money["granted_kr"] == GRANTED_KR
    assert money["paid_to_insatser_kr"] == PAID_KR
    [insats] = figures["insatser"]
    assert insats["title"] == "Vägen till arbete i Kumla"
    assert insats["decision"]["paragraph"] == 1
    assert insats["co_parties"] == ["Arbetsförmedlingen"]
    assert figures["followup"] is None  # the follow-up has no figures to offer
    assert [m["name"] for m in figures["auditors"]] == ["Gunilla Åberg"]
    assert figures["decisions"]["meetings"][0]["items"][0]["outcome"] == "Beviljas"


def test_the_pdf_reads_back_with_title_headings_split_and_participants(data):
    """The PDF has the title, navigable headings, the split figures and participant numbers."""
    figures = report_figures.annual_report_figures(data["year"])
    pdf = report_document.annual_report_pdf(figures, version=1)
    reader = PdfReader(io.BytesIO(pdf))
    year = data["year"]
    assert reader.metadata.title == f"Årsrapport {year} – Samordningsförbundet Test"
    titles = _outline_titles(reader)
    for heading in (
        "1 Förbundet",
        "2 Året i siffror",
        "3 Ekonomi",
        "4 Insatserna",
        "5 Årets beslut",
        "6 Underskrifter",
    ):
        assert heading in titles
    assert "Vägen till arbete i Kumla" in titles
    text = _text(pdf)
    money = figures["money"]
    for amount in (money["state_kr"], money["region_kr"], money["kommun_kr"], money["total_kr"]):
        assert _kr(amount) in text
    for row in money["contributions"]:
        assert _kr(row["split_kr"]) in text
    planned = data["insats"].application.planned_participants
    assert f"Planerat antal deltagare enligt ansökan: {planned}" in text
    assert "Sida 3 av" in text
    assert "Uppgifter om deltagare" in text  # the follow-up's part says plainly it is missing


def test_the_pdf_is_pdf_a_tagged_with_embedded_fonts(data):
    """PDF/A-3b metadata (XMP pdfaid part and conformance), a structure tree, embedded fonts."""
    pdf = report_document.annual_report_pdf(report_figures.annual_report_figures(data["year"]))
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp
    assert 'pdfaid:conformance="B"' in xmp
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    fonts = [
        font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()
    ]
    assert fonts and all("DejaVu" in str(font["/BaseFont"]) for font in fonts)
    assert all(
        "/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        or "/FontFile" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for f in fonts
        if "/DescendantFonts" in f
    )


def test_follow_up_figures_are_shown_with_small_counts_hidden():
    """When the follow-up has figures, totals and the kön breakdown appear, counts under 5 as –."""
    figures = {
        "year": 2030,
        "forbund": {
            "name": "F",
            "org_number": "",
            "address": "",
            "seat": "",
            "delegation_limit_kr": 0,
            "has_logo": False,
        },
        "members": [],
        "board": [],
        "auditors": [],
        "office": [],
        "signatories": [],
        "insatser_by_kind": [
            {
                "kind": "individinriktad",
                "label": "Individinriktad",
                "running": 0,
                "started": 0,
                "closed": 0,
                "granted_kr": 0,
                "paid_kr": 0,
            }
        ],
        "insatser": [],
        "money": None,
        "decisions": {"meetings": [], "delegated": []},
        "followup": {
            "participants_new": 37,
            "participants_ended": 12,
            "participants_at_year_end": 58,
            "new_by_gender": [{"label": "Kvinna", "shown": "33"}, {"label": "Man", "shown": "–"}],
            "status_after": [],
            "used_kr": 812_000,
            "charts": [],
        },
    }
    text = _text(report_document.annual_report_pdf(figures))
    assert "Deltagare vid årets slut 58" in text
    assert "Nya deltagare 37" in text
    assert "Kvinna 33" in text and "Man –" in text
    assert _kr(812_000) in text


def test_a_request_returns_queued_and_the_task_makes_the_report(
    data, django_capture_on_commit_callbacks
):
    """Asking returns a queued version; the task (eager here) stores the PDF with its SHA-256."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services_reports.annual_report_request(year=data["year"], by=data["office"])
    assert report.status == AnnualReport.Status.QUEUED and report.version == 1
    assert len(callbacks) == 1
    callbacks[0]()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DONE
    content = report.file.read()
    assert content.startswith(b"%PDF")
    import hashlib

    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.figures["money"]["total_kr"] == 2 * STATE_ALLOCATION_KR
    assert report.requested_by == data["office"]
    actions = [e.action for e in audit.events_for(report)]
    assert actions == ["annual_report.requested", "annual_report.started", "annual_report.done"]


def test_the_task_retries_a_transient_error(data, django_capture_on_commit_callbacks):
    """A storage error on the first try is tried again; the report is then made."""
    real = services_reports._render
    calls = []

    def flaky(report):
        calls.append(report.pk)
        if len(calls) == 1:
            raise OSError("lagringen svarar inte")
        return real(report)

    with mock.patch.object(services_reports, "_render", side_effect=flaky):
        report = _request_and_run(data, django_capture_on_commit_callbacks)
    assert len(calls) == 2
    assert report.status == AnnualReport.Status.DONE
    assert report.attempts == 2
    retry = [e for e in audit.events_for(report) if e.action == "annual_report.retrying"]
    assert "lagringen svarar inte" in retry[0].comment


def test_a_failure_is_recorded_with_its_reason(data, django_capture_on_commit_callbacks):
    """An error that is not transient fails the report at once and says why."""
    with mock.patch.object(services_reports, "_render", side_effect=ValueError("trasig mall")):
        report = _request_and_run(data, django_capture_on_commit_callbacks)
    assert report.status == AnnualReport.Status.FAILED
    assert report.failure_reason == "Rapporten kunde inte göras. ValueError: trasig mall"
    assert report.attempts == 1
    assert not report.file


def test_a_transient_error_that_persists_fails_after_the_retries(
    data, django_capture_on_commit_callbacks
):
    """After the last retry the transient error is recorded as the reason."""
    with mock.patch.object(services_reports, "_render", side_effect=OSError("disken är full")):
        report = _request_and_run(data, django_capture_on_commit_callbacks)
    assert report.status == AnnualReport.Status.FAILED
    assert report.attempts == tasks.REPORT_MAX_RETRIES + 1
    assert f"efter {tasks.REPORT_MAX_RETRIES + 1} försök" in report.failure_reason
    assert "disken är full" in report.failure_reason


def test_running_the_task_twice_makes_one_file(data, settings, django_capture_on_commit_callbacks):
    """A second run (a redelivered message) leaves the finished report and its one file alone."""
    report = _request_and_run(data, django_capture_on_commit_callbacks)
    first_hash = report.sha256
    assert tasks.make_annual_report.apply(args=[report.pk]).get() == AnnualReport.Status.DONE
    report.refresh_from_db()
    assert report.sha256 == first_hash
    files = list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert [f.name for f in files] == [f"arsrapport-{data['year']}-v1.pdf"]


def test_a_run_that_died_before_commit_leaves_no_second_file(data, settings):
    """A file left by a run that died is replaced, not kept beside the new one."""
    report = services_reports.annual_report_request(
        year=data["year"], by=data["office"], in_background=False
    )
    stale = Path(settings.MEDIA_ROOT) / "arsrapporter" / str(data["year"]) / report.download_name
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"halvfardig")
    services_reports.annual_report_make(report_id=report.pk)
    report.refresh_from_db()
    assert report.file.name == f"arsrapporter/{data['year']}/{report.download_name}"
    assert report.file.read().startswith(b"%PDF")
    assert len(list(stale.parent.iterdir())) == 1


def test_requests_are_refused_without_a_budget_or_while_one_is_in_progress(data):
    """A year without a budget, a future year and a second request at once get a Swedish no."""
    with pytest.raises(ValidationError) as error:
        services_reports.annual_report_request(year=data["year"] - 5, by=data["office"])
    assert f"Det finns ingen budget för {data['year'] - 5}" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services_reports.annual_report_request(year=data["year"] + 1, by=data["office"])
    assert "ett år som har börjat" in error.value.messages[0]
    services_reports.annual_report_request(
        year=data["year"], by=data["office"], in_background=False
    )
    with pytest.raises(ValidationError) as error:
        services_reports.annual_report_request(year=data["year"], by=data["office"])
    assert "håller redan på att göras (version 1)" in error.value.messages[0]
    assert AnnualReport.objects.count() == 1


def test_constraints_hold_both_ways(db):
    """Done needs a file and a hash; failed needs a reason; one version in progress per year."""
    done = AnnualReport(year=2025, version=1, status=AnnualReport.Status.DONE)
    with pytest.raises(ValidationError) as error:
        done.full_clean()
    assert "En färdig rapport måste ha en fil, en tid och en SHA-256." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=2025, version=1, status=AnnualReport.Status.DONE)
    failed = AnnualReport(year=2025, version=1, status=AnnualReport.Status.FAILED)
    with pytest.raises(ValidationError) as error:
        failed.full_clean()
    assert "En misslyckad rapport måste ha en orsak." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=2025, version=1, status=AnnualReport.Status.FAILED)
    AnnualReport.objects.create(year=2025, version=1)
    second = AnnualReport(year=2025, version=2)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "En version för det året håller redan på att göras." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(year=2025, version=2)


def test_a_later_version_is_compared_with_the_earlier(data, django_capture_on_commit_callbacks):
    """Versions keep their figures; a changed payment shows as a changed figure."""
    first = _request_and_run(data, django_capture_on_commit_callbacks)
    Contribution.objects.filter(party__name="Askersunds kommun").update(
        paid_kr=1000, paid_on="2026-03-01"
    )
    second = _request_and_run(data, django_capture_on_commit_callbacks)
    assert second.version == 2
    changes = report_figures.figure_changes(first.figures, second.figures)
    paths = [change["path"] for change in changes]
    assert any(p.startswith("money.contributions[") and p.endswith(".paid_kr") for p in paths)
    assert "money.contributions_paid_kr" in paths
    assert first.file.name != second.file.name


def test_the_command_makes_the_same_report(data, tmp_path):
    """`manage.py annual_report YEAR --output FILE` goes through the service and writes the PDF."""
    output = tmp_path / "rapport.pdf"
    out = io.StringIO()
    call_command("annual_report", str(data["year"]), "--output", str(output), stdout=out)
    report = AnnualReport.objects.get()
    assert report.status == AnnualReport.Status.DONE and report.requested_by is None
    assert output.read_bytes() == report.file.read()
    assert report.sha256 in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Det finns ingen budget för 1999|mellan|har börjat"):
        call_command("annual_report", "1999", stdout=io.StringIO())


def test_the_audit_package_holds_report_minutes_letters_and_exports(
    data, django_capture_on_commit_callbacks
):
    """The ZIP has the newest report, the justerat protokoll, a decision letter and the exports."""
    report = _request_and_run(data, django_capture_on_commit_callbacks)
    package = _request_and_run(
        data, django_capture_on_commit_callbacks, kind=AnnualReport.Kind.AUDIT_PACKAGE
    )
    assert package.status == AnnualReport.Status.DONE, package.failure_reason
    year = data["year"]
    archive = zipfile.ZipFile(io.BytesIO(package.file.read()))
    names = set(archive.namelist())
    prefix = f"revisionspaket-{year}/"
    assert prefix + f"arsrapport-{year}-v1.pdf" in names
    assert archive.read(prefix + f"arsrapport-{year}-v1.pdf") == report.file.read()
    assert prefix + f"protokoll/protokoll-{data['meeting'].held_on:%Y-%m-%d}.pdf" in names
    case = data["insats"].application.case_number
    assert prefix + f"beslut/beslut-{case}-beviljas.pdf" in names
    for key in ("beslut", "medlemsbidrag", "rekvisitioner", "insatser"):
        assert prefix + f"export/{key}-{year}.csv" in names
        assert prefix + f"export/{key}-{year}.xlsx" in names
    listing = archive.read(prefix + "innehall.txt").decode()
    assert all(row["sha256"] in listing for row in package.figures["files"])
    letter = _text(archive.read(prefix + f"beslut/beslut-{case}-beviljas.pdf"))
    assert _kr(GRANTED_KR) in letter and "Beviljas" in letter


def test_exports_neutralise_formulas(data):
    """Text that looks like a spreadsheet formula is neutralised in the auditors' exports."""
    from forbund import audit_exports
    from forbund.resources import export_bytes

    data["insats"].application.__class__.objects.filter(pk=data["insats"].application_id).update(
        title='=HYPERLINK("http://x")'
    )
    csv = export_bytes(audit_exports.decisions(data["year"]), "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert re.search(r"(^|,)=HYPERLINK", csv) is None


def test_follow_up_participants_and_costs_match_the_database(data):
    """Approved period reports give the participant totals, kön and outcome in the PDF."""
    from tests.factories.reports import approved_period
    from uppfoljning.models_reports import PeriodReport

    approved_period(
        data["insats"],
        staff=data["staff"],
        office=data["office"],
        new=12,
        ended=3,
        women=8,
        cost_kr=95_000,
    )
    report = PeriodReport.objects.get()
    figures = report_figures.annual_report_figures(data["year"])
    followup = figures["followup"]
    assert followup["participants_new"] == report.participants_new == 12
    assert followup["participants_at_year_end"] == report.participants_end == 9
    assert followup["used_kr"] == 95_000
    gender = {row["label"]: row["shown"] for row in followup["new_by_gender"]}
    assert gender["Kvinna"] == "8" and gender["Man"] == "–"  # 4 men: under 5, hidden
    insats = figures["insatser"][0]["followup"]
    assert insats["participants_new"] == 12 and insats["used_kr"] == 95_000
    text = _text(report_document.annual_report_pdf(figures))
    assert "Nya deltagare 12" in text
    assert "Deltagare vid årets slut 9" in text
    assert _kr(95_000) in text
    assert "Nya deltagare " + str(data["year"]) + " per kön" in text
