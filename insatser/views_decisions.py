"""Thin views for decisions: the secretary records the board's, the förbundschef decides on
delegation, and the list of delegated decisions reported to the board."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from finsam.templatetags.finsam import format_kr
from forbund.models import Forbund

from . import forms_meetings as forms
from . import (
    permissions,
    rules,
    selectors,
    selectors_meetings,
    services_decisions,
    services_meetings,
)
from .models_meetings import AgendaItem
from .views_meetings import _item, _meeting, _require


@login_required
def decision_record(request, pk, item_pk):
    meeting = _meeting(request, pk)
    _require(permissions.can_record_decisions(request.user, meeting))
    item = _item(meeting, item_pk)
    if item.kind != AgendaItem.Kind.PROPOSAL:
        raise Http404("Ärendet har inget förslag till beslut.")
    application = item.application
    proposal = getattr(application, "proposal", None)
    decision = getattr(item, "decision", None)
    years = application.period_years()
    if decision is not None:
        initial_amounts = {a.year: a.amount_kr for a in decision.amounts.all()}
        initial = {
            "outcome": decision.outcome,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
        }
    else:
        initial_amounts = {a.year: a.amount_kr for a in proposal.amounts.all()} if proposal else {}
        initial = {
            "outcome": proposal.recommendation if proposal else None,
            "conditions": proposal.conditions if proposal else "",
            "reasons": proposal.reasoning if proposal else "",
        }
    initial["conflicted"] = [c.member_id for c in item.conflicts.all()]
    money = selectors_meetings.money_by_year(years)
    help_by_year = {
        row.year: f"Kvar för insatser {row.year}: {format_kr(row.left_kr)}" for row in money
    }
    form = forms.DecisionForm(
        request.POST or None,
        years=years,
        members=services_meetings.board_members_on(meeting.held_on),
        initial_amounts=initial_amounts,
        help_by_year=help_by_year,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_decisions.decision_record(
                item=item,
                outcome=form.cleaned_data["outcome"],
                amounts=form.amounts(),
                conditions=form.cleaned_data["conditions"],
                reasons=form.cleaned_data["reasons"],
                conflicted=list(form.cleaned_data["conflicted"]),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Beslutet i § {item.number} är protokollfört. Det gäller när protokollet är "
                "justerat.",
            )
            return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "insatser/meetings/decision_form.html",
        {
            "meeting": meeting,
            "item": item,
            "application": application,
            "proposal": proposal,
            "money": money,
            "form": form,
        },
    )


# Delegated decisions.


@login_required
def delegated_list(request):
    _require(permissions.can_view_decisions(request.user))
    return render(
        request,
        "insatser/meetings/delegated_list.html",
        {"decisions": list(selectors_meetings.delegated_decisions())},
    )


@login_required
def delegated_create(request, application_pk):
    application = selectors.application_for(request.user, application_pk)
    if application is None:
        raise Http404("Ansökan finns inte eller så saknar du behörighet.")
    _require(permissions.can_decide_on_delegation(request.user, application))
    proposal = getattr(application, "proposal", None)
    forbund = Forbund.objects.first()
    limit = forbund.delegation_limit_kr if forbund else 0
    years = application.period_years()
    form = forms.DelegatedDecisionForm(
        request.POST or None,
        years=years,
        limit_kr=limit,
        initial_amounts={a.year: a.amount_kr for a in proposal.amounts.all()} if proposal else {},
        initial={
            "conditions": proposal.conditions if proposal else "",
            "reasons": proposal.reasoning if proposal else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_decisions.decision_delegate(
                application=application,
                amounts=form.amounts(),
                conditions=form.cleaned_data["conditions"],
                reasons=form.cleaned_data["reasons"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                "Ansökan är beviljad på delegation. Beslutet anmäls till styrelsen vid nästa "
                "sammanträde och de sökande får besked via e-post.",
            )
            return redirect("insatser:detail", pk=application.pk)
    return render(
        request,
        "insatser/meetings/delegated_form.html",
        {
            "application": application,
            "proposal": proposal,
            "form": form,
            "limit": limit,
            "money": selectors_meetings.money_by_year(years),
            "status_proposed": rules.PROPOSED,
        },
    )
