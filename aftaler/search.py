"""Public search of agreements in title, summary and text, and highlighting of the hits.

PostgreSQL: Danish full-text search. `Soegeindeks.vektor` holds title (weight A), summary (B) and
the public text without HTML (C) as a `danish` tsvector with a GIN index; a query is parsed with
websearch_to_tsquery('danish', ...), so "borgere" finds "borgerens" and "aftalerne" finds
"aftale" (stemming), and hits are ranked with ts_rank. A one-word search among all public
agreements by relevance reads that word's ranks, written with the index (`Soegerang`), instead of
ranking every vector (_et_ord_side). Hits are highlighted with ts_headline (the text's beginning
first: _Uddrag).

SQLite (embedded default): text is folded (case-folded; æ/ø/å written ae/oe/aa; other accents
dropped) so "ÆLDRE", "ældre" and "aeldre" are the same word, and every word of the query must be
the beginning of some word of the agreement ("borger" finds "borgerens") or have the same Danish
stem as one (Snowball, as PostgreSQL's `danish`: "hjerneskader" finds "hjerneskade"; stop words
such as "dem" have no stem, so "demens", stem "dem", does not find them). The stems are looked up
in the index's own word table (`Soegeord.stamme` -> `Ordforekomst`), not in the text. Ranked by
the number of query words (or their stems) beginning a word of the title. Hits are highlighted in
Python.

"Mente du …?": a search that finds nothing is offered the closest words of the public text
(`Soegeord`, written with the index rows, so never a word of a draft): the candidates come from a
trigram index (pg_trgm's `<->` on PostgreSQL; the words with the same first letter and about the
same length on SQLite) and are ranked in Python by edit distance, the same on both databases; a
suggestion is shown only if its own search finds something.

Highlighting is safe in both: the text is HTML-escaped first, and only then are <mark> tags put
around the hits (PostgreSQL marks hits with control characters that cannot occur in the text).
"""

from __future__ import annotations

import functools
import html
import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import snowballstemmer
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, TextField, Value, When
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from aftaler import forberedt, synlighed
from aftaler.diff import tekstblokke
from aftaler.models import Samarbejdsaftale
from aftaler.models_soeg import Ordforekomst, Soegeindeks, Soegeord, Soegerang
from sundhed.cachesikker import cache_get, cache_set

log = logging.getLogger(__name__)

KONFIGURATION = "danish"
MAKS_ORD = 8  # more query words than this are ignored (each is one LIKE on SQLite)
_START, _SLUT = "\x02", "\x03"  # hit markers from ts_headline; removed from indexed text
_ORD = re.compile(r"\w+")
# PostgreSQL's Danish stop words (tsearch_data/danish.stop, from Snowball): never stemmed or suggested.
STOPORD = frozenset("""
og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham
hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når
være dog noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt
meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan
""".split())


def er_postgres() -> bool:
    return connection.vendor == "postgresql"


def fold(tekst: str) -> str:
    """Case-fold and write æ/ø/å as ae/oe/aa; drop other accents (é -> e)."""
    tekst = (tekst or "").casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    if tekst.isascii():  # most Danish text once æ/ø/å are written out: nothing to decompose
        return tekst
    return "".join(c for c in unicodedata.normalize("NFKD", tekst) if not unicodedata.combining(c))


def foldede_ord(tekst: str) -> list[str]:
    return _ORD.findall(fold(tekst))


def _foldet_felt(*tekster: str) -> str:
    """' word word ... ': a word prefix is then found as ' prefix'."""
    return " " + " ".join(w for t in tekster for w in foldede_ord(t)) + " "


_lokal = threading.local()  # a Snowball stemmer keeps state while it stems: one per thread


@functools.lru_cache(maxsize=50_000)
def stamme(ord_: str) -> str:
    """The folded Danish stem of one word ("Hjerneskader" -> "hjerneskad", "Ældre" -> "aeldr");
    '' for a stop word. The stem is a beginning of the word (Snowball's Danish stemmer only
    removes endings), so only words that begin with it can have it."""
    ord_ = ord_.casefold()
    if ord_ in STOPORD:
        return ""
    if not hasattr(_lokal, "stemmer"):
        _lokal.stemmer = snowballstemmer.stemmer("danish")
    return fold(_lokal.stemmer.stemWord(ord_))


@functools.lru_cache(maxsize=50_000)
def _ordpar(raa: str) -> tuple[tuple[str, str], ...]:
    foldet = foldede_ord(raa)
    return ((foldet[0], stamme(raa)),) if len(foldet) == 1 else tuple((f, stamme(f)) for f in foldet)


