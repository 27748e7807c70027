"""Every write about decisions: the board's in an ärende, the förbundschef's on delegation, and
how a decision takes effect.

Grants are checked against the money available for insatser each year while the budget-year rows
of those years are locked (`SELECT … FOR UPDATE`), so two grants at the same moment cannot both
fit into the same remaining money. A refusal raises `ValidationError` with a Swedish message and
changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from finsam import audit
from forbund.models import BudgetYear, Forbund, User
from forbund.permissions import roles_of
from forbund.selectors import money_available_for_insatser

from . import permissions, rules, tasks_meetings
from . import rules_meetings as meeting_rules
from . import services as application_services
from . import services_meetings as meeting_services
from .models import Application
from .models_meetings import AgendaItem, ConflictOfInterest, Decision, DecisionAmount


def _refuse(message: str, code: str = "not_allowed"):
    raise ValidationError(message, code=code)


def _require_office(by: User, what: str = "Bara förbundets kansli kan göra det.") -> None:
    if not roles_of(by).office:
        _refuse(what)


# Money.


def committed_by_year(years, exclude: Decision | None = None) -> dict[int, int]:
    """Return what is granted (in force or waiting for justering) per year."""
    queryset = DecisionAmount.objects.filter(
        year__in=list(years), decision__outcome=meeting_rules.GRANT
    ).exclude(decision__status=meeting_rules.LAPSED)
    if exclude is not None and exclude.pk:
        queryset = queryset.exclude(decision=exclude)
    return dict(
        queryset.values("year").annotate(total=Sum("amount_kr")).values_list("year", "total")
    )


def _require_money(amounts: dict[int, int], exclude: Decision | None = None) -> None:
    """Refuse a grant that takes any year's granted total above its money. Call inside atomic.

    The budget-year rows are locked in year order first, so concurrent grants in the same years
    wait for each other and the second one sees the first one's amounts.
    """
    years = sorted(year for year, amount in amounts.items() if amount > 0)
    list(BudgetYear.objects.select_for_update().filter(year__in=years).order_by("year"))
    available = {year: money_available_for_insatser(year) for year in years}
    problems = meeting_rules.money_problems(amounts, available, committed_by_year(years, exclude))
    if problems:
        _refuse(problems[0], "over_budget")


# Decisions.


def _save_amounts(decision: Decision, amounts: dict[int, int]) -> None:
    DecisionAmount.objects.bulk_create(
        [
            DecisionAmount(decision=decision, year=year, amount_kr=amount)
            for year, amount in sorted(amounts.items())
            if amount
        ]
    )


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    outcome: str,
    amounts: dict[int, int],
    conditions: str,
    reasons: str,
    conflicted: list[User],
    by: User,
) -> Decision:
    """Record the board's decision in an ärende and who declared jäv; replaces an earlier one.

    The decision waits for the justering of the minutes before it takes effect.
    """
    locked = meeting_services._lock_meeting(item.meeting)
    if not permissions.can_record_decisions(by, locked):
        _refuse("Beslut protokollförs av kansliet när kallelsen är skickad och innan justeringen.")
    if locked.held_on > timezone.localdate():
        _refuse(
            f"Sammanträdet hålls {locked.held_on:%Y-%m-%d}; beslut protokollförs från och med "
            "den dagen."
        )
    item = AgendaItem.objects.select_related("application").get(pk=item.pk)
    if item.kind != AgendaItem.Kind.PROPOSAL:
        _refuse("Beslut om medel fattas bara i ärenden med ett förslag till beslut.")
    application = application_services._lock(item.application)
    if application.status != rules.PROPOSED:
        _refuse(
            f"Ansökan har status ”{application.get_status_display().lower()}” och kan inte "
            "beslutas. Ingenting har ändrats."
        )
    if outcome == meeting_rules.REJECT:
        amounts = {}
        if not reasons.strip():
            _refuse("Skriv skälen för avslaget.", "no_reasons")
    problem = meeting_rules.amounts_problem(outcome, amounts, application.period_years())
    if problem:
        _refuse(problem, "amounts")
    members = {user.pk for user in meeting_services.board_members_on(locked.held_on)}
    outsiders = [user for user in conflicted if user.pk not in members]
    if outsiders:
        _refuse(f"{outsiders[0]} satt inte i styrelsen {locked.held_on:%Y-%m-%d}.")
    previous = Decision.objects.filter(agenda_item=item).first()
    if outcome == meeting_rules.GRANT:
        _require_money(amounts, exclude=previous)
    if previous is not None:
        previous.delete()
    decision = Decision(
        application=application,
        agenda_item=item,
        outcome=outcome,
        conditions=conditions.strip(),
        reasons=reasons.strip(),
        decided_on=locked.held_on,
        recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    _save_amounts(decision, amounts)
    wanted = {user.pk for user in conflicted}
    ConflictOfInterest.objects.filter(item=item).exclude(member_id__in=wanted).delete()
    have = set(ConflictOfInterest.objects.filter(item=item).values_list("member_id", flat=True))
    ConflictOfInterest.objects.bulk_create(
        [
            ConflictOfInterest(item=item, member=user, recorded_by=by)
            for user in conflicted
            if user.pk not in have
        ]
    )
    audit.log(
        locked,
        "meeting.decision_recorded",
        actor=by,
        comment=f"§ {item.number}: {decision.get_outcome_display()}",
        data={
            "item": item.number,
            "outcome": outcome,
            "amounts": {str(year): amount for year, amount in sorted(amounts.items()) if amount},
            "conflicts": sorted(wanted),
        },
    )
    audit.log(
        application,
        "application.decision_recorded",
        actor=by,
        comment=f"{decision.get_outcome_display()} ({locked}, § {item.number}); gäller när "
        "protokollet är justerat.",
    )
    return decision


def _take_effect(decision: Decision, by: User) -> None:
    """Apply a decision to its application (beviljad/avslagen); a grant becomes an insats.

    Call inside transaction.atomic. An application withdrawn after the meeting cannot be decided:
    the decision lapses and the event says so.
    """
    from . import services_insats

    application = application_services._lock(decision.application)
    action = (
        "grant_delegated"
        if decision.delegated
        else ("grant" if decision.outcome == meeting_rules.GRANT else "reject")
    )
    try:
        transition = rules.transition_for(action, application.status)
    except ValidationError:
        Decision.objects.filter(pk=decision.pk).update(status=meeting_rules.LAPSED)
        audit.log(
            application,
            "application.decision_lapsed",
            actor=by,
            comment=(
                f"Beslutet kunde inte verkställas: ansökan hade status "
                f"”{application.get_status_display().lower()}”."
            ),
        )
        return
    application_services._move(application, transition, by, comment=decision.reasons)
    now = timezone.now()
    Decision.objects.filter(pk=decision.pk).update(status=meeting_rules.IN_FORCE, in_force_at=now)
    decision.status, decision.in_force_at = meeting_rules.IN_FORCE, now
    if decision.outcome == meeting_rules.GRANT:
        services_insats.insats_create_from(decision=decision, by=by)
    pk = decision.pk
    transaction.on_commit(lambda: tasks_meetings.notify_decision.delay(pk))


@transaction.atomic
def decision_delegate(
    *,
    application: Application,
    amounts: dict[int, int],
    conditions: str,
    reasons: str,
    by: User,
) -> Decision:
    """The förbundschef grants on delegation, up to the förbund's delegation limit in total.

    The decision is in force at once and waits to be reported at the next board meeting.
    """
    _require_office(by, "Bara förbundschefen (kansliet) kan besluta på delegation.")
    locked = application_services._lock(application)
    rules.transition_for("grant_delegated", locked.status)
    if AgendaItem.objects.filter(application=locked).exists():
        _refuse(
            "Ansökan ligger på ett sammanträdes dagordning; där beslutar styrelsen. "
            "Ingenting har ändrats."
        )
    problem = meeting_rules.amounts_problem(meeting_rules.GRANT, amounts, locked.period_years())
    if problem:
        _refuse(problem, "amounts")
    forbund = Forbund.objects.first()
    limit = forbund.delegation_limit_kr if forbund else 0
    problem = meeting_rules.delegation_problem(sum(amounts.values()), limit)
    if problem:
        _refuse(problem, "over_delegation_limit")
    _require_money(amounts)
    decision = Decision(
        application=locked,
        delegated=True,
        outcome=meeting_rules.GRANT,
        conditions=conditions.strip(),
        reasons=reasons.strip(),
        decided_on=timezone.localdate(),
        recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    _save_amounts(decision, amounts)
    audit.log(
        locked,
        "application.decided_on_delegation",
        actor=by,
        comment=decision.reasons,
        data={"amounts": {str(y): a for y, a in sorted(amounts.items()) if a}},
    )
    _take_effect(decision, by)
    decision.refresh_from_db()
    return decision
