"""Pages of the period reports: the overview, an insats's periods and charts, the report form,
the kansli's approval, import and export, and the förbund's dashboard."""

import base64
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from finsam.audit import events_for
from forbund.models import Party
from forbund.resources import import_report, validation_messages
from insatser import rules as insats_rules
from insatser.models import Insats

from . import figures, permissions, rules, selectors
from . import services_reports as services
from .forms import (
    ActivityFormSet,
    DashboardFilterForm,
    ImportForm,
    OfficeCommentForm,
    PeriodReportForm,
)
from .models import ActualCost, Category, PeriodReport
from .resources import (
    FileError,
    dataset_from_file,
    export_bytes,
    full_export,
    national_export,
    template_dataset,
)

EVENT_LABELS = {
    "period_report.created": "Påbörjad",
    "period_report.saved": "Sparad",
    "period_report.submitted": "Inskickad",
    "period_report.approved": "Godkänd",
    "period_report.returned": "Skickad tillbaka för rättelse",
    "period_report.reopened": "Öppnad igen",
}
IMPORT_SALT = "uppfoljning.import"
IMPORT_MAX_AGE = 60 * 60
FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _insats(pk: int):
    return get_object_or_404(
        Insats.objects.select_related("lead_party", "application").prefetch_related("co_parties"),
        pk=pk,
    )


def _report(pk: int) -> PeriodReport:
    return get_object_or_404(
        PeriodReport.objects.select_related(
            "insats__lead_party", "insats__application"
        ).prefetch_related("insats__co_parties"),
        pk=pk,
    )


def _public(request) -> bool:
    return request.GET.get("publik") in {"1", "on", "true"}


# --- Overview and an insats ---------------------------------------------------------------------


@login_required
def index(request):
    _require(permissions.can_view_followup(request.user))
    user = request.user
    insatser = list(selectors.insatser_overview(user))
    led = [i for i in insatser if permissions.is_lead_staff(user, i)]
    waiting = (
        list(selectors.reports_waiting_for_approval())
        if permissions.can_handle_reports(user)
        else []
    )
    return render(
        request,
        "uppfoljning/index.html",
        {
            "insatser": insatser,
            "led": led,
            "waiting": waiting,
            "can_manage": permissions.can_manage_categories(user),
            "can_import": permissions.can_import(user),
            "can_export": permissions.can_export(user),
            "can_dashboard": permissions.can_view_dashboard(user),
            "years": selectors.report_years(),
            "formats": FORMATS,
        },
    )


@login_required
def insats_followup(request, pk: int):
    insats = _insats(pk)
    _require(permissions.can_view_insats_followup(request.user, insats))
    public = _public(request)
    visible = permissions.visible_reports(request.user).filter(insats=insats)
    rows = selectors.periods_of_insats(insats, list(visible))
    dash = selectors.insats_dashboard(insats)
    granted = dash.granted_by_year
    money_years = sorted(set(granted) | set(dash.outcome_by_year))
    return render(
        request,
        "uppfoljning/insats.html",
        {
            "insats": insats,
            "rows": rows,
            "can_fill_in": permissions.can_fill_in(request.user, insats),
            "charts": figures.insats_charts(dash, public),
            "money": [
                (year, granted.get(year, 0), dash.outcome_by_year.get(year, 0))
                for year in money_years
            ],
            "public": public,
            "approved": len(dash.reports),
        },
    )


