"""The förbund part of the generated benchmark dataset (see finsam/bench.py)."""

from datetime import date

from django.utils import timezone

from finsam.bench import Page

from .models import BoardSeat, MandatePeriod, Party, RoleAssignment, User

KOMMUNER = ["Arboga", "Berga", "Dalby", "Ekeby", "Fjärås", "Gryt", "Hova", "Ivetofta"]
YEARS = 10


def generate(rng, ctx) -> None:
    this_year = timezone.localdate().year
    first_year = this_year - YEARS + 1
    start = date(first_year, 1, 1)
    kinds = [("Försäkringskassan", Party.Kind.FK), ("Arbetsförmedlingen", Party.Kind.AF)]
    kinds += [("Region Norr", Party.Kind.REGION), ("Region Syd", Party.Kind.REGION)]
    kinds += [(f"{name} kommun", Party.Kind.KOMMUN) for name in KOMMUNER]
    parties = Party.objects.bulk_create(
        Party(name=name, kind=kind, member_from=start) for name, kind in kinds
    )
    users = {
        "office": User.objects.create_user("bench-kansli@example.se", "x", name="Kansli Bench"),
        "chair": User.objects.create_user("bench-ordf@example.se", "x", name="Ordförande Bench"),
        "auditor": User.objects.create_user("bench-revisor@example.se", "x", name="Revisor Bench"),
    }
    staff = [
        User.objects.create_user(f"bench-part{i}@example.se", "x", name=f"Handläggare {i}")
        for i in range(len(parties))
    ]
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=users["office"], role="office", valid_from=start),
            RoleAssignment(
                user=users["auditor"], role="auditor", party=parties[2], valid_from=start
            ),
            *[
                RoleAssignment(user=user, role="party_staff", party=party, valid_from=start)
                for user, party in zip(staff, parties, strict=True)
            ],
        ]
    )
    seats = []
    for term_start in range(first_year, this_year + 4, 4):
        period = MandatePeriod.objects.create(
            starts_on=date(term_start, 1, 1), ends_on=date(term_start + 3, 12, 31)
        )
        for index, party in enumerate(parties):
            for kind in ("member", "deputy"):
                if index == 0 and kind == "member":
                    person = users["chair"]
                else:
                    person = User.objects.create_user(
                        f"bench-{kind}-{term_start}-{index}@example.se",
                        None,
                        name=f"{kind} {index}",
                    )
                seats.append(
                    BoardSeat(
                        mandate_period=period,
                        party=party,
                        user=person,
                        kind=kind,
                        office="chair" if person == users["chair"] else "",
                        starts_on=period.starts_on,
                        ends_on=period.ends_on,
                    )
                )
    BoardSeat.objects.bulk_create(seats)
    ctx.update(
        parties=parties,
        users=users,
        staff=staff,
        first_year=first_year,
        this_year=this_year,
        rng=rng,
    )
    ctx["summary"] = f"{len(parties)} parter, {YEARS} år"


def pages(ctx) -> list[Page]:
    users = ctx["users"]
    return [
        Page("Start: kansli", users["office"].email, "/", "forbund.Party"),
        Page("Start: ordförande", users["chair"].email, "/", "forbund.Party"),
        Page("Start: partshandläggare", ctx["staff"][5].email, "/", "forbund.Party"),
        Page("Start: revisor", users["auditor"].email, "/", "forbund.Party"),
        Page("Konton", users["office"].email, "/forbund/konton/", "forbund.User"),
    ]
