"""The admin shows applications for inspection; every change goes through the services.

Applications are read-only here: state changes are admin actions that call the same services as
the web pages, so the two-party rule and the workflow table hold on this path too.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportMixin

from . import services
from .models import (
    Application,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    CaseNumberCounter,
    CoApplicant,
    CoFunding,
    Proposal,
    ProposalAmount,
)
from .resources import ApplicationResource


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CoApplicantInline(ReadOnlyInline):
    model = CoApplicant
    fields = ["party", "status", "comment", "responded_by", "responded_at"]
    readonly_fields = fields


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ["year", "category", "description", "amount_kr"]
    readonly_fields = fields


class CoFundingInline(ReadOnlyInline):
    model = CoFunding
    fields = ["party", "year", "kind", "description", "amount_kr"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.action(description="Skicka in markerade ansökningar")
def submit_selected(modeladmin, request, queryset):
    for application in queryset:
        try:
            services.application_submit(application=application, by=request.user)
        except ValidationError as error:
            modeladmin.message_user(
                request, f"{application}: {' '.join(error.messages)}", messages.ERROR
            )
        else:
            modeladmin.message_user(request, f"{application}: inskickad.", messages.SUCCESS)


@admin.register(Application)
class ApplicationAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [ApplicationResource]
    list_display = ["title", "case_number", "lead_party", "status", "kind", "created_at"]
    list_filter = ["status", "kind", "lead_party"]
    search_fields = ["title", "case_seq"]
    list_select_related = ["lead_party"]
    inlines = [CoApplicantInline, BudgetLineInline, CoFundingInline, AttachmentInline]
    actions = [submit_selected]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Application._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # The change page is a read-only view; actions still need the change permission.
        return obj is None and super().has_change_permission(request, obj)


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(admin.ModelAdmin):
    list_display = ["application", "number", "created_by", "created_at"]
    readonly_fields = ["application", "number", "content", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProposalAmountInline(ReadOnlyInline):
    model = ProposalAmount
    fields = ["year", "amount_kr"]
    readonly_fields = fields


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["application", "recommendation", "written_by", "written_at"]
    readonly_fields = [
        "application",
        "recommendation",
        "reasoning",
        "conditions",
        "written_by",
        "written_at",
    ]
    inlines = [ProposalAmountInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseNumberCounter)
class CaseNumberCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_number"]
    readonly_fields = ["year", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Meetings, decisions and insatser are registered in their own module.
from . import admin_meetings  # noqa: E402, F401, I001
