"""The admin shows meetings, decisions and insatser for inspection; every change goes through the
services (the pages), so the workflow, the money limits and the audit trail hold."""

from django.contrib import admin

from .models_insats import Insats, PaymentRequest, Report
from .models_meetings import AgendaItem, Decision, Meeting


class ReadOnlyAdmin(admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    fields = ["number", "kind", "title", "application", "reported_decision"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "place", "status", "approved_at"]
    list_filter = ["status"]
    inlines = [AgendaItemInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "delegated", "status", "decided_on"]
    list_filter = ["outcome", "delegated", "status"]
    list_select_related = ["application"]


@admin.register(Insats)
class InsatsAdmin(ReadOnlyAdmin):
    list_display = ["title", "lead_party", "status", "starts_on", "ends_on"]
    list_filter = ["status", "kind"]
    list_select_related = ["lead_party"]


@admin.register(PaymentRequest)
class PaymentRequestAdmin(ReadOnlyAdmin):
    list_display = ["insats", "year", "amount_kr", "status", "requested_at"]
    list_filter = ["status", "year"]
    list_select_related = ["insats"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["insats", "kind", "due_on", "submitted_at"]
    list_filter = ["kind"]
    list_select_related = ["insats"]