@login_required
def report_start(request, pk: int, code: str):
    insats = _insats(pk)
    _require(permissions.can_fill_in(request.user, insats))
    if request.method != "POST":
        return redirect("uppfoljning:insats", pk=insats.pk)
    try:
        period = rules.parse_period(code)
        report = services.period_report_create(insats=insats, period=period, by=request.user)
    except (ValueError, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect("uppfoljning:insats", pk=insats.pk)
    return redirect("uppfoljning:report_edit", pk=report.pk)


# --- One report ---------------------------------------------------------------------------------


def _report_context(report: PeriodReport) -> dict:
    """Return the figures of a report grouped for display."""
    counts = {c.category_id: c.count for c in report.counts.all()}
    categories = selectors.breakdown_categories()
    groups = []
    for kind, (_total, row) in rules.BREAKDOWNS.items():
        items = [
            (c.label, counts.get(c.pk)) for c in categories[kind] if c.active or c.pk in counts
        ]
        groups.append((row, items, sum(v or 0 for _l, v in items)))
    costs = {c.category: c.amount_kr for c in report.costs.all()}
    cost_rows = [(label, costs.get(code)) for code, label in ActualCost.Category.choices]
    activities = list(
        report.activities.select_related("kind").prefetch_related("attendances__party")
    )
    return {
        "groups": groups,
        "cost_rows": cost_rows,
        "cost_total": sum(costs.values()),
        "activities": activities,
        "individual": report.insats.kind == insats_rules.INDIVIDUAL,
    }


@login_required
def report_detail(request, pk: int):
    report = _report(pk)
    user = request.user
    _require(permissions.can_view_report(user, report))
    return render(
        request,
        "uppfoljning/report_detail.html",
        {
            "report": report,
            **_report_context(report),
            "events": [
                (e.at, EVENT_LABELS.get(e.action, e.action), e.actor, e.comment)
                for e in events_for(report)
            ],
            "can_edit": permissions.can_edit_report(user, report),
            "can_approve": permissions.can_approve_report(user, report),
            "can_reopen": permissions.can_reopen_report(user, report),
            "return_form": OfficeCommentForm(),
        },
    )


def _budget_for(insats, year: int) -> dict[str, int]:
    rows = (
        insats.application.budget_lines.filter(year=year)
        .values("category")
        .annotate(total=Sum("amount_kr"))
        .order_by()
    )
    return {row["category"]: row["total"] for row in rows}


def _report_form(request, report: PeriodReport, data=None):
    insats = report.insats
    individual = insats.kind == insats_rules.INDIVIDUAL
    categories = selectors.breakdown_categories()
    counts = {c.category_id: c.count for c in report.counts.all()}
    shown = {
        kind: [c for c in items if c.active or c.pk in counts] for kind, items in categories.items()
    }
    carried = services.previous_report(report)
    start_locked = ""
    if carried is not None and carried.status in rules.HANDED_IN_STATES:
        start_locked = (
            f"Hämtat från {carried.period.label}, som slutade med {carried.participants_end}."
        )
    initial = {
        "participants_start": report.participants_start,
        "participants_new": report.participants_new,
        "participants_ended": report.participants_ended,
        "participants_end": report.participants_end,
        "comment": report.comment,
        **{f"count_{k}": v for k, v in counts.items()},
        **{f"cost_{c.category}": c.amount_kr for c in report.costs.all()},
    }
    form = PeriodReportForm(
        data,
        initial=initial,
        individual=individual,
        categories=shown,
        cost_choices=ActualCost.Category.choices,
        budget=_budget_for(insats, report.year),
        year=report.year,
        start_locked=start_locked,
    )
    formset = None
    if not individual:
        parties = [insats.lead_party, *insats.co_parties.all()]
        kinds = Category.objects.filter(kind=Category.Kind.ACTIVITY_KIND).filter(
            active=True
        ) | Category.objects.filter(pk__in=report.activities.values("kind_id"))
        activity_initial = [
            {
                "kind": a.kind_id,
                "held_on": a.held_on,
                "hours": (Decimal(a.minutes) / 60).quantize(Decimal("0.01")),
                "description": a.description,
                **{f"attendees_{x.party_id}": x.attendees for x in a.attendances.all()},
            }
            for a in report.activities.prefetch_related("attendances")
        ]
        formset = ActivityFormSet(
            data,
            initial=activity_initial,
            prefix="aktivitet",
            form_kwargs={"kinds": kinds.distinct().order_by("order", "label"), "parties": parties},
        )
    return form, formset


@login_required
def report_edit(request, pk: int):
    report = _report(pk)
    user = request.user
    if not permissions.can_edit_report(user, report):
        if permissions.can_view_report(user, report):
            return redirect("uppfoljning:report_detail", pk=report.pk)
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form, formset = _report_form(request, report, data)
    problems: list[str] = []
    if request.method == "POST":
        valid = form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            activities = None
            if formset is not None:
                activities = [
                    services.ActivityInput(
                        kind=f.cleaned_data["kind"],
                        held_on=f.cleaned_data["held_on"],
                        minutes=f.minutes(),
                        description=f.cleaned_data.get("description", ""),
                        attendance=f.attendance(),
                    )
                    for f in formset.forms
                    if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
            try:
                report = services.period_report_save(
                    report=report,
                    participants=form.participants(),
                    counts=form.counts(),
                    costs=form.costs(),
                    activities=activities,
                    comment=form.cleaned_data.get("comment", ""),
                    by=user,
                )
            except ValidationError as error:
                problems = validation_messages(error)
            else:
                if "submit" not in request.POST:
                    messages.success(request, f"Utkastet för {report.period.label} är sparat.")
                    return redirect("uppfoljning:report_edit", pk=report.pk)
                try:
                    services.period_report_submit(report=report, by=user)
                except ValidationError as error:
                    problems = validation_messages(error)
                    messages.warning(
                        request,
                        "Utkastet är sparat men kunde inte skickas in. Rätta det som står "
                        "under ”Det här behöver rättas”.",
                    )
                else:
                    messages.success(
                        request,
                        f"Rapporten för {report.period.label} är inskickad till kansliet.",
                    )
                    return redirect("uppfoljning:report_detail", pk=report.pk)
    return render(
        request,
        "uppfoljning/report_form.html",
        {"report": report, "form": form, "formset": formset, "problems": problems},
    )


def _office_action(request, pk: int, check, action, template_verb: str):
    report = _report(pk)
    _require(check(request.user, report))
    form = OfficeCommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(report=report, comment=form.cleaned_data["comment"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Rapporten för {report.period.label} är {template_verb}.")
            return redirect("uppfoljning:report_detail", pk=report.pk)
    return render(
        request,
        "uppfoljning/report_action.html",
        {"report": report, "form": form, "verb": template_verb},
    )


@login_required
def report_approve(request, pk: int):
    report = _report(pk)
    _require(permissions.can_approve_report(request.user, report))
    if request.method == "POST":
        try:
            services.period_report_approve(report=report, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Rapporten för {report.period.label} är godkänd.")
    return redirect("uppfoljning:report_detail", pk=report.pk)


@login_required
def report_return(request, pk: int):
    return _office_action(
        request,
        pk,
        permissions.can_return_report,
        services.period_report_return,
        "skickad tillbaka till huvudmannen",
    )


@login_required
def report_reopen(request, pk: int):
    return _office_action(
        request,
        pk,
        permissions.can_reopen_report,
        services.period_report_reopen,
        "öppnad igen",
    )


# --- Import and export --------------------------------------------------------------------------


@login_required
def data_import(request):
    _require(permissions.can_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            dataset = dataset_from_file(content, upload.name)
        except FileError as error:
            form.add_error("file", str(error))
        else:
            result = services.data_import(dataset=dataset, by=request.user, dry_run=True)
            token = signing.dumps(
                {
                    "user": request.user.pk,
                    "name": upload.name,
                    "content": base64.b64encode(content).decode("ascii"),
                },
                salt=IMPORT_SALT,
                compress=True,
            )
            return render(
                request,
                "uppfoljning/import_preview.html",
                {"filename": upload.name, "report": import_report(result), "token": token},
            )
    return render(request, "uppfoljning/import.html", {"form": form, "formats": FORMATS})


@login_required
def data_import_confirm(request):
    _require(permissions.can_import(request.user))
    if request.method != "POST":
        return redirect("uppfoljning:import")
    try:
        payload = signing.loads(
            request.POST.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, "Förhandsgranskningen har gått ut. Ladda upp filen igen.")
        return redirect("uppfoljning:import")
    if payload.get("user") != request.user.pk:
        raise PermissionDenied
    dataset = dataset_from_file(base64.b64decode(payload["content"]), payload["name"])
    result = services.data_import(dataset=dataset, by=request.user, dry_run=False)
    report = import_report(result)
    if report["errors"]:
        return render(
            request,
            "uppfoljning/import_preview.html",
            {"filename": payload["name"], "report": report, "token": None},
        )
    messages.success(
        request,
        f"{payload['name']} är importerad: {report['new']} nya och {report['update']} ändrade "
        "periodrapporter, inskickade till kansliet.",
    )
    return redirect("uppfoljning:index")


def _download(content: bytes, filename: str, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_template(request, file_format: str):
    _require(permissions.can_import(request.user))
    if file_format not in FORMATS:
        raise Http404
    return _download(
        export_bytes(template_dataset(), file_format),
        f"periodrapporter-mall.{file_format}",
        file_format,
    )


@login_required
def export_all(request, file_format: str):
    user = request.user
    _require(permissions.can_export(user) or permissions.can_import(user))
    if file_format not in FORMATS:
        raise Http404
    public = _public(request)
    dataset = full_export(permissions.visible_reports(user), public=public)
    suffix = "-publik" if public else ""
    return _download(
        export_bytes(dataset, file_format), f"periodrapporter{suffix}.{file_format}", file_format
    )


@login_required
def export_national(request, year: int, file_format: str):
    _require(permissions.can_export(request.user))
    if file_format not in FORMATS:
        raise Http404
    public = _public(request)
    dataset = national_export(year, public=public)
    suffix = "-publik" if public else ""
    return _download(
        export_bytes(dataset, file_format),
        f"uppfoljning-{year}{suffix}.{file_format}",
        file_format,
    )


# --- The förbund's dashboard ---------------------------------------------------------------------


@login_required
def dashboard(request):
    user = request.user
    public = _public(request)
    _require(
        permissions.can_view_dashboard(user)
        or (public and permissions.can_view_public_dashboard(user))
    )
    years = selectors.report_years()
    this_year = timezone.localdate().year
    choices = sorted(set(years) | {this_year}, reverse=True)
    parties = list(Party.objects.order_by("kind", "name"))
    form = DashboardFilterForm(
        request.GET or None, years=choices, parties=parties, kinds=selectors.KIND_LABELS
    )
    filters = selectors.Filters(year=this_year if not request.GET else None, public=public)
    if request.GET and form.is_valid():
        filters = selectors.Filters(
            year=form.cleaned_data["ar"],
            party_id=form.cleaned_data["part"],
            kind=form.cleaned_data["typ"],
            public=public,
        )
    elif not request.GET:
        form = DashboardFilterForm(
            initial={"ar": this_year}, years=choices, parties=parties, kinds=selectors.KIND_LABELS
        )
    dash = selectors.dashboard(filters)
    total = dash.total
    cost_per_participant = rules.per_participant(total.cost_kr, total.served)
    if public and total.served < rules.PUBLIC_MINIMUM:
        cost_per_participant = None
    return render(
        request,
        "uppfoljning/dashboard.html",
        {
            "form": form,
            "dash": dash,
            "sections": figures.forbund_charts(dash),
            "public": public,
            "when": str(filters.year) if filters.year else "alla år",
            "cost_per_participant": cost_per_participant,
            "keys": {
                "new": rules.suppress_small(total.new, public),
                "ended": rules.suppress_small(total.ended, public),
                "running": rules.suppress_small(total.running, public),
            },
            "query": request.GET.urlencode(),
        },
    )
