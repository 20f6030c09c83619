"""Hostile and broken import files (security review, issue 8 items 6a and 7): every one is refused with a
Danish message (400 / a form error, nothing saved) in bounded memory, and reading stops at the first limit."""

import datetime
import io
import random
import string
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indikatorer import importer
from indikatorer.importer import FilFejl, Opslag, kontroller
from indikatorer.models import ImportBatch, Maaling

MB = 1024 * 1024
HUKOMMELSESGRAENSE = 200 * MB

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PAKKE = "http://schemas.openxmlformats.org/package/2006/relationships"

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + f']>\n<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)
EKSTERN_ENTITET = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    f'<sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
)
EKSTERN_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE worksheet SYSTEM "http://angriber.example/ark.dtd">\n'
    f'<worksheet xmlns="{NS}"><sheetData/></worksheet>'
)


def _opslag() -> Opslag:
    """Nothing to look up: every file here is refused before its rows are checked."""
    return Opslag({}, {}, {}, datetime.date(2026, 11, 29))


def _excel(raekker=(("kode", "geografi", "periode", "vaerdi"), ("andel", "kommune-a", "2024H1", 12.5))) -> bytes:
    bog = Workbook()
    for r in raekker:
        bog.active.append(list(r))
    ud = io.BytesIO()
    bog.save(ud)
    return ud.getvalue()


def _med_del(del_navn: str, xml: str | bytes) -> bytes:
    """A workbook with one part replaced. openpyxl writes no shared strings, so those come in a minimal
    workbook that refers to them, as Excel's do."""
    if del_navn == "xl/sharedStrings.xml":
        return _zip(_regneark(_ark_xml([("kode", "geografi", "periode", "vaerdi")]), delte=xml))
    return _erstat(_excel(), {del_navn: xml})


def _erstat(xlsx: bytes, dele: dict[str, str | bytes]) -> bytes:
    """The workbook with some of its parts replaced (or added)."""
    ind, ud = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(ud, "w", zipfile.ZIP_DEFLATED) as z:
        for info in ind.infolist():
            if info.filename not in dele:
                z.writestr(info.filename, ind.read(info.filename))
        for navn, indhold in dele.items():
            z.writestr(navn, indhold)
    return ud.getvalue()


def _regneark(ark: str | None = None, delte: str | None = None) -> dict[str, str]:
    """The parts of a minimal workbook, as Excel lays them out."""
    rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    if delte is not None:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    typer = ('<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
             'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    if delte is not None:
        typer += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.spreadsheetml.sharedStrings+xml"/>')
    dele = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                               'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               f'{typer}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{PAKKE}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                       'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="Ark1" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PAKKE}">{rels}</Relationships>',
        "xl/worksheets/sheet1.xml": ark or f'<worksheet xmlns="{NS}"><sheetData/></worksheet>',
    }
    if delte is not None:
        dele["xl/sharedStrings.xml"] = delte
    return dele


def _zip(dele: dict[str, str | bytes], **kwargs) -> bytes:
    ud = io.BytesIO()
    with zipfile.ZipFile(ud, "w", zipfile.ZIP_DEFLATED, **kwargs) as z:
        for navn, indhold in dele.items():
            z.writestr(navn, indhold)
    return ud.getvalue()


def _ark_xml(raekker) -> str:
    """A sheet with inline strings and numbers."""
    linjer = []
    for nummer, raekke in enumerate(raekker, start=1):
        celler = "".join(
            f'<c r="{chr(65 + i)}{nummer}"><v>{v}</v></c>' if isinstance(v, int | float)
            else f'<c r="{chr(65 + i)}{nummer}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(raekke) if v is not None
        )
        linjer.append(f'<row r="{nummer}">{celler}</row>')
    return f'<worksheet xmlns="{NS}"><sheetData>{"".join(linjer)}</sheetData></worksheet>'


