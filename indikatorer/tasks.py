"""Background work for indicators. Thin: load by id, call a service."""

from celery import shared_task


@shared_task(bind=True, acks_late=True)
def koer_import(self, batch_id: int) -> None:
    """Write a large committed import (progress in the cache, status on the batch)."""
    from indikatorer import services

    services.import_koer(batch_id=batch_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def udsend_rapport(self, rapport_id: int) -> int:
    """Build a complete period's half-year report and announce it to the councils through the outbox, once."""
    from indikatorer import services

    return services.rapport_udsend(rapport_id=rapport_id)
