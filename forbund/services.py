"""Every write that matters in the förbund app. Each service checks, saves and audits in one
transaction; views, admin and imports call these, never `.save()` on a domain object."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from finsam import audit
from finsam.templatetags.finsam import format_kr

from . import rules
from .models import (
    BoardSeat,
    BudgetYear,
    Contribution,
    KeyShare,
    MandatePeriod,
    Party,
    Population,
    RoleAssignment,
    User,
)
from .tasks import send_invitation

# --- Accounts ------------------------------------------------------------------------------------


@transaction.atomic
def user_create(*, name: str, email: str, roles: list[tuple[str, object]], by: User | None) -> User:
    """Create an account with the given (role, party) pairs and e-mail a link to set a password.

    The account has no usable password until the person follows the link.
    """
    user = User.objects.create_user(email=email, password=None, name=name)
    for role, party in roles:
        assignment = RoleAssignment(user=user, role=role, party=party)
        assignment.full_clean()
        assignment.save()
    transaction.on_commit(lambda: send_invitation.delay(user.pk))
    return user


@transaction.atomic
def user_roles_update(*, user: User, roles: list[tuple[str, object]], by: User | None) -> User:
    """Replace the user's kansli, party-staff and auditor roles with `roles`."""
    wanted = {(role, getattr(party, "pk", None)) for role, party in roles}
    current = {(a.role, a.party_id): a for a in user.role_assignments.all()}
    for key, assignment in current.items():
        if key not in wanted:
            assignment.delete()
    for role, party in roles:
        if (role, getattr(party, "pk", None)) not in current:
            assignment = RoleAssignment(user=user, role=role, party=party)
            assignment.full_clean()
            assignment.save()
    return user


# --- Parties and population ----------------------------------------------------------------------


@transaction.atomic
def party_save(*, party: Party, by: User | None) -> Party:
    """Create or update a member party after checking it with the model's own rules."""
    created = party.pk is None
    party.full_clean()
    party.save()
    audit.log(
        party,
        "party.created" if created else "party.updated",
        actor=by,
        data={
            "name": party.name,
            "kind": party.kind,
            "org_number": party.org_number,
            "member_from": party.member_from.isoformat(),
            "member_to": party.member_to.isoformat() if party.member_to else None,
        },
    )
    return party


@transaction.atomic
def population_set(*, year: int, inhabitants: dict[Party, int], by: User | None) -> None:
    """Set the population (invånare 31/12 the year before) that `year` uses for each party,
    then bring that year's contributions in line if its key is population."""
    for party, count in inhabitants.items():
        row = Population.objects.filter(party=party, year=year).first() or Population(
            party=party, year=year
        )
        if row.pk and row.inhabitants == count:
            continue
        before = row.inhabitants if row.pk else None
        row.inhabitants = count
        row.full_clean()
        row.save()
        audit.log(
            row,
            "population.set",
            actor=by,
            data={"party": party.name, "year": year, "from": before, "to": count},
        )
    budget_year = BudgetYear.objects.filter(year=year, key=BudgetYear.Key.POPULATION).first()
    if budget_year is not None:
        contributions_sync(budget_year=budget_year, by=by)


# --- Budget years --------------------------------------------------------------------------------

_BUDGET_FIELDS = [
    "state_allocation_kr",
    "key",
    "other_income_kr",
    "equity_brought_in_kr",
    "board_cost_kr",
    "administration_cost_kr",
    "audit_cost_kr",
    "equity_at_year_end_kr",
]


@transaction.atomic
def budget_year_save(*, budget_year: BudgetYear, by: User | None) -> BudgetYear:
    """Create or update a budget year and split its funding into the parties' contributions.

    When the key is still incomplete (population or shares missing) the year is saved and the
    contributions wait; the budget page says what is missing.
    """
    created = budget_year.pk is None
    budget_year.full_clean()
    budget_year.save()
    audit.log(
        budget_year,
        "budget_year.created" if created else "budget_year.updated",
        actor=by,
        data={name: getattr(budget_year, name) for name in _BUDGET_FIELDS},
    )
    contributions_sync(budget_year=budget_year, by=by)
    return budget_year


