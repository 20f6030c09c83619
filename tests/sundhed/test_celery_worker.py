"""Background work through the real broker: a task enqueued by a service after commit is picked
up by a Celery worker over Redis (CI runs this with REDIS_URL set; without it, in-process)."""

import os
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from aftaler import tasks
from sundhed.celery import app
from sundhed.tasks import enqueue


@pytest.fixture
def worker():
    if not settings.REDIS_URL:
        if os.environ.get("KRAEV_TJENESTER"):
            pytest.fail("Denne kørsel kræver Redis: sæt REDIS_URL")
        pytest.skip("Ingen broker konfigureret (REDIS_URL); opgaver køres i processen")
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, shutdown_timeout=10):
        yield
    app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_in_a_transaction_reaches_the_worker_only_after_commit(worker):
    noegle = "aftale-aendret:424242"
    cache.delete(noegle)
    with transaction.atomic():
        enqueue(tasks.aftale_aendret, 424242)
        time.sleep(0.5)
        assert cache.get(noegle) is None, "nothing may be sent before the transaction commits"
    deadline = time.monotonic() + 15
    while cache.get(noegle) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get(noegle) is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing(worker):
    noegle = "aftale-aendret:434343"
    cache.delete(noegle)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(tasks.aftale_aendret, 434343)
        raise RuntimeError("rul tilbage")
    time.sleep(1.5)
    assert cache.get(noegle) is None


def test_without_a_broker_tasks_run_in_process_after_commit(db, django_capture_on_commit_callbacks):
    noegle = "aftale-aendret:444444"
    cache.delete(noegle)
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(tasks.aftale_aendret, 444444)
        assert cache.get(noegle) is None
    assert cache.get(noegle) is not None
