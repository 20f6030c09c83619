"""Reading import files as Danish offices produce them, and one Danish message per bad row."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from indikatorer import importer
from indikatorer.importer import FilFejl, kontroller, laes_periode, laes_tal
from indikatorer.perioder import Periode
from tests.indikatorer.conftest import csv_fil

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data(struktur, indikatorer):
    return None


def _vaerdier(resultat):
    return [(r.indikator.kode, r.geografi.slug, r.periode.kode, r.vaerdi) for r in resultat.raekker]


def xlsx(raekker) -> bytes:
    bog = Workbook()
    ark = bog.active
    for r in raekker:
        ark.append(list(r))
    ud = io.BytesIO()
    bog.save(ud)
    return ud.getvalue()


# --- numbers and periods ------------------------------------------------------------------------


@pytest.mark.parametrize("tekst, forventet", [
    ("12,5", "12.5"), ("12.5", "12.5"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("1 234,5", "1234.5"),
    ("1\u00a0234,5", "1234.5"), ("12,5 %", "12.5"), ("−3,2", "-3.2"), ("1.234.567", "1234567"), (" 7 ", "7"),
    (12.5, "12.5"), (3, "3"),
])
def test_numbers_are_read_with_decimal_comma_or_point_and_thousands_separators(tekst, forventet):
    assert laes_tal(tekst) == Decimal(forventet)


@pytest.mark.parametrize("tekst", ["abc", "12,5,3", "", "1e5", "--2", True])
def test_what_is_not_a_number_is_refused(tekst):
    with pytest.raises(ValueError):
        laes_tal(tekst)


@pytest.mark.parametrize("celle, frekvens, forventet", [
    ("2024H1", "halvaar", "2024H1"), ("2024h2", "halvaar", "2024H2"), ("2024-H1", "halvaar", "2024H1"),
    ("2024 H2", "halvaar", "2024H2"), ("H1 2024", "halvaar", "2024H1"), ("2024", "aar", "2024"),
    (2024, "aar", "2024"), (2024.0, "aar", "2024"),
    (datetime.datetime(2024, 3, 31), "halvaar", "2024H1"), (datetime.date(2024, 9, 1), "halvaar", "2024H2"),
    ("01-07-2024", "halvaar", "2024H2"), ("31.12.2023", "aar", "2023"), ("2024-01-01", "halvaar", "2024H1"),
    (45474, "halvaar", "2024H2"), ("45292", "halvaar", "2024H1"), ("01-07-2024 00:00", "halvaar", "2024H2"),
])
def test_periods_are_read_from_codes_years_and_excel_dates(celle, frekvens, forventet):
    assert laes_periode(celle, frekvens).kode == forventet


def test_period_keys_sort_by_the_end_of_the_period():
    assert Periode.fra_kode("2023").noegle < Periode.fra_kode("2024H1").noegle < Periode.fra_kode("2024").noegle
    assert Periode.fra_kode("2024H2").forrige().kode == "2024H1"
    assert Periode.fra_kode("2024H1").forrige().kode == "2023H2"
    assert Periode.fra_kode("2024H3") is None


# --- files ----------------------------------------------------------------------------------------


def test_csv_with_bom_semicolons_and_decimal_comma_as_excel_saves_it():
    data = csv_fil([("andel", "kommune-a", "2024H1", "12,5"), ("rate", "klynge-et", "2024H2", "1.234,75")])
    assert data.startswith(b"\xef\xbb\xbf")
    r = kontroller("eksport.csv", data)
    assert r.antal_fejl == 0
    assert _vaerdier(r) == [("andel", "kommune-a", "2024H1", Decimal("12.5")),
                            ("rate", "klynge-et", "2024H2", Decimal("1234.75"))]


def test_csv_without_bom_with_commas_and_decimal_point():
    # One way of writing numbers per file: a column mixing '12.5' and '7,25' is refused (test_danske_tal.py).
    data = csv_fil([("andel", "kommune-a", "2024H1", "12.5"), ("rate", "kommune-b", "2024H1", '"1,234.5"')],
                   sep=",", bom=False, linjeskift="\n")
    r = kontroller("data.csv", data)
    assert r.antal_fejl == 0
    assert [x[3] for x in _vaerdier(r)] == [Decimal("12.5"), Decimal("1234.5")]


def test_csv_in_windows_1252_from_excel_semicolon_export_is_read():
    data = "kode;geografi;periode;værdi;tæller;nævner\r\nandel;Kommune A;2024H1;12,5;25;200\r\n".encode("cp1252")
    r = kontroller("data.csv", data)
    assert r.antal_fejl == 0
    raekke = r.raekker[0]
    assert (raekke.geografi.slug, raekke.vaerdi, raekke.taeller, raekke.naevner) == (
        "kommune-a", Decimal("12.5"), Decimal("25"), Decimal("200"))


def test_utf16_tab_separated_unicode_text_from_excel_is_read():
    data = "kode\tgeografi\tperiode\tvaerdi\r\nandel\tkommune-a\t2024H1\t3,5\r\n".encode("utf-16")
    r = kontroller("data.txt", data)
    assert _vaerdier(r) == [("andel", "kommune-a", "2024H1", Decimal("3.5"))]


def test_file_without_header_uses_the_documented_column_order():
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2024H1", "1,5", "3", "200")], header=""))
    assert r.antal_fejl == 0
    assert r.raekker[0].taeller == Decimal("3") and r.raekker[0].naevner == Decimal("200")


def test_header_columns_may_come_in_any_order_and_unknown_ones_are_ignored():
    data = csv_fil([("Kommune A", "12,5", "2024H1", "andel", "ja")], header="Geografinavn;Værdi;Periode;Kode;syntetisk")
    with pytest.raises(FilFejl, match="geografi"):
        kontroller("data.csv", data)
    data = csv_fil([("kommune-a", "Kommune A", "12,5", "2024H1", "andel")],
                   header="geografi;geografinavn;vaerdi;periode;kode")
    r = kontroller("data.csv", data)
    assert r.antal_fejl == 0 and r.ignorerede_kolonner == ["geografinavn"]


def test_geographies_may_be_written_as_names():
    r = kontroller("data.csv", csv_fil([
        ("andel", "Region Midtjylland", "2024H1", "1"), ("andel", "Klynge Et", "2024H1", "2"),
        ("andel", "KOMMUNE-A", "2024H1", "3"),
    ]))
    assert [x[1] for x in _vaerdier(r)] == ["region-midtjylland", "klynge-et", "kommune-a"]


def test_xlsx_with_numbers_and_excel_dates_is_read():
    data = xlsx([
        ("kode", "geografi", "periode", "vaerdi", "taeller", "naevner"),
        ("andel", "kommune-a", datetime.datetime(2024, 1, 1), 12.5, 25, 200),
        ("rate", "klynge-et", "2024H2", 1234, None, None),
        (None, None, None, None, None, None),
        ("aarlig", "region-midtjylland", 2023, "2,75", None, None),
    ])
    r = kontroller("indikatorer.xlsx", data)
    assert r.format == "xlsx" and r.antal_fejl == 0
    assert _vaerdier(r) == [("andel", "kommune-a", "2024H1", Decimal("12.5")),
                            ("rate", "klynge-et", "2024H2", Decimal("1234")),
                            ("aarlig", "region-midtjylland", "2023", Decimal("2.75"))]


def test_xlsx_errors_name_the_excel_row():
    data = xlsx([("kode", "geografi", "periode", "vaerdi"), ("andel", "kommune-a", "2024H1", 1),
                 ("findes-ikke", "kommune-a", "2024H1", 1)])
    r = kontroller("indikatorer.xlsx", data)
    assert r.fejl == ["Linje 3: ukendt indikatorkode 'findes-ikke'."]


def test_a_broken_xlsx_file_gets_a_clear_message():
    with pytest.raises(FilFejl, match="Excel-regneark"):
        kontroller("data.xlsx", b"PK\x03\x04 ikke et regneark")


def test_an_old_xls_file_is_refused_with_advice():
    with pytest.raises(FilFejl, match=r"\.xlsx"):
        kontroller("data.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)


# --- errors, one message per bad row naming its line -------------------------------------------------


def test_each_bad_row_gets_one_danish_message_naming_its_line():
    data = csv_fil([
        ("andel", "kommune-a", "2024H1", "12,5"),
        ("ukendt", "kommune-a", "2024H1", "1"),
        ("andel", "atlantis", "2024H1", "1"),
        ("andel", "kommune-b", "2024H3", "1"),
        ("andel", "kommune-c", "2024H1", "mange"),
        ("rate", "klynge-to", "2024H1", ""),
        ("andel", "kommune-a", "2024H1", "13"),
        ("ukendt", "atlantis", "foraar", "x"),
    ])
    r = kontroller("data.csv", data)
    assert r.fejl == [
        "Linje 3: ukendt indikatorkode 'ukendt'.",
        "Linje 4: ukendt geografi 'atlantis'.",
        "Linje 5: ugyldig periode '2024H3' (skriv fx 2024H1, 2024H2 eller 2024).",
        "Linje 6: værdien 'mange' er ikke et tal.",
        "Linje 7: værdien mangler.",
        "Linje 8: samme indikator, geografi og periode som linje 2 (andel, kommune-a, 2024H1).",
        "Linje 9: ukendt indikatorkode 'ukendt'; ukendt geografi 'atlantis'; ugyldig periode 'foraar' "
        "(skriv fx 2024H1, 2024H2 eller 2024); værdien 'x' er ikke et tal.",
    ]
    assert len(r.raekker) == 1


def test_line_numbers_count_blank_lines_and_the_header():
    data = b"kode;geografi;periode;vaerdi\r\n\r\nandel;kommune-a;2024H1;1\r\n;;;\r\nandel;kommune-z;2024H1;1\r\n"
    assert kontroller("data.csv", data).fejl == ["Linje 5: ukendt geografi 'kommune-z'."]


def test_period_must_match_the_indicators_frequency():
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2024", "1"), ("aarlig", "kommune-a", "2024H1", "1")]))
    assert r.fejl == [
        "Linje 2: indikatoren 'andel' følges halvårligt: skriv perioden som 2024H1 eller 2024H2, ikke '2024'.",
        "Linje 3: indikatoren 'aarlig' opgøres for hele år: skriv perioden som 2024, ikke '2024H1'.",
    ]


def test_future_and_ancient_periods_are_refused():
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2099H1", "1"), ("andel", "kommune-a", "1999H1", "1")]))
    assert r.fejl == ["Linje 2: perioden 2099H1 ligger i fremtiden.", "Linje 3: perioden 1999H1 ligger før 2000."]


def test_a_share_in_per_cent_must_lie_between_0_and_100():
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2024H1", "123,4")]))
    assert r.fejl == ["Linje 2: en andel i procent skal ligge mellem 0 og 100, ikke 123,4."]


def test_a_hospital_is_not_a_geography():
    from organisation.models import Part

    hospital = Part.objects.filter(type="hospital").first()
    r = kontroller("data.csv", csv_fil([("andel", hospital.slug, "2024H1", "1")]))
    assert "er ikke en geografi" in r.fejl[0]


def test_zero_denominator_and_wrong_column_count_are_refused():
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2024H1", "1", "1", "0"), ("andel", "kommune-a")],
                                       header=""))
    assert r.fejl == [
        "Linje 1: nævneren skal være større end 0.",
        "Linje 2: forventede 4 til 7 kolonner (kode;geografi;periode;vaerdi[;taeller;naevner]), fandt 2.",
    ]


@pytest.mark.parametrize("indhold, besked", [
    (b"", "Filen er tom."),
    (b"\xef\xbb\xbf", "Filen er tom."),
    (b"\r\n;;;\r\n", "Filen er tom."),
    (b"kode;geografi;periode;vaerdi\r\n", "Filen indeholder ingen datarækker, kun en overskrift."),
])
def test_empty_files_are_refused(indhold, besked):
    with pytest.raises(FilFejl) as exc:
        kontroller("data.csv", indhold)
    assert exc.value.message == besked


def test_a_header_missing_a_column_is_refused():
    with pytest.raises(FilFejl, match="mangler kolonnen 'periode'"):
        kontroller("data.csv", b"kode;geografi;vaerdi\r\nandel;kommune-a;1\r\n")


def test_an_oversize_file_is_refused_with_its_size_and_the_limit(settings, monkeypatch):
    monkeypatch.setattr(importer, "MAKS_STOERRELSE", 1000)
    with pytest.raises(FilFejl) as exc:
        kontroller("data.csv", b"kode;geografi;periode;vaerdi\r\n" + b"andel;kommune-a;2024H1;1\r\n" * 100)
    assert "Filen er for stor" in exc.value.message and "Den største tilladte størrelse" in exc.value.message


def test_the_error_list_is_capped_but_counts_every_bad_row(monkeypatch):
    monkeypatch.setattr(importer, "MAKS_FEJLBESKEDER", 3)
    r = kontroller("data.csv", csv_fil([("ukendt", "kommune-a", f"20{10 + i}H1", "1") for i in range(10)]))
    assert r.antal_fejl == 10
    assert r.fejlbeskeder[-1] == "… og 7 fejl mere."
