from django.core.cache import cache

from forbund.models import Forbund

from .navigation import nav_items


def navigation(request):
    """Give every page the menu the user's roles may use and the förbund's name."""
    name = cache.get("finsam:forbund_name")
    if name is None:
        name = Forbund.objects.values_list("name", flat=True).first() or ""
        cache.set("finsam:forbund_name", name, 300)
    return {
        "forbund_name": name,
        "nav_items": nav_items(request) if request.user.is_authenticated else [],
    }
