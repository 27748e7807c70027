from django.urls import reverse

from finsam.start import Todo

from . import permissions
from .models import User


def todos_for(user) -> list[Todo]:
    result = []
    if permissions.can_manage_accounts(user):
        waiting = User.objects.filter(is_active=True, last_login__isnull=True).count()
        if waiting:
            result.append(
                Todo("Konton som ännu inte har loggat in", reverse("forbund:account_list"), waiting)
            )
    return result