def _ord_og_stammer(tekst: str) -> list[tuple[str, str]]:
    """(folded word, folded stem) for each word of `tekst`: stemmed before folding, as the
    stemmer knows æ, ø and å."""
    return [par for raa in _ORD.findall(tekst or "") for par in _ordpar(raa)]


MAKS_ORDLAENGDE = 40  # longer "words" (URLs, chemical names) are not offered as suggestions


def ordforraad(*tekster: str) -> set[str]:
    """The words of `tekster` that may be suggested: case-folded as written, at least three
    letters long, not a stop word and not a number."""
    ord_ = {w for t in tekster for w in _ORD.findall((t or "").casefold())}
    return {w for w in ord_ if 3 <= len(w) and len(fold(w)) <= MAKS_ORDLAENGDE and w not in STOPORD
            and not w.isdigit() and "_" not in w}


def ren_tekst(html_tekst: str) -> str:
    """The text of sanitized HTML, one line per block, without our marker characters."""
    return "\n".join(tekstblokke(html_tekst or "")).replace(_START, "").replace(_SLUT, "")


# --- the index ---------------------------------------------------------------------------------


def _vektor_udtryk():
    return (SearchVector("titel", weight="A", config=KONFIGURATION)
            + SearchVector("resume", weight="B", config=KONFIGURATION)
            + SearchVector("tekst", weight="C", config=KONFIGURATION))


def _indeksrad(aftale: Samarbejdsaftale) -> Soegeindeks:
    version = synlighed.vist_version(aftale)
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


# PostgreSQL: the rank of each word of these index rows' vectors for a search of that word alone
# (aftaler.models_soeg.Soegerang): the same ts_rank the search computes, for the query of the one
# lexeme. A lexeme with a quote or a backslash is left out: the one-word search never asks for it
# (traeffer_side), so the general search finds such words.
_RANG_SQL = r"""
    INSERT INTO {rang} (aftale_id, leksem, rang, titel)
    SELECT s.aftale_id, u.lexeme, ts_rank(s.vektor, ('''' || u.lexeme || '''')::tsquery), s.titel
    FROM {indeks} s CROSS JOIN LATERAL unnest(s.vektor) AS u
    WHERE s.aftale_id = ANY(%s) AND u.lexeme !~ '[''\\]'
    ON CONFLICT (aftale_id, leksem) DO UPDATE SET rang = EXCLUDED.rang, titel = EXCLUDED.titel
"""


def _skriv_rang(ider: list[int], *, erstat: bool) -> None:
    """PostgreSQL: (re)write the rank rows of these agreements' index rows (`erstat`: remove their
    old ones first; rows removed with their index row need not be). Two indexers of the same
    agreement at once (the task and a catch-up): the rows the later one writes win, as its vector
    does (upsert), instead of one of them failing on the key."""
    if not er_postgres() or not ider:
        return
    rang, indeks = Soegerang._meta.db_table, Soegeindeks._meta.db_table
    with connection.cursor() as c:
        if erstat:
            c.execute(f"DELETE FROM {rang} WHERE aftale_id = ANY(%s)", [ider])
        c.execute(_RANG_SQL.format(rang=rang, indeks=indeks), [ider])


def _fjern(ider: list[int]) -> None:
    """Remove these agreements' index rows (and, on SQLite, which words they held)."""
    if not er_postgres():
        Ordforekomst.objects.filter(aftale_id__in=ider).delete()
    Soegeindeks.objects.filter(pk__in=ider).delete()


def _skriv_ord(raekker: list[Soegeindeks]) -> None:
    """Add the words of these (just written) index rows to the vocabulary: the index's own public
    text, never anything else. On SQLite also record which agreement holds which word (the stems
    are found there); PostgreSQL asks its search vectors instead, so it writes only new words.

    Plain INSERTs (executemany) rather than bulk_create: an agreement holds a few hundred distinct
    words, and building a model instance for each made indexing several times slower. ON CONFLICT
    DO NOTHING (SQLite and PostgreSQL): the word may be known, or just written by a concurrent
    indexer of the same agreement."""
    forekomster = sorted({(w, r.aftale_id) for r in raekker for w in ordforraad(r.titel, r.resume, r.tekst)})
    ord_ = sorted({w for w, _ in forekomster})
    soegeord, forekomst = Soegeord._meta.db_table, Ordforekomst._meta.db_table
    with connection.cursor() as c:
        c.executemany(f"INSERT INTO {soegeord} (ord, foldet, laengde, stamme) VALUES (%s, %s, %s, %s) "
                      "ON CONFLICT DO NOTHING", [(w, fold(w), len(fold(w)), stamme(w)) for w in ord_])
        if not er_postgres():
            c.executemany(f"INSERT INTO {forekomst} (soegeord_id, aftale_id) VALUES (%s, %s) "
                          "ON CONFLICT DO NOTHING", forekomster)


