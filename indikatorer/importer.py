"""Reading and checking import files: CSV or XLSX as Danish offices produce them.

CSV: `;`, `,` or tab separated, UTF-8 with or without BOM (Excel's "CSV UTF-8"), Windows-1252 (Excel's
"CSV (semikolonsepareret)" on a Danish Windows) or UTF-16 (Excel's "Unicode-tekst"); Excel dates or serial
numbers in the period column. XLSX: the first sheet.

Numbers: one file, one way of writing them, decided by the file. Decimal comma with `.` as thousands
separator (Danish: `10,9`, `8.761` = 8761, `1.234,5`), or decimal point with `,` as thousands separator
(`10.9`, `1,234.5`). The first number that can be read only one way decides; until then (values such as
`8.761` read differently either way) a `;`- or tab-separated file and text in an Excel sheet count as
Danish, a `,`-separated file as decimal point. A number written the other way is refused, naming its
line. Numbers are read by babel (`da_DK` or `en`, strict about the thousands groups).

Columns: `kode;geografi;periode;vaerdi[;taeller;naevner[;note]]`, in that order when the file has no
header line; with a header line in any order (Danish letters allowed: `værdi`, `tæller`, `nævner`),
and unknown columns (a name column, say) are ignored and reported.

Untrusted input: a file under the upload limit is read in bounded memory. CSV is decoded as a stream
with a cap on line length and line count; XLSX is a zip whose declared sizes and packing ratio are
checked before anything is unpacked, and whose XML is read as a stream by defusedxml (no DTDs, no
entities) with caps on shared strings, cell text and cells. Reading stops as soon as a limit is passed.

Nothing is written here: `kontroller` returns the checked rows and one Danish message per bad row,
naming its line (the line in the file, or the row number in Excel).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import ParseError

from babel import Locale
from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils import timezone

from indikatorer.choices import Frekvens, GeografiType
from indikatorer.perioder import Periode, tidligste_aar
from sundhed.exceptions import DomainError
from sundhed.text import dansk_slug

MAKS_STOERRELSE = 20 * 1024 * 1024
MAKS_RAEKKER = 200_000
MAKS_FEJLBESKEDER = 1000
# Physical lines (CSV) or <row> elements (XLSX), blank ones included: a file of blank lines is refused
# before it costs minutes.
MAKS_LINJER = 2 * MAKS_RAEKKER
MAKS_LINJELAENGDE = 100_000  # characters in one CSV line
# XLSX. A 200,000-row sheet unpacks to about 60 MB at a ratio of 10-15; zip bombs pack 500-1000 to one.
MAKS_UDPAKKET = 150 * 1024 * 1024
MAKS_KOMPRIMERING = 100
MAKS_ZIPKATALOG = 1024 * 1024  # bytes of the zip's table of contents (a few KB in a real workbook)
MAKS_DELTE_TEKSTER = 500_000
MAKS_DELTE_TEGN = 20_000_000
MAKS_TEKSTLAENGDE = 32_767  # Excel's own limit for the text in one cell
MAKS_CELLER = 5_000_000
MAKS_KOLONNER = 256  # cells further right are not read
MAKS_FORMATER = 65_536  # cell formats and number formats in styles.xml (Excel allows 64,000)
# Rows held back while the file's number format is undecided (they have only values like '8.761').
MAKS_VENTENDE = 10_000

KOLONNER = ("kode", "geografi", "periode", "vaerdi", "taeller", "naevner", "note")
PAAKRAEVEDE = KOLONNER[:4]
_ALIASER = {
    "kode": "kode", "indikator": "kode", "indikatorkode": "kode",
    "geografi": "geografi", "geografislug": "geografi", "geo": "geografi", "omraade": "geografi",
    "periode": "periode", "tid": "periode", "dato": "periode",
    "vaerdi": "vaerdi", "value": "vaerdi",
    "taeller": "taeller",
    "naevner": "naevner",
    "note": "note", "bemaerkning": "note",
}
_EXCEL_EPOKE = datetime.date(1899, 12, 30)
_DATOFORMATER = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d.%m.%y")
_MAKS_VAERDI = Decimal("1e11")
_FIRE_DECIMALER = Decimal("0.0001")  # the stored precision
_MAANEDER = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
             "november", "december")


class FilFejl(DomainError):
    """The file as a whole cannot be read (empty, too big, wrong format, header without a column)."""

    def __init__(self, message: str):
        super().__init__(message, field="fil")


def _tal_med_punktum(tal: int) -> str:
    return f"{tal:,}".replace(",", ".")


@dataclass(frozen=True)
class Geografi:
    slug: str
    navn: str
    type: str
    part_id: int | None = None
    klynge_id: int | None = None


@dataclass(frozen=True)
class IndikatorInfo:
    id: int
    kode: str
    frekvens: str
    procent: bool


@dataclass(slots=True)  # slots: a 200,000-row file keeps 200,000 of these
class Raekke:
    """A checked row, ready to be written."""

    linje: int
    indikator: IndikatorInfo
    geografi: Geografi
    periode: Periode
    vaerdi: Decimal
    taeller: Decimal | None
    naevner: Decimal | None
    note: str

    @property
    def noegle(self) -> tuple[int, str, str]:
        return (self.indikator.id, self.geografi.slug, self.periode.kode)

    # The preview shows the numbers as they will be stored: decimal comma, no thousands separator, so
    # 8761 and 8,761 cannot be taken for each other.
    @property
    def vaerdi_som_gemt(self) -> str:
        return _vis(self.vaerdi)

    @property
    def taeller_som_gemt(self) -> str:
        return "" if self.taeller is None else _vis(self.taeller)

    @property
    def naevner_som_gemt(self) -> str:
        return "" if self.naevner is None else _vis(self.naevner)


@dataclass
class Resultat:
    format: str
    raekker: list[Raekke] = field(default_factory=list)
    fejl: list[str] = field(default_factory=list)
    antal_fejl: int = 0
    ignorerede_kolonner: list[str] = field(default_factory=list)
    talformat: str | None = None  # KOMMA or PUNKTUM once a number decided it

    def tilfoej_fejl(self, besked: str) -> None:
        self.antal_fejl += 1
        if len(self.fejl) < MAKS_FEJLBESKEDER:
            self.fejl.append(besked)

    @property
    def fejlbeskeder(self) -> list[str]:
        """The messages, with a last line saying how many were left out."""
        if self.antal_fejl > len(self.fejl):
            return [*self.fejl, f"… og {self.antal_fejl - len(self.fejl)} fejl mere."]
        return list(self.fejl)


def periodens_slut(periode: Periode) -> datetime.date:
    return periode.naeste().start - datetime.timedelta(days=1)


def er_afsluttet(periode: Periode, idag: datetime.date | None = None) -> bool:
    """A period's data can be complete only once the period is over (2026H2 on 1 January 2027)."""
    return periodens_slut(periode) < (idag or timezone.localdate())


