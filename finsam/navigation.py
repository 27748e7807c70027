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
    items: list[NavItem] = [NavItem("Start", "start", 0)]
    for app in APPS:
        try:
            module = import_module(f"{app}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(module.items(request.user))
    items.sort(key=lambda item: item.order)
    result = []
    for item in items:
        url = item.url
        current = request.path == url if url == "/" else request.path.startswith(url)
        result.append({"label": item.label, "url": url, "current": current})
    return result
