"""Diarienummer under concurrent submits, on PostgreSQL with real parallel transactions."""

import threading
from datetime import date

import pytest
from django.db import connection

from insatser import services
from insatser.models import Application, CaseNumberCounter
from tests.factories.insatser import ApplicationFactory, _confirm, lead_staff


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_get_unique_gapless_case_numbers(postgres_db):
    """Eight applications submitted at the same moment get 001–008, no duplicates, no gaps."""
    applications = []
    for _ in range(8):
        application = ApplicationFactory()
        _confirm(application)
        applications.append((application, lead_staff(application)))
    barrier = threading.Barrier(len(applications))
    errors = []

    def submit(application, user):
        try:
            barrier.wait(timeout=10)
            services.application_submit(application=application, by=user)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    year = date.today().year
    numbers = sorted(Application.objects.values_list("case_seq", flat=True))
    assert numbers == list(range(1, 9))
    assert CaseNumberCounter.objects.get(year=year).last_number == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_one_application_submit_it_once(postgres_db):
    """Two people pressing "Skicka in" at once: one succeeds, the other is refused."""
    application = ApplicationFactory()
    _confirm(application)
    user = lead_staff(application)
    barrier = threading.Barrier(2)
    results = []

    def submit():
        try:
            barrier.wait(timeout=10)
            services.application_submit(
                application=Application.objects.get(pk=application.pk), by=user
            )
            results.append("ok")
        except Exception as error:  # noqa: BLE001 - reported below
            results.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results)[-1] == "ok" and results.count("ok") == 1
    assert application.versions.count() == 1
    assert CaseNumberCounter.objects.get().last_number == 1
