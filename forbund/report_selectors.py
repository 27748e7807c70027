"""Reads for the annual report and audit pages: versions per year, what changed, and todos."""

from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from finsam.start import Todo

from . import permissions
from .models import AnnualReport, BudgetYear
from .report_figures import figure_changes

# How a changed figure's path is named for people: the first part of the path.
SECTION_LABELS = {
    "forbund": "Förbundet",
    "members": "Medlemmar",
    "board": "Styrelsen",
    "auditors": "Revisorer",
    "office": "Kansliet",
    "signatories": "Underskrifter",
    "insatser_by_kind": "Insatser per typ",
    "insatser": "Insatserna",
    "money": "Ekonomi",
    "decisions": "Beslut",
    "followup": "Uppföljning",
    "files": "Filer i paketet",
    "made_at": "Upprättat",
}


@dataclass
class Version:
    report: AnnualReport
    changes: list[dict] | None = None  # against the previous finished version; None: first
    compared_with: int | None = None

    @property
    def change_sections(self) -> list[str]:
        sections = []
        for change in self.changes or []:
            head = change["path"].split(".")[0].split("[")[0]
            label = SECTION_LABELS.get(head, head)
            if label not in sections:
                sections.append(label)
        return sections


@dataclass
class YearReports:
    year: int
    reports: list[Version] = field(default_factory=list)
    packages: list[Version] = field(default_factory=list)

    @property
    def latest_report(self) -> AnnualReport | None:
        done = [v.report for v in self.reports if v.report.done]
        return done[0] if done else None


def _versions(reports: list[AnnualReport]) -> list[Version]:
    """Return the versions newest first, each finished one compared with the one before it."""
    result, previous = [], None
    for report in sorted(reports, key=lambda r: r.version):
        version = Version(report)
        if report.done:
            if previous is not None:
                version.changes = figure_changes(previous.figures, report.figures)
                if report.kind == AnnualReport.Kind.AUDIT_PACKAGE:
                    version.changes = [c for c in version.changes if c["path"] != "made_at"]
                version.compared_with = previous.version
            previous = report
        result.append(version)
    return list(reversed(result))


def _by_year(kinds) -> dict[int, YearReports]:
    rows = AnnualReport.objects.filter(kind__in=kinds).select_related("requested_by")
    grouped: dict[int, dict[str, list]] = {}
    for report in rows:
        grouped.setdefault(report.year, {}).setdefault(report.kind, []).append(report)
    return {
        year: YearReports(
            year=year,
            reports=_versions(kinds_.get(AnnualReport.Kind.REPORT, [])),
            packages=_versions(kinds_.get(AnnualReport.Kind.AUDIT_PACKAGE, [])),
        )
        for year, kinds_ in grouped.items()
    }


def report_years(kind: str = AnnualReport.Kind.REPORT) -> list[YearReports]:
    """Return every year with reports, newest year first, all versions. Two queries."""
    return [row for _, row in sorted(_by_year([kind]).items(), reverse=True)]


def choosable_years() -> list[int]:
    """Return the budget years a report can be made for (up to this year), newest first."""
    this_year = timezone.localdate().year
    return list(
        BudgetYear.objects.filter(year__lte=this_year)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def audit_years() -> list[YearReports]:
    """Return every budget year up to now with its reports and packages, newest first."""
    by_year = _by_year([AnnualReport.Kind.REPORT, AnnualReport.Kind.AUDIT_PACKAGE])
    years = set(choosable_years()) | set(by_year)
    return [by_year.get(year) or YearReports(year=year) for year in sorted(years, reverse=True)]


def todos_for(user) -> list[Todo]:
    """The kansli: make last year's report in the three months after year end, and see to a
    report that failed. Auditors: a finished revisionspaket for last year to read."""
    result: list[Todo] = []
    roles = permissions.roles_of(user)
    if not (roles.office or roles.auditor):
        return result
    today = timezone.localdate()
    last_year = today.year - 1
    if roles.office:
        latest = {
            (row["year"], row["last"])
            for row in AnnualReport.objects.filter(kind=AnnualReport.Kind.REPORT)
            .values("year")
            .annotate(last=Max("version"))
        }
        failed = AnnualReport.objects.filter(
            kind=AnnualReport.Kind.REPORT, status=AnnualReport.Status.FAILED
        ).values_list("year", "version")
        for year in sorted({year for year, version in failed if (year, version) in latest}):
            result.append(
                Todo(
                    f"Årsrapporten för {year} misslyckades",
                    reverse("forbund:report_list"),
                    urgent=True,
                )
            )
        has_report = AnnualReport.objects.filter(
            kind=AnnualReport.Kind.REPORT, year=last_year, status=AnnualReport.Status.DONE
        ).exists()
        if (
            today.month <= 3
            and not has_report
            and BudgetYear.objects.filter(year=last_year).exists()
        ):
            result.append(
                Todo(
                    f"Gör årsrapporten för {last_year} (senast 31 mars)",
                    reverse("forbund:report_list"),
                    urgent=today.month == 3,
                )
            )
    if roles.auditor:
        package = AnnualReport.objects.filter(
            kind=AnnualReport.Kind.AUDIT_PACKAGE, year=last_year, status=AnnualReport.Status.DONE
        ).exists()
        if package:
            result.append(
                Todo(f"Revisionspaketet för {last_year} finns att hämta", reverse("forbund:audit"))
            )
    return result