def _spidsforbrug(funktion):
    """Peak memory (bytes, tracemalloc) while `funktion` runs, and the FilFejl it raised."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        with pytest.raises(FilFejl) as exc:
            funktion()
        spids = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return spids, exc.value.message


# --- the reader still reads what Excel writes -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_minimal_workbook_with_shared_and_inline_strings_is_read(struktur, indikatorer):
    delte = f'<sst xmlns="{NS}"><si><t>kode</t></si><si><r><t>geo</t></r><r><t>grafi</t></r></si></sst>'
    ark = (f'<worksheet xmlns="{NS}"><sheetData>'
           '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
           '<c r="C1" t="inlineStr"><is><t>periode</t></is></c><c r="D1" t="str"><v>vaerdi</v></c></row>'
           '<row r="3"><c r="A3" t="inlineStr"><is><t>andel</t></is></c>'
           '<c r="B3" t="inlineStr"><is><t>kommune-a</t></is></c><c r="C3" t="inlineStr"><is><t>2024H1</t></is></c>'
           '<c r="D3"><f>SUM(1,2)</f><v>12.5</v></c></row></sheetData></worksheet>')
    r = kontroller("data.xlsx", _zip(_regneark(ark, delte)))
    assert r.fejl == []
    assert [(x.linje, x.indikator.kode, x.geografi.slug, x.periode.kode, str(x.vaerdi)) for x in r.raekker] == [
        (3, "andel", "kommune-a", "2024H1", "12.5000")]


# --- item 6a: malformed XML, billion laughs, external entities ----------------------------------------------------


FJENDTLIG_XML = {
    "billion laughs i de delte tekster": ("xl/sharedStrings.xml", BILLION_LAUGHS),
    "ekstern entitet i de delte tekster": ("xl/sharedStrings.xml", EKSTERN_ENTITET),
    "ekstern DTD i arket": ("xl/worksheets/sheet1.xml", EKSTERN_DTD),
    "billion laughs i projektmappen": ("xl/workbook.xml", BILLION_LAUGHS.replace("<sst", "<workbook")
                                       .replace("</sst>", "</workbook>")),
    "ekstern entitet i typografierne": ("xl/styles.xml", EKSTERN_ENTITET.replace("sst", "styleSheet")),
}
BESKADIGET_XML = {
    "arket slutter midt i et element": ("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{NS}"><sheetData><row'),
    "forkert lukket element": ("xl/sharedStrings.xml", f'<sst xmlns="{NS}"><si><t>kode</si></sst>'),
    "ikke XML": ("xl/workbook.xml", "dette er ikke XML"),
    "ugyldige bytes": ("xl/worksheets/sheet1.xml", b"<worksheet>\xff\xfe\x00</worksheet>"),
}


@pytest.mark.parametrize("del_navn, xml", FJENDTLIG_XML.values(), ids=list(FJENDTLIG_XML))
def test_xml_with_a_dtd_or_entities_is_refused_in_danish(del_navn, xml):
    with pytest.raises(FilFejl) as exc:
        kontroller("data.xlsx", _med_del(del_navn, xml), _opslag())
    assert "XML-erklæringer (DTD eller entiteter)" in exc.value.message


@pytest.mark.parametrize("del_navn, xml", BESKADIGET_XML.values(), ids=list(BESKADIGET_XML))
def test_malformed_xml_is_refused_in_danish(del_navn, xml):
    with pytest.raises(FilFejl) as exc:
        kontroller("data.xlsx", _med_del(del_navn, xml), _opslag())
    assert exc.value.message.startswith("Filen kunne ikke læses som et Excel-regneark (.xlsx)")
    assert "ikke gyldig XML" in exc.value.message


@pytest.mark.parametrize("ark", [None, "mangler"])
def test_a_workbook_without_its_sheet_is_refused_in_danish(ark):
    dele = _regneark()
    if ark is None:
        del dele["xl/worksheets/sheet1.xml"]
    else:
        dele["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PAKKE}"/>'
    with pytest.raises(FilFejl, match="Excel-regneark|intet ark"):
        kontroller("data.xlsx", _zip(dele), _opslag())


def _api(bruger) -> APIClient:
    klient = APIClient()
    klient.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=bruger)[0].key}")
    return klient


FJENDTLIGE_FILER = {
    "billion laughs": lambda: _med_del("xl/sharedStrings.xml", BILLION_LAUGHS),
    "ekstern entitet": lambda: _med_del("xl/sharedStrings.xml", EKSTERN_ENTITET),
    "beskadiget XML": lambda: _med_del("xl/worksheets/sheet1.xml", "<worksheet><sheetData>"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("lav", FJENDTLIGE_FILER.values(), ids=list(FJENDTLIGE_FILER))
def test_the_api_answers_400_in_danish_and_saves_nothing(personas, indikatorer, lav):
    svar = _api(personas["sekretariat"]).post(
        "/api/v1/indikatorer/import/", {"fil": SimpleUploadedFile("data.xlsx", lav())}, format="multipart")
    assert svar.status_code == 400
    (besked,) = svar.json()["fil"]
    assert besked.startswith(("Filen er afvist", "Filen kunne ikke læses som et Excel-regneark"))
    assert not ImportBatch.objects.exists() and not Maaling.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("lav", FJENDTLIGE_FILER.values(), ids=list(FJENDTLIGE_FILER))
def test_the_upload_page_shows_a_form_error_and_saves_nothing(client, personas, indikatorer, lav):
    client.force_login(personas["sekretariat"])
    svar = client.post(reverse("import"), {"fil": SimpleUploadedFile("data.xlsx", lav())})
    assert svar.status_code == 400
    tekst = svar.content.decode()
    assert "Filen blev ikke importeret" in tekst
    assert "Filen er afvist" in tekst or "Filen kunne ikke læses som et Excel-regneark" in tekst
    assert not ImportBatch.objects.exists() and not Maaling.objects.exists()


# --- item 7: zip bombs and huge files, in bounded memory ---------------------------------------------------------


def _bombe(navn: str, start: bytes, blok: bytes, gange: int, slut: bytes, dele: dict | None = None) -> bytes:
    """A workbook whose part `navn` unpacks to start + blok * gange + slut, written as a stream."""
    ud = io.BytesIO()
    with zipfile.ZipFile(ud, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for del_navn, indhold in (dele or _regneark(delte="")).items():
            if del_navn != navn:
                z.writestr(del_navn, indhold)
        with z.open(navn, "w") as f:
            f.write(start)
            for _ in range(gange):
                f.write(blok)
            f.write(slut)
    return ud.getvalue()


@pytest.fixture(scope="module")
def tyve_millioner_delte_tekster() -> bytes:
    """As in the review: 20 million shared strings in a file of well under 1 MB."""
    blok = b"<si><t>x</t></si>" * 50_000
    return _bombe("xl/sharedStrings.xml", f'<sst xmlns="{NS}">'.encode(), blok, 400, b"</sst>")


@pytest.fixture(scope="module")
def en_tekst_paa_400_mb() -> bytes:
    """As in the review: one 400 MB string in a file of about 400 KB."""
    return _bombe("xl/sharedStrings.xml", f'<sst xmlns="{NS}"><si><t>'.encode(), b"a" * MB, 400, b"</t></si></sst>")


@pytest.fixture(scope="module")
def en_million_csv_raekker() -> bytes:
    """A million rows in 13 MB, under the upload limit."""
    data = b"kode;geografi;periode;vaerdi\r\n" + b"x;y;2024H1;1\r\n" * 1_000_000
    assert len(data) < importer.MAKS_STOERRELSE
    return data


def test_twenty_million_shared_strings_are_refused_before_unpacking(tyve_millioner_delte_tekster):
    assert len(tyve_millioner_delte_tekster) < MB
    spids, besked = _spidsforbrug(lambda: kontroller("bombe.xlsx", tyve_millioner_delte_tekster, _opslag()))
    assert spids < HUKOMMELSESGRAENSE
    assert besked.startswith("Filen er afvist: pakket ud ville regnearket fylde")


def test_one_huge_string_is_refused_before_unpacking(en_tekst_paa_400_mb):
    assert len(en_tekst_paa_400_mb) < MB
    spids, besked = _spidsforbrug(lambda: kontroller("bombe.xlsx", en_tekst_paa_400_mb, _opslag()))
    assert spids < HUKOMMELSESGRAENSE
    assert besked.startswith("Filen er afvist: pakket ud ville regnearket fylde")


class _TaelleOpslag(dict):
    """Indicator codes that count how often a row looked one up."""

    antal = 0

    def get(self, *args):
        self.antal += 1
        return super().get(*args)


def test_a_million_row_csv_is_refused_as_soon_as_the_row_limit_is_passed(en_million_csv_raekker):
    koder = _TaelleOpslag()
    opslag = Opslag(koder, {}, {}, datetime.date(2026, 11, 29))
    spids, besked = _spidsforbrug(lambda: kontroller("stor.csv", en_million_csv_raekker, opslag))
    assert spids < HUKOMMELSESGRAENSE
    assert besked == "Filen har mere end 200.000 rækker. Del den op i flere filer."
    assert koder.antal == 0  # refused while counting, before a single row was checked


@pytest.mark.django_db
def test_a_zip_bomb_sent_to_the_api_is_a_400(personas, indikatorer, tyve_millioner_delte_tekster):
    svar = _api(personas["sekretariat"]).post(
        "/api/v1/indikatorer/import/", {"fil": SimpleUploadedFile("data.xlsx", tyve_millioner_delte_tekster)},
        format="multipart")
    assert svar.status_code == 400 and svar.json()["fil"][0].startswith("Filen er afvist")
    assert not ImportBatch.objects.exists()


def test_a_part_packed_like_a_zip_bomb_is_refused_even_under_the_size_limit():
    data = _bombe("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{NS}"><sheetData>'.encode(),
                  b"<row/>" * 100_000, 10, b"</sheetData></worksheet>")  # 6 MB packed into a few KB
    with pytest.raises(FilFejl, match="som i en såkaldt zip-bombe"):
        kontroller("data.xlsx", data, _opslag())


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused():
    """zipfile never unpacks more than the declared size, which is why checking that size is enough."""
    ark = _ark_xml([("kode", "geografi", "periode", "vaerdi")] + [("andel", "kommune-a", "2024H1", 1)] * 5000)
    data = bytearray(_zip(_regneark(ark)))
    navn = b"xl/worksheets/sheet1.xml"
    katalog = data.find(b"PK\x01\x02")
    while data[katalog + 46:katalog + 46 + len(navn)] != navn:
        katalog = data.find(b"PK\x01\x02", katalog + 4)
    struct.pack_into("<I", data, katalog + 24, 1000)  # declares 1,000 bytes unpacked
    with pytest.raises(FilFejl, match="Excel-regneark"):
        kontroller("data.xlsx", bytes(data), _opslag())


def test_a_zip_with_a_huge_table_of_contents_is_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAKS_ZIPKATALOG", 2000)
    dele = _regneark() | {f"xl/media/billede{i}.png": b"" for i in range(100)}
    with pytest.raises(FilFejl, match="langt flere dele, end et regneark har"):
        kontroller("data.xlsx", _zip(dele), _opslag())


def test_too_many_shared_strings_are_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAKS_DELTE_TEKSTER", 1000)
    delte = f'<sst xmlns="{NS}">' + "".join(f"<si><t>t{i}</t></si>" for i in range(1001)) + "</sst>"
    with pytest.raises(FilFejl) as exc:
        kontroller("data.xlsx", _zip(_regneark(delte=delte)), _opslag())
    assert exc.value.message == ("Filen er afvist: regnearket har mere end 1.000 forskellige tekster. Del det op "
                                 "i flere filer, eller gem det som CSV.")


def test_a_string_longer_than_excel_allows_is_refused_while_it_is_read():
    tilfaeldig = random.Random(7)
    tekst = "".join(tilfaeldig.choices(string.ascii_letters, k=200_000))  # does not pack: no zip check helps
    data = _zip(_regneark(delte=f'<sst xmlns="{NS}"><si><t>{tekst}</t></si></sst>'))
    spids, besked = _spidsforbrug(lambda: kontroller("data.xlsx", data, _opslag()))
    assert besked.startswith("Filen er afvist: en celle i regnearket indeholder mere end 32.767 tegn")
    assert spids < 5 * MB


def test_a_cell_longer_than_excel_allows_names_its_row():
    ark = _ark_xml([("kode", "geografi", "periode", "vaerdi"), ("andel", "kommune-a", "2024H1", "x" * 40_000)])
    with pytest.raises(FilFejl, match=r"^Linje 2: en celle indeholder mere end 32\.767 tegn"):
        kontroller("data.xlsx", _zip(_regneark(ark)), _opslag())


def test_the_total_text_of_the_shared_strings_is_capped(monkeypatch):
    monkeypatch.setattr(importer, "MAKS_DELTE_TEGN", 10_000)
    delte = f'<sst xmlns="{NS}">' + "".join(f"<si><t>{i:09}</t></si>" for i in range(2000)) + "</sst>"
    with pytest.raises(FilFejl, match="tekster fylder over 10.000 tegn"):
        kontroller("data.xlsx", _zip(_regneark(delte=delte)), _opslag())


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(importer, "MAKS_CELLER", 100)
    ark = _ark_xml([("kode", "geografi", "periode", "vaerdi")] * 30)
    with pytest.raises(FilFejl, match="mere end 100 celler"):
        kontroller("data.xlsx", _zip(_regneark(ark)), _opslag())


def test_reading_an_xlsx_stops_at_the_row_limit(monkeypatch):
    """The sheet breaks after row 2,000 (in a later block than row 101); with a limit of 100 rows the
    reader never gets there."""
    monkeypatch.setattr(importer, "MAKS_RAEKKER", 100)
    ark = _ark_xml([("kode", "geografi", "periode", "vaerdi")] + [("andel", "kommune-a", "2024H1", 1)] * 2000)
    ark = ark.replace("</sheetData></worksheet>", "<row><c><<<")
    with pytest.raises(FilFejl) as exc:
        kontroller("data.xlsx", _zip(_regneark(ark)), _opslag())
    assert exc.value.message == "Filen har mere end 100 rækker. Del den op i flere filer."


def test_reading_a_csv_stops_at_the_row_limit(monkeypatch):
    """Line 152 is refused if read (too long); with a limit of 100 rows the reader never gets there."""
    monkeypatch.setattr(importer, "MAKS_RAEKKER", 100)
    data = b"kode;geografi;periode;vaerdi\r\n" + b"andel;kommune-a;2024H1;1\r\n" * 150 + b";" * 200_000
    with pytest.raises(FilFejl, match=r"^Filen har mere end 100 rækker"):
        kontroller("data.csv", data, _opslag())


def test_a_csv_of_blank_lines_is_refused_by_its_line_count(monkeypatch):
    monkeypatch.setattr(importer, "MAKS_LINJER", 1000)
    with pytest.raises(FilFejl, match=r"^Filen har mere end 1\.000 linjer \(tomme linjer medregnet\)"):
        kontroller("data.csv", b"kode;geografi;periode;vaerdi\r\n" + b";;;\r\n" * 2000, _opslag())


def test_a_csv_line_longer_than_any_real_one_is_refused_without_reading_it_whole():
    data = b"kode;geografi;periode;vaerdi\r\nandel;kommune-a;2024H1;1\r\n" + b";" * (5 * MB)
    spids, besked = _spidsforbrug(lambda: kontroller("data.csv", data, _opslag()))
    assert besked == "Linje 3 er længere end 100.000 tegn. Er det den rigtige fil?"
    assert spids < 5 * MB


@pytest.mark.parametrize("data, besked", [
    (b"\xff\xfek\x00o\x00d\x00e", r"kunne ikke læses som tekst \(UTF-16\)"),
    (b'kode;geografi;periode;vaerdi\r\nandel;kommune-a;2024H1;"' + (b"x" * 100 + b"\r\n") * 2000,
     r"^Linje 2: en celle er længere end 131\.072 tegn\.$"),
])
def test_csv_that_cannot_be_decoded_or_parsed_is_refused_in_danish(data, besked):
    with pytest.raises(FilFejl, match=besked):
        kontroller("data.csv", data, _opslag())
