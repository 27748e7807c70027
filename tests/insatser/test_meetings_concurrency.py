"""Grants and payment requests at the same moment, on PostgreSQL with parallel transactions."""

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from insatser import services_decisions, services_insats
from insatser.models_insats import PaymentRequest
from insatser.models_meetings import Decision, DecisionAmount
from tests.factories.decisions import (
    board,
    called_meeting,
    granted_insats,
    money,
    proposed_application,
    the_office,
)
from tests.factories.forbund import ForbundFactory
from tests.factories.insatser import lead_staff


def _run_together(calls):
    """Start every call at the same moment in its own thread; return "ok" or the message."""
    barrier = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
            results.append("ok")
        except Exception as error:  # noqa: BLE001 - reported below
            messages = getattr(error, "messages", [str(error)])
            results.append(messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_delegated_grants_cannot_overcommit_the_year(postgres_db):
    """Five grants of 100 000 kr against 250 000 kr: two succeed, three say what is left."""
    ForbundFactory(delegation_limit_kr=100_000)
    money(2027, 250_000)
    office = the_office()
    applications = [proposed_application() for _ in range(5)]

    def grant(application):
        return lambda: services_decisions.decision_delegate(
            application=application, amounts={2027: 100_000}, conditions="", reasons="", by=office
        )

    results = _run_together([grant(a) for a in applications])
    assert results.count("ok") == 2, results
    refusals = [r for r in results if r != "ok"]
    assert all("50\xa0000\xa0kr återstår" in r for r in refusals), refusals
    total = DecisionAmount.objects.filter(year=2027).aggregate(total=Sum("amount_kr"))["total"]
    assert total == 200_000
    assert Decision.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_board_decisions_at_two_meetings_cannot_overcommit(postgres_db):
    """Two secretaries record 300 000 kr each, at two meetings, against 400 000 kr: one wins."""
    board()
    money(2027, 400_000)
    money(2028, 2_000_000)
    office = the_office()
    first = called_meeting(proposed_application()).items.get()
    second = called_meeting(proposed_application()).items.get()

    def record(item):
        return lambda: services_decisions.decision_record(
            item=item,
            outcome="bevilja",
            amounts={2027: 300_000, 2028: 310_000},
            conditions="",
            reasons="",
            conflicted=[],
            by=office,
        )

    results = _run_together([record(first), record(second)])
    assert sorted(results)[-1] == "ok" and results.count("ok") == 1, results
    assert "100\xa0000\xa0kr återstår" in next(r for r in results if r != "ok")
    assert DecisionAmount.objects.filter(year=2027).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_payment_requests_stay_within_the_grant(postgres_db):
    """Four requests of 100 000 kr against 300 000 kr granted for 2027: three get through."""
    insats = granted_insats()
    staff = lead_staff(insats.application)

    def request():
        return services_insats.payment_request_create(
            insats=insats, year=2027, amount_kr=100_000, description="Lön", by=staff
        )

    results = _run_together([request for _ in range(4)])
    assert results.count("ok") == 3, results
    assert PaymentRequest.objects.aggregate(total=Sum("amount_kr"))["total"] == 300_000
