"""Reading and checking import files: CSV or XLSX as Danish offices produce them.

CSV: `;`, `,` or tab separated, UTF-8 with or without BOM (Excel's "CSV UTF-8"), Windows-1252 (Excel's
"CSV (semikolonsepareret)" on a Danish Windows) or UTF-16 (Excel's "Unicode-tekst"); decimal comma or
point, thousands separators, Excel dates or serial numbers in the period column. XLSX: the first sheet.

Columns: `kode;geografi;periode;vaerdi[;taeller;naevner[;note]]`, in that order when the file has no
header line; with a header line in any order (Danish letters allowed: `værdi`, `tæller`, `nævner`),
and unknown columns (a name column, say) are ignored and reported.

Nothing is written here: `kontroller` returns the checked rows and one Danish message per bad row,
naming its line (the line in the file, or the row number in Excel).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from indikatorer.choices import Frekvens, GeografiType
from indikatorer.perioder import Periode, tidligste_aar
from sundhed.exceptions import DomainError
from sundhed.text import dansk_slug

MAKS_STOERRELSE = 20 * 1024 * 1024
MAKS_RAEKKER = 200_000
MAKS_FEJLBESKEDER = 1000
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


class FilFejl(DomainError):
    """The file as a whole cannot be read (empty, too big, wrong format, header without a column)."""

    def __init__(self, message: str):
        super().__init__(message, field="fil")


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


@dataclass
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


@dataclass
class Resultat:
    format: str
    raekker: list[Raekke] = field(default_factory=list)
    fejl: list[str] = field(default_factory=list)
    antal_fejl: int = 0
    ignorerede_kolonner: list[str] = field(default_factory=list)

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


@dataclass
class Opslag:
    """What rows are checked against: indicators by code, geographies by slug or name."""

    indikatorer: dict[str, IndikatorInfo]
    geografier: dict[str, Geografi]
    ikke_geografier: dict[str, str]  # hospitals etc.: slug -> name, for a precise message
    idag: datetime.date

    def er_begyndt(self, periode: Periode) -> bool:
        return periode.start <= self.idag

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


def _dekod(indhold: bytes) -> str:
    if indhold.startswith((b"\xff\xfe", b"\xfe\xff")):
        return indhold.decode("utf-16")
    try:
        return indhold.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (semikolonsepareret)" on a Danish Windows writes Windows-1252, not UTF-8.
        return indhold.decode("cp1252", errors="replace")


def _skilletegn(tekst: str) -> str:
    foerste = next((linje for linje in tekst.splitlines() if linje.strip(" \t;,")), "")
    if "\t" in foerste:
        return "\t"
    if ";" in foerste:
        return ";"
    return ","


def _csv_linjer(indhold: bytes) -> Iterator[tuple[int, list]]:
    tekst = _dekod(indhold)
    laeser = csv.reader(io.StringIO(tekst, newline=""), delimiter=_skilletegn(tekst))
    start = 1
    try:
        for celler in laeser:
            yield start, celler
            start = laeser.line_num + 1
    except csv.Error as exc:
        raise FilFejl(f"Linje {laeser.line_num}: filen kunne ikke læses som CSV ({exc}).") from exc


def _xlsx_linjer(indhold: bytes) -> Iterator[tuple[int, list]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        bog = load_workbook(io.BytesIO(indhold), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FilFejl("Filen kunne ikke læses som et Excel-regneark (.xlsx). Er den beskadiget?") from exc
    try:
        ark = bog.worksheets[0]
        for nummer, raekke in enumerate(ark.iter_rows(min_row=1, values_only=True), start=1):
            celler = list(raekke)
            while celler and celler[-1] is None:
                celler.pop()
            yield nummer, celler
    finally:
        bog.close()


def linjer(filnavn: str, indhold: bytes) -> tuple[str, Iterator[tuple[int, list]]]:
    fmt = genkend_format(filnavn, indhold)
    return fmt, (_xlsx_linjer(indhold) if fmt == "xlsx" else _csv_linjer(indhold))


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


_ENKELT_TAL = re.compile(r"-?\d{1,12}(?:[.,]\d{1,8})?")
_TAL_RE = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)")
_PERIODE_STOEJ = re.compile(r"[\s\-_./]")
_OMVENDT_HALVAAR = re.compile(r"H([12])(\d{4})")


def laes_tal(celle) -> Decimal:
    """A number as Danish offices write it: '12,5', '1.234,5', '1 234,5', '12.5', '12,5 %', or a number cell."""
    if type(celle) is str and _ENKELT_TAL.fullmatch(celle):
        return Decimal(celle.replace(",", "."))  # the common case, fast: 100,000 rows pass through here
    if isinstance(celle, bool):
        raise ValueError
    if isinstance(celle, int | float):
        if isinstance(celle, float) and (celle != celle or celle in (float("inf"), float("-inf"))):
            raise ValueError
        return Decimal(str(celle))
    if isinstance(celle, Decimal):
        return celle
    if not isinstance(celle, str):
        raise ValueError
    s = celle.strip().replace("\u2212", "-").rstrip("%").strip()
    for mellemrum in (" ", "\u00a0", "\u202f", "'"):
        s = s.replace(mellemrum, "")
    if not s:
        raise ValueError
    if "," in s and "." in s:
        # The later one is the decimal separator: '1.234,5' (Danish) or '1,234.5'.
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        if s.count(",") > 1:
            raise ValueError
        s = s.replace(",", ".")
    elif s.count(".") > 1:
        s = s.replace(".", "")  # '1.234.567': thousands separators
    if not _TAL_RE.fullmatch(s):
        raise ValueError
    try:
        tal = Decimal(s)
    except InvalidOperation as exc:
        raise ValueError from exc
    return tal


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


def kontroller(filnavn: str, indhold: bytes, opslag: Opslag | None = None) -> Resultat:
    """Read and check every row; file-level problems raise FilFejl, row problems are collected."""
    if not indhold or not indhold.strip(b" \t\r\n;,\xef\xbb\xbf\x00"):
        raise FilFejl("Filen er tom.")
    if len(indhold) > MAKS_STOERRELSE:
        raise FilFejl(for_stor_besked(len(indhold)))
    fmt, kilde = linjer(filnavn, indhold)
    opslag = opslag or Opslag.hent()
    resultat = Resultat(format=fmt)
    kort: dict[str, int] | None = None
    set_foer: dict[tuple[int, str, str], int] = {}
    foerste = True
    for linje, celler in kilde:
        if all(_tom(c) for c in celler):
            continue
        if foerste:
            foerste = False
            kort, resultat.ignorerede_kolonner = _kolonner(celler)
            if kort is not None:
                continue
        if len(resultat.raekker) + resultat.antal_fejl >= MAKS_RAEKKER:
            raise FilFejl(f"Filen har mere end {MAKS_RAEKKER:,} rækker. Del den op i flere filer.".replace(",", "."))
        _kontroller_raekke(linje, celler, kort, opslag, resultat, set_foer)
    if foerste or (not resultat.raekker and not resultat.antal_fejl):
        raise FilFejl("Filen indeholder ingen datarækker, kun en overskrift." if not foerste else "Filen er tom.")
    return resultat


_POSITIONER = {n: tuple(range(n)) + (None,) * (len(KOLONNER) - n) for n in range(4, len(KOLONNER) + 1)}


def _kontroller_raekke(linje: int, celler: list, kort: dict[str, int] | None, opslag: Opslag,
                       resultat: Resultat, set_foer: dict) -> None:
    problemer: list[str] = []
    if kort is None:
        positioner = _POSITIONER.get(len(celler))
        if positioner is None:
            resultat.tilfoej_fejl(
                f"Linje {linje}: forventede 4 til {len(KOLONNER)} kolonner "
                f"(kode;geografi;periode;vaerdi[;taeller;naevner]), fandt {len(celler)}."
            )
            return
    else:
        positioner = tuple(kort.get(k) for k in KOLONNER)
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
        elif indikator and not periode.passer_til(indikator.frekvens):
            if indikator.frekvens == Frekvens.HALVAAR:
                problemer.append(f"indikatoren '{indikator.kode}' følges halvårligt: skriv perioden som "
                                 f"{periode.aar}H1 eller {periode.aar}H2, ikke '{vist}'")
            else:
                problemer.append(f"indikatoren '{indikator.kode}' opgøres for hele år: skriv perioden som "
                                 f"{periode.aar}, ikke '{vist}'")
            periode = None

    vaerdi = _tal(celle(i_vaerdi), "værdien", problemer, paakraevet=True)
    if vaerdi is not None and indikator and indikator.procent and not (0 <= vaerdi <= 100):
        problemer.append(f"en andel i procent skal ligge mellem 0 og 100, ikke {_vis(vaerdi)}")
    taeller = _tal(celle(i_taeller), "tælleren", problemer)
    naevner = _tal(celle(i_naevner), "nævneren", problemer)
    if naevner is not None and naevner <= 0:
        problemer.append("nævneren skal være større end 0")
    note = _tekst(celle(i_note))[:300]

    if not problemer and indikator and geografi and periode:
        noegle = (indikator.id, geografi.slug, periode.kode)
        tidligere = set_foer.get(noegle)
        if tidligere is not None:
            problemer.append(
                f"samme indikator, geografi og periode som linje {tidligere} ({indikator.kode}, {geografi.slug}, "
                f"{periode.kode})"
            )
        else:
            set_foer[noegle] = linje

    if problemer:
        resultat.tilfoej_fejl(f"Linje {linje}: " + "; ".join(problemer) + ".")
        return
    resultat.raekker.append(Raekke(linje, indikator, geografi, periode, vaerdi, taeller, naevner, note))


def _vis(tal: Decimal) -> str:
    return format(tal.normalize(), "f").replace(".", ",")


def _tal(celle, navn: str, problemer: list[str], *, paakraevet: bool = False) -> Decimal | None:
    if _tom(celle):
        if paakraevet:
            problemer.append(f"{navn} mangler")
        return None
    try:
        tal = laes_tal(celle)
    except ValueError:
        problemer.append(f"{navn} '{_tekst(celle)}' er ikke et tal")
        return None
    if abs(tal) >= _MAKS_VAERDI:
        problemer.append(f"{navn} {_tekst(celle)} er for stor")
        return None
    return tal.quantize(Decimal("0.0001"))


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
