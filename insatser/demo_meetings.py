"""Demo meetings, decisions and insatser, walked through the real services.

- A held meeting with a justerat protokoll: one application granted (now an insats with payment
  requests in every state and reports due and overdue), one rejected, jäv declared on it.
- A delegated decision (an insats too), waiting to be reported to the board.
- An upcoming meeting, called, with one förslag and the anmälan of the delegated decision.
The förslag "Gemensam kompetensutveckling i samverkan" from the applications demo stays off every
agenda, for the kansli to place. Safe to run twice: each block looks for its application first.
"""

from datetime import date, timedelta

from django.utils import timezone

from forbund.models import Party, User

from . import services, services_decisions, services_insats, services_meetings
from .models import Application
from .models_meetings import Meeting

BUDGET = [
    ("personal", "Arbetskonsulent 100 %", 560_000),
    ("lokaler", "Gemensam lokal, andel", 40_000),
    ("material", "Material och aktiviteter", 20_000),
]

GRANTED = "Arbetsintegrerande socialt företagande"
REJECTED = "Friskvårdskort till deltagare"
UPCOMING = "Stöd till unga med aktivitetsersättning"
DELEGATED = "Studiebesök och gemensam kartläggning"


def _proposed(title, lead, co, lead_user, co_user, office, years, *, recommend, amounts, kind):
    """Walk a new application to förslag till beslut; None if it already exists."""
    if Application.objects.filter(title=title).exists():
        return None
    application = services.application_create(
        lead_party=lead,
        by=lead_user,
        title=title,
        kind=kind,
        background="Flera parter möter samma personer utan en gemensam plan.",
        purpose="Att deltagarna får ett samordnat stöd mot arbete eller studier.",
        goals="Minst 30 procent av deltagarna går vidare till arbete eller studier.",
        target_group="Personer 16–64 år som behöver samordnat stöd.",
        planned_participants=25 if kind == "individinriktad" else None,
        method="Gemensamt team med arbetskonsulent, coachning och arbetsträning.",
        starts_on=date(years[0], 1, 1),
        ends_on=date(years[-1], 12, 31),
        follow_up_plan="Tertialvis uppföljning och slutrapport.",
        contact_name=lead_user.name,
        contact_email=lead_user.email,
    )
    services.budget_replace(
        application=application,
        lines=[
            {"year": y, "category": c, "description": d, "amount_kr": a}
            for y in years
            for c, d, a in BUDGET
        ],
        by=lead_user,
    )
    invitation = services.co_applicant_invite(application=application, party=co, by=lead_user)
    services.co_applicant_respond(
        co_applicant=invitation, confirm=True, comment="Vi deltar.", by=co_user
    )
    services.application_submit(application=application, by=lead_user)
    services.application_start_preparation(application=application, by=office)
    services.application_propose(
        application=application,
        recommendation=recommend,
        reasoning=(
            "Insatsen ligger inom förbundets uppdrag och parterna bidrar med egen personal."
            if recommend == "bevilja"
            else "Friskvårdskort är en individuell förmån som förbundet inte får finansiera."
        ),
        conditions="Lägesrapport efter varje år och slutrapport." if recommend == "bevilja" else "",
        amounts=amounts,
        by=office,
    )
    application.refresh_from_db()
    return application


def _record_all(meeting, office, conflicted=None):
    for item in meeting.items.select_related("application__proposal").order_by("number"):
        if item.kind != "forslag":
            continue
        proposal = item.application.proposal
        services_decisions.decision_record(
            item=item,
            outcome=proposal.recommendation,
            amounts={a.year: a.amount_kr for a in proposal.amounts.all()},
            conditions=proposal.conditions,
            reasons=proposal.reasoning,
            conflicted=(conflicted or {}).get(item.number, []),
            by=office,
        )


def _payments(insats, lead_user, office, year) -> None:
    """One request in each state: paid, attested, waiting and denied."""
    today = timezone.localdate()

    def request(amount, text):
        return services_insats.payment_request_create(
            insats=insats, year=year, amount_kr=amount, description=text, by=lead_user
        )

    paid = request(150_000, "Lönekostnader januari–april")
    services_insats.payment_request_attest(request=paid, by=office)
    services_insats.payment_request_mark_paid(request=paid, paid_on=today, by=office)
    attested = request(150_000, "Lönekostnader maj–augusti")
    services_insats.payment_request_attest(request=attested, by=office)
    request(100_000, "Lönekostnader september–oktober")
    denied = request(80_000, "Lokalhyra helår")
    services_insats.payment_request_deny(
        request=denied, reason="Lokalhyran ingår redan i rekvisitionerna för lön.", by=office
    )


