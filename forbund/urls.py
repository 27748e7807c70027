from django.urls import path

from . import views

app_name = "forbund"

urlpatterns = [
    path("konton/", views.account_list, name="account_list"),
    path("konton/ny/", views.account_create, name="account_create"),
]
