"""The indicator API as DESIGN.md fixes it: field names, filters, import all or nothing with Danish messages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indikatorer import importer
from indikatorer import models as indikator_models
from indikatorer.models import ImportBatch, Maaling
from tests.indikatorer.conftest import csv_fil, fuld_periode, importer_raekker

pytestmark = pytest.mark.django_db


def _klient(bruger=None) -> APIClient:
    klient = APIClient()
    if bruger is not None:
        klient.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=bruger)[0].key}")
    return klient


def _fil(data: bytes, navn: str = "data.csv"):
    return SimpleUploadedFile(navn, data)


@pytest.fixture
def data(personas, indikatorer):
    importer_raekker(personas["sekretariat"], fuld_periode("2024H1") + fuld_periode("2024H2", basis=30))
    return indikatorer


def test_indicator_list_is_public_with_unit_direction_frequency_and_goal(data):
    svar = _klient().get("/api/v1/indikatorer/")
    assert svar.status_code == 200
    foerste = svar.json()["results"][0]
    assert foerste["kode"] == "andel"
    assert {"kode", "navn", "enhed", "retning", "frekvens", "kilde", "maalsaetning", "nationalt_maal",
            "maalinger"} <= set(foerste)
    assert foerste["maalinger"].endswith("/api/v1/indikatorer/andel/maalinger/")


def test_measurements_have_vaerdi_periode_and_geografi(data):
    svar = _klient().get("/api/v1/indikatorer/andel/maalinger/", {"geografi": "kommune-a", "periode": "2024H2"})
    assert svar.status_code == 200
    assert svar.json()["results"] == [{
        "geografi": "kommune-a", "geografi_type": "kommune", "periode": "2024H2", "vaerdi": 33.0, "taeller": None,
        "naevner": None, "note": "", "syntetisk": False,
    }]


def test_measurements_filter_by_several_geographies_and_a_period_range(data):
    svar = _klient().get("/api/v1/indikatorer/andel/maalinger/",
                         {"geografi": "region-midtjylland,klynge-et", "fra": "2024H1", "til": "2024H2"})
    raekker = [(r["geografi"], r["periode"]) for r in svar.json()["results"]]
    assert raekker == [("region-midtjylland", "2024H1"), ("klynge-et", "2024H1"),
                       ("region-midtjylland", "2024H2"), ("klynge-et", "2024H2")]


def test_unknown_geography_or_period_is_a_danish_validation_error(data):
    svar = _klient().get("/api/v1/indikatorer/andel/maalinger/", {"geografi": "atlantis", "periode": "2024H3"})
    assert svar.status_code == 400
    assert svar.json() == {"geografi": ["Ukendt geografi: atlantis."],
                           "periode": ["Ugyldig periode: 2024H3 (skriv fx 2024H1, 2024H2 eller 2024)."]}


def test_an_unknown_indicator_is_404_in_danish(data):
    svar = _klient().get("/api/v1/indikatorer/findes-ikke/maalinger/")
    assert svar.status_code == 404 and svar.json() == {"detail": "Findes ikke."}


def test_import_needs_a_login_and_the_capability(personas, indikatorer):
    assert _klient().post("/api/v1/indikatorer/import/", {"fil": _fil(b"x")}, format="multipart").status_code == 401
    svar = _klient(personas["klynge"]).post("/api/v1/indikatorer/import/", {"fil": _fil(b"x")}, format="multipart")
    assert svar.status_code == 403
    assert svar.json() == {"detail": "Du har ikke adgang til at importere indikatordata."}


@pytest.mark.parametrize("persona", ["sekretariat", "oekonomi"])
def test_import_of_a_csv_file_returns_the_batch(personas, oekonomi, indikatorer, persona):
    bruger = oekonomi if persona == "oekonomi" else personas[persona]
    svar = _klient(bruger).post("/api/v1/indikatorer/import/", {"fil": _fil(csv_fil(fuld_periode("2024H1")))},
                                format="multipart")
    assert svar.status_code == 201, svar.json()
    body = svar.json()
    assert body["status"] == "faerdig" and body["antal_raekker"] == 12 and body["perioder"] == ["2024H1"]
    assert Maaling.objects.count() == 12


def test_import_of_an_xlsx_file(personas, indikatorer):
    bog = Workbook()
    bog.active.append(["kode", "geografi", "periode", "vaerdi"])
    bog.active.append(["andel", "kommune-a", "2024H1", 12.5])
    ud = io.BytesIO()
    bog.save(ud)
    svar = _klient(personas["sekretariat"]).post(
        "/api/v1/indikatorer/import/", {"fil": _fil(ud.getvalue(), "data.xlsx")}, format="multipart")
    assert svar.status_code == 201 and svar.json()["format"] == "xlsx"


def test_one_bad_row_refuses_the_file_with_400_and_a_danish_message_per_bad_row(personas, indikatorer):
    data = csv_fil([("andel", "kommune-a", "2024H1", "1"), ("xyz", "kommune-a", "2024H1", "1"),
                    ("andel", "kommune-b", "2024H1", "1"), ("andel", "kommune-b", "2024H1", "2")])
    svar = _klient(personas["sekretariat"]).post("/api/v1/indikatorer/import/", {"fil": _fil(data)},
                                                 format="multipart")
    assert svar.status_code == 400
    assert svar.json()["fil"] == [
        "Linje 3: ukendt indikatorkode 'xyz'.",
        "Linje 5: samme indikator, geografi og periode som linje 4 (andel, kommune-b, 2024H1).",
    ]
    assert svar.json()["detail"] == "2 rækker i filen har fejl, så intet er gemt. Ret fejlene, og prøv igen."
    assert not Maaling.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize("data, besked", [
    (b"", "Den indsendte fil er tom."),
    (b"kode;geografi;periode;vaerdi\n", "Filen indeholder ingen datarækker, kun en overskrift."),
])
def test_empty_files_are_refused_in_danish(personas, indikatorer, data, besked):
    svar = _klient(personas["sekretariat"]).post("/api/v1/indikatorer/import/", {"fil": _fil(data)},
                                                 format="multipart")
    assert svar.status_code == 400
    assert svar.json()["fil"] in ([besked], ["Filen er tom."])


def test_missing_file_field_names_the_field(personas, indikatorer):
    svar = _klient(personas["sekretariat"]).post("/api/v1/indikatorer/import/", {}, format="multipart")
    assert svar.status_code == 400 and svar.json() == {"fil": ["Vedhæft en fil i feltet 'fil'."]}


def test_an_oversize_file_is_refused_with_the_limit(personas, indikatorer, monkeypatch):
    monkeypatch.setattr(importer, "MAKS_STOERRELSE", 50)
    svar = _klient(personas["sekretariat"]).post("/api/v1/indikatorer/import/", {"fil": _fil(b"x" * 100)},
                                                 format="multipart")
    assert svar.status_code == 400 and "Filen er for stor" in svar.json()["fil"][0]


def test_a_large_import_answers_202_and_its_status_can_be_followed(personas, indikatorer, monkeypatch,
                                                                   django_capture_on_commit_callbacks):
    monkeypatch.setattr(indikator_models, "GRAENSE_ASYNKRON", 5)
    klient = _klient(personas["sekretariat"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        svar = klient.post("/api/v1/indikatorer/import/", {"fil": _fil(csv_fil(fuld_periode("2024H1")))},
                           format="multipart")
    assert svar.status_code == 202 and svar.json()["status"] == "venter"
    status_url = svar.json()["status_url"]
    for cb in callbacks:
        cb()
    status = klient.get(status_url).json()
    assert status["status"] == "faerdig" and status["behandlet"] == 12


def test_outsiders_get_404_for_a_batch(personas, indikatorer):
    batch = importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1")])
    url = f"/api/v1/indikatorer/import/{batch.pk}/"
    assert _klient(personas["klynge"]).get(url).status_code == 404
    assert _klient(personas["kommune_a"]).get(url).json() == {"detail": "Findes ikke."}
    assert _klient(personas["sekretariat"]).get(url).status_code == 200


def test_the_schema_documents_the_indicator_endpoints(client):
    svar = client.get("/api/schema/")
    assert svar.status_code == 200
    tekst = svar.content.decode()
    for sti in ["/api/v1/indikatorer/", "/api/v1/indikatorer/{kode}/maalinger/", "/api/v1/indikatorer/import/"]:
        assert sti in tekst
