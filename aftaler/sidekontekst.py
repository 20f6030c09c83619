"""What the public pages show, ready to print: the agreement page's (and the PDF's) context, the
list's filter choices, and the words, dates and addresses of pages that show many rows. What is
public is aftaler.synlighed's; the reads each page makes on every request are compiled once
(aftaler.forberedt)."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, TextField, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from aftaler import kommentarer, policies, selectors
from aftaler.choices import Beslutning, Omfang, Status
from aftaler.forberedt import Forberedt
from aftaler.forms import KommentarForm
from aftaler.kommunekort import kommunekort
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Bilag,
    Godkendelse,
    Implementering,
    Indsatsomraade,
    Proevehandling,
    Samarbejdsaftale,
)
from aftaler.synlighed import (
    beslutningsversion,
    bilaggraense,
    forloeb,
    med_forrige,
    ny_version,
    nyeste_offentlige_nummer,
    offentlig_status,
    offentlige_aftaler,
    revisionstilstand,
    statustekst,
    vist_version,
)
from organisation.choices import PartType
from organisation.models import OFFENTLIGE_MOEDESTATUS, Forum, Klynge, Part

_STATUS_BADGE = {
    Status.INDSTILLET: "badge-info",
    Status.GODKENDT: "badge-info",
    Status.I_KRAFT: "badge-success",
    Status.OPHAEVET: "badge-warning",
}


def status_badge(aftale: Samarbejdsaftale) -> str:
    """The badge class for the public state."""
    return _STATUS_BADGE.get(offentlig_status(aftale), "badge-info")


# --- words, dates and addresses for pages that show many rows --------------------------------------
# A template filter or tag per row costs tens of microseconds (a date, a reverse()), and the public
# pages show tens of rows: these make the same text once per page, or once per process for a date.


@functools.lru_cache(maxsize=8192)
def _dato(dato: datetime.date, format_: str) -> str:
    # A date's text in one format never changes: a few thousand dates cover every date the public
    # pages show, so each is formatted once per process.
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(dato, format_)


def datoformat(format_: str = "DATE_FORMAT") -> Callable[[datetime.date | None], str]:
    """A function giving what `{{ value|date:format_ }}` gives for a date on a public page ('' for
    None). In the site's language (LANGUAGE_CODE): the pages are Danish, and so is the PDF that a
    worker makes without a request's language (aftaler.pdf renders it in Danish). A datetime is
    shown as its local date, so only for date-only formats."""

    def formater(dato: datetime.date | None) -> str:
        if dato is None:
            return ""
        if isinstance(dato, datetime.datetime):
            dato = timezone.localtime(dato).date()
        return _dato(dato, format_)

    return formater


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLADSHOLDER = "90817263544536271809"  # a valid slug and a valid number, found in no other part of a URL


class Adresser:
    """`reverse(navn, args=[*foran, sidste])` for many values of the last argument (a slug or a
    number): reversed once with a placeholder, then the value put in its place (a slug or a number
    has only characters a URL keeps as they are; anything else goes through reverse()). Make one
    per request: the address depends on the request's script prefix and URLconf."""

    def __init__(self, navn: str, *foran):
        self.navn, self.foran = navn, foran
        self.foer, _, self.efter = reverse(navn, args=[*foran, _PLADSHOLDER]).partition(_PLADSHOLDER)

    def __call__(self, sidste: str | int) -> str:
        sidste = str(sidste)
        if not _SLUG.fullmatch(sidste):
            return reverse(self.navn, args=[*self.foran, sidste])
        return f"{self.foer}{sidste}{self.efter}"


# --- the list's filter choices -----------------------------------------------------------------


def _valg(qs: QuerySet, del_: int, orden: list) -> QuerySet:
    """One part of the filter choices: (part, place in the part's order, id, slug, name)."""
    return (qs.order_by().annotate(del_=Value(del_, output_field=IntegerField()),
                                   nr=Window(RowNumber(), order_by=orden))
            .values_list("del_", "nr", "pk", "slug", "navn"))


