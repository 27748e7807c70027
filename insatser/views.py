"""Thin views: check permissions, call a service, render. Refusals come back as Swedish text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from forbund.models import Party
from forbund.permissions import roles_of

from . import forms, permissions, rules, selectors, services
from .models import Application, Attachment, CoApplicant

PAGE_SIZE = 50  # applications per page of the list


def _application(request, pk: int) -> Application:
    """Return the application if the user may read it; others get 404 (no hint it exists)."""
    application = selectors.application_for(request.user, pk)
    if application is None:
        raise Http404("Ansökan finns inte eller så saknar du behörighet.")
    return application


def _posted(request, *, files: bool = False):
    """Return the submitted data on POST (even when empty), so the form is bound; else None."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _refused(request, error: ValidationError, pk: int):
    for text in _messages_of(error):
        messages.error(request, text)
    return redirect("insatser:detail", pk=pk)


def _two_parties_status(application: Application) -> dict:
    kinds = [application.lead_party.kind] + [
        c.party.kind for c in application.co_applicants.all() if c.status == rules.CONFIRMED
    ]
    return {
        "ok": rules.has_two_parties(kinds),
        "explanation": rules.TWO_PARTIES_EXPLANATION,
        "confirmed": [application.lead_party]
        + [c.party for c in application.co_applicants.all() if c.status == rules.CONFIRMED],
    }


@login_required
def application_list(request):
    _require(permissions.can_view_list(request.user))
    status = request.GET.get("status", "")
    if status not in rules.STATE_LABELS:
        status = ""
    applications = selectors.application_list(request.user, status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("sida"))
    invitations = list(selectors.invitations_to_answer(request.user))
    return render(
        request,
        "insatser/application_list.html",
        {
            "page": page,
            "query": urlencode({"status": status}) if status else "",
            "invitations": invitations,
            "status": status,
            "status_label": rules.STATE_LABELS.get(status, ""),
            "states": list(rules.STATE_LABELS.items()),
            "can_create": permissions.can_create_application(request.user),
        },
    )


@login_required
def application_create(request):
    _require(permissions.can_create_application(request.user))
    lead_parties = Party.objects.filter(pk__in=roles_of(request.user).staff_parties)
    form = forms.ApplicationForm(_posted(request), lead_parties=lead_parties)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.CONTENT_FIELDS}
        try:
            application = services.application_create(
                lead_party=form.cleaned_data["lead_party"], by=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Utkastet är sparat. Bjud nu in de parter ni söker tillsammans med."
            )
            return redirect("insatser:parties", pk=application.pk)
    return render(
        request,
        "insatser/application_form.html",
        {"form": form, "two_parties": rules.TWO_PARTIES_EXPLANATION, "new": True},
    )


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    user = request.user
    lines = list(application.budget_lines.all())
    versions = list(application.versions.select_related("created_by"))
    changes = []
    show_changes = versions and application.status in rules.EDITABLE_STATES | {rules.SUBMITTED}
    show_missing = permissions.can_submit(user, application)
    # The snapshot takes four queries; read it once for both the changes and what is missing.
    content = services.application_content(application) if show_changes or show_missing else {}
    if show_changes:
        changes = rules.diff_contents(versions[-1].content, content)
    proposal = getattr(application, "proposal", None)
    context = {
        "application": application,
        "lines": lines,
        "flagged": [line for line in lines if line.benefit_warning],
        "budget": selectors.budget_table(lines),
        "co_funding": application.co_funding.select_related("party"),
        "attachments": application.attachments.all(),
        "versions": versions,
        "changes": changes,
        "completion_requests": application.completion_requests.select_related(
            "requested_by", "answered_by"
        ),
        "proposal": proposal,
        "comments": application.comments.select_related("author"),
        "timeline": selectors.timeline(application),
        "two_parties": _two_parties_status(application),
        "missing": rules.missing_for_submission(content) if show_missing else [],
        "my_invitations": [
            c for c in application.co_applicants.all() if permissions.can_respond(user, c)
        ],
        "can": {
            "edit": permissions.can_edit_application(user, application),
            "parties": permissions.can_manage_parties(user, application),
            "submit": permissions.can_submit(user, application),
            "withdraw": permissions.can_withdraw(user, application),
            "prepare": permissions.can_prepare(user, application),
            "comment": permissions.can_comment(user, application),
        },
        "office_actions": {
            t.action for t in rules.allowed_actions(application.status, rules.OFFICE)
        },
        "comment_form": forms.CommentForm(),
    }
    return render(request, "insatser/application_detail.html", context)


