"""Every form in the app, tried with bad input: it never fails with a server error, and when
the form is shown again with errors, nothing in the database has changed.

The forms are found from the URL conf: every route without arguments, or with a `year`, that
shows a `<form method="post">` to the kansli (or to the party staff) is tried.
"""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

SKIPPED_PREFIXES = ("admin:", "account_", "mfa_", "socialaccount", "usersessions")
HUGE = "9" * 40
TEXT_BOMB = "x" * 100_000


class FormFinder(HTMLParser):
    """Collect the fields of every POST form on a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "multipart": False}
            self._form["multipart"] = "multipart" in (attrs.get("enctype") or "")
            self.forms.append(self._form)
        elif self._form is not None and tag in {"input", "textarea", "select"}:
            name = attrs.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            kind = attrs.get("type", "text") if tag == "input" else tag
            self._form["fields"][name] = {"type": kind, "value": attrs.get("value", "")}
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select and self._form is not None:
            field = self._form["fields"][self._select]
            field.setdefault("options", []).append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def routes(patterns=None, prefix="", namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, list(pattern.pattern.converters)


def form_urls() -> list[str]:
    year = timezone.localdate().year
    urls = []
    for name, params in routes():
        if name.startswith(SKIPPED_PREFIXES):
            continue
        if not params:
            urls.append(reverse(name))
        elif params == ["year"]:
            urls.append(reverse(name, kwargs={"year": year}))
    return urls


def bad_payloads(fields: dict) -> list[tuple[str, dict, dict]]:
    """Return (label, data, files) payloads that a careful form must survive."""
    payloads = []
    for label, text, number, date in [
        ("negativa och enorma tal", "-1", f"-{HUGE}", "2026-13-45"),
        ("fel typer", "abc", "tolv", "igår"),
        ("jättelånga värden", TEXT_BOMB, HUGE, "9999-99-99"),
        ("formel och personnummer", '=HYPERLINK("http://x","y") 19811218-9876', "1e309", ""),
    ]:
        data, files = {}, {}
        for name, field in fields.items():
            kind = field["type"]
            if kind in {"hidden", "submit", "button"}:
                data[name] = field["value"]
            elif kind == "number":
                data[name] = number
            elif kind == "date":
                data[name] = date
            elif kind in {"checkbox", "radio"}:
                data[name] = field["value"] or "on"
            elif kind == "select":
                data[name] = (
                    "999999999" if label == "fel typer" else (field.get("options") or [""])[-1]
                )
            elif kind == "file":
                content = b"MZ\x90\x00 inte en pdf" + b"\0" * (10 * 1024 * 1024 + 1)
                files[name] = SimpleUploadedFile("ser-ut-som.pdf", content, "application/pdf")
            else:
                data[name] = text
        payloads.append((label, data, files))
    return payloads


def row_counts() -> dict[str, int]:
    ignored = {"django_session", "finsam_event", "account_emailaddress"}
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in ignored:
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["kansli@demo.se", "part@demo.se"])
def test_every_form_survives_bad_input(client, demo, with_mfa, email):
    client.force_login(with_mfa(demo[email]))
    client.raise_request_exception = True
    tried = set()
    for url in form_urls():
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        finder = FormFinder()
        finder.feed(page.content.decode())
        for form in finder.forms:
            if not form["fields"] or form["action"] not in {"", url}:
                continue
            for label, data, files in bad_payloads(form["fields"]):
                before = row_counts()
                response = client.post(url, {**data, **files})
                assert response.status_code < 500, (url, label)
                if response.status_code == 200:
                    assert row_counts() == before, f"{url}: '{label}' was refused but changed data"
                tried.add(url)
    # The kansli has forms on many pages; party staff at least the new application form.
    assert len(tried) >= (5 if email == "kansli@demo.se" else 1), tried