@transaction.atomic
def indeks_opdater(aftale_id: int) -> bool:
    """Bring one agreement's row (and its words) up to date; an agreement that is not public has no
    row. Returns whether the agreement is in the index."""
    # Two workers may index the same agreement at once (two changes in a row): the row lock on the
    # agreement makes the second wait for the first, instead of both inserting the same index row.
    list(Samarbejdsaftale.objects.select_for_update().filter(pk=aftale_id).values_list("pk", flat=True))
    aftale = (synlighed.offentlige_aftaler().select_related("aktuel_version", "offentliggjort_version")
              .filter(pk=aftale_id).first())
    if aftale is None:
        _fjern([aftale_id])
        return False
    rad = _indeksrad(aftale)
    # An upsert: a concurrent catch-up (indeks_synkroniser) may have inserted the row meanwhile; a plain
    # save's INSERT would then collide on the primary key.
    Soegeindeks.objects.bulk_create(
        [rad], update_conflicts=True, unique_fields=["aftale"],
        update_fields=["version_nummer", "titel", "resume", "tekst", "foldet_titel", "foldet", "opdateret"])
    if er_postgres():
        Soegeindeks.objects.filter(pk=aftale_id).update(vektor=_vektor_udtryk())
        _skriv_rang([aftale_id], erstat=True)
    else:
        Ordforekomst.objects.filter(aftale_id=aftale_id).delete()
    _skriv_ord([rad])
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
        _fjern(ider)
        # A concurrent request may be indexing the same agreements: its rows are just as good.
        raekker = [_indeksrad(a) for a in klump]
        Soegeindeks.objects.bulk_create(raekker, ignore_conflicts=True)
        if er_postgres():
            Soegeindeks.objects.filter(pk__in=ider).update(vektor=_vektor_udtryk())
            # A concurrent indexer may have written rows of these agreements meanwhile: replace them.
            _skriv_rang(ider, erstat=True)
        _skriv_ord(raekker)
        antal += len(klump)


@transaction.atomic
def indeks_genopbyg(parti: int = 500) -> int:
    """Rebuild the whole index (and the vocabulary) from the public agreements; returns the number
    indexed. Words no public text holds any more are dropped only here: until then they stay in
    `Soegeord`, and the suggestions pass over them (they offer only words an index row holds)."""
    Ordforekomst.objects.all().delete()
    Soegeord.objects.all().delete()
    Soegeindeks.objects.all().delete()
    return _indekser(synlighed.offentlige_aftaler(), parti)


@transaction.atomic
def indeks_synkroniser(parti: int = 500) -> int:
    """Index the public agreements changed since they were indexed (or never indexed) and drop rows
    of agreements that are no longer public; returns the number (re)indexed.

    tasks_offentlig.offentlig_opdater keeps the index current after each change; this catches up
    whatever it missed (a change made without the task, a lost task), and is cheap when nothing did."""
    if ude := list(Soegeindeks.objects.exclude(aftale__in=synlighed.offentlige_aftaler())
                   .values_list("pk", flat=True)):
        _fjern(ude)
    foraeldede = synlighed.offentlige_aftaler().filter(Q(soegeindeks__isnull=True)
                                                      | Q(soegeindeks__opdateret__lt=F("opdateret")))
    return _indekser(foraeldede, parti)


def indeks_er_aktuelt() -> bool:
    """Whether the index holds exactly the public agreements, none changed since it was indexed:
    what `indeks_synkroniser` would find to do, asked in two read-only queries. (Counted, not asked
    with EXISTS: its LIMIT 1 made PostgreSQL look up the index row of every agreement one by one
    when, as usual, nothing was out of date.)"""
    offentlige = synlighed.offentlige_aftaler()
    if Soegeindeks.objects.exclude(aftale__in=offentlige.values("pk")).count():
        return False
    return not offentlige.filter(Q(soegeindeks__isnull=True) | Q(soegeindeks__opdateret__lt=F("opdateret"))).count()


