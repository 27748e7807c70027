"""`make bench`: build a large generated förbund in a scratch database and time the main pages.

The data comes from each app's `benchdata.generate(rng, ctx)` (seeded, so every run builds the
same förbund); the pages to time from each app's `benchdata.pages(ctx)`. Every page is timed
through Django's test client, next to a bare view that runs one query over the same table and
renders a minimal template, so the page's own overhead shows as a ratio.

Uses PostgreSQL when DATABASE_URL points at it (a database named `<name>_bench` is created and
dropped), otherwise a temporary SQLite file.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import urlparse, urlunparse

APPS = ("forbund", "insatser", "uppfoljning")


@dataclass
class Page:
    label: str
    email: str
    url: str
    baseline_model: str  # "app_label.ModelName": the table the bare view reads
    expect_status: int = 200


@dataclass
class Measurement:
    label: str
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _scratch_database() -> tuple[str, callable]:
    """Point DATABASE_URL at a new scratch database; return its URL and a clean-up function."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(url)
        name = f"{parsed.path.lstrip('/') or 'finsam'}_bench"
        admin_url = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return urlunparse(parsed._replace(path=f"/{name}")), drop
    folder = tempfile.mkdtemp(prefix="finsam-bench-")
    return f"sqlite:///{folder}/bench.sqlite3", lambda: None


def measure(client, url: str, runs: int) -> Measurement:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Measurement(label=url)
    for _ in range(2):  # warm caches and connections
        client.get(url)
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            result.times_ms.append((time.perf_counter() - started) * 1000)
        result.status = response.status_code
        result.queries = len(queries)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="mätningar per sida")
    parser.add_argument("--scale", type=float, default=1.0, help="datamängd (1.0 = fullstor)")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args(argv)

    scratch_url, drop = _scratch_database()
    os.environ["DATABASE_URL"] = scratch_url
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        os.environ.pop(name, None)  # tasks run eagerly: the report is timed in this process
    os.environ["FINSAM_REQUIRE_MFA"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ROOT_URLCONF = "finsam.bench_urls"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    try:
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"Databas: {engine} (tillfällig)")
        call_command("migrate", verbosity=0)
        rng = random.Random(args.seed)
        ctx: dict = {"scale": args.scale}
        started = time.perf_counter()
        modules = []
        for app in APPS:
            try:
                modules.append(import_module(f"{app}.benchdata"))
            except ModuleNotFoundError:
                continue
        for module in modules:
            t = time.perf_counter()
            module.generate(rng, ctx)
            print(f"  data {module.__name__:<22} {time.perf_counter() - t:6.1f} s")
        print(f"Genererat på {time.perf_counter() - started:.1f} s: {ctx.get('summary', '')}")

        pages: list[Page] = []
        for module in modules:
            pages.extend(module.pages(ctx))
        from forbund.models import User

        header = (
            f"{'sida':<44} {'median':>8} {'p95':>8} {'frågor':>7} "
            f"{'bar median':>11} {'bar frågor':>11} {'kvot':>6}"
        )
        print()
        print(header)
        print("-" * len(header))
        failures = 0
        for page in pages:
            client = Client()
            client.force_login(User.objects.get(email=page.email))
            result = measure(client, page.url, args.runs)
            bare = measure(client, f"/_bench/bare/{page.baseline_model}/", args.runs)
            ratio = result.median / bare.median if bare.median else float("nan")
            flag = "" if result.status == page.expect_status else f"  (status {result.status})"
            failures += bool(flag)
            print(
                f"{page.label:<44} {result.median:7.1f}ms {result.p95:7.1f}ms {result.queries:>7} "
                f"{bare.median:9.1f}ms {bare.queries:>11} {ratio:5.1f}x{flag}"
            )
        for module in modules:
            extra = getattr(module, "extra_benchmarks", None)
            if extra is not None:
                extra(ctx, args.runs)
        return 1 if failures else 0
    finally:
        drop()


if __name__ == "__main__":
    sys.exit(main())