# The areas of effort (in the health agreements' order, newest first, as Indsatsomraade's Meta
# ordering), the clusters active on the date and the fora owning a public agreement, each chosen by
# its own model's rule, in one read compiled once: the list shows them on every request, and each
# read more is a round trip.
_FILTERVALGENE = Forberedt("offentlig_filtervalg", ["date"], lambda dato: _valg(
    Indsatsomraade.objects.all(), 1, [F("sundhedsaftale__periode_fra").desc(), "sortering", "navn", "pk"],
).union(
    _valg(Klynge.objects.aktive(dato), 2, ["navn", "pk"]),
    _valg(Forum.objects.filter(Exists(offentlige_aftaler().filter(ejer_forum=OuterRef("pk")))), 3, ["navn", "pk"]),
    all=True,
).order_by("del_", "nr"))


def filtervalg() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(areas of effort, clusters active today, fora owning a public agreement), each a list of
    (id, slug, name) in the order the list's filters show them: one query."""
    valg: tuple[list, list, list] = ([], [], [])
    for del_, _, pk, slug, navn in _FILTERVALGENE.laes(timezone.localdate()):
        valg[del_ - 1].append((pk, slug, navn))
    return valg


def omfang_tekst(aftale: Samarbejdsaftale) -> str:
    if aftale.omfang == Omfang.LOKAL and aftale.klynge_id:
        return f"Lokal aftale i {aftale.klynge.navn}"
    return "Regional aftale (alle klynger)"


# --- the agreement page (also the PDF) -----------------------------------------------------------

BESLUTNING_TEKST = {"godkendt": "Godkendt", "afvist": "Afvist", "udsat": "Udsat"}
BESLUTNING_BADGE = {"godkendt": "badge-success", "afvist": "badge-error", "udsat": "badge-warning"}


def beslutning_tekst(beslutning: str | None) -> str:
    return BESLUTNING_TEKST.get(beslutning or "", "Afventer")


def beslutning_badge(beslutning: str | None) -> str:
    return BESLUTNING_BADGE.get(beslutning or "", "badge-info")


def beslutningsraekker(fremdrift) -> list[dict]:
    """The rows of the public decisions table, ready to print: the party, its decision (the final
    one, else the last postponement) with date, case number, minutes and remark, and the
    postponements before a final decision as (date, remark)."""
    dato = datoformat("SHORT_DATE_FORMAT")
    res = []
    for ps in fremdrift.parter:
        vist = ps.endelig or (ps.historik[-1] if ps.historik else None)
        res.append({
            "navn": ps.part.navn,
            "beslutning": ps.beslutning,
            "tekst": beslutning_tekst(ps.beslutning),
            "badge": beslutning_badge(ps.beslutning),
            "dato": dato(vist.dato) if vist else "–",
            "sagsnummer": (vist.sagsnummer if vist else "") or "–",
            "referat_url": vist.referat_url if vist else "",
            "bemaerkning": vist.bemaerkning if vist else "",
            "udsat_foer": [(dato(g.dato), g.bemaerkning) for g in ps.historik
                           if g.beslutning == Beslutning.UDSAT and g is not vist],
        })
    return res


def aftale_visning(aftale: Samarbejdsaftale, *, partdata=None, godkendelser=None) -> dict:
    """Everything the public page and the PDF show about one public agreement, in a constant number
    of queries. `aftale` comes from `aftale_til_side()` (with what it read: `partdata` and the
    decisions, `godkendelser`) or `aftaler_til_visning()`."""
    version = vist_version(aftale)
    beslutning_v = beslutningsversion(aftale)
    # The active parties are read once: for who must decide, and for the map's municipalities.
    partdata = partdata or selectors.laes_partdata([aftale])
    fremdrift = selectors.fremdrift(aftale, beslutning_v, partdata=partdata, godkendelser=godkendelser)
    kommuner = [p for p in partdata.aktive if p.type == PartType.KOMMUNE]
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


# --- the agreement page's reads ----------------------------------------------------------------
# Each is written with the ORM and compiled once (aftaler.forberedt): the page makes eight of them.


def _felter(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields]


_AFTALEN = Forberedt("offentlig_aftale", ["bigint"], lambda pk: offentlige_aftaler().filter(pk=pk).values_list(
    *_felter(Samarbejdsaftale), "indsatsomraade__navn", "ejer_forum__navn", "ejer_forum__slug", "klynge__navn",
    "klynge__slug"))