def synkroniser_ved_aendring(stempel: str) -> bool:
    """Catch the index up once per change anywhere (`stempel`: stempler.global_stempel().noegle).

    Called by the search page before it searches: the index is derived data, like a cache, and
    this only fills in what the outbox's refresh (tasks_offentlig.offentlig_opdater) did not. The page
    only reads: when something was missed it hands the catch-up to the worker
    (tasks_offentlig.indeks_synkroniser_opgave; in-process only without a broker) and searches the
    index as it is. A cache or database that fails here never fails the page.

    Returns whether the index is known to be current, holding exactly the public agreements (then
    a search among all of them may read the index alone: Udvalg.alle)."""
    noegle = "soegeindeks-synkroniseret"
    if cache_get(cache, noegle) == stempel:
        return True
    try:
        if not indeks_er_aktuelt():
            # Not on the request: the worker catches up (run in-process only without a broker, the
            # embedded default); the search goes on with the index as it is.
            from aftaler import tasks_offentlig
            from sundhed.tasks import send_sikkert

            send_sikkert(tasks_offentlig.indeks_synkroniser_opgave)
            return False
    except DatabaseError:
        log.warning("Søgeindekset kunne ikke synkroniseres", exc_info=True)
        return False
    cache_set(cache, noegle, stempel, None)
    return True


# --- searching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Soegning:
    """A parsed query: the raw text, its folded words and their stems ('' for a stop word), for
    SQLite and highlighting."""

    tekst: str
    ord: tuple[str, ...]
    stammer: tuple[str, ...]

    @classmethod
    def fra(cls, tekst: str) -> Soegning:
        tekst = " ".join((tekst or "").split())[:200]
        par = _ord_og_stammer(tekst)
        ord_ = tuple(dict.fromkeys(w for w, _ in par))[:MAKS_ORD]
        stamme_af = dict(reversed(par))  # the first stem seen for each word
        return cls(tekst=tekst, ord=ord_, stammer=tuple(stamme_af[w] for w in ord_))

    def __bool__(self) -> bool:
        return bool(self.ord)

    def pg_query(self) -> SearchQuery:
        return SearchQuery(self.tekst, config=KONFIGURATION, search_type="websearch")


def _pg_traeffere(aftaler: QuerySet[Samarbejdsaftale] | None, tekst: str) -> QuerySet[Soegeindeks]:
    """`aftaler` None: every row of the index (see Udvalg.alle)."""
    query = SearchQuery(tekst, config=KONFIGURATION, search_type="websearch")
    raekker = Soegeindeks.objects.all() if aftaler is None else Soegeindeks.objects.filter(
        aftale__in=aftaler.values("pk"))
    return raekker.filter(vektor=query).annotate(rang=SearchRank(F("vektor"), query))


def traeffere(aftaler: QuerySet[Samarbejdsaftale], soegning: Soegning) -> QuerySet[Soegeindeks]:
    """The index rows of the agreements in `aftaler` that match the query, annotated with `rang`
    (higher is better). Ranking and counting read only the index table; the caller fetches the
    agreements of one page afterwards."""
    if er_postgres():
        return _pg_traeffere(aftaler, soegning.tekst)
    raekker = Soegeindeks.objects.filter(aftale__in=aftaler.values("pk"))
    rang = Value(0, output_field=IntegerField())
    for ord_, stamme_ in zip(soegning.ord, soegning.stammer, strict=True):
        # The beginning of a word, or a word with the same stem ("hjerneskader" finds "hjerneskade"):
        # the agreements holding such a word come from the word table's index, once per query.
        i_alt, i_titel = Q(foldet__contains=" " + ord_), Q(foldet_titel__contains=" " + ord_)
        if stamme_:
            i_alt |= Q(aftale_id__in=Ordforekomst.objects.filter(soegeord__stamme=stamme_).values("aftale_id"))
            i_titel |= Q(foldet_titel__contains=" " + stamme_)
        raekker = raekker.filter(i_alt)
        rang = rang + Case(When(i_titel, then=Value(1)), default=Value(0), output_field=IntegerField())
    return raekker.annotate(rang=rang)


# How to order the hits for each sorting of the list (see aftaler.views.soegning.SORTERINGER): the
# agreement's columns each needs (as h_<name>) and the ORDER BY over them.
TRAEFFER_ORDEN: dict[str, tuple[dict[str, str], str]] = {
    "relevans": ({}, "rang DESC, titel, aftale_id"),
    "titel": ({}, "titel, aftale_id"),
    "nyeste": ({"h_opdateret": "aftale__opdateret"}, "h_opdateret DESC, aftale_id"),
    "ikraft": ({"h_ikraft": "aftale__ikrafttraedelse"}, "h_ikraft DESC NULLS LAST, titel, aftale_id"),
    "indstillet": ({"h_indstillet": "aftale__indstillet_dato"}, "h_indstillet DESC NULLS LAST, titel, aftale_id"),
}


