import base64
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from . import permissions, rules, selectors, services
from .forms import (
    BoardSeatForm,
    BudgetYearForm,
    ContributionForm,
    ImportForm,
    KeySharesForm,
    MandatePeriodForm,
    PartyForm,
    PopulationForm,
    UserCreateForm,
)
from .models import (
    BoardSeat,
    BudgetYear,
    Contribution,
    MandatePeriod,
    Party,
    Population,
    RoleAssignment,
    User,
)
from .resources import (
    FORMATS,
    RESOURCES,
    FileError,
    dataset_from_file,
    export_bytes,
    import_report,
    split_table,
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMPORT_SALT = "forbund.import"
IMPORT_MAX_AGE = 60 * 60


def _requires(check):
    """Let the view run only for a logged-in user for whom `check(user)` holds (else 403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


readers = _requires(permissions.can_view_forbund)
office_only = _requires(permissions.can_manage_forbund)


def _validation_into_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _form_page(request, form, *, title, intro="", back_url, submit="Spara"):
    return render(
        request,
        "forbund/form.html",
        {"form": form, "title": title, "intro": intro, "back_url": back_url, "submit": submit},
    )


def _download(content: bytes, filename: str, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Accounts ------------------------------------------------------------------------------------


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


# --- Overview and parties ------------------------------------------------------------------------


@readers
def overview(request):
    composition = selectors.composition_on()
    current_ids = {party.pk for party in composition.parties}
    parties = list(Party.objects.all())
    return render(
        request,
        "forbund/overview.html",
        {
            "composition": composition,
            "parties": parties,
            "current_ids": current_ids,
            "party_groups": rules.count_distinct_parties(p.kind for p in composition.parties),
            "can_manage": permissions.can_manage_forbund(request.user),
        },
    )


@office_only
def party_create(request):
    return _party_form(request, Party(), "Lägg till part")


@office_only
def party_edit(request, pk):
    party = get_object_or_404(Party, pk=pk)
    return _party_form(request, party, f"Ändra {party.name}")


def _party_form(request, party, title):
    return _service_form(
        request,
        PartyForm(request.POST or None, instance=party),
        lambda obj: services.party_save(party=obj, by=request.user),
        success=f"{party.name} är sparad.",
        title=title,
        back_url="forbund:overview",
    )


def _service_form(request, form, save, *, success, title, back_url, intro=""):
    """Show `form`; on a valid POST, hand the unsaved object to `save` (a service call).

    A ValidationError from the service is shown on the form, so the user sees the same Swedish
    message whichever path hit the rule.
    """
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.save(commit=False))
        except ValidationError as error:
            _validation_into_form(form, error)
        else:
            messages.success(request, success if isinstance(success, str) else success(obj))
            return redirect(back_url)
    return _form_page(request, form, title=title, intro=intro, back_url=back_url)


# --- Board ---------------------------------------------------------------------------------------


@readers
def board(request):
    return render(
        request,
        "forbund/board.html",
        {
            "board": selectors.board_on(),
            "periods": MandatePeriod.objects.all(),
            "can_manage": permissions.can_manage_forbund(request.user),
        },
    )


@office_only
def mandate_period_create(request):
    return _mandate_period_form(request, MandatePeriod(), "Ny mandatperiod")


@office_only
def mandate_period_edit(request, pk):
    period = get_object_or_404(MandatePeriod, pk=pk)
    return _mandate_period_form(request, period, f"Ändra mandatperioden {period}")


def _mandate_period_form(request, period, title):
    return _service_form(
        request,
        MandatePeriodForm(request.POST or None, instance=period),
        lambda obj: services.mandate_period_save(period=obj, by=request.user),
        success=lambda obj: f"Mandatperioden {obj} är sparad.",
        title=title,
        intro="Styrelsens ledamöter och ersättare väljs för en mandatperiod, oftast fyra år.",
        back_url="forbund:board",
    )


@office_only
def seat_create(request):
    return _seat_form(request, BoardSeat(), "Lägg till styrelseplats")


@office_only
def seat_edit(request, pk):
    seat = get_object_or_404(BoardSeat.objects.select_related("user", "party"), pk=pk)
    return _seat_form(request, seat, f"Ändra uppdraget för {seat.user}")


def _seat_form(request, seat, title):
    return _service_form(
        request,
        BoardSeatForm(request.POST or None, instance=seat),
        lambda obj: services.board_seat_save(seat=obj, by=request.user),
        success="Styrelseplatsen är sparad.",
        title=title,
        intro="Ordförande och vice ordförande måste vara ledamöter. Nya personer får först ett "
        "konto under Konton.",
        back_url="forbund:board",
    )


# --- Budget --------------------------------------------------------------------------------------


@readers
def budget_list(request):
    years = list(BudgetYear.objects.all())
    return render(
        request,
        "forbund/budget_list.html",
        {
            "years": years,
            "current_year": timezone.localdate().year,
            "can_manage": permissions.can_manage_forbund(request.user),
        },
    )


def _budget_year(year) -> BudgetYear:
    return get_object_or_404(BudgetYear, year=year)


@readers
def budget_detail(request, year):
    budget_year = _budget_year(year)
    return render(
        request,
        "forbund/budget_detail.html",
        {
            "summary": selectors.budget_summary(budget_year),
            "budget_year": budget_year,
            "formats": FORMATS,
            "can_manage": permissions.can_manage_forbund(request.user),
        },
    )


@office_only
def budget_create(request):
    initial = {"year": timezone.localdate().year}
    return _budget_form(request, BudgetYear(), "Nytt budgetår", initial)


@office_only
def budget_edit(request, year):
    budget_year = _budget_year(year)
    return _budget_form(request, budget_year, f"Ändra budgetår {year}", None)


def _budget_form(request, budget_year, title, initial):
    form = BudgetYearForm(request.POST or None, instance=budget_year, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_year_save(budget_year=form.save(commit=False), by=request.user)
        except ValidationError as error:
            _validation_into_form(form, error)
        else:
            messages.success(request, f"Budgetår {budget_year.year} är sparat.")
            return redirect("forbund:budget_detail", year=budget_year.year)
    return _form_page(
        request,
        form,
        title=title,
        intro="Medlemmarnas bidrag är tillsammans dubbla den statliga tilldelningen: staten "
        "betalar hälften via Försäkringskassan, regionerna en fjärdedel och kommunerna en "
        "fjärdedel. Alla belopp i hela kronor.",
        back_url="forbund:budget_list",
    )


def _key_parties(year: int) -> list[Party]:
    return [p for p in Party.objects.members_in(year).order_by("kind", "name") if p.has_population]


@office_only
def budget_population(request, year):
    budget_year = _budget_year(year)
    parties = _key_parties(year)
    current = dict(
        Population.objects.filter(year=year, party__in=parties).values_list(
            "party_id", "inhabitants"
        )
    )
    form = PopulationForm(request.POST or None, parties=parties, current=current, year=year)
    if request.method == "POST" and form.is_valid():
        try:
            services.population_set(year=year, inhabitants=form.inhabitants(), by=request.user)
        except ValidationError as error:
            _validation_into_form(form, error)
        else:
            messages.success(request, f"Befolkningstalen för {year} är sparade.")
            return redirect("forbund:budget_detail", year=budget_year.year)
    return _form_page(
        request,
        form,
        title=f"Befolkning {year}",
        intro="Kommunernas och regionernas fjärdedelar fördelas efter invånarantalet den 31 "
        f"december {year - 1}.",
        back_url="forbund:budget_list",
    )


@office_only
def budget_key_shares(request, year):
    budget_year = _budget_year(year)
    parties = _key_parties(year)
    current = dict(budget_year.key_shares.values_list("party_id", "share"))
    form = KeySharesForm(request.POST or None, parties=parties, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_shares_set(budget_year=budget_year, shares=form.shares, by=request.user)
        except ValidationError as error:
            _validation_into_form(form, error)
        else:
            messages.success(request, f"De fasta andelarna för {year} är sparade.")
            return redirect("forbund:budget_detail", year=year)
    return _form_page(
        request,
        form,
        title=f"Fasta andelar {year}",
        intro="Kommunernas andelar ska tillsammans vara 100 %, och regionernas likaså. "
        "Andelarna används när budgetårets fördelningsnyckel är fasta andelar.",
        back_url="forbund:budget_list",
    )


@office_only
def contribution_edit(request, year, pk):
    contribution = get_object_or_404(
        Contribution.objects.select_related("party", "budget_year"), pk=pk, budget_year__year=year
    )
    form = ContributionForm(request.POST or None, instance=contribution)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_update(
                contribution=contribution,
                invoiced_on=form.cleaned_data["invoiced_on"],
                paid_on=form.cleaned_data["paid_on"],
                paid_kr=form.cleaned_data["paid_kr"],
                by=request.user,
            )
        except ValidationError as error:
            _validation_into_form(form, error)
        else:
            messages.success(request, f"Betalningen från {contribution.party} är sparad.")
            return redirect("forbund:budget_detail", year=year)
    return _form_page(
        request,
        form,
        title=f"Medlemsbidrag {year}: {contribution.party}",
        intro=f"Bidraget är {contribution.amount_kr:,} kr.".replace(",", "\xa0"),
        back_url="forbund:budget_list",
    )


@_requires(permissions.can_export_forbund)
def budget_export(request, year, file_format):
    if file_format not in FORMATS:
        raise Http404
    budget_year = _budget_year(year)
    dataset = split_table(selectors.budget_summary(budget_year))
    return _download(
        export_bytes(dataset, file_format), f"fordelning-{year}.{file_format}", file_format
    )


# --- Import and export ---------------------------------------------------------------------------


@_requires(permissions.can_export_forbund)
def data_export(request, resource_key, file_format):
    if resource_key not in RESOURCES or file_format not in FORMATS:
        raise Http404
    _, resource_class = RESOURCES[resource_key]
    dataset = resource_class().export()
    return _download(
        export_bytes(dataset, file_format), f"{resource_key}.{file_format}", file_format
    )


@office_only
def data_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        key = form.cleaned_data["resource"]
        try:
            dataset = dataset_from_file(content, upload.name)
        except FileError as error:
            form.add_error("file", str(error))
        else:
            result = services.data_import(
                resource_key=key, dataset=dataset, by=request.user, dry_run=True
            )
            token = signing.dumps(
                {
                    "user": request.user.pk,
                    "resource": key,
                    "name": upload.name,
                    "content": base64.b64encode(content).decode("ascii"),
                },
                salt=IMPORT_SALT,
                compress=True,
            )
            return render(
                request,
                "forbund/import_preview.html",
                {
                    "label": RESOURCES[key][0],
                    "filename": upload.name,
                    "report": import_report(result),
                    "token": token,
                },
            )
    return render(
        request,
        "forbund/import.html",
        {"form": form, "resources": RESOURCES, "formats": FORMATS},
    )


@office_only
def data_import_confirm(request):
    if request.method != "POST":
        return redirect("forbund:data_import")
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, "Förhandsgranskningen har gått ut. Ladda upp filen igen.")
        return redirect("forbund:data_import")
    if payload.get("user") != request.user.pk or payload.get("resource") not in RESOURCES:
        raise PermissionDenied
    content = base64.b64decode(payload["content"])
    dataset = dataset_from_file(content, payload["name"])
    result = services.data_import(
        resource_key=payload["resource"], dataset=dataset, by=request.user, dry_run=False
    )
    report = import_report(result)
    if report["errors"]:
        # The data changed between preview and import; nothing was imported.
        return render(
            request,
            "forbund/import_preview.html",
            {
                "label": RESOURCES[payload["resource"]][0],
                "filename": payload["name"],
                "report": report,
                "token": None,
            },
        )
    messages.success(
        request,
        f"{payload['name']} är importerad: {report['new']} nya, {report['update']} ändrade, "
        f"{report['skip']} oförändrade rader.",
    )
    return redirect("forbund:data_import")
