"""Meeting documents as PDF: the same protokoll is rendered once and then served from the cache;
any change to what it says gives a new PDF."""

import pytest
from django.core.cache import cache

from insatser import documents
from tests.factories.decisions import granted_insats


@pytest.fixture
def renders(monkeypatch):
    """Count the times WeasyPrint is asked to render a PDF."""
    from weasyprint import HTML

    calls = []
    write_pdf = HTML.write_pdf

    def counted(self, *args, **kwargs):
        calls.append(1)
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(HTML, "write_pdf", counted)
    cache.clear()
    yield calls
    cache.clear()


def test_the_same_minutes_are_rendered_once(db, renders):
    """Opening the protokoll again returns the same PDF without rendering it again."""
    meeting = granted_insats().decision.agenda_item.meeting
    first = documents.minutes_pdf(meeting)
    second = documents.minutes_pdf(meeting)
    assert first.startswith(b"%PDF")
    assert second == first
    assert len(renders) == 1


def test_a_change_to_the_meeting_renders_a_new_pdf(db, renders):
    """The cache key is the document's content: a new place gives a new PDF, never the old one."""
    meeting = granted_insats().decision.agenda_item.meeting
    before = documents.minutes_pdf(meeting)
    meeting.place = "Stadshuset, sal B"
    meeting.save(update_fields=["place"])
    after = documents.minutes_pdf(meeting)
    assert len(renders) == 2
    assert after != before
    assert "Stadshuset, sal B" in documents.minutes_html(meeting)
