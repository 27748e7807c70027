from finsam.navigation import NavItem

from . import permissions


def items(user) -> list[NavItem]:
    result = []
    if permissions.can_view_followup(user):
        result.append(NavItem("Uppföljning", "uppfoljning:index", 60))
    return result
