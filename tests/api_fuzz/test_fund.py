"""What the API fuzzing (test_api_fuzz.py, marker `fuzz`) found, pinned as ordinary tests that run in every
suite, on SQLite as on PostgreSQL: each was a 500 or an answer the schema did not describe."""

import pytest
from rest_framework.test import APIClient

from sundhed.api import NUL_BESKED

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def skema(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        svar = APIClient().get("/api/schema/", {"format": "json"})
    assert svar.status_code == 200
    return svar.json()


def klient(bruger=None) -> APIClient:
    c = APIClient()
    if bruger is not None:
        c.force_authenticate(bruger)
    return c


# --- 500s ---------------------------------------------------------------------------------------------------


def test_a_nul_character_in_a_slug_field_is_a_400_naming_the_field(personas):
    # PostgreSQL text cannot hold NUL: the slug was sent to the database as it was, and psycopg refused (500).
    svar = klient(personas["sekretariat"]).post("/api/v1/moeder/", {
        "forum": "faelles-sekretariat\x00", "start": "2027-03-01T10:00", "slut": "2027-03-01T12:00"}, format="json")

    assert svar.status_code == 400
    assert svar.json() == {"forum": [NUL_BESKED]}


@pytest.mark.parametrize("sti, parameter", [
    ("/api/v1/moeder/", "forum"),
    ("/api/v1/moeder/", "klynge"),
    ("/api/v1/moeder/", "status"),
    ("/api/v1/indikatorer/{kode}/maalinger/", "geografi"),
    ("/api/v1/indikatorer/{kode}/maalinger/", "periode"),
    ("/api/v1/indikatorer/{kode}/maalinger/", "fra"),
])
def test_a_nul_character_in_a_query_parameter_read_by_hand_is_a_400_naming_it(sti, parameter):
    from indikatorer.models import Indikator

    indikator = Indikator.objects.create(kode="dagligrygere", navn="Dagligrygere")
    svar = klient().get(sti.format(kode=indikator.kode), {parameter: "a\x00b"})

    assert svar.status_code == 400
    assert svar.json() == {parameter: [NUL_BESKED]}


def test_a_meeting_in_the_year_622_is_refused_rather_than_answered_with_an_offset_in_seconds(personas, struktur):
    # Before 1894 Danish time was local mean time (+00:50:20): the answer's `start` was no RFC 3339 date-time.
    svar = klient(personas["sekretariat"]).post("/api/v1/moeder/", {
        "forum": struktur["fora"]["sekretariat"].slug, "start": "0622-05-06T09:23", "slut": "2027-03-01T12:00"},
        format="json")

    assert svar.status_code == 400
    assert svar.json() == {"start": ["Angiv et tidspunkt mellem år 2000 og 2100."]}


# --- answers the schema did not describe -----------------------------------------------------------------------


@pytest.mark.parametrize("metode, sti", [
    ("get", "/api/v1/mig/"),
    ("get", "/api/v1/mig/notifikationer/"),
    ("put", "/api/v1/mig/notifikationer/"),
    ("get", "/api/v1/mig/abonnementer/"),
    ("post", "/api/v1/mig/abonnementer/"),
    ("delete", "/api/v1/mig/abonnementer/"),
    ("post", "/api/v1/indikatorer/import/"),
    ("get", "/api/v1/indikatorer/import/{id}/"),
    ("post", "/api/v1/klynger/{slug}/maal/"),
    ("patch", "/api/v1/klynger/{slug}/maal/{id}/"),
])
def test_operations_that_answer_anonymous_users_401_document_it(skema, metode, sti):
    assert "401" in skema["paths"][sti][metode]["responses"], f"{metode.upper()} {sti}"


@pytest.mark.parametrize("metode, status", [("post", "400"), ("post", "404"), ("delete", "400"), ("delete", "404")])
def test_following_documents_its_refusals(skema, metode, status):
    assert status in skema["paths"]["/api/v1/mig/abonnementer/"][metode]["responses"]


def test_stopping_to_follow_documents_its_query_parameters(skema):
    parametre = skema["paths"]["/api/v1/mig/abonnementer/"]["delete"].get("parameters", [])

    assert {(p["name"], p["in"]) for p in parametre} == {("aftale", "query"), ("klynge", "query"), ("forum", "query")}


@pytest.mark.parametrize("sti", ["/api/v1/moeder/{id}/", "/api/v1/moeder/{id}/punkter/",
                                 "/api/v1/moeder/{id}/overgange/"])
def test_a_meetings_paths_have_only_the_parameter_in_the_path(skema, sti):
    for metode, operation in skema["paths"][sti].items():
        if metode in {"get", "post", "patch"}:
            assert [(p["name"], p["in"]) for p in operation["parameters"]] == [("id", "path")], metode


def test_the_import_takes_the_files_bytes_not_a_url(skema):
    assert skema["components"]["schemas"]["Import"]["properties"]["fil"]["format"] == "binary"
    svar = skema["paths"]["/api/v1/indikatorer/import/"]["post"]["responses"]
    assert {"400", "401", "403", "415"} <= set(svar)


def test_an_import_nobody_made_shows_its_author_as_null(skema, personas):
    # The demo's own batch has no author; the schema said a string.
    from indikatorer.models import ImportBatch

    assert skema["components"]["schemas"]["ImportBatch"]["properties"]["oprettet_af"].get("nullable") is True
    batch = ImportBatch.objects.create(filnavn="syntetiske-demodata", format="demo")
    sekretariat = klient(personas["sekretariat"])

    assert sekretariat.get(f"/api/v1/indikatorer/import/{batch.pk}/").json()["oprettet_af"] is None


def test_every_operation_that_takes_a_body_documents_415(skema):
    # A body in a format the operation does not read is answered 415 by DRF, on any of them.
    mangler = [f"{metode.upper()} {sti}" for sti, operationer in skema["paths"].items()
               for metode, operation in operationer.items()
               if "requestBody" in operation and "415" not in operation["responses"]]

    assert not mangler


@pytest.mark.parametrize("sti", ["/api/v1/moeder/", "/api/v1/indikatorer/{kode}/maalinger/"])
def test_lists_that_refuse_a_query_parameter_document_the_400(skema, sti):
    assert skema["paths"][sti]["get"]["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Valideringsfejl"}
