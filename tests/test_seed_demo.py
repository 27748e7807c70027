import pytest
from django.core.management import call_command

from forbund.models import BoardSeat, Party, RoleAssignment, User
from forbund.permissions import roles_of


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_data(capsys):
    """seed_demo is safe to run twice and prints one login per role."""
    call_command("seed_demo")
    out = capsys.readouterr().out
    counts = (
        User.objects.count(),
        Party.objects.count(),
        BoardSeat.objects.count(),
        RoleAssignment.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        User.objects.count(),
        Party.objects.count(),
        BoardSeat.objects.count(),
        RoleAssignment.objects.count(),
    )
    for email in [
        "kansli@demo.se",
        "styrelse@demo.se",
        "ledamot@demo.se",
        "part@demo.se",
        "part2@demo.se",
        "revisor@demo.se",
    ]:
        assert email in out
    assert "finsam-demo" in out


@pytest.mark.django_db
def test_demo_logins_hold_their_roles(demo):
    assert roles_of(demo["kansli@demo.se"]).office
    chair = roles_of(demo["styrelse@demo.se"])
    assert chair.board and chair.chair
    assert roles_of(demo["ledamot@demo.se"]).board
    kumla = Party.objects.get(name="Kumla kommun")
    af = Party.objects.get(name="Arbetsförmedlingen")
    assert roles_of(demo["part@demo.se"]).staff_parties == {kumla.pk}
    assert roles_of(demo["part2@demo.se"]).staff_parties == {af.pk}
    assert roles_of(demo["revisor@demo.se"]).auditor
    assert demo["part@demo.se"].check_password("finsam-demo")
