"""Helpers for the meeting tests: meetings in every state, each with one open and one closed item."""

import datetime

from django.utils import timezone

from organisation import moeder_services
from organisation.models import Moede, MoedeStatus
from sundhed.models import Haendelse

AABENT = "Åbent punkt om forebyggelse"
LUKKET_TITEL = "Hemmeligt punkt om budgetforhandlingen"
LUKKET_TEKST = "Fortrolig sagsfremstilling XYZZY"
BESLUTNING = "Beslutningen om forebyggelse QWERTY"
TILSTANDE = [MoedeStatus.PLANLAGT, MoedeStatus.DAGSORDEN, MoedeStatus.REFERAT, MoedeStatus.AFLYST]


def lav_moede(forum, status: str = MoedeStatus.PLANLAGT, *, dage: int = -1, titel: str = "Ordinært møde") -> Moede:
    """A meeting `dage` days from now (held yesterday by default) with an open and a closed item, put
    in `status` as the transitions would have."""
    start = timezone.now() + datetime.timedelta(days=dage)
    moede = moeder_services.moede_opret(bruger=None, forum=forum, start=start,
                                        slut=start + datetime.timedelta(hours=2), sted="Regionshuset", titel=titel)
    moeder_services.punkt_opret(moede=moede, bruger=None, titel=AABENT, sagsfremstilling="Åben sagsfremstilling",
                                beslutning=BESLUTNING)
    moeder_services.punkt_opret(moede=moede, bruger=None, titel=LUKKET_TITEL, aaben=False,
                                sagsfremstilling=LUKKET_TEKST, beslutning="Lukket beslutning")
    felter = {"status": status}
    if status != MoedeStatus.PLANLAGT:
        felter["dagsorden_offentliggjort"] = start - datetime.timedelta(days=7)
    if status == MoedeStatus.REFERAT:
        felter["referat_offentliggjort"] = start + datetime.timedelta(hours=3)
    Moede.objects.filter(pk=moede.pk).update(**felter)
    moede.refresh_from_db()
    return moede


def oejebliksbillede(moede: Moede) -> tuple:
    """Everything a write could change: the meeting, its items and the audit log (a refusal is itself
    logged, sundhed.revision, and changes nothing else)."""
    m = Moede.objects.get(pk=moede.pk)
    punkter = tuple(m.punkter.order_by("nummer").values_list("nummer", "titel", "aaben", "beslutning"))
    return (m.status, m.sekvens, m.titel, m.start, punkter, Haendelse.objects.exclude(handling="afvist").count())


# The personas of the meeting matrix, and those who plan the steering group's meetings.
PERSONAER = ["sekretariat", "forumsekretaer", "temagruppe", "styregruppe", "klynge", "kommune_a", "region",
             "udenforstaaende", "anonym"]
PLANLAEGGERE = {"sekretariat", "forumsekretaer"}