@dataclass
class Opslag:
    """What rows are checked against: indicators by code, geographies by slug or name."""

    indikatorer: dict[str, IndikatorInfo]
    geografier: dict[str, Geografi]
    ikke_geografier: dict[str, str]  # hospitals etc.: slug -> name, for a precise message
    idag: datetime.date

    def er_begyndt(self, periode: Periode) -> bool:
        return periode.start <= self.idag

    def er_afsluttet(self, periode: Periode) -> bool:
        # A period's key is its end (perioder.py): compared as ints, as this runs once per row.
        return periode.noegle <= self._sidste_afsluttede

    @functools.cached_property
    def _sidste_afsluttede(self) -> int:
        return self.idag.year * 10 + 1 if self.idag.month >= 7 else (self.idag.year - 1) * 10 + 2

    @classmethod
    def hent(cls) -> Opslag:
        from indikatorer.models import Indikator
        from organisation.choices import PartType
        from organisation.models import Klynge, Part

        indikatorer = {
            i.kode.lower(): IndikatorInfo(i.id, i.kode, i.frekvens, i.er_procent)
            for i in Indikator.objects.only("id", "kode", "frekvens", "enhed")
        }
        geografier: dict[str, Geografi] = {}
        ikke: dict[str, str] = {}
        alias: list[tuple[str, Geografi]] = []
        for p in Part.objects.only("id", "slug", "navn", "kortnavn", "type"):
            if p.type not in (PartType.REGION, PartType.KOMMUNE):
                ikke[p.slug] = p.navn
                continue
            g = Geografi(p.slug, p.navn, GeografiType.REGION if p.type == PartType.REGION else GeografiType.KOMMUNE,
                         part_id=p.id)
            geografier[p.slug] = g
            alias += [(dansk_slug(p.navn), g), (dansk_slug(p.kortnavn), g)]
            if p.type == PartType.KOMMUNE:
                alias.append((dansk_slug(f"{p.kortnavn or p.slug} kommune"), g))
        for k in Klynge.objects.only("id", "slug", "navn", "tidligere_navn"):
            g = Geografi(k.slug, k.navn, GeografiType.KLYNGE, klynge_id=k.id)
            geografier[k.slug] = g
            alias += [(dansk_slug(k.navn), g), (dansk_slug(k.tidligere_navn), g)]
        # Names ("Aarhus Kommune", "Gødstrupklyngen", "Vestklyngen") help, but never shadow a slug.
        for noegle, g in alias:
            if noegle:
                geografier.setdefault(noegle, g)
        return cls(indikatorer, geografier, ikke, timezone.localdate())


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Kilde:
    """An opened file: its format, how its numbers count until one decides, and its rows (line, cells)."""

    format: str
    standard_talformat: str
    raekker: Iterator[tuple[int, list]]


