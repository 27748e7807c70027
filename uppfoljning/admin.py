from django.contrib import admin

from .models import Category, FollowUpSettings, PeriodReport


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


@admin.register(PeriodReport)
class PeriodReportAdmin(ReadOnlyAdmin):
    """Period reports change only through the follow-up pages and the import (audited)."""

    list_display = ["insats", "year", "number", "period_length", "status", "participants_end"]
    list_filter = ["status", "year", "period_length"]
    list_select_related = ["insats"]
