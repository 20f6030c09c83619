"""Background work for the public site. Thin: load by id, do one thing.

- `offentlig_opdater(aftale_id)`: after any change (call it from tasks.aftale_aendret), bring the
  agreement's search index row up to date (removed when it is not public).
- `pdf_forbered(aftale_id)`: when a version becomes public (enqueue it from services.aftale_overgang
  on `indstil` and `offentliggoer`), make the PDF in the worker. Run eagerly (no broker, the
  embedded default) it does nothing: the PDF is then made on demand at the first request, so
  publishing does not wait for WeasyPrint.
"""

from celery import shared_task


@shared_task
def offentlig_opdater(aftale_id: int) -> bool:
    from aftaler import search

    return search.indeks_opdater(aftale_id)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def pdf_forbered(self, aftale_id: int) -> bool:
    if self.request.is_eager:
        return False
    from aftaler import pdf

    return pdf.forbered(aftale_id)
