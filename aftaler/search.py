"""Public search of agreements in title, summary and text, and highlighting of the hits.

PostgreSQL: Danish full-text search. `Soegeindeks.vektor` holds title (weight A), summary (B) and
the public text without HTML (C) as a `danish` tsvector with a GIN index; a query is parsed with
websearch_to_tsquery('danish', ...), so "borgere" finds "borgerens" and "aftalerne" finds
"aftale" (stemming), and hits are ranked with ts_rank. Hits are highlighted with ts_headline.

SQLite (embedded default): no stemming. Text is folded (case-folded; æ/ø/å written ae/oe/aa;
other accents dropped) so "ÆLDRE", "ældre" and "aeldre" are the same word, and every word of the
query must be the beginning of some word of the agreement ("borger" finds "borgerens"). Ranked
by the number of query words in the title. Hits are highlighted in Python.

Highlighting is safe in both: the text is HTML-escaped first, and only then are <mark> tags put
around the hits (PostgreSQL marks hits with control characters that cannot occur in the text).
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from aftaler import opendata
from aftaler.diff import tekstblokke
from aftaler.models import Samarbejdsaftale
from aftaler.models_soeg import Soegeindeks

log = logging.getLogger(__name__)

KONFIGURATION = "danish"
MAKS_ORD = 8  # more query words than this are ignored (each is one LIKE on SQLite)
_START, _SLUT = "\x02", "\x03"  # hit markers from ts_headline; removed from indexed text
_TRANSLITTERATION = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_ORD = re.compile(r"\w+")


def er_postgres() -> bool:
    return connection.vendor == "postgresql"


def fold(tekst: str) -> str:
    """Case-fold and write æ/ø/å as ae/oe/aa; drop other accents (é -> e)."""
    tekst = (tekst or "").casefold().translate(_TRANSLITTERATION)
    return "".join(c for c in unicodedata.normalize("NFKD", tekst) if not unicodedata.combining(c))


def foldede_ord(tekst: str) -> list[str]:
    return _ORD.findall(fold(tekst))


def _foldet_felt(*tekster: str) -> str:
    """' word word ... ': a word prefix is then found as ' prefix'."""
    return " " + " ".join(w for t in tekster for w in foldede_ord(t)) + " "


def ren_tekst(html_tekst: str) -> str:
    """The text of sanitized HTML, one line per block, without our marker characters."""
    return "\n".join(tekstblokke(html_tekst or "")).replace(_START, "").replace(_SLUT, "")


# --- the index ---------------------------------------------------------------------------------


def _vektor_udtryk():
    return (SearchVector("titel", weight="A", config=KONFIGURATION)
            + SearchVector("resume", weight="B", config=KONFIGURATION)
            + SearchVector("tekst", weight="C", config=KONFIGURATION))


def _indeksrad(aftale: Samarbejdsaftale) -> Soegeindeks:
    version = opendata.vist_version(aftale)
    tekst = ren_tekst(version.tekst if version else "")
    resume = (aftale.resume or "").replace(_START, "").replace(_SLUT, "")
    titel = aftale.titel.replace(_START, "").replace(_SLUT, "")
    # PostgreSQL searches the vector; the folded words are for SQLite only (and would make each
    # row, which a search that matches most agreements reads in full, twice as wide).
    pg = er_postgres()
    return Soegeindeks(
        aftale_id=aftale.pk, version_nummer=version.nummer if version else None, titel=titel, resume=resume,
        tekst=tekst, foldet_titel="" if pg else _foldet_felt(titel),
        foldet="" if pg else _foldet_felt(titel, resume, tekst), opdateret=timezone.now(),
    )


@transaction.atomic
def indeks_opdater(aftale_id: int) -> bool:
    """Bring one agreement's row up to date; an agreement that is not public has no row.
    Returns whether the agreement is in the index."""
    aftale = (opendata.offentlige_aftaler().select_related("aktuel_version", "offentliggjort_version")
              .filter(pk=aftale_id).first())
    if aftale is None:
        Soegeindeks.objects.filter(aftale_id=aftale_id).delete()
        return False
    rad = _indeksrad(aftale)
    rad.save()
    if er_postgres():
        Soegeindeks.objects.filter(pk=aftale_id).update(vektor=_vektor_udtryk())
    return True


def _indekser(aftaler: QuerySet[Samarbejdsaftale], parti: int) -> int:
    aftaler = aftaler.select_related("aktuel_version", "offentliggjort_version").defer("maalgruppe").order_by("pk")
    antal, sidste = 0, 0
    while True:
        klump = list(aftaler.filter(pk__gt=sidste)[:parti])
        if not klump:
            return antal
        sidste = klump[-1].pk
        ider = [a.pk for a in klump]
        Soegeindeks.objects.filter(pk__in=ider).delete()
        # A concurrent request may be indexing the same agreements: its rows are just as good.
        Soegeindeks.objects.bulk_create([_indeksrad(a) for a in klump], ignore_conflicts=True)
        if er_postgres():
            Soegeindeks.objects.filter(pk__in=ider).update(vektor=_vektor_udtryk())
        antal += len(klump)


@transaction.atomic
def indeks_genopbyg(parti: int = 500) -> int:
    """Rebuild the whole index from the public agreements; returns the number indexed."""
    Soegeindeks.objects.all().delete()
    return _indekser(opendata.offentlige_aftaler(), parti)


@transaction.atomic
def indeks_synkroniser(parti: int = 500) -> int:
    """Index the public agreements changed since they were indexed (or never indexed) and drop rows
    of agreements that are no longer public; returns the number (re)indexed.

    tasks_offentlig.offentlig_opdater keeps the index current after each change; this catches up
    whatever it missed (a change made without the task, a lost task), and is cheap when nothing did."""
    Soegeindeks.objects.exclude(aftale__in=opendata.offentlige_aftaler()).delete()
    foraeldede = opendata.offentlige_aftaler().filter(Q(soegeindeks__isnull=True)
                                                      | Q(soegeindeks__opdateret__lt=F("opdateret")))
    return _indekser(foraeldede, parti)


def synkroniser_ved_aendring(stempel: str) -> None:
    """Run `indeks_synkroniser` once per change anywhere (`stempel`: opendata.global_stempel().noegle).

    Called by the search page before it searches: the index is derived data, like a cache, and
    this write only fills in what the task did not. If it fails, the search goes on with the
    index as it is rather than failing the page."""
    noegle = "soegeindeks-synkroniseret"
    if cache.get(noegle) == stempel:
        return
    try:
        indeks_synkroniser()
    except DatabaseError:
        log.warning("Søgeindekset kunne ikke synkroniseres", exc_info=True)
        return
    cache.set(noegle, stempel, None)


# --- searching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Soegning:
    """A parsed query: the raw text and its folded words (SQLite, highlighting)."""

    tekst: str
    ord: tuple[str, ...]

    @classmethod
    def fra(cls, tekst: str) -> Soegning:
        tekst = " ".join((tekst or "").split())[:200]
        ord_ = tuple(dict.fromkeys(foldede_ord(tekst)))[:MAKS_ORD]
        return cls(tekst=tekst, ord=ord_)

    def __bool__(self) -> bool:
        return bool(self.ord)

    def pg_query(self) -> SearchQuery:
        return SearchQuery(self.tekst, config=KONFIGURATION, search_type="websearch")


def traeffere(aftaler: QuerySet[Samarbejdsaftale], soegning: Soegning) -> QuerySet[Soegeindeks]:
    """The index rows of the agreements in `aftaler` that match the query, annotated with `rang`
    (higher is better). Ranking and counting read only the index table; the caller fetches the
    agreements of one page afterwards."""
    raekker = Soegeindeks.objects.filter(aftale__in=aftaler.values("pk"))
    if er_postgres():
        query = soegning.pg_query()
        return raekker.filter(vektor=query).annotate(rang=SearchRank(F("vektor"), query))
    for ord_ in soegning.ord:
        raekker = raekker.filter(foldet__contains=" " + ord_)
    rang = Value(0, output_field=IntegerField())
    for ord_ in soegning.ord:
        rang = rang + Case(When(foldet_titel__contains=" " + ord_, then=Value(1)), default=Value(0),
                           output_field=IntegerField())
    return raekker.annotate(rang=rang)


# How to order index rows for each sorting of the list (see views_offentlig.SORTERINGER).
TRAEFFER_ORDEN = {
    "relevans": (F("rang").desc(), "titel", "aftale_id"),
    "titel": ("titel", "aftale_id"),
    "nyeste": (F("aftale__opdateret").desc(), "aftale_id"),
    "ikraft": (F("aftale__ikrafttraedelse").desc(nulls_last=True), "titel", "aftale_id"),
    "indstillet": (F("aftale__indstillet_dato").desc(nulls_last=True), "titel", "aftale_id"),
}


# --- highlighting ------------------------------------------------------------------------------


@dataclass
class Fremhaevning:
    titel: SafeString
    uddrag: SafeString  # '' when the hit is only in the title


def _marker(tekst: str, start: str, slut: str) -> SafeString:
    """Escape `tekst`, then turn the markers into <mark> elements."""
    return mark_safe(html.escape(tekst).replace(start, "<mark>").replace(slut, "</mark>"))


def fremhaev_tekst(tekst: str, soegning: Soegning) -> tuple[SafeString, int]:
    """Mark the words of `tekst` that begin with a query word; returns (html, number of hits)."""
    dele, pos, antal = [], 0, 0
    for m in _ORD.finditer(tekst):
        if any(fold(m.group()).startswith(o) for o in soegning.ord):
            dele += [html.escape(tekst[pos:m.start()]), "<mark>", html.escape(m.group()), "</mark>"]
            pos, antal = m.end(), antal + 1
    dele.append(html.escape(tekst[pos:]))
    return mark_safe("".join(dele)), antal


def _uddrag(tekst: str, soegning: Soegning, ord_omkring: int = 14) -> SafeString:
    """A window of words around the first hit, highlighted; '' when there is no hit."""
    ordliste = tekst.split()
    for i, w in enumerate(ordliste):
        if any(fold(o).startswith(q) for o in _ORD.findall(w) for q in soegning.ord):
            start, slut = max(0, i - ord_omkring), min(len(ordliste), i + ord_omkring + 1)
            vindue = " ".join(ordliste[start:slut])
            marker, _ = fremhaev_tekst(vindue, soegning)
            return mark_safe(("… " if start else "") + marker + (" …" if slut < len(ordliste) else ""))
    return mark_safe("")


def fremhaev(ider: list[int], soegning: Soegning) -> dict[int, Fremhaevning]:
    """Highlighted title and excerpt (from the summary or the text) for the agreements on one
    page of results: one query, whatever the page size."""
    if not ider or not soegning:
        return {}
    if er_postgres():
        query = soegning.pg_query()
        felles = {"config": KONFIGURATION, "start_sel": _START, "stop_sel": _SLUT}
        raekker = Soegeindeks.objects.filter(pk__in=ider).annotate(
            h_titel=SearchHeadline("titel", query, highlight_all=True, **felles),
            h_resume=SearchHeadline("resume", query, max_words=40, min_words=20, max_fragments=2,
                                    fragment_delimiter=" … ", **felles),
            h_tekst=SearchHeadline("tekst", query, max_words=30, min_words=15, max_fragments=2,
                                   fragment_delimiter=" … ", **felles),
        ).values_list("pk", "h_titel", "h_resume", "h_tekst")
        res = {}
        for pk, titel, resume, tekst in raekker:
            uddrag = resume if _START in (resume or "") else (tekst if _START in (tekst or "") else "")
            res[pk] = Fremhaevning(titel=_marker(titel or "", _START, _SLUT),
                                   uddrag=_marker(" ".join(uddrag.split()), _START, _SLUT))
        return res
    res = {}
    for pk, titel, resume, tekst in Soegeindeks.objects.filter(pk__in=ider).values_list("pk", "titel", "resume",
                                                                                        "tekst"):
        titel_html, _ = fremhaev_tekst(titel, soegning)
        res[pk] = Fremhaevning(titel=titel_html, uddrag=_uddrag(resume, soegning) or _uddrag(tekst, soegning))
    return res


def indlaes(*, stdout=None) -> None:
    """A demo loader (organisation.management.commands.demo.LOADERS): index the demo agreements."""
    antal = indeks_genopbyg()
    if stdout is not None:
        stdout.write(f"Søgeindeks: {antal} offentlige aftaler indekseret.")
