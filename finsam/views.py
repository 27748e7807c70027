import logging
import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from forbund.permissions import roles_of

from .health import health
from .start import todos_for


@login_required
def start(request):
    roles = roles_of(request.user)
    return render(
        request,
        "start.html",
        {"roles": roles, "role_labels": roles.labels(), "todos": todos_for(request.user)},
    )


@never_cache
def health_view(request):
    ok, checks = health()
    return JsonResponse({"status": "ok" if ok else "fel", **checks}, status=200 if ok else 503)


def server_error(request):
    """Answer 503 with a readable page when the database is unreachable, else a plain 500 page.

    Rendered without the database (no context processors), so it works when that is down.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        logging.getLogger("finsam").error("Databasen går inte att nå: %s", exc)
        if request.path.startswith("/health/"):
            ok, checks = health()
            return JsonResponse({"status": "fel", **checks}, status=503)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(render_to_string("500.html"))
