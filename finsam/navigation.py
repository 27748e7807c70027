"""The main menu: each app says which of its pages the user's roles may use."""

from dataclasses import dataclass
from importlib import import_module

from django.urls import reverse

APPS = ("forbund", "insatser", "uppfoljning")


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)


def nav_items(request) -> list[dict]:
    from forbund.permissions import can_read_audit_trail

    items: list[NavItem] = [NavItem("Start", "start", 0)]
    if can_read_audit_trail(request.user):
        items.append(NavItem("Händelselogg", "event_list", 95))
    for app in APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(module.items(request.user))
    items.sort(key=lambda item: item.order)
    urls = [item.url for item in items]
    # The current item is the one whose address is the longest prefix of the page's path, so
    # /forbund/budget/2026/ marks "Budget", not also "Förbundet" at /forbund/.
    matches = [url for url in urls if url != "/" and request.path.startswith(url)]
    current = max(matches, key=len) if matches else ("/" if request.path == "/" else None)
    return [
        {"label": item.label, "url": url, "current": url == current}
        for item, url in zip(items, urls, strict=True)
    ]
