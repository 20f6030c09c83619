"""The structure API on a chosen day (`?dato=`): members, levels, municipalities and `aktiv` of that day,
successors as slugs, invalid dates refused naming the field, constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import MedlemskabFactory, PartFactory
from tests.organisation.conftest import EFTER, FOER, FORBEREDELSE, to_epoker

pytestmark = pytest.mark.django_db

ENDEPUNKTER = ["/api/v1/parter/", "/api/v1/parter/kommune-a/", "/api/v1/klynger/", "/api/v1/klynger/klynge-to/",
               "/api/v1/fora/", "/api/v1/fora/regionsraadet/"]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def hent(api: APIClient, url: str, **params) -> dict:
    svar = api.get(url, params)
    assert svar.status_code == 200, svar.content
    return svar.json()


def slugs(api: APIClient, url: str, **params) -> list[str]:
    return sorted(r["slug"] for r in hent(api, url, limit=1000, **params)["results"])


# --- klynger ----------------------------------------------------------------------------------------


def test_a_cluster_before_the_change_has_its_levels_and_names_its_successor(api, epoker):
    data = hent(api, "/api/v1/klynger/klynge-et/", dato=FORBEREDELSE)

    assert data["art"] == "klynge"
    assert (data["aktiv"], data["arkiveret"]) == (True, False)
    assert data["efterfoelgere"] == ["sundhedsraad-klynge-et"]
    assert data["forgaengere"] == []
    assert [(n["forum"], n["forberedende"]) for n in data["niveauer"]] == [
        ("klynge-et-politisk", False), ("klynge-et-administrativ", False),
    ]
    assert [m["navn"] for m in data["niveauer"][0]["medlemmer"]] == ["Borgmester i Klynge Et"]


def test_after_the_change_the_cluster_is_archived_with_no_levels(api, epoker):
    data = hent(api, "/api/v1/klynger/klynge-et/", dato=EFTER)

    assert (data["aktiv"], data["arkiveret"]) == (False, True)
    assert data["niveauer"] == []
    assert data["kommuner"] == [{"slug": "kommune-a", "navn": "Kommune A"}, {"slug": "kommune-b", "navn": "Kommune B"}]


def test_the_sundhedsraad_area_has_the_council_as_its_body_preparatory_then_in_force(api, epoker):
    forberedelse = hent(api, "/api/v1/klynger/sundhedsraad-klynge-et/", dato=FORBEREDELSE)
    efter = hent(api, "/api/v1/klynger/sundhedsraad-klynge-et/", dato=EFTER)

    assert efter["art"] == "sundhedsraad" and efter["art_navn"] == "Sundhedsråd"
    assert efter["forgaengere"] == ["klynge-et"]
    assert forberedelse["aktiv"] is False and efter["aktiv"] is True
    [raad_foer] = forberedelse["niveauer"]
    assert (raad_foer["forum"], raad_foer["type"], raad_foer["forberedende"]) == (
        "sundhedsraad-klynge-et", "sundhedsraad", True)
    assert [m["navn"] for m in raad_foer["medlemmer"]] == ["Forberedende medlem af Sundhedsråd Et"]
    [raad_efter] = efter["niveauer"]
    assert raad_efter["forberedende"] is False
    assert [m["navn"] for m in raad_efter["medlemmer"]] == ["Formand for Sundhedsråd Et"]
    assert hent(api, "/api/v1/klynger/sundhedsraad-klynge-et/", dato=FOER)["niveauer"] == []


def test_aktiv_means_in_force_on_the_chosen_day(api, epoker):
    assert slugs(api, "/api/v1/klynger/", aktiv="true", dato=FORBEREDELSE) == ["klynge-et", "klynge-to"]
    assert slugs(api, "/api/v1/klynger/", aktiv="true", dato=EFTER) == ["klynge-to", "sundhedsraad-klynge-et"]
    assert slugs(api, "/api/v1/klynger/", aktiv="false", dato=EFTER) == ["klynge-et"]
    assert slugs(api, "/api/v1/fora/", type="sundhedsraad", aktiv="true", dato=FORBEREDELSE) == []
    assert slugs(api, "/api/v1/fora/", type="sundhedsraad", aktiv="true", dato=EFTER) == ["sundhedsraad-klynge-et"]
    assert slugs(api, "/api/v1/fora/", klynge="klynge-et", aktiv="true", dato=EFTER) == []
    # Without ?dato= the list is unfiltered by day and `aktiv` is about today.
    assert len(slugs(api, "/api/v1/klynger/")) == 3


def test_municipalities_are_those_valid_on_the_day(api, epoker):
    PartFactory(navn="Kommune Ny", slug="kommune-ny", valid_from=datetime.date(2027, 1, 1))
    epoker["omraade"].kommuner.add(PartFactory._meta.model.objects.get(slug="kommune-ny"))

    def kommuner(dato):
        return [k["slug"] for k in hent(api, "/api/v1/klynger/sundhedsraad-klynge-et/", dato=dato)["kommuner"]]

    assert kommuner(FORBEREDELSE) == ["kommune-a", "kommune-b"]
    assert kommuner(EFTER) == ["kommune-a", "kommune-b", "kommune-ny"]


# --- fora --------------------------------------------------------------------------------------------


def test_a_forum_names_successors_and_predecessors_by_slug_and_its_preparatory_start(api, epoker):
    niveau = hent(api, "/api/v1/fora/klynge-et-politisk/", dato=EFTER)
    raad = hent(api, "/api/v1/fora/sundhedsraad-klynge-et/", dato=FORBEREDELSE)

    assert niveau["efterfoelgere"] == ["sundhedsraad-klynge-et"]
    assert (niveau["arkiveret"], niveau["medlemmer"]) == (True, [])
    assert sorted(raad["forgaengere"]) == ["klynge-et-administrativ", "klynge-et-politisk"]
    assert raad["forberedende_fra"] == "2026-01-01"
    assert (raad["forberedende"], raad["aktiv"], raad["arkiveret"]) == (True, False, False)
    assert raad["klynge"] == "sundhedsraad-klynge-et"
    assert [m["navn"] for m in raad["medlemmer"]] == ["Forberedende medlem af Sundhedsråd Et"]


def test_members_are_those_of_the_day(api, epoker):
    kb = epoker["struktur"]["fora"]["kb_a"]
    MedlemskabFactory(forum=kb, person__navn="Til 2026", valid_to=datetime.date(2026, 12, 31))
    MedlemskabFactory(forum=kb, person__navn="Fra 2027", valid_from=datetime.date(2027, 1, 1))

    def navne(**params):
        return [m["navn"] for m in hent(api, "/api/v1/fora/kb-a/", **params)["medlemmer"]]

    assert navne(dato=FORBEREDELSE) == ["Til 2026"]
    assert navne(dato=EFTER) == ["Fra 2027"]
    assert navne() == navne(dato=timezone.localdate().isoformat())


# --- invalid dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDEPUNKTER)
@pytest.mark.parametrize(("vaerdi", "besked"), [
    ("2027-13-01", "Datoen »2027-13-01« findes ikke. Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-02-01."),
    ("abc", "Datoen »abc« kunne ikke læses. Skriv datoen som ÅÅÅÅ-MM-DD, fx 2027-02-01."),
])
def test_an_invalid_date_is_a_400_naming_the_field(api, struktur, url, vaerdi, besked):
    svar = api.get(url, {"dato": vaerdi, "aktiv": "true"})

    assert svar.status_code == 400
    assert svar["Content-Type"] == "application/json"
    assert svar.json() == {"dato": [besked]}


def test_an_invalid_date_is_reported_before_an_invalid_filter(api, struktur):
    assert list(api.get("/api/v1/parter/", {"type": "planet", "dato": "abc"}).json()) == ["dato"]


def test_the_schema_documents_the_day_and_its_400_on_every_structure_endpoint(db):
    skema = SchemaGenerator().get_schema(request=None, public=True)
    for sti in ["/api/v1/parter/", "/api/v1/parter/{slug}/", "/api/v1/klynger/", "/api/v1/klynger/{slug}/",
                "/api/v1/fora/", "/api/v1/fora/{slug}/"]:
        op = skema["paths"][sti]["get"]
        dato = next(p for p in op["parameters"] if p["name"] == "dato")
        assert dato["in"] == "query" and dato["schema"] == {"type": "string", "format": "date"}
        assert "400" in op["responses"], sti
    felter = skema["components"]["schemas"]["Forum"]["properties"]
    assert {"efterfoelgere", "forgaengere", "forberedende_fra", "forberedende", "aktiv"} <= set(felter)
    assert {"art", "efterfoelgere", "forgaengere"} <= set(skema["components"]["schemas"]["Klynge"]["properties"])


# --- constant number of queries ----------------------------------------------------------------------


def antal_queries(api: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        svar = api.get(url)
    assert svar.status_code == 200, svar.content
    return len(ctx.captured_queries)


# The ceilings of test_api.py: a list is count + page + one query per prefetched relation; a detail
# skips the count, and a nested prefetch with nothing to fill (an area with no body that day) is skipped.
@pytest.mark.parametrize(("url", "loft"), [
    ("/api/v1/parter/", 2), ("/api/v1/klynger/", 7), ("/api/v1/fora/", 5), ("/api/v1/klynger/?aktiv=true", 7),
    ("/api/v1/fora/?aktiv=false", 5), ("/api/v1/klynger/klynge-et/", 6),
    ("/api/v1/klynger/sundhedsraad-klynge-et/", 6), ("/api/v1/fora/sundhedsraad-klynge-et/", 4),
])
def test_the_number_of_queries_is_the_same_with_and_without_a_day_and_does_not_grow(api, epoker, url, loft):
    skille = "&" if "?" in url else "?"
    idag = timezone.localdate().isoformat()
    assert antal_queries(api, url) == antal_queries(api, f"{url}{skille}dato={idag}")
    foer = {dato: antal_queries(api, f"{url}{skille}dato={dato}") for dato in (FOER, FORBEREDELSE, EFTER)}
    assert max(foer.values()) <= loft, foer

    for i in range(5):
        dele = to_epoker(navn=f"Klynge Mere{i}", slug=f"mere-{i}", kommuner=[PartFactory(), PartFactory()])
        epoker["klynge"].efterfoelgere.add(dele["omraade"])
        epoker["politisk"].efterfoelgere.add(dele["raad"])
        dele["raad"].efterfoelgere.add(epoker["raad"])
        for _ in range(3):
            MedlemskabFactory(forum=epoker["raad"], valid_from=datetime.date(2026, 1, 1))
    efter = {dato: antal_queries(api, f"{url}{skille}dato={dato}") for dato in (FOER, FORBEREDELSE, EFTER)}
    assert efter == foer
