"""The policy for applications as plain functions and constants: no ORM, no models.

The form, the service, the admin and the import all call these, so a rule has one wording.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from forbund.rules import count_distinct_parties

# Application states (the values stored in Application.status).
DRAFT = "utkast"
SUBMITTED = "inskickad"
IN_PREPARATION = "under_beredning"
COMPLETION_REQUESTED = "komplettering"
PROPOSED = "forslag"
GRANTED = "beviljad"
REJECTED = "avslagen"
WITHDRAWN = "atertagen"

STATE_LABELS = {
    DRAFT: "Utkast",
    SUBMITTED: "Inskickad",
    IN_PREPARATION: "Under beredning",
    COMPLETION_REQUESTED: "Komplettering begärd",
    PROPOSED: "Förslag till beslut",
    GRANTED: "Beviljad",
    REJECTED: "Avslagen",
    WITHDRAWN: "Återtagen",
}

# Kinds of insats.
INDIVIDUAL = "individinriktad"
STRUCTURAL = "strukturell"

# Answers of a co-applying party.
INVITED = "inbjuden"
CONFIRMED = "bekraftad"
DECLINED = "avbojd"

# Who takes a transition.
APPLICANT = "applicant"  # staff of the lead party
OFFICE = "office"  # förbundschef/kansli
BOARD = "board"  # set by the board-decision work

# The states in which the applying parties may change the content.
EDITABLE_STATES = frozenset({DRAFT, COMPLETION_REQUESTED})
# The states before a decision, in which the applicant may withdraw.
OPEN_STATES = frozenset({DRAFT, SUBMITTED, IN_PREPARATION, COMPLETION_REQUESTED, PROPOSED})
# The states the kansli works in.
PREPARATION_STATES = frozenset({SUBMITTED, IN_PREPARATION, COMPLETION_REQUESTED, PROPOSED})
# The states the board reads.
DECIDED_STATES = frozenset({GRANTED, REJECTED})


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    actor: str
    label: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", DRAFT, SUBMITTED, APPLICANT, "Skicka in"),
    Transition("submit", COMPLETION_REQUESTED, SUBMITTED, APPLICANT, "Skicka in kompletteringen"),
    Transition("start_preparation", SUBMITTED, IN_PREPARATION, OFFICE, "Påbörja beredning"),
    Transition(
        "request_completion", SUBMITTED, COMPLETION_REQUESTED, OFFICE, "Begär komplettering"
    ),
    Transition(
        "request_completion", IN_PREPARATION, COMPLETION_REQUESTED, OFFICE, "Begär komplettering"
    ),
    Transition("propose", IN_PREPARATION, PROPOSED, OFFICE, "Skriv förslag till beslut"),
    Transition("reopen", PROPOSED, IN_PREPARATION, OFFICE, "Återta förslaget för ny beredning"),
    Transition("grant", PROPOSED, GRANTED, BOARD, "Bevilja"),
    Transition("reject", PROPOSED, REJECTED, BOARD, "Avslå"),
    Transition("grant_delegated", PROPOSED, GRANTED, OFFICE, "Bevilja på delegation"),
    *(
        Transition("withdraw", state, WITHDRAWN, APPLICANT, "Återta ansökan")
        for state in (DRAFT, SUBMITTED, IN_PREPARATION, COMPLETION_REQUESTED, PROPOSED)
    ),
)

_BY_ACTION_AND_SOURCE = {(t.action, t.source): t for t in TRANSITIONS}


def transition_for(action: str, source: str) -> Transition:
    """Return the transition `action` takes from `source`, or refuse in Swedish."""
    transition = _BY_ACTION_AND_SOURCE.get((action, source))
    if transition is None:
        raise ValidationError(refusal_message(action, source), code="transition_not_allowed")
    return transition


def allowed_actions(source: str, actor: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source and t.actor == actor]


_ACTION_NAMES = {
    "submit": "skickas in",
    "start_preparation": "tas upp för beredning",
    "request_completion": "få en begäran om komplettering",
    "propose": "få ett förslag till beslut",
    "reopen": "tas tillbaka till beredning",
    "grant": "beviljas",
    "reject": "avslås",
    "grant_delegated": "beviljas på delegation",
    "withdraw": "återtas",
}


def refusal_message(action: str, source: str) -> str:
    state = STATE_LABELS.get(source, source).lower()
    what = _ACTION_NAMES.get(action, action)
    return f"En ansökan med status ”{state}” kan inte {what}. Ingenting har ändrats."


# The law: an insats needs at least two parties, and several kommuner (or regions) are one.
TWO_PARTIES_EXPLANATION = (
    "En ansökan måste stå på minst två parter av olika slag: Försäkringskassan, "
    "Arbetsförmedlingen, regionen och kommunerna. Flera kommuner räknas som en part, och flera "
    "regioner som en part. Kumla kommun tillsammans med Arbetsförmedlingen räcker alltså, men "
    "Askersund och Kumla ensamma gör det inte. Huvudmannen räknas som bekräftad; varje "
    "medsökande part bekräftar själv sitt deltagande."
)
TWO_PARTIES_REFUSAL = (
    "Ansökan kan inte skickas in: de parter som har bekräftat den är inte minst två olika "
    "parter. Flera kommuner räknas som en part, och flera regioner som en part. Bjud in "
    "Försäkringskassan, Arbetsförmedlingen, regionen eller en kommun (om huvudmannen inte är "
    "en kommun) och vänta på att de bekräftar."
)


def has_two_parties(confirmed_kinds: Iterable[str]) -> bool:
    return count_distinct_parties(confirmed_kinds) >= 2


def require_two_parties(confirmed_kinds: Iterable[str]) -> None:
    """Refuse unless the confirmed parties (lead party included) are two parties in law."""
    if not has_two_parties(confirmed_kinds):
        raise ValidationError(TWO_PARTIES_REFUSAL, code="two_parties")


# Budget lines the förbund may not pay: individual benefits and authority over individuals.
_BENEFIT_PATTERNS = (
    (r"buss-?kort|månadskort|resekort|periodkort|färdbevis", "resor för enskilda (busskort)"),
    (r"milersättning|bilersättning|reseersättning|resebidrag", "reseersättning till enskilda"),
    (
        r"ersättning\s+(vid|för|under)\s+arbetsträning|arbetsträningsersättning"
        r"|habiliteringsersättning|deltagarersättning|ersättning\s+till\s+deltagare",
        "ersättning till deltagare (t.ex. vid arbetsträning)",
    ),
    (r"tolk", "tolkkostnader för enskilda"),
)


def individual_benefit_warning(description: str) -> str:
    """Return why a budget line may be an individual benefit the law forbids, or ""."""
    text = (description or "").lower()
    for pattern, reason in _BENEFIT_PATTERNS:
        if re.search(pattern, text):
            return (
                f"Kan vara en individuell förmån ({reason}). Förbundet får inte betala "
                "individuella ersättningar; kansliet granskar raden."
            )
    return ""


def format_case_number(year: int, seq: int) -> str:
    """Return the diarienummer `2026-014`: year, hyphen, at least three digits."""
    return f"{year}-{seq:03d}"


# Attachments.
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_HELP = "PDF, Word, Excel, OpenDocument eller bild (PNG, JPEG, GIF), högst 10 MB."


def budget_year_problem(year: int, period_years: list[int]) -> str:
    """Return why `year` does not fit the application's period, or ""."""
    if period_years and year not in period_years:
        first, last = period_years[0], period_years[-1]
        span = str(first) if first == last else f"{first}–{last}"
        return f"Året {year} ligger utanför insatsens period ({span})."
    return ""


