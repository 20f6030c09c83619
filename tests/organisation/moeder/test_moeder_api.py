"""/api/v1/moeder/: the same matrix as the pages (personas x meeting state x action), every refusal
changing nothing; reads show what the public pages show, closed items as number and "Lukket punkt"."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from organisation.models import Moede, MoedeStatus
from organisation.moedeforloeb import OVERGANGE
from tests.organisation.moeder.hjaelp import (
    BESLUTNING,
    LUKKET_TEKST,
    LUKKET_TITEL,
    PERSONAER,
    PLANLAEGGERE,
    TILSTANDE,
    lav_moede,
    oejebliksbillede,
)

pytestmark = pytest.mark.django_db


def klient(user) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def _handlinger(moede: Moede) -> dict:
    ikke_aflyst = moede.status != MoedeStatus.AFLYST
    handlinger = {
        "patch": ("patch", f"/api/v1/moeder/{moede.pk}/", {"titel": "Ny titel"}, ikke_aflyst),
        "punkt": ("post", f"/api/v1/moeder/{moede.pk}/punkter/", {"titel": "Nyt punkt"}, ikke_aflyst),
    }
    for handling, regel in OVERGANGE.items():
        handlinger[handling] = ("post", f"/api/v1/moeder/{moede.pk}/overgange/", {"handling": handling},
                                moede.status in regel.fra)
    return handlinger


@pytest.mark.parametrize("status", TILSTANDE)
@pytest.mark.parametrize("persona", PERSONAER)
def test_only_planners_change_a_meeting_through_the_api(alle, moedefora, persona, status):
    moede = lav_moede(moedefora["styregruppe"], status)
    c = klient(alle[persona])
    for navn, (metode, url, data, mulig) in _handlinger(moede).items():
        with transaction.atomic():
            foer = oejebliksbillede(moede)
            svar = getattr(c, metode)(url, data, format="json")
            efter = oejebliksbillede(moede)
            transaction.set_rollback(True)
        if persona in PLANLAEGGERE:
            assert svar.status_code in ({200, 201} if mulig else {400}), (navn, svar.status_code, svar.json())
            assert (efter != foer) == mulig, navn
            if not mulig:
                assert set(svar.json()) <= {"handling", "detail"}
        else:
            forventet = 401 if persona == "anonym" else (404 if status == MoedeStatus.PLANLAGT else 403)
            assert svar.status_code == forventet, (navn, svar.status_code)
            assert isinstance(svar.json()["detail"], str)
            assert efter == foer, navn


@pytest.mark.parametrize("status", TILSTANDE)
@pytest.mark.parametrize("persona", PERSONAER)
def test_reads_show_a_closed_item_only_to_planners(alle, moedefora, persona, status):
    moede = lav_moede(moedefora["styregruppe"], status)
    c = klient(alle[persona])
    detalje = c.get(f"/api/v1/moeder/{moede.pk}/")
    punkter = c.get(f"/api/v1/moeder/{moede.pk}/punkter/")
    liste = c.get("/api/v1/moeder/")
    if persona not in PLANLAEGGERE and status == MoedeStatus.PLANLAGT:
        assert detalje.status_code == punkter.status_code == 404
        assert liste.json()["count"] == 0
        return
    assert detalje.status_code == punkter.status_code == 200
    assert detalje.json()["punkter"] == punkter.json()
    lukket = punkter.json()[1]
    tekst = detalje.content.decode() + punkter.content.decode() + liste.content.decode()
    if persona in PLANLAEGGERE:
        assert lukket["titel"] == LUKKET_TITEL and lukket["sagsfremstilling"] == LUKKET_TEKST
    else:
        assert lukket == {"nummer": 2, "titel": "Lukket punkt", "aaben": False, "sagsnummer": "",
                          "sagsfremstilling": "", "indstilling": "", "beslutning": "", "fravaerende": "",
                          "bilagsbetegnelser": [], "bilag": []}
        assert LUKKET_TITEL not in tekst and LUKKET_TEKST not in tekst
        assert (punkter.json()[0]["beslutning"] == BESLUTNING) == (status == MoedeStatus.REFERAT)
        assert detalje.json()["handlinger"] == []


def test_the_secretariat_plans_a_meeting_through_the_api(alle, moedefora):
    c = klient(alle["sekretariat"])
    svar = c.post("/api/v1/moeder/", {"forum": "sundhedssamarbejdsudvalget", "start": "2026-12-15T14:00",
                                      "slut": "2026-12-15T16:00", "sted": "Viborg", "titel": "API-møde"},
                  format="json")
    assert svar.status_code == 201, svar.json()
    pk = svar.json()["id"]
    assert svar.json()["start"].startswith("2026-12-15T14:00:00+01:00")
    assert c.post(f"/api/v1/moeder/{pk}/punkter/", {"titel": "Et punkt", "aaben": False},
                  format="json").status_code == 201
    svar = c.post(f"/api/v1/moeder/{pk}/overgange/", {"handling": "offentliggoer_dagsorden"}, format="json")
    assert svar.json()["status"] == "dagsorden"
    assert klient(None).get(f"/api/v1/moeder/{pk}/punkter/").json()[0]["titel"] == "Lukket punkt"


@pytest.mark.parametrize("data, felt", [
    ({"forum": "findes-ikke", "start": "2026-12-15T14:00", "slut": "2026-12-15T16:00"}, "forum"),
    ({"forum": "sundhedssamarbejdsudvalget", "start": "2026-12-15T14:00", "slut": "2026-12-15T13:00"}, "slut"),
    ({"forum": "sundhedssamarbejdsudvalget", "slut": "2026-12-15T13:00"}, "start"),
])
def test_errors_name_the_field_in_danish(alle, moedefora, data, felt):
    svar = klient(alle["sekretariat"]).post("/api/v1/moeder/", data, format="json")
    assert svar.status_code == 400
    assert list(svar.json()) == [felt]
    assert not Moede.objects.exists()


def test_an_unknown_action_names_handling(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"])
    svar = klient(alle["sekretariat"]).post(f"/api/v1/moeder/{moede.pk}/overgange/", {"handling": "slet"},
                                            format="json")
    assert svar.status_code == 400
    assert "handling" in svar.json()


def test_the_list_filters_by_forum_and_cluster(moedefora, struktur):
    lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, titel="Udvalgsmøde")
    lav_moede(struktur["fora"]["klynge_adm"], MoedeStatus.DAGSORDEN, titel="Klyngemøde")
    c = klient(None)
    assert [m["titel"] for m in c.get("/api/v1/moeder/?forum=sundhedssamarbejdsudvalget").json()["results"]] == [
        "Udvalgsmøde"]
    assert [m["titel"] for m in c.get(f"/api/v1/moeder/?klynge={struktur['klynge'].slug}").json()["results"]] == [
        "Klyngemøde"]


def test_api_reads_run_a_constant_number_of_queries(alle, moedefora):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.REFERAT)

    def antal(c) -> list[int]:
        tal = []
        for url in ["/api/v1/moeder/", f"/api/v1/moeder/{moede.pk}/", f"/api/v1/moeder/{moede.pk}/punkter/"]:
            with CaptureQueriesContext(connection) as ctx:
                assert c.get(url).status_code == 200
            tal.append(len(ctx))
        return tal

    klienter = [klient(None), klient(alle["forumsekretaer"])]
    for c in klienter:  # warm the user's permission cache, which force_authenticate keeps between requests
        antal(c)
    foer = [antal(c) for c in klienter]
    for i in range(5):
        lav_moede(moedefora["styregruppe"], TILSTANDE[i % 4], dage=-i - 2)
    from organisation import moeder_services

    for i in range(4):
        moeder_services.punkt_opret(moede=moede, bruger=None, titel=f"Ekstra {i}", aaben=bool(i % 2))
    assert [antal(c) for c in klienter] == foer
