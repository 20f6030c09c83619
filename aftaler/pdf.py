"""The agreement as PDF (WeasyPrint), made from the same template parts as its public page:
title, status and dates, the text, then the decisions table with the municipality map.

A PDF is kept in the default storage (MEDIA_ROOT/pdf/<agreement id>/) under a name made of the
version number and the agreement's change stamp, so it is made once per version and change and
never served stale. It is made in the background when a version becomes public
(tasks_offentlig.pdf_forbered), or on demand at the first request (the embedded default).
Nothing is fetched from the network: only data: URLs are allowed, fonts are the system's.
"""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from aftaler import sidekontekst, stempler, synlighed
from aftaler.models import Samarbejdsaftale

log = logging.getLogger(__name__)
# WeasyPrint reports every step of every PDF at INFO; the portal logs at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

MAPPE = "pdf"


def pdf_html(aftale: Samarbejdsaftale) -> str:
    """The HTML the PDF is made from. `aftale` comes from sidekontekst.aftaler_til_visning()."""
    kontekst = sidekontekst.aftale_visning(aftale)
    kontekst["dannet"] = timezone.now()
    # Made in a worker too, where no request sets the language: the dates must still be Danish.
    with translation.override("da"):
        return render_to_string("aftaler/offentlig/pdf.html", kontekst)


def lav_pdf(aftale: Samarbejdsaftale) -> bytes:
    """A tagged PDF (headings, tables and the language for screen readers), without network access."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    ingen_net = URLFetcher(allowed_protocols={"data"})
    return HTML(string=pdf_html(aftale), url_fetcher=ingen_net).write_pdf(pdf_tags=True)


def _stempel(aftale: Samarbejdsaftale) -> str:
    _pk, stempel = stempler.aftale_stempel(pk=aftale.pk, relaterede=False)
    return stempel.noegle


def _navne(aftale: Samarbejdsaftale) -> tuple[str, str]:
    """(storage path, file name for the download)."""
    version = synlighed.vist_version(aftale)
    nummer = version.nummer if version else 0
    return f"{MAPPE}/{aftale.pk}/v{nummer}-{_stempel(aftale)}.pdf", f"{aftale.slug}-version-{nummer}.pdf"


def hent_eller_lav(aftale: Samarbejdsaftale) -> tuple[bytes, str]:
    """The PDF's bytes and file name: from storage when this version and change were made before."""
    sti, filnavn = _navne(aftale)
    if default_storage.exists(sti):
        with default_storage.open(sti, "rb") as f:
            return f.read(), filnavn
    indhold = lav_pdf(aftale)
    _gem(aftale, sti, indhold)
    return indhold, filnavn


def _gem(aftale: Samarbejdsaftale, sti: str, indhold: bytes) -> None:
    try:
        gemt = default_storage.save(sti, ContentFile(indhold))
        mappe = f"{MAPPE}/{aftale.pk}"
        _mapper, filer = default_storage.listdir(mappe)
        for navn in filer:  # earlier versions and changes are never asked for again
            if f"{mappe}/{navn}" != gemt:
                default_storage.delete(f"{mappe}/{navn}")
    except OSError:  # a full or read-only disk must not stop the download itself
        log.exception("PDF for aftale %s kunne ikke gemmes", aftale.pk)


def forbered(aftale_id: int) -> bool:
    """Make and keep the PDF of a public agreement if it is not there yet; False if not public."""
    aftale = sidekontekst.aftaler_til_visning().filter(pk=aftale_id).first()
    if aftale is None:
        return False
    sti, _filnavn = _navne(aftale)
    if not default_storage.exists(sti):
        _gem(aftale, sti, lav_pdf(aftale))
    return True
