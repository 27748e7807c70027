import pytest

from finsam.audit import events_for, log
from tests.factories import PartyFactory, UserFactory


@pytest.mark.django_db
def test_log_records_actor_and_states():
    party = PartyFactory()
    actor = UserFactory()
    log(party, "party.changed", actor=actor, from_state="a", to_state="b", data={"x": 1})
    [event] = events_for(party)
    assert (event.action, event.actor, event.from_state, event.to_state, event.data) == (
        "party.changed",
        actor,
        "a",
        "b",
        {"x": 1},
    )
    assert list(events_for(PartyFactory())) == []
