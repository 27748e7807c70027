"""Every write about granted insatser: creation from a decision, agreement, payment requests
(rekvisitioner) and reports.

A payment request is checked against what is granted for its year while the insats row is
locked, so two requests at the same moment cannot together exceed the grant.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from finsam import audit
from forbund.models import User

from . import filetypes, permissions, rules, tasks_insats
from . import rules_insats as insats_rules
from .models_insats import GrantedAmount, Insats, PaymentRequest, Report, ReportReminder
from .models_meetings import Decision


def _refuse(message: str, code: str = "not_allowed"):
    raise ValidationError(message, code=code)


def _require_office(by: User) -> None:
    if not permissions.can_manage_insatser(by):
        _refuse("Bara förbundets kansli kan göra det.")


def _lock(insats: Insats) -> Insats:
    """Return the insats re-read with its row locked. Call inside transaction.atomic."""
    return Insats.objects.select_for_update().get(pk=insats.pk)


def insats_create_from(*, decision: Decision, by: User) -> Insats:
    """Turn a grant in force into an insats with its amounts, parties and the reports it owes.

    Call inside the transaction that puts the decision in force.
    """
    application = decision.application
    insats = Insats(
        application=application,
        decision=decision,
        title=application.title,
        kind=application.kind,
        lead_party=application.lead_party,
        starts_on=application.starts_on,
        ends_on=application.ends_on,
    )
    insats.full_clean()
    insats.save()
    insats.co_parties.set(
        application.co_applicants.filter(status=rules.CONFIRMED).values_list("party_id", flat=True)
    )
    GrantedAmount.objects.bulk_create(
        [
            GrantedAmount(insats=insats, year=amount.year, amount_kr=amount.amount_kr)
            for amount in decision.amounts.all()
        ]
    )
    Report.objects.bulk_create(
        [
            Report(insats=insats, kind=kind, due_on=due_on)
            for kind, due_on in insats_rules.default_report_schedule(
                insats.starts_on, insats.ends_on
            )
        ]
    )
    audit.log(insats, "insats.created", actor=by, to_state=insats.status)
    return insats


@transaction.atomic
def insats_set_agreement(*, insats: Insats, signed_on: date, by: User) -> Insats:
    """Record the day the förbund and the huvudman signed the agreement (avtal)."""
    _require_office(by)
    locked = _lock(insats)
    if signed_on > timezone.localdate():
        _refuse("Avtalsdatumet kan inte ligga i framtiden.", "future")
    previous = locked.agreement_signed_on
    locked.agreement_signed_on = signed_on
    locked.save(update_fields=["agreement_signed_on"])
    audit.log(
        locked,
        "insats.agreement_signed",
        actor=by,
        comment=f"Avtal undertecknat {signed_on:%Y-%m-%d}"
        + (f" (tidigare {previous:%Y-%m-%d})" if previous else ""),
    )
    return locked


@transaction.atomic
def insats_close(*, insats: Insats, by: User) -> Insats:
    """Close an insats; refused while payment requests wait for attestation or payment."""
    _require_office(by)
    locked = _lock(insats)
    if locked.status != insats_rules.ONGOING:
        _refuse("Insatsen är redan avslutad.")
    waiting = locked.payment_requests.filter(
        status__in=[insats_rules.REQUESTED, insats_rules.ATTESTED]
    ).count()
    if waiting:
        _refuse(
            f"{waiting} rekvisition(er) väntar på attest eller utbetalning. Hantera dem innan "
            "insatsen avslutas."
        )
    now = timezone.now()
    Insats.objects.filter(pk=locked.pk).update(status=insats_rules.CLOSED, closed_at=now)
    locked.status, locked.closed_at = insats_rules.CLOSED, now
    audit.log(
        locked,
        "insats.closed",
        actor=by,
        from_state=insats_rules.ONGOING,
        to_state=insats_rules.CLOSED,
    )
    return locked


# Payment requests.


def counted_kr(insats: Insats, year: int) -> int:
    """Return what is requested, attested or paid for `year` (denied requests do not count)."""
    total = insats.payment_requests.filter(
        year=year, status__in=insats_rules.COUNTED_STATES
    ).aggregate(total=Sum("amount_kr"))["total"]
    return total or 0


def granted_kr(insats: Insats, year: int) -> int:
    row = insats.granted_amounts.filter(year=year).first()
    return row.amount_kr if row else 0


@transaction.atomic
def payment_request_create(
    *, insats: Insats, year: int, amount_kr: int, description: str, by: User
) -> PaymentRequest:
    """The lead party's staff request granted money for a year; never more than is left."""
    locked = _lock(insats)
    if not permissions.can_request_payment(by, locked):
        _refuse(
            f"Bara handläggare hos huvudmannen ({locked.lead_party}) kan rekvirera medel, och "
            "bara medan insatsen pågår."
        )
    if not description.strip():
        _refuse("Skriv vad rekvisitionen avser.", "no_description")
    problem = insats_rules.payment_problem(
        year=year,
        amount_kr=amount_kr,
        granted_kr=granted_kr(locked, year),
        counted_kr=counted_kr(locked, year),
    )
    if problem:
        _refuse(problem, "over_grant")
    request = PaymentRequest(
        insats=locked,
        year=year,
        amount_kr=amount_kr,
        description=description.strip(),
        requested_by=by,
    )
    request.full_clean()
    request.save()
    audit.log(
        locked,
        "insats.payment_requested",
        actor=by,
        to_state=request.status,
        comment=f"{year}: {amount_kr} kr – {request.description}",
        data={"payment_request": request.pk},
    )
    pk = request.pk
    transaction.on_commit(lambda: tasks_insats.notify_payment_requested.delay(pk))
    return request


