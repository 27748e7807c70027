from django.urls import path

from . import views, views_reports

app_name = "uppfoljning"

urlpatterns = [
    path("", views_reports.index, name="index"),
    path("oversikt/", views_reports.dashboard, name="dashboard"),
    path("insats/<int:pk>/", views_reports.insats_followup, name="insats"),
    path(
        "insats/<int:pk>/period/<str:code>/starta/",
        views_reports.report_start,
        name="report_start",
    ),
    path("rapport/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("rapport/<int:pk>/fyll-i/", views_reports.report_edit, name="report_edit"),
    path("rapport/<int:pk>/godkann/", views_reports.report_approve, name="report_approve"),
    path("rapport/<int:pk>/skicka-tillbaka/", views_reports.report_return, name="report_return"),
    path("rapport/<int:pk>/oppna-igen/", views_reports.report_reopen, name="report_reopen"),
    path("import/", views_reports.data_import, name="import"),
    path("import/bekrafta/", views_reports.data_import_confirm, name="import_confirm"),
    path("import/mall.<str:file_format>", views_reports.export_template, name="import_template"),
    path("export/alla.<str:file_format>", views_reports.export_all, name="export_all"),
    path(
        "export/<int:year>/nationell.<str:file_format>",
        views_reports.export_national,
        name="export_national",
    ),
    path("kategorier/", views.category_list, name="category_list"),
    path("kategorier/<slug:kind>/ny/", views.category_create, name="category_create"),
    path("kategorier/<int:pk>/", views.category_edit, name="category_edit"),
    path("installningar/", views.settings_edit, name="settings_edit"),
]
