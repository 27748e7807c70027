import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Attachments land in a temporary directory, never in the project's media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