@dataclass(frozen=True)
class Udvalg:
    """The agreements a search looks among, in a form a prepared read can take (aftaler.forberedt):
    `lav(noegle, vaerdier)` (a module-level function) builds their queryset, `noegle` names its
    shape, `typer` are the values' PostgreSQL types.

    `alle`: the search looks among every public agreement (no filter), and the index is known to
    hold exactly those (`synkroniser_ved_aendring` returned True, as the list asks before it
    searches). The hits are then read from the index alone: joining every hit to the public agreements cost a
    fifth of a search for a word in every agreement, and filtered nothing. (The page's agreements
    are still read from the public ones, so an agreement that left them a moment ago is not shown.)"""

    noegle: tuple
    typer: tuple
    vaerdier: tuple
    lav: Callable[[tuple, tuple], QuerySet[Samarbejdsaftale]]
    alle: bool = False

    def aftaler(self) -> QuerySet[Samarbejdsaftale]:
        return self.lav(self.noegle, self.vaerdier)


def _med_ordenskolonner(raekker: QuerySet[Soegeindeks], sortering: str) -> QuerySet:
    kolonner, _ = TRAEFFER_ORDEN[sortering]
    if kolonner:
        raekker = raekker.annotate(**{navn: F(felt) for navn, felt in kolonner.items()})
    return raekker.order_by().values("aftale_id", "titel", *kolonner, *(["rang"] if sortering == "relevans" else []))


def _side_sql(sql: str, sortering: str, antal: int, materialiseret: str) -> str:
    # The hits are gathered once, then counted and cut to the page (see traeffer_side).
    return (f"WITH h AS {materialiseret}({sql}) SELECT aftale_id, (SELECT COUNT(*) FROM h) FROM h "
            f"ORDER BY {TRAEFFER_ORDEN[sortering][1]} LIMIT {int(antal)} OFFSET %s")


# PostgreSQL: one read compiled once for each shape of filters, sorting and page size; its values
# are the filters', the query text and the page's start. Planned for each search (planlaeg): the
# best plan for a word in a few agreements is not the one for a word in every agreement.
_SIDER = forberedt.Forberedte("soeg_side", lambda noegle, navn: forberedt.Forberedt(
    navn, [*noegle[1], "text", "bigint"],
    lambda *v: _med_ordenskolonner(_pg_traeffere(None if noegle[5] else noegle[4](noegle[0], v[:-2]), v[-2]),
                                   noegle[2]),
    omslut=lambda sql, v: (_side_sql(sql, noegle[2], noegle[3], "MATERIALIZED "), [v[-1]]),
    navne=["aftale_id", "antal"], planlaeg=True))


# One page of a one-word search among every public agreement, by relevance (see Soegerang): the
# query's single lexeme (NULL when the query is anything else: several words, a phrase, a negation,
# only stop words, or a lexeme with a quote or backslash, which have no rank rows), the number of
# agreements holding it, and one page of them in the order rang DESC, titel, aftale_id, which is
# the order of `_side_sql` over ts_rank, as the rank rows hold the same ts_rank. One row with a NULL
# agreement when the page is empty.
_ET_ORD_SQL = r"""
    WITH l AS MATERIALIZED (
        SELECT CASE WHEN numnode(q) = 1 AND q::text ~ '^''[^''\\]+''$'
                    THEN substr(q::text, 2, length(q::text) - 2) END AS leksem
        FROM websearch_to_tsquery('{konfiguration}', $1::text) AS q
    ), n AS MATERIALIZED (
        SELECT count(*) AS antal FROM {rang} c, l WHERE c.leksem = l.leksem
    )
    SELECT l.leksem IS NOT NULL, n.antal, s.aftale_id
    FROM l CROSS JOIN n LEFT JOIN LATERAL (
        SELECT r.aftale_id FROM {rang} r WHERE r.leksem = l.leksem
        ORDER BY r.rang DESC, r.titel, r.aftale_id LIMIT {antal} OFFSET $2::bigint
    ) s ON true
"""


def _et_ord_side(soegning: Soegning, start: int, antal: int) -> tuple[list[int], int | None] | None:
    """traeffer_side for a search among every public agreement by relevance, when the query is one
    lexeme: from the rank rows, one query. None when the query is not one lexeme (then match and rank
    the vectors)."""
    sql = _ET_ORD_SQL.format(konfiguration=KONFIGURATION, rang=Soegerang._meta.db_table, antal=int(antal))
    if forberedt.forbered():
        raekker = forberedt.udfoer(f"soeg_et_ord_{int(antal)}", sql, ["text", "bigint"], [soegning.tekst, start])
    else:
        with connection.cursor() as c:
            c.execute(sql.replace("$1", "%s").replace("$2", "%s"), [soegning.tekst, start])
            raekker = c.fetchall()
    if not raekker[0][0]:
        return None
    ider = [pk for _, _, pk in raekker if pk is not None]
    return ider, (raekker[0][1] if ider else None)


