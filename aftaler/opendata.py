"""What anyone may read about an agreement, in one place: the public pages, the PDF, the feeds,
the sitemap and the open data (CSV/JSON) all read through these functions.

Public agreements are exactly `Samarbejdsaftale.objects.offentlige()`: from `indstillet` on, or
with a published version while a revision is drafted. Which text and which versions are public:

- the text shown (`vist_version`) is the published version when there is one (an agreement in
  force, also while a revision is drafted or decided), otherwise the current version, which from
  `indstillet` on is the frozen, recommended text;
- public versions (`offentlige_versioner`) are the frozen versions numbered up to the newest
  public one: the current version when the state is `indstillet` or later, the published version
  while a revision is in `udkast` or `hoering`. Unfrozen drafts are never public, and neither is
  a version frozen for a revision's consultation (it is newer than the published one).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from aftaler.choices import OFFENTLIGE_STATUS, Beslutning, Omfang, Status
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Bilag,
    Godkendelse,
    Implementering,
    Overgang,
    Samarbejdsaftale,
)
from sundhed.csvsikker import celle

# The states a public agreement can be filtered by (an agreement under revision counts as in force).
OFFENTLIG_STATUSVALG = [(s.value, s.label) for s in (Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT,
                                                      Status.OPHAEVET)]


def offentlige_aftaler() -> QuerySet[Samarbejdsaftale]:
    return Samarbejdsaftale.objects.offentlige()


def har_gaeldende_version(aftale: Samarbejdsaftale) -> bool:
    """In force with a published version while a newer version is drafted or decided."""
    return aftale.offentliggjort_version_id is not None and aftale.status not in (Status.I_KRAFT, Status.OPHAEVET)


def offentlig_status(aftale: Samarbejdsaftale) -> str:
    """The state the public sees: an agreement under revision is still in force."""
    return Status.I_KRAFT if har_gaeldende_version(aftale) else aftale.status


def traeder_i_kraft_senere(aftale: Samarbejdsaftale, dato: datetime.date | None = None) -> bool:
    """Published (state `i_kraft`) with a date of entry into force still to come. Derived from the
    date on every read, so the agreement is in force on the day without anyone (or any job) acting."""
    return (aftale.status == Status.I_KRAFT and aftale.ikrafttraedelse is not None
            and aftale.ikrafttraedelse > (dato or timezone.localdate()))


def statustekst(aftale: Samarbejdsaftale, status: str | None = None) -> str:
    """The state in words: `status` (default: the public one), or, for an agreement published to
    enter into force later, "Offentliggjort, træder i kraft <dato>"."""
    status = status or offentlig_status(aftale)
    if status == Status.I_KRAFT and traeder_i_kraft_senere(aftale):
        from django.utils.formats import date_format

        return f"Offentliggjort, træder i kraft {date_format(aftale.ikrafttraedelse, 'DATE_FORMAT')}"
    return Status(status).label


def offentlig_status_q(status: str) -> Q:
    """The filter matching `offentlig_status(aftale) == status` in the database."""
    revision = Q(offentliggjort_version__isnull=False) & ~Q(status__in=[Status.I_KRAFT, Status.OPHAEVET])
    if status == Status.I_KRAFT:
        return Q(status=Status.I_KRAFT) | revision
    return Q(status=status) & ~revision


def revisionstilstand(aftale: Samarbejdsaftale) -> str:
    """'' or what is happening to a newer version of an agreement in force."""
    if not har_gaeldende_version(aftale):
        return ""
    return {Status.INDSTILLET: "indstillet", Status.GODKENDT: "godkendt"}.get(aftale.status, "under_revision")


def vist_version(aftale: Samarbejdsaftale) -> AftaleVersion | None:
    """The text the public reads: the published version, else the (frozen) current one."""
    return aftale.offentliggjort_version or aftale.aktuel_version


def nyeste_offentlige_nummer(aftale: Samarbejdsaftale) -> int:
    """The newest version number the public may read (0 for an agreement that is not public)."""
    if aftale.status in OFFENTLIGE_STATUS and aftale.aktuel_version is not None:
        return aftale.aktuel_version.nummer
    if aftale.offentliggjort_version is not None:
        return aftale.offentliggjort_version.nummer
    return 0


def beslutningsversion(aftale: Samarbejdsaftale) -> AftaleVersion | None:
    """The version whose decisions the public sees: the one recommended or approved last."""
    if aftale.status in OFFENTLIGE_STATUS:
        return aftale.aktuel_version
    return aftale.offentliggjort_version


def ny_version(aftale: Samarbejdsaftale) -> AftaleVersion | None:
    """A recommended or approved version newer than the one in force, if any."""
    if har_gaeldende_version(aftale) and aftale.status in OFFENTLIGE_STATUS:
        return aftale.aktuel_version
    return None


def offentlige_versioner(aftale: Samarbejdsaftale) -> QuerySet[AftaleVersion]:
    """The versions anyone may read (see the module docstring), oldest first."""
    return AftaleVersion.objects.filter(aftale=aftale, frossen=True, nummer__lte=nyeste_offentlige_nummer(aftale))


def med_forrige(versioner: list[AftaleVersion]) -> list[AftaleVersion]:
    """Give each version (newest first) `forrige`: the number of the public version before it."""
    for ny, gammel in zip(versioner, [*versioner[1:], None], strict=True):
        ny.forrige = gammel.nummer if gammel else None
    return versioner


def offentlige_behandlinger(aftale: Samarbejdsaftale) -> QuerySet[Behandling]:
    """The fora's handling of public versions (not of a revision's drafts)."""
    return (Behandling.objects.filter(aftale=aftale)
            .filter(Q(version__isnull=True) | Q(version__nummer__lte=nyeste_offentlige_nummer(aftale)))
            .select_related("forum", "version").only("forum__navn", "forum__slug", "version__nummer", "dato",
                                                     "udfald", "note", "aftale_id"))


def offentlige_bilag_q(aftale: Samarbejdsaftale) -> Q:
    """Which of the agreement's attachments belong to its public versions. While a revision is
    drafted (or in consultation), files added after the agreement last left a public state belong
    to the draft and are not public; an agreement that was never public has no public attachments."""
    if aftale.status in OFFENTLIGE_STATUS:
        return Q()
    graense = (Overgang.objects.filter(aftale=aftale, fra_status__in=OFFENTLIGE_STATUS, til_status=Status.UDKAST)
               .order_by("-tidspunkt").values_list("tidspunkt", flat=True).first())
    if graense is None:
        return Q(pk__in=[])
    return Q(uploadet__lte=graense)


def offentlige_bilag(aftale: Samarbejdsaftale) -> list[Bilag]:
    """Attachments of the public versions (offentlige_bilag_q)."""
    return list(Bilag.objects.filter(aftale=aftale).filter(offentlige_bilag_q(aftale))
                .only("titel", "filnavn", "indholdstype", "stoerrelse", "uploadet", "aftale_id"))


def relaterede_aftaler(aftale: Samarbejdsaftale, antal: int = 6) -> list[Samarbejdsaftale]:
    """Other public agreements in the same area of effort or owned by the same forum."""
    betingelse = Q()
    if aftale.indsatsomraade_id:
        betingelse |= Q(indsatsomraade_id=aftale.indsatsomraade_id)
    if aftale.ejer_forum_id:
        betingelse |= Q(ejer_forum_id=aftale.ejer_forum_id)
    if not betingelse:
        return []
    return list(offentlige_aftaler().filter(betingelse).exclude(pk=aftale.pk)
                .only("titel", "slug", "status", "offentliggjort_version_id", "ikrafttraedelse")
                .order_by("titel")[:antal])


def forloeb(aftale: Samarbejdsaftale) -> list[dict]:
    """The step indicator as the public see it (aftaler.forloeb.trin on the public state)."""
    from aftaler import forloeb as trin

    return trin.trin(offentlig_status(aftale), ikrafttraedelse=aftale.ikrafttraedelse, i_dag=timezone.localdate())


# --- change stamps for ETag/Last-Modified ------------------------------------------------------
#
# A stamp is read on every public request, also when the answer is a 304 or a cached page, so it
# is one precompiled SQL statement (building the same query with the ORM costs more than running
# it). Public agreements are never deleted (their recommended version is PROTECTed by the
# decisions and records pointing at it), so the newest `opdateret` notices every agreement that
# becomes public or leaves the public set: every transition bumps it.

_TABELLER = {
    "aftale": Samarbejdsaftale._meta.db_table,
    "version": AftaleVersion._meta.db_table,
    "godkendelse": Godkendelse._meta.db_table,
    "behandling": Behandling._meta.db_table,
    "implementering": Implementering._meta.db_table,
    "bilag": Bilag._meta.db_table,
    "ekstra": Samarbejdsaftale.ekstra_parter.through._meta.db_table,
}
_OFFENTLIG_SQL = "({status} OR a.offentliggjort_version_id IS NOT NULL)".format(
    status="a.status IN ({})".format(", ".join(f"'{s}'" for s in OFFENTLIGE_STATUS)))
# Everything an agreement's public page shows that may change without `opdateret` being bumped:
# decisions, the fora's handling, implementation, attachments, extra approving parties; and the
# newest change to any agreement (the page lists related agreements).
_AFTALE_STEMPEL_SQL = """
SELECT a.id, a.status, a.aktuel_version_id, a.offentliggjort_version_id, a.opdateret,
  (SELECT MAX(g.registreret) FROM {godkendelse} g INNER JOIN {version} v ON v.id = g.version_id
    WHERE v.aftale_id = a.id),
  (SELECT COUNT(*) FROM {godkendelse} g INNER JOIN {version} v ON v.id = g.version_id WHERE v.aftale_id = a.id),
  (SELECT MAX(b.registreret) FROM {behandling} b WHERE b.aftale_id = a.id),
  (SELECT MAX(i.opdateret) FROM {implementering} i WHERE i.aftale_id = a.id),
  (SELECT MAX(f.uploadet) FROM {bilag} f WHERE f.aftale_id = a.id),
  (SELECT COUNT(*) FROM {bilag} f WHERE f.aftale_id = a.id),
  (SELECT COUNT(*) FROM {ekstra} e WHERE e.samarbejdsaftale_id = a.id),
  (SELECT MAX(s.opdateret) FROM {aftale} s)
