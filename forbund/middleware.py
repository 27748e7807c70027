from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .permissions import requires_mfa


class RequireMFAMiddleware:
    """Send kansli, board members and auditors without MFA to the MFA set-up pages only."""

    ALLOWED_PREFIXES = (
        "/konto/2fa/",
        "/konto/reauthenticate/",
        "/konto/logout/",
        "/static/",
        "/health/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.FINSAM_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and requires_mfa(request.user)
            and not _has_mfa(request.user)
        ):
            return redirect(reverse("mfa_index"))
        return self.get_response(request)


def _has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
