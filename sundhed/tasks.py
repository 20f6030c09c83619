"""Enqueueing background work from services.

Services call `enqueue` inside their transaction; the task is sent only after the
transaction commits, so a worker never sees a half-written state and a rolled-back write
sends nothing. Without a broker (embedded default) Celery runs the task eagerly, still
after commit.
"""

from functools import partial

from django.db import transaction


def enqueue(task, *args, **kwargs) -> None:
    transaction.on_commit(partial(task.delay, *args, **kwargs))