FROM {aftale} a
WHERE a.{noegle} = %s AND {offentlig}
"""


_FORBEREDT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # raw connection -> prepared names


def _forberedt_raekke(navn: str, sql: str, type_: str, vaerdi) -> tuple | None:
    """Run `sql` (one %s parameter of `type_`) and return its first row. On PostgreSQL it is a
    prepared statement, made once per database connection: planning this statement takes several
    times longer than running it. (Behind a transaction-pooling proxy such as PgBouncer in
    transaction mode, prepared statements are not kept; there this would have to go.)"""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, [vaerdi])
            return cursor.fetchone()
        forberedte = _FORBEREDT.setdefault(connection.connection, set())
        if navn not in forberedte:
            cursor.execute(f"PREPARE {navn}({type_}) AS " + sql.replace("%s", "$1"))
            forberedte.add(navn)
        cursor.execute(f"EXECUTE {navn}(%s)", [vaerdi])
        return cursor.fetchone()


def _tid(vaerdi) -> datetime.datetime | None:
    """A timestamp from a raw cursor: SQLite gives naive UTC (as text from an aggregate),
    PostgreSQL an aware datetime."""
    if vaerdi is None:
        return None
    tid = vaerdi if isinstance(vaerdi, datetime.datetime) else parse_datetime(str(vaerdi))
    return tid if tid is None or timezone.is_aware(tid) else timezone.make_aware(tid, datetime.UTC)


def _noegle(dele) -> str:
    # Today's date is part of every stamp: what a page says can change with the date alone (an
    # agreement published earlier enters into force on its day), so a cached page lives one day at most.
    dele = (timezone.localdate().isoformat(), dele)
    return hashlib.sha1(repr(dele).encode(), usedforsecurity=False).hexdigest()[:24]


@dataclass(frozen=True)
class Stempel:
    """What a public page depends on: a tag for the ETag and the time of the last change."""

    noegle: str
    sidst_aendret: datetime.datetime | None


def aftale_stempel(*, slug: str | None = None, pk: int | None = None, relaterede: bool = True
                   ) -> tuple[int, Stempel] | None:
    """(id, stamp) of the public agreement with this slug (or id), or None when there is none. The
    stamp combines the agreement's rows with the cache key "aftale-aendret:<id>", which
    tasks.aftale_aendret sets after every change made through a service. Without `relaterede` it
    leaves out changes to other agreements (the PDF does not list them)."""
    felt, vaerdi = ("slug", slug) if slug is not None else ("id", pk)
    raekke = _forberedt_raekke(f"offentlig_aftale_stempel_{felt}",
                               _AFTALE_STEMPEL_SQL.format(noegle=felt, offentlig=_OFFENTLIG_SQL, **_TABELLER),
                               "text" if felt == "slug" else "bigint", vaerdi)
    if raekke is None:
        return None
    if not relaterede:
        raekke = raekke[:-1]
    cache_stempel = cache.get(f"aftale-aendret:{raekke[0]}")
    tider = [_tid(raekke[i]) for i in (4, 5, 7, 8, 9, 12) if i < len(raekke)]
    if cache_stempel:
        tider.append(_tid(cache_stempel))
    return raekke[0], Stempel(noegle=_noegle((raekke, cache_stempel)),
                              sidst_aendret=max((t for t in tider if t is not None), default=None))


def global_stempel() -> Stempel:
    """The newest change to any agreement: the lists, the feed and the sitemap depend on this."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(opdateret) FROM {_TABELLER['aftale']}")
        sidst = cursor.fetchone()[0]
    return Stempel(noegle=_noegle(sidst), sidst_aendret=_tid(sidst))


