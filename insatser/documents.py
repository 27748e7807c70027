"""The meeting documents as HTML and PDF: the kallelse with its beslutsunderlag, and the protokoll.

Plain functions, testable without Celery. PDFs are PDF/A (archivable public records), rendered by
WeasyPrint with the system's DejaVu fonts.
"""

import hashlib

from django.core.cache import cache
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


# Rendering a PDF takes WeasyPrint a second or more, and the same protokoll is opened again and
# again. The PDF depends only on its HTML, so it is kept in the cache under the HTML's SHA-256: a
# change to the meeting changes the HTML and so the key, and nothing needs to be invalidated.
PDF_CACHE_SECONDS = 24 * 60 * 60
PDF_CACHE_MAX_BYTES = 5 * 1024 * 1024


def to_pdf(html: str) -> bytes:
    key = "finsam:pdf:" + hashlib.sha256(f"{PDF_VARIANT}\n{html}".encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        from weasyprint import HTML

        pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
        if len(pdf) <= PDF_CACHE_MAX_BYTES:
            cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def minutes_pdf(meeting: Meeting) -> bytes:
    return to_pdf(minutes_html(meeting))


def notice_pdf(meeting: Meeting) -> bytes:
    return to_pdf(notice_html(meeting))
