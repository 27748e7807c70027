from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from . import services
from .models import (
    BoardSeat,
    BudgetYear,
    Contribution,
    Forbund,
    KeyShare,
    MandatePeriod,
    Party,
    Population,
    RoleAssignment,
    User,
)
from .resources import (
    BoardSeatResource,
    ContributionResource,
    PartyResource,
    PopulationResource,
)


class ImportExportAdmin(ImportExportMixin, admin.ModelAdmin):
    """Import and export in CSV and XLSX; rows are saved through the services by this user.

    Admin imports are all or nothing: a file with any bad row can't be confirmed.
    """

    formats = [CSV, XLSX]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "by": request.user}


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["name", "email"]
    list_display = ["email", "name", "is_active", "last_login"]
    search_fields = ["email", "name"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "name", "password")}),
        ("Behörighet", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Datum", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),
    )


@admin.register(Forbund)
class ForbundAdmin(admin.ModelAdmin):
    list_display = ["name", "org_number", "seat"]


@admin.register(Party)
class PartyAdmin(ImportExportAdmin):
    list_display = ["name", "kind", "org_number", "member_from", "member_to"]
    list_filter = ["kind"]
    resource_classes = [PartyResource]

    def save_model(self, request, obj, form, change):
        services.party_save(party=obj, by=request.user)


@admin.register(Population)
class PopulationAdmin(ImportExportAdmin):
    list_display = ["party", "year", "inhabitants"]
    list_filter = ["year", "party"]
    resource_classes = [PopulationResource]

    def save_model(self, request, obj, form, change):
        services.population_set(
            year=obj.year, inhabitants={obj.party: obj.inhabitants}, by=request.user
        )


@admin.register(MandatePeriod)
class MandatePeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(BoardSeat)
class BoardSeatAdmin(ImportExportAdmin):
    list_display = ["user", "party", "kind", "office", "starts_on", "ends_on"]
    list_filter = ["kind", "party"]
    resource_classes = [BoardSeatResource]

    def save_model(self, request, obj, form, change):
        services.board_seat_save(seat=obj, by=request.user)


class KeyShareInline(admin.TabularInline):
    model = KeyShare
    extra = 0
    readonly_fields = ["party", "share"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BudgetYear)
class BudgetYearAdmin(admin.ModelAdmin):
    list_display = ["year", "state_allocation_kr", "key", "equity_at_year_end_kr"]
    inlines = [KeyShareInline]

    def save_model(self, request, obj, form, change):
        services.budget_year_save(budget_year=obj, by=request.user)


@admin.register(Contribution)
class ContributionAdmin(ImportExportAdmin):
    list_display = ["party", "budget_year", "amount_kr", "invoiced_on", "paid_on", "paid_kr"]
    list_filter = ["budget_year", "party"]
    readonly_fields = ["amount_kr"]
    resource_classes = [ContributionResource]

    def has_add_permission(self, request):
        # Contributions come from the budget year's split (or an import), not by hand.
        return False

    def save_model(self, request, obj, form, change):
        services.contribution_update(
            contribution=obj,
            invoiced_on=obj.invoiced_on,
            paid_on=obj.paid_on,
            paid_kr=obj.paid_kr,
            by=request.user,
        )
