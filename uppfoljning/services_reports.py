"""Every write to period reports: create, save a draft, submit, approve, return, reopen, import.

Each runs in one transaction with the report row locked, checks the same `rules.py` functions the
forms show, and writes an audit event. A report's participants at start are carried from the
report of the period before once that one is handed in.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from finsam.audit import log
from insatser import rules as insats_rules

from . import permissions, rules
from .models import (
    Activity,
    ActivityAttendance,
    ActualCost,
    Category,
    FollowUpSettings,
    ParticipantCount,
    PeriodReport,
)

PARTICIPANT_FIELDS = ("start", "new", "ended", "end")


def _refuse(message, code: str = "not_allowed"):
    raise ValidationError(message, code=code)


def _lock(report: PeriodReport) -> PeriodReport:
    """Return the report re-read with its row locked. Call inside transaction.atomic."""
    return PeriodReport.objects.select_for_update().select_related("insats").get(pk=report.pk)


def is_individual(insats) -> bool:
    return insats.kind == insats_rules.INDIVIDUAL


def previous_report(report_or_insats, period: rules.Period | None = None) -> PeriodReport | None:
    """Return the report of the same insats whose period ends the day before this one starts."""
    if period is None:
        insats_id, period = report_or_insats.insats_id, report_or_insats.period
    else:
        insats_id = report_or_insats.pk
    before = rules.previous_period(period)
    return PeriodReport.objects.filter(insats_id=insats_id, ends_on=before.end).first()


def next_report(report: PeriodReport) -> PeriodReport | None:
    after = rules.next_period(report.period)
    return PeriodReport.objects.filter(insats_id=report.insats_id, starts_on=after.start).first()


def _carried_start(insats, period: rules.Period) -> int | None:
    """Return the participants a period starts with, if the period before is handed in."""
    previous = previous_report(insats, period)
    if previous is not None and previous.status in rules.HANDED_IN_STATES:
        return previous.participants_end
    return None


def _is_first_period(insats, period: rules.Period) -> bool:
    return period.contains(insats.starts_on) or insats.starts_on > period.start


@transaction.atomic
def period_report_create(*, insats, period: rules.Period, by, imported: bool = False):
    """Start the report of `insats` for `period` as a draft; the start is carried over."""
    allowed = (
        permissions.can_import_for(by, insats) if imported else permissions.can_fill_in(by, insats)
    )
    if not allowed:
        _refuse("Bara huvudmannens handläggare fyller i insatsens periodrapporter.")
    length = FollowUpSettings.load().period_length
    if period.length != length:
        _refuse(
            f"Förbundet rapporterar per {rules.PeriodLength(length).label.split(' ')[0].lower()}; "
            f"{period.label} är ingen sådan period."
        )
    if not rules.period_overlaps(period, insats.starts_on, insats.ends_on):
        _refuse(f"Insatsen pågår inte under {period.long_label}.")
    if period.start > timezone.localdate():
        _refuse(f"{period.long_label} har inte börjat än.")
    # Lock the insats so two people cannot start the same period at once.
    type(insats).objects.select_for_update().filter(pk=insats.pk).first()
    if PeriodReport.objects.filter(
        insats=insats, year=period.year, number=period.number, period_length=period.length
    ).exists():
        _refuse(f"Det finns redan en rapport för {period.label}.", "exists")
    individual = is_individual(insats)
    start = _carried_start(insats, period) if individual else None
    if individual and start is None and _is_first_period(insats, period):
        start = 0
    report = PeriodReport(
        insats=insats,
        period_length=period.length,
        year=period.year,
        number=period.number,
        starts_on=period.start,
        ends_on=period.end,
        participants_start=start,
        created_by=by,
    )
    report.full_clean()
    report.save()
    log(report, "period_report.created", actor=by, to_state=report.status)
    return report


@dataclass
class ActivityInput:
    """One activity as entered: its kind (an activity-kind Category), day, length, attendees."""

    kind: Category
    held_on: date
    minutes: int
    description: str = ""
    attendance: dict[int, int] = field(default_factory=dict)


@transaction.atomic
def period_report_save(
    *,
    report: PeriodReport,
    participants: dict[str, int | None] | None = None,
    counts: dict[int, int | None] | None = None,
    costs: dict[str, int | None] | None = None,
    activities: list[ActivityInput] | None = None,
    comment: str = "",
    by,
    imported: bool = False,
) -> PeriodReport:
    """Save the figures of a draft (or returned) report. Nothing is checked against totals
    yet – a draft may be unfinished – but negative numbers and personnummer are refused.

    `counts` maps category ids to counts; `costs` maps cost categories to whole kronor; None
    leaves out a figure. `activities` (strukturövergripande insatser) replaces the activities.
    """
    locked = _lock(report)
    allowed = (
        permissions.can_import_for(by, locked.insats)
        if imported
        else permissions.can_edit_report(by, locked)
    )
    if not allowed or locked.status not in rules.EDITABLE_STATES:
        if locked.status not in rules.EDITABLE_STATES:
            state = rules.REPORT_STATE_LABELS[locked.status].lower()
            _refuse(
                f"Rapporten för {locked.period.label} är {state} och kan inte ändras. "
                "Be kansliet öppna den igen om något behöver rättas.",
                "locked",
            )
        _refuse("Bara huvudmannens handläggare fyller i insatsens periodrapporter.")
    individual = is_individual(locked.insats)
    participants = dict(participants or {})
    counts = dict(counts or {}) if individual else {}
    costs = dict(costs or {})
    values = {rules.PARTICIPANT_LABELS[key]: participants.get(key) for key in PARTICIPANT_FIELDS}
    labels = dict(ActualCost.Category.choices)
    unknown = [code for code in costs if code not in labels]
    if unknown:
        _refuse(f"Okänt kostnadsslag: {', '.join(unknown)}.")
    values.update({f"Kostnad {labels[code].lower()}": value for code, value in costs.items()})
    categories = Category.objects.in_bulk(list(counts))
    for category_id, value in counts.items():
        category = categories.get(category_id)
        if category is None or category.kind not in rules.BREAKDOWNS:
            _refuse("En kategori i rapporten finns inte längre. Ladda om sidan och försök igen.")
        values[f"{rules.BREAKDOWNS[category.kind][1]}, {category.label}"] = value
    problems = rules.check_not_negative(values)
    if problems:
        raise ValidationError(problems, code="negative")

    if individual:
        carried = _carried_start(locked.insats, locked.period)
        given = participants.get("start")
        if carried is not None and given is not None and given != carried:
            before = rules.previous_period(locked.period)
            raise ValidationError(
                rules.check_continuity(carried, given, before, locked.period), code="continuity"
            )
        locked.participants_start = carried if carried is not None else participants.get("start")
        locked.participants_new = participants.get("new")
        locked.participants_ended = participants.get("ended")
        locked.participants_end = participants.get("end")
    locked.comment = comment.strip()
    locked.updated_at = timezone.now()
    locked.full_clean()
    locked.save()

    ParticipantCount.objects.filter(report=locked).delete()
    ParticipantCount.objects.bulk_create(
        [
            ParticipantCount(report=locked, category_id=category_id, count=value)
            for category_id, value in counts.items()
            if value is not None
        ]
    )
    ActualCost.objects.filter(report=locked).delete()
    ActualCost.objects.bulk_create(
        [
            ActualCost(report=locked, category=code, amount_kr=value)
            for code, value in costs.items()
            if value is not None
        ]
    )
    if activities is not None and not individual:
        _replace_activities(locked, activities)
    log(
        locked,
        "period_report.saved",
        actor=by,
        data={
            "participants": {key: participants.get(key) for key in PARTICIPANT_FIELDS},
            "costs": {code: value for code, value in costs.items() if value is not None},
            "imported": imported,
        },
    )
    return locked


def _replace_activities(report: PeriodReport, activities: list[ActivityInput]) -> None:
    insats = report.insats
    parties = {insats.lead_party_id} | set(insats.co_parties.values_list("pk", flat=True))
    Activity.objects.filter(report=report).delete()
    messages = []
    for number, item in enumerate(activities, start=1):
        if item.kind.kind != Category.Kind.ACTIVITY_KIND:
            messages.append(f"Aktivitet {number}: välj en typ av aktivitet.")
            continue
        strangers = set(item.attendance) - parties
        if strangers:
            messages.append(
                f"Aktivitet {number}: deltagare från en part som inte är med i insatsen."
            )
            continue
        activity = Activity(
            report=report,
            kind=item.kind,
            held_on=item.held_on,
            minutes=item.minutes,
            description=item.description.strip(),
        )
        try:
            activity.full_clean()
        except ValidationError as error:
            messages += [f"Aktivitet {number}: {message}" for message in error.messages]
            continue
        activity.save()
        ActivityAttendance.objects.bulk_create(
            [
                ActivityAttendance(activity=activity, party_id=party_id, attendees=attendees)
                for party_id, attendees in item.attendance.items()
                if attendees
            ]
        )
    if messages:
        raise ValidationError(messages, code="activities")


def report_figures(report: PeriodReport) -> rules.ReportFigures:
    """Return what `report` says as plain values for rules.check_report (a few queries)."""
    individual = is_individual(report.insats)
    breakdowns: dict[str, dict[str, int | None]] = {}
    if individual:
        counted = dict(report.counts.values_list("category_id", "count"))
        categories = Category.objects.filter(kind__in=list(rules.BREAKDOWNS)).order_by(
            "kind", "order", "label"
        )
        for kind in rules.BREAKDOWNS:
            breakdowns[kind] = {}
        for category in categories:
            if category.active or category.pk in counted:
                breakdowns[category.kind][category.label] = counted.get(category.pk)
    labels = dict(ActualCost.Category.choices)
    costs = {
        labels[code]: amount for code, amount in report.costs.values_list("category", "amount_kr")
    }
    previous = previous_report(report)
    handed_in = previous is not None and previous.status in rules.HANDED_IN_STATES
    return rules.ReportFigures(
        period=report.period,
        individual=individual,
        start=report.participants_start,
        new=report.participants_new,
        ended=report.participants_ended,
        end=report.participants_end,
        breakdowns=breakdowns,
        costs=costs,
        previous=(previous.period, previous.participants_end) if handed_in else None,
        first_period=_is_first_period(report.insats, report.period),
    )


def _transition(report: PeriodReport, action: str) -> str:
    try:
        to_state, _actor = rules.report_transition(action, report.status)
    except ValueError as error:
        raise ValidationError(str(error), code="transition_not_allowed") from None
    return to_state


@transaction.atomic
def period_report_submit(*, report: PeriodReport, by, imported: bool = False) -> PeriodReport:
    """Hand in a report: every check in rules.check_report must pass."""
    locked = _lock(report)
    allowed = (
        permissions.can_import_for(by, locked.insats)
        if imported
        else permissions.can_submit_report(by, locked)
    )
    to_state = _transition(locked, "submit")
    if not allowed:
        _refuse("Bara huvudmannens handläggare skickar in insatsens periodrapporter.")
    problems = rules.check_report(report_figures(locked))
    following = next_report(locked)
    if (
        following is not None
        and following.status in rules.HANDED_IN_STATES
        and is_individual(locked.insats)
        and locked.participants_end is not None
        and following.participants_start is not None
    ):
        problems += rules.check_continuity(
            locked.participants_end, following.participants_start, locked.period, following.period
        )
    if problems:
        raise ValidationError(problems, code="figures")
    before = locked.status
    locked.status = to_state
    locked.submitted_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "submitted_at"])
    if following is not None and following.status in rules.EDITABLE_STATES:
        if is_individual(locked.insats):
            following.participants_start = locked.participants_end
            following.save(update_fields=["participants_start"])
    log(locked, "period_report.submitted", actor=by, from_state=before, to_state=to_state)
    return locked


@transaction.atomic
def period_report_approve(*, report: PeriodReport, by) -> PeriodReport:
    """The kansli approves a submitted report; it is locked from now on."""
    locked = _lock(report)
    to_state = _transition(locked, "approve")
    if not permissions.can_approve_report(by, locked):
        _refuse("Bara förbundets kansli godkänner periodrapporter.")
    before = locked.status
    locked.status, locked.approved_at = to_state, timezone.now()
    locked.save(update_fields=["status", "approved_at"])
    log(locked, "period_report.approved", actor=by, from_state=before, to_state=to_state)
    return locked


def _with_comment(locked: PeriodReport, action: str, comment: str, by, event: str):
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": "Skriv vad som behöver rättas, så att huvudmannen vet vad som ska ändras."}
        )
    to_state = _transition(locked, action)
    before = locked.status
    locked.status, locked.office_comment = to_state, comment
    locked.approved_at = None
    locked.full_clean()
    locked.save(update_fields=["status", "office_comment", "approved_at"])
    log(locked, event, actor=by, from_state=before, to_state=to_state, comment=comment)
    return locked


@transaction.atomic
def period_report_return(*, report: PeriodReport, comment: str, by) -> PeriodReport:
    """The kansli sends a submitted report back to the lead party with what to correct."""
    locked = _lock(report)
    _transition(locked, "return")
    if not permissions.can_return_report(by, locked):
        _refuse("Bara förbundets kansli skickar tillbaka periodrapporter.")
    return _with_comment(locked, "return", comment, by, "period_report.returned")


@transaction.atomic
def period_report_reopen(*, report: PeriodReport, comment: str, by) -> PeriodReport:
    """The kansli reopens an approved report so the lead party can correct it; recorded."""
    locked = _lock(report)
    _transition(locked, "reopen")
    if not permissions.can_reopen_report(by, locked):
        _refuse("Bara förbundets kansli kan öppna en godkänd periodrapport igen.")
    return _with_comment(locked, "reopen", comment, by, "period_report.reopened")


def period_report_import(
    *,
    insats,
    period: rules.Period,
    participants: dict[str, int | None],
    counts: dict[int, int | None],
    costs: dict[str, int | None],
    comment: str,
    by,
) -> tuple[PeriodReport, bool]:
    """Save and submit one imported row (creating the report if needed); return (report, new).

    Call inside the import's transaction: a refused row raises ValidationError and the caller
    rolls the whole file back.
    """
    if not permissions.can_import_for(by, insats):
        _refuse(
            f"Du kan bara importera siffror för insatser som din part är huvudman för "
            f"({insats.case_number or insats.title} är det inte)."
        )
    report = PeriodReport.objects.filter(
        insats=insats, year=period.year, number=period.number, period_length=period.length
    ).first()
    new = report is None
    if new:
        report = period_report_create(insats=insats, period=period, by=by, imported=True)
    report = period_report_save(
        report=report,
        participants=participants,
        counts=counts,
        costs=costs,
        comment=comment,
        by=by,
        imported=True,
    )
    report = period_report_submit(report=report, by=by, imported=True)
    return report, new


@transaction.atomic
def data_import(*, dataset, by, dry_run: bool):
    """Import period figures and costs from `dataset`; all or nothing.

    Every row is saved and submitted through the services above. With `dry_run`, or when any row
    has an error, the whole transaction is rolled back and nothing changes.
    """
    from .resources import PeriodReportResource

    resource = PeriodReportResource(by=by)
    result = resource.import_data(
        dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
    )
    failed = result.has_errors() or result.has_validation_errors()
    if dry_run or failed:
        transaction.set_rollback(True)
        return result
    settings = FollowUpSettings.load()
    log(
        settings,
        "period_report.imported",
        actor=by,
        data={"totals": dict(result.totals), "rows": result.total_rows},
    )
    return result
