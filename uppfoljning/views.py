from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import permissions, rules, services
from .forms import CategoryCreateForm, CategoryEditForm, FollowUpSettingsForm
from .models import Category, CategoryKind, FollowUpSettings


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def category_list(request):
    _require(permissions.can_manage_categories(request.user))
    by_kind: dict[str, list[Category]] = {kind.value: [] for kind in CategoryKind}
    for category in Category.objects.order_by("kind", "order", "label"):
        by_kind[category.kind].append(category)
    lists = [
        {"kind": kind.value, "label": kind.label, "categories": by_kind[kind.value]}
        for kind in CategoryKind
    ]
    settings = FollowUpSettings.load()
    year = timezone.localdate().year
    return render(
        request,
        "uppfoljning/category_list.html",
        {
            "lists": lists,
            "settings": settings,
            "year": year,
            "periods": rules.periods_of(year, settings.period_length),
        },
    )


@login_required
def category_create(request, kind: str):
    _require(permissions.can_manage_categories(request.user))
    if kind not in CategoryKind.values:
        raise Http404
    form = CategoryCreateForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_create(
                kind=kind,
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
                order=form.cleaned_data["order"],
                by=request.user,
            )
        except ValidationError as error:
            # The list's uniqueness rules span rows; the service is where they are checked.
            form.add_error(None, error)
        else:
            messages.success(request, f"Kategorin ”{category.label}” är tillagd.")
            return redirect("uppfoljning:category_list")
    return render(
        request,
        "uppfoljning/category_form.html",
        {"form": form, "list_label": CategoryKind(kind).label, "category": None},
    )


@login_required
def category_edit(request, pk: int):
    _require(permissions.can_manage_categories(request.user))
    category = get_object_or_404(Category, pk=pk)
    list_label = category.get_kind_display()
    form = CategoryEditForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            category = services.category_update(
                category=category,
                label=form.cleaned_data["label"],
                order=form.cleaned_data["order"],
                active=form.cleaned_data["active"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Kategorin ”{category.label}” är sparad.")
            return redirect("uppfoljning:category_list")
    return render(
        request,
        "uppfoljning/category_form.html",
        {"form": form, "list_label": list_label, "category": category},
    )


@login_required
def settings_edit(request):
    _require(permissions.can_manage_settings(request.user))
    form = FollowUpSettingsForm(request.POST or None, instance=FollowUpSettings.load())
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_settings_update(
                period_length=form.cleaned_data["period_length"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Inställningarna för uppföljningen är sparade.")
            return redirect("uppfoljning:category_list")
    return render(request, "uppfoljning/settings_form.html", {"form": form})
