"""The meeting documents as HTML and PDF: the kallelse with its beslutsunderlag, and the protokoll.

Plain functions, testable without Celery. PDFs are PDF/A (archivable public records), rendered by
WeasyPrint with the system's DejaVu fonts.
"""

from django.template.loader import render_to_string
from django.utils import timezone

from forbund.models import Forbund

from . import selectors_meetings
from .models_meetings import Meeting

PDF_VARIANT = "pdf/a-3b"


def _context(meeting: Meeting) -> dict:
    return {
        "meeting": meeting,
        "forbund": Forbund.objects.first(),
        "items": selectors_meetings.agenda(meeting),
        "signatures": selectors_meetings.signatures(meeting),
        "seats": list(selectors_meetings.board_seats_on(meeting.held_on)),
        "printed_at": timezone.localtime(),
    }


def minutes_html(meeting: Meeting) -> str:
    """Return the protokoll as a standalone HTML document (the PDF's source)."""
    return render_to_string("insatser/meetings/minutes_document.html", _context(meeting))


def notice_html(meeting: Meeting) -> str:
    """Return the kallelse with the agenda and each ärende's beslutsunderlag."""
    return render_to_string("insatser/meetings/notice_document.html", _context(meeting))


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def minutes_pdf(meeting: Meeting) -> bytes:
    return to_pdf(minutes_html(meeting))


def notice_pdf(meeting: Meeting) -> bytes:
    return to_pdf(notice_html(meeting))
