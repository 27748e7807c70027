"""Reads about meetings, decisions and insatser: permission-filtered lists, money, todos."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from finsam.start import Todo
from forbund.models import BoardSeat
from forbund.permissions import roles_of
from forbund.selectors import money_available_for_insatser_by_year

from . import permissions, rules, selectors
from . import rules_insats as insats_rules
from . import rules_meetings as meeting_rules
from .models import Application, CoApplicant
from .models_insats import GrantedAmount, Insats, PaymentRequest, Report
from .models_meetings import (
    AgendaItem,
    ConflictOfInterest,
    Decision,
    Meeting,
    MinutesSignature,
)

# People to tell.


def board_seats_on(day: date):
    """Return the seats (ledamöter and ersättare) of the mandate period that holds `day`."""
    return (
        BoardSeat.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=day),
            starts_on__lte=day,
            mandate_period__starts_on__lte=day,
            mandate_period__ends_on__gte=day,
        )
        .select_related("user", "party")
        .order_by("party__kind", "party__name", "-kind", "user__name")
    )


def board_emails_on(day: date) -> list[str]:
    return sorted({seat.user.email for seat in board_seats_on(day) if seat.user.is_active})


def applicant_emails(application: Application) -> list[str]:
    """Return the lead party's and the confirmed co-applicants' staff, and the contact person."""
    emails = set(selectors.party_staff_emails(application.lead_party_id))
    for party_id in application.co_applicants.filter(status=rules.CONFIRMED).values_list(
        "party_id", flat=True
    ):
        emails.update(selectors.party_staff_emails(party_id))
    if application.contact_email:
        emails.add(application.contact_email.lower())
    return sorted(emails)


# Meetings.


def meeting_list(user):
    """Return the meetings `user` may read, newest first, with the number of ärenden."""
    return permissions.visible_meetings(user).annotate(item_count=Count("items"))


def meeting_for(user, pk: int) -> Meeting | None:
    meeting = Meeting.objects.filter(pk=pk).select_related("secretary").first()
    if meeting is None or not permissions.can_view_meeting(user, meeting):
        return None
    return meeting


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """Return the ärenden in § order with their application, proposal, decision and jäv."""
    return list(
        meeting.items.select_related(
            "application__lead_party",
            "application__proposal",
            "decision",
            "reported_decision__application",
        ).prefetch_related(
            Prefetch(
                "conflicts",
                queryset=ConflictOfInterest.objects.select_related("member"),
            ),
            "application__proposal__amounts",
            "decision__amounts",
            "reported_decision__amounts",
            Prefetch(
                "application__co_applicants",
                queryset=CoApplicant.objects.select_related("party"),
            ),
        )
    )


def signatures(meeting: Meeting) -> list[MinutesSignature]:
    return list(meeting.signatures.select_related("user"))


def unreported_delegated_decisions():
    """Return delegated decisions in force that are not yet reported to the board."""
    return (
        Decision.objects.filter(
            delegated=True, status=meeting_rules.IN_FORCE, reported_at__isnull=True
        )
        .select_related("application__lead_party")
        .prefetch_related("amounts")
        .order_by("decided_on", "pk")
    )


def proposals_to_place():
    """Return applications with a förslag till beslut that are on no agenda yet."""
    return (
        Application.objects.filter(status=rules.PROPOSED, agenda_item__isnull=True)
        .select_related("lead_party", "proposal")
        .order_by("case_year", "case_seq")
    )


def delegated_decisions():
    """Every delegated decision with where it was reported (anmälan), newest first."""
    return (
        Decision.objects.filter(delegated=True)
        .select_related("application__lead_party", "recorded_by", "reported_at__meeting")
        .annotate(total=Coalesce(Sum("amounts__amount_kr"), Value(0)))
        .order_by("-decided_on", "-pk")
    )


@dataclass
class YearMoney:
    year: int
    available_kr: int
    granted_kr: int

    @property
    def left_kr(self) -> int:
        return self.available_kr - self.granted_kr


def money_by_year(years) -> list[YearMoney]:
    """Return for each year the money for insatser, what is granted and what is left."""
    from .services_decisions import committed_by_year

    years = sorted(set(years))
    committed = committed_by_year(years)
    available = money_available_for_insatser_by_year(years)
    return [YearMoney(year, available[year], committed.get(year, 0)) for year in years]


# Insatser.


def _sum_subquery(model, field: str, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(insats=OuterRef("pk"), **filters)
            .values("insats")
            .annotate(total=Sum(field))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def insats_list(user, status: str = ""):
    """Return the insatser `user` may read with granted, requested and paid totals."""
    queryset = permissions.visible_insatser(user)
    if status:
        queryset = queryset.filter(status=status)
    return (
        queryset.select_related("lead_party", "application")
        .prefetch_related("co_parties")
        .annotate(
            granted_total=_sum_subquery(GrantedAmount, "amount_kr"),
            requested_total=_sum_subquery(
                PaymentRequest, "amount_kr", status__in=insats_rules.COUNTED_STATES
            ),
            paid_total=_sum_subquery(PaymentRequest, "amount_kr", status=insats_rules.PAID),
        )
    )


def insats_for(user, pk: int) -> Insats | None:
    insats = (
        Insats.objects.filter(pk=pk)
        .select_related("lead_party", "application", "decision__agenda_item__meeting")
        .prefetch_related("co_parties")
        .first()
    )
    if insats is None or not permissions.can_view_insats(user, insats):
        return None
    return insats


@dataclass
class MoneyRow:
    year: int
    granted_kr: int
    requested_kr: int  # requested, attested or paid
    paid_kr: int

    @property
    def remaining_kr(self) -> int:
        return self.granted_kr - self.requested_kr


def insats_money(insats: Insats, requests: list[PaymentRequest]) -> list[MoneyRow]:
    """Return per year: granted, requested (not denied), paid and remaining to request."""
    granted = {row.year: row.amount_kr for row in insats.granted_amounts.all()}
    years = sorted(set(granted) | {r.year for r in requests})
    rows = []
    for year in years:
        counted = [
            r for r in requests if r.year == year and r.status in insats_rules.COUNTED_STATES
        ]
        rows.append(
            MoneyRow(
                year=year,
                granted_kr=granted.get(year, 0),
                requested_kr=sum(r.amount_kr for r in counted),
                paid_kr=sum(r.amount_kr for r in counted if r.status == insats_rules.PAID),
            )
        )
    return rows


def payment_requests_waiting():
    return PaymentRequest.objects.filter(
        status__in=[insats_rules.REQUESTED, insats_rules.ATTESTED]
    ).select_related("insats__lead_party", "requested_by")


def reports_open_for(user):
    """Return the unsubmitted reports of the insatser the user's parties lead, oldest due first."""
    staff_parties = roles_of(user).staff_parties
    return (
        Report.objects.filter(
            insats__lead_party_id__in=staff_parties,
            submitted_at__isnull=True,
            insats__status=insats_rules.ONGOING,
        )
        .select_related("insats")
        .order_by("due_on")
    )