@transaction.atomic
def key_shares_set(*, budget_year: BudgetYear, shares: dict[Party, int], by: User | None) -> None:
    """Replace the year's fixed key shares (hundredths of a percent per kommun and region).

    The kommuner's shares must sum to 100 %, and so must the regions'.
    """
    by_group: dict[str, list[int]] = {rules.REGION: [], rules.KOMMUN: []}
    for party, share in shares.items():
        if not party.has_population:
            raise ValidationError(
                f"{party} kan inte ha en andel av kommunernas eller regionernas del."
            )
        by_group[party.kind].append(share)
    problems = rules.fixed_share_problems(by_group)
    if problems:
        raise ValidationError(problems)
    budget_year.key_shares.exclude(party__in=list(shares)).delete()
    for party, share in shares.items():
        row = KeyShare.objects.filter(budget_year=budget_year, party=party).first() or KeyShare(
            budget_year=budget_year, party=party
        )
        row.share = share
        row.full_clean()
        row.save()
    audit.log(
        budget_year,
        "budget_year.key_shares_set",
        actor=by,
        data={party.name: share for party, share in shares.items()},
    )
    if budget_year.key == BudgetYear.Key.FIXED:
        contributions_sync(budget_year=budget_year, by=by)


@transaction.atomic
def contributions_sync(*, budget_year: BudgetYear, by: User | None) -> bool:
    """Set each party's contribution for the year to its part of the split.

    Return False (and change nothing) when the split cannot be made yet. Raise ValidationError
    if a party has already paid more than its new contribution.
    """
    from .selectors import split_for

    try:
        split = split_for(budget_year)
    except rules.SplitError:
        return False
    fk = Party.objects.members_in(budget_year.year).filter(kind=Party.Kind.FK).first()
    amounts = dict(split.parts)
    if fk is not None:
        amounts[fk.pk] = split.state_kr
    existing = {c.party_id: c for c in budget_year.contributions.select_for_update()}
    parties = Party.objects.in_bulk(list(amounts))
    for party_id, amount in amounts.items():
        contribution = existing.get(party_id)
        if contribution is not None and contribution.amount_kr == amount:
            continue
        before = contribution.amount_kr if contribution else None
        if contribution is None:
            contribution = Contribution(budget_year=budget_year, party=parties[party_id])
        contribution.amount_kr = amount
        if contribution.paid_kr > amount:
            raise ValidationError(
                f"{contribution.party} har redan betalat {format_kr(contribution.paid_kr)} för "
                f"{budget_year.year}, mer än det nya bidraget på {format_kr(amount)}."
            )
        contribution.full_clean()
        contribution.save()
        audit.log(
            contribution,
            "contribution.amount_set",
            actor=by,
            data={
                "year": budget_year.year,
                "party": contribution.party.name,
                "from": before,
                "to": amount,
            },
        )
    return True


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    invoiced_on: date | None,
    paid_on: date | None,
    paid_kr: int,
    by: User | None,
) -> Contribution:
    """Record when a contribution was invoiced and when and how much was paid."""
    before = contribution.get_status_display()
    contribution.invoiced_on = invoiced_on
    contribution.paid_on = paid_on
    contribution.paid_kr = paid_kr
    contribution.full_clean()
    contribution.save()
    audit.log(
        contribution,
        "contribution.payment_recorded",
        actor=by,
        from_state=before,
        to_state=contribution.get_status_display(),
        data={
            "invoiced_on": invoiced_on.isoformat() if invoiced_on else None,
            "paid_on": paid_on.isoformat() if paid_on else None,
            "paid_kr": paid_kr,
        },
    )
    return contribution


# --- Board ---------------------------------------------------------------------------------------