# Every version of the agreement, newest first, only the one shown (the second argument) with its text.
_VERSIONERNE = Forberedt("offentlig_versioner", ["bigint", "bigint"], lambda pk, vist: (
    AftaleVersion.objects.filter(aftale_id=pk).order_by("-nummer")
    .annotate(vist_tekst=Case(When(pk=vist, then=F("tekst")), default=Value(""), output_field=TextField()))
    .values_list(*(f for f in _felter(AftaleVersion) if f != "tekst"), "vist_tekst")))
# What selectors.paakraevede_parter_for_mange reads (selectors.Partdata), in one query: the parties
# active on the date, each marked if the secretariat added it to the agreement and if it is a
# municipality of the cluster (the third argument: a local agreement's cluster).
_PARTERNE = Forberedt("offentlig_parter", ["date", "bigint", "bigint"], lambda dato, pk, klynge: (
    Part.objects.aktive(dato).annotate(
        ekstra=Exists(Samarbejdsaftale.ekstra_parter.through.objects.filter(samarbejdsaftale_id=pk,
                                                                             part_id=OuterRef("pk"))),
        i_klyngen=Exists(Klynge.kommuner.through.objects.filter(klynge_id=klynge, part_id=OuterRef("pk"))),
    ).values_list(*_felter(Part), "ekstra", "i_klyngen")))
_BESLUTNINGERNE = Forberedt("offentlig_beslutninger", ["bigint"], lambda version: (
    Godkendelse.objects.filter(version_id=version).order_by("registreret", "id")
    .values_list("id", "version_id", "part_id", "beslutning", "dato", "sagsnummer", "referat_url", "bemaerkning")))
# The fora's handling of the public versions (not of a revision's drafts): the second argument is
# the newest public version's number. The agenda item it came from (LEFT JOINs: most have none) is
# linked only when the public may read it: open, on a meeting whose agenda is published.
_BEHANDLINGERNE = Forberedt("offentlig_behandlinger", ["bigint", "integer"], lambda pk, nummer: (
    Behandling.objects.filter(aftale_id=pk).filter(Q(version__isnull=True) | Q(version__nummer__lte=nummer))
    .order_by("dato", "id").values_list("forum__navn", "forum__slug", "version__nummer", "dato", "udfald", "note",
                                        "dagsordenpunkt__moede_id", "dagsordenpunkt__nummer",
                                        "dagsordenpunkt__aaben", "dagsordenpunkt__moede__status")))
def _punktadresse(moede_adresse: Adresser, b) -> str:
    """The public address of the agenda item a Behandling came from, or "" where the public may not read it."""
    if b.dagsordenpunkt__moede_id is None or not b.dagsordenpunkt__aaben:
        return ""
    if b.dagsordenpunkt__moede__status not in OFFENTLIGE_MOEDESTATUS:
        return ""
    return f"{moede_adresse(b.dagsordenpunkt__moede_id)}#punkt-{b.dagsordenpunkt__nummer}"


# The areas in force on the day (the second argument): from 2027 the sundhedsråd, whose rows continue
# the clusters' (named in `forgaenger__klynge__navn`); an ended cluster's row is history on its page.
_IMPLEMENTERINGERNE = Forberedt("offentlig_implementeringer", ["bigint", "date"], lambda pk, dag: (
    Implementering.objects.filter(aftale_id=pk, klynge__valid_from__lte=dag)
    .filter(Q(klynge__valid_to__isnull=True) | Q(klynge__valid_to__gte=dag)).order_by("klynge__navn")
    .values_list("klynge__navn", "klynge__slug", "status", "opdateret", "note", "forgaenger__klynge__navn")))
# Up to six other public agreements in the same area of effort or owned by the same forum (an area
# or owner that is None matches nothing: hence `__in`, as `=None` would mean IS NULL).
_RELATEREDE = Forberedt("offentlig_relaterede", ["bigint", "bigint", "bigint"], lambda pk, omraade, ejer: (
    offentlige_aftaler().filter(Q(indsatsomraade_id__in=[omraade]) | Q(ejer_forum_id__in=[ejer])).exclude(pk=pk)
    .order_by("titel").values_list("titel", "slug", "status", "offentliggjort_version_id", "ikrafttraedelse")[:6]))


