"""A real Celery worker for the fault tests, started as `python -m tests.forbund.report_worker`.

It is the project's worker (`celery -A finsam worker ...`, the arguments after the module name)
with two test-only changes, set by environment variables so the product code has no hooks:

FINSAM_TEST_HOLD_DIR  the first time a report is rendered, the process writes its pid to
                      `held.pid` in that folder and sleeps, so the test knows which process is in
                      the middle of the task and can kill it. Later renders run at once.
FINSAM_TEST_VISIBILITY_TIMEOUT  seconds before Redis gives an unacknowledged message to another
                      worker (the product waits an hour), so a test can see a dead worker's
                      message come back.
"""

import os
import sys
import time
from pathlib import Path

HOLD_SECONDS = 120


def _hold_first_render(folder: Path) -> None:
    from forbund import services_reports

    render = services_reports._render

    def held_render(report):
        marker = folder / "held.pid"
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(HOLD_SECONDS)  # killed here by the test
        return render(report)

    services_reports._render = held_render


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()
    from finsam.celery import app

    if hold := os.environ.get("FINSAM_TEST_HOLD_DIR"):
        _hold_first_render(Path(hold))
    if seconds := os.environ.get("FINSAM_TEST_VISIBILITY_TIMEOUT"):
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "visibility_timeout": int(seconds),
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        }
    app.worker_main(["worker", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
