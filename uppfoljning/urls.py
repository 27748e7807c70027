from django.urls import path

from . import views

app_name = "uppfoljning"

urlpatterns = [
    path("kategorier/", views.category_list, name="category_list"),
    path("kategorier/<slug:kind>/ny/", views.category_create, name="category_create"),
    path("kategorier/<int:pk>/", views.category_edit, name="category_edit"),
    path("installningar/", views.settings_edit, name="settings_edit"),
]