def _move_payment(request: PaymentRequest, action: str, by: User, comment="", **extra):
    _require_office(by)
    _lock(request.insats)
    locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    transition = insats_rules.payment_transition_for(action, locked.status)
    PaymentRequest.objects.filter(pk=locked.pk, status=transition.source).update(
        status=transition.target, **extra
    )
    locked.refresh_from_db()
    audit.log(
        locked.insats,
        f"insats.payment_{action}",
        actor=by,
        from_state=transition.source,
        to_state=transition.target,
        comment=comment or f"Rekvisition {locked.year}: {locked.amount_kr} kr",
        data={"payment_request": locked.pk},
    )
    return locked


@transaction.atomic
def payment_request_attest(*, request: PaymentRequest, by: User) -> PaymentRequest:
    return _move_payment(request, "attest", by, attested_by=by, attested_at=timezone.now())


@transaction.atomic
def payment_request_deny(*, request: PaymentRequest, reason: str, by: User) -> PaymentRequest:
    """Send a request back with a reason; its amount no longer counts against the grant."""
    if not reason.strip():
        _refuse("Skriv varför rekvisitionen avvisas.", "no_reason")
    denied = _move_payment(
        request, "deny", by, comment=reason.strip(), denied_reason=reason.strip()
    )
    pk = denied.pk
    transaction.on_commit(lambda: tasks_insats.notify_payment_denied.delay(pk))
    return denied


@transaction.atomic
def payment_request_mark_paid(
    *, request: PaymentRequest, paid_on: date, by: User
) -> PaymentRequest:
    if paid_on > timezone.localdate():
        _refuse("Utbetalningsdatumet kan inte ligga i framtiden.", "future")
    return _move_payment(request, "mark_paid", by, paid_on=paid_on)


# Reports.


@transaction.atomic
def report_add(*, insats: Insats, kind: str, due_on: date, by: User) -> Report:
    """The kansli asks for one more report with a due date."""
    _require_office(by)
    locked = _lock(insats)
    report = Report(insats=locked, kind=kind, due_on=due_on)
    report.full_clean()
    report.save()
    audit.log(
        locked,
        "insats.report_requested",
        actor=by,
        comment=f"{report.get_kind_display()} senast {due_on:%Y-%m-%d}",
    )
    return report


@transaction.atomic
def report_submit(*, report: Report, text: str, by: User, upload=None) -> Report:
    """The lead party's staff hand in a report: text and, if they like, one attachment.

    The attachment passes the same checks as an application's: at most 10 MB, type by content.
    """
    _lock(report.insats)
    locked = Report.objects.select_for_update().select_related("insats").get(pk=report.pk)
    if not permissions.can_submit_report(by, locked):
        if locked.submitted:
            _refuse("Rapporten är redan inlämnad.")
        _refuse(f"Bara handläggare hos huvudmannen ({locked.insats.lead_party}) lämnar rapporten.")
    if not text.strip():
        _refuse("Skriv rapporten innan du lämnar in den.", "no_text")
    if upload is not None:
        if upload.size > rules.MAX_ATTACHMENT_BYTES:
            _refuse("Filen är större än 10 MB och kan inte bifogas.", "too_large")
        try:
            kind = filetypes.detect(upload)
        except filetypes.UnsupportedFile as error:
            _refuse(str(error), "unsupported_type")
        name = (upload.name or "bilaga").replace("/", "_").replace("\\", "_")[-200:]
        locked.attachment_name = name
        locked.attachment_type = kind.content_type
        locked.attachment_extension = kind.extension
        locked.attachment.save(name, upload, save=False)
    locked.text = text.strip()
    locked.submitted_by, locked.submitted_at = by, timezone.now()
    locked.full_clean()
    locked.save()
    audit.log(
        locked.insats,
        "insats.report_submitted",
        actor=by,
        comment=f"{locked.get_kind_display()} (senast {locked.due_on:%Y-%m-%d}) inlämnad.",
        data={"report": locked.pk},
    )
    return locked


def report_reminder_record(*, report: Report, kind: str, recipients: list[str]) -> bool:
    """Record that reminder `kind` about `report` goes out; False if it already has.

    Call inside transaction.atomic, before sending: the unique (report, kind) row makes a second
    run, or two workers at once, send nothing.
    """
    try:
        with transaction.atomic():
            ReportReminder.objects.create(report=report, kind=kind, recipients=recipients)
    except IntegrityError:
        return False
    return True
