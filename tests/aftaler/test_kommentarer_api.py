"""GET|POST /api/v1/aftaler/<slug>/kommentarer/: every persona x every state, expectations from the capability
table (tests/aftaler/test_kommentarer.py's `publikum`), every refusal changing nothing; validation as JSON
naming the field; the schema documents the endpoint."""

import pytest
from rest_framework.test import APIClient

from aftaler.choices import Status
from aftaler.models import Kommentar, Samarbejdsaftale
from tests.aftaler.test_api_matrix import PERSONAER
from tests.aftaler.test_kommentarer import AABNE, publikum, tilstand


# The matrix builds its world once for the module (tests/aftaler/conftest.py `verden`); the other tests
# here use the same structure and personas, each in its own savepoint, instead of building a second one.
@pytest.fixture
def struktur(verden, db):
    return verden["struktur"]


@pytest.fixture
def personas(verden, db):
    return verden["personas"]


@pytest.fixture
def udvalg(verden, db):
    return verden["udvalg"]


def forventning(persona: str, status: str, handling: str, struktur) -> int:
    if handling == "kommenter" and persona == "anonym":
        return 401  # every write needs a login, before anything is looked up
    if persona == "anonym" or not publikum(persona, struktur):
        # Also for those who may read the agreement (the public from `indstillet` on, the parties and
        # clusters during consultation): the comments belong to the drafting audience only.
        return 404
    if handling == "laes":
        return 200
    return 201 if status in AABNE else 400


@pytest.mark.parametrize("handling", ["laes", "kommenter"])
@pytest.mark.parametrize("status", Status.values)
@pytest.mark.parametrize("persona", PERSONAER)
def test_comment_api_matrix(verden, db, persona, status, handling):
    struktur, aftale = verden["struktur"], verden["aftaler"][status]
    aftale = Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)
    Kommentar.objects.create(version=aftale.aktuel_version, forfatter_navn="styregruppe", tekst="Fra før.",
                             citat="Første tekst")
    forventet = forventning(persona, status, handling, struktur)
    foer = tilstand(aftale)

    klient = APIClient()
    if persona != "anonym":
        klient.credentials(HTTP_AUTHORIZATION=f"Token {verden['tokens'][persona]}")
    url = f"/api/v1/aftaler/{aftale.slug}/kommentarer/"
    svar = (klient.get(url) if handling == "laes"
            else klient.post(url, {"tekst": "Fra API'et", "citat": "tekst om borgeren"}, format="json"))

    hvad = f"{persona} / {handling} / {status}"
    assert svar.status_code == forventet, f"{hvad}: {svar.status_code} {svar.content[:300]!r}"
    efter = tilstand(aftale)
    if forventet == 200:
        assert [(k["tekst"], k["citat"], k["version"]) for k in svar.json()] == [
            ("Fra før.", "Første tekst", aftale.aktuel_version.nummer)]
    elif forventet == 201:
        data = svar.json()
        assert (data["tekst"], data["citat"], data["version"], data["behandlet"]) == (
            "Fra API'et", "tekst om borgeren", aftale.aktuel_version.nummer, None)
        assert len(efter[0]) == len(foer[0]) + 1
    else:
        assert efter == foer, f"{hvad} was refused but changed something"
        assert "Fra før." not in svar.content.decode()
    if forventet == 404:
        assert svar.json() == {"detail": "Findes ikke."}
    if forventet == 400:
        assert "ikke åben for kommentarer" in svar.content.decode()


@pytest.fixture
def styregruppe_klient(personas):
    klient = APIClient()
    klient.force_authenticate(personas["styregruppe"])
    return klient


@pytest.mark.parametrize(("data", "felt", "besked"), [
    ({}, "tekst", "Skriv en kommentar."),
    ({"tekst": "   "}, "tekst", "Skriv en kommentar."),
    ({"tekst": "x" * 4001}, "tekst", "Kommentaren må højst være 4.000 tegn; den er 4.001 tegn."),
    ({"tekst": "Fint", "citat": "ikke i teksten"}, "citat", "Citatet findes ikke i teksten til version 1. Kopiér "
                                                           "stykket direkte fra aftaleteksten, eller lad feltet være "
                                                           "tomt."),
])
def test_a_bad_comment_is_a_400_naming_the_field_in_danish(styregruppe_klient, lav_aftale, data, felt, besked):
    aftale = lav_aftale(Status.UDKAST)
    svar = styregruppe_klient.post(f"/api/v1/aftaler/{aftale.slug}/kommentarer/", data, format="json")
    assert svar.status_code == 400
    assert svar.json() == {felt: [besked]}
    assert not Kommentar.objects.exists()


def test_the_comments_are_listed_oldest_first_with_who_and_whether_handled(styregruppe_klient, lav_aftale, personas):
    from aftaler import kommentarer

    aftale = lav_aftale(Status.UDKAST)
    en = kommentarer.kommentar_opret(bruger=personas["styregruppe"], aftale=aftale, tekst="Først")
    kommentarer.kommentar_opret(bruger=personas["sekretariat"], aftale=aftale, tekst="Så")
    kommentarer.kommentar_behandl(bruger=personas["sekretariat"], kommentar=en)
    data = styregruppe_klient.get(f"/api/v1/aftaler/{aftale.slug}/kommentarer/").json()
    assert [k["tekst"] for k in data] == ["Først", "Så"]
    assert data[0]["forfatter"] == "styregruppe" and data[0]["forfatter_myndighed"] == "Sundhedsstyregruppen"
    assert data[0]["behandlet"] is not None and data[0]["behandlet_af_navn"] == "sekretariat"
    assert data[1]["behandlet"] is None and data[1]["behandlet_af_navn"] == ""


def test_the_schema_documents_the_comments_endpoint(client):
    svar = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert svar.status_code == 200
    skema = svar.json()
    sti = skema["paths"]["/api/v1/aftaler/{slug}/kommentarer/"]
    assert set(sti) >= {"get", "post"}
    assert "404" in sti["get"]["responses"] and "201" in sti["post"]["responses"]
    assert "aldrig offentlige" in sti["get"]["description"]
    krop = sti["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"tekst", "citat"} <= set(skema["components"]["schemas"][krop]["properties"])
    assert skema["components"]["schemas"][krop]["required"] == ["tekst"]
