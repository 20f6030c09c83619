"""Danish numbers in import files (issue 13 item 1): one way of writing numbers per file, decided by the
file; `.` is a thousands separator where the decimals are written with a comma; a file mixing the two is
refused, naming the line; the preview shows each number as it will be stored."""

import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indikatorer import services
from indikatorer.importer import KOMMA, PUNKTUM, AndetTalformat, kontroller, laes_tal
from indikatorer.models import ImportBatch, Maaling
from tests.indikatorer.conftest import csv_fil

pytestmark = pytest.mark.django_db

HEADER = "kode;geografi;periode;vaerdi;taeller;naevner"


@pytest.fixture(autouse=True)
def _data(struktur, indikatorer):
    return None


def _tal(resultat) -> list[tuple]:
    return [(r.linje, r.vaerdi, r.taeller, r.naevner) for r in resultat.raekker]


def D(tekst: str) -> Decimal:
    return Decimal(tekst).quantize(Decimal("0.0001"))


# --- the review's file --------------------------------------------------------------------------------------------


def test_a_danish_denominator_with_a_thousands_point_is_read_as_thousands():
    """The row from the issue: `…;10,9;955;8.761` in a semicolon file with BOM."""
    data = csv_fil([("andel", "kommune-a", "2024H1", "10,9", "955", "8.761"),
                    ("andel", "kommune-b", "2024H1", "12,0", "708", "5.900")], header=HEADER)
    r = kontroller("eksport.csv", data)
    assert r.fejl == [] and r.talformat == KOMMA
    assert _tal(r) == [(2, D("10.9"), D("955"), D("8761")), (3, D("12"), D("708"), D("5900"))]


def test_a_semicolon_file_reads_thousands_points_even_before_any_decimal_comma():
    data = csv_fil([("rate", "kommune-a", "2024H1", "5.900"), ("rate", "kommune-b", "2024H1", "1.234,5")])
    assert [r.vaerdi for r in kontroller("data.csv", data).raekker] == [D("5900"), D("1234.5")]


def test_a_value_with_a_decimal_comma_makes_a_comma_separated_file_danish():
    data = csv_fil([("rate", "kommune-a", "2024H1", '"8.761"'), ("rate", "kommune-b", "2024H1", '"10,9"')],
                   sep=",", bom=False)
    r = kontroller("data.csv", data)
    assert r.talformat == KOMMA and [x.vaerdi for x in r.raekker] == [D("8761"), D("10.9")]


# --- decimal point keeps working --------------------------------------------------------------------------------


def test_a_comma_separated_file_with_decimal_points_keeps_working():
    data = csv_fil([("andel", "kommune-a", "2024H1", "10.9", "955", "8761"),
                    ("rate", "kommune-b", "2024H1", "8.761", "", ""),
                    ("rate", "kommune-c", "2024H1", '"1,234.5"', "", "")], sep=",", bom=False, header=HEADER)
    r = kontroller("data.csv", data)
    assert r.fejl == [] and r.talformat == PUNKTUM
    assert _tal(r) == [(2, D("10.9"), D("955"), D("8761")), (3, D("8.761"), None, None),
                       (4, D("1234.5"), None, None)]


def test_a_semicolon_file_written_with_decimal_points_is_read_with_decimal_points():
    """The first number that can be read only one way decides, also for the values before it."""
    data = csv_fil([("rate", "kommune-a", "2024H1", "8.761"), ("rate", "kommune-b", "2024H1", "10.9")])
    r = kontroller("data.csv", data)
    assert r.talformat == PUNKTUM and [x.vaerdi for x in r.raekker] == [D("8.761"), D("10.9")]


# --- mixing is refused, naming the line -------------------------------------------------------------------------


def test_a_column_mixing_decimal_comma_and_point_is_refused_naming_the_line():
    data = csv_fil([("andel", "kommune-a", "2024H1", "10,9"), ("andel", "kommune-b", "2024H1", "12.5"),
                    ("andel", "kommune-c", "2024H1", "13")])
    r = kontroller("data.csv", data)
    assert r.fejl == [
        "Linje 3: værdien '12.5' er skrevet med decimalpunktum, men filen bruger decimalkomma og punktum som "
        "tusindtalsskilletegn (fx '10,9' i linje 2)."
    ]


