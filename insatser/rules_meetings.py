"""The policy for board meetings and decisions as plain functions and constants: no ORM.

A meeting (sammanträde) is planned by the kansli, the notice (kallelse) goes out, the secretary
records each decision, closes the minutes (protokoll) for approval, and the ordförande and the
chosen justerare each approve them (justering). Decisions take effect when every one of them has.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from finsam.templatetags.finsam import format_kr

# Meeting states (Meeting.status).
PLANNED = "planerat"
NOTICE_SENT = "kallat"
MINUTES_READY = "for_justering"
APPROVED = "justerat"

MEETING_STATE_LABELS = {
    PLANNED: "Planerat",
    NOTICE_SENT: "Kallelse skickad",
    MINUTES_READY: "Protokoll för justering",
    APPROVED: "Protokoll justerat",
}

# Who takes a meeting transition.
OFFICE = "office"
SIGNERS = "signers"  # the ordförande and the justerare, all of them


@dataclass(frozen=True)
class MeetingTransition:
    action: str
    source: str
    target: str
    actor: str
    label: str


MEETING_TRANSITIONS: tuple[MeetingTransition, ...] = (
    MeetingTransition("send_notice", PLANNED, NOTICE_SENT, OFFICE, "Skicka kallelsen"),
    MeetingTransition("send_notice", NOTICE_SENT, NOTICE_SENT, OFFICE, "Skicka kallelsen igen"),
    MeetingTransition(
        "finalise_minutes", NOTICE_SENT, MINUTES_READY, OFFICE, "Lämna protokollet för justering"
    ),
    MeetingTransition("reopen_minutes", MINUTES_READY, NOTICE_SENT, OFFICE, "Öppna protokollet"),
    MeetingTransition("approve_minutes", MINUTES_READY, APPROVED, SIGNERS, "Justera protokollet"),
)

_MEETING_BY_ACTION_AND_SOURCE = {(t.action, t.source): t for t in MEETING_TRANSITIONS}

_MEETING_ACTION_NAMES = {
    "send_notice": "få en kallelse skickad",
    "finalise_minutes": "lämnas för justering",
    "reopen_minutes": "öppnas igen",
    "approve_minutes": "justeras",
}


def meeting_transition_for(action: str, source: str) -> MeetingTransition:
    """Return the transition `action` takes a meeting in `source` through, or refuse in Swedish."""
    transition = _MEETING_BY_ACTION_AND_SOURCE.get((action, source))
    if transition is None:
        state = MEETING_STATE_LABELS.get(source, source).lower()
        what = _MEETING_ACTION_NAMES.get(action, action)
        raise ValidationError(
            f"Ett sammanträde med status ”{state}” kan inte {what}. Ingenting har ändrats.",
            code="transition_not_allowed",
        )
    return transition


# The states in which the agenda may change: before the minutes are closed.
AGENDA_OPEN_STATES = frozenset({PLANNED, NOTICE_SENT})
# The states in which decisions are recorded: the meeting has been called.
RECORDING_STATES = frozenset({NOTICE_SENT})
# The states board members read: from the notice on.
BOARD_VISIBLE_STATES = frozenset({NOTICE_SENT, MINUTES_READY, APPROVED})

MAX_ADJUSTERS = 2

# Decision states (Decision.status).
PENDING = "vantar_justering"
IN_FORCE = "gallande"
LAPSED = "forfallet"

DECISION_STATE_LABELS = {
    PENDING: "Väntar på justering",
    IN_FORCE: "Gäller",
    LAPSED: "Förfallet",
}

GRANT = "bevilja"
REJECT = "avsla"


def money_refusal(year: int, available_kr: int, committed_kr: int, asked_kr: int) -> str:
    """Return the Swedish refusal for a grant that does not fit the year's money."""
    left = max(available_kr - committed_kr, 0)
    return (
        f"Beviljandet ryms inte i {year} års medel för insatser: {format_kr(left)} återstår "
        f"(tillgängligt {format_kr(available_kr)}, redan beviljat {format_kr(committed_kr)}), "
        f"men beslutet gäller {format_kr(asked_kr)} för {year}. Ingenting har ändrats."
    )


def money_problems(
    amounts: dict[int, int], available: dict[int, int], committed: dict[int, int]
) -> list[str]:
    """Return one refusal per year in which `amounts` would take the granted total too high."""
    problems = []
    for year, amount in sorted(amounts.items()):
        if amount <= 0:
            continue
        if committed.get(year, 0) + amount > available.get(year, 0):
            problems.append(
                money_refusal(year, available.get(year, 0), committed.get(year, 0), amount)
            )
    return problems


def delegation_problem(total_kr: int, limit_kr: int) -> str:
    """Return why the förbundschef may not decide a grant of `total_kr` on delegation, or ""."""
    if limit_kr <= 0:
        return (
            "Förbundet har ingen delegationsgräns för förbundschefen: bara styrelsen kan "
            "bevilja medel."
        )
    if total_kr > limit_kr:
        return (
            f"Beviljandet på {format_kr(total_kr)} är över delegationsgränsen på "
            f"{format_kr(limit_kr)}. Lägg förslaget på ett sammanträde så att styrelsen beslutar."
        )
    return ""


def amounts_problem(outcome: str, amounts: dict[int, int], period_years: list[int]) -> str:
    """Return why the amounts of a decision are wrong, or ""."""
    if outcome == REJECT:
        return ""
    if any(amount < 0 for amount in amounts.values()):
        return "Ett belopp kan inte vara negativt."
    if not any(amounts.values()):
        return "Ett beslut att bevilja måste ha ett belopp för minst ett år."
    for year in amounts:
        if period_years and year not in period_years:
            first, last = period_years[0], period_years[-1]
            span = str(first) if first == last else f"{first}–{last}"
            return f"Året {year} ligger utanför insatsens period ({span})."
    return ""
