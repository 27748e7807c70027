from django.contrib import admin

from .models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail is read-only everywhere, the admin included."""

    list_display = ["at", "action", "actor", "subject_type", "subject_id", "from_state", "to_state"]
    list_filter = ["subject_type"]
    search_fields = ["action", "comment", "subject_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
