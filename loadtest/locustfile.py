"""Load test: simulated users of every role doing their journeys (run through `make load`).

Each user logs in through the login form, then walks the pages its role's menu offers and the
detail pages linked from them, the way a person reads and clicks. On top of that each role does
what it writes:

- the kansli asks for an annual report now and then and follows its status row the way the page
  polls it (a request while another version is being made gets the page's Swedish refusal, which
  is the right answer, not an error);
- party staff open a period report (starting the current period's draft when there is none yet)
  and save the draft, and open an application draft and save it;
- board members open the meetings and the meeting pages.

Forms are posted back the way a browser would: every field as the page filled it in.
"""

import json
import os
import random
import re
import time
from html.parser import HTMLParser

from locust import HttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = "finsam-demo"
NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.S)
HREF = re.compile(r'href="(/[^"#?]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SKIP = ("/konto/", "/static/", "/admin/", "/health/")
ERROR_TEXT = re.compile(r'class="errorlist[^"]*">\s*<li>(.*?)</li>', re.S)
STATUS_URL = re.compile(r'hx-get="(/forbund/arsrapporter/\d+/status/)"')

# The kansli as a whole asks for a new annual report at most this often, and a user follows its
# status row for at most POLL_LIMIT polls, POLL_SECONDS apart (as the page does).
REPORT_EVERY_SECONDS = 20
LOGIN_ATTEMPTS = 3
LOGIN_RETRY_SECONDS = 20
POLL_SECONDS = 2
POLL_LIMIT = 30


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields a browser would send (submit buttons
    left out; the caller adds the one it presses)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action", ""),
                    "method": attrs.get("method", "get").lower(),
                    "fields": [],
                }
            )
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    fields.append((attrs["name"], attrs.get("value", "on")))
                return
            fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and attrs.get("name"):
            self._select, self._options = attrs["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea, self._text = attrs["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if chosen or self._options:
                fields.append((self._select, (chosen or [self._options[0][0]])[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def find(self, action_part: str = "") -> dict | None:
        """The first POST form whose action contains `action_part` ("" for the page itself)."""
        for form in self.forms:
            if form["method"] != "post" or "logout" in form["action"]:
                continue
            if (action_part and action_part in form["action"]) or (
                not action_part and form["action"] in {"", "."}
            ):
                return form
        return None


# Response times split into pages and logins: a login is slow on purpose (password hashing), so
# the goal for pages is measured without it. Pages are also counted apart once every user has
# logged in ("steady"), since 30 logins in the first seconds keep both cores busy hashing.
_times: dict[str, list[float]] = {"pages": [], "login": [], "steady": []}
_errors: dict[str, int] = {"pages": 0, "login": 0, "steady": 0}
_all_logged_in: list[float] = []


@events.spawning_complete.add_listener
def _spawned(user_count, **kwargs):
    _all_logged_in.append(time.monotonic() + 5)  # the last users' logins take a moment


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    kinds = ["login"] if name.startswith("/konto/") else ["pages"]
    if kinds == ["pages"] and _all_logged_in and time.monotonic() > _all_logged_in[0]:
        kinds.append("steady")
    for kind in kinds:
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
        self.seen: list[str] = []
        for attempt in range(LOGIN_ATTEMPTS):
            if self._log_in(last=attempt == LOGIN_ATTEMPTS - 1):
                return
            time.sleep(LOGIN_RETRY_SECONDS)  # as a person told to wait a moment would
        raise StopUser()

    def _log_in(self, *, last: bool) -> bool:
        page = self.client.get("/konto/login/", name="/konto/login/")
        token = CSRF.search(page.text)
        with self.client.post(
            "/konto/login/",
            {
                "login": self.email,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/konto/login/"},
            name="/konto/login/ (POST)",
            catch_response=True,
        ) as response:
            nav = NAV.search(response.text)
            if response.status_code == 200 and "Logga ut" in response.text and nav:
                self.menu = [
                    href for href in HREF.findall(nav.group(0)) if not href.startswith(SKIP)
                ]
                return True
            said = ERROR_TEXT.search(response.text or "")
            response.failure(
                f"inloggningen misslyckades för {self.email} ({response.status_code}"
                + (f": {re.sub(r'<[^>]+>', '', said.group(1)).strip()[:120]}" if said else "")
                + ")"
                + ("" if last else ", försöker igen")
            )
            return False
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

    def links(self, html: str, pattern: str) -> list[str]:
        return sorted({href for href in HREF.findall(html) if re.fullmatch(pattern, href)})

    def post_form(self, page_path: str, html: str, *, action: str = "", extra=(), name: str):
        """Post the page's form back as filled in (plus `extra`); return the response (open, for
        the caller to judge with response.success()/failure()) or None when there is no form."""
        form = Forms(html).find(action)
        if form is None:
            return None
        target = form["action"] if form["action"] not in {"", "."} else page_path
        token = CSRF.search(html).group(1)
        data = [(k, v) for k, v in form["fields"] if k != "csrfmiddlewaretoken"]
        data += [("csrfmiddlewaretoken", token), *extra]
        return self.client.post(
            target,
            data,
            headers={"Referer": f"{self.host}{page_path}"},
            name=name,
            catch_response=True,
        )


class Kansli(FinsamUser):
    weight = 3
    email = "kansli@demo.se"
    last_report_request = 0.0  # shared by every kansli user: the office asks now and then

    @task(1)
    def ask_for_annual_report(self):
        """Ask for a new version of last year's report and follow its row until it is made."""
        path = "/forbund/arsrapporter/"
        page = self.client.get(path, name=path)
        now = time.monotonic()
        if now - Kansli.last_report_request < REPORT_EVERY_SECONDS:
            return
        Kansli.last_report_request = now
        posted = self.post_form(
            path, page.text, action="/bestall/", name="/forbund/arsrapporter/bestall/ (POST)"
        )
        if posted is None:
            return
        with posted as response:
            if response.status_code == 400 and "håller redan på att göras" in response.text:
                response.success()  # another version is being made: the page says so
            elif response.status_code != 200 or "är beställd" not in response.text:
                response.failure(f"beställningen gick inte igenom ({response.status_code})")
                return
        status = STATUS_URL.search(response.text)
        for _ in range(POLL_LIMIT if status else 0):
            time.sleep(POLL_SECONDS)
            with self.client.get(
                status.group(1),
                name="/forbund/arsrapporter/[id]/status/",
                catch_response=True,
            ) as row:
                if "Misslyckades" in row.text:
                    row.failure("årsrapporten misslyckades")
                    return
                if "hx-get" not in row.text:  # made: the row stops polling
                    return


class BoardMember(FinsamUser):
    abstract = True

    @task(3)
    def open_meeting(self):
        """The meetings list, then a meeting with its agenda and documents."""
        page = self.client.get("/sammantraden/", name="/sammantraden/")
        meetings = self.links(page.text, r"/sammantraden/\d+/")
        if meetings:
            path = random.choice(meetings)
            meeting = self.client.get(path, name=self._name(path))
            documents = self.links(meeting.text, r"/(sammantraden|ansokningar|insatser)/\d+/.*")
            if documents:
                self.seen = documents[:30]


class Ordforande(BoardMember):
    weight = 1
    email = "styrelse@demo.se"


class Ledamot(BoardMember):
    weight = 2
    email = "ledamot@demo.se"


class PartyStaff(FinsamUser):
    abstract = True

    def on_start(self):
        super().on_start()
        self.drafts: list[str] | None = None

    @task(1)
    def save_period_report_draft(self):
        """Open an insats's follow-up; start the current period's report if it has none yet;
        fill in the draft and save it."""
        index = self.client.get("/uppfoljning/", name="/uppfoljning/")
        insatser = self.links(index.text, r"/uppfoljning/insats/\d+/")
        if not insatser:
            return
        path = random.choice(insatser)
        page = self.client.get(path, name=self._name(path))
        drafts = self.links(page.text, r"/uppfoljning/rapport/\d+/fyll-i/")
        if drafts:
            edit = random.choice(drafts)
            form_page = self.client.get(edit, name=self._name(edit))
        else:
            started = self.post_form(
                path,
                page.text,
                action="/starta/",
                name="/uppfoljning/insats/[id]/period/[period]/starta/ (POST)",
            )
            if started is None:
                return  # nothing to fill in for this insats now
            with started as response:
                if "/fyll-i/" not in response.url:  # someone else started it a moment ago
                    response.success()
                    return
            form_page, edit = started, re.sub(r"^https?://[^/]+", "", started.url)
        with self.post_form(
            edit,
            form_page.text,
            extra=[("save", "1")],
            name="/uppfoljning/rapport/[id]/fyll-i/ (POST)",
        ) as response:
            if "är sparat" not in response.text:
                response.failure(f"utkastet sparades inte ({response.status_code})")

    @task(1)
    def save_application_draft(self):
        """Open one of this party's application drafts and save it."""
        if self.drafts is None:
            listing = self.client.get("/ansokningar/", name="/ansokningar/")
            self.drafts = []
            for path in self.links(listing.text, r"/ansokningar/\d+/")[:10]:
                detail = self.client.get(path, name=self._name(path))
                self.drafts += self.links(detail.text, r"/ansokningar/\d+/redigera/")
        if not self.drafts:
            return
        edit = random.choice(self.drafts)
        page = self.client.get(edit, name=self._name(edit))
        response = self.post_form(edit, page.text, name="/ansokningar/[id]/redigera/ (POST)")
        if response is None:
            self.drafts.remove(edit)  # sent in meanwhile: no longer a draft
            return
        with response:
            if "Ändringarna är sparade" not in response.text:
                response.failure(f"ansökan sparades inte ({response.status_code})")


class Partshandlaggare(PartyStaff):
    weight = 3
    email = "part@demo.se"


class PartshandlaggareAF(PartyStaff):
    weight = 2
    email = "part2@demo.se"


class Revisor(FinsamUser):
    weight = 1
    email = "revisor@demo.se"