@transaction.atomic
def mandate_period_save(*, period: MandatePeriod, by: User | None) -> MandatePeriod:
    """Create or change a mandate period; periods may not overlap, and seats must stay inside."""
    created = period.pk is None
    period.full_clean()
    overlapping = MandatePeriod.objects.filter(
        starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
    ).exclude(pk=period.pk)
    if overlapping.exists():
        raise ValidationError(
            {"starts_on": f"Mandatperioden överlappar mandatperioden {overlapping.first()}."}
        )
    if not created:
        outside = period.seats.filter(
            Q(starts_on__lt=period.starts_on) | Q(ends_on__gt=period.ends_on)
        ).count()
        if outside:
            raise ValidationError(
                {"ends_on": f"{outside} styrelseplatser skulle hamna utanför mandatperioden."}
            )
    period.save()
    audit.log(
        period,
        "mandate_period.created" if created else "mandate_period.updated",
        actor=by,
        data={"starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat()},
    )
    return period


def board_seat_check(seat: BoardSeat) -> None:
    """Raise ValidationError if `seat` would give the board two ordförande or three vice
    ordförande at the same time, or lies outside its mandate period."""
    seat.full_clean()
    period = seat.mandate_period
    if seat.starts_on < period.starts_on or (seat.ends_on or period.ends_on) > period.ends_on:
        raise ValidationError({"starts_on": f"Uppdraget ska ligga inom mandatperioden {period}."})
    if not seat.office:
        return
    end = seat.ends_on or date.max
    overlapping = (
        BoardSeat.objects.filter(office=seat.office, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=seat.starts_on))
        .exclude(pk=seat.pk)
        .count()
    )
    chairs = overlapping + 1 if seat.office == BoardSeat.Office.CHAIR else 0
    vice = overlapping + 1 if seat.office == BoardSeat.Office.VICE_CHAIR else 0
    problems = rules.officer_problems(chairs, vice)
    if problems:
        raise ValidationError({"office": problems})


@transaction.atomic
def board_seat_save(*, seat: BoardSeat, by: User | None) -> BoardSeat:
    """Create or update a board seat (ledamot or ersättare, possibly ordförande or vice)."""
    created = seat.pk is None
    board_seat_check(seat)
    seat.save()
    audit.log(
        seat,
        "board_seat.created" if created else "board_seat.updated",
        actor=by,
        data={
            "person": seat.user.name,
            "party": seat.party.name,
            "kind": seat.kind,
            "office": seat.office,
            "starts_on": seat.starts_on.isoformat(),
            "ends_on": seat.ends_on.isoformat() if seat.ends_on else None,
        },
    )
    return seat


@transaction.atomic
def contribution_import(*, contribution: Contribution, by: User | None) -> Contribution:
    """Save a contribution row from an import: amount, invoice and payment as in the file."""
    created = contribution.pk is None
    contribution.full_clean()
    contribution.save()
    audit.log(
        contribution,
        "contribution.imported",
        actor=by,
        to_state=contribution.get_status_display(),
        data={
            "created": created,
            "amount_kr": contribution.amount_kr,
            "invoiced_on": contribution.invoiced_on.isoformat()
            if contribution.invoiced_on
            else None,
            "paid_on": contribution.paid_on.isoformat() if contribution.paid_on else None,
            "paid_kr": contribution.paid_kr,
        },
    )
    return contribution


# --- Import --------------------------------------------------------------------------------------


@transaction.atomic
def data_import(*, resource_key: str, dataset, by: User | None, dry_run: bool):
    """Import `dataset` with the named resource (see resources.RESOURCES); all or nothing.

    Every row is checked with the model's own rules and saved through the services above. With
    `dry_run`, or when any row has an error, the whole transaction is rolled back and nothing
    is changed. Return the import-export Result, whose rows say what would change or went wrong.
    """
    from .models import Forbund
    from .resources import RESOURCES

    label, resource_class = RESOURCES[resource_key]
    resource = resource_class(by=by)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    failed = result.has_errors() or result.has_validation_errors()
    if dry_run or failed:
        transaction.set_rollback(True)
        return result
    forbund = Forbund.objects.first()
    if forbund is not None:
        audit.log(
            forbund,
            "forbund.data_imported",
            actor=by,
            comment=label,
            data={"resource": resource_key, "totals": dict(result.totals)},
        )
    return result
