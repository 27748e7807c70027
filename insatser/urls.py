from django.urls import path

from . import views

app_name = "insatser"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("ny/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/redigera/", views.application_edit, name="edit"),
    path("<int:pk>/budget/", views.budget_edit, name="budget"),
    path("<int:pk>/medfinansiering/", views.co_funding_edit, name="co_funding"),
    path("<int:pk>/parter/", views.parties, name="parties"),
    path("<int:pk>/parter/<int:co_pk>/ta-bort/", views.party_remove, name="party_remove"),
    path("<int:pk>/parter/<int:co_pk>/svara/", views.respond, name="respond"),
    path("<int:pk>/bilagor/", views.attachments, name="attachments"),
    path("<int:pk>/bilagor/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path(
        "<int:pk>/bilagor/<int:attachment_pk>/ta-bort/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("<int:pk>/skicka-in/", views.submit, name="submit"),
    path("<int:pk>/aterta/", views.withdraw, name="withdraw"),
    path("<int:pk>/kommentar/", views.comment, name="comment"),
    path("<int:pk>/beredning/", views.start_preparation, name="start_preparation"),
    path("<int:pk>/komplettering/", views.request_completion, name="request_completion"),
    path("<int:pk>/forslag/", views.propose, name="propose"),
    path("<int:pk>/forslag/ateroppna/", views.reopen, name="reopen"),
    path("<int:pk>/versioner/<int:number>/", views.version, name="version"),
]
