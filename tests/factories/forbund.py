from datetime import date

import factory

from forbund.models import (
    BoardSeat,
    BudgetYear,
    Contribution,
    Forbund,
    MandatePeriod,
    Party,
    Population,
    RoleAssignment,
    User,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    name = factory.Faker("name", locale="sv_SE")
    password = factory.django.Password("losen-ord-123")

    class Params:
        office = factory.Trait(
            role=factory.RelatedFactory(
                "tests.factories.forbund.RoleAssignmentFactory", "user", role="office", party=None
            )
        )


class ForbundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forbund

    name = "Samordningsförbundet Test"
    org_number = "222000-1230"
    delegation_limit_kr = 100_000


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testkommun {n}")
    kind = Party.Kind.KOMMUN
    member_from = date(2010, 1, 1)

    class Params:
        fk = factory.Trait(kind=Party.Kind.FK, name="Försäkringskassan")
        af = factory.Trait(kind=Party.Kind.AF, name="Arbetsförmedlingen")
        region = factory.Trait(
            kind=Party.Kind.REGION, name=factory.Sequence(lambda n: f"Region {n}")
        )


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.Role.PARTY_STAFF
    party = factory.SubFactory(PartyFactory)
    valid_from = date(2020, 1, 1)


class MandatePeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandatePeriod
        django_get_or_create = ("starts_on", "ends_on")

    starts_on = date(2023, 1, 1)
    ends_on = date(2030, 12, 31)


class BoardSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BoardSeat

    mandate_period = factory.SubFactory(MandatePeriodFactory)
    party = factory.SubFactory(PartyFactory)
    user = factory.SubFactory(UserFactory)
    kind = BoardSeat.Kind.MEMBER
    starts_on = date(2023, 1, 1)
    ends_on = None


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population
        django_get_or_create = ("party", "year")

    party = factory.SubFactory(PartyFactory)
    year = 2026
    inhabitants = 10_000


class BudgetYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetYear
        django_get_or_create = ("year",)

    year = 2026
    state_allocation_kr = 4_000_000


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    budget_year = factory.SubFactory(BudgetYearFactory)
    party = factory.SubFactory(PartyFactory)
    amount_kr = 500_000


def complete_forbund(year: int = 2026, populations: dict | None = None) -> dict:
    """Create FK, AF, one region and the given kommuner with populations for `year`.

    Return {name: Party}. Default kommuner: Askersund 11 400, Kumla 22 000; region 310 000.
    """
    populations = populations or {
        "Region Örebro län": 310_000,
        "Askersunds kommun": 11_400,
        "Kumla kommun": 22_000,
    }
    parties = {
        "Försäkringskassan": PartyFactory(fk=True),
        "Arbetsförmedlingen": PartyFactory(af=True),
    }
    for name, count in populations.items():
        kind = Party.Kind.REGION if name.startswith("Region") else Party.Kind.KOMMUN
        parties[name] = PartyFactory(name=name, kind=kind)
        PopulationFactory(party=parties[name], year=year, inhabitants=count)
    return parties
