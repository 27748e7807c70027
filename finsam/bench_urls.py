"""URLs for `make bench`: the app's own, plus a bare view used as the baseline."""

from django.apps import apps
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from .urls import urlpatterns as app_urlpatterns

_TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><html lang='sv'><title>bar</title><ul>{% for row in rows %}"
    "<li>{{ row }}</li>{% endfor %}</ul></html>"
)


def bare_view(request, model):
    """Run one query over `model`'s table and render a minimal template.

    The rows are read as plain values, so no `__str__` reaches into related tables and the
    baseline stays one query whatever the model."""
    rows = list(apps.get_model(model).objects.values()[:50])
    return HttpResponse(_TEMPLATE.render({"rows": rows}))


urlpatterns = [path("_bench/bare/<str:model>/", bare_view), *app_urlpatterns]