def genkend_format(filnavn: str, indhold: bytes) -> str:
    navn = (filnavn or "").lower()
    if indhold[:4] == b"PK\x03\x04" or navn.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if indhold[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or navn.endswith(".xls"):
        raise FilFejl(
            "Filen er i det gamle Excel-format (.xls), som ikke kan læses. Gem den som Excel-projektmappe (.xlsx) "
            "eller som CSV, og prøv igen."
        )
    return "csv"


def laes_fil(filnavn: str, indhold: bytes) -> Kilde:
    """Open a file: file-level problems (a zip bomb, too many lines) are refused here, before any row."""
    if genkend_format(filnavn, indhold) == "xlsx":
        return _xlsx_kilde(indhold)
    return _csv_kilde(indhold)


def _for_mange_raekker() -> FilFejl:
    return FilFejl(f"Filen har mere end {_tal_med_punktum(MAKS_RAEKKER)} rækker. Del den op i flere filer.")


def _for_mange_linjer() -> FilFejl:
    return FilFejl(f"Filen har mere end {_tal_med_punktum(MAKS_LINJER)} linjer (tomme linjer medregnet). "
                   "Del den op i flere filer.")


# CSV


def _kodning(indhold: bytes) -> str:
    if indhold.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    # Checked in slices so that a 20 MB file is never held as text as well.
    dekoder = codecs.getincrementaldecoder("utf-8")()
    visning = memoryview(indhold)
    try:
        for i in range(0, len(indhold), 1 << 20):
            dekoder.decode(visning[i:i + (1 << 20)])
        dekoder.decode(b"", final=True)
    except UnicodeDecodeError:
        # Excel's "CSV (semikolonsepareret)" on a Danish Windows writes Windows-1252, not UTF-8.
        return "cp1252"
    return "utf-8-sig"


def _fysiske_linjer(indhold: bytes, kodning: str) -> Iterator[str]:
    """The file's lines as text, decoded as a stream; a line longer than any real one is refused."""
    tekst = io.TextIOWrapper(io.BytesIO(indhold), encoding=kodning, newline="",
                             errors="replace" if kodning == "cp1252" else "strict")
    nummer = 0
    try:
        while linje := tekst.readline(MAKS_LINJELAENGDE + 1):
            nummer += 1
            if len(linje) > MAKS_LINJELAENGDE:
                raise FilFejl(f"Linje {nummer} er længere end {_tal_med_punktum(MAKS_LINJELAENGDE)} tegn. "
                              "Er det den rigtige fil?")
            if nummer > MAKS_LINJER:
                raise _for_mange_linjer()
            yield linje
    except UnicodeDecodeError as exc:
        raise FilFejl(f"Linje {nummer + 1} kunne ikke læses som tekst ({kodning.upper()}). Gem filen som "
                      "CSV UTF-8, og prøv igen.") from exc


def _skilletegn(indhold: bytes, kodning: str) -> str:
    foerste = next((linje for linje in _fysiske_linjer(indhold, kodning) if linje.strip(" \t;,\r\n")), "")
    if "\t" in foerste:
        return "\t"
    if ";" in foerste:
        return ";"
    return ","


def _csv_raekker(indhold: bytes, kodning: str, skilletegn: str) -> Iterator[tuple[int, list]]:
    laeser = csv.reader(_fysiske_linjer(indhold, kodning), delimiter=skilletegn)
    start = 1
    try:
        for celler in laeser:
            yield start, celler
            start = laeser.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            grund = f"en celle er længere end {_tal_med_punktum(csv.field_size_limit())} tegn"
        else:
            grund = "filen kunne ikke læses som CSV (tjek anførselstegnene)"
        raise FilFejl(f"Linje {start}: {grund}.") from exc


def _csv_kilde(indhold: bytes) -> Kilde:
    kodning = _kodning(indhold)
    skilletegn = _skilletegn(indhold, kodning)
    # Counted first (csv's C reader, nothing kept): a file with too many rows is refused in a fraction of
    # a second instead of after checking 200,000 rows.
    antal = 0
    for _linje, celler in _csv_raekker(indhold, kodning, skilletegn):
        if any(c.strip() for c in celler):
            antal += 1
            if antal > MAKS_RAEKKER + 1:  # + a header line
                raise _for_mange_raekker()
    return Kilde("csv", PUNKTUM if skilletegn == "," else KOMMA, _csv_raekker(indhold, kodning, skilletegn))


# XLSX: a zip of XML parts, read by a small streaming reader of our own (openpyxl keeps every shared
# string in memory and reads XML that has not been defused).

_BLOK = 64 * 1024
_DATO_INDBYGGET = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_BESKADIGET = "Filen kunne ikke læses som et Excel-regneark (.xlsx). Er den beskadiget?"


def _xml_forbudt() -> FilFejl:
    return FilFejl("Filen er afvist: regnearket indeholder XML-erklæringer (DTD eller entiteter), som Excel "
                   "aldrig skriver, og som kan bruges til at angribe serveren. Gem filen igen fra Excel som "
                   "Excel-projektmappe (.xlsx), og prøv igen.")


@contextlib.contextmanager
def _som_filfejl(del_navn: str = ""):
    """Whatever goes wrong reading the zip or its XML becomes a Danish FilFejl (a 400, never a 500)."""
    try:
        yield
    except FilFejl:
        raise
    except DefusedXmlException as exc:  # before ValueError, which it is
        raise _xml_forbudt() from exc
    except ParseError as exc:
        hvor = f" ({del_navn} er ikke gyldig XML)" if del_navn else ""
        raise FilFejl(f"Filen kunne ikke læses som et Excel-regneark (.xlsx){hvor}. Er den beskadiget? Gem "
                      "den igen fra Excel, og prøv igen.") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, IndexError, ValueError, OSError, EOFError,
            zlib.error, NotImplementedError, RuntimeError) as exc:
        raise FilFejl(_BESKADIGET) from exc


