"""Every write about board meetings: agenda, notice, jäv, signers and the justering of the minutes.

Each service locks the row it changes, checks the rule in `rules_meetings.py`, writes the change
and an audit event in one transaction and queues e-mail with `transaction.on_commit`. A refusal
raises `ValidationError` with a Swedish message and changes nothing.

Recording a decision, deciding on delegation and putting decisions in force live in
`services_decisions.py`.
"""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from finsam import audit
from forbund.models import BoardSeat, User
from forbund.permissions import roles_of

from . import permissions, rules, tasks_meetings
from . import rules_meetings as meeting_rules
from . import services as application_services
from .models import Application
from .models_meetings import (
    AgendaItem,
    ConflictOfInterest,
    Decision,
    Meeting,
    MinutesSignature,
)


def _refuse(message: str, code: str = "not_allowed"):
    raise ValidationError(message, code=code)


def _require_office(by: User, what: str = "Bara förbundets kansli kan göra det.") -> None:
    if not roles_of(by).office:
        _refuse(what)


def _lock_meeting(meeting: Meeting) -> Meeting:
    """Return the meeting re-read with its row locked. Call inside transaction.atomic."""
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _move_meeting(locked: Meeting, action: str, by: User, comment: str = "", **extra) -> Meeting:
    """Take the meeting through `action` with a conditional UPDATE and record the event."""
    transition = meeting_rules.meeting_transition_for(action, locked.status)
    changed = Meeting.objects.filter(pk=locked.pk, status=transition.source).update(
        status=transition.target, **extra
    )
    if changed != 1:
        meeting_rules.meeting_transition_for(action, "")  # raises the refusal
    locked.status = transition.target
    for name, value in extra.items():
        setattr(locked, name, value)
    audit.log(
        locked,
        f"meeting.{action}",
        actor=by,
        from_state=transition.source,
        to_state=transition.target,
        comment=comment,
    )
    return locked


# Meetings and the agenda.


@transaction.atomic
def meeting_create(
    *, held_on: date, place: str, by: User, starts_at: time | None = None
) -> Meeting:
    _require_office(by)
    meeting = Meeting(held_on=held_on, place=place.strip(), starts_at=starts_at, created_by=by)
    meeting.full_clean()
    meeting.save()
    audit.log(meeting, "meeting.created", actor=by, to_state=meeting.status)
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, held_on: date, place: str, by: User, starts_at: time | None = None
) -> Meeting:
    _require_office(by)
    locked = _lock_meeting(meeting)
    if locked.status not in meeting_rules.AGENDA_OPEN_STATES:
        _refuse("Sammanträdet kan inte ändras när protokollet är lämnat för justering.")
    recorded = Decision.objects.filter(agenda_item__meeting=locked).exists()
    if recorded and held_on != locked.held_on:
        _refuse("Datumet kan inte ändras när beslut är protokollförda.")
    before = (locked.held_on.isoformat(), locked.place)
    locked.held_on, locked.place, locked.starts_at = held_on, place.strip(), starts_at
    locked.full_clean()
    locked.save()
    audit.log(
        locked,
        "meeting.edited",
        actor=by,
        comment=f"{before[0]}, {before[1]} → {held_on.isoformat()}, {locked.place}",
    )
    return locked


def _next_number(meeting: Meeting) -> int:
    return (meeting.items.aggregate(last=Max("number"))["last"] or 0) + 1


def _require_agenda_open(meeting: Meeting, by: User) -> None:
    _require_office(by)
    if meeting.status not in meeting_rules.AGENDA_OPEN_STATES:
        _refuse(
            "Dagordningen kan inte ändras när protokollet är lämnat för justering. "
            "Ingenting har ändrats."
        )


@transaction.atomic
def agenda_add_proposal(*, meeting: Meeting, application: Application, by: User) -> AgendaItem:
    """Put an application's förslag till beslut on the agenda as the next §."""
    locked = _lock_meeting(meeting)
    _require_agenda_open(locked, by)
    app = application_services._lock(application)
    if app.status != rules.PROPOSED:
        _refuse(
            "Bara en ansökan med ett förslag till beslut kan läggas på dagordningen. "
            "Ingenting har ändrats."
        )
    existing = AgendaItem.objects.filter(application=app).select_related("meeting").first()
    if existing is not None:
        _refuse(f"Ansökan finns redan på dagordningen för {existing.meeting}.")
    item = AgendaItem.objects.create(
        meeting=locked,
        number=_next_number(locked),
        kind=AgendaItem.Kind.PROPOSAL,
        title=f"Ansökan {app.case_number} {app.title}",
        application=app,
    )
    audit.log(locked, "meeting.item_added", actor=by, comment=str(item))
    audit.log(app, "application.placed_on_agenda", actor=by, comment=f"{locked}, § {item.number}")
    return item


