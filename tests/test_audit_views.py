import pytest
from django.urls import reverse

from finsam.audit import log
from tests.factories import BoardSeatFactory, PartyFactory, RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _user(role, with_mfa):
    user = UserFactory()
    if role == "office":
        RoleAssignmentFactory(user=user, role="office", party=None)
    elif role == "board":
        BoardSeatFactory(user=user)
    elif role in {"auditor", "party_staff"}:
        RoleAssignmentFactory(user=user, role=role)
    return with_mfa(user)


@pytest.mark.parametrize(
    ("role", "status"),
    [("office", 200), ("auditor", 200), ("board", 403), ("party_staff", 403), ("anonymous", 302)],
)
def test_who_reads_the_audit_trail(client, with_mfa, role, status):
    if role != "anonymous":
        client.force_login(_user(role, with_mfa))
    assert client.get(reverse("event_list")).status_code == status
    assert client.get(reverse("event_list") + "?format=csv").status_code == status


def test_events_are_listed_newest_first_and_filtered(client, with_mfa):
    actor = _user("office", with_mfa)
    party = PartyFactory(name="Kumla kommun")
    log(party, "party.updated", actor=actor, comment="Nytt org.nr")
    log(party, "contribution.paid", actor=actor, from_state="invoiced", to_state="paid")
    client.force_login(actor)
    html = client.get(reverse("event_list")).content.decode()
    assert html.index("contribution.paid") < html.index("party.updated")
    html = client.get(reverse("event_list"), {"area": "party"}).content.decode()
    assert "party.updated" in html and "contribution.paid" not in html
    html = client.get(reverse("event_list"), {"area": "contribution"}).content.decode()
    assert "contribution.paid" in html and "party.updated" not in html


def test_bad_date_range_is_explained(client, with_mfa):
    client.force_login(_user("auditor", with_mfa))
    response = client.get(reverse("event_list"), {"since": "2026-05-01", "until": "2026-01-01"})
    assert "Slutdatumet ligger före startdatumet." in response.content.decode()


def test_csv_neutralises_formulas(client, with_mfa):
    actor = _user("office", with_mfa)
    log(PartyFactory(), "party.updated", actor=actor, comment='=HYPERLINK("http://x","y")')
    client.force_login(actor)
    body = client.get(reverse("event_list") + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ";=HYPERLINK" not in body


def test_query_count_does_not_grow_with_events(client, with_mfa):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = _user("office", with_mfa)
    party = PartyFactory()
    client.force_login(actor)
    client.get(reverse("event_list"))  # warm per-process caches (content types, menu)
    sizes = []
    for count in (3, 60):
        for index in range(count):
            log(party, "party.updated", actor=actor, comment=str(index))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("event_list"))
        sizes.append(len(captured))
    assert sizes[0] == sizes[1]


def test_audit_trail_is_read_only_in_the_admin(admin_client):
    log(PartyFactory(), "party.updated")
    response = admin_client.get(reverse("admin:finsam_event_add"))
    assert response.status_code == 403


def test_every_logged_action_falls_in_an_area(demo):
    """The area filter covers what the services log: no area is empty by mistake."""
    from finsam.audit_views import AREAS
    from finsam.models import Event

    prefixes = {action.split(".")[0] for action in Event.objects.values_list("action", flat=True)}
    covered = {prefix for _, (_, area) in AREAS.items() for prefix in area}
    assert prefixes, "the demo logs events"
    assert prefixes <= covered, prefixes - covered