def test_a_decimal_comma_in_a_file_with_decimal_points_is_refused_naming_the_line():
    data = csv_fil([("rate", "kommune-a", "2024H1", "8.761", "", ""), ("rate", "kommune-b", "2024H1", "10.9", "", ""),
                    ("rate", "kommune-c", "2024H1", "5", "1", '"2,5"')], sep=",", bom=False, header=HEADER)
    r = kontroller("data.csv", data)
    assert r.fejl == [
        "Linje 4: nævneren '2,5' er skrevet med decimalkomma, men filen bruger decimalpunktum og komma som "
        "tusindtalsskilletegn (fx '10.9' i linje 3)."
    ]


def test_a_mixed_file_saves_nothing_and_the_api_names_the_line(personas):
    klient = APIClient()
    klient.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=personas['sekretariat'])[0].key}")
    data = csv_fil([("andel", "kommune-a", "2024H1", "10,9"), ("andel", "kommune-b", "2024H1", "1234.5")])
    svar = klient.post("/api/v1/indikatorer/import/", {"fil": SimpleUploadedFile("d.csv", data)}, format="multipart")
    assert svar.status_code == 400
    assert svar.json()["fil"] == [
        "Linje 3: værdien '1234.5' er skrevet med decimalpunktum, men filen bruger decimalkomma og punktum som "
        "tusindtalsskilletegn (fx '10,9' i linje 2)."
    ]
    assert not Maaling.objects.exists() and not ImportBatch.objects.exists()


# --- through the services, the API and the preview --------------------------------------------------------------


def test_the_api_stores_the_thousands_the_file_meant(personas):
    data = csv_fil([("andel", "kommune-a", "2024H1", "10,9", "955", "8.761")], header=HEADER)
    services.import_direkte(bruger=personas["sekretariat"], filnavn="eksport.csv", indhold=data)
    m = Maaling.objects.get()
    assert (m.vaerdi, m.taeller, m.naevner) == (Decimal("10.9"), Decimal("955"), Decimal("8761"))


def test_the_preview_shows_each_number_as_it_will_be_stored(client, personas):
    client.force_login(personas["sekretariat"])
    data = csv_fil([("andel", "kommune-a", "2024H1", "10,9", "955", "8.761"),
                    ("rate", "kommune-b", "2024H1", "1.234,5", "", "")], header=HEADER)
    svar = client.post(reverse("import"), {"fil": SimpleUploadedFile("eksport.csv", data)})
    preview = html.unescape(client.get(svar["Location"]).content.decode())
    celler = re.findall(r'<td class="tal">([^<]*)</td>', preview)
    assert celler == ["10,9", "955", "8761", "1234,5", "", ""]


def test_text_cells_in_an_excel_sheet_are_read_the_danish_way():
    bog = Workbook()
    for r in [("kode", "geografi", "periode", "vaerdi", "taeller", "naevner"),
              ("andel", "kommune-a", "2024H1", "10,9", "955", "8.761"),
              ("rate", "kommune-b", "2024H1", 1234.5, 3, 8761)]:
        bog.active.append(list(r))
    ud = io.BytesIO()
    bog.save(ud)
    r = kontroller("data.xlsx", ud.getvalue())
    assert _tal(r) == [(2, D("10.9"), D("955"), D("8761")), (3, D("1234.5"), D("3"), D("8761"))]


# --- one number ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("tekst, talformat, forventet", [
    ("8.761", KOMMA, "8761"), ("8.761", PUNKTUM, "8.761"), ("5.900", KOMMA, "5900"), ("1.234,5", KOMMA, "1234.5"),
    ("1,234.5", PUNKTUM, "1234.5"), ("1 234,5", KOMMA, "1234.5"), ("10,9", KOMMA, "10.9"), ("10.9", PUNKTUM, "10.9"),
    ("1,234", KOMMA, "1.234"), ("1,234", PUNKTUM, "1234"), ("−3,2 %", KOMMA, "-3.2"), ("955", PUNKTUM, "955"),
])
def test_a_number_is_read_the_files_way(tekst, talformat, forventet):
    assert laes_tal(tekst, talformat) == Decimal(forventet)


@pytest.mark.parametrize("tekst, talformat", [("12.5", KOMMA), ("1234.56", KOMMA), ("10,9", PUNKTUM),
                                              ("1.234,5", PUNKTUM)])
def test_a_number_written_the_other_way_is_told_apart_from_one_that_is_not_a_number(tekst, talformat):
    with pytest.raises(AndetTalformat):
        laes_tal(tekst, talformat)


@pytest.mark.parametrize("tekst", ["1.23,4", "12.34.5", "1,2,3", "1e5", "NaN", "12,5,3"])
def test_badly_grouped_numbers_are_not_numbers(tekst):
    with pytest.raises(ValueError) as exc:
        laes_tal(tekst, KOMMA)
    assert not isinstance(exc.value, AndetTalformat)
