"""Demo applications for the demo förbund: one in every state up to förslag till beslut.

Led by and co-applied by the demo parties (part@demo.se works for Kumla kommun, part2@demo.se for
Arbetsförmedlingen), walked through the real services. Safe to run twice: an application whose
title exists is left alone.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from forbund.models import Party, User

from . import rules, services
from .models import Application

BUDGET = [
    ("personal", "Arbetskonsulent 100 %", 620_000),
    ("lokaler", "Gemensam lokal, andel", 60_000),
    ("utbildning", "Utbildning i Supported Employment", 40_000),
]


def _content(title: str, kind: str, start: date, end: date) -> dict:
    return {
        "title": title,
        "kind": kind,
        "background": (
            "Många invånare i arbetsför ålder har stöd från flera myndigheter samtidigt men "
            "saknar en samordnad plan. Handläggarna saknar en gemensam arena."
        ),
        "purpose": "Att deltagarna får ett samordnat stöd mot arbete eller studier.",
        "goals": (
            "Minst 35 procent av deltagarna går vidare till arbete eller studier.\n"
            "Alla deltagare har en gemensam planering inom en månad."
        ),
        "target_group": "Personer 16–64 år som behöver samordnat stöd från flera parter.",
        "planned_participants": 40 if kind == rules.INDIVIDUAL else None,
        "method": "Gemensamt team, individuell coachning och arbetsträning med handledning.",
        "starts_on": start,
        "ends_on": end,
        "follow_up_plan": "Uppföljning per tertial i förbundets system och en slutrapport.",
        "contact_name": "Sara Nyberg",
        "contact_email": "part@demo.se",
        "contact_phone": "019-58 80 00",
    }


def _budget(application, by, extra=()):
    lines = [
        {"year": year, "category": category, "description": text, "amount_kr": amount}
        for year in application.period_years()
        for category, text, amount in BUDGET
    ]
    lines += [dict(line) for line in extra]
    services.budget_replace(application=application, lines=lines, by=by)


def _confirmed(application, party, lead_user, party_user):
    co = services.co_applicant_invite(application=application, party=party, by=lead_user)
    services.co_applicant_respond(
        co_applicant=co, confirm=True, comment="Vi står bakom ansökan.", by=party_user
    )


@transaction.atomic
def seed() -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.se")}
    parties = {p.name: p for p in Party.objects.all()}
    kumla, af = parties["Kumla kommun"], parties["Arbetsförmedlingen"]
    askersund, region = parties["Askersunds kommun"], parties["Region Örebro län"]
    part, part2, kansli = users["part@demo.se"], users["part2@demo.se"], users["kansli@demo.se"]
    next_year = timezone.localdate().year + 1
    start, end = date(next_year, 1, 1), date(next_year + 1, 12, 31)

    def new(title, lead, by, kind=rules.INDIVIDUAL):
        if Application.objects.filter(title=title).exists():
            return None
        return services.application_create(
            lead_party=lead,
            by=by,
            **{k: v for k, v in _content(title, kind, start, end).items() if k != "title"},
            title=title,
        )

    application = new("Språkstöd på arbetsplatsen", kumla, part)
    if application:
        _budget(application, part)

    application = new("Gemensam ingång i Kumla", kumla, part)
    if application:
        _budget(application, part)
        services.co_applicant_invite(application=application, party=af, by=part)

    application = new("Askersund och Kumla tillsammans", kumla, part)
    if application:
        _budget(application, part)
        services.co_applicant_invite(application=application, party=askersund, by=part)

    application = new("Unga vuxna i Kumla – vägen till arbete", kumla, part)
    if application:
        _budget(
            application,
            part,
            extra=[
                {
                    "year": next_year,
                    "category": "ovrigt",
                    "description": "Busskort till deltagare",
                    "amount_kr": 24_000,
                }
            ],
        )
        _confirmed(application, af, part, part2)
        services.application_submit(application=application, by=part)

    application = new("Arbetsträning med stöd", af, part2)
    if application:
        _budget(application, part2)
        _confirmed(application, kumla, part2, part)
        services.co_applicant_invite(application=application, party=region, by=part2)
        services.application_submit(application=application, by=part2)
        services.application_start_preparation(application=application, by=kansli)
        services.application_comment(
            application=application,
            text="Ser bra ut. Stäm av målgruppen med regionens rehabkoordinatorer.",
            by=kansli,
        )

    application = new("Hälsa och arbete", kumla, part)
    if application:
        _budget(application, part)
        _confirmed(application, af, part, part2)
        services.application_submit(application=application, by=part)
        services.application_start_preparation(application=application, by=kansli)
        services.application_request_completion(
            application=application,
            questions=(
                "Hur ska deltagarna rekryteras, och hur fördelas arbetskonsulentens tid mellan "
                "parterna? Beskriv också hur målen ska mätas."
            ),
            by=kansli,
        )

    application = new("Gemensam kompetensutveckling i samverkan", af, part2, kind=rules.STRUCTURAL)
    if application:
        _budget(application, part2)
        _confirmed(application, kumla, part2, part)
        services.application_submit(application=application, by=part2)
        services.application_start_preparation(application=application, by=kansli)
        services.application_propose(
            application=application,
            recommendation="bevilja",
            reasoning=(
                "Insatsen stärker samverkan mellan parterna och ligger inom förbundets uppdrag. "
                "Budgeten är rimlig."
            ),
            conditions="Lägesrapport varje tertial och slutrapport senast tre månader efter slut.",
            amounts={next_year: 700_000, next_year + 1: 700_000},
            by=kansli,
        )

    application = new("Sommarjobb för unga", kumla, part)
    if application:
        _budget(application, part)
        _confirmed(application, af, part, part2)
        services.application_submit(application=application, by=part)
        services.application_withdraw(
            application=application, reason="Insatsen ryms i kommunens ordinarie budget.", by=part
        )

    # Meetings, decisions and insatser build on the proposals above.
    from .demo_meetings import seed as seed_meetings

    seed_meetings()
