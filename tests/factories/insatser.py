"""Factories for applications. Traits walk an application through the real services:

ApplicationFactory()                    a complete draft led by a kommun, with a budget
ApplicationFactory(confirmed=True)      … with Arbetsförmedlingen confirmed as co-applicant
ApplicationFactory(submitted=True)      … submitted (has a diarienummer and version 1)
ApplicationFactory(in_preparation=True) / (completion_requested=True) / (proposed=True)
"""

from datetime import date

import factory

from forbund.models import RoleAssignment
from insatser import rules, services
from insatser.models import Application, BudgetLine, CoApplicant, CoFunding
from tests.factories.forbund import PartyFactory, RoleAssignmentFactory, UserFactory


def staff_of(party, **kwargs):
    """Return a user working as party staff for `party` (creating one)."""
    return RoleAssignmentFactory(party=party, role=RoleAssignment.Role.PARTY_STAFF, **kwargs).user


def office_user(**kwargs):
    return RoleAssignmentFactory(role=RoleAssignment.Role.OFFICE, party=None, **kwargs).user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True

    lead_party = factory.SubFactory(PartyFactory)
    created_by = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Samverkan mot arbete {n}")
    kind = rules.INDIVIDUAL
    background = "Många står långt från arbetsmarknaden och faller mellan myndigheterna."
    purpose = "Ge stöd samordnat av kommun och Arbetsförmedlingen."
    goals = "40 procent av deltagarna går till arbete eller studier."
    target_group = "Personer 16–64 år med behov av samordnat stöd."
    planned_participants = 30
    method = "Gemensamt team med arbetskonsulenter och handläggare."
    starts_on = date(2027, 1, 1)
    ends_on = date(2028, 12, 31)
    follow_up_plan = "Tertialvis uppföljning och slutrapport."
    contact_name = "Anna Andersson"
    contact_email = "anna@example.se"

    @factory.post_generation
    def budget(obj, create, extracted, **kwargs):
        if not create:
            return
        lines = (
            extracted
            if extracted is not None
            else [
                (2027, "personal", "Arbetskonsulent 50 %", 300_000),
                (2028, "personal", "Arbetskonsulent 50 %", 310_000),
            ]
        )
        for year, category, description, amount in lines:
            BudgetLine.objects.create(
                application=obj,
                year=year,
                category=category,
                description=description,
                amount_kr=amount,
            )

    # Each state walks the draft through the real services as far as it asks.
    @factory.post_generation
    def confirmed(obj, create, extracted, **kwargs):
        if create and extracted:
            _confirm(obj)

    @factory.post_generation
    def submitted(obj, create, extracted, **kwargs):
        if create and extracted:
            _submit(obj)

    @factory.post_generation
    def in_preparation(obj, create, extracted, **kwargs):
        if create and extracted:
            _prepare(obj)

    @factory.post_generation
    def completion_requested(obj, create, extracted, **kwargs):
        if create and extracted:
            _submit(obj)
            services.application_request_completion(
                application=obj, questions="Hur når ni målgruppen?", by=office_user()
            )
            obj.refresh_from_db()

    @factory.post_generation
    def proposed(obj, create, extracted, **kwargs):
        if create and extracted:
            _prepare(obj)
            services.application_propose(
                application=obj,
                recommendation="bevilja",
                reasoning="Väl underbyggd.",
                conditions="Lägesrapport varje tertial.",
                amounts={2027: 300_000, 2028: 310_000},
                by=office_user(),
            )
            obj.refresh_from_db()


def lead_staff(application):
    """Return a staff member of the application's lead party (creating one if needed)."""
    assignment = RoleAssignment.objects.filter(
        party=application.lead_party, role=RoleAssignment.Role.PARTY_STAFF
    ).first()
    return assignment.user if assignment else staff_of(application.lead_party)


def _confirm(application):
    if application.co_applicants.filter(status=rules.CONFIRMED).exists():
        return
    af = PartyFactory(af=True)
    co = services.co_applicant_invite(application=application, party=af, by=lead_staff(application))
    services.co_applicant_respond(
        co_applicant=co, confirm=True, comment="Vi deltar.", by=staff_of(af)
    )


def _submit(application):
    application.refresh_from_db()
    if application.status == rules.DRAFT:
        _confirm(application)
        services.application_submit(application=application, by=lead_staff(application))
    application.refresh_from_db()


def _prepare(application):
    _submit(application)
    if application.status == rules.SUBMITTED:
        services.application_start_preparation(application=application, by=office_user())
    application.refresh_from_db()


class CoApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoApplicant

    application = factory.SubFactory(ApplicationFactory)
    party = factory.SubFactory(PartyFactory, af=True)
    invited_by = factory.SubFactory(UserFactory)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    application = factory.SubFactory(ApplicationFactory, budget=[])
    year = 2027
    category = BudgetLine.Category.STAFF
    description = "Projektledare"
    amount_kr = 100_000


class CoFundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoFunding

    application = factory.SubFactory(ApplicationFactory)
    party = factory.LazyAttribute(lambda o: o.application.lead_party)
    year = 2027
    kind = CoFunding.Kind.IN_KIND
    description = "Handledare 20 %"
    amount_kr = 120_000