def traeffer_side(udvalg: Udvalg, soegning: Soegning, sortering: str, start: int,
                  antal: int) -> tuple[list[int], int | None]:
    """The agreement ids of one page of hits, in order, and the number of hits (None when the page
    is past the end), in one query that reads each matching index row once.

    The hits are gathered once (a materialized CTE: on PostgreSQL each row's search vector is
    matched and ranked once), then counted and cut to the page. (Counting them with COUNT(*) OVER ()
    in the ranked query made PostgreSQL carry every matching vector through the window before
    ranking: three times slower for a word found in every agreement.) On PostgreSQL the query is
    compiled once for each shape of filters (aftaler.forberedt) and planned for each search.

    A search for one word among every public agreement by relevance reads the word's rank rows
    instead (_et_ord_side): the same hits in the same order."""
    if udvalg.alle and sortering == "relevans" and er_postgres():
        if (side := _et_ord_side(soegning, start, antal)) is not None:
            return side
    if forberedt.forbered():
        fundet = _SIDER.laes((udvalg.noegle, udvalg.typer, sortering, antal, udvalg.lav, udvalg.alle),
                             *udvalg.vaerdier, soegning.tekst, start)
    else:
        sql, parametre = _med_ordenskolonner(traeffere(udvalg.aftaler(), soegning), sortering).query.sql_with_params()
        with connection.cursor() as c:
            c.execute(_side_sql(sql, sortering, antal, "MATERIALIZED " if er_postgres() else ""), [*parametre, start])
            fundet = c.fetchall()
    return [pk for pk, _ in fundet], (fundet[0][1] if fundet else None)


# --- "Mente du …?" ------------------------------------------------------------------------------

KANDIDATER = 20  # the closest words by trigrams, per query word, that are ranked by edit distance
# For each query word, the closest words of the vocabulary: KNN on the trigram GiST index. (Asking
# the search vectors whether a public text still holds each word cost a GIN bitmap per candidate,
# 10 ms for a common word; a word that left the public text is caught by `forslag`'s last check.)
_TRIGRAM_SQL = """
    SELECT q.ord, k.ord, k.foldet
    FROM unnest(%s::text[]) AS q(ord)
    CROSS JOIN LATERAL (
        SELECT o.ord, o.foldet FROM {soegeord} o ORDER BY o.foldet <-> q.ord LIMIT %s
    ) k
"""


def _trigrammer(ord_: str) -> set[str]:
    """The trigrams of one word as pg_trgm makes them (two spaces before, one after)."""
    s = f"  {ord_} "
    return {s[i:i + 3] for i in range(len(s) - 2)}


def lighed(a: str, b: str) -> float:
    """pg_trgm's similarity() of two words: shared trigrams over all trigrams."""
    ta, tb = _trigrammer(a), _trigrammer(b)
    return len(ta & tb) / len(ta | tb)


def afstand(a: str, b: str) -> int:
    """Edit distance, a swap of two neighbouring letters counting one ("demnes" -> "demens": 1)."""
    forrige2, forrige = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        raekke = [i]
        for j, cb in enumerate(b, 1):
            d = min(forrige[j] + 1, raekke[j - 1] + 1, forrige[j - 1] + (ca != cb))
            if forrige2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                d = min(d, forrige2[j - 2] + 1)
            raekke.append(d)
        forrige2, forrige = forrige, raekke
    return forrige[-1]


def _maks_afstand(ord_: str) -> int:
    return 1 if len(ord_) <= 5 else 2 if len(ord_) <= 9 else 3


