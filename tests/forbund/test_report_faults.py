"""Faults while a report is asked for or made: the broker is down, no worker runs, the worker dies
in the middle, a version never finishes. A request is never lost: it runs when a worker is back,
or it shows as failed (or "kan ha fastnat") with its reason and can be asked for again."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from celery.exceptions import TimeLimitExceeded, WorkerLostError
from django.conf import settings as django_settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from finsam.audit import events_for
from forbund import services_reports, tasks
from forbund.models import AnnualReport
from forbund.models.reports import stuck_after
from tests.conftest import skip_or_fail
from tests.factories.reports import reported_year
from tests.forbund.test_report_worker import _database_url

WAIT_SECONDS = 180


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _closed_port() -> int:
    """A loopback port nobody listens on: a broker that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Broker:
    """Point the Celery app at `url`, not eager, and back again afterwards."""

    def __init__(self, url: str):
        from finsam.celery import app

        self.app, self.url = app, url

    def _reset_pools(self):
        self.app._pool = None
        self.app.amqp._producer_pool = None

    def __enter__(self):
        # Celery prefers the CELERY_BROKER_URL environment variable (set in CI) to its config.
        self.previous_env = os.environ.pop("CELERY_BROKER_URL", None)
        self.previous = self.app.conf.broker_url
        self.app.conf.task_always_eager = False
        self.app.conf.broker_url = self.url
        self._reset_pools()
        return self

    def __exit__(self, *exc):
        if self.previous_env is not None:
            os.environ["CELERY_BROKER_URL"] = self.previous_env
        self.app.conf.broker_url = self.previous
        self.app.conf.task_always_eager = True
        self._reset_pools()


@pytest.fixture
def year_data(db, with_mfa):
    data = reported_year()
    with_mfa(data["office"])
    with_mfa(data["chair"])
    return data


# --- The broker can't be reached when the report is asked for ---------------------------------


def test_broker_down_the_request_is_recorded_as_failed_with_the_reason(
    year_data, django_capture_on_commit_callbacks
):
    """With Redis down the request is saved, then marked failed with a Swedish reason within a few
    seconds; it is not left queued, and the failure is in the audit trail."""
    started = time.monotonic()
    with Broker(f"redis://127.0.0.1:{_closed_port()}/0"):
        with django_capture_on_commit_callbacks(execute=True):
            report = services_reports.annual_report_request(
                year=year_data["year"], by=year_data["office"]
            )
    assert time.monotonic() - started < 15
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert report.failure_reason.startswith(services_reports.QUEUE_DOWN_REASON)
    assert "meddelandekön (Redis) svarar inte" in report.failure_reason
    assert [e.action for e in events_for(report)] == [
        "annual_report.requested",
        "annual_report.failed",
    ]


