import pytest
from django.core.management import call_command

from finsam.start import todos_for
from insatser import rules
from insatser.models import Application


@pytest.mark.django_db
def test_demo_has_applications_in_every_state_up_to_a_proposal(demo):
    """seed_demo gives the demo parties applications in every state up to förslag till beslut."""
    states = set(Application.objects.values_list("status", flat=True))
    assert {
        rules.DRAFT,
        rules.SUBMITTED,
        rules.IN_PREPARATION,
        rules.COMPLETION_REQUESTED,
        rules.PROPOSED,
        rules.WITHDRAWN,
    } <= states
    leads = set(Application.objects.values_list("lead_party__name", flat=True))
    assert {"Kumla kommun", "Arbetsförmedlingen"} <= leads
    assert Application.objects.filter(
        lead_party__name="Arbetsförmedlingen", co_applicants__party__name="Kumla kommun"
    ).exists()
    count = Application.objects.count()
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    assert Application.objects.count() == count


@pytest.mark.django_db
def test_demo_logins_have_something_to_do(demo):
    texts = {email: [t.text for t in todos_for(demo[email])] for email in demo}
    assert "Inbjudningar att bekräfta eller avböja" in texts["part2@demo.se"]
    assert "Ansökningar där kansliet begär komplettering" in texts["part@demo.se"]
    assert "Inskickade ansökningar att ta upp för beredning" in texts["kansli@demo.se"]
    assert "Förslag till beslut att läsa" in texts["styrelse@demo.se"]
