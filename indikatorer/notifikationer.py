"""Who hears of the half-year report, and with which text: the councils' secretariats (the regional
council and every municipal council) hear of the report once, when a half year's data are complete
(indikatorer.services.rapport_udsend).

The report goes through the outbox like every other notification (sundhed.udbakke, kind `rapport`):
`rapport_skriv` writes one row per recipient in the service's transaction, so the mail is never lost
when the broker or the worker is down, each person's preference for `rapport` (straks, dagligt, fra) is
respected, and a secretariat without an e-mail address is listed for the joint secretariat as
unreachable (/arbejde/notifikationer/uden-adresse/) instead of skipped.

The texts are templates/indikatorer/mail/rapport_emne.txt and rapport_tekst.txt.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from indikatorer.models import Halvaarsrapport
from indikatorer.perioder import Periode
from organisation import selectors as org_selectors
from sundhed import udbakke
from sundhed.notifikationer import Besked, Modtager, modtagere_fra, skriv

SKABELON = "indikatorer/mail/rapport"


def modtagere_for_rapport(rapport: Halvaarsrapport, *, uden_adresse: bool = False) -> list[Modtager]:
    """Every council secretariat, one per address, sorted by address; with `uden_adresse`, those
    without an address follow (the outbox lists them as unreachable)."""
    return modtagere_fra(org_selectors.raadssekretariater(), uden_adresse=uden_adresse)


def _kontekst(rapport: Halvaarsrapport) -> dict:
    periode = Periode.fra_kode(rapport.periode)
    return {
        "periode": periode.navn,
        "link": settings.SITE_URL + reverse("rapport-pdf", args=[periode.kode]),
        "side": settings.SITE_URL + reverse("rapport", args=[periode.kode]),
    }


def besked_for_rapport(rapport: Halvaarsrapport) -> Besked:
    """The subject and body announcing the report, in Danish, with links to its PDF and its page."""
    return skriv(SKABELON, _kontekst(rapport))


def rapport_skriv(rapport: Halvaarsrapport, *, modtagere: list[Modtager] | None = None) -> int:
    """Outbox rows (kind `rapport`) announcing the report to its recipients, in the caller's transaction;
    returns how many rows were written (a second call for the same report writes none). The row's link
    is the report's PDF, as in the text (the outbox gives the row's link to the template as `link`)."""
    modtagere = modtagere_for_rapport(rapport, uden_adresse=True) if modtagere is None else modtagere
    if not modtagere:
        return 0
    kontekst = _kontekst(rapport)
    return udbakke.skriv(haendelse=f"rapport:{rapport.pk}", slags="rapport", modtagere=modtagere,
                         skabelon=SKABELON, kontekst=kontekst, objekt_type="halvaarsrapport",
                         objekt_id=str(rapport.pk), objekt_navn=f"Halvårsrapport, {kontekst['periode']}",
                         url=kontekst["link"])
