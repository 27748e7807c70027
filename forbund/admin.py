from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import BoardSeat, Forbund, MandatePeriod, Party, RoleAssignment, User


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
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_number", "member_from", "member_to"]
    list_filter = ["kind"]


@admin.register(MandatePeriod)
class MandatePeriodAdmin(admin.ModelAdmin):
    list_display = ["__str__", "starts_on", "ends_on"]


@admin.register(BoardSeat)
class BoardSeatAdmin(admin.ModelAdmin):
    list_display = ["user", "party", "kind", "office", "starts_on", "ends_on"]
    list_filter = ["kind", "party"]