@pytest.mark.django_db(transaction=True)
def test_broker_down_the_page_says_why_and_asking_again_works(client, year_data):
    """The kansli gets the report list back with the reason (not a 500, not a spinner); the failed
    version shows "Beställ igen", and once Redis is back the new version is made."""
    client.force_login(year_data["office"])
    url = reverse("forbund:report_request")
    with Broker(f"redis://127.0.0.1:{_closed_port()}/0"):  # commits: the view sees the failure
        response = client.post(url, {"year": year_data["year"]})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("kunde inte beställas" in t and "meddelandekön" in t for t in texts), texts
    first = AnnualReport.objects.get()
    assert first.status == AnnualReport.Status.FAILED

    page = client.get(reverse("forbund:report_list")).content.decode()
    assert "meddelandekön (Redis) svarar inte" in page
    assert "Beställ igen" in page

    response = client.post(url, {"year": year_data["year"]})  # the broker is back (eager here)
    assert response.status_code == 302
    second = AnnualReport.objects.get(version=2)
    assert second.status == AnnualReport.Status.DONE
    first.refresh_from_db()
    assert first.status == AnnualReport.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_broker_down_for_the_audit_package_too(client, year_data):
    """The revisionspaket goes the same way: failed with the reason, shown on the audit page."""
    client.force_login(year_data["office"])
    with Broker(f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.post(reverse("forbund:audit_package_request", args=[year_data["year"]]))
    assert response.status_code == 302
    package = AnnualReport.objects.get(kind=AnnualReport.Kind.AUDIT_PACKAGE)
    assert package.status == AnnualReport.Status.FAILED
    page = client.get(reverse("forbund:audit")).content.decode()
    assert "meddelandekön (Redis) svarar inte" in page
    assert "Beställ igen" in page


# --- A version that never finishes ------------------------------------------------------------


def _queued(data, **fields) -> AnnualReport:
    """A version saved as queued whose task never ran (its message was lost)."""
    report = services_reports.annual_report_request(
        year=data["year"], by=data["office"], in_background=False
    )
    AnnualReport.objects.filter(pk=report.pk).update(**fields)
    report.refresh_from_db()
    return report


def test_a_fresh_version_is_not_stuck_and_blocks_a_second_request(year_data):
    """Within the time limit a queued version is just queued: a second request is refused."""
    report = _queued(year_data)
    assert not report.stuck
    with pytest.raises(ValidationError) as caught:
        services_reports.annual_report_request(year=year_data["year"], by=year_data["office"])
    assert "håller redan på att göras" in caught.value.messages[0]


@pytest.mark.parametrize("status", ["queued", "running"])
def test_a_version_past_the_hard_time_limit_may_be_stuck(year_data, status):
    """Queued or running for longer than the hard time limit plus the margin: "kan ha fastnat"."""
    assert stuck_after() > timedelta(seconds=django_settings.CELERY_TASK_TIME_LIMIT)
    old = timezone.now() - stuck_after() - timedelta(minutes=1)
    fields = {"status": status, "requested_at": old}
    if status == "running":
        fields["started_at"] = old
    assert _queued(year_data, **fields).stuck


def test_a_running_version_counts_from_its_latest_start(year_data):
    """Asked for long ago but (re)started a minute ago, e.g. after a retry: not stuck."""
    report = _queued(
        year_data,
        status=AnnualReport.Status.RUNNING,
        requested_at=timezone.now() - stuck_after() - timedelta(hours=1),
        started_at=timezone.now() - timedelta(minutes=1),
    )
    assert not report.stuck


def test_the_list_shows_kan_ha_fastnat_and_only_the_kansli_may_ask_again(client, year_data):
    """The stuck version says so; the kansli sees "Beställ igen", the board does not; the row no
    longer polls."""
    report = _queued(year_data, requested_at=timezone.now() - stuck_after() - timedelta(hours=1))
    client.force_login(year_data["office"])
    page = client.get(reverse("forbund:report_list")).content.decode()
    assert "Kan ha fastnat." in page
    assert "Beställ igen" in page
    assert f'hx-get="{reverse("forbund:report_status", args=[report.pk])}"' not in page
    row = client.get(reverse("forbund:report_status", args=[report.pk])).content.decode()
    assert "Kan ha fastnat." in row and "Beställ igen" in row

    client.force_login(year_data["chair"])
    page = client.get(reverse("forbund:report_list")).content.decode()
    assert "Kan ha fastnat." in page
    assert "Beställ igen" not in page


def test_asking_again_for_a_stuck_version_fails_it_and_makes_a_new_one(
    client, year_data, django_capture_on_commit_callbacks
):
    """Asking again gives the stuck version up (failed, with the reason, in the audit trail by
    the kansli) and makes a new version; the lost task, should it turn up, changes nothing."""
    stuck = _queued(year_data, requested_at=timezone.now() - stuck_after() - timedelta(hours=1))
    client.force_login(year_data["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forbund:report_request"), {"year": year_data["year"]})
    assert response.status_code == 302
    stuck.refresh_from_db()
    assert stuck.status == AnnualReport.Status.FAILED
    assert "kan ha fastnat" in stuck.failure_reason
    given_up = [e for e in events_for(stuck) if e.action == "annual_report.abandoned"]
    assert len(given_up) == 1 and given_up[0].actor == year_data["office"]
    new = AnnualReport.objects.get(version=2)
    assert new.status == AnnualReport.Status.DONE

    assert tasks.make_annual_report.apply(args=[stuck.pk]).get() == AnnualReport.Status.FAILED
    stuck.refresh_from_db()
    assert stuck.status == AnnualReport.Status.FAILED and not stuck.file


def test_the_hard_time_limit_is_recorded_on_the_report(year_data):
    """When the worker kills a task at the hard time limit (the task itself can't record it), the
    report is marked failed with the reason instead of staying "running"."""
    report = _queued(year_data, status=AnnualReport.Status.RUNNING, started_at=timezone.now())
    tasks.make_annual_report.on_failure(
        TimeLimitExceeded(django_settings.CELERY_TASK_TIME_LIMIT), "id", (report.pk,), {}, None
    )
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert "yttersta tidsgränsen" in report.failure_reason


def test_a_lost_worker_that_is_not_requeued_is_recorded(year_data):
    """WorkerLostError reaching on_failure means the message was not given back: failed, why."""
    report = _queued(year_data, status=AnnualReport.Status.RUNNING, started_at=timezone.now())
    tasks.make_annual_report.on_failure(
        WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL)."),
        "id",
        (report.pk,),
        {},
        None,
    )
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.FAILED
    assert "avslutades oväntat" in report.failure_reason


