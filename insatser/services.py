"""Every write to an application: content, parties, attachments and each workflow step.

Each service locks the application row, checks the rule in `rules.py`, writes the change and an
audit event in one transaction, and queues e-mail with `transaction.on_commit`. A refusal raises
`ValidationError` with a Swedish message and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from finsam import audit
from forbund.models import Party, User
from forbund.permissions import roles_of

from . import filetypes, permissions, rules, tasks
from .models import (
    Application,
    ApplicationVersion,
    Attachment,
    BudgetLine,
    CaseNumberCounter,
    CoApplicant,
    CoFunding,
    Comment,
    CompletionRequest,
    Proposal,
    ProposalAmount,
)

CONTENT_FIELDS = (
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
)


def _lock(application: Application) -> Application:
    """Return the application re-read with its row locked. Call inside transaction.atomic."""
    return (
        Application.objects.select_for_update().select_related("lead_party").get(pk=application.pk)
    )


def _refuse(message: str, code: str = "not_allowed"):
    raise ValidationError(message, code=code)


def application_content(application: Application) -> dict:
    """Return the application's content as a JSON-ready snapshot (what a version keeps)."""
    fields = {}
    for name in CONTENT_FIELDS:
        value = getattr(application, name)
        fields[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return {
        "fields": fields,
        "lead_party": application.lead_party.name,
        "co_applicants": [
            {"party": c.party.name, "kind": c.party.kind, "status": c.get_status_display()}
            for c in application.co_applicants.select_related("party").order_by("party__name")
        ],
        "budget": [
            {
                "year": line.year,
                "category": line.get_category_display(),
                "description": line.description,
                "amount_kr": line.amount_kr,
            }
            for line in application.budget_lines.order_by("year", "category", "pk")
        ],
        "co_funding": [
            {
                "year": row.year,
                "party": row.party.name,
                "kind": row.get_kind_display(),
                "description": row.description,
                "amount_kr": row.amount_kr,
            }
            for row in application.co_funding.select_related("party").order_by("year", "pk")
        ],
        "attachments": [a.original_name for a in application.attachments.order_by("pk")],
    }


def confirmed_party_kinds(application: Application) -> list[str]:
    """Return the kinds of the parties that stand behind the application, lead party included."""
    kinds = [application.lead_party.kind]
    kinds += application.co_applicants.filter(status=rules.CONFIRMED).values_list(
        "party__kind", flat=True
    )
    return kinds


def _log_edit(application: Application, before: dict, by: User, what: str) -> None:
    """Record an edit after submission with what changed, field by field."""
    if not application.was_submitted:
        return
    changes = rules.diff_contents(before, application_content(application))
    if changes:
        audit.log(
            application,
            "application.edited",
            actor=by,
            comment=what,
            data={"changes": [[c.label, c.old, c.new] for c in changes]},
        )


def _require_editable(application: Application, by: User) -> None:
    if application.status not in rules.EDITABLE_STATES:
        _refuse(
            "Ansökan kan bara ändras som utkast eller när kansliet har begärt komplettering. "
            "Ingenting har ändrats.",
            "not_editable",
        )
    if not permissions.can_edit_application(by, application):
        _refuse("Du får inte ändra den här ansökan.")


# Content.


@transaction.atomic
def application_create(*, lead_party: Party, by: User, **fields) -> Application:
    """Start a draft led by `lead_party`; `by` must work for that party."""
    if lead_party.pk not in roles_of(by).staff_parties:
        _refuse("Du kan bara skriva ansökningar för en part du arbetar för.")
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Okända fält: {sorted(unknown)}")
    application = Application(lead_party=lead_party, created_by=by, **fields)
    application.full_clean()
    application.save()
    audit.log(application, "application.created", actor=by, to_state=application.status)
    return application


@transaction.atomic
def application_update(*, application: Application, by: User, **fields) -> Application:
    """Change the content fields of an open application."""
    locked = _lock(application)
    _require_editable(locked, by)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Okända fält: {sorted(unknown)}")
    before = application_content(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    problems = [
        rules.budget_year_problem(line.year, locked.period_years())
        for line in locked.budget_lines.all()
    ]
    problems = [problem for problem in problems if problem]
    if problems:
        _refuse(f"Perioden passar inte budgeten: {problems[0]} Ändra budgeten först.")
    locked.save()
    _log_edit(locked, before, by, "Uppgifterna ändrades.")
    return locked


def _check_rows(application: Application, rows: list[dict], model) -> None:
    years = application.period_years()
    for row in rows:
        problem = rules.budget_year_problem(row["year"], years)
        if problem:
            _refuse(problem, "year_outside_period")
        model(application=application, **row).full_clean(exclude=["application"])


@transaction.atomic
def budget_replace(*, application: Application, lines: list[dict], by: User) -> Application:
    """Replace the budget with `lines` (dicts of year, category, description, amount_kr)."""
    locked = _lock(application)
    _require_editable(locked, by)
    _check_rows(locked, lines, BudgetLine)
    before = application_content(locked)
    locked.budget_lines.all().delete()
    BudgetLine.objects.bulk_create([BudgetLine(application=locked, **line) for line in lines])
    flagged = [
        line["description"]
        for line in lines
        if rules.individual_benefit_warning(line["description"])
    ]
    if flagged:
        audit.log(
            locked,
            "application.budget_flagged",
            actor=by,
            comment="Budgetrader som kan vara individuella förmåner: " + ", ".join(flagged),
            data={"lines": flagged},
        )
    _log_edit(locked, before, by, "Budgeten ändrades.")
    return locked


@transaction.atomic
def co_funding_replace(*, application: Application, rows: list[dict], by: User) -> Application:
    """Replace the parties' own contributions with `rows` (party, year, kind, description, kr)."""
    locked = _lock(application)
    _require_editable(locked, by)
    involved = {locked.lead_party_id} | set(
        locked.co_applicants.exclude(status=rules.DECLINED).values_list("party_id", flat=True)
    )
    for row in rows:
        if row["party"].pk not in involved:
            _refuse(f"{row['party']} står inte bakom ansökan och kan inte medfinansiera den.")
    _check_rows(locked, rows, CoFunding)
    before = application_content(locked)
    locked.co_funding.all().delete()
    CoFunding.objects.bulk_create([CoFunding(application=locked, **row) for row in rows])
    _log_edit(locked, before, by, "Medfinansieringen ändrades.")
    return locked


# Co-applying parties.


@transaction.atomic
def co_applicant_invite(*, application: Application, party: Party, by: User) -> CoApplicant:
    """Invite `party` to apply together; its staff are e-mailed once the invitation is saved."""
    locked = _lock(application)
    if not permissions.can_manage_parties(by, locked):
        _refuse("Bara huvudmannen kan bjuda in parter, och bara medan ansökan är öppen.")
    if party.pk == locked.lead_party_id:
        _refuse("Huvudmannen kan inte också vara medsökande.")
    existing = locked.co_applicants.filter(party=party).first()
    before = application_content(locked)
    if existing is not None:
        if existing.status != rules.DECLINED:
            _refuse(f"{party} är redan inbjuden.")
        existing.status = rules.INVITED
        existing.invited_by, existing.invited_at = by, timezone.now()
        existing.responded_by, existing.responded_at, existing.comment = None, None, ""
        existing.save()
        co_applicant = existing
    else:
        co_applicant = CoApplicant(application=locked, party=party, invited_by=by)
        co_applicant.full_clean()
        co_applicant.save()
    audit.log(
        locked,
        "application.party_invited",
        actor=by,
        comment=f"{party} bjöds in som medsökande.",
        data={"party": party.name},
    )
    _log_edit(locked, before, by, "Medsökande ändrades.")
    transaction.on_commit(lambda: tasks.send_co_applicant_invitation.delay(co_applicant.pk))
    return co_applicant


@transaction.atomic
def co_applicant_remove(*, co_applicant: CoApplicant, by: User) -> None:
    locked = _lock(co_applicant.application)
    if not permissions.can_manage_parties(by, locked):
        _refuse("Bara huvudmannen kan ta bort parter, och bara medan ansökan är öppen.")
    if locked.co_funding.filter(party_id=co_applicant.party_id).exists():
        _refuse(f"Ta först bort medfinansieringen från {co_applicant.party}.")
    before = application_content(locked)
    party = co_applicant.party
    co_applicant.delete()
    audit.log(
        locked,
        "application.party_removed",
        actor=by,
        comment=f"{party} togs bort som medsökande.",
        data={"party": party.name},
    )
    _log_edit(locked, before, by, "Medsökande ändrades.")


@transaction.atomic
def co_applicant_respond(
    *, co_applicant: CoApplicant, confirm: bool, comment: str, by: User
) -> CoApplicant:
    """Record the invited party's answer; only its own staff answer for it."""
    locked = _lock(co_applicant.application)
    current = CoApplicant.objects.select_for_update().get(pk=co_applicant.pk)
    if current.party_id not in roles_of(by).staff_parties:
        _refuse(f"Bara handläggare hos {current.party} kan svara för parten.")
    if locked.status not in rules.EDITABLE_STATES:
        _refuse("Ansökan är inte längre öppen för svar. Ingenting har ändrats.")
    if not confirm and not comment.strip():
        _refuse("Skriv varför parten avböjer, så att huvudmannen vet.")
    before = application_content(locked)
    previous = current.status
    current.status = rules.CONFIRMED if confirm else rules.DECLINED
    current.comment = comment.strip()
    current.responded_by, current.responded_at = by, timezone.now()
    current.save()
    audit.log(
        locked,
        "application.party_confirmed" if confirm else "application.party_declined",
        actor=by,
        from_state=previous,
        to_state=current.status,
        comment=current.comment,
        data={"party": current.party.name},
    )
    _log_edit(locked, before, by, "En medsökande part svarade.")
    return current


# Attachments.


@transaction.atomic
def attachment_add(
    *, application: Application, upload, by: User, description: str = ""
) -> Attachment:
    """Store `upload` (an UploadedFile) after checking its size and its content."""
    locked = _lock(application)
    _require_editable(locked, by)
    if upload.size > rules.MAX_ATTACHMENT_BYTES:
        _refuse("Filen är större än 10 MB och kan inte bifogas.", "too_large")
    try:
        kind = filetypes.detect(upload)
    except filetypes.UnsupportedFile as error:
        _refuse(str(error), "unsupported_type")
    before = application_content(locked)
    name = (upload.name or "bilaga").replace("/", "_").replace("\\", "_")[-200:]
    attachment = Attachment(
        application=locked,
        original_name=name,
        content_type=kind.content_type,
        extension=kind.extension,
        size=upload.size,
        description=description,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.log(
        locked,
        "application.attachment_added",
        actor=by,
        comment=f"Bilagan {name} lades till.",
        data={"attachment": name},
    )
    _log_edit(locked, before, by, "Bilagor ändrades.")
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    locked = _lock(attachment.application)
    _require_editable(locked, by)
    before = application_content(locked)
    name, stored = attachment.original_name, attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    audit.log(
        locked,
        "application.attachment_removed",
        actor=by,
        comment=f"Bilagan {name} togs bort.",
        data={"attachment": name},
    )
    _log_edit(locked, before, by, "Bilagor ändrades.")
    transaction.on_commit(lambda: storage.delete(stored))


# Workflow.


def _begin(application: Application, action: str, by: User):
    """Lock the row, find the transition from its state and check that `by` may take it."""
    locked = _lock(application)
    transition = rules.transition_for(action, locked.status)
    if transition.actor == rules.APPLICANT and not permissions.is_lead_staff(by, locked):
        _refuse(f"Bara huvudmannen ({locked.lead_party}) kan göra det.")
    if transition.actor == rules.OFFICE and not roles_of(by).office:
        _refuse("Bara förbundets kansli kan göra det.")
    return locked, transition


def _move(locked: Application, transition, by: User, comment: str = "", **extra) -> Application:
    """Change the state with a conditional UPDATE and record the event."""
    changed = Application.objects.filter(pk=locked.pk, status=transition.source).update(
        status=transition.target, updated_at=timezone.now(), **extra
    )
    if changed != 1:
        _refuse(rules.refusal_message(transition.action, locked.status), "concurrent_change")
    locked.status = transition.target
    for name, value in extra.items():
        setattr(locked, name, value)
    audit.log(
        locked,
        f"application.{transition.action}",
        actor=by,
        from_state=transition.source,
        to_state=transition.target,
        comment=comment,
    )
    return locked


def _next_case_seq(year: int) -> int:
    """Take the next diarienummer of `year`, locking that year's counter row until commit."""
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(year=year, last_number=0)], ignore_conflicts=True
    )
    counter = CaseNumberCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def application_submit(*, application: Application, by: User, answer: str = "") -> Application:
    """Send the application to the förbund (again, after a completion request).

    Needs complete content and confirmed parties of two kinds (the lead party counts). The first
    submission takes the next diarienummer of the year; each submission keeps a version.
    """
    locked, transition = _begin(application, "submit", by)
    content = application_content(locked)
    rules.require_complete(content)
    rules.require_two_parties(confirmed_party_kinds(locked))
    open_request = None
    if transition.source == rules.COMPLETION_REQUESTED:
        if not answer.strip():
            _refuse("Skriv ett svar på kansliets frågor innan du skickar in igen.", "no_answer")
        open_request = locked.completion_requests.filter(answered_at__isnull=True).last()
    extra = {}
    now = timezone.now()
    if not locked.was_submitted:
        year = timezone.localdate().year
        extra = {"case_year": year, "case_seq": _next_case_seq(year), "submitted_at": now}
    locked = _move(locked, transition, by, comment=answer.strip(), **extra)
    if open_request is not None:
        open_request.answer, open_request.answered_by = answer.strip(), by
        open_request.answered_at = now
        open_request.save()
    number = locked.versions.count() + 1
    ApplicationVersion.objects.create(
        application=locked, number=number, content=content, created_by=by, created_at=now
    )
    pk = locked.pk
    transaction.on_commit(lambda: tasks.notify_office_submitted.delay(pk))
    return locked


@transaction.atomic
def application_start_preparation(*, application: Application, by: User) -> Application:
    locked, transition = _begin(application, "start_preparation", by)
    return _move(locked, transition, by)


@transaction.atomic
def application_request_completion(
    *, application: Application, questions: str, by: User
) -> Application:
    """Send the kansli's questions back to the applicant; the content opens for edits."""
    locked, transition = _begin(application, "request_completion", by)
    if not questions.strip():
        _refuse("Skriv vad sökanden ska komplettera.", "no_questions")
    CompletionRequest.objects.create(
        application=locked, questions=questions.strip(), requested_by=by
    )
    locked = _move(locked, transition, by, comment=questions.strip())
    pk = locked.pk
    transaction.on_commit(lambda: tasks.notify_completion_requested.delay(pk))
    return locked


@transaction.atomic
def application_propose(
    *,
    application: Application,
    recommendation: str,
    reasoning: str,
    conditions: str,
    amounts: dict[int, int],
    by: User,
) -> Proposal:
    """Write the förslag till beslut: amounts per year, conditions and reasoning."""
    locked, transition = _begin(application, "propose", by)
    if not reasoning.strip():
        _refuse("Skriv en motivering till förslaget.", "no_reasoning")
    years = locked.period_years()
    for year, amount in amounts.items():
        problem = rules.budget_year_problem(year, years)
        if problem:
            _refuse(problem, "year_outside_period")
        if amount < 0:
            _refuse("Ett belopp kan inte vara negativt.")
    if recommendation == Proposal.Recommendation.GRANT and not any(amounts.values()):
        _refuse("Ett förslag att bevilja måste ha ett belopp för minst ett år.", "no_amount")
    if recommendation == Proposal.Recommendation.REJECT:
        amounts = {}
    Proposal.objects.filter(application=locked).delete()
    proposal = Proposal(
        application=locked,
        recommendation=recommendation,
        reasoning=reasoning.strip(),
        conditions=conditions.strip(),
        written_by=by,
    )
    proposal.full_clean()
    proposal.save()
    ProposalAmount.objects.bulk_create(
        [
            ProposalAmount(proposal=proposal, year=year, amount_kr=amount)
            for year, amount in sorted(amounts.items())
            if amount
        ]
    )
    _move(locked, transition, by, comment=proposal.get_recommendation_display())
    audit.log(
        locked,
        "application.proposal_written",
        actor=by,
        comment=proposal.reasoning,
        data={
            "recommendation": proposal.recommendation,
            "amounts": {str(year): amount for year, amount in sorted(amounts.items()) if amount},
            "conditions": proposal.conditions,
        },
    )
    return proposal


@transaction.atomic
def application_reopen(*, application: Application, by: User) -> Application:
    """Take a proposal back into preparation (it is kept until a new one is written)."""
    locked, transition = _begin(application, "reopen", by)
    return _move(locked, transition, by)


@transaction.atomic
def application_withdraw(*, application: Application, reason: str, by: User) -> Application:
    """The lead party withdraws the application; possible any time before a decision."""
    locked, transition = _begin(application, "withdraw", by)
    return _move(locked, transition, by, comment=reason.strip())


@transaction.atomic
def application_comment(*, application: Application, text: str, by: User) -> Comment:
    locked = _lock(application)
    if not permissions.can_comment(by, locked):
        _refuse("Du kan inte kommentera den här ansökan.")
    if not text.strip():
        _refuse("Kommentaren är tom.", "empty")
    comment = Comment.objects.create(application=locked, author=by, text=text.strip())
    audit.log(locked, "application.commented", actor=by, comment=comment.text)
    return comment
