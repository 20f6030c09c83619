"""The half-year report as PDF: the same content template as the HTML page, rendered by WeasyPrint.

Nothing is fetched from the web: the PDF template carries its own styles, fonts are the system's, and
the URL fetcher allows only data: URIs.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation

from indikatorer import selectors
from indikatorer.models import ImportBatch
from indikatorer.perioder import Periode
from sundhed.cachesikker import cache_get, cache_set

# WeasyPrint reports every layout step at INFO; the portal logs INFO, and a report is not news.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def kontekst(periode: Periode) -> dict:
    return {"rapport": selectors.rapport(periode), "dannet": timezone.localtime()}


def html_til_pdf(periode: Periode) -> str:
    # Made in a worker too (services.rapport_udsend), where no request sets the language.
    with translation.override("da"):
        return render_to_string("indikatorer/rapport_pdf.html", kontekst(periode))


def _datastempel() -> str:
    """Changes whenever an import finishes or is rolled back: the cached PDF is then stale."""
    stempler = ImportBatch.objects.aggregate(a=Max("afsluttet"), t=Max("tilbagerullet"), n=Max("id"))
    return "-".join(str(v.timestamp() if hasattr(v, "timestamp") else v) for v in stempler.values())


def pdf(periode: Periode) -> bytes:
    """The report as PDF bytes, cached until the data changes."""
    noegle = f"indikatorer:rapport-pdf:{periode.kode}:{_datastempel()}"
    data = cache_get(cache, noegle)
    if data is None:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher

        data = HTML(string=html_til_pdf(periode), url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()
        cache_set(cache, noegle, data, 60 * 60)
    return data
