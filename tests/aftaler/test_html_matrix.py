"""Every persona x every state x every action through the staff pages (HTML forms), against the same
expectations as the API matrix, derived from the capability and lifecycle tables.

The pages differ from the API in one way: an action the user cannot take right now (wrong role or
wrong state) has no page, so it is a 404 like an agreement the user may not see; anonymous users
are sent to the login page. Every refusal changes nothing.
"""

import pytest
from django.test import Client

from aftaler.choices import Beslutning, ImplementeringStatus, Status
from aftaler.models import Samarbejdsaftale
from aftaler.workflow import OVERGANGE
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED
from tests.aftaler.test_api_matrix import PERSONAER, Forventning, forventning, tilstand, virkning_sket

HANDLINGER = ["laes", "ret", *OVERGANGE, "beslutning", "implementering", "hoeringssvar"]


def dato(d) -> str:
    return d.strftime("%d.%m.%Y")


def html_forventning(persona: str, status: str, handling: str, struktur) -> Forventning:
    if persona == "anonym":
        return Forventning(302)  # to the login page, before anything is looked up
    api = forventning(persona, status, handling if handling != "ret" else "ret", struktur)
    if 200 <= api.kode < 300:
        # A read renders the page; a write redirects (post/redirect/get) after it took effect.
        return Forventning(200) if handling == "laes" else Forventning(302, api.virkning)
    return Forventning(404)


def udfoer(klient: Client, aftale: Samarbejdsaftale, handling: str, struktur):
    base = f"/arbejde/aftaler/{aftale.slug}/"
    if handling == "laes":
        return klient.get(base)
    if handling == "ret":
        return klient.post(base + "rediger/", {
            "titel": "Rettet i matrixen", "resume": "", "maalgruppe": "", "indsatsomraade": "",
            "ejer_forum": struktur["fora"]["temagruppe"].pk, "omfang": "regional", "klynge": "",
            "oprindelse": "bestilling", "oprindelse_reference": "", "proevehandling": "",
            "tekst": aftale.aktuel_version.tekst, "aendringsnote": "", "revision": aftale.revision,
        })
    if handling in OVERGANGE:
        return klient.post(base + f"handling/{handling}/", {
            "note": "matrix", "hoeringsfrist": dato(OM_EN_MAANED), "forum": struktur["udvalg"].pk,
            "dato": dato(I_DAG), "beslutningsfrist": dato(OM_EN_MAANED), "ikrafttraedelse": dato(I_DAG),
            "revisionsdato": "",
        })
    if handling == "beslutning":
        return klient.post(base + "beslutning/kommune-a/", {
            "beslutning": Beslutning.GODKENDT, "dato": dato(I_DAG), "sagsnummer": "M-1", "referat_url": "",
            "bemaerkning": "",
        })
    if handling == "implementering":
        return klient.post(base + "implementering/klynge-et/", {"status": ImplementeringStatus.I_GANG,
                                                                "note": "matrix"})
    if handling == "hoeringssvar":
        return klient.post(base + "hoering/part/kommune-a/", {"tekst": "Svar fra matrixen."})
    raise AssertionError(handling)


@pytest.mark.parametrize("handling", HANDLINGER)
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("persona", PERSONAER)
def test_html_matrix(verden, db, persona, status, handling):
    struktur, aftale = verden["struktur"], verden["aftaler"][status]
    aftale = Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)
    assert aftale.status == status
    struktur = {**struktur, "udvalg": verden["udvalg"]}
    forventet = html_forventning(persona, status, handling, struktur)
    foer = tilstand(aftale)

    klient = Client()
    if persona != "anonym":
        klient.force_login(verden["personas"][persona])
    svar = udfoer(klient, aftale, handling, struktur)

    hvad = f"{persona} / {handling} / {status}"
    indhold = svar.content.decode()[:400] if svar.status_code == 200 and handling != "laes" else ""
    assert svar.status_code == forventet.kode, f"{hvad}: {svar.status_code} {indhold}"
    if svar.status_code == 302 and persona == "anonym":
        assert "/log-ind/" in svar["Location"]
    efter = tilstand(aftale)
    if forventet.virkning:
        assert virkning_sket(forventet.virkning, foer, efter, struktur), f"{hvad}: {foer} -> {efter}"
    else:
        assert efter == foer, f"{hvad} was refused but changed the agreement"