def test_other_failures_are_left_to_the_task(year_data):
    """Errors the task catches itself are not recorded twice by on_failure."""
    report = _queued(year_data)
    tasks.make_annual_report.on_failure(ValueError("x"), "id", (report.pk,), {}, None)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.QUEUED


# --- A real worker on Redis: not running yet, killed in the middle ------------------------------


def _needs_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        skip_or_fail("PostgreSQL behövs för testerna med en riktig worker (sätt DATABASE_URL)")
    return connection


class Worker:
    """`celery worker` (through tests.forbund.report_worker) on its own queue, against the test
    database, logging to a file."""

    def __init__(self, tmp_path: Path, redis_url: str, queue: str, *, pool="solo", **extra_env):
        self.tmp_path, self.redis_url, self.queue, self.pool = tmp_path, redis_url, queue, pool
        self.extra_env = extra_env
        self.log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.process = None

    def start(self):
        from django.db import connection

        env = {
            **os.environ,
            "DATABASE_URL": _database_url(connection),  # the test database, not the real one
            "CELERY_BROKER_URL": self.redis_url,
            "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
            "DJANGO_SETTINGS_MODULE": "finsam.settings",
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }
        pool = ["--pool", "solo"] if self.pool == "solo" else ["--pool", "prefork", "-c", "1"]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.forbund.report_worker",
                    "-Q",
                    self.queue,
                    *pool,
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=Path(django_settings.BASE_DIR),
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        return self

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


@pytest.fixture
def real_broker(redis_url, monkeypatch):
    """Redis as the broker, and the report task sent to a queue of this test's own, so no other
    worker on the same Redis can take it."""
    queue = f"finsam-test-{uuid.uuid4().hex[:10]}"
    send = tasks.make_annual_report.apply_async

    def to_own_queue(*args, **kwargs):
        return send(*args, **{**kwargs, "queue": queue})

    monkeypatch.setattr(tasks.make_annual_report, "apply_async", to_own_queue)
    with Broker(redis_url):
        yield queue
    import redis

    redis.Redis.from_url(redis_url).delete(queue)


def _wait_until_finished(report: AnnualReport) -> AnnualReport:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if not report.in_progress:
            break
        time.sleep(0.5)
    return report


