from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
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