def seed() -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.se")}
    parties = {p.name: p for p in Party.objects.all()}
    kumla, af = parties["Kumla kommun"], parties["Arbetsförmedlingen"]
    part, part2 = users["part@demo.se"], users["part2@demo.se"]
    office, chair, member = (
        users["kansli@demo.se"],
        users["styrelse@demo.se"],
        users["ledamot@demo.se"],
    )
    today = timezone.localdate()
    # Decided matters use this year's money; the upcoming meeting decides on the next years,
    # whose budget the kansli has yet to enter.
    this_year, first = today.year, today.year + 1
    years = [this_year]

    granted = _proposed(
        GRANTED, kumla, af, part, part2, office, years,
        recommend="bevilja", amounts={this_year: 600_000}, kind="individinriktad",
    )  # fmt: skip
    rejected = _proposed(
        REJECTED, af, kumla, part2, part, office, years,
        recommend="avsla", amounts={}, kind="individinriktad",
    )  # fmt: skip
    if granted and rejected:
        held = Meeting.objects.create(
            held_on=today - timedelta(days=70), place="Kumla stadshus, sal 2", created_by=office
        )
        for application in (granted, rejected):
            services_meetings.agenda_add_proposal(meeting=held, application=application, by=office)
        services_meetings.agenda_add_other(
            meeting=held,
            title="Information från förbundschefen",
            notes="Förbundschefen informerade om arbetet med årets uppföljning.",
            by=office,
        )
        services_meetings.meeting_send_notice(meeting=held, by=office)
        rejected_item = held.items.get(application=rejected)
        services_meetings.conflict_declare(
            item=rejected_item, reason="Anställd hos Arbetsförmedlingen", by=member
        )
        _record_all(held, office, conflicted={rejected_item.number: [member]})
        services_meetings.meeting_set_signers(
            meeting=held, chair=chair, adjusters=[member], by=office
        )
        services_meetings.minutes_finalise(meeting=held, by=office)
        services_meetings.minutes_approve(meeting=held, by=chair)
        services_meetings.minutes_approve(meeting=held, by=member)
        granted.refresh_from_db()
        insats = granted.insats
        services_insats.insats_set_agreement(
            insats=insats, signed_on=today - timedelta(days=50), by=office
        )
        _payments(insats, part, office, this_year)
        services_insats.report_add(
            insats=insats, kind="lagesrapport", due_on=today - timedelta(days=20), by=office
        )
        services_insats.report_add(
            insats=insats, kind="lagesrapport", due_on=today + timedelta(days=10), by=office
        )
        started = services_insats.report_add(
            insats=insats, kind="lagesrapport", due_on=today - timedelta(days=40), by=office
        )
        services_insats.report_submit(
            report=started,
            text="Teamet är på plats och de första tolv deltagarna har börjat.",
            by=part,
        )

    delegated = _proposed(
        DELEGATED, kumla, af, part, part2, office, years,
        recommend="bevilja", amounts={this_year: 80_000}, kind="strukturell",
    )  # fmt: skip
    if delegated:
        services_decisions.decision_delegate(
            application=delegated,
            amounts={this_year: 80_000},
            conditions="Kort slutrapport.",
            reasons="Litet belopp inom förbundschefens delegation.",
            by=office,
        )

    upcoming = _proposed(
        UPCOMING, kumla, af, part, part2, office, [first, first + 1],
        recommend="bevilja", amounts={first: 500_000, first + 1: 450_000}, kind="individinriktad",
    )  # fmt: skip
    if upcoming:
        called = Meeting.objects.create(
            held_on=today + timedelta(days=14), place="Kumla stadshus, sal 2", created_by=office
        )
        services_meetings.agenda_add_proposal(meeting=called, application=upcoming, by=office)
        report = Application.objects.get(title=DELEGATED).decisions.filter(delegated=True).first()
        if report is not None:
            services_meetings.agenda_add_delegation_report(
                meeting=called, decision=report, by=office
            )
        services_meetings.meeting_send_notice(meeting=called, by=office)