# Start page.


def todos_for(user) -> list[Todo]:
    """What this person has to do next with meetings, decisions and insatser."""
    roles = roles_of(user)
    today = timezone.localdate()
    result: list[Todo] = []
    if user is None or not user.is_authenticated:
        return result
    waiting_signatures = MinutesSignature.objects.filter(
        user=user, approved_at__isnull=True, meeting__status=meeting_rules.MINUTES_READY
    ).select_related("meeting")
    for signature in waiting_signatures:
        result.append(
            Todo(
                f"Justera protokollet från {signature.meeting.held_on:%Y-%m-%d}",
                reverse("meetings:minutes", args=[signature.meeting_id]),
                urgent=True,
            )
        )
    if roles.board:
        upcoming = permissions.visible_meetings(user).filter(
            status=meeting_rules.NOTICE_SENT, held_on__gte=today
        )
        for meeting in upcoming.order_by("held_on"):
            result.append(
                Todo(
                    f"Läs handlingarna till sammanträdet {meeting.held_on:%Y-%m-%d}",
                    reverse("meetings:detail", args=[meeting.pk]),
                )
            )
    if roles.office:
        to_place = proposals_to_place().count()
        if to_place:
            result.append(
                Todo(
                    "Förslag till beslut att lägga på ett sammanträde",
                    reverse("meetings:list"),
                    to_place,
                )
            )
        unreported = unreported_delegated_decisions().count()
        if unreported:
            result.append(
                Todo(
                    "Delegationsbeslut att anmäla till styrelsen",
                    reverse("meetings:delegated"),
                    unreported,
                )
            )
        held = Meeting.objects.filter(status=meeting_rules.NOTICE_SENT, held_on__lte=today)
        for meeting in held.order_by("held_on"):
            result.append(
                Todo(
                    f"Skriv protokollet från {meeting.held_on:%Y-%m-%d}",
                    reverse("meetings:detail", args=[meeting.pk]),
                    urgent=True,
                )
            )
        payments = payment_requests_waiting()
        to_attest = payments.filter(status=insats_rules.REQUESTED).count()
        if to_attest:
            result.append(
                Todo(
                    "Rekvisitioner att attestera",
                    reverse("insats:list") + "#rekvisitioner",
                    to_attest,
                    urgent=True,
                )
            )
        to_pay = payments.filter(status=insats_rules.ATTESTED).count()
        if to_pay:
            result.append(
                Todo("Attesterade rekvisitioner att betala ut", reverse("insats:list"), to_pay)
            )
        overdue = Report.objects.filter(
            submitted_at__isnull=True, due_on__lt=today, insats__status=insats_rules.ONGOING
        ).count()
        if overdue:
            result.append(Todo("Rapporter som är försenade", reverse("insats:list"), overdue))
    if roles.staff:
        reports = list(reports_open_for(user))
        overdue = [r for r in reports if r.due_on < today]
        if overdue:
            result.append(
                Todo(
                    "Försenade rapporter att lämna",
                    reverse("insats:list") + "#rapporter",
                    len(overdue),
                    urgent=True,
                )
            )
        soon = [r for r in reports if 0 <= (r.due_on - today).days <= 30]
        if soon:
            result.append(
                Todo(
                    "Rapporter att lämna inom 30 dagar",
                    reverse("insats:list") + "#rapporter",
                    len(soon),
                )
            )
    return result


