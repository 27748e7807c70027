"""The decision panel on an application's page: its meeting, its decision, its insats."""

from django import template

from insatser import permissions, rules_meetings
from insatser.models_meetings import AgendaItem, Decision

register = template.Library()


@register.inclusion_tag("insatser/meetings/includes/application_panel.html", takes_context=True)
def decision_panel(context, application):
    user = context["request"].user
    item = AgendaItem.objects.filter(application=application).select_related("meeting").first()
    decision = (
        Decision.objects.filter(application=application)
        .exclude(status=rules_meetings.LAPSED)
        .prefetch_related("amounts")
        .first()
    )
    insats = getattr(application, "insats", None) if decision else None
    return {
        "application": application,
        "item": item,
        "decision": decision,
        "insats": insats,
        "show_meeting": item is not None and permissions.can_view_meeting(user, item.meeting),
        "show_insats": insats is not None and permissions.can_view_insats(user, insats),
        "can_delegate": item is None
        and decision is None
        and permissions.can_decide_on_delegation(user, application),
    }
