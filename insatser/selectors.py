"""Reads about applications: permission-filtered lists, the budget table, the timeline, todos."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from finsam import audit
from finsam.start import Todo
from forbund.models import RoleAssignment, User
from forbund.permissions import roles_of

from . import permissions, rules
from .models import Application, BudgetLine, CoApplicant


def _active_roles(role: str):
    today = timezone.localdate()
    return RoleAssignment.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today), role=role, valid_from__lte=today
    )


def party_staff_emails(party_id: int) -> list[str]:
    """Return the e-mail addresses of the active staff of one party."""
    users = _active_roles(RoleAssignment.Role.PARTY_STAFF).filter(party_id=party_id)
    return list(
        User.objects.filter(is_active=True, pk__in=Subquery(users.values("user_id")))
        .order_by("email")
        .values_list("email", flat=True)
    )


def office_emails() -> list[str]:
    users = _active_roles(RoleAssignment.Role.OFFICE)
    return list(
        User.objects.filter(is_active=True, pk__in=Subquery(users.values("user_id")))
        .order_by("email")
        .values_list("email", flat=True)
    )


def _with_parties(queryset):
    return queryset.select_related("lead_party").prefetch_related(
        Prefetch("co_applicants", queryset=CoApplicant.objects.select_related("party"))
    )


def application_list(user, status: str = ""):
    """Return the applications `user` may read, newest first, with parties and budget total."""
    queryset = permissions.visible_applications(user)
    if status:
        queryset = queryset.filter(status=status)
    # Meta.ordering does not apply to a query with GROUP BY (the budget sum): order explicitly.
    return (
        _with_parties(queryset)
        .annotate(budget_total_kr=Sum("budget_lines__amount_kr"))
        .order_by("-created_at", "-pk")
    )


def invitations_to_answer(user):
    """Return the invitations the user's parties have not answered yet."""
    staff_parties = roles_of(user).staff_parties
    if not staff_parties:
        return CoApplicant.objects.none()
    return CoApplicant.objects.filter(
        party_id__in=staff_parties,
        status=rules.INVITED,
        application__status__in=rules.EDITABLE_STATES,
    ).select_related("party", "application__lead_party")


def application_for(user, pk: int) -> Application | None:
    """Return the application with its parties if `user` may read it, else None."""
    application = _with_parties(Application.objects.filter(pk=pk)).first()
    if application is None or not permissions.can_view_application(user, application):
        return None
    return application


@dataclass
class BudgetTable:
    years: list[int]
    rows: list[dict]  # {"category": label, "amounts": [kr per year], "total": kr}
    year_totals: list[int]
    total: int


def budget_table(lines) -> BudgetTable:
    """Return the budget as cost categories × years with totals (from lines already read)."""
    years = sorted({line.year for line in lines})
    rows = []
    for value, label in BudgetLine.Category.choices:
        amounts = [
            sum(line.amount_kr for line in lines if line.category == value and line.year == year)
            for year in years
        ]
        if any(line.category == value for line in lines):
            rows.append({"category": label, "amounts": amounts, "total": sum(amounts)})
    year_totals = [sum(line.amount_kr for line in lines if line.year == year) for year in years]
    return BudgetTable(years, rows, year_totals, sum(year_totals))


ACTION_LABELS = {
    "application.created": "Utkastet skapades",
    "application.edited": "Ansökan ändrades",
    "application.budget_flagged": "Budgetrad flaggad som möjlig individuell förmån",
    "application.party_invited": "Part inbjuden",
    "application.party_removed": "Part borttagen",
    "application.party_confirmed": "Part bekräftade",
    "application.party_declined": "Part avböjde",
    "application.attachment_added": "Bilaga tillagd",
    "application.attachment_removed": "Bilaga borttagen",
    "application.submit": "Inskickad",
    "application.start_preparation": "Beredning påbörjad",
    "application.request_completion": "Komplettering begärd",
    "application.propose": "Förslag till beslut",
    "application.proposal_written": "Förslag till beslut skrivet",
    "application.reopen": "Förslaget återtaget för ny beredning",
    "application.withdraw": "Ansökan återtagen",
    "application.grant": "Beviljad",
    "application.reject": "Avslagen",
    "application.grant_delegated": "Beviljad på delegation",
    "application.placed_on_agenda": "Lagd på sammanträdets dagordning",
    "application.decision_recorded": "Beslut protokollfört",
    "application.decided_on_delegation": "Beslut på delegation",
    "application.decision_lapsed": "Beslutet förföll",
    "application.commented": "Kommentar",
}


def timeline(application: Application) -> list[dict]:
    """Return the application's events, oldest first, with Swedish labels."""
    result = []
    for event in audit.events_for(application):
        result.append(
            {
                "at": event.at,
                "label": ACTION_LABELS.get(event.action, event.action),
                "actor": event.actor,
                "from_state": rules.STATE_LABELS.get(event.from_state, ""),
                "to_state": rules.STATE_LABELS.get(event.to_state, ""),
                "comment": event.comment,
                "changes": event.data.get("changes", []) if isinstance(event.data, dict) else [],
            }
        )
    return result


def todos_for(user) -> list[Todo]:
    """What this person has to do next with applications."""
    roles = roles_of(user)
    result: list[Todo] = []
    list_url = reverse("insatser:list")
    if roles.staff:
        invitations = invitations_to_answer(user).count()
        if invitations:
            result.append(
                Todo(
                    "Inbjudningar att bekräfta eller avböja",
                    f"{list_url}#inbjudningar",
                    invitations,
                    urgent=True,
                )
            )
        completions = Application.objects.filter(
            lead_party_id__in=roles.staff_parties, status=rules.COMPLETION_REQUESTED
        ).count()
        if completions:
            result.append(
                Todo(
                    "Ansökningar där kansliet begär komplettering",
                    f"{list_url}?status={rules.COMPLETION_REQUESTED}",
                    completions,
                    urgent=True,
                )
            )
        drafts = Application.objects.filter(
            lead_party_id__in=roles.staff_parties, status=rules.DRAFT
        ).count()
        if drafts:
            result.append(
                Todo("Utkast som inte är inskickade", f"{list_url}?status={rules.DRAFT}", drafts)
            )
    if roles.office:
        for status, text in (
            (rules.SUBMITTED, "Inskickade ansökningar att ta upp för beredning"),
            (rules.IN_PREPARATION, "Ansökningar under beredning"),
        ):
            count = Application.objects.filter(status=status).count()
            if count:
                result.append(Todo(text, f"{list_url}?status={status}", count))
    if roles.board:
        proposed = Application.objects.filter(status=rules.PROPOSED).count()
        if proposed:
            result.append(
                Todo(
                    "Förslag till beslut att läsa", f"{list_url}?status={rules.PROPOSED}", proposed
                )
            )
    return result + _meeting_and_insats_todos(user)


def _meeting_and_insats_todos(user) -> list[Todo]:
    from .selectors_meetings import todos_for as meeting_todos

    return meeting_todos(user)
