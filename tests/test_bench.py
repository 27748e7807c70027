"""The `make bench` data generator at a tiny scale: its rows obey the rules, its counts follow the
scale, every page it times answers 200, and no page's query count grows with the data."""

import random
from collections import defaultdict
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext

from finsam import bench

SMALL, LARGER = 0.02, 0.05


class _Undo(Exception):
    """Raised to roll one generated dataset back, so the next one starts from an empty database."""


def _generate(scale: float, seed: int = 20261122) -> tuple[dict, list]:
    ctx: dict = {"scale": scale}
    rng = random.Random(seed)
    modules = [import_module(f"{app}.benchdata") for app in bench.APPS]
    for module in modules:
        module.generate(rng, ctx)
    return ctx, [page for module in modules for page in module.pages(ctx)]


def _query_counts(pages) -> dict[str, tuple[int, int]]:
    """Return each page's status and number of queries (after one request to warm caches)."""
    from forbund.models import User

    result = {}
    for page in pages:
        client = Client()
        client.force_login(User.objects.get(email=page.email))
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        result[page.label] = (response.status_code, len(queries))
    return result


def _counts() -> dict[str, int]:
    from insatser.models import Application, Insats, Meeting

    return {
        "applications": Application.objects.count(),
        "insatser": Insats.objects.count(),
        "meetings": Meeting.objects.count(),
    }


def _build_and_measure(scale: float, check=None) -> tuple[dict, dict]:
    """Generate at `scale`, measure every page, run `check(ctx)`, then roll it all back."""
    result = {}
    try:
        with transaction.atomic():
            ctx, pages = _generate(scale)
            result = (_counts(), _query_counts(pages))
            if check is not None:
                check(ctx)
            raise _Undo
    except _Undo:
        pass
    return result


@pytest.fixture
def bench_settings(settings, tmp_path):
    """As `make bench` runs: no MFA demand, quick hashing, files in a temporary folder."""
    settings.FINSAM_REQUIRE_MFA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def _check_rows(ctx) -> None:
    """The bulk-written rows are ones the services could have written."""
    from forbund.selectors import money_available_for_insatser
    from insatser import rules, services, services_decisions
    from insatser import rules_insats as insats_rules
    from insatser import rules_meetings as meeting_rules
    from insatser.models import (
        AgendaItem,
        Application,
        CaseNumberCounter,
        CoApplicant,
        Decision,
        GrantedAmount,
        Insats,
        Meeting,
        MinutesSignature,
        PaymentRequest,
        Report,
    )
    from insatser.services_meetings import board_members_on

    for model in (
        Application,
        CoApplicant,
        Meeting,
        AgendaItem,
        Decision,
        MinutesSignature,
        Insats,
        PaymentRequest,
        Report,
    ):
        for row in model.objects.all():
            row.full_clean()

    # Case numbers: gapless per year, and the counter says where the next one starts.
    numbers = defaultdict(list)
    for year, seq in Application.objects.filter(case_seq__isnull=False).values_list(
        "case_year", "case_seq"
    ):
        numbers[year].append(seq)
    counters = dict(CaseNumberCounter.objects.values_list("year", "last_number"))
    assert counters == {year: len(seqs) for year, seqs in numbers.items()}
    for seqs in numbers.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))

    # Every submitted application stands on two parties; its last version is its content.
    submitted = Application.objects.filter(case_seq__isnull=False).exclude(status=rules.WITHDRAWN)
    assert submitted.exists()
    for application in submitted:
        assert rules.has_two_parties(services.confirmed_party_kinds(application))
        assert not rules.missing_for_submission(services.application_content(application))
        last = application.versions.order_by("-number").first()
        assert last.content == services.application_content(application)

    # Each year's grants fit its money for insatser.
    years = set(GrantedAmount.objects.values_list("year", flat=True))
    for year, granted in services_decisions.committed_by_year(years).items():
        assert granted <= money_available_for_insatser(year), year

    # Payment requests never exceed a year's grant; a closed insats has nothing waiting.
    for insats in Insats.objects.prefetch_related("granted_amounts"):
        granted = {g.year: g.amount_kr for g in insats.granted_amounts.all()}
        counted = (
            insats.payment_requests.filter(status__in=insats_rules.COUNTED_STATES)
            .values("year")
            .annotate(total=Sum("amount_kr"))
        )
        for row in counted:
            assert row["total"] <= granted.get(row["year"], 0)
        if insats.status == insats_rules.CLOSED:
            assert not insats.payment_requests.filter(
                status__in=[insats_rules.REQUESTED, insats_rules.ATTESTED]
            ).exists()
        assert insats.application.status == rules.GRANTED
        assert insats.decision.status == meeting_rules.IN_FORCE

    # Justerade minutes are signed by people who sat on the board that day; their decisions hold.
    for meeting in Meeting.objects.filter(status=meeting_rules.APPROVED):
        members = set(board_members_on(meeting.held_on).values_list("pk", flat=True))
        signatures = list(meeting.signatures.all())
        assert signatures and all(s.approved_at and s.user_id in members for s in signatures)
        assert not Decision.objects.filter(
            agenda_item__meeting=meeting, status=meeting_rules.PENDING
        ).exists()
    # Every application state and payment state is there.
    assert set(Application.objects.values_list("status", flat=True)) == set(rules.STATE_LABELS)
    assert set(PaymentRequest.objects.values_list("status", flat=True)) == set(
        insats_rules.PAYMENT_STATE_LABELS
    )
    assert set(Meeting.objects.values_list("status", flat=True)) == set(
        meeting_rules.MEETING_STATE_LABELS
    )
    assert ctx["insatser"]


@pytest.mark.django_db
def test_generated_data_scales_keeps_the_rules_and_pages_keep_their_query_counts(
    bench_settings,
):
    """At two tiny scales the generator writes consistent rows in numbers that follow the
    scale, every benchmarked page answers 200, and each page runs as many queries at the larger
    scale as at the smaller: no page's query count grows with the data."""
    small_counts, small_pages = _build_and_measure(SMALL, check=_check_rows)
    larger_counts, larger_pages = _build_and_measure(LARGER)

    insatser_bench = import_module("insatser.benchdata")
    for scale, counts in ((SMALL, small_counts), (LARGER, larger_counts)):
        assert counts["applications"] == round(insatser_bench.APPLICATIONS * scale)
        assert counts["insatser"] == round(insatser_bench.INSATSER * scale)
        assert counts["meetings"] == max(5, round(insatser_bench.MEETINGS * scale))
    assert larger_counts["applications"] > small_counts["applications"]

    assert small_pages.keys() == larger_pages.keys()
    for label, (status, _) in {**small_pages, **larger_pages}.items():
        assert status == 200, label
    grown = {
        label: (small_pages[label][1], larger_pages[label][1])
        for label in small_pages
        if small_pages[label][1] != larger_pages[label][1]
    }
    assert not grown, f"Antalet frågor ändras med datamängden: {grown}"
