from django.contrib import admin

from .models import Category, FollowUpSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference; changes go through the follow-up pages so they are recorded."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "code", "order", "active"]
    list_filter = ["kind", "active"]


@admin.register(FollowUpSettings)
class FollowUpSettingsAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "period_length"]
