"""Enqueueing background work from services, and the outbox's delivery tasks.

Services call `enqueue` inside their transaction; the task is sent only after the transaction
commits, so a worker never sees a half-written state and a rolled-back write sends nothing. Without a
broker (embedded default) Celery runs the task eagerly, still after commit.

Sending to the broker after commit is guarded: the write has committed, so a broker that is down
(Redis stopped) must not turn it into a 500. The failure is logged; what must not be lost is in the
outbox (sundhed.udbakke), which the beat sweeper `udbakke_fej` delivers every minute.
"""

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

log = logging.getLogger(__name__)


def send_sikkert(task, *args, **kwargs) -> bool:
    """`task.delay(...)`, but a broker failure is logged, not raised (run eagerly, a task's own error
    still propagates: that is a bug to see, not an outage)."""
    if task.app.conf.task_always_eager:
        task.delay(*args, **kwargs)
        return True
    try:
        task.delay(*args, **kwargs)
    except Exception:  # noqa: BLE001 - kombu/redis raise several kinds; all mean "not sent now"
        log.warning("Kunne ikke sende opgaven %s til køen; udbakkens fejning tager den", task.name, exc_info=True)
        return False
    return True


def enqueue(task, *args, **kwargs) -> None:
    transaction.on_commit(partial(send_sikkert, task, *args, **kwargs))


@shared_task(acks_late=True, ignore_result=True)
def lever_udbakke() -> int:
    """Deliver the outbox's due rows, one recipient at a time (sundhed.udbakke.lever)."""
    from sundhed import udbakke

    return udbakke.lever()


@shared_task(acks_late=True, ignore_result=True)
def udbakke_fej() -> int:
    """Every minute (beat): put back rows a dead worker left `sender`, then deliver what is due."""
    from sundhed import udbakke

    udbakke.genoptag_haengende()
    leveret = udbakke.lever()
    udbakke.ryd()
    return leveret


@shared_task(acks_late=True, ignore_result=True)
def udbakke_sammendrag() -> int:
    """Daily (beat, at NOTIFIKATION_SAMMENDRAG_TIME): the digests of `dagligt` rows."""
    from sundhed import udbakke

    return udbakke.send_sammendrag()
