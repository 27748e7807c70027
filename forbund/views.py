from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render

from . import permissions, services
from .forms import UserCreateForm
from .models import BoardSeat, RoleAssignment, User


@login_required
def account_list(request):
    if not permissions.can_manage_accounts(request.user):
        raise PermissionDenied
    users = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("party")),
        Prefetch("board_seats", queryset=BoardSeat.objects.select_related("party")),
    )
    return render(request, "forbund/account_list.html", {"users": users})


@login_required
def account_create(request):
    if not permissions.can_manage_accounts(request.user):
        raise PermissionDenied
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_create(
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            roles=form.roles(),
            by=request.user,
        )
        messages.success(request, f"Kontot för {user.name} är skapat och en inbjudan har skickats.")
        return redirect("forbund:account_list")
    return render(request, "forbund/account_form.html", {"form": form})
