"""Load test: simulated users of every role doing their journeys (run through `make load`).

Each user logs in through the login form, then walks the pages its role's menu offers and the
detail pages linked from them, the way a person reads and clicks. Journeys that write (report
requests and the like) are added by the apps in `JOURNEYS` below as they appear.
"""

import json
import os
import random
import re

from locust import HttpUser, between, events, task

PASSWORD = "finsam-demo"
NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SKIP = ("/konto/", "/static/", "/admin/", "/health/")


# Response times split into pages and logins: a login is slow on purpose (password hashing), so
# the goal for pages is measured without it.
_times: dict[str, list[float]] = {"pages": [], "login": []}
_errors: dict[str, int] = {"pages": 0, "login": 0}


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    kind = "login" if name.startswith("/konto/") else "pages"
    _times[kind].append(response_time)
    if exception is not None:
        _errors[kind] += 1


@events.quitting.add_listener
def _write_summary(environment, **kwargs):
    path = os.environ.get("LOAD_SUMMARY")
    if not path:
        return

    def percentile(values, share):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0

    summary = {
        kind: {
            "count": len(values),
            "errors": _errors[kind],
            "p50": percentile(values, 0.50),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }
        for kind, values in _times.items()
    }
    with open(path, "w") as handle:
        json.dump(summary, handle)


class FinsamUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    email = ""

    def on_start(self):
        page = self.client.get("/konto/login/", name="/konto/login/")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/konto/login/",
            {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/konto/login/"},
            name="/konto/login/ (POST)",
        )
        if "Logga ut" not in response.text:
            response.failure(f"inloggningen misslyckades för {self.email}")
        nav = NAV.search(response.text)
        self.menu = [href for href in HREF.findall(nav.group(0)) if not href.startswith(SKIP)]
        self.seen: list[str] = []

    @staticmethod
    def _name(path: str) -> str:
        # Group detail pages by shape so the statistics stay readable: /x/12/ -> /x/[id]/
        return re.sub(r"/\d+(?=/)", "/[id]", re.sub(r"/\d{4}-\d{3}(?=/)", "/[dnr]", path))

    @task(3)
    def open_menu_page(self):
        path = random.choice(self.menu)
        response = self.client.get(path, name=self._name(path))
        links = [
            href
            for href in HREF.findall(response.text)
            if not href.startswith(SKIP) and href not in self.menu and "/export" not in href
        ]
        if links:
            self.seen = links[:30]

    @task(2)
    def open_detail_page(self):
        if self.seen:
            path = random.choice(self.seen)
            self.client.get(path, name=self._name(path))

    @task(1)
    def open_start_page(self):
        self.client.get("/", name="/")


class Kansli(FinsamUser):
    weight = 3
    email = "kansli@demo.se"


class Ordforande(FinsamUser):
    weight = 1
    email = "styrelse@demo.se"


class Ledamot(FinsamUser):
    weight = 2
    email = "ledamot@demo.se"


class Partshandlaggare(FinsamUser):
    weight = 3
    email = "part@demo.se"


class PartshandlaggareAF(FinsamUser):
    weight = 2
    email = "part2@demo.se"


class Revisor(FinsamUser):
    weight = 1
    email = "revisor@demo.se"
