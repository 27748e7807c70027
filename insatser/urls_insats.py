from django.urls import path

from . import views_insats as views

app_name = "insats"

urlpatterns = [
    path("", views.insats_list, name="list"),
    path("<int:pk>/", views.insats_detail, name="detail"),
    path("<int:pk>/avtal/", views.agreement, name="agreement"),
    path("<int:pk>/avsluta/", views.close, name="close"),
    path("<int:pk>/rekvisitioner/ny/", views.payment_create, name="payment_create"),
    path(
        "<int:pk>/rekvisitioner/<int:request_pk>/attestera/",
        views.payment_attest,
        name="payment_attest",
    ),
    path(
        "<int:pk>/rekvisitioner/<int:request_pk>/avvisa/", views.payment_deny, name="payment_deny"
    ),
    path(
        "<int:pk>/rekvisitioner/<int:request_pk>/utbetald/",
        views.payment_paid,
        name="payment_paid",
    ),
    path("<int:pk>/rapporter/ny/", views.report_add, name="report_add"),
    path("<int:pk>/rapporter/<int:report_pk>/", views.report, name="report"),
    path(
        "<int:pk>/rapporter/<int:report_pk>/bilaga/",
        views.report_attachment,
        name="report_attachment",
    ),
]