def _wait_for(path: Path, worker: Worker, seconds: int = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not path.exists():
        assert worker.process.poll() is None, worker.tail()
        time.sleep(0.2)
    assert path.exists(), worker.tail()
    time.sleep(0.2)  # the pid is written in one go; give the write a moment
    return path.read_text()


@pytest.mark.django_db(transaction=True)
def test_with_no_worker_the_report_waits_in_redis_and_runs_when_one_starts(
    real_broker, tmp_path, settings
):
    """Asked for while no worker runs: the version stays queued and its message waits in Redis;
    a worker started afterwards makes it, once."""
    _needs_postgres()
    import redis

    data = reported_year()
    report = services_reports.annual_report_request(year=data["year"], by=data["office"])
    time.sleep(1)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.QUEUED
    assert redis.Redis.from_url(_redis_url_of_app()).llen(real_broker) == 1  # waiting in Redis

    worker = Worker(tmp_path, _redis_url_of_app(), real_broker).start()
    try:
        report = _wait_until_finished(report)
    finally:
        worker.stop()
    assert report.status == AnnualReport.Status.DONE, (report.failure_reason, worker.tail())
    assert report.attempts == 1
    assert (Path(settings.MEDIA_ROOT) / report.file.name).read_bytes().startswith(b"%PDF")


def _redis_url_of_app() -> str:
    from finsam.celery import app

    return app.conf.broker_url


@pytest.mark.django_db(transaction=True)
def test_a_killed_pool_process_gives_the_message_back_and_the_report_is_made(real_broker, tmp_path):
    """kill -9 of the process in the middle of making the report: with late acks and
    reject-on-worker-lost the message goes back to Redis, the worker runs it again, and the
    report ends done on the second attempt."""
    _needs_postgres()
    data = reported_year()
    hold = tmp_path / "hold"
    hold.mkdir()
    worker = Worker(
        tmp_path, _redis_url_of_app(), real_broker, pool="prefork", FINSAM_TEST_HOLD_DIR=str(hold)
    ).start()
    try:
        report = services_reports.annual_report_request(year=data["year"], by=data["office"])
        pid = int(_wait_for(hold / "held.pid", worker))
        assert pid != worker.process.pid  # the pool's child, not the worker itself
        report.refresh_from_db()
        assert report.status == AnnualReport.Status.RUNNING
        os.kill(pid, signal.SIGKILL)
        report = _wait_until_finished(report)
    finally:
        worker.stop()
    assert report.status == AnnualReport.Status.DONE, (report.failure_reason, worker.tail())
    assert report.attempts == 2
    actions = [e.action for e in events_for(report)]
    assert actions.count("annual_report.done") == 1


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_leaves_the_message_in_redis_for_the_next_worker(real_broker, tmp_path):
    """kill -9 of the whole worker in the middle: the unacknowledged message stays in Redis and a
    worker started later gets it back once the visibility timeout has passed (shortened here),
    and the report is made."""
    _needs_postgres()
    data = reported_year()
    hold = tmp_path / "hold"
    hold.mkdir()
    first = Worker(tmp_path, _redis_url_of_app(), real_broker, FINSAM_TEST_HOLD_DIR=str(hold))
    first.start()
    try:
        report = services_reports.annual_report_request(year=data["year"], by=data["office"])
        pid = int(_wait_for(hold / "held.pid", first))
        assert pid == first.process.pid  # solo pool: the worker itself makes the report
    finally:
        first.kill()
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.RUNNING
    time.sleep(3)
    second = Worker(
        tmp_path,
        _redis_url_of_app(),
        real_broker,
        FINSAM_TEST_HOLD_DIR=str(hold),
        FINSAM_TEST_VISIBILITY_TIMEOUT="2",
    ).start()
    try:
        report = _wait_until_finished(report)
    finally:
        second.stop()
    assert report.status == AnnualReport.Status.DONE, (report.failure_reason, second.tail())
    assert report.attempts == 2
