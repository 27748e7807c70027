"""The insatser part of the generated benchmark dataset (see finsam/bench.py).

At scale 1.0: 3 000 applications in every state over the ten years, 150 board meetings with
their agenda, decisions and justerade minutes, and 400 insatser with granted money, payment
requests and reports. Everything is written with `bulk_create`, but every row is one the
services could have written: case numbers are gapless per year (and the counters say so), the
confirmed parties of a submitted application are two parties in law, its version 1 is the
snapshot `services.application_content` would have taken, every grant fits its years' money
for insatser, a payment request never takes more than is granted for its year, a closed insats
has nothing waiting, and the audit trail tells each application's, meeting's and insats's story.

Deterministic: all choices come from the seeded `rng`, all dates from today's date.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone

from finsam.bench import Page

from . import rules
from . import rules_insats as insats_rules
from . import rules_meetings as meeting_rules

APPLICATIONS = 3000
INSATSER = 400
MEETINGS = 150
DELEGATED_SHARE = 0.08  # of the grants: decided by the förbundschef on delegation
REJECTED_SHARE = 0.25  # of the applications
WITHDRAWN_SHARE = 0.15
# The förbund grows: the last year's meetings grant four times as many insatser as the first
# year's, so the early years have some 40 insatser running (the annual report benchmark's size).
GROWTH = 4.0

# The current pipeline at scale 1.0 (scaled, at least one of each).
PIPELINE = {
    "pending": 4,  # decided at the meeting whose minutes wait for justering
    "called": 6,  # on the agenda of the next meeting, kallelse sent
    "planned": 3,  # on the agenda of the meeting after that
    "unplaced": 3,  # proposal written, on no agenda yet
    rules.IN_PREPARATION: 12,
    rules.SUBMITTED: 10,
    rules.COMPLETION_REQUESTED: 6,
    "recent_draft": 40,
}

TOPICS = [
    "Vägen till arbete",
    "Unga in",
    "Samverkansteam",
    "Hälsa och arbete",
    "Stegvis",
    "Språk och jobb",
    "Arbetsträning i kommunen",
    "Kartläggning för unga vuxna",
    "Kompetenshöjning för handläggare",
    "Gemensam ingång",
    "Mötesplats",
    "Individ i fokus",
]
CO_FUNDING_TEXT = "Handläggare på deltid i teamet"


def _scaled(value: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(value * scale))


def _aware(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _months_later(day: date, months: int) -> date:
    return insats_rules.add_months(day, months)


def _weekday(day: date) -> date:
    """Move a weekend day to the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


@dataclass
class Plan:
    """Everything about one application before any row is written."""

    lead: int  # index into ctx["parties"]
    kind: str
    status: str
    created: datetime
    co: list = field(default_factory=list)  # [(party index, status)]
    starts_on: date | None = None
    ends_on: date | None = None
    yearly_kr: int = 0
    submitted: datetime | None = None
    case_year: int | None = None
    case_seq: int | None = None
    meeting: int | None = None  # index into the meetings; the agenda it is on
    delegated_on: date | None = None
    outcome: str = ""  # bevilja / avsla for a decided one
    decision_status: str = ""
    amounts: dict = field(default_factory=dict)
    completion: str = ""  # "" / "open" / "answered"
    withdrawn_after_submit: bool = False
    title: str = ""
    complete: bool = True
    budget: list = field(default_factory=list)  # [(year, category, description, kr)]
    co_funding: list = field(default_factory=list)  # [(year, party name, kr)]
    written: datetime | None = None  # when the proposal was written
    closed: bool = False  # the insats is closed
    obj: object = None  # the Application once written
    item: object = None  # its AgendaItem
    decision: object = None