def _kontroller_zip(indhold: bytes) -> zipfile.ZipFile:
    """Open the zip after checking, from its table of contents, that unpacking it stays bounded."""
    # The table of contents itself: zipfile builds an object per entry before we could count them.
    slut = indhold.rfind(b"PK\x05\x06", max(0, len(indhold) - 22 - 65_535))
    if slut < 0 or len(indhold) < slut + 22:
        raise FilFejl(_BESKADIGET)
    antal, katalog = struct.unpack("<HI", indhold[slut + 10:slut + 16])
    if antal == 0xFFFF or katalog > MAKS_ZIPKATALOG:
        raise FilFejl("Filen er afvist: den indeholder langt flere dele, end et regneark har. Gem den igen "
                      "fra Excel, eller brug CSV.")
    with _som_filfejl():
        zf = zipfile.ZipFile(io.BytesIO(indhold))
        dele = zf.infolist()
    # zipfile never unpacks more than a part's declared size (and then fails the CRC check), so the
    # declared sizes bound what reading can cost.
    udpakket = sum(d.file_size for d in dele)
    if udpakket > MAKS_UDPAKKET:
        mb = udpakket // 1024 // 1024
        raise FilFejl(f"Filen er afvist: pakket ud ville regnearket fylde {_tal_med_punktum(mb)} MB, og højst "
                      f"{MAKS_UDPAKKET // 1024 // 1024} MB kan læses. Del det op i flere filer, eller gem det "
                      "som CSV.")
    for d in dele:
        if d.file_size > 1024 * 1024 and d.file_size > MAKS_KOMPRIMERING * max(d.compress_size, 1):
            forhold = _tal_med_punktum(d.file_size // max(d.compress_size, 1))
            raise FilFejl(f"Filen er afvist: en del af den fylder {forhold} gange mere pakket ud end pakket, som "
                          "i en såkaldt zip-bombe (et regneark fra Excel fylder typisk 5-20 gange mere). Gem filen "
                          "igen fra Excel, eller brug CSV.")
    return zf


def _foed(zf: zipfile.ZipFile, navn: str, maal: _XmlMaal) -> Iterator[None]:
    """Feed one part to a defused expat parser in blocks, yielding after each block."""
    parser = DefusedXMLParser(target=maal, forbid_dtd=True)
    # defusedxml's guards (no DTD, no entities, no external references) are handlers on the expat parser
    # itself and stay. The element events go straight to the target rather than through ElementTree's
    # pure-Python layer, which doubles the time of a sheet with millions of cells.
    expat = parser.parser
    expat.StartElementHandler, expat.EndElementHandler = maal.start, maal.end
    expat.ordered_attributes = False
    with _som_filfejl(navn), zf.open(navn) as fil:
        while blok := fil.read(_BLOK):
            parser.feed(blok)
            yield
        parser.close()


def _laes_del(zf: zipfile.ZipFile, navn: str, maal: _XmlMaal) -> None:
    for _ in _foed(zf, navn, maal):
        pass


class _XmlMaal:
    """A parse target that sees local names (SpreadsheetML has a transitional and a strict namespace).
    Tags and attribute names come from expat as 'namespace}name'."""

    def __init__(self):
        self._navne: dict[str, str] = {}

    def _lokal(self, tag: str) -> str:
        navn = self._navne.get(tag)
        if navn is None:
            navn = self._navne[tag] = tag.rpartition("}")[2]
        return navn

    def start(self, tag: str, attrib: dict) -> None:
        pass

    def end(self, tag: str) -> None:
        pass

    def data(self, tekst: str) -> None:
        pass

    def close(self) -> None:
        return None


def _attribut(attrib: dict, navn: str) -> str | None:
    """An attribute by local name, whatever its namespace (r:id)."""
    for noegle, vaerdi in attrib.items():
        if noegle == navn or noegle.endswith("}" + navn):
            return vaerdi
    return None


class _Relationer(_XmlMaal):
    """The targets in a .rels part of the relationship types we need (the first of each) and of one id."""

    def __init__(self, typer: tuple[str, ...], rid: str | None = None):
        super().__init__()
        self.typer, self.rid = typer, rid
        self.efter_type: dict[str, str] = {}
        self.efter_id: str | None = None

    def start(self, tag, attrib):
        if self._lokal(tag) != "Relationship":
            return
        maal, type_ = attrib.get("Target", ""), attrib.get("Type", "")
        if self.rid is not None and attrib.get("Id") == self.rid and self.efter_id is None:
            self.efter_id = maal
        for t in self.typer:
            if type_.endswith("/" + t):
                self.efter_type.setdefault(t, maal)


class _Projektmappe(_XmlMaal):
    """workbook.xml: the first sheet's relationship id and the date system."""

    def __init__(self):
        super().__init__()
        self.foerste_ark: str | None = None
        self.dato1904 = False

    def start(self, tag, attrib):
        navn = self._lokal(tag)
        if navn == "sheet" and self.foerste_ark is None:
            self.foerste_ark = _attribut(attrib, "id")
        elif navn == "workbookPr":
            self.dato1904 = attrib.get("date1904", "").lower() in ("1", "true")


class _Typografier(_XmlMaal):
    """styles.xml: which cell formats show a date (openpyxl turns such numbers into dates; so do we)."""

    def __init__(self):
        super().__init__()
        self.talformater: dict[int, str] = {}
        self.celleformater: list[int] = []
        self._i_cellxfs = False

    def start(self, tag, attrib):
        navn = self._lokal(tag)
        if navn == "numFmt":
            if len(self.talformater) >= MAKS_FORMATER:
                raise FilFejl(_BESKADIGET)
            self.talformater[int(attrib.get("numFmtId", "0"))] = attrib.get("formatCode", "")[:255]
        elif navn == "cellXfs":
            self._i_cellxfs = True
        elif navn == "xf" and self._i_cellxfs:
            if len(self.celleformater) >= MAKS_FORMATER:
                raise FilFejl(_BESKADIGET)
            self.celleformater.append(int(attrib.get("numFmtId", "0")))

    def end(self, tag):
        if self._lokal(tag) == "cellXfs":
            self._i_cellxfs = False

    def datoformater(self) -> frozenset[int]:
        return frozenset(i for i, fmt in enumerate(self.celleformater)
                         if fmt in _DATO_INDBYGGET or _er_datoformat(self.talformater.get(fmt, "")))


def _er_datoformat(kode: str) -> bool:
    kode = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", kode)  # literal text, escapes, colours and locales
    return bool(re.search(r"[dmyhs]", kode, re.IGNORECASE))


class _DelteTekster(_XmlMaal):
    """sharedStrings.xml, with caps on the number of strings, the length of one and the total."""

    def __init__(self):
        super().__init__()
        self.tekster: list[str] = []
        self._dele: list[str] = []
        self._laengde = 0
        self._i_alt = 0
        self._samler = False
        self._i_fonetik = False

    def start(self, tag, attrib):
        navn = self._lokal(tag)
        if navn == "si":
            if len(self.tekster) >= MAKS_DELTE_TEKSTER:
                raise FilFejl(f"Filen er afvist: regnearket har mere end {_tal_med_punktum(MAKS_DELTE_TEKSTER)} "
                              "forskellige tekster. Del det op i flere filer, eller gem det som CSV.")
            self._dele, self._laengde = [], 0
        elif navn == "t" and not self._i_fonetik:
            self._samler = True
        elif navn == "rPh":  # the phonetic reading of East Asian text, not part of the value
            self._i_fonetik = True

    def data(self, tekst):
        if self._samler:
            self._laengde += len(tekst)
            if self._laengde > MAKS_TEKSTLAENGDE:
                raise _for_lang_tekst()
            self._dele.append(tekst)

    def end(self, tag):
        navn = self._lokal(tag)
        if navn == "t":
            self._samler = False
        elif navn == "rPh":
            self._i_fonetik = False
        elif navn == "si":
            self._i_alt += self._laengde
            if self._i_alt > MAKS_DELTE_TEGN:
                raise FilFejl(f"Filen er afvist: regnearkets tekster fylder over "
                              f"{_tal_med_punktum(MAKS_DELTE_TEGN)} tegn. Del det op i flere filer.")
            self.tekster.append("".join(self._dele))
            self._dele = []


def _for_lang_tekst(linje: int | None = None) -> FilFejl:
    hvor = f"Linje {linje}: en celle" if linje else "Filen er afvist: en celle i regnearket"
    return FilFejl(f"{hvor} indeholder mere end {_tal_med_punktum(MAKS_TEKSTLAENGDE)} tegn, som er mere, end "
                   "Excel selv tillader. Er det den rigtige fil?")


class _Ark(_XmlMaal):
    """A worksheet, read as a stream: finished rows collect in `klar` as (row number, cells)."""

    def __init__(self, delte: list[str], datoformater: frozenset[int], epoke: datetime.datetime):
        super().__init__()
        self.delte, self.datoformater, self.epoke = delte, datoformater, epoke
        self.klar: list[tuple[int, list]] = []
        self._raekke: dict[int, object] | None = None
        self._nummer = 0
        self._antal_raekker = 0
        self._antal_celler = 0
        self._kolonne = 0
        self._naeste_kolonne = 0
        self._type = "n"
        self._stil = 0
        self._tekst: str | None = None
        self._dele: list[str] = []
        self._laengde = 0
        self._samler = False
        self._i_is = False
        self._i_fonetik = False

    def start(self, tag, attrib):
        navn = self._navne.get(tag) or self._lokal(tag)  # inlined: this runs for every element of the sheet
        if navn == "c":
            self._antal_celler += 1
            if self._antal_celler > MAKS_CELLER:
                raise FilFejl(f"Filen er afvist: regnearket har mere end {_tal_med_punktum(MAKS_CELLER)} celler. "
                              "Slet kolonner, der ikke skal importeres, eller del det op i flere filer.")
            ref = attrib.get("r")
            self._kolonne = _kolonne(ref.rstrip("0123456789")) if ref else self._naeste_kolonne
            self._naeste_kolonne = self._kolonne + 1
            self._type = attrib.get("t", "n")
            stil = attrib.get("s")
            self._stil = int(stil) if stil else 0
            self._tekst = None
        elif navn == "v":
            self._dele, self._laengde, self._samler = [], 0, True
        elif navn == "is":
            self._dele, self._laengde, self._i_is = [], 0, True
        elif navn == "t" and self._i_is and not self._i_fonetik:
            self._samler = True
        elif navn == "rPh":
            self._i_fonetik = True
        elif navn == "row":
            self._antal_raekker += 1
            if self._antal_raekker > MAKS_LINJER:
                raise _for_mange_linjer()
            nummer = attrib.get("r")
            self._nummer = int(nummer) if nummer else self._nummer + 1
            self._raekke, self._naeste_kolonne = {}, 0

    def data(self, tekst):
        if self._samler:
            self._laengde += len(tekst)
            if self._laengde > MAKS_TEKSTLAENGDE:
                raise _for_lang_tekst(self._nummer)
            self._dele.append(tekst)

    def end(self, tag):
        navn = self._navne.get(tag) or self._lokal(tag)
        if navn == "v":
            self._samler, self._tekst = False, "".join(self._dele)
        elif navn == "t":
            self._samler = False
        elif navn == "rPh":
            self._i_fonetik = False
        elif navn == "is":
            self._i_is, self._tekst = False, "".join(self._dele)
        elif navn == "c":
            if self._tekst is not None and self._raekke is not None and self._kolonne < MAKS_KOLONNER:
                vaerdi = self._vaerdi(self._tekst)
                if vaerdi is not None:
                    self._raekke[self._kolonne] = vaerdi
        elif navn == "row":
            if self._raekke:
                celler = [None] * (max(self._raekke) + 1)
                for kolonne, vaerdi in self._raekke.items():
                    celler[kolonne] = vaerdi
                self.klar.append((self._nummer, celler))
            self._raekke = None

    def _vaerdi(self, tekst: str):
        t = self._type
        if t == "s":
            try:
                nummer = int(tekst)
                if nummer < 0:
                    raise IndexError(nummer)
                return self.delte[nummer]
            except (ValueError, IndexError):
                raise FilFejl(f"Linje {self._nummer}: en celle henviser til en tekst, som ikke findes i "
                              "regnearket. Er filen beskadiget?") from None
        if t in ("inlineStr", "str", "e"):
            return tekst
        if t == "b":
            return tekst.strip() in ("1", "true")
        if t == "d":
            try:
                return datetime.datetime.fromisoformat(tekst.strip())
            except ValueError:
                return tekst
        tekst = tekst.strip()
        if not tekst:
            return None
        try:
            tal = float(tekst) if "." in tekst or "e" in tekst or "E" in tekst else int(tekst)
        except ValueError:
            return tekst
        if self._stil in self.datoformater:
            try:
                return self.epoke + datetime.timedelta(days=tal)
            except (OverflowError, ValueError):
                return tal
        return tal


@functools.lru_cache(maxsize=1024)
def _kolonne(bogstaver: str) -> int:
    """'A' -> 0, 'AB' -> 27; what is not a column (Excel's last is XFD) counts as beyond the columns read."""
    if not 1 <= len(bogstaver) <= 3 or not bogstaver.isascii() or not bogstaver.isalpha():
        return MAKS_KOLONNER
    n = 0
    for tegn in bogstaver.upper():
        n = n * 26 + ord(tegn) - 64
    return n - 1


def _sti(mappe: str, maal: str) -> str:
    if maal.startswith("/"):
        return maal.lstrip("/")
    return posixpath.normpath(posixpath.join(mappe, maal))


def _xlsx_kilde(indhold: bytes) -> Kilde:
    zf = _kontroller_zip(indhold)
    try:
        rod = _Relationer(("officeDocument",))
        if "_rels/.rels" in set(zf.namelist()):
            _laes_del(zf, "_rels/.rels", rod)
        bog = _sti("", rod.efter_type.get("officeDocument", "xl/workbook.xml"))
        mappe, navn = posixpath.split(bog)
        projektmappe = _Projektmappe()
        _laes_del(zf, bog, projektmappe)
        relationer = _Relationer(("sharedStrings", "styles"), projektmappe.foerste_ark)
        _laes_del(zf, posixpath.join(mappe, "_rels", navn + ".rels"), relationer)
        if relationer.efter_id is None:
            raise FilFejl("Regnearket har intet ark med data.")
        ark = _sti(mappe, relationer.efter_id)
        delte = _DelteTekster()
        if "sharedStrings" in relationer.efter_type:
            _laes_del(zf, _sti(mappe, relationer.efter_type["sharedStrings"]), delte)
        typografier = _Typografier()
        if "styles" in relationer.efter_type:
            _laes_del(zf, _sti(mappe, relationer.efter_type["styles"]), typografier)
        with _som_filfejl():
            zf.getinfo(ark)
    except BaseException:
        zf.close()
        raise
    epoke = datetime.datetime(1904, 1, 1) if projektmappe.dato1904 else datetime.datetime(1899, 12, 30)
    maal = _Ark(delte.tekster, typografier.datoformater(), epoke)
    return Kilde("xlsx", KOMMA, _xlsx_raekker(zf, ark, maal))


def _xlsx_raekker(zf: zipfile.ZipFile, ark: str, maal: _Ark) -> Iterator[tuple[int, list]]:
    with zf:
        for _ in _foed(zf, ark, maal):
            if maal.klar:
                klar, maal.klar = maal.klar, []
                yield from klar
        yield from maal.klar


# --- cells ------------------------------------------------------------------------------------


def _tom(celle) -> bool:
    return celle is None or (isinstance(celle, str) and not celle.strip())


def _tekst(celle) -> str:
    if celle is None:
        return ""
    if isinstance(celle, float) and celle.is_integer():
        return str(int(celle))
    return str(celle).strip()


def _normaliser_overskrift(celle) -> str:
    return dansk_slug(_tekst(celle)).replace("-", "").replace("_", "")


# Numbers. KOMMA: Danish, `1.234,5`; PUNKTUM: `1,234.5`.
KOMMA = "komma"
PUNKTUM = "punktum"
TVETYDIG = "tvetydig"  # '8.761': 8761 the Danish way, 8.761 the other
_ANDET = {KOMMA: PUNKTUM, PUNKTUM: KOMMA}
_LOKALE = {KOMMA: "da_DK", PUNKTUM: "en"}
_HELTAL = re.compile(r"-?\d{1,15}")
_TALTEGN = re.compile(r"-?[\d.,]+(?: [\d.,]+)*")
_MELLEMRUM = re.compile(r"[\u00a0\u2007\u2009\u202f']")
_PERIODE_STOEJ = re.compile(r"[\s\-_./]")
_OMVENDT_HALVAAR = re.compile(r"H([12])(\d{4})")


class AndetTalformat(ValueError):
    """A number written the other way than the file's (`12.5` in a file with decimal comma)."""

    def __init__(self, talformat: str):
        super().__init__(talformat)
        self.talformat = talformat


@functools.cache
def _lokale(talformat: str) -> tuple[Locale, str]:
    lokale = Locale.parse(_LOKALE[talformat])
    return lokale, get_group_symbol(lokale)


@functools.lru_cache(maxsize=8192)  # a column repeats its values; babel's strict check is the slow part
def _fortolk(tekst: str, talformat: str) -> Decimal | None:
    """`tekst` read by babel in the given format (thousands groups must be groups of three), or None."""
    lokale, gruppe = _lokale(talformat)
    try:
        tal = parse_decimal(tekst.replace(" ", gruppe), locale=lokale, strict=True)
    except NumberFormatError:
        return None
    return tal if tal.is_finite() else None


def _normaliser_tal(celle: str) -> str:
    """Signs, per cent and spaces as Danish offices type them; ValueError for what cannot be a number
    (Decimal would also take '1e5' and 'NaN')."""
    s = celle.strip().replace("\u2212", "-").removesuffix("%").strip()
    s = _MELLEMRUM.sub(" ", s).removeprefix("+")
    if not _TALTEGN.fullmatch(s) or not any(c.isdigit() for c in s):
        raise ValueError(celle)
    return s


def talformat_for(celle) -> str | None:
    """KOMMA or PUNKTUM when a text can be read as a number only that way, TVETYDIG when the two readings
    differ ('8.761'), None when the format makes no difference (a whole number, a number cell, not a number)."""
    if type(celle) is not str or _HELTAL.fullmatch(celle):
        return None
    try:
        s = _normaliser_tal(celle)
    except ValueError:
        return None
    if _HELTAL.fullmatch(s):
        return None
    komma, punktum = _fortolk(s, KOMMA), _fortolk(s, PUNKTUM)
    if komma is None and punktum is None or komma == punktum:
        return None
    if komma is None:
        return PUNKTUM
    if punktum is None:
        return KOMMA
    return TVETYDIG


def laes_tal(celle, talformat: str | None = None) -> Decimal:
    """A number as Danish offices write it: '12,5', '1.234,5', '1 234,5', '12,5 %', a number cell, or with
    decimal point ('12.5', '1,234.5'). With `talformat` the text must be written that way (AndetTalformat
    when it is a number only the other way); without it the one possible reading, the Danish when both are."""
    if type(celle) is str:
        if _HELTAL.fullmatch(celle):
            return Decimal(celle)  # no separator: the same in any format, and the common case
        s = _normaliser_tal(celle)
        if _HELTAL.fullmatch(s):
            return Decimal(s)
        if talformat is None:
            tal = _fortolk(s, KOMMA)
            tal = _fortolk(s, PUNKTUM) if tal is None else tal
        else:
            tal = _fortolk(s, talformat)
            if tal is None and _fortolk(s, _ANDET[talformat]) is not None:
                raise AndetTalformat(_ANDET[talformat])
        if tal is None:
            raise ValueError(celle)
        return tal
    if isinstance(celle, bool):
        raise ValueError
    if isinstance(celle, int | float):
        if isinstance(celle, float) and (celle != celle or celle in (float("inf"), float("-inf"))):
            raise ValueError
        return Decimal(str(celle))
    if isinstance(celle, Decimal) and celle.is_finite():
        return celle
    raise ValueError


def _dato(celle) -> datetime.date | None:
    if isinstance(celle, datetime.datetime):
        return celle.date()
    if isinstance(celle, datetime.date):
        return celle
    if isinstance(celle, int | float) and not isinstance(celle, bool):
        if 20000 <= celle <= 80000:  # an Excel serial date (1954-2119)
            return _EXCEL_EPOKE + datetime.timedelta(days=int(celle))
        return None
    s = _tekst(celle)
    if re.fullmatch(r"\d{5}", s):
        return _dato(int(s))
    s = s.split(" ")[0].split("T")[0]
    for fmt in _DATOFORMATER:
        try:
            return datetime.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def laes_periode(celle, frekvens: str) -> Periode | None:
    """'2024H1', '2024-H1', '2024 h1', 'H1 2024', '2024', a year number, or a date (Excel or text)."""
    if type(celle) is str:
        periode = Periode.fra_kode(celle)  # the common case, cached
        if periode is not None:
            return periode
    if isinstance(celle, int | float) and not isinstance(celle, bool) and float(celle).is_integer() \
            and 1900 <= celle <= 2200:
        return Periode(int(celle))
    s = _PERIODE_STOEJ.sub("", _tekst(celle).upper())
    m = _OMVENDT_HALVAAR.fullmatch(s)
    if m:
        s = f"{m[2]}H{m[1]}"
    periode = Periode.fra_kode(s)
    if periode is not None:
        return periode
    dato = _dato(celle)
    if dato is not None:
        return Periode.fra_dato(dato, frekvens)
    return None


# --- checking ---------------------------------------------------------------------------------


def _kolonner(foerste: list) -> tuple[dict[str, int] | None, list[str]]:
    """The column map when the first line is a header, else None (columns in the documented order)."""
    navne = [_normaliser_overskrift(c) for c in foerste]
    kendte = [_ALIASER.get(n) for n in navne]
    if "kode" not in kendte and "vaerdi" not in kendte:
        return None, []
    kort: dict[str, int] = {}
    ignorerede: list[str] = []
    for i, kolonne in enumerate(kendte):
        if kolonne and kolonne not in kort:
            kort[kolonne] = i
        elif not _tom(foerste[i]):
            ignorerede.append(_tekst(foerste[i]))
    mangler = [k for k in PAAKRAEVEDE if k not in kort]
    if mangler:
        raise FilFejl(
            "Overskriftslinjen mangler kolonnen " + ", ".join(f"'{k}'" for k in mangler)
            + ". Forventet: kode;geografi;periode;vaerdi (og evt. taeller;naevner)."
        )
    return kort, ignorerede


def _er_tom(indhold: bytes) -> bool:
    return re.search(rb"[^ \t\r\n;,\xef\xbb\xbf\x00]", indhold) is None


def kontroller(filnavn: str, indhold: bytes, opslag: Opslag | None = None) -> Resultat:
    """Read and check every row; file-level problems raise FilFejl, row problems are collected."""
    if not indhold or _er_tom(indhold):
        raise FilFejl("Filen er tom.")
    if len(indhold) > MAKS_STOERRELSE:
        raise FilFejl(for_stor_besked(len(indhold)))
    kilde = laes_fil(filnavn, indhold)
    kontrol = _Kontrol(opslag or Opslag.hent(), Resultat(format=kilde.format), kilde.standard_talformat)
    for linje, celler in kilde.raekker:
        kontrol.linje(linje, celler)
    return kontrol.afslut()


_POSITIONER = {n: tuple(range(n)) + (None,) * (len(KOLONNER) - n) for n in range(4, len(KOLONNER) + 1)}
_TALKOLONNER = ((3, "værdien"), (4, "tælleren"), (5, "nævneren"))


class _Kontrol:
    """Checks a file's rows in order. Rows whose numbers read differently with decimal comma and decimal
    point ('8.761') wait until a number that can be read only one way decides the file's format (at most
    MAKS_VENTENDE rows; then, and at the end, the file type's usual format decides)."""

    def __init__(self, opslag: Opslag, resultat: Resultat, standard_talformat: str):
        self.opslag, self.resultat, self.standard = opslag, resultat, standard_talformat
        self.kort: dict[str, int] | None = None
        self.kort_positioner: tuple = ()
        self.foerste = True
        self.antal = 0
        self.set_foer: dict[tuple[int, str, str], int] = {}
        self.talformat: str | None = None
        self.eksempel: tuple[int, str] | None = None  # the number (line, text) that decided the format
        self.ventende: list[tuple[int, list]] = []
        # Columns repeat their values: one Decimal per distinct text (faster, and shared by the rows).
        self.tal_cache: dict[tuple[str, str | None], Decimal] = {}

    def linje(self, linje: int, celler: list) -> None:
        if all(_tom(c) for c in celler):
            return
        if self.foerste:
            self.foerste = False
            self.kort, self.resultat.ignorerede_kolonner = _kolonner(celler)
            if self.kort is not None:
                self.kort_positioner = tuple(self.kort.get(k) for k in KOLONNER)
                return
        self.antal += 1
        if self.antal > MAKS_RAEKKER:
            raise _for_mange_raekker()
        if self.talformat is None:
            bevis = self._bevis(celler)
            if bevis is not None and bevis[0] != TVETYDIG:
                self._vaelg(bevis[0], linje, bevis[1])
            elif bevis is not None or self.ventende:
                if bevis is not None and self.eksempel is None:
                    self.eksempel = (linje, bevis[1])
                self.ventende.append((linje, celler))
                if len(self.ventende) >= MAKS_VENTENDE:
                    self._vaelg(self.standard, *self.eksempel)
                return
        self._kontroller_raekke(linje, celler)

    def afslut(self) -> Resultat:
        if self.ventende:
            self._vaelg(self.standard, *self.eksempel)
        if self.foerste or (not self.resultat.raekker and not self.resultat.antal_fejl):
            raise FilFejl("Filen indeholder ingen datarækker, kun en overskrift." if not self.foerste
                          else "Filen er tom.")
        self.resultat.talformat = self.talformat
        return self.resultat

    def _vaelg(self, talformat: str, linje: int, tekst: str) -> None:
        self.talformat, self.eksempel = talformat, (linje, tekst)
        ventende, self.ventende = self.ventende, []
        for v_linje, v_celler in ventende:
            self._kontroller_raekke(v_linje, v_celler)

    def _positioner(self, celler: list) -> tuple | None:
        if self.kort is None:
            return _POSITIONER.get(len(celler))
        return self.kort_positioner

    def _bevis(self, celler: list) -> tuple[str, str] | None:
        """The first number in the row whose format is not neutral: (KOMMA/PUNKTUM/TVETYDIG, its text)."""
        positioner = self._positioner(celler)
        if positioner is None:
            return None
        tvetydig = None
        for i, _navn in _TALKOLONNER:
            kolonne = positioner[i]
            if kolonne is None or kolonne >= len(celler):
                continue
            fmt = talformat_for(celler[kolonne])
            if fmt in (KOMMA, PUNKTUM):
                return fmt, celler[kolonne].strip()
            if fmt == TVETYDIG and tvetydig is None:
                tvetydig = (fmt, celler[kolonne].strip())
        return tvetydig

    def _kontroller_raekke(self, linje: int, celler: list) -> None:
        opslag, resultat = self.opslag, self.resultat
        problemer: list[str] = []
        positioner = self._positioner(celler)
        if positioner is None:
            resultat.tilfoej_fejl(
                f"Linje {linje}: forventede 4 til {len(KOLONNER)} kolonner "
                f"(kode;geografi;periode;vaerdi[;taeller;naevner]), fandt {len(celler)}."
            )
            return
        antal = len(celler)
        i_kode, i_geo, i_periode, i_vaerdi, i_taeller, i_naevner, i_note = (
            i if i is not None and i < antal else None for i in positioner
        )

        def celle(i):
            return None if i is None else celler[i]

        kode = _tekst(celle(i_kode))
        indikator = opslag.indikatorer.get(kode.lower())
        if not kode:
            problemer.append("indikatorkoden mangler")
        elif indikator is None:
            problemer.append(f"ukendt indikatorkode '{kode}'")

        geo_tekst = _tekst(celle(i_geo))
        geografi = opslag.geografier.get(geo_tekst) or opslag.geografier.get(dansk_slug(geo_tekst))
        if not geo_tekst:
            problemer.append("geografien mangler")
        elif geografi is None:
            if dansk_slug(geo_tekst) in opslag.ikke_geografier:
                problemer.append(f"'{geo_tekst}' er ikke en geografi (brug regionen, en klynge eller en kommune)")
            else:
                problemer.append(f"ukendt geografi '{geo_tekst}'")

        periode_celle = celle(i_periode)
        periode = None
        if _tom(periode_celle):
            problemer.append("perioden mangler")
        else:
            frekvens = indikator.frekvens if indikator else Frekvens.HALVAAR
            periode = laes_periode(periode_celle, frekvens)
            vist = _tekst(periode_celle)
            if periode is None:
                problemer.append(f"ugyldig periode '{vist}' (skriv fx 2024H1, 2024H2 eller 2024)")
            elif periode.aar < tidligste_aar():
                problemer.append(f"perioden {periode.kode} ligger før {tidligste_aar()}")
                periode = None
            elif not opslag.er_begyndt(periode):
                problemer.append(f"perioden {periode.kode} ligger i fremtiden")
                periode = None
            elif not opslag.er_afsluttet(periode):
                # Data for a period that is still running is incomplete, and would send the half-year report.
                slut = periodens_slut(periode)
                problemer.append(f"perioden {periode.kode} er ikke afsluttet (den slutter "
                                 f"{slut.day}. {_MAANEDER[slut.month - 1]} {slut.year})")
                periode = None
            elif indikator and not periode.passer_til(indikator.frekvens):
                if indikator.frekvens == Frekvens.HALVAAR:
                    problemer.append(f"indikatoren '{indikator.kode}' følges halvårligt: skriv perioden som "
                                     f"{periode.aar}H1 eller {periode.aar}H2, ikke '{vist}'")
                else:
                    problemer.append(f"indikatoren '{indikator.kode}' opgøres for hele år: skriv perioden som "
                                     f"{periode.aar}, ikke '{vist}'")
                periode = None

        vaerdi = self._tal(celle(i_vaerdi), "værdien", problemer, paakraevet=True)
        if vaerdi is not None and indikator and indikator.procent and not (0 <= vaerdi <= 100):
            problemer.append(f"en andel i procent skal ligge mellem 0 og 100, ikke {_vis(vaerdi)}")
        taeller = self._tal(celle(i_taeller), "tælleren", problemer)
        naevner = self._tal(celle(i_naevner), "nævneren", problemer)
        if naevner is not None and naevner <= 0:
            problemer.append("nævneren skal være større end 0")
        note = _tekst(celle(i_note))[:300]

        if not problemer and indikator and geografi and periode:
            noegle = (indikator.id, geografi.slug, periode.kode)
            tidligere = self.set_foer.get(noegle)
            if tidligere is not None:
                problemer.append(
                    f"samme indikator, geografi og periode som linje {tidligere} ({indikator.kode}, "
                    f"{geografi.slug}, {periode.kode})"
                )
            else:
                self.set_foer[noegle] = linje

        if problemer:
            resultat.tilfoej_fejl(f"Linje {linje}: " + "; ".join(problemer) + ".")
            return
        resultat.raekker.append(Raekke(linje, indikator, geografi, periode, vaerdi, taeller, naevner, note))

    def _tal(self, celle, navn: str, problemer: list[str], *, paakraevet: bool = False) -> Decimal | None:
        if _tom(celle):
            if paakraevet:
                problemer.append(f"{navn} mangler")
            return None
        # Not bool: True == 1 as a key.
        noegle = (celle, self.talformat) if type(celle) in (str, int, float) else None
        tal = self.tal_cache.get(noegle) if noegle else None
        if tal is not None:
            return tal
        try:
            tal = laes_tal(celle, self.talformat)
        except AndetTalformat as exc:
            problemer.append(f"{navn} '{_tekst(celle)}' {_blandet_besked(exc.talformat, self.eksempel)}")
            return None
        except ValueError:
            problemer.append(f"{navn} '{_tekst(celle)}' er ikke et tal")
            return None
        if abs(tal) >= _MAKS_VAERDI:
            problemer.append(f"{navn} {_tekst(celle)} er for stor")
            return None
        tal = tal.quantize(_FIRE_DECIMALER)
        if noegle and len(self.tal_cache) < 100_000:
            self.tal_cache[noegle] = tal
        return tal


def _blandet_besked(skrevet: str, eksempel: tuple[int, str] | None) -> str:
    if skrevet == PUNKTUM:
        besked = "er skrevet med decimalpunktum, men filen bruger decimalkomma og punktum som tusindtalsskilletegn"
    else:
        besked = "er skrevet med decimalkomma, men filen bruger decimalpunktum og komma som tusindtalsskilletegn"
    if eksempel is not None:
        besked += f" (fx '{eksempel[1]}' i linje {eksempel[0]})"
    return besked


def _vis(tal: Decimal) -> str:
    return format(tal.normalize(), "f").replace(".", ",")


def for_stor_besked(stoerrelse: int) -> str:
    mb = f"{stoerrelse / 1024 / 1024:.1f}".replace(".", ",")
    return (
        f"Filen er for stor ({mb} MB). Den største tilladte størrelse er {MAKS_STOERRELSE // 1024 // 1024} MB. "
        "Del filen op i flere, eller gem den som CSV, der fylder mindre end et Excel-regneark."
    )


def csv_tekst(raekker: Iterable[Iterable]) -> str:
    """CSV as Danish Excel opens it directly: `;`-separated with a BOM (added by the caller's encoding)."""
    ud = io.StringIO()
    skriver = csv.writer(ud, delimiter=";", lineterminator="\r\n")
    for r in raekker:
        skriver.writerow(r)
    return ud.getvalue()