_BILAGFELTER = ("pk", "titel", "filnavn", "stoerrelse")
_BILAGENE = Forberedt("offentlig_bilag", ["bigint"], lambda pk: (
    Bilag.objects.filter(aftale_id=pk).values_list(*_BILAGFELTER)))
_BILAGENE_TIL = Forberedt("offentlig_bilag_til", ["bigint", "timestamptz"], lambda pk, graense: (
    Bilag.objects.filter(aftale_id=pk, uploadet__lte=graense).values_list(*_BILAGFELTER)))


def _offentlige_bilag_til_side(aftale: Samarbejdsaftale) -> list:
    """offentlige_bilag, as the agreement page lists them (id, title, file name, size)."""
    graense = bilaggraense(aftale)
    if graense is True:
        return _BILAGENE.laes(aftale.pk)
    return _BILAGENE_TIL.laes(aftale.pk, graense) if graense else []


def _model(model, felter, vaerdier):
    """An instance from read columns; any other field is deferred (read on use, as with .only())."""
    return model.from_db(DEFAULT_DB_ALIAS, felter, vaerdier)


@dataclass
class Aftaleside:
    """What the public agreement page shows besides aftale_visning's: ready to print."""

    aftale: Samarbejdsaftale
    partdata: selectors.Partdata
    beslutninger: list
    behandlinger: list[dict]
    implementeringer: list[dict]
    bilag: list
    versioner: list[AftaleVersion]
    relaterede: list[dict]


def aftale_til_side(pk: int) -> Aftaleside | None:
    """The public agreement `pk` and what its page shows, or None when it is not public: eight
    queries (one more for an agreement that came from a pilot, and for one under revision), each
    compiled once (aftaler.forberedt).

    The agreement comes with its area, owner and cluster; then all its versions, newest first
    (`alle_versioner`), only the one shown with its text, from which `aktuel_version` and
    `offentliggjort_version` are set. (One query joining both versions and the pilot, as
    `aftaler_til_visning` does, took PostgreSQL longer to plan than the page's queries to run.)"""
    raekker = _AFTALEN.laes(pk)
    if not raekker:
        return None
    r = raekker[0]
    felter = _felter(Samarbejdsaftale)
    aftale = _model(Samarbejdsaftale, felter, r[:len(felter)])
    if r.indsatsomraade_id:
        aftale.indsatsomraade = _model(Indsatsomraade, ["id", "navn"], [r.indsatsomraade_id, r.indsatsomraade__navn])
    if r.ejer_forum_id:
        aftale.ejer_forum = _model(Forum, ["id", "navn", "slug"], [r.ejer_forum_id, r.ejer_forum__navn,
                                                                 r.ejer_forum__slug])
    if r.klynge_id:
        aftale.klynge = _model(Klynge, ["id", "navn", "slug"], [r.klynge_id, r.klynge__navn, r.klynge__slug])

    vist_id = aftale.offentliggjort_version_id or aftale.aktuel_version_id
    versionsfelter = [f for f in _felter(AftaleVersion) if f != "tekst"]
    versioner = []
    for v in _VERSIONERNE.laes(pk, vist_id):
        version = _model(AftaleVersion, versionsfelter, v[:-1])
        if version.pk == vist_id:
            version.tekst = v.vist_tekst
        versioner.append(version)
    pr_id = {v.pk: v for v in versioner}
    aftale.aktuel_version = pr_id.get(aftale.aktuel_version_id)
    aftale.offentliggjort_version = pr_id.get(aftale.offentliggjort_version_id)
    aftale.alle_versioner = versioner
    if aftale.proevehandling_id:
        aftale.proevehandling = Proevehandling.objects.select_related("klynge").get(pk=aftale.proevehandling_id)

    partfelter = _felter(Part)
    partdata = selectors.Partdata(aktive=[], ekstra={pk: set()}, klyngens_kommuner={aftale.klynge_id: set()})
    for p in _PARTERNE.laes(timezone.localdate(), pk, aftale.klynge_id):
        partdata.aktive.append(_model(Part, partfelter, p[:len(partfelter)]))
        if p.ekstra:
            partdata.ekstra[pk].add(p.id)
        if p.i_klyngen:
            partdata.klyngens_kommuner[aftale.klynge_id].add(p.id)
    beslutning_v = beslutningsversion(aftale)
    beslutninger = _BESLUTNINGERNE.laes(beslutning_v.pk) if beslutning_v else []

    dato = datoformat("SHORT_DATE_FORMAT")
    udfald = dict(Behandling._meta.get_field("udfald").flatchoices)
    forum_adresse = Adresser("forum-detalje")
    moede_adresse = Adresser("moede-detalje")
    behandlinger = [{"forum": b.forum__navn, "url": forum_adresse(b.forum__slug), "dato": dato(b.dato),
                     "udfald": udfald.get(b.udfald, b.udfald), "version": b.version__nummer, "note": b.note,
                     "punkt": b.dagsordenpunkt__nummer, "punkt_url": _punktadresse(moede_adresse, b)}
                    for b in _BEHANDLINGERNE.laes(pk, nyeste_offentlige_nummer(aftale))]
    implementeringsstatus = dict(Implementering._meta.get_field("status").flatchoices)
    klynge_adresse = Adresser("klynge-detalje")
    implementeringer = [{"klynge": i.klynge__navn, "url": klynge_adresse(i.klynge__slug), "status": i.status,
                         "status_tekst": implementeringsstatus.get(i.status, i.status), "dato": dato(i.opdateret),
                         "note": i.note, "fortsaetter": i.forgaenger__klynge__navn}
                        for i in _IMPLEMENTERINGERNE.laes(pk, timezone.localdate())]
    relaterede = []
    if aftale.indsatsomraade_id or aftale.ejer_forum_id:
        aftale_adresse = Adresser("aftale-detalje")
        relaterede = [{"url": aftale_adresse(a.slug), "titel": a.titel, "badge": status_badge(a),
                       "status": statustekst(a)}
                      for a in _RELATEREDE.laes(pk, aftale.indsatsomraade_id, aftale.ejer_forum_id)]
    return Aftaleside(aftale=aftale, partdata=partdata, beslutninger=beslutninger, behandlinger=behandlinger,
                      implementeringer=implementeringer, bilag=_offentlige_bilag_til_side(aftale),
                      relaterede=relaterede, versioner=versionsliste(aftale, offentlige_versioner_af(aftale)))


