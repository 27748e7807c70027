"""Who may see and do what in the follow-up. Views, templates and querysets ask these."""

from forbund.permissions import roles_of


def can_manage_categories(user) -> bool:
    """The category lists are the förbund's own; only the kansli changes them."""
    return roles_of(user).office


def can_manage_settings(user) -> bool:
    """The reporting period and other follow-up settings belong to the kansli."""
    return roles_of(user).office
