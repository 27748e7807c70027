"""Demo data for the follow-up: the default category lists and settings. Safe to run twice."""

from django.db import transaction

from .defaults import ensure_default_categories
from .models import FollowUpSettings


@transaction.atomic
def seed() -> None:
    # The data migration creates these; a flushed test database has lost them, so seed again.
    ensure_default_categories()
    FollowUpSettings.load()
