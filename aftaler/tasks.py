"""Background work for agreements. Thin: load by id, do one thing, retry on failure.

Notifications are not sent from here: services write them to the outbox (aftaler.notifikationer,
sundhed.udbakke) and the outbox's worker delivers them.
"""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from sundhed.cachesikker import cache_set


@shared_task(acks_late=True, ignore_result=True)
def aftale_aendret(aftale_id: int) -> None:
    """Mark the agreement changed (cached public pages key on this stamp) and re-index its public text.
    Idempotent: a second run writes the same stamp's successor and the same index row."""
    from aftaler.tasks_offentlig import offentlig_opdater

    cache_set(cache, f"aftale-aendret:{aftale_id}", timezone.now().isoformat(), None)
    offentlig_opdater(aftale_id)


@shared_task(bind=True, acks_late=True)
def underret_om_overgang(self, overgang_id: int) -> int:
    """Write a transition's notifications to the outbox (a no-op when the service already did: the rows'
    keys are unique) and deliver what is due; returns how many were delivered. Kept for messages
    enqueued before the outbox existed."""
    from aftaler import notifikationer
    from aftaler.models import Overgang
    from sundhed import udbakke

    overgang = Overgang.objects.select_related("aftale").filter(pk=overgang_id).first()
    if overgang is None:
        return 0
    notifikationer.overgang_skriv(overgang)
    return udbakke.lever()


@shared_task(acks_late=True, ignore_result=True)
def paamindelser() -> int:
    """Daily (beat): the day's deadline reminders to the outbox, then deliver. Idempotent per day."""
    from aftaler import notifikationer
    from sundhed import udbakke

    antal = notifikationer.paamindelser()
    udbakke.lever()
    return antal