def aaben_data_stempel() -> Stempel:
    """The global stamp and the newest decision (decisions are only ever added, never changed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(opdateret) FROM {_TABELLER['aftale']}")
        sidst = cursor.fetchone()[0]
        cursor.execute(f"SELECT id, registreret FROM {_TABELLER['godkendelse']} ORDER BY id DESC LIMIT 1")
        beslutning = cursor.fetchone() or (None, None)
    tider = [t for t in (_tid(sidst), _tid(beslutning[1])) if t is not None]
    return Stempel(noegle=_noegle((sidst, beslutning)), sidst_aendret=max(tider, default=None))


# --- open data ---------------------------------------------------------------------------------

CSV_FELTER = [
    "slug", "titel", "status", "status_tekst", "omfang", "klynge", "indsatsomraade", "ejer", "oprindelse",
    "version", "indstillet", "godkendt", "ikrafttraedelse", "revisionsdato", "url",
    "beslutning_version", "part", "part_navn", "beslutning", "beslutning_dato", "sagsnummer", "referat_url",
    "bemaerkning",
]


@dataclass
class AabenAftale:
    """One public agreement with its public decisions, as the CSV and JSON files show it."""

    aftale: Samarbejdsaftale
    beslutninger: list[Godkendelse]

    def felter(self, basis_url: str) -> dict:
        a = self.aftale
        version = vist_version(a)
        return {
            "slug": a.slug,
            "titel": a.titel,
            "status": offentlig_status(a),
            "status_tekst": Status(offentlig_status(a)).label,
            "omfang": a.omfang,
            "klynge": a.klynge.slug if a.klynge_id else "",
            "indsatsomraade": a.indsatsomraade.navn if a.indsatsomraade_id else "",
            "ejer": a.ejer_forum.navn if a.ejer_forum_id else "",
            "oprindelse": a.oprindelse,
            "version": version.nummer if version else None,
            "indstillet": _iso(a.indstillet_dato),
            "godkendt": _iso(a.godkendt_dato),
            "ikrafttraedelse": _iso(a.ikrafttraedelse),
            "revisionsdato": _iso(a.revisionsdato),
            "url": basis_url + reverse("aftale-detalje", args=[a.slug]),
        }

    @staticmethod
    def beslutning_felter(g: Godkendelse) -> dict:
        return {
            "beslutning_version": g.version.nummer,
            "part": g.part.slug,
            "part_navn": g.part.navn,
            "beslutning": g.beslutning,
            "beslutning_dato": _iso(g.dato),
            "sagsnummer": g.sagsnummer,
            "referat_url": g.referat_url,
            "bemaerkning": g.bemaerkning,
        }


def _iso(dato: datetime.date | None) -> str | None:
    return dato.isoformat() if dato else None


def _aabne_aftaler(parti: int = 500) -> Iterator[AabenAftale]:
    """Every public agreement with its public decisions, streamed: two queries per `parti` agreements,
    whatever the number of agreements and decisions."""
    aftaler = (offentlige_aftaler().select_related("klynge", "indsatsomraade", "ejer_forum")
               .select_related("aktuel_version", "offentliggjort_version")
               .defer("aktuel_version__tekst", "offentliggjort_version__tekst", "resume", "maalgruppe")
               .order_by("pk"))
    sidste = 0
    while True:
        klump = list(aftaler.filter(pk__gt=sidste)[:parti])
        if not klump:
            return
        sidste = klump[-1].pk
        pr_aftale: dict[int, list[Godkendelse]] = {a.pk: [] for a in klump}
        # Decisions on a revision that went back to draft are on a version newer than the public one.
        graenser = {a.pk: nyeste_offentlige_nummer(a) for a in klump}
        for g in (Godkendelse.objects.filter(version__aftale_id__in=pr_aftale)
                  .select_related("part", "version").only("part__slug", "part__navn", "version__nummer",
                                                          "version__aftale_id", "beslutning", "dato", "sagsnummer",
                                                          "referat_url", "bemaerkning")
                  .order_by("version__aftale_id", "version__nummer", "part__navn", "registreret", "id")):
            if g.version.nummer <= graenser[g.version.aftale_id]:
                pr_aftale[g.version.aftale_id].append(g)
        for a in klump:
            yield AabenAftale(aftale=a, beslutninger=pr_aftale[a.pk])


def csv_linjer(basis_url: str) -> Iterator[str]:
    """The CSV file line by line: one row per public decision, the agreement's columns repeated;
    an agreement without decisions gets one row with the decision columns empty."""
    buffer = io.StringIO()
    skriver = csv.DictWriter(buffer, fieldnames=CSV_FELTER, lineterminator="\r\n")

    def _ud() -> str:
        tekst = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return tekst

    yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
    skriver.writeheader()
    yield _ud()
    for aaben in _aabne_aftaler():
        felter = aaben.felter(basis_url)
        for g in aaben.beslutninger or [None]:
            skriver.writerow(_csv_celler({**felter, **(AabenAftale.beslutning_felter(g) if g else {})}))
        yield _ud()


def _csv_celler(raekke: dict) -> dict:
    """A row with every text cell made safe for spreadsheets (sundhed.csvsikker): titles, names, and
    the case numbers and remarks the council secretariats write. The only non-text cells are the
    version numbers (ints, left as they are: no formula); dates are ISO text the exporter formats and
    never start like a formula. The JSON file keeps the true values."""
    return {k: celle(v) if isinstance(v, str) else v for k, v in raekke.items()}


def json_dele(basis_url: str) -> Iterator[str]:
    """The JSON file in pieces: {"aftaler": [{..., "beslutninger": [...]}, ...]}."""
    yield '{"aftaler": ['
    foerste = True
    for aaben in _aabne_aftaler():
        post = aaben.felter(basis_url)
        post["beslutninger"] = [
            {k.removeprefix("beslutning_") if k.startswith("beslutning_") else k: v
             for k, v in AabenAftale.beslutning_felter(g).items()}
            for g in aaben.beslutninger
        ]
        yield ("" if foerste else ",") + json.dumps(post, ensure_ascii=False)
        foerste = False
    yield "]}"


def antal_godkendt(beslutninger: Iterable[Godkendelse]) -> int:
    return sum(1 for g in beslutninger if g.beslutning == Beslutning.GODKENDT)


def omfang_tekst(aftale: Samarbejdsaftale) -> str:
    if aftale.omfang == Omfang.LOKAL and aftale.klynge_id:
        return f"Lokal aftale i {aftale.klynge.navn}"
    return "Regional aftale (alle klynger)"


# --- the agreement page (also the PDF) -----------------------------------------------------------

# The 19 municipalities as a tile grid, roughly as they lie: (column, row), north-west at top left.
KORT_PLACERING: dict[str, tuple[int, int]] = {
    "lemvig": (0, 0), "struer": (1, 0), "skive": (2, 0), "viborg": (3, 0), "randers": (4, 0),
    "norddjurs": (5, 0),
    "holstebro": (1, 1), "herning": (2, 1), "silkeborg": (3, 1), "favrskov": (4, 1), "syddjurs": (5, 1),
    "ringkoebing-skjern": (1, 2), "ikast-brande": (2, 2), "skanderborg": (3, 2), "aarhus": (4, 2),
    "hedensted": (2, 3), "horsens": (3, 3), "odder": (4, 3), "samsoe": (5, 3),
}
KORT_KOLONNER = 6
FLISE_BREDDE, FLISE_HOEJDE, FLISE_AFSTAND = 104, 64, 6

# State -> (letter on the tile, label, fill, border, pattern id or ''). The letter and the pattern
# carry the decision too, so it is never told by colour alone; the legend explains both.
KORT_TILSTANDE: dict[str, tuple[str, str, str, str, str]] = {
    "godkendt": ("G", "Godkendt", "#d3ecca", "#2e6b1f", ""),
    "afvist": ("A", "Afvist", "#f7d4d4", "#a4161a", "moenster-afvist"),
    "udsat": ("U", "Udsat", "#fdebb3", "#7a5200", "moenster-udsat"),
    "afventer": ("?", "Afventer beslutning", "#ffffff", "#595959", ""),
    "ikke_part": ("–", "Ikke part i aftalen", "#ececec", "#767676", ""),
}


@dataclass
class Flise:
    navn: str
    tilstand: str
    x: int
    y: int

    @property
    def bogstav(self) -> str:
        return KORT_TILSTANDE[self.tilstand][0]

    @property
    def etiket(self) -> str:
        return KORT_TILSTANDE[self.tilstand][1]

    @property
    def fyld(self) -> str:
        return KORT_TILSTANDE[self.tilstand][2]

    @property
    def kant(self) -> str:
        return KORT_TILSTANDE[self.tilstand][3]

    @property
    def moenster(self) -> str:
        return KORT_TILSTANDE[self.tilstand][4]

    @property
    def linjer(self) -> list[str]:
        """The name on one line, or split at the hyphen when it is too long for the tile."""
        if len(self.navn) > 11 and "-" in self.navn:
            foer, _, efter = self.navn.partition("-")
            return [foer + "-", efter]
        return [self.navn]


def kommunekort(fremdrift, kommuner) -> dict:
    """Tiles for every municipality, in the state of its decision on the version in `fremdrift`
    (municipalities that are not a party to a local agreement: 'ikke_part')."""
    pr_part = {ps.part.pk: ps for ps in fremdrift.parter}
    kommuner = sorted(kommuner, key=lambda k: k.navn)
    # Municipalities the layout does not know (e.g. test data) go in rows below the grid.
    kendte_raekker = [KORT_PLACERING[k.slug][1] for k in kommuner if k.slug in KORT_PLACERING]
    foerste_ukendte_raekke = max(kendte_raekker) + 1 if kendte_raekker else 0
    ukendte = 0
    fliser = []
    for kommune in kommuner:
        ps = pr_part.get(kommune.pk)
        tilstand = "ikke_part" if ps is None else (ps.beslutning or "afventer")
        if kommune.slug in KORT_PLACERING:
            kol, raekke = KORT_PLACERING[kommune.slug]
        else:
            kol, raekke = ukendte % KORT_KOLONNER, foerste_ukendte_raekke + ukendte // KORT_KOLONNER
            ukendte += 1
        fliser.append(Flise(navn=kommune.visningsnavn, tilstand=tilstand, x=kol * (FLISE_BREDDE + FLISE_AFSTAND),
                            y=raekke * (FLISE_HOEJDE + FLISE_AFSTAND)))
    raekker = 1 + max((f.y // (FLISE_HOEJDE + FLISE_AFSTAND) for f in fliser), default=0)
    antal = {t: sum(1 for f in fliser if f.tilstand == t) for t in KORT_TILSTANDE}
    return {
        "fliser": fliser,
        "bredde": KORT_KOLONNER * (FLISE_BREDDE + FLISE_AFSTAND) - FLISE_AFSTAND,
        "hoejde": raekker * (FLISE_HOEJDE + FLISE_AFSTAND) - FLISE_AFSTAND,
        "flise_bredde": FLISE_BREDDE,
        "flise_hoejde": FLISE_HOEJDE,
        "forklaring": [
            {"tilstand": t, "bogstav": v[0], "etiket": v[1], "fyld": v[2], "kant": v[3], "moenster": v[4],
             "antal": antal[t]}
            for t, v in KORT_TILSTANDE.items()
        ],
        "antal": antal,
    }


@dataclass
class Beslutningsraekke:
    """One row of the public decisions table: the party, its decision (the final one, else the last
    postponement) and the postponements before a final decision."""

    part: object
    beslutning: str | None
    vist: Godkendelse | None
    udsat_foer: list[Godkendelse]


def beslutningsraekker(fremdrift) -> list[Beslutningsraekke]:
    res = []
    for ps in fremdrift.parter:
        vist = ps.endelig or (ps.historik[-1] if ps.historik else None)
        udsat = [g for g in ps.historik if g.beslutning == Beslutning.UDSAT and g is not vist]
        res.append(Beslutningsraekke(part=ps.part, beslutning=ps.beslutning, vist=vist, udsat_foer=udsat))
    return res


def aftale_visning(aftale: Samarbejdsaftale) -> dict:
    """Everything the public page and the PDF show about one public agreement, in a constant number
    of queries. `aftale` comes from `aftaler_til_visning()`."""
    from aftaler import selectors
    from organisation.choices import PartType
    from organisation.models import Part

    version = vist_version(aftale)
    beslutning_v = beslutningsversion(aftale)
    fremdrift = selectors.fremdrift(aftale, beslutning_v)
    kommuner = list(Part.objects.aktive().filter(type=PartType.KOMMUNE).only("navn", "slug", "kortnavn"))
    region = [ps for ps in fremdrift.parter if ps.part.type != PartType.KOMMUNE]
    return {
        "aftale": aftale,
        "offentlig_status": offentlig_status(aftale),
        "offentlig_status_tekst": statustekst(aftale),
        "revision": revisionstilstand(aftale),
        "version": version,
        "vist_version": version,
        "ny_version": ny_version(aftale),
        "beslutningsversion": beslutning_v,
        "fremdrift": fremdrift,
        "beslutningsraekker": beslutningsraekker(fremdrift),
        "kort": kommunekort(fremdrift, kommuner),
        "oevrige_parter": region,
        "forloeb": forloeb(aftale),
        "omfang_tekst": omfang_tekst(aftale),
    }


def aftaler_til_visning() -> QuerySet[Samarbejdsaftale]:
    """Public agreements with what their page shows in the same query."""
    return offentlige_aftaler().select_related(
        "indsatsomraade", "ejer_forum", "klynge", "aktuel_version", "offentliggjort_version", "proevehandling",
        "proevehandling__klynge",
    )