class _Generator:
    def __init__(self, rng, ctx):
        from forbund.models import BoardSeat, Party

        self.rng, self.ctx = rng, ctx
        self.scale = ctx.get("scale", 1.0)
        self.parties, self.staff = ctx["parties"], ctx["staff"]
        self.office, self.chair = ctx["users"]["office"], ctx["users"]["chair"]
        self.first_year, self.this_year = ctx["first_year"], ctx["this_year"]
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.group = {
            i: ("kommun" if p.kind == Party.Kind.KOMMUN else p.kind)
            for i, p in enumerate(self.parties)
        }
        self.seats = list(
            BoardSeat.objects.filter(kind=BoardSeat.Kind.MEMBER)
            .select_related("user")
            .order_by("starts_on", "party_id")
        )
        self.events = []

    # --- Meetings -------------------------------------------------------------------------

    def members_on(self, day: date) -> list:
        return [
            seat.user
            for seat in self.seats
            if seat.starts_on <= day and (seat.ends_on is None or seat.ends_on >= day)
        ]

    def plan_meetings(self) -> None:
        """Past meetings evenly over the years (justerade), then the current three."""
        count = _scaled(MEETINGS, self.scale, minimum=5)
        past = count - 3
        first = date(self.first_year, 2, 1)
        last = self.today - timedelta(days=35)
        span = (last - first).days
        self.meetings = []
        for index in range(past):
            day = first + timedelta(days=round(span * (index + 0.5) / past))
            if day.month == 7:
                day = date(day.year, 8, 20)
            self.meetings.append({"held_on": _weekday(day), "status": meeting_rules.APPROVED})
        self.meetings.sort(key=lambda m: m["held_on"])
        self.meetings.append(
            {"held_on": _weekday(self.today - timedelta(days=8)), "status": "ready"}
        )
        self.meetings.append(
            {"held_on": _weekday(self.today + timedelta(days=14)), "status": "called"}
        )
        self.meetings.append(
            {"held_on": _weekday(self.today + timedelta(days=45)), "status": "planned"}
        )
        self.past = list(range(past))
        self.ready, self.called, self.planned = past, past + 1, past + 2

    def _meeting_for(self, position: float) -> int:
        """Return the past meeting at `position` (0–1) of the cumulative, growing weights."""
        if not hasattr(self, "_cumulative"):
            weights = [1 + (GROWTH - 1) * i / max(len(self.past) - 1, 1) for i in self.past]
            total, running = sum(weights), 0.0
            self._cumulative = []
            for weight in weights:
                running += weight
                self._cumulative.append(running / total)
        for index, edge in enumerate(self._cumulative):
            if position <= edge:
                return index
        return self.past[-1]

    # --- Applications ---------------------------------------------------------------------

    def _lead(self) -> int:
        weights = [
            {"FK": 1, "AF": 3, "REGION": 2, "kommun": 3}[self.group[i]]
            for i in range(len(self.parties))
        ]
        return self.rng.choices(range(len(self.parties)), weights)[0]

    def _co_parties(self, lead: int) -> tuple[int, int | None]:
        """One party of another group (so the two make two parties in law), maybe one more."""
        others = [i for i in range(len(self.parties)) if self.group[i] != self.group[lead]]
        first = self.rng.choice(others)
        rest = [i for i in range(len(self.parties)) if i not in (lead, first)]
        second = self.rng.choice(rest) if self.rng.random() < 0.4 else None
        return first, second

    def _period(self, starts_on: date) -> tuple[date, date]:
        """A period of one to three years, ending at the latest when the next budget year does."""
        months = self.rng.choice([12, 12, 18, 24, 24, 36])
        ends_on = _months_later(starts_on, months) - timedelta(days=1)
        return starts_on, min(ends_on, date(self.this_year + 1, 12, 31))

    def _new(self, status: str, created: datetime, *, submitted: bool) -> Plan:
        lead = self._lead()
        kind = rules.STRUCTURAL if self.rng.random() < 0.3 else rules.INDIVIDUAL
        plan = Plan(lead=lead, kind=kind, status=status, created=created)
        first, second = self._co_parties(lead)
        if submitted:
            plan.co = [(first, rules.CONFIRMED)]
            if second is not None:
                plan.co.append(
                    (second, rules.CONFIRMED if self.rng.random() < 0.8 else rules.DECLINED)
                )
        else:
            plan.co = [(first, self.rng.choice([rules.INVITED, rules.CONFIRMED]))]
            if second is not None:
                plan.co.append((second, rules.INVITED))
        plan.yearly_kr = self.rng.randrange(150, 460, 10) * 1000
        return plan

    def _decided(self, meeting: int, outcome: str, status: str) -> Plan:
        held_on = self.meetings[meeting]["held_on"]
        created_on = min(
            held_on - timedelta(days=self.rng.randint(60, 120)), self.today - timedelta(days=40)
        )
        created = _aware(created_on, 9)
        plan = self._new(status, created, submitted=True)
        plan.submitted = created + timedelta(days=self.rng.randint(5, 20), hours=3)
        plan.meeting, plan.outcome = meeting, outcome
        start = (held_on + timedelta(days=10)).replace(day=1)
        plan.starts_on, plan.ends_on = self._period(_months_later(start, 1))
        if self.rng.random() < 0.1:
            plan.completion = "answered"
        return plan

    def plan_applications(self) -> None:
        scale = self.scale
        total = _scaled(APPLICATIONS, scale, minimum=40)
        grants = _scaled(INSATSER, scale, minimum=4)
        delegated = round(grants * DELEGATED_SHARE)
        pipeline = {key: _scaled(value, scale) for key, value in PIPELINE.items()}
        rejected = round(total * REJECTED_SHARE)
        withdrawn = round(total * WITHDRAWN_SHARE)
        drafts = total - grants - rejected - withdrawn - sum(pipeline.values())
        if drafts < 0:
            raise ValueError("För liten skala: ansökningarna räcker inte till alla tillstånd.")
        plans: list[Plan] = []
        board_grants = grants - delegated
        for n in range(board_grants):
            meeting = self._meeting_for((n + 0.5) / board_grants)
            plans.append(self._decided(meeting, meeting_rules.GRANT, rules.GRANTED))
        for n in range(rejected):
            meeting = self._meeting_for((n + 0.5) / max(rejected, 1))
            plans.append(self._decided(meeting, meeting_rules.REJECT, rules.REJECTED))
        for n in range(delegated):
            # Decided by the förbundschef some weeks before a meeting, reported at it.
            meeting = self._meeting_for((n + 0.5) / delegated)
            plan = self._decided(meeting, meeting_rules.GRANT, rules.GRANTED)
            plan.delegated_on = self.meetings[meeting]["held_on"] - timedelta(days=20)
            plan.yearly_kr = self.rng.randrange(20, 45, 5) * 1000
            plans.append(plan)
        for _ in range(pipeline["pending"]):
            plans.append(self._decided(self.ready, meeting_rules.GRANT, rules.PROPOSED))
        if pipeline["pending"] > 1:
            plans[-1].outcome = meeting_rules.REJECT
        for key, meeting in (("called", self.called), ("planned", self.planned)):
            for _ in range(pipeline[key]):
                plans.append(self._decided(meeting, "", rules.PROPOSED))
        recent = [self.today - timedelta(days=d) for d in range(10, 80)]
        for key, status in (
            ("unplaced", rules.PROPOSED),
            (rules.IN_PREPARATION, rules.IN_PREPARATION),
            (rules.SUBMITTED, rules.SUBMITTED),
            (rules.COMPLETION_REQUESTED, rules.COMPLETION_REQUESTED),
        ):
            for _ in range(pipeline[key]):
                created = _aware(self.rng.choice(recent), 9)
                plan = self._new(status, created, submitted=True)
                plan.submitted = min(created + timedelta(days=2), self.now - timedelta(days=1))
                plan.starts_on, plan.ends_on = self._period(
                    _months_later(self.today.replace(day=1), 3)
                )
                if status == rules.COMPLETION_REQUESTED:
                    plan.completion = "open"
                plans.append(plan)
        for _ in range(pipeline["recent_draft"]):
            plans.append(self._draft(_aware(self.rng.choice(recent), 14), rules.DRAFT))
        span = (self.today - date(self.first_year, 1, 10)).days
        for n in range(withdrawn):
            day = date(self.first_year, 1, 10) + timedelta(days=round(span * (n + 0.5) / withdrawn))
            if n % 2:
                plan = self._new(rules.WITHDRAWN, _aware(day, 11), submitted=True)
                plan.submitted = plan.created + timedelta(days=4)
                plan.withdrawn_after_submit = True
                plan.starts_on, plan.ends_on = self._period(_months_later(day.replace(day=1), 3))
            else:
                plan = self._draft(_aware(day, 11), rules.WITHDRAWN)
            plans.append(plan)
        for n in range(drafts):
            day = date(self.first_year, 1, 10) + timedelta(days=round(span * (n + 0.5) / drafts))
            plans.append(self._draft(_aware(day, 15), rules.DRAFT))
        for n, plan in enumerate(plans):
            topic = TOPICS[n % len(TOPICS)]
            plan.title = f"{topic} – {self.parties[plan.lead].name} {n + 1}"
        self.plans = plans
        self._case_numbers()

    def _draft(self, created: datetime, status: str) -> Plan:
        plan = self._new(status, created, submitted=False)
        if self.rng.random() < 0.7:
            start = _months_later(created.date().replace(day=1), 4)
            plan.starts_on, plan.ends_on = self._period(start)
        else:
            plan.complete = False  # a draft someone started and left
        return plan

    def _case_numbers(self) -> None:
        """Number the submitted applications per year in order of submission, without gaps."""
        submitted = sorted(
            (plan for plan in self.plans if plan.submitted is not None),
            key=lambda plan: plan.submitted,
        )
        self.counters: dict[int, int] = {}
        for plan in submitted:
            year = timezone.localtime(plan.submitted).year
            self.counters[year] = self.counters.get(year, 0) + 1
            plan.case_year, plan.case_seq = year, self.counters[year]

    # --- Money ----------------------------------------------------------------------------

    def months_in(self, plan: Plan, year: int) -> int:
        first = max(plan.starts_on, date(year, 1, 1))
        last = min(plan.ends_on, date(year, 12, 31))
        if last < first:
            return 0
        return (last.year - first.year) * 12 + last.month - first.month + 1

    def requested_by_year(self, plan: Plan) -> dict[int, int]:
        """The budget per year: the yearly level for the months of the year, whole thousands."""
        return {
            year: plan.yearly_kr * self.months_in(plan, year) // 12000 * 1000
            for year in range(plan.starts_on.year, plan.ends_on.year + 1)
            if self.months_in(plan, year)
        }

    def fit_grants(self) -> None:
        """Give each grant its amounts; where a year's grants exceed its money, cut them all."""
        from forbund.models import BudgetYear

        available = {b.year: b.money_available_kr for b in BudgetYear.objects.all()}
        grants = [p for p in self.plans if p.outcome == meeting_rules.GRANT]
        for plan in grants:
            plan.amounts = self.requested_by_year(plan)
        for plan in self.plans:
            if plan.outcome == "" and plan.starts_on and plan.status == rules.PROPOSED:
                plan.amounts = self.requested_by_year(plan)
        totals: dict[int, int] = {}
        for plan in grants:
            for year, amount in plan.amounts.items():
                totals[year] = totals.get(year, 0) + amount
        for year, total in totals.items():
            limit = int(available.get(year, 0) * 0.97)
            if limit <= 0:
                raise ValueError(f"Budgetåret {year} saknas: insatserna kan inte beviljas.")
            if total > limit:
                for plan in grants:
                    if year in plan.amounts:
                        cut = plan.amounts[year] * limit // total // 1000 * 1000
                        plan.amounts[year] = max(cut, 1000)
        for year in totals:
            granted = sum(p.amounts.get(year, 0) for p in grants)
            if granted > available[year]:
                raise RuntimeError(f"{year}: beviljat {granted} kr, tillgängligt {available[year]}")

    # --- Writing --------------------------------------------------------------------------

    def write(self) -> None:
        self.write_meetings()
        self.write_applications()
        self.write_preparation()
        self.write_decisions()
        self.write_insatser()
        self.write_events()

    def write_meetings(self) -> None:
        from .models_meetings import Meeting, MinutesSignature

        status = {
            meeting_rules.APPROVED: meeting_rules.APPROVED,
            "ready": meeting_rules.MINUTES_READY,
            "called": meeting_rules.NOTICE_SENT,
            "planned": meeting_rules.PLANNED,
        }
        rows, signatures = [], []
        for spec in self.meetings:
            held_on, kind = spec["held_on"], spec["status"]
            notice = None if kind == "planned" else _aware(held_on - timedelta(days=10), 9)
            if kind == "called":
                notice = min(notice, self.now - timedelta(days=1))
            done = kind in (meeting_rules.APPROVED, "ready")
            approved = None
            if kind == meeting_rules.APPROVED:
                approved = _aware(held_on + timedelta(days=7), 15)
            rows.append(
                Meeting(
                    held_on=held_on,
                    starts_at=time(13, 0),
                    place="Kansliet, sammanträdesrummet",
                    status=status[kind],
                    notice_sent_at=notice,
                    secretary=self.office if done else None,
                    minutes_ready_at=_aware(held_on + timedelta(days=2), 16) if done else None,
                    approved_at=approved,
                    created_by=self.office,
                    created_at=_aware(held_on - timedelta(days=40), 8),
                )
            )
            spec["approved_at"] = approved
        Meeting.objects.bulk_create(rows)
        for spec, meeting in zip(self.meetings, rows, strict=True):
            spec["obj"] = meeting
            held_on, kind = spec["held_on"], spec["status"]
            self.event(
                meeting, "meeting.created", meeting.created_at, self.office, to_state="planerat"
            )
            if meeting.notice_sent_at:
                self.event(
                    meeting,
                    "meeting.send_notice",
                    meeting.notice_sent_at,
                    from_state=meeting_rules.PLANNED,
                    to_state=meeting_rules.NOTICE_SENT,
                    comment="Kallelsen skickades.",
                )
            if kind not in (meeting_rules.APPROVED, "ready"):
                continue
            members = [u for u in self.members_on(held_on) if u.pk != self.chair.pk]
            adjusters = self.rng.sample(members, 2 if self.rng.random() < 0.3 else 1)
            signed = kind == meeting_rules.APPROVED
            signatures.append(
                MinutesSignature(
                    meeting=meeting,
                    user=self.chair,
                    role=MinutesSignature.Role.CHAIR,
                    approved_at=_aware(held_on + timedelta(days=5), 11),
                )
            )
            for n, person in enumerate(adjusters):
                signatures.append(
                    MinutesSignature(
                        meeting=meeting,
                        user=person,
                        role=MinutesSignature.Role.ADJUSTER,
                        approved_at=_aware(held_on + timedelta(days=6 + n), 15) if signed else None,
                    )
                )
            spec["adjusters"] = adjusters
            self.event(
                meeting,
                "meeting.finalise_minutes",
                meeting.minutes_ready_at,
                from_state=meeting_rules.NOTICE_SENT,
                to_state=meeting_rules.MINUTES_READY,
            )
            if signed:
                self.event(
                    meeting,
                    "meeting.approve_minutes",
                    meeting.approved_at,
                    actor=adjusters[-1],
                    from_state=meeting_rules.MINUTES_READY,
                    to_state=meeting_rules.APPROVED,
                )
        MinutesSignature.objects.bulk_create(signatures)

    def write_applications(self) -> None:
        from .models import Application, BudgetLine, CaseNumberCounter, CoApplicant, CoFunding

        rows = []
        for plan in self.plans:
            lead = self.parties[plan.lead]
            contact = self.staff[plan.lead]
            individual = plan.kind == rules.INDIVIDUAL
            rows.append(
                Application(
                    lead_party=lead,
                    created_by=contact,
                    status=plan.status,
                    title=plan.title,
                    kind=plan.kind,
                    background="Parterna möter samma personer utan en gemensam plan."
                    if plan.complete
                    else "",
                    purpose="Samordnat stöd mot arbete eller studier." if plan.complete else "",
                    goals="Minst 30 procent går vidare till arbete eller studier."
                    if plan.complete
                    else "",
                    target_group="Personer 16–64 år som behöver stöd från flera parter.",
                    planned_participants=self.rng.randint(15, 60) if individual else None,
                    method=self._method(plan, answered=plan.completion == "answered"),
                    starts_on=plan.starts_on,
                    ends_on=plan.ends_on,
                    follow_up_plan="Tertialvis uppföljning i förbundets system."
                    if plan.complete
                    else "",
                    contact_name=contact.name,
                    contact_email=contact.email,
                    contact_phone="019-12 34 56",
                    case_year=plan.case_year,
                    case_seq=plan.case_seq,
                    submitted_at=plan.submitted,
                    created_at=plan.created,
                )
            )
        Application.objects.bulk_create(rows, batch_size=500)
        CaseNumberCounter.objects.bulk_create(
            CaseNumberCounter(year=year, last_number=last)
            for year, last in sorted(self.counters.items())
        )
        co_rows, lines, funding = [], [], []
        for plan, application in zip(self.plans, rows, strict=True):
            plan.obj = application
            for party, status in plan.co:
                answered = status != rules.INVITED
                co_rows.append(
                    CoApplicant(
                        application=application,
                        party=self.parties[party],
                        status=status,
                        comment="Vi deltar med personal."
                        if status == rules.CONFIRMED
                        else ("Vi har inte resurser i år." if status == rules.DECLINED else ""),
                        invited_by=self.staff[plan.lead],
                        invited_at=plan.created + timedelta(hours=2),
                        responded_by=self.staff[party] if answered else None,
                        responded_at=plan.created + timedelta(days=2) if answered else None,
                    )
                )
            if plan.starts_on and plan.complete:
                requested = self.requested_by_year(plan)
                for year, amount in requested.items():
                    premises = amount // 10 // 1000 * 1000
                    material = 10_000 if amount >= 100_000 else 0
                    for category, description, kr in (
                        ("personal", "Personal i teamet", amount - premises - material),
                        ("lokaler", "Lokal för gruppträffar", premises),
                        ("material", "Material och litteratur", material),
                    ):
                        if kr > 0:
                            lines.append(
                                BudgetLine(
                                    application=application,
                                    year=year,
                                    category=category,
                                    description=description,
                                    amount_kr=kr,
                                )
                            )
                            plan.budget.append((year, category, description, kr))
                confirmed = [p for p, s in plan.co if s == rules.CONFIRMED]
                if confirmed and self.rng.random() < 0.4:
                    party = self.parties[confirmed[0]]
                    kr = self.rng.randrange(50, 200, 10) * 1000
                    funding.append(
                        CoFunding(
                            application=application,
                            party=party,
                            year=plan.starts_on.year,
                            kind=CoFunding.Kind.IN_KIND,
                            description=CO_FUNDING_TEXT,
                            amount_kr=kr,
                        )
                    )
                    plan.co_funding.append((plan.starts_on.year, party.name, kr))
        CoApplicant.objects.bulk_create(co_rows, batch_size=1000)
        BudgetLine.objects.bulk_create(lines, batch_size=1000)
        CoFunding.objects.bulk_create(funding, batch_size=1000)

    def _method(self, plan: Plan, *, answered: bool) -> str:
        text = "Ett gemensamt team med personal från parterna; individuell plan för var och en."
        if answered:
            text += " Teamet träffas varje vecka för gemensam planering."
        return text if plan.complete else ""

    def content(self, plan: Plan, *, before_completion: bool = False) -> dict:
        """The snapshot `services.application_content` takes, from the plan alone."""
        from .models import BudgetLine, CoApplicant, CoFunding

        application = plan.obj
        fields = {}
        for name in (
            "title",
            "kind",
            "background",
            "purpose",
            "goals",
            "target_group",
            "planned_participants",
            "method",
            "starts_on",
            "ends_on",
            "follow_up_plan",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            value = getattr(application, name)
            fields[name] = value.isoformat() if hasattr(value, "isoformat") else value
        if before_completion:
            fields["method"] = self._method(plan, answered=False)
        statuses = dict(CoApplicant.Status.choices)
        categories = dict(BudgetLine.Category.choices)
        return {
            "fields": fields,
            "lead_party": self.parties[plan.lead].name,
            "co_applicants": [
                {
                    "party": self.parties[party].name,
                    "kind": self.parties[party].kind,
                    "status": str(statuses[status]),
                }
                for party, status in sorted(plan.co, key=lambda c: self.parties[c[0]].name)
            ],
            "budget": [
                {
                    "year": year,
                    "category": str(categories[category]),
                    "description": description,
                    "amount_kr": kr,
                }
                for year, category, description, kr in sorted(
                    plan.budget, key=lambda line: (line[0], line[1])
                )
            ],
            "co_funding": [
                {
                    "year": year,
                    "party": party,
                    "kind": str(CoFunding.Kind.IN_KIND.label),
                    "description": CO_FUNDING_TEXT,
                    "amount_kr": kr,
                }
                for year, party, kr in plan.co_funding
            ],
            "attachments": [],
        }

    def write_preparation(self) -> None:
        """Versions, completion requests, comments and proposals, with the story in events."""
        from .models import ApplicationVersion, Comment, CompletionRequest, Proposal

        versions, requests, comments, proposals = [], [], [], []
        for plan in self.plans:
            application, lead_user = plan.obj, self.staff[plan.lead]
            self.event(
                application, "application.created", plan.created, lead_user, to_state="utkast"
            )
            for party, status in plan.co:
                self.event(
                    application,
                    "application.party_invited",
                    plan.created + timedelta(hours=2),
                    lead_user,
                    comment=f"{self.parties[party].name} bjöds in som medsökande.",
                )
                if status != rules.INVITED:
                    self.event(
                        application,
                        "application.party_confirmed"
                        if status == rules.CONFIRMED
                        else "application.party_declined",
                        plan.created + timedelta(days=2),
                        self.staff[party],
                        from_state=rules.INVITED,
                        to_state=status,
                    )
            if plan.submitted is None:
                if plan.status == rules.WITHDRAWN:
                    self.event(
                        application,
                        "application.withdraw",
                        plan.created + timedelta(days=30),
                        lead_user,
                        from_state=rules.DRAFT,
                        to_state=rules.WITHDRAWN,
                        comment="Vi söker inte i år.",
                    )
                continue
            submitted = plan.submitted
            versions.append(
                ApplicationVersion(
                    application=application,
                    number=1,
                    content=self.content(plan, before_completion=bool(plan.completion)),
                    created_by=lead_user,
                    created_at=submitted,
                )
            )
            self.event(
                application,
                "application.submit",
                submitted,
                lead_user,
                rules.DRAFT,
                rules.SUBMITTED,
            )
            if plan.withdrawn_after_submit:
                self.event(
                    application,
                    "application.withdraw",
                    submitted + timedelta(days=12),
                    lead_user,
                    rules.SUBMITTED,
                    rules.WITHDRAWN,
                    comment="Parterna har hittat en annan lösning.",
                )
                continue
            if plan.status == rules.SUBMITTED:
                continue
            prepared = submitted + timedelta(days=3)
            self.event(
                application,
                "application.start_preparation",
                prepared,
                self.office,
                rules.SUBMITTED,
                rules.IN_PREPARATION,
            )
            if plan.completion:
                asked = prepared + timedelta(days=2)
                questions = "Beskriv hur teamet planerar arbetet tillsammans."
                answered = plan.completion == "answered"
                requests.append(
                    CompletionRequest(
                        application=application,
                        questions=questions,
                        requested_by=self.office,
                        requested_at=asked,
                        answer="Teamet träffas varje vecka för gemensam planering."
                        if answered
                        else "",
                        answered_by=lead_user if answered else None,
                        answered_at=asked + timedelta(days=4) if answered else None,
                    )
                )
                self.event(
                    application,
                    "application.request_completion",
                    asked,
                    self.office,
                    rules.IN_PREPARATION,
                    rules.COMPLETION_REQUESTED,
                    comment=questions,
                )
                if not answered:
                    continue
                versions.append(
                    ApplicationVersion(
                        application=application,
                        number=2,
                        content=self.content(plan),
                        created_by=lead_user,
                        created_at=asked + timedelta(days=4),
                    )
                )
                self.event(
                    application,
                    "application.submit",
                    asked + timedelta(days=4),
                    lead_user,
                    rules.COMPLETION_REQUESTED,
                    rules.SUBMITTED,
                )
                self.event(
                    application,
                    "application.start_preparation",
                    asked + timedelta(days=5),
                    self.office,
                    rules.SUBMITTED,
                    rules.IN_PREPARATION,
                )
            if self.rng.random() < 0.15:
                comments.append(
                    Comment(
                        application=application,
                        author=self.office,
                        text="Kansliet tar kontakt om budgeten för lokaler.",
                        created_at=prepared + timedelta(days=1),
                    )
                )
            if plan.status in (rules.IN_PREPARATION, rules.COMPLETION_REQUESTED):
                continue
            written = self._proposal_time(plan)
            grant = plan.outcome != meeting_rules.REJECT
            proposals.append(
                Proposal(
                    application=application,
                    recommendation="bevilja" if grant else "avsla",
                    reasoning="Insatsen ligger inom förbundets uppdrag och har stöd av parterna."
                    if grant
                    else "Insatsen liknar ordinarie verksamhet hos huvudmannen.",
                    conditions="Uppföljning varje tertial och slutrapport." if grant else "",
                    written_by=self.office,
                    written_at=written,
                )
            )
            plan.written = written
            self.event(
                application,
                "application.propose",
                written,
                self.office,
                rules.IN_PREPARATION,
                rules.PROPOSED,
                comment="Bevilja" if grant else "Avslå",
            )
        ApplicationVersion.objects.bulk_create(versions, batch_size=500)
        CompletionRequest.objects.bulk_create(requests, batch_size=1000)
        Comment.objects.bulk_create(comments, batch_size=1000)
        Proposal.objects.bulk_create(proposals, batch_size=1000)
        self.proposals = {p.application_id: p for p in proposals}

    def _proposal_time(self, plan: Plan) -> datetime:
        if plan.delegated_on is not None:
            return _aware(plan.delegated_on - timedelta(days=3), 10)
        if plan.meeting is not None:
            written = _aware(self.meetings[plan.meeting]["held_on"] - timedelta(days=21), 10)
            return min(written, self.now - timedelta(hours=2))
        return min(plan.submitted + timedelta(days=20), self.now - timedelta(hours=2))

    def write_decisions(self) -> None:
        """Proposal amounts, the agenda, decisions and their amounts, jäv and delegation reports."""
        from .models import ProposalAmount
        from .models_meetings import AgendaItem, ConflictOfInterest, Decision, DecisionAmount

        self.fit_grants()
        amounts, items, numbers = [], [], {}
        for plan in self.plans:
            proposal = self.proposals.get(plan.obj.pk)
            if proposal is None:
                continue
            for year, kr in sorted(plan.amounts.items()):
                amounts.append(ProposalAmount(proposal=proposal, year=year, amount_kr=kr))
            if plan.meeting is None or plan.delegated_on is not None:
                continue
            meeting = self.meetings[plan.meeting]["obj"]
            numbers[plan.meeting] = numbers.get(plan.meeting, 0) + 1
            item = AgendaItem(
                meeting=meeting,
                number=numbers[plan.meeting],
                kind=AgendaItem.Kind.PROPOSAL,
                title=f"Ansökan {plan.obj.case_number} {plan.title}",
                application=plan.obj,
            )
            items.append(item)
            plan.item = item
            self.event(
                plan.obj,
                "application.placed_on_agenda",
                min(plan.written + timedelta(days=1), self.now - timedelta(hours=1)),
                self.office,
                comment=f"{meeting}, § {item.number}",
            )
        ProposalAmount.objects.bulk_create(amounts, batch_size=1000)
        AgendaItem.objects.bulk_create(items, batch_size=1000)
        decisions, decided = [], []
        for plan in self.plans:
            if not plan.outcome:
                continue
            board = plan.delegated_on is None
            spec = self.meetings[plan.meeting]
            in_force = spec["approved_at"] if board else _aware(plan.delegated_on, 11)
            decision = Decision(
                application=plan.obj,
                agenda_item=plan.item if board else None,
                delegated=not board,
                outcome=plan.outcome,
                conditions="Uppföljning varje tertial och slutrapport."
                if plan.outcome == meeting_rules.GRANT
                else "",
                reasons="Insatsen liknar ordinarie verksamhet hos huvudmannen."
                if plan.outcome == meeting_rules.REJECT
                else "Inom förbundets uppdrag.",
                status=meeting_rules.IN_FORCE if in_force else meeting_rules.PENDING,
                decided_on=spec["held_on"] if board else plan.delegated_on,
                recorded_by=self.office,
                recorded_at=_aware(spec["held_on"], 15) if board else in_force,
                in_force_at=in_force,
            )
            decisions.append(decision)
            decided.append(plan)
        Decision.objects.bulk_create(decisions, batch_size=1000)
        rows, conflicts, reports = [], [], []
        for plan, decision in zip(decided, decisions, strict=True):
            plan.decision = decision
            for year, kr in sorted(plan.amounts.items()):
                if plan.outcome == meeting_rules.GRANT:
                    rows.append(DecisionAmount(decision=decision, year=year, amount_kr=kr))
            spec = self.meetings[plan.meeting]
            if plan.delegated_on is not None:
                self.event(
                    plan.obj,
                    "application.decided_on_delegation",
                    decision.in_force_at,
                    self.office,
                    comment=decision.reasons,
                )
                self.event(
                    plan.obj,
                    "application.grant_delegated",
                    decision.in_force_at,
                    self.office,
                    rules.PROPOSED,
                    rules.GRANTED,
                )
                numbers[plan.meeting] = numbers.get(plan.meeting, 0) + 1
                reports.append(
                    AgendaItem(
                        meeting=spec["obj"],
                        number=numbers[plan.meeting],
                        kind=AgendaItem.Kind.DELEGATION_REPORT,
                        title=f"Anmälan av delegationsbeslut: {plan.obj.case_number} {plan.title}",
                        reported_decision=decision,
                    )
                )
                continue
            self.event(
                plan.obj,
                "application.decision_recorded",
                decision.recorded_at,
                self.office,
                comment=f"{decision.get_outcome_display()} ({spec['obj']}, § {plan.item.number})",
            )
            if decision.in_force_at:
                target = rules.GRANTED if plan.outcome == meeting_rules.GRANT else rules.REJECTED
                self.event(
                    plan.obj,
                    "application.grant" if target == rules.GRANTED else "application.reject",
                    decision.in_force_at,
                    spec["adjusters"][-1],
                    rules.PROPOSED,
                    target,
                )
            members = self.members_on(spec["held_on"])
            if members and self.rng.random() < 0.08:
                conflicts.append(
                    ConflictOfInterest(
                        item=plan.item,
                        member=self.rng.choice(members),
                        reason="Arbetar i verksamheten som söker.",
                        recorded_by=self.office,
                        declared_at=_aware(spec["held_on"], 13),
                    )
                )
        DecisionAmount.objects.bulk_create(rows, batch_size=1000)
        ConflictOfInterest.objects.bulk_create(conflicts, batch_size=1000)
        for index, spec in enumerate(self.meetings):
            if spec["status"] == meeting_rules.APPROVED and index % 5 == 0:
                numbers[index] = numbers.get(index, 0) + 1
                reports.append(
                    AgendaItem(
                        meeting=spec["obj"],
                        number=numbers[index],
                        kind=AgendaItem.Kind.OTHER,
                        title="Förbundschefen informerar",
                        notes="Informationen noterades.",
                    )
                )
        AgendaItem.objects.bulk_create(reports, batch_size=1000)

    def write_insatser(self) -> None:
        from .models_insats import GrantedAmount, Insats, PaymentRequest, Report

        granted = [p for p in self.plans if p.status == rules.GRANTED]
        rows = []
        for plan in granted:
            final_due = _months_later(plan.ends_on, insats_rules.FINAL_REPORT_MONTHS_AFTER_END)
            closed = final_due < self.today - timedelta(days=20) and self.rng.random() < 0.9
            plan.closed = closed
            rows.append(
                Insats(
                    application=plan.obj,
                    decision=plan.decision,
                    title=plan.title,
                    kind=plan.kind,
                    lead_party=self.parties[plan.lead],
                    starts_on=plan.starts_on,
                    ends_on=plan.ends_on,
                    agreement_signed_on=min(
                        plan.decision.in_force_at.date() + timedelta(days=14), self.today
                    ),
                    status=insats_rules.CLOSED if closed else insats_rules.ONGOING,
                    closed_at=_aware(final_due + timedelta(days=10), 10) if closed else None,
                    created_at=plan.decision.in_force_at,
                )
            )
        Insats.objects.bulk_create(rows, batch_size=500)
        through = Insats.co_parties.through
        links, amounts, payments, reports = [], [], [], []
        for plan, insats in zip(granted, rows, strict=True):
            plan.insats = insats
            lead_user = self.staff[plan.lead]
            self.event(insats, "insats.created", insats.created_at, to_state=insats_rules.ONGOING)
            for party, status in plan.co:
                if status == rules.CONFIRMED:
                    links.append(through(insats=insats, party=self.parties[party]))
            requests = []
            for year, kr in sorted(plan.amounts.items()):
                amounts.append(GrantedAmount(insats=insats, year=year, amount_kr=kr))
                requests += self._payments(plan, insats, year, kr, lead_user)
            if not plan.closed:
                self._force_latest(requests)
            for request in requests:
                self._payment_events(insats, request, lead_user)
            payments += requests
            for kind, due_on in insats_rules.default_report_schedule(plan.starts_on, plan.ends_on):
                submitted = due_on < self.today and (plan.closed or self.rng.random() < 0.9)
                at = _aware(due_on - timedelta(days=self.rng.randint(0, 20)), 14)
                reports.append(
                    Report(
                        insats=insats,
                        kind=kind,
                        due_on=due_on,
                        text="Insatsen följer sin plan; deltagarna och parterna beskriver "
                        "samarbetet som bättre än förut."
                        if submitted
                        else "",
                        submitted_by=lead_user if submitted else None,
                        submitted_at=at if submitted else None,
                    )
                )
                if submitted:
                    self.event(
                        insats,
                        "insats.report_submitted",
                        at,
                        lead_user,
                        comment=f"Rapport (senast {due_on:%Y-%m-%d}) inlämnad.",
                    )
            if plan.closed:
                self.event(
                    insats,
                    "insats.closed",
                    insats.closed_at,
                    self.office,
                    insats_rules.ONGOING,
                    insats_rules.CLOSED,
                )
        through.objects.bulk_create(links, batch_size=1000)
        GrantedAmount.objects.bulk_create(amounts, batch_size=1000)
        PaymentRequest.objects.bulk_create(payments, batch_size=1000)
        Report.objects.bulk_create(reports, batch_size=1000)
        self.insatser = rows

    def _payments(self, plan: Plan, insats, year: int, granted_kr: int, lead_user) -> list:
        """Two requests a year (spring and autumn) for half each; sometimes one denied first."""
        from .models_insats import PaymentRequest

        result = []
        first = granted_kr // 2
        halves = [(first, 1), (granted_kr - first, 7)]
        latest = self.today - timedelta(days=2)
        for n, (kr, month) in enumerate(halves):
            asked = max(date(year, month, 20), plan.starts_on + timedelta(days=10))
            if asked > latest or kr <= 0:
                continue
            if self.rng.random() < 0.06:
                result.append(
                    PaymentRequest(
                        insats=insats,
                        year=year,
                        amount_kr=kr + 50_000,
                        description=f"Personal och lokaler {year}, del {n + 1}",
                        status=insats_rules.DENIED,
                        requested_by=lead_user,
                        requested_at=_aware(asked - timedelta(days=5), 9),
                        denied_reason="Beloppet är större än det som återstår för året.",
                    )
                )
            age = (self.today - asked).days
            if plan.closed or age > 60:
                status = insats_rules.PAID
            elif age > 25:
                status = self.rng.choice([insats_rules.PAID, insats_rules.ATTESTED])
            else:
                status = self.rng.choice(
                    [insats_rules.ATTESTED, insats_rules.REQUESTED, insats_rules.REQUESTED]
                )
            attested = status in (insats_rules.ATTESTED, insats_rules.PAID)
            paid_on = min(asked + timedelta(days=20), latest)
            request = PaymentRequest(
                insats=insats,
                year=year,
                amount_kr=kr,
                description=f"Personal och lokaler {year}, del {n + 1}",
                status=status,
                requested_by=lead_user,
                requested_at=_aware(asked, 9),
                attested_by=self.office if attested else None,
                attested_at=_aware(min(asked + timedelta(days=5), latest), 11)
                if attested
                else None,
                paid_on=paid_on if status == insats_rules.PAID else None,
            )
            result.append(request)
        return result

    def _force_latest(self, requests: list) -> None:
        """Give the two latest requests of a running insats the next states in turn, so that even
        a tiny dataset has requests denied, waiting for attest, waiting for payment and paid."""
        waiting = [r for r in requests if r.status != insats_rules.DENIED]
        for request in sorted(waiting, key=lambda r: r.requested_at)[-2:]:
            turn = self._turn = getattr(self, "_turn", -1) + 1
            status = [
                insats_rules.DENIED,
                insats_rules.REQUESTED,
                insats_rules.ATTESTED,
                insats_rules.PAID,
            ][turn % 4]
            day = min(timezone.localdate(request.requested_at) + timedelta(days=1), self.today)
            attested = status in (insats_rules.ATTESTED, insats_rules.PAID)
            request.status = status
            request.attested_by = self.office if attested else None
            request.attested_at = _aware(day, 8) if attested else None
            request.paid_on = day if status == insats_rules.PAID else None
            if status == insats_rules.DENIED:
                request.denied_reason = "Underlaget för kostnaderna saknas; skicka in det igen."

    def _payment_events(self, insats, request, lead_user) -> None:
        comment = f"Rekvisition {request.year}: {request.amount_kr} kr"
        self.event(
            insats,
            "insats.payment_requested",
            request.requested_at,
            lead_user,
            to_state=insats_rules.REQUESTED,
            comment=comment,
        )
        if request.status == insats_rules.DENIED:
            self.event(
                insats,
                "insats.payment_deny",
                request.requested_at + timedelta(days=3),
                self.office,
                insats_rules.REQUESTED,
                insats_rules.DENIED,
                comment=request.denied_reason,
            )
        if request.attested_at:
            self.event(
                insats,
                "insats.payment_attest",
                request.attested_at,
                self.office,
                insats_rules.REQUESTED,
                insats_rules.ATTESTED,
                comment=comment,
            )
        if request.paid_on:
            self.event(
                insats,
                "insats.payment_mark_paid",
                _aware(request.paid_on, 12),
                self.office,
                insats_rules.ATTESTED,
                insats_rules.PAID,
                comment=comment,
            )

    # --- The audit trail ------------------------------------------------------------------

    def event(self, subject, action, at, actor=None, from_state="", to_state="", comment=""):
        self.events.append((subject, action, at, actor, from_state, to_state, comment))

    def write_events(self) -> None:
        from finsam.models import Event

        types = {}
        rows = []
        for subject, action, at, actor, from_state, to_state, comment in self.events:
            model = type(subject)
            if model not in types:
                types[model] = ContentType.objects.get_for_model(model)
            rows.append(
                Event(
                    subject_type=types[model],
                    subject_id=str(subject.pk),
                    action=action,
                    actor=actor,
                    at=at,
                    from_state=from_state,
                    to_state=to_state,
                    comment=comment,
                )
            )
        Event.objects.bulk_create(rows, batch_size=2000)
        self.event_count = len(rows)


def generate(rng, ctx) -> None:
    generator = _Generator(rng, ctx)
    generator.plan_meetings()
    generator.plan_applications()
    generator.write()
    plans = generator.plans
    ctx["insatser"] = generator.insatser
    ctx["applications"] = [plan.obj for plan in plans]
    ctx["meetings"] = [spec["obj"] for spec in generator.meetings]
    ctx["summary"] += (
        f", {len(plans)} ansökningar, {len(generator.meetings)} sammanträden, "
        f"{len(generator.insatser)} insatser, {generator.event_count} händelser"
    )
    # The pages to time: a busy kommun's staff, a granted application with a long story, the
    # last justerade meeting with the most ärenden, and the insats with the most payments.
    from .models import Application
    from .models_insats import Insats
    from .models_meetings import Meeting

    ctx["insatser_staff"] = ctx["staff"][
        max(
            range(len(ctx["parties"])),
            key=lambda i: sum(plan.lead == i for plan in plans),
        )
    ]
    ctx["bench_application"] = (
        Application.objects.filter(status=rules.GRANTED, versions__number=2)
        .order_by("-created_at", "pk")
        .first()
        or Application.objects.filter(status=rules.GRANTED).order_by("-created_at", "pk").first()
    )
    ctx["bench_meeting"] = (
        Meeting.objects.filter(status=meeting_rules.APPROVED)
        .annotate(item_count=Count("items"))
        .order_by("-item_count", "-held_on", "pk")
        .first()
    )
    ctx["bench_insats"] = (
        Insats.objects.annotate(request_count=Count("payment_requests"))
        .order_by("-request_count", "pk")
        .first()
    )


def pages(ctx) -> list[Page]:
    office = ctx["users"]["office"].email
    staff = ctx["insatser_staff"].email
    chair = ctx["users"]["chair"].email
    application, meeting = ctx["bench_application"], ctx["bench_meeting"]
    insats = ctx["bench_insats"]
    return [
        Page("Ansökningar: kansli", office, "/ansokningar/", "insatser.Application"),
        Page(
            "Ansökningar: kansli, beviljade",
            office,
            f"/ansokningar/?status={rules.GRANTED}",
            "insatser.Application",
        ),
        Page("Ansökningar: part", staff, "/ansokningar/", "insatser.Application"),
        Page(
            "Ansökningar: part, utkast",
            staff,
            f"/ansokningar/?status={rules.DRAFT}",
            "insatser.Application",
        ),
        Page("Ansökan", office, f"/ansokningar/{application.pk}/", "insatser.Application"),
        Page("Sammanträden: kansli", office, "/sammantraden/", "insatser.Meeting"),
        Page("Sammanträden: ordförande", chair, "/sammantraden/", "insatser.Meeting"),
        Page("Sammanträde", office, f"/sammantraden/{meeting.pk}/", "insatser.AgendaItem"),
        Page("Insatser: kansli", office, "/insatser/", "insatser.Insats"),
        Page("Insats", office, f"/insatser/{insats.pk}/", "insatser.PaymentRequest"),
    ]
