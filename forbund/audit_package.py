"""The revisionspaket: one ZIP per year for the auditors, built by a plain function.

It holds the newest finished annual report for the year (or one rendered now from the current
figures when none is finished), every justerat protokoll of the year (rendered by the insatser
app's own function), a letter for every decision of the year, every export as CSV and XLSX, and a
list of contents with each file's SHA-256.
"""

import hashlib
import io
import zipfile

from django.utils import timezone

from . import audit_exports, report_document, report_figures
from .models import AnnualReport
from .resources import export_bytes


def _latest_report(year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(
            kind=AnnualReport.Kind.REPORT, year=year, status=AnnualReport.Status.DONE
        )
        .order_by("-version")
        .first()
    )


def package_files(year: int) -> list[tuple[str, bytes]]:
    """Return the (name, content) pairs that go into the year's package, in order."""
    from insatser import documents, rules_meetings
    from insatser.models_meetings import Decision, Meeting

    files: list[tuple[str, bytes]] = []
    report = _latest_report(year)
    if report is not None:
        with report.file.open("rb") as handle:
            files.append((f"arsrapport-{year}-v{report.version}.pdf", handle.read()))
    else:
        figures = report_figures.annual_report_figures(year)
        files.append((f"arsrapport-{year}-utkast.pdf", report_document.annual_report_pdf(figures)))
    meetings = Meeting.objects.filter(held_on__year=year, status=rules_meetings.APPROVED)
    for meeting in meetings.order_by("held_on", "pk"):
        files.append(
            (f"protokoll/protokoll-{meeting.held_on:%Y-%m-%d}.pdf", documents.minutes_pdf(meeting))
        )
    decisions = (
        Decision.objects.filter(decided_on__year=year)
        .exclude(status=rules_meetings.LAPSED)
        .select_related("application__lead_party", "agenda_item__meeting")
        .prefetch_related("amounts")
        .order_by("decided_on", "pk")
    )
    for decision in decisions:
        name = decision.application.case_number or f"beslut-{decision.pk}"
        files.append(
            (
                f"beslut/beslut-{name}-{decision.get_outcome_display().lower()}.pdf",
                report_document.decision_letter_pdf(decision),
            )
        )
    for export in audit_exports.available_exports():
        dataset = export.build(year)
        for file_format in ("csv", "xlsx"):
            files.append(
                (f"export/{export.key}-{year}.{file_format}", export_bytes(dataset, file_format))
            )
    return files


def build_audit_package(year: int) -> tuple[bytes, dict]:
    """Return the ZIP and its list of contents (name, size, SHA-256), kept as the figures."""
    files = package_files(year)
    manifest = {
        "year": year,
        "made_at": timezone.localtime().isoformat(timespec="seconds"),
        "files": [
            {"name": name, "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            for name, content in files
        ],
    }
    listing = [f"Revisionspaket {year}", f"Upprättat {manifest['made_at']}", ""]
    listing += [f"{row['sha256']}  {row['name']}" for row in manifest["files"]]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(f"revisionspaket-{year}/{name}", content)
        archive.writestr(
            f"revisionspaket-{year}/innehall.txt", "\n".join(listing).encode("utf-8") + b"\n"
        )
    return buffer.getvalue(), manifest
