from finsam.navigation import NavItem

from . import permissions


def items(user) -> list[NavItem]:
    result = []
    if permissions.can_view_forbund(user):
        result += [
            NavItem("Förbundet", "forbund:overview", 10),
            NavItem("Styrelsen", "forbund:board", 11),
            NavItem("Budget", "forbund:budget_list", 12),
        ]
    if permissions.can_view_reports(user):
        roles = permissions.roles_of(user)
        if roles.office or roles.board:
            result.append(NavItem("Årsrapport", "forbund:report_list", 70))
        if roles.office or roles.auditor:
            result.append(NavItem("Revision", "forbund:audit", 71))
    if permissions.can_manage_forbund(user):
        result.append(NavItem("Import", "forbund:data_import", 85))
    if permissions.can_manage_accounts(user):
        result.append(NavItem("Konton", "forbund:account_list", 90))
    return result
