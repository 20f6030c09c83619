"""Background work for agreements. Thin: load by id, do one thing, retry on failure."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone


@shared_task
def aftale_aendret(aftale_id: int) -> None:
    """Mark the agreement changed (cached public pages key on this stamp) and re-index its public text."""
    from aftaler.tasks_offentlig import offentlig_opdater

    cache.set(f"aftale-aendret:{aftale_id}", timezone.now().isoformat(), None)
    offentlig_opdater(aftale_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def underret_om_overgang(self, overgang_id: int) -> int:
    """E-mail those who must act on a transition (aftaler.notifikationer decides who and what); an SMTP
    failure (an OSError) is retried."""
    from aftaler import notifikationer
    from aftaler.models import Overgang

    overgang = Overgang.objects.select_related("aftale").filter(pk=overgang_id).first()
    if overgang is None:
        return 0
    return notifikationer.send_overgang(overgang)