@transaction.atomic
def agenda_add_delegation_report(*, meeting: Meeting, decision: Decision, by: User) -> AgendaItem:
    """Report a delegated decision to the board (anmälan av delegationsbeslut)."""
    locked = _lock_meeting(meeting)
    _require_agenda_open(locked, by)
    if not decision.delegated or decision.status != meeting_rules.IN_FORCE:
        _refuse("Bara ett gällande delegationsbeslut kan anmälas till styrelsen.")
    if AgendaItem.objects.filter(reported_decision=decision).exists():
        _refuse("Delegationsbeslutet är redan anmält.")
    application = decision.application
    item = AgendaItem.objects.create(
        meeting=locked,
        number=_next_number(locked),
        kind=AgendaItem.Kind.DELEGATION_REPORT,
        title=(f"Anmälan av delegationsbeslut: {application.case_number} {application.title}"),
        reported_decision=decision,
    )
    audit.log(locked, "meeting.item_added", actor=by, comment=str(item))
    return item


@transaction.atomic
def agenda_add_other(*, meeting: Meeting, title: str, notes: str, by: User) -> AgendaItem:
    locked = _lock_meeting(meeting)
    _require_agenda_open(locked, by)
    if not title.strip():
        _refuse("Skriv en rubrik för ärendet.", "no_title")
    item = AgendaItem.objects.create(
        meeting=locked,
        number=_next_number(locked),
        kind=AgendaItem.Kind.OTHER,
        title=title.strip(),
        notes=notes.strip(),
    )
    audit.log(locked, "meeting.item_added", actor=by, comment=str(item))
    return item


@transaction.atomic
def agenda_item_update_notes(*, item: AgendaItem, notes: str, by: User) -> AgendaItem:
    """Write the protokollsanteckning of an ärende while the minutes are being written."""
    locked = _lock_meeting(item.meeting)
    _require_agenda_open(locked, by)
    item = AgendaItem.objects.get(pk=item.pk)
    item.notes = notes.strip()
    item.save(update_fields=["notes"])
    audit.log(locked, "meeting.item_notes", actor=by, comment=f"§ {item.number}")
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User) -> None:
    """Take an ärende off a planned meeting and renumber the ones after it."""
    locked = _lock_meeting(item.meeting)
    _require_office(by)
    if locked.status != meeting_rules.PLANNED:
        _refuse(
            "Ärenden kan bara tas bort innan kallelsen är skickad, så att paragraferna "
            "stämmer med kallelsen. Ingenting har ändrats."
        )
    number, title = item.number, item.title
    item.delete()
    for later in locked.items.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])
    audit.log(locked, "meeting.item_removed", actor=by, comment=f"§ {number} {title}")


@transaction.atomic
def meeting_send_notice(*, meeting: Meeting, by: User) -> Meeting:
    """Send the kallelse with the agenda and the beslutsunderlag to the board of the day."""
    _require_office(by)
    locked = _lock_meeting(meeting)
    meeting_rules.meeting_transition_for("send_notice", locked.status)
    if not locked.items.exists():
        _refuse("Lägg minst ett ärende på dagordningen innan kallelsen skickas.", "empty_agenda")
    resend = locked.status == meeting_rules.NOTICE_SENT
    locked = _move_meeting(
        locked,
        "send_notice",
        by,
        comment="Kallelsen skickades igen." if resend else "Kallelsen skickades.",
        notice_sent_at=timezone.now(),
    )
    pk = locked.pk
    transaction.on_commit(lambda: tasks_meetings.send_meeting_notice.delay(pk))
    return locked


# Jäv.


@transaction.atomic
def conflict_declare(*, item: AgendaItem, by: User, reason: str = "") -> ConflictOfInterest:
    """A board member declares jäv for themselves on an ärende; nobody declares for another."""
    locked = _lock_meeting(item.meeting)
    if not permissions.can_declare_conflict(by, locked):
        _refuse(
            "Bara ledamöter och ersättare i styrelsen den dagen kan anmäla jäv, och bara innan "
            "protokollet är lämnat för justering."
        )
    if ConflictOfInterest.objects.filter(item=item, member=by).exists():
        _refuse("Du har redan anmält jäv i ärendet.")
    conflict = ConflictOfInterest.objects.create(
        item=item, member=by, reason=reason.strip(), recorded_by=by
    )
    audit.log(
        locked,
        "meeting.conflict_declared",
        actor=by,
        comment=f"§ {item.number}: {by} anmälde jäv. {conflict.reason}".strip(),
        data={"item": item.number, "member": by.pk},
    )
    return conflict


@transaction.atomic
def conflict_withdraw(*, item: AgendaItem, by: User) -> None:
    locked = _lock_meeting(item.meeting)
    if locked.status not in meeting_rules.RECORDING_STATES:
        _refuse("Jävsanmälan kan inte ändras när protokollet är lämnat för justering.")
    deleted, _ = ConflictOfInterest.objects.filter(item=item, member=by).delete()
    if not deleted:
        _refuse("Du har inte anmält jäv i ärendet.")
    audit.log(
        locked,
        "meeting.conflict_withdrawn",
        actor=by,
        comment=f"§ {item.number}: {by} tog tillbaka sin jävsanmälan.",
        data={"item": item.number, "member": by.pk},
    )


