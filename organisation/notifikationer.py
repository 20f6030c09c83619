"""Who hears of a meeting: when its agenda or its minutes are published, today's members of its forum
and those who follow the forum (sundhed.udbakke writes the rows; the worker delivers them).

The texts are templates/organisation/mail/moede_emne.txt and moede_tekst.txt.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from organisation.models import Medlemskab, Moede, MoedeStatus
from sundhed import dansk, udbakke
from sundhed.models import Abonnement
from sundhed.notifikationer import modtagere_fra

HVAD = {MoedeStatus.DAGSORDEN: "Dagsordenen", MoedeStatus.REFERAT: "Referatet"}


def moede_skriv(moede: Moede) -> int:
    """A meeting reached `dagsorden` or `referat`: its forum's members and the forum's followers."""
    hvad = HVAD.get(moede.status)
    if hvad is None:
        return 0
    forum = moede.forum
    medlemmer = modtagere_fra(Medlemskab.objects.aktive().filter(forum=forum)
                              .select_related("person", "person__bruger"), uden_adresse=True)
    direkte = {m.bruger_id for m in medlemmer if m.bruger_id}
    foelgere = [m for m in udbakke.abonnenter([(Abonnement.Type.FORUM, forum.slug)]) if m.bruger_id not in direkte]
    kontekst = {"hvad": hvad, "forum": forum.navn, "titel": moede.titel or forum.navn,
                "tidspunkt": dansk.tidspunkt(moede.start)}
    felles = {"slags": "moede", "skabelon": "organisation/mail/moede", "kontekst": kontekst,
              "objekt_type": "moede", "objekt_id": str(moede.pk), "objekt_navn": f"{forum.navn}: møde",
              "url": settings.SITE_URL + reverse("moede-detalje", args=[moede.pk])}
    haendelse = f"moede:{moede.pk}:{moede.status}"
    return udbakke.skriv(haendelse=haendelse, modtagere=[*medlemmer, *foelgere], **felles)
