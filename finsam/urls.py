from django.contrib import admin
from django.urls import include, path

from . import audit_views, views

admin.site.site_header = "Finsam – administration"
admin.site.site_title = "Finsam"

urlpatterns = [
    path("", views.start, name="start"),
    path("health/", views.health_view, name="health"),
    path("logg/", audit_views.event_list, name="event_list"),
    path("konto/", include("allauth.urls")),
    path("forbund/", include("forbund.urls")),
    path("ansokningar/", include("insatser.urls")),
    path("sammantraden/", include("insatser.urls_meetings")),
    path("insatser/", include("insatser.urls_insats")),
    path("uppfoljning/", include("uppfoljning.urls")),
    path("admin/", admin.site.urls),
]

handler500 = "finsam.views.server_error"