def board_members_on(day: date):
    """Return the people holding a seat (ledamot or ersättare) on `day`."""
    seats = BoardSeat.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day
    )
    return User.objects.filter(pk__in=seats.values("user_id")).order_by("name", "email")


@transaction.atomic
def meeting_set_signers(
    *, meeting: Meeting, chair: User, adjusters: list[User], by: User
) -> list[MinutesSignature]:
    """Choose the ordförande of the meeting and one or two justerare."""
    _require_office(by)
    locked = _lock_meeting(meeting)
    if locked.status not in meeting_rules.AGENDA_OPEN_STATES:
        _refuse("Justerare väljs innan protokollet lämnas för justering.")
    if not adjusters or len(adjusters) > meeting_rules.MAX_ADJUSTERS:
        _refuse("Välj en eller två justerare.", "adjusters")
    if chair.pk in {user.pk for user in adjusters}:
        _refuse("Ordföranden justerar redan; välj någon annan som justerare.", "adjusters")
    members = {user.pk for user in board_members_on(locked.held_on)}
    for person in [chair, *adjusters]:
        if person.pk not in members:
            _refuse(f"{person} satt inte i styrelsen {locked.held_on:%Y-%m-%d}.")
    locked.signatures.all().delete()
    signatures = [MinutesSignature(meeting=locked, user=chair, role=MinutesSignature.Role.CHAIR)]
    signatures += [
        MinutesSignature(meeting=locked, user=user, role=MinutesSignature.Role.ADJUSTER)
        for user in adjusters
    ]
    MinutesSignature.objects.bulk_create(signatures)
    audit.log(
        locked,
        "meeting.signers_chosen",
        actor=by,
        comment=f"Ordförande {chair}; justerare {', '.join(str(u) for u in adjusters)}.",
    )
    return signatures


@transaction.atomic
def minutes_finalise(*, meeting: Meeting, by: User) -> Meeting:
    """Close the minutes and send them to the ordförande and the justerare."""
    _require_office(by)
    locked = _lock_meeting(meeting)
    meeting_rules.meeting_transition_for("finalise_minutes", locked.status)
    undecided = [
        item for item in locked.items.filter(kind=AgendaItem.Kind.PROPOSAL, decision__isnull=True)
    ]
    if undecided:
        numbers = ", ".join(f"§ {item.number}" for item in undecided)
        _refuse(f"Protokollför besluten i alla ärenden först ({numbers} saknar beslut).")
    roles = set(locked.signatures.values_list("role", flat=True))
    if MinutesSignature.Role.CHAIR not in roles or MinutesSignature.Role.ADJUSTER not in roles:
        _refuse("Välj ordförande och justerare innan protokollet lämnas för justering.")
    locked = _move_meeting(
        locked, "finalise_minutes", by, secretary=by, minutes_ready_at=timezone.now()
    )
    pk = locked.pk
    transaction.on_commit(lambda: tasks_meetings.notify_signers.delay(pk))
    return locked


@transaction.atomic
def minutes_reopen(*, meeting: Meeting, by: User) -> Meeting:
    """Open the minutes again for corrections; every justering so far is undone."""
    _require_office(by)
    locked = _lock_meeting(meeting)
    locked = _move_meeting(locked, "reopen_minutes", by, minutes_ready_at=None)
    locked.signatures.update(approved_at=None)
    return locked


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """The ordförande or a justerare approves the minutes for themselves.

    When the last of them has, the minutes are justerade and every decision takes effect: the
    applications become beviljade or avslagna, a grant becomes an insats, the applicants are told.
    """
    locked = _lock_meeting(meeting)
    meeting_rules.meeting_transition_for("approve_minutes", locked.status)
    signature = MinutesSignature.objects.select_for_update().filter(meeting=locked, user=by).first()
    if signature is None:
        _refuse("Bara sammanträdets ordförande och de valda justerarna kan justera protokollet.")
    if signature.approved_at is not None:
        _refuse("Du har redan justerat protokollet.")
    now = timezone.now()
    signature.approved_at = now
    signature.save(update_fields=["approved_at"])
    audit.log(
        locked,
        "meeting.minutes_signed",
        actor=by,
        comment=f"{by} justerade protokollet som {signature.get_role_display().lower()}.",
    )
    if locked.signatures.filter(approved_at__isnull=True).exists():
        return locked
    locked = _move_meeting(locked, "approve_minutes", by, approved_at=now)
    decisions = Decision.objects.filter(
        agenda_item__meeting=locked, status=meeting_rules.PENDING
    ).order_by("agenda_item__number")
    for decision in decisions:
        _take_effect(decision, by)
    return locked


def _take_effect(decision: Decision, by: User) -> None:
    from .services_decisions import _take_effect as take_effect

    take_effect(decision, by)
