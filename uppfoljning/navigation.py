from finsam.navigation import NavItem

from . import permissions


def items(user) -> list[NavItem]:
    result = []
    if permissions.can_manage_categories(user):
        result.append(NavItem("Uppföljning", "uppfoljning:category_list", 60))
    return result
