"""The audit trail as a page and a CSV file, for the kansli and the auditors."""

import csv
from datetime import datetime, time

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from forbund.permissions import can_read_audit_trail
from forbund.rules import neutralise_formula

from .models import Event

PAGE_SIZE = 50
# Area of the log -> (label, the action prefixes that belong to it).
AREAS = {
    "": ("Alla", ()),
    "application": ("Ansökningar, förslag och delegationsbeslut", ("application",)),
    "meeting": ("Sammanträden, beslut och justering", ("meeting",)),
    "insats": ("Insatser, rekvisitioner och rapporter", ("insats",)),
    "period_report": ("Uppföljning", ("period_report",)),
    "annual_report": ("Årsrapporter och revisionspaket", ("annual_report",)),
    "contribution": ("Medlemsbidrag och betalningar", ("contribution",)),
    "budget_year": ("Budget och befolkning", ("budget_year", "population")),
    "party": ("Parter", ("party",)),
    "board": ("Styrelse och mandatperioder", ("board_seat", "mandate_period")),
    "category": ("Kategorier och inställningar", ("category", "followup_settings")),
}


class EventFilterForm(forms.Form):
    area = forms.ChoiceField(
        label="Område",
        choices=[(key, label) for key, (label, _) in AREAS.items()],
        required=False,
    )
    since = forms.DateField(
        label="Från och med", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Till och med", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise forms.ValidationError("Slutdatumet ligger före startdatumet.")
        return data


def filtered_events(form: EventFilterForm):
    events = Event.objects.select_related("actor", "subject_type").order_by("-at", "-pk")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data.get("area"):
        matches = Q()
        for prefix in AREAS[data["area"]][1]:
            matches |= Q(action__startswith=f"{prefix}.")
        events = events.filter(matches)
    zone = timezone.get_current_timezone()
    if data.get("since"):
        events = events.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data.get("until"):
        events = events.filter(at__lte=datetime.combine(data["until"], time.max, zone))
    return events


@login_required
def event_list(request):
    if not can_read_audit_trail(request.user):
        raise PermissionDenied
    form = EventFilterForm(request.GET or None)
    events = filtered_events(form) if request.GET else filtered_events(EventFilterForm({}))
    if request.GET.get("format") == "csv":
        return _csv(events)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/event_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _csv(events) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="handelselogg.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Tid", "Händelse", "Utförd av", "Gäller", "Id", "Från", "Till", "Kommentar"])
    for event in events.iterator(chunk_size=500):
        writer.writerow(
            [
                neutralise_formula(value)
                for value in (
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                    event.action,
                    event.actor.name if event.actor else "systemet",
                    event.subject_type.name,
                    event.subject_id,
                    event.from_state,
                    event.to_state,
                    event.comment,
                )
            ]
        )
    return response
