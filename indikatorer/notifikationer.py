"""Who hears of the half-year report, and with which text: the councils' secretariats (the regional
council and every municipal council) get a link to the report once, when a half year's data are
complete (indikatorer.services.rapport_udsend).

The texts are templates/indikatorer/mail/rapport_emne.txt and rapport_tekst.txt; sundhed.notifikationer
renders and sends them.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from indikatorer.models import Halvaarsrapport
from indikatorer.perioder import Periode
from organisation import selectors as org_selectors
from sundhed.notifikationer import Besked, Modtager, modtagere_fra, send, skriv


def modtagere_for_rapport(rapport: Halvaarsrapport) -> list[Modtager]:
    """Every council secretariat, one per address, sorted by address."""
    return modtagere_fra(org_selectors.raadssekretariater())


def besked_for_rapport(rapport: Halvaarsrapport) -> Besked:
    """The subject and body announcing the report, in Danish, with links to its PDF and its page."""
    periode = Periode.fra_kode(rapport.periode)
    return skriv("indikatorer/mail/rapport", {
        "periode": periode.navn,
        "link": settings.SITE_URL + reverse("rapport-pdf", args=[periode.kode]),
        "side": settings.SITE_URL + reverse("rapport", args=[periode.kode]),
    })


def send_rapport(rapport: Halvaarsrapport, *, modtagere: list[Modtager] | None = None) -> int:
    """E-mail the report's link to its recipients, one mail each; returns how many were sent. The
    service passes `modtagere` when it has already read them (it records how many there were)."""
    modtagere = modtagere_for_rapport(rapport) if modtagere is None else modtagere
    if not modtagere:
        return 0
    return send(modtagere, besked_for_rapport(rapport))
