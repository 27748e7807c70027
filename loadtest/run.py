"""`make load`: gunicorn + PostgreSQL + a Celery worker on Redis, and locust against them.

Builds a scratch database `<name>_load` from DATABASE_URL with the demo förbund, starts gunicorn
(3 workers) and a Celery worker on loopback, runs locust headless (30 users for 60 s by default)
and prints requests per second, p50/p95/p99 and errors, then stops everything and drops the
scratch database.
"""

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description="Lasttest av Finsam")
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if not database_url.startswith(("postgres://", "postgresql://")) or not broker:
        print("Lasttestet behöver DATABASE_URL (PostgreSQL) och REDIS_URL.", file=sys.stderr)
        return 2
    import psycopg

    parsed = urlparse(database_url)
    name = f"{parsed.path.lstrip('/') or 'finsam'}_load"
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    media = tempfile.mkdtemp(prefix="finsam-load-media-")
    env = {
        **os.environ,
        "DATABASE_URL": urlunparse(parsed._replace(path=f"/{name}")),
        "CELERY_BROKER_URL": broker,
        "REDIS_URL": os.environ.get("REDIS_URL", broker),
        "FINSAM_REQUIRE_MFA": "0",
        "MEDIA_ROOT": media,
        "LOG_LEVEL": "WARNING",
    }
    out = Path(tempfile.mkdtemp(prefix="finsam-load-"))
    env["LOAD_SUMMARY"] = str(out / "summary.json")
    python = str(BIN / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "seed_demo", "--quiet-logins", "-v0"], cwd=ROOT, env=env, check=True
    )
    # Every simulated user logs in from 127.0.0.1: forget the login rate-limit counters an earlier
    # run left in the cache, or its last minutes count against this one.
    import redis

    cache = redis.Redis.from_url(env["REDIS_URL"])
    for key in cache.scan_iter(match="*allauth:rl:*"):
        cache.delete(key)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server_log = (out / "servers.log").open("ab")  # gunicorn's and the worker's own output
    load_before = os.getloadavg()
    processes = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "finsam.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "finsam",
                "worker",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            # Background jobs yield the CPU to pages: on this one machine the worker shares the
            # two cores with the web; in production it runs in its own container.
            preexec_fn=lambda: os.nice(10),
        ),
    ]
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{host}/health/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        result = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "loadtest/locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                "2",
                "-t",
                f"{args.seconds}s",
                "--host",
                host,
                "--csv",
                str(out / "finsam"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
        )
        with open(out / "finsam_stats.csv", newline="") as handle:
            rows = list(csv.DictReader(handle))
        total = next(row for row in rows if row["Name"] == "Aggregated")
        pages = [
            row
            for row in rows
            if row["Name"] != "Aggregated" and not row["Name"].startswith("/konto/")
        ]
        print()
        load_after = os.getloadavg()
        print(f"Användare: {args.users}, tid: {args.seconds} s, gunicorn-arbetare: {args.workers}")
        print(
            "Maskinens belastning (load average 1/5/15 min) före: "
            + " ".join(f"{x:.2f}" for x in load_before)
            + ", efter: "
            + " ".join(f"{x:.2f}" for x in load_after)
            + f" ({os.cpu_count()} kärnor)"
        )
        print(
            f"Anrop: {total['Request Count']}, fel: {total['Failure Count']}, "
            f"anrop/s: {float(total['Requests/s']):.1f}"
        )
        summary = json.loads((out / "summary.json").read_text())
        for kind, label in (
            ("pages", "Sidor"),
            ("steady", "Sidor när alla loggat in"),
            ("login", "Inloggning"),
        ):
            part = summary[kind]
            print(
                f"{label}: {part['count']} anrop, {part['errors']} fel, p50 {part['p50']:.0f} ms, "
                f"p95 {part['p95']:.0f} ms, p99 {part['p99']:.0f} ms"
            )
        worst = max(pages, key=lambda row: float(row["95%"] or 0)) if pages else None
        if worst:
            print(f"Långsammast p95: {worst['Name']} {worst['95%']} ms")
        failures = out / "finsam_failures.csv"
        if int(total["Failure Count"]) and failures.exists():
            print("Fel:")
            with open(failures, newline="") as handle:
                for row in csv.DictReader(handle):
                    print(f"  {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']})")
        print(f"Serverloggar: {out / 'servers.log'}")
        goal = int(total["Failure Count"]) == 0 and summary["pages"]["p95"] < 300
        print("Mål (inga fel, sidornas p95 < 300 ms): " + ("uppnått" if goal else "EJ uppnått"))
        return result.returncode
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        server_log.close()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
