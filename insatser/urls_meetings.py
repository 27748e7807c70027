from django.urls import path

from . import views_decisions
from . import views_meetings as views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nytt/", views.meeting_create, name="create"),
    path("delegationsbeslut/", views_decisions.delegated_list, name="delegated"),
    path(
        "delegationsbeslut/nytt/<int:application_pk>/",
        views_decisions.delegated_create,
        name="delegated_create",
    ),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/andra/", views.meeting_edit, name="edit"),
    path("<int:pk>/arenden/nytt/<str:kind>/", views.item_add, name="item_add"),
    path("<int:pk>/arenden/<int:item_pk>/", views.item_detail, name="item"),
    path("<int:pk>/arenden/<int:item_pk>/ta-bort/", views.item_remove, name="item_remove"),
    path("<int:pk>/arenden/<int:item_pk>/jav/", views.conflict_declare, name="conflict"),
    path(
        "<int:pk>/arenden/<int:item_pk>/jav/ta-bort/",
        views.conflict_withdraw,
        name="conflict_withdraw",
    ),
    path(
        "<int:pk>/arenden/<int:item_pk>/beslut/", views_decisions.decision_record, name="decision"
    ),
    path("<int:pk>/kallelse/", views.send_notice, name="send_notice"),
    path("<int:pk>/justerare/", views.signers, name="signers"),
    path("<int:pk>/protokoll/", views.minutes, name="minutes"),
    path("<int:pk>/protokoll.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/protokoll/for-justering/", views.minutes_finalise, name="finalise"),
    path("<int:pk>/protokoll/oppna/", views.minutes_reopen, name="reopen"),
    path("<int:pk>/protokoll/justera/", views.minutes_approve, name="approve"),
]
