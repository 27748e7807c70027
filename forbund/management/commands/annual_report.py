from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from forbund import services_reports
from forbund.models import AnnualReport


class Command(BaseCommand):
    help = (
        "Gör årsrapporten för ett år som PDF/A, på samma sätt som sidan Årsrapport: en ny "
        "version sparas med sitt underlag och kan också skrivas till en fil."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="året rapporten gäller, t.ex. 2025")
        parser.add_argument("--output", "-o", help="skriv också PDF-filen hit")

    def handle(self, *args, year: int, output: str | None = None, **options):
        try:
            report = services_reports.annual_report_request(year=year, by=None, in_background=False)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            report = services_reports.annual_report_make(report_id=report.pk)
        except Exception as error:
            services_reports.annual_report_fail(
                report_id=report.pk, reason=services_reports.failure_text(error)
            )
            raise CommandError(services_reports.failure_text(error)) from error
        if report.status != AnnualReport.Status.DONE:
            raise CommandError(report.failure_reason or "Rapporten blev inte klar.")
        if output:
            with report.file.open("rb") as handle:
                Path(output).write_bytes(handle.read())
        self.stdout.write(
            f"Årsrapport {year}, version {report.version}: {report.file.name} "
            f"({report.size_bytes} byte, SHA-256 {report.sha256})"
            + (f", skriven till {output}" if output else "")
        )
