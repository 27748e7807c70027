from finsam.navigation import NavItem

from . import permissions


def items(user) -> list[NavItem]:
    if permissions.can_view_list(user):
        return [NavItem("Ansökningar", "insatser:list", 20)]
    return []
