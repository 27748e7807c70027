from finsam.navigation import NavItem

from . import permissions


def items(user) -> list[NavItem]:
    result = []
    if permissions.can_view_list(user):
        result.append(NavItem("Ansökningar", "insatser:list", 20))
    if permissions.can_view_meetings(user):
        result.append(NavItem("Sammanträden", "meetings:list", 22))
    if permissions.can_view_decisions(user):
        result.append(NavItem("Delegationsbeslut", "meetings:delegated", 23))
    if permissions.can_view_insats_list(user):
        result.append(NavItem("Insatser", "insats:list", 24))
    return result