REQUIRED_FOR_SUBMISSION = (
    ("title", "Namn på insatsen"),
    ("background", "Bakgrund och behov"),
    ("purpose", "Syfte"),
    ("goals", "Mätbara mål"),
    ("target_group", "Målgrupp"),
    ("method", "Metod och aktiviteter"),
    ("starts_on", "Startdatum"),
    ("ends_on", "Slutdatum"),
    ("follow_up_plan", "Uppföljning och utvärdering"),
    ("contact_name", "Kontaktperson"),
    ("contact_email", "Kontaktpersonens e-post"),
)


def missing_for_submission(content: dict) -> list[str]:
    """Return what must be filled in before the application described by `content` is sent."""
    fields = content.get("fields", {})
    missing = [f"{label} saknas." for key, label in REQUIRED_FOR_SUBMISSION if not fields.get(key)]
    if fields.get("kind") == INDIVIDUAL and not fields.get("planned_participants"):
        missing.append("Planerat antal deltagare saknas (krävs för en individinriktad insats).")
    if not content.get("budget"):
        missing.append("Budgeten saknas: lägg till minst en budgetrad.")
    return missing


def require_complete(content: dict) -> None:
    missing = missing_for_submission(content)
    if missing:
        raise ValidationError(
            ["Ansökan är inte komplett och kan inte skickas in:", *missing], code="incomplete"
        )


# Versions and what changed between them.
FIELD_LABELS = {
    "title": "Namn på insatsen",
    "kind": "Typ av insats",
    "background": "Bakgrund och behov",
    "purpose": "Syfte",
    "goals": "Mätbara mål",
    "target_group": "Målgrupp",
    "planned_participants": "Planerat antal deltagare",
    "method": "Metod och aktiviteter",
    "starts_on": "Startdatum",
    "ends_on": "Slutdatum",
    "follow_up_plan": "Uppföljning och utvärdering",
    "contact_name": "Kontaktperson",
    "contact_email": "Kontaktpersonens e-post",
    "contact_phone": "Kontaktpersonens telefon",
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    return str(value)


def _put(flat: dict[str, str], label: str, value: str) -> None:
    """Add `label`, numbering repeats so two equal budget lines both count."""
    key, number = label, 2
    while key in flat:
        key, number = f"{label} ({number})", number + 1
    flat[key] = value


def flatten_content(content: dict) -> dict[str, str]:
    """Return a snapshot (see services.application_content) as label → printable value."""
    flat: dict[str, str] = {}
    for key, label in FIELD_LABELS.items():
        value = content.get("fields", {}).get(key)
        if key == "kind":
            value = {INDIVIDUAL: "Individinriktad", STRUCTURAL: "Strukturövergripande"}.get(
                value, value
            )
        flat[label] = _text(value)
    for party in content.get("co_applicants", []):
        flat[f"Medsökande {party['party']}"] = party["status"]
    for line in content.get("budget", []):
        label = f"Budget {line['year']}, {line['category']}: {line['description']}"
        _put(flat, label, f"{line['amount_kr']} kr")
    for row in content.get("co_funding", []):
        label = (
            f"Medfinansiering {row['year']}, {row['party']} ({row['kind']}): {row['description']}"
        )
        _put(flat, label, f"{row['amount_kr']} kr")
    for attachment in content.get("attachments", []):
        flat[f"Bilaga {attachment}"] = "bifogad"
    return flat


def diff_contents(old: dict, new: dict) -> list[Change]:
    """Return the field-level changes from snapshot `old` to snapshot `new`."""
    before, after = flatten_content(old), flatten_content(new)
    changes = []
    for label in list(before) + [label for label in after if label not in before]:
        old_value, new_value = before.get(label, "–"), after.get(label, "–")
        if old_value != new_value:
            changes.append(Change(label, old_value, new_value))
    return changes
