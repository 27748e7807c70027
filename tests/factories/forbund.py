from datetime import date

import factory

from forbund.models import BoardSeat, Forbund, MandatePeriod, Party, RoleAssignment, User


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