# Timelines.

ACTION_LABELS = {
    "meeting.created": "Sammanträdet planerades",
    "meeting.edited": "Datum eller plats ändrades",
    "meeting.item_added": "Ärende lagt på dagordningen",
    "meeting.item_removed": "Ärende borttaget",
    "meeting.item_notes": "Protokollsanteckning",
    "meeting.send_notice": "Kallelse skickad",
    "meeting.conflict_declared": "Jäv anmält",
    "meeting.conflict_withdrawn": "Jävsanmälan borttagen",
    "meeting.decision_recorded": "Beslut protokollfört",
    "meeting.signers_chosen": "Ordförande och justerare valda",
    "meeting.finalise_minutes": "Protokollet lämnat för justering",
    "meeting.reopen_minutes": "Protokollet öppnat igen",
    "meeting.minutes_signed": "Justering",
    "meeting.approve_minutes": "Protokollet justerat",
    "insats.created": "Insatsen skapades efter beslut",
    "insats.agreement_signed": "Avtal undertecknat",
    "insats.closed": "Insatsen avslutades",
    "insats.payment_requested": "Rekvisition inkom",
    "insats.payment_attest": "Rekvisition attesterad",
    "insats.payment_deny": "Rekvisition avvisad",
    "insats.payment_mark_paid": "Rekvisition utbetald",
    "insats.report_requested": "Rapport begärd",
    "insats.report_submitted": "Rapport inlämnad",
}


def timeline(subject) -> list[dict]:
    """Return the events about a meeting or an insats, oldest first, with Swedish labels."""
    from finsam import audit

    labels = {**meeting_rules.MEETING_STATE_LABELS, **insats_rules.PAYMENT_STATE_LABELS}
    return [
        {
            "at": event.at,
            "label": ACTION_LABELS.get(event.action, event.action),
            "actor": event.actor,
            "from_state": labels.get(event.from_state, ""),
            "to_state": labels.get(event.to_state, ""),
            "comment": event.comment,
            "changes": [],
        }
        for event in audit.events_for(subject)
    ]
