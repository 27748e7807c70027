"""The start page's list of things to do: each app contributes what the user's roles call for."""

from dataclasses import dataclass
from importlib import import_module

from .navigation import APPS


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    count: int | None = None
    urgent: bool = False


def todos_for(user) -> list[Todo]:
    result: list[Todo] = []
    for app in APPS:
        try:
            module = import_module(f"{app}.selectors")
        except ModuleNotFoundError:
            continue
        todo = getattr(module, "todos_for", None)
        if todo is not None:
            result.extend(todo(user))
    return sorted(result, key=lambda item: not item.urgent)
