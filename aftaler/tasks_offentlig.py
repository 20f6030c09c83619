"""Background work for the public site. Thin: load by id, do one thing; each is idempotent, so the
outbox (sundhed.udbakke) or a redelivered message may run it twice without harm.

- `offentlig_opdater(aftale_id)`: after any change (call it from tasks.aftale_aendret), bring the
  agreement's search index row up to date (an upsert; removed when it is not public).
- `pdf_forbered(aftale_id)`: when a version becomes public (enqueued from services.aftale_overgang on
  `indstil` and `offentliggoer`), make the PDF in the worker. Without a broker (the embedded default,
  tasks run in-process) it does nothing: the PDF is then made on demand at the first request, so
  publishing does not wait for WeasyPrint.
- `indeks_synkroniser_opgave()`: catch the search index up with whatever a refresh missed; the search
  page hands it here instead of writing on GET, and beat runs it every ten minutes.
"""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def offentlig_opdater(aftale_id: int) -> bool:
    from aftaler import search

    return search.indeks_opdater(aftale_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3, acks_late=True)
def pdf_forbered(self, aftale_id: int) -> bool:
    if self.request.is_eager or self.app.conf.task_always_eager:
        return False
    from aftaler import pdf

    return pdf.forbered(aftale_id)


@shared_task(acks_late=True, ignore_result=True)
def indeks_synkroniser_opgave() -> int:
    from aftaler import search

    return search.indeks_synkroniser()
