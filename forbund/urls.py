from django.urls import path

from . import views, views_reports

app_name = "forbund"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("parter/ny/", views.party_create, name="party_create"),
    path("parter/<int:pk>/", views.party_edit, name="party_edit"),
    path("styrelse/", views.board, name="board"),
    path("styrelse/ny/", views.seat_create, name="seat_create"),
    path("styrelse/mandatperiod/ny/", views.mandate_period_create, name="mandate_period_create"),
    path("styrelse/mandatperiod/<int:pk>/", views.mandate_period_edit, name="mandate_period_edit"),
    path("styrelse/<int:pk>/", views.seat_edit, name="seat_edit"),
    path("budget/", views.budget_list, name="budget_list"),
    path("budget/ny/", views.budget_create, name="budget_create"),
    path("budget/<int:year>/", views.budget_detail, name="budget_detail"),
    path("budget/<int:year>/andra/", views.budget_edit, name="budget_edit"),
    path("budget/<int:year>/befolkning/", views.budget_population, name="budget_population"),
    path("budget/<int:year>/andelar/", views.budget_key_shares, name="budget_key_shares"),
    path("budget/<int:year>/bidrag/<int:pk>/", views.contribution_edit, name="contribution_edit"),
    path(
        "budget/<int:year>/fordelning.<str:file_format>",
        views.budget_export,
        name="budget_export",
    ),
    path("import/", views.data_import, name="data_import"),
    path("import/bekrafta/", views.data_import_confirm, name="data_import_confirm"),
    path("export/<str:resource_key>.<str:file_format>", views.data_export, name="data_export"),
    path("arsrapporter/", views_reports.report_list, name="report_list"),
    path("arsrapporter/bestall/", views_reports.report_request, name="report_request"),
    path("arsrapporter/<int:pk>/status/", views_reports.report_status, name="report_status"),
    path("arsrapporter/<int:pk>/fil/", views_reports.report_download, name="report_download"),
    path("revision/", views_reports.audit_overview, name="audit"),
    path(
        "revision/<int:year>/revisionspaket/",
        views_reports.audit_package_request,
        name="audit_package_request",
    ),
    path(
        "revision/<int:year>/<slug:key>.<str:file_format>",
        views_reports.audit_export,
        name="audit_export",
    ),
    path("konton/", views.account_list, name="account_list"),
    path("konton/ny/", views.account_create, name="account_create"),
]
