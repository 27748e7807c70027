"""Thin views for granted insatser: overview, agreement, payment requests and reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from forbund.permissions import roles_of

from . import forms_meetings as forms
from . import permissions, selectors_meetings, services_insats
from . import rules_insats as insats_rules
from .models_insats import Insats, PaymentRequest, Report
from .views import PAGE_SIZE


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _insats(request, pk: int) -> Insats:
    """Return the insats if the user may read it; others get 404 (no hint it exists)."""
    _require(permissions.can_view_insats_list(request.user))
    insats = selectors_meetings.insats_for(request.user, pk)
    if insats is None:
        raise Http404("Insatsen finns inte eller så saknar du behörighet.")
    return insats


def _refused(request, error: ValidationError, pk: int):
    for text in error.messages:
        messages.error(request, text)
    return redirect("insats:detail", pk=pk)


def _years_left(insats: Insats) -> dict[int, int]:
    requests = list(insats.payment_requests.all())
    return {row.year: row.remaining_kr for row in selectors_meetings.insats_money(insats, requests)}


@login_required
def insats_list(request):
    _require(permissions.can_view_insats_list(request.user))
    status = request.GET.get("status", "")
    if status not in dict(Insats.Status.choices):
        status = ""
    office = roles_of(request.user).office
    insatser = selectors_meetings.insats_list(request.user, status).order_by("-starts_on", "pk")
    return render(
        request,
        "insatser/insats/insats_list.html",
        {
            "page": Paginator(insatser, PAGE_SIZE).get_page(request.GET.get("sida")),
            "query": f"status={status}" if status else "",
            "status": status,
            "statuses": Insats.Status.choices,
            "waiting_payments": (
                list(selectors_meetings.payment_requests_waiting()) if office else []
            ),
            "my_reports": list(selectors_meetings.reports_open_for(request.user)),
            "today": timezone.localdate(),
        },
    )


@login_required
def insats_detail(request, pk):
    insats = _insats(request, pk)
    user = request.user
    requests = list(insats.payment_requests.select_related("requested_by", "attested_by"))
    office = permissions.can_manage_insatser(user)
    return render(
        request,
        "insatser/insats/insats_detail.html",
        {
            "insats": insats,
            "money": selectors_meetings.insats_money(insats, requests),
            "requests": requests,
            "reports": list(insats.reports.select_related("submitted_by")),
            "decision": insats.decision,
            "timeline": selectors_meetings.timeline(insats),
            "today": timezone.localdate(),
            "can": {
                "request_payment": permissions.can_request_payment(user, insats),
                "manage": office,
                "close": office and insats.status == insats_rules.ONGOING,
                "lead": permissions.is_lead_staff_of_insats(user, insats),
            },
            "agreement_form": forms.AgreementForm(
                initial={"signed_on": insats.agreement_signed_on}
            ),
            "report_form": forms.ReportAddForm(),
        },
    )


@login_required
@require_POST
def agreement(request, pk):
    insats = _insats(request, pk)
    _require(permissions.can_manage_insatser(request.user))
    form = forms.AgreementForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("insats:detail", pk=pk)
    try:
        services_insats.insats_set_agreement(
            insats=insats, signed_on=form.cleaned_data["signed_on"], by=request.user
        )
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "Avtalsdatumet är sparat.")
    return redirect("insats:detail", pk=pk)


@login_required
@require_POST
def close(request, pk):
    insats = _insats(request, pk)
    _require(permissions.can_manage_insatser(request.user))
    try:
        services_insats.insats_close(insats=insats, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "Insatsen är avslutad.")
    return redirect("insats:detail", pk=pk)


@login_required
def payment_create(request, pk):
    insats = _insats(request, pk)
    _require(permissions.can_request_payment(request.user, insats))
    years_left = _years_left(insats)
    form = forms.PaymentRequestForm(request.POST or None, years_left=years_left)
    if request.method == "POST" and form.is_valid():
        try:
            services_insats.payment_request_create(
                insats=insats, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Rekvisitionen är inskickad. Kansliet attesterar den.")
            return redirect("insats:detail", pk=pk)
    return render(
        request,
        "insatser/insats/payment_form.html",
        {"insats": insats, "form": form},
    )


def _payment(insats: Insats, request_pk: int) -> PaymentRequest:
    return get_object_or_404(PaymentRequest, pk=request_pk, insats=insats)


@login_required
@require_POST
def payment_attest(request, pk, request_pk):
    insats = _insats(request, pk)
    _require(permissions.can_attest_payment(request.user))
    payment = _payment(insats, request_pk)
    try:
        services_insats.payment_request_attest(request=payment, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(
        request, f"Rekvisitionen på {payment.amount_kr:,} kr är attesterad.".replace(",", "\xa0")
    )
    return redirect("insats:detail", pk=pk)


@login_required
def payment_deny(request, pk, request_pk):
    insats = _insats(request, pk)
    _require(permissions.can_attest_payment(request.user))
    payment = _payment(insats, request_pk)
    form = forms.DenyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_insats.payment_request_deny(
                request=payment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Rekvisitionen är avvisad och huvudmannen får besked.")
            return redirect("insats:detail", pk=pk)
    return render(
        request,
        "insatser/insats/payment_action.html",
        {"insats": insats, "payment": payment, "form": form, "action": "deny"},
    )


@login_required
def payment_paid(request, pk, request_pk):
    insats = _insats(request, pk)
    _require(permissions.can_attest_payment(request.user))
    payment = _payment(insats, request_pk)
    form = forms.PaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services_insats.payment_request_mark_paid(
                request=payment, paid_on=form.cleaned_data["paid_on"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Rekvisitionen är markerad som utbetald.")
            return redirect("insats:detail", pk=pk)
    return render(
        request,
        "insatser/insats/payment_action.html",
        {"insats": insats, "payment": payment, "form": form, "action": "paid"},
    )


@login_required
@require_POST
def report_add(request, pk):
    insats = _insats(request, pk)
    _require(permissions.can_manage_insatser(request.user))
    form = forms.ReportAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("insats:detail", pk=pk)
    try:
        services_insats.report_add(insats=insats, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "Rapporten är begärd.")
    return redirect("insats:detail", pk=pk)


def _report(insats: Insats, report_pk: int) -> Report:
    return get_object_or_404(
        Report.objects.select_related("submitted_by", "insats"), pk=report_pk, insats=insats
    )


@login_required
def report(request, pk, report_pk):
    """Read a report; the lead party's staff hand it in here."""
    insats = _insats(request, pk)
    item = _report(insats, report_pk)
    can_submit = permissions.can_submit_report(request.user, item)
    form = forms.ReportSubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _require(can_submit)
        if form.is_valid():
            try:
                services_insats.report_submit(
                    report=item,
                    text=form.cleaned_data["text"],
                    upload=form.cleaned_data.get("attachment"),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{item.get_kind_display()}en är inlämnad.")
                return redirect("insats:detail", pk=pk)
    return render(
        request,
        "insatser/insats/report.html",
        {
            "insats": insats,
            "report": item,
            "form": form,
            "can_submit": can_submit,
            "today": timezone.localdate(),
        },
    )


@login_required
def report_attachment(request, pk, report_pk):
    insats = _insats(request, pk)
    item = _report(insats, report_pk)
    if not item.attachment:
        raise Http404("Rapporten har ingen bilaga.")
    response = FileResponse(
        item.attachment.open("rb"),
        as_attachment=True,
        filename=item.attachment_name,
        content_type=item.attachment_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
