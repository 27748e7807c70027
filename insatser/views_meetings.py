"""Thin views for board meetings, decisions and delegated decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from forbund.models import Forbund
from forbund.permissions import roles_of

from . import (
    documents,
    permissions,
    selectors,
    selectors_meetings,
    services_meetings,
)
from . import forms_meetings as forms
from . import rules_meetings as meeting_rules
from .models_meetings import AgendaItem, MinutesSignature


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _meeting(request, pk: int):
    """Return the meeting if the user may read it; others get 404 (no hint it exists)."""
    _require(permissions.can_view_meetings(request.user))
    meeting = selectors_meetings.meeting_for(request.user, pk)
    if meeting is None:
        raise Http404("Sammanträdet finns inte eller så saknar du behörighet.")
    return meeting


def _item(meeting, item_pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("application__lead_party", "meeting"),
        pk=item_pk,
        meeting=meeting,
    )


def _refused(request, error: ValidationError, pk: int):
    for text in error.messages:
        messages.error(request, text)
    return redirect("meetings:detail", pk=pk)


@login_required
def meeting_list(request):
    _require(permissions.can_view_meetings(request.user))
    meetings = list(selectors_meetings.meeting_list(request.user))
    office = roles_of(request.user).office
    return render(
        request,
        "insatser/meetings/meeting_list.html",
        {
            "meetings": meetings,
            "can_manage": office,
            "to_place": list(selectors_meetings.proposals_to_place()) if office else [],
            "unreported": (
                list(selectors_meetings.unreported_delegated_decisions()) if office else []
            ),
        },
    )


@login_required
def meeting_create(request):
    _require(permissions.can_manage_meetings(request.user))
    form = forms.MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services_meetings.meeting_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Sammanträdet är planerat. Lägg nu ärenden på dagordningen.")
            return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "insatser/meetings/meeting_form.html", {"form": form})


@login_required
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_edit_agenda(request.user, meeting))
    initial = {"held_on": meeting.held_on, "starts_at": meeting.starts_at, "place": meeting.place}
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_meetings.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Ändringarna är sparade.")
            return redirect("meetings:detail", pk=pk)
    return render(
        request, "insatser/meetings/meeting_form.html", {"form": form, "meeting": meeting}
    )


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    user = request.user
    items = selectors_meetings.agenda(meeting)
    can_declare = permissions.can_declare_conflict(user, meeting)
    for item in items:
        item.my_conflict = next((c for c in item.conflicts.all() if c.member_id == user.pk), None)
    can_edit = permissions.can_edit_agenda(user, meeting)
    return render(
        request,
        "insatser/meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "signatures": selectors_meetings.signatures(meeting),
            "money": selectors_meetings.money_by_year(
                amount.year
                for item in items
                if item.application_id and hasattr(item.application, "proposal")
                for amount in item.application.proposal.amounts.all()
            ),
            "timeline": selectors_meetings.timeline(meeting) if roles_of(user).office else [],
            "can": {
                "edit": can_edit,
                "remove_items": can_edit and meeting.status == meeting_rules.PLANNED,
                "declare": can_declare,
                "record": permissions.can_record_decisions(user, meeting),
                "send_notice": roles_of(user).office
                and meeting.status in (meeting_rules.PLANNED, meeting_rules.NOTICE_SENT),
                "finalise": roles_of(user).office and meeting.status == meeting_rules.NOTICE_SENT,
                "reopen": roles_of(user).office and meeting.status == meeting_rules.MINUTES_READY,
                "minutes": permissions.can_view_minutes(user, meeting),
                "approve": permissions.can_approve_minutes(user, meeting),
            },
            "forms": {
                "proposal": forms.AddProposalForm(
                    applications=selectors_meetings.proposals_to_place()
                ),
                "delegation": forms.AddDelegationReportForm(
                    decisions=selectors_meetings.unreported_delegated_decisions()
                ),
                "other": forms.AddOtherItemForm(),
            }
            if can_edit
            else {},
        },
    )


@login_required
@require_POST
def item_add(request, pk, kind):
    meeting = _meeting(request, pk)
    _require(permissions.can_edit_agenda(request.user, meeting))
    if kind == "forslag":
        form = forms.AddProposalForm(
            request.POST, applications=selectors_meetings.proposals_to_place()
        )
    elif kind == "delegation":
        form = forms.AddDelegationReportForm(
            request.POST, decisions=selectors_meetings.unreported_delegated_decisions()
        )
    elif kind == "ovrigt":
        form = forms.AddOtherItemForm(request.POST)
    else:
        raise Http404
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("meetings:detail", pk=pk)
    try:
        if kind == "forslag":
            item = services_meetings.agenda_add_proposal(
                meeting=meeting, application=form.cleaned_data["application"], by=request.user
            )
        elif kind == "delegation":
            item = services_meetings.agenda_add_delegation_report(
                meeting=meeting, decision=form.cleaned_data["decision"], by=request.user
            )
        else:
            item = services_meetings.agenda_add_other(
                meeting=meeting,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, f"{item} är lagt på dagordningen.")
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def item_remove(request, pk, item_pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_edit_agenda(request.user, meeting))
    item = _item(meeting, item_pk)
    try:
        services_meetings.agenda_item_remove(item=item, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, f"§ {item.number} är borttaget från dagordningen.")
    return redirect("meetings:detail", pk=pk)


@login_required
def item_detail(request, pk, item_pk):
    """The beslutsunderlag of one ärende: the application, the proposal, jäv and the decision."""
    meeting = _meeting(request, pk)
    item = next((i for i in selectors_meetings.agenda(meeting) if i.pk == item_pk), None)
    if item is None:
        raise Http404("Ärendet finns inte.")
    user = request.user
    my_conflict = next((c for c in item.conflicts.all() if c.member_id == user.pk), None)
    can_declare = permissions.can_declare_conflict(user, meeting)
    can_edit = permissions.can_edit_agenda(user, meeting)
    notes_form = forms.NotesForm(request.POST or None, initial={"notes": item.notes})
    if request.method == "POST":
        _require(can_edit)
        if notes_form.is_valid():
            try:
                services_meetings.agenda_item_update_notes(
                    item=item, notes=notes_form.cleaned_data["notes"], by=user
                )
            except ValidationError as error:
                notes_form.add_error(None, error)
            else:
                messages.success(request, "Anteckningen är sparad.")
                return redirect("meetings:item", pk=pk, item_pk=item_pk)
    application = item.application
    budget = None
    if application is not None:
        budget = selectors.budget_table(list(application.budget_lines.all()))
    return render(
        request,
        "insatser/meetings/item_detail.html",
        {
            "meeting": meeting,
            "item": item,
            "application": application,
            "budget": budget,
            "my_conflict": my_conflict,
            "can_declare": can_declare and my_conflict is None,
            "can_withdraw_conflict": can_declare and my_conflict is not None,
            "can_record": permissions.can_record_decisions(user, meeting)
            and item.kind == AgendaItem.Kind.PROPOSAL,
            "can_edit": can_edit,
            "conflict_form": forms.ConflictForm(),
            "notes_form": notes_form,
        },
    )


@login_required
@require_POST
def conflict_declare(request, pk, item_pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_declare_conflict(request.user, meeting))
    item = _item(meeting, item_pk)
    form = forms.ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services_meetings.conflict_declare(item=item, reason=reason, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, f"Du har anmält jäv i § {item.number}. Du deltar inte i beslutet."
        )
    return redirect("meetings:item", pk=pk, item_pk=item_pk)


@login_required
@require_POST
def conflict_withdraw(request, pk, item_pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_declare_conflict(request.user, meeting))
    item = _item(meeting, item_pk)
    try:
        services_meetings.conflict_withdraw(item=item, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, f"Din jävsanmälan i § {item.number} är borttagen.")
    return redirect("meetings:item", pk=pk, item_pk=item_pk)


@login_required
def send_notice(request, pk):
    meeting = _meeting(request, pk)
    _require(
        roles_of(request.user).office
        and meeting.status in (meeting_rules.PLANNED, meeting_rules.NOTICE_SENT)
    )
    if request.method == "POST":
        try:
            services_meetings.meeting_send_notice(meeting=meeting, by=request.user)
        except ValidationError as error:
            return _refused(request, error, pk)
        messages.success(
            request, "Kallelsen med handlingarna skickas till styrelsens ledamöter och ersättare."
        )
        return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "insatser/meetings/send_notice.html",
        {
            "meeting": meeting,
            "items": selectors_meetings.agenda(meeting),
            "seats": list(selectors_meetings.board_seats_on(meeting.held_on)),
        },
    )


@login_required
def signers(request, pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_edit_agenda(request.user, meeting))
    members = services_meetings.board_members_on(meeting.held_on)
    current = selectors_meetings.signatures(meeting)
    chair = next((s.user for s in current if s.role == MinutesSignature.Role.CHAIR), None)
    if chair is None:
        chair_seat = next(
            (s for s in selectors_meetings.board_seats_on(meeting.held_on) if s.office == "chair"),
            None,
        )
        chair = chair_seat.user if chair_seat else None
    initial = {
        "chair": chair.pk if chair else None,
        "adjusters": [s.user_id for s in current if s.role == MinutesSignature.Role.ADJUSTER],
    }
    form = forms.SignersForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_meetings.meeting_set_signers(
                meeting=meeting,
                chair=form.cleaned_data["chair"],
                adjusters=list(form.cleaned_data["adjusters"]),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Ordförande och justerare är valda.")
            return redirect("meetings:detail", pk=pk)
    return render(
        request, "insatser/meetings/signers_form.html", {"meeting": meeting, "form": form}
    )


@login_required
def minutes(request, pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_view_minutes(request.user, meeting))
    return render(
        request,
        "insatser/meetings/minutes.html",
        {
            "meeting": meeting,
            "items": selectors_meetings.agenda(meeting),
            "signatures": selectors_meetings.signatures(meeting),
            "seats": list(selectors_meetings.board_seats_on(meeting.held_on)),
            "forbund": Forbund.objects.first(),
            "can_approve": permissions.can_approve_minutes(request.user, meeting),
        },
    )


@login_required
def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_view_minutes(request.user, meeting))
    response = HttpResponse(documents.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protokoll-{meeting.held_on:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _post_transition(request, pk, *, allowed, service, success: str, target="meetings:detail"):
    meeting = _meeting(request, pk)
    _require(allowed(request.user, meeting))
    try:
        service(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    messages.success(request, success)
    return redirect(target, pk=pk)


@login_required
@require_POST
def minutes_finalise(request, pk):
    return _post_transition(
        request,
        pk,
        allowed=lambda user, meeting: roles_of(user).office,
        service=services_meetings.minutes_finalise,
        success="Protokollet är lämnat för justering. Ordföranden och justerarna får e-post.",
    )


@login_required
@require_POST
def minutes_reopen(request, pk):
    return _post_transition(
        request,
        pk,
        allowed=lambda user, meeting: roles_of(user).office,
        service=services_meetings.minutes_reopen,
        success="Protokollet är öppnat igen. Justeringarna måste göras om.",
    )


@login_required
@require_POST
def minutes_approve(request, pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_approve_minutes(request.user, meeting))
    try:
        meeting = services_meetings.minutes_approve(meeting=meeting, by=request.user)
    except ValidationError as error:
        return _refused(request, error, pk)
    if meeting.status == meeting_rules.APPROVED:
        messages.success(
            request,
            "Protokollet är justerat. Besluten gäller och de sökande får besked via e-post.",
        )
    else:
        messages.success(request, "Du har justerat protokollet. Övriga justerare får göra sitt.")
    return redirect("meetings:minutes", pk=pk)
