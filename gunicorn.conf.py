"""Gunicorn settings, read by every `gunicorn` started from the project folder (the Dockerfile,
docker compose and `make load`); the command line may still set the number of workers.

Each worker process runs a few threads. A login spends most of a second hashing the password,
and the hashing lets other threads run, so pages asked for at the same time are served alongside
it instead of queueing behind it in a single-threaded worker. Database connections are per
thread (CONN_MAX_AGE), so keep workers × threads within PostgreSQL's max_connections.
"""

import os

workers = int(os.environ.get("WEB_WORKERS", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 60
# Keep an idle connection open longer than a browser (or the load test) waits between clicks, so
# the server does not close it just as the next request is sent on it (a reset connection).
keepalive = 30