def offentlige_versioner_af(aftale: Samarbejdsaftale) -> list[AftaleVersion]:
    """`offentlige_versioner` (newest first) of an agreement from `aftale_til_side`, without a query."""
    nyeste = nyeste_offentlige_nummer(aftale)
    return [v for v in aftale.alle_versioner if v.frossen and v.nummer <= nyeste]


def versionsliste(aftale: Samarbejdsaftale, versioner: list[AftaleVersion]) -> list[AftaleVersion]:
    """The public versions (newest first) as the version table shows them: each with `forrige` (the
    public version before it), its date and its addresses."""
    dato = datoformat("SHORT_DATE_FORMAT")
    adresse = Adresser("aftale-version", aftale.slug)
    for v in med_forrige(versioner):
        v.dato = dato(v.oprettet)
        v.url = adresse(v.nummer)
        v.sammenlign_url = reverse("aftale-sammenlign", args=[aftale.slug, v.forrige, v.nummer]) if v.forrige else ""
    return versioner


def kommentarsektion(bruger, aftale: Samarbejdsaftale, form: KommentarForm | None = None) -> dict:
    """The comments section's context: the comments (one query), and the form for those who may comment now.
    Empty for a user who may not read the comments: the section is then not shown at all."""
    if not policies.kan_se_kommentarer(bruger, aftale):
        return {"vis_kommentarer": False}
    liste = list(kommentarer.kommentarer_for(bruger, aftale))
    kan_kommentere = policies.kan_kommentere(bruger, aftale)
    return {
        "vis_kommentarer": True,
        "aftale": aftale,
        "kommentarer": liste,
        "ubehandlede": sum(1 for k in liste if k.behandlet is None),
        "kan_kommentere": kan_kommentere,
        "kan_behandle": policies.kan_behandle_kommentar(bruger, aftale),
        "kommentar_form": (form or KommentarForm()) if kan_kommentere else None,
        "aktuel_version": aftale.aktuel_version,
    }
