"""Pages for annual reports and the auditors: ask for a report, follow it, download every version;
exports and the revisionspaket per year."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import audit_exports, permissions, report_selectors, services_reports
from .models import AnnualReport
from .resources import export_bytes
from .views import CONTENT_TYPES, _requires

readers = _requires(permissions.can_view_reports)
requesters = _requires(permissions.can_request_reports)

POLL_SECONDS = 2


def _year_from(request) -> int | None:
    try:
        return int(request.POST.get("year", ""))
    except ValueError:
        return None


def _failed_at_once(request, report: AnnualReport) -> bool:
    """A request the queue would not take is saved as failed with its reason; say so at once."""
    report.refresh_from_db(fields=["status", "failure_reason"])
    if report.status != AnnualReport.Status.FAILED:
        return False
    messages.error(request, f"{report} kunde inte beställas. {report.failure_reason}")
    return True


@readers
def report_list(request, error: str = "", status: int = 200):
    return render(
        request,
        "forbund/reports/report_list.html",
        {
            "years": report_selectors.report_years(AnnualReport.Kind.REPORT),
            "choosable_years": report_selectors.choosable_years(),
            "default_year": timezone.localdate().year - 1,
            "can_request": permissions.can_request_reports(request.user),
            "error": error,
            "poll_seconds": POLL_SECONDS,
        },
        status=status,
    )


@requesters
@require_POST
def report_request(request):
    year = _year_from(request)
    if year is None:
        return report_list(request, error="Välj vilket år rapporten gäller.", status=400)
    try:
        report = services_reports.annual_report_request(year=year, by=request.user)
    except ValidationError as error:
        return report_list(request, error=" ".join(error.messages), status=400)
    if _failed_at_once(request, report):
        return redirect("forbund:report_list")
    messages.success(
        request,
        f"Årsrapporten för {year} (version {report.version}) är beställd. "
        "Sidan visar när den är klar.",
    )
    return redirect("forbund:report_list")


@readers
def report_status(request, pk):
    """The report's row, for htmx polling: it keeps polling while the report is being made."""
    report = get_object_or_404(AnnualReport.objects.select_related("requested_by"), pk=pk)
    can_request = permissions.can_request_reports(request.user)
    latest = (
        can_request
        and not report.done
        and not AnnualReport.objects.filter(
            kind=report.kind, year=report.year, version__gt=report.version
        ).exists()
    )
    return render(
        request,
        "forbund/reports/report_row.html",
        {
            "report": report,
            "poll_seconds": POLL_SECONDS,
            "changes": None,
            "can_request": can_request,
            "latest": latest,
        },
    )


@readers
def report_download(request, pk):
    report = get_object_or_404(AnnualReport, pk=pk)
    if not report.done:
        raise Http404("Rapporten är inte klar.")
    try:
        handle = report.file.open("rb")
    except OSError as error:
        raise Http404("Filen finns inte längre i lagringen.") from error
    content_type = (
        "application/zip" if report.kind == AnnualReport.Kind.AUDIT_PACKAGE else "application/pdf"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=report.download_name, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-SHA256"] = report.sha256
    return response


@readers
def audit_overview(request, error: str = "", status: int = 200):
    return render(
        request,
        "forbund/reports/audit.html",
        {
            "years": report_selectors.audit_years(),
            "exports": audit_exports.available_exports(),
            "can_request": permissions.can_request_reports(request.user),
            "error": error,
            "poll_seconds": POLL_SECONDS,
        },
        status=status,
    )


@requesters
@require_POST
def audit_package_request(request, year):
    try:
        report = services_reports.annual_report_request(
            year=year, by=request.user, kind=AnnualReport.Kind.AUDIT_PACKAGE
        )
    except ValidationError as error:
        return audit_overview(request, error=" ".join(error.messages), status=400)
    if _failed_at_once(request, report):
        return redirect("forbund:audit")
    messages.success(
        request,
        f"Revisionspaketet för {year} (version {report.version}) är beställt. "
        "Sidan visar när det är klart.",
    )
    return redirect("forbund:audit")


@readers
def audit_export(request, year, key, file_format):
    export = audit_exports.EXPORTS_BY_KEY.get(key)
    if export is None or file_format not in CONTENT_TYPES:
        raise Http404("Okänd export.")
    dataset = export.build(year)
    response = HttpResponse(
        export_bytes(dataset, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{key}-{year}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response