def _kandidater(ord_: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each folded query word, the closest words of the vocabulary (as written, folded): one
    query. On SQLite only words an agreement in the index (a public one) holds; on PostgreSQL also
    words that left the public text since the index was last rebuilt (see _TRIGRAM_SQL)."""
    kandidater: dict[str, list[tuple[str, str]]] = {w: [] for w in ord_}
    if er_postgres():
        with connection.cursor() as c:
            c.execute(_TRIGRAM_SQL.format(soegeord=Soegeord._meta.db_table), [ord_, KANDIDATER])
            for q, w, foldet in c.fetchall():
                kandidater[q].append((w, foldet))
        return kandidater
    # SQLite has no trigram index: read the words with the query word's first letter and about its
    # length (a B-tree range), then keep the closest by trigrams as PostgreSQL would.
    hvor = Q()
    for w in ord_:
        hvor |= Q(foldet__gte=w[0], foldet__lt=chr(ord(w[0]) + 1),
                  laengde__gte=len(w) - _maks_afstand(w), laengde__lte=len(w) + _maks_afstand(w))
    i_indekset = Exists(Soegeindeks.objects.filter(pk=OuterRef("aftale_id")))
    holdt = Exists(Ordforekomst.objects.filter(i_indekset, soegeord=OuterRef("pk")))
    alle = list(Soegeord.objects.filter(hvor).filter(holdt).values_list("ord", "foldet"))
    for w in ord_:
        egnede = [(o, f) for o, f in alle if f[0] == w[0] and abs(len(f) - len(w)) <= _maks_afstand(w)]
        kandidater[w] = sorted(egnede, key=lambda k, w=w: -lighed(w, k[1]))[:KANDIDATER]
    return kandidater


def _rettelse(ord_: str, stamme_: str, kandidater: list[tuple[str, str]]) -> str | None:
    """The word to suggest instead of the folded query word `ord_`, or None when it is a word of
    the text (or has the stem of one) or nothing is close enough."""
    if any(f == ord_ or (stamme_ and stamme(o) == stamme_) for o, f in kandidater):
        return None
    naer = [(afstand(ord_, f), -lighed(ord_, f), abs(len(f) - len(ord_)), o) for o, f in kandidater]
    naer = [n for n in naer if n[0] <= _maks_afstand(ord_)]
    return min(naer)[-1] if naer else None


def forslag(aftaler: QuerySet[Samarbejdsaftale], soegning: Soegning) -> str | None:
    """"Mente du …?" for a search of `aftaler` that found nothing: the query with each word that
    is not in the public text replaced by the closest word that is, or None when no word was
    replaced or the suggested search finds nothing either (which also keeps back a word that has
    left the public text). Two queries at most, whatever the number of agreements or words."""
    rettes = [(w, st) for w, st in zip(soegning.ord, soegning.stammer, strict=True)
              if len(w) >= 3 and not w.isdigit() and w not in STOPORD]
    if not rettes:
        return None
    kandidater = _kandidater([w for w, _ in rettes])
    rettelser = {w: r for w, st in rettes if (r := _rettelse(w, st, kandidater[w]))}
    if not rettelser:
        return None

    def ret(m: re.Match) -> str:
        foldet = foldede_ord(m.group())
        return rettelser.get(foldet[0], m.group()) if len(foldet) == 1 else m.group()

    ny = _ORD.sub(ret, soegning.tekst)
    ny_soegning = Soegning.fra(ny)
    if not ny_soegning or not traeffere(aftaler, ny_soegning).exists():
        return None
    return ny


# --- highlighting ------------------------------------------------------------------------------


@dataclass
class Fremhaevning:
    titel: SafeString
    uddrag: SafeString  # '' when the hit is only in the title


def _marker(tekst: str, start: str, slut: str) -> SafeString:
    """Escape `tekst`, then turn the markers into <mark> elements."""
    return mark_safe(html.escape(tekst).replace(start, "<mark>").replace(slut, "</mark>"))


def _rammer(ord_: str, soegning: Soegning) -> bool:
    """Whether a word of the text is a hit (SQLite's rule): it begins with a query word or has the
    stem of one. Only a word that begins with the stem can have it, so few words are stemmed."""
    foldet = fold(ord_)
    return (any(foldet.startswith(o) for o in soegning.ord)
            or any(st and foldet.startswith(st) and stamme(ord_) == st for st in soegning.stammer))


def fremhaev_tekst(tekst: str, soegning: Soegning) -> tuple[SafeString, int]:
    """Mark the words of `tekst` that are hits (`_rammer`); returns (html, number of hits)."""
    dele, pos, antal = [], 0, 0
    for m in _ORD.finditer(tekst):
        if _rammer(m.group(), soegning):
            dele += [html.escape(tekst[pos:m.start()]), "<mark>", html.escape(m.group()), "</mark>"]
            pos, antal = m.end(), antal + 1
    dele.append(html.escape(tekst[pos:]))
    return mark_safe("".join(dele)), antal


def _uddrag(tekst: str, soegning: Soegning, ord_omkring: int = 14) -> SafeString:
    """A window of words around the first hit, highlighted; '' when there is no hit."""
    ordliste = tekst.split()
    for i, w in enumerate(ordliste):
        if any(_rammer(o, soegning) for o in _ORD.findall(w)):
            start, slut = max(0, i - ord_omkring), min(len(ordliste), i + ord_omkring + 1)
            vindue = " ".join(ordliste[start:slut])
            marker, _ = fremhaev_tekst(vindue, soegning)
            return mark_safe(("… " if start else "") + marker + (" …" if slut < len(ordliste) else ""))
    return mark_safe("")


UDDRAG_TEGN = 600  # the text's excerpt is looked for in its first characters first (see _Uddrag)


class _Begyndelse(Func):
    """PostgreSQL: the first UDDRAG_TEGN characters of a text, without a word cut in two (nor the
    space before it)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        t, tp = compiler.compile(self.get_source_expressions()[0])
        n = int(UDDRAG_TEGN)
        return (f"CASE WHEN length({t}) <= {n} THEN {t} "
                f"ELSE regexp_replace(left({t}, {n + 1}), '\\s*\\S*$', '') END"), (*tp, *tp, *tp)


class _Uddrag(Func):
    """PostgreSQL: the search's excerpt of one index row, from three highlightings (ts_headline): of
    the summary when it has a hit; else of the start of the text (_Begyndelse) when that has one; else
    of the whole text (no hit in any of them: the hit is in the title).

    ts_headline parses all the text it is given, and the page highlights twenty texts: parsing only
    their beginnings made a word found in every agreement a fifth faster to search. Each part is
    highlighted once and only when the one before it has no hit: nested subqueries, each fenced with
    OFFSET 0, as PostgreSQL would otherwise pull a subquery up and write its ts_headline into the
    CASE twice (as a CASE over annotations does)."""

    output_field = TextField()

    def as_sql(self, compiler, connection, **extra):
        (r, rp), (b, bp), (t, tp) = (compiler.compile(e) for e in self.get_source_expressions())
        return (f"(SELECT CASE WHEN strpos(r.h, chr(2)) > 0 THEN r.h ELSE ("
                f"SELECT CASE WHEN strpos(b.h, chr(2)) > 0 THEN b.h ELSE {t} END "
                f"FROM (SELECT {b} AS h OFFSET 0) AS b) END FROM (SELECT {r} AS h OFFSET 0) AS r)"), (*tp, *bp, *rp)


def fremhaevningsfelter(tekst: str, sti: str = "") -> dict:
    """PostgreSQL: the highlighted title and excerpt (ts_headline) of the index row `sti` reaches, as
    annotations (h_titel, h_uddrag) for a query of the text `tekst`; give the values to `fremhaevning`.
    The excerpt is from the summary when it has a hit; only otherwise is the text (the long part)
    highlighted, its beginning first (_Uddrag)."""
    query = SearchQuery(tekst, config=KONFIGURATION, search_type="websearch")
    felles = {"config": KONFIGURATION, "start_sel": _START, "stop_sel": _SLUT}
    tekst_valg = {"max_words": 30, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … ", **felles}
    return {
        "h_titel": SearchHeadline(f"{sti}titel", query, highlight_all=True, **felles),
        "h_uddrag": _Uddrag(
            SearchHeadline(f"{sti}resume", query, max_words=40, min_words=20, max_fragments=2,
                           fragment_delimiter=" … ", **felles),
            SearchHeadline(_Begyndelse(F(f"{sti}tekst")), query, **tekst_valg),
            SearchHeadline(f"{sti}tekst", query, **tekst_valg)),
    }


def fremhaevning(titel: str | None, uddrag: str | None) -> Fremhaevning:
    """The Fremhaevning of one row's fremhaevningsfelter."""
    uddrag = uddrag if _START in (uddrag or "") else ""
    return Fremhaevning(titel=_marker(titel or "", _START, _SLUT),
                        uddrag=_marker(" ".join(uddrag.split()), _START, _SLUT))


FREMHAEV_ANTAL = 20  # ids per read (the list's page size)
_FREMHAEVNINGER = forberedt.Forberedt("soeg_fremhaev", ["text", *["bigint"] * FREMHAEV_ANTAL], lambda tekst, *ider: (
    Soegeindeks.objects.filter(pk__in=ider).annotate(**fremhaevningsfelter(tekst))
    .values_list("pk", "h_titel", "h_uddrag")))


def fremhaev(ider: list[int], soegning: Soegning) -> dict[int, Fremhaevning]:
    """Highlighted title and excerpt (from the summary or the text) for the agreements on one
    page of results: one query, whatever the page size."""
    if not ider or not soegning:
        return {}
    if er_postgres():
        # One prepared read for any page (of at most FREMHAEV_ANTAL): the ids are padded with NULL.
        res = {}
        for i in range(0, len(ider), FREMHAEV_ANTAL):
            del_ = ider[i:i + FREMHAEV_ANTAL]
            for pk, titel, uddrag in _FREMHAEVNINGER.laes(soegning.tekst, *del_,
                                                          *[None] * (FREMHAEV_ANTAL - len(del_))):
                res[pk] = fremhaevning(titel, uddrag)
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
