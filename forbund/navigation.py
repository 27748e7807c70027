from finsam.navigation import NavItem

from . import permissions


def items(user) -> list[NavItem]:
    result = []
    if permissions.can_manage_accounts(user):
        result.append(NavItem("Konton", "forbund:account_list", 90))
    return result