@login_required
def application_edit(request, pk):
    application = _application(request, pk)
    _require(permissions.can_edit_application(request.user, application))
    form = forms.ApplicationForm(_posted(request), instance=application)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.CONTENT_FIELDS}
        try:
            services.application_update(application=application, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect("insatser:detail", pk=pk)
    return render(
        request,
        "insatser/application_form.html",
        {"form": form, "application": application, "two_parties": rules.TWO_PARTIES_EXPLANATION},
    )


def _rows_view(request, pk, *, formset_class, queryset_name, service, template, extra_kwargs):
    application = _application(request, pk)
    _require(permissions.can_edit_application(request.user, application))
    years = application.period_years()
    form_kwargs = {"years": years, **extra_kwargs(application)}
    queryset = getattr(application, queryset_name).all()
    formset = formset_class(_posted(request), queryset=queryset, form_kwargs=form_kwargs)
    if request.method == "POST" and formset.is_valid():
        try:
            service(application, formset.rows(), request.user)
        except ValidationError as error:
            for text in _messages_of(error):
                messages.error(request, text)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect("insatser:detail", pk=pk)
    return render(
        request,
        template,
        {"application": application, "formset": formset, "years": years},
    )


@login_required
def budget_edit(request, pk):
    return _rows_view(
        request,
        pk,
        formset_class=forms.BudgetFormSet,
        queryset_name="budget_lines",
        service=lambda app, rows, by: services.budget_replace(application=app, lines=rows, by=by),
        template="insatser/budget_form.html",
        extra_kwargs=lambda app: {},
    )


def _involved_parties(application: Application):
    return Party.objects.filter(
        pk__in=[application.lead_party_id]
        + [c.party_id for c in application.co_applicants.all() if c.status != rules.DECLINED]
    )


@login_required
def co_funding_edit(request, pk):
    return _rows_view(
        request,
        pk,
        formset_class=forms.CoFundingFormSet,
        queryset_name="co_funding",
        service=lambda app, rows, by: services.co_funding_replace(
            application=app, rows=rows, by=by
        ),
        template="insatser/co_funding_form.html",
        extra_kwargs=lambda app: {"parties": _involved_parties(app)},
    )


@login_required
def parties(request, pk):
    application = _application(request, pk)
    can_manage = permissions.can_manage_parties(request.user, application)
    _require(can_manage or permissions.can_edit_application(request.user, application))
    taken = [application.lead_party_id] + [
        c.party_id for c in application.co_applicants.all() if c.status != rules.DECLINED
    ]
    candidates = Party.objects.exclude(pk__in=taken).filter(member_to__isnull=True)
    form = forms.InviteForm(_posted(request), parties=candidates)
    if request.method == "POST":
        _require(can_manage)
        if form.is_valid():
            try:
                co_applicant = services.co_applicant_invite(
                    application=application, party=form.cleaned_data["party"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{co_applicant.party} är inbjuden. "
                    "Partens handläggare får ett e-postmeddelande.",
                )
                return redirect("insatser:parties", pk=pk)
    return render(
        request,
        "insatser/parties.html",
        {
            "application": application,
            "form": form,
            "can_manage": can_manage,
            "two_parties": _two_parties_status(application),
        },
    )


@login_required
@require_POST
def party_remove(request, pk, co_pk):
    application = _application(request, pk)
    _require(permissions.can_manage_parties(request.user, application))
    co_applicant = get_object_or_404(CoApplicant, pk=co_pk, application=application)
    try:
        services.co_applicant_remove(co_applicant=co_applicant, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, f"{co_applicant.party} är borttagen från ansökan.")
    return redirect("insatser:parties", pk=pk)


@login_required
def respond(request, pk, co_pk):
    application = _application(request, pk)
    co_applicant = get_object_or_404(
        CoApplicant.objects.select_related("party", "application"),
        pk=co_pk,
        application=application,
    )
    _require(permissions.can_respond(request.user, co_applicant))
    form = forms.RespondForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.co_applicant_respond(
                co_applicant=co_applicant,
                confirm=form.cleaned_data["decision"] == "confirm",
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Svaret för {co_applicant.party} är sparat.")
            return redirect("insatser:detail", pk=pk)
    return render(
        request,
        "insatser/respond.html",
        {
            "application": application,
            "co_applicant": co_applicant,
            "form": form,
            "budget": selectors.budget_table(list(application.budget_lines.all())),
        },
    )


@login_required
def attachments(request, pk):
    application = _application(request, pk)
    can_change = permissions.can_change_attachments(request.user, application)
    form = forms.AttachmentForm(_posted(request), _posted(request, files=True))
    if request.method == "POST":
        _require(can_change)
        if form.is_valid():
            try:
                services.attachment_add(
                    application=application,
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, "Bilagan är sparad.")
                return redirect("insatser:attachments", pk=pk)
    return render(
        request,
        "insatser/attachments.html",
        {
            "application": application,
            "attachments": application.attachments.select_related("uploaded_by"),
            "form": form,
            "can_change": can_change,
        },
    )


@login_required
def attachment_download(request, pk, attachment_pk):
    application = _application(request, pk)
    _require(permissions.can_view_attachment(request.user, application))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_remove(request, pk, attachment_pk):
    application = _application(request, pk)
    _require(permissions.can_change_attachments(request.user, application))
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, f"Bilagan {attachment.original_name} är borttagen.")
    return redirect("insatser:attachments", pk=pk)


@login_required
def submit(request, pk):
    application = _application(request, pk)
    _require(permissions.can_submit(request.user, application))
    completing = application.status == rules.COMPLETION_REQUESTED
    form = forms.SubmitForm(_posted(request), completing=completing)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(
                application=application,
                by=request.user,
                answer=form.cleaned_data.get("answer", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Ansökan är inskickad och har diarienummer {application.case_number}."
            )
            return redirect("insatser:detail", pk=pk)
    return render(
        request,
        "insatser/submit.html",
        {
            "application": application,
            "form": form,
            "completing": completing,
            "open_request": application.completion_requests.filter(answered_at__isnull=True).last(),
            "two_parties": _two_parties_status(application),
            "missing": rules.missing_for_submission(services.application_content(application)),
        },
    )


@login_required
def withdraw(request, pk):
    application = _application(request, pk)
    _require(permissions.can_withdraw(request.user, application))
    form = forms.WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Ansökan är återtagen.")
            return redirect("insatser:detail", pk=pk)
    return render(request, "insatser/withdraw.html", {"application": application, "form": form})


@login_required
@require_POST
def comment(request, pk):
    application = _application(request, pk)
    _require(permissions.can_comment(request.user, application))
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kommentaren är tom.")
        return redirect("insatser:detail", pk=pk)
    try:
        services.application_comment(
            application=application, text=form.cleaned_data["text"], by=request.user
        )
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "Kommentaren är sparad.")
    return redirect("insatser:detail", pk=pk)


@login_required
@require_POST
def start_preparation(request, pk):
    application = _application(request, pk)
    _require(permissions.can_prepare(request.user, application))
    try:
        services.application_start_preparation(application=application, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "Beredningen är påbörjad.")
    return redirect("insatser:detail", pk=pk)


@login_required
def request_completion(request, pk):
    application = _application(request, pk)
    _require(permissions.can_prepare(request.user, application))
    form = forms.CompletionRequestForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_request_completion(
                application=application, questions=form.cleaned_data["questions"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Begäran om komplettering är skickad till sökanden.")
            return redirect("insatser:detail", pk=pk)
    return render(
        request, "insatser/request_completion.html", {"application": application, "form": form}
    )


@login_required
def propose(request, pk):
    application = _application(request, pk)
    _require(permissions.can_prepare(request.user, application))
    years = application.period_years()
    budget_by_year = dict(
        application.budget_lines.values("year")
        .annotate(total=Sum("amount_kr"))
        .values_list("year", "total")
    )
    initial = {f"amount_{year}": budget_by_year.get(year, 0) for year in years}
    form = forms.ProposalForm(
        _posted(request), years=years, budget_by_year=budget_by_year, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.application_propose(
                application=application,
                recommendation=form.cleaned_data["recommendation"],
                reasoning=form.cleaned_data["reasoning"],
                conditions=form.cleaned_data["conditions"],
                amounts=form.amounts(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Förslaget till beslut är sparat.")
            return redirect("insatser:detail", pk=pk)
    return render(
        request,
        "insatser/propose.html",
        {
            "application": application,
            "form": form,
            "budget": selectors.budget_table(list(application.budget_lines.all())),
        },
    )


@login_required
@require_POST
def reopen(request, pk):
    application = _application(request, pk)
    _require(permissions.can_prepare(request.user, application))
    try:
        services.application_reopen(application=application, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, "Förslaget är återtaget; ansökan är under beredning igen.")
    return redirect("insatser:detail", pk=pk)


@login_required
def version(request, pk, number):
    application = _application(request, pk)
    versions = {v.number: v for v in application.versions.filter(number__in=[number - 1, number])}
    current = versions.get(number)
    if current is None:
        raise Http404("Versionen finns inte.")
    previous = versions.get(number - 1)
    changes = rules.diff_contents(previous.content, current.content) if previous else []
    return render(
        request,
        "insatser/version.html",
        {
            "application": application,
            "version": current,
            "previous": previous,
            "changes": changes,
            "flat": rules.flatten_content(current.content),
        },
    )
