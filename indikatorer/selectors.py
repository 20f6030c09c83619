"""Reads for the dashboards, the cluster section, the half-year report and the import pages.

Each function runs a fixed number of queries whatever the amount of data: measurements are fetched in
one query per page (the latest two per indicator and geography through a window function where only
those are shown) and grouped in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from aftaler import policies as aftale_policies
from aftaler.models import Proevehandling, Samarbejdsaftale
from aftaler.selectors import mine_opgaver
from indikatorer.choices import BatchStatus, Frekvens, GeografiType, Retning, Vurdering
from indikatorer.importer import Geografi
from indikatorer.models import Halvaarsrapport, ImportBatch, Indikator, LokaltMaal, Maaling
from indikatorer.perioder import Periode
from organisation import moeder_selectors
from organisation.choices import PartType
from organisation.models import Klynge, Part
from sundhed.cachesikker import cache_get

REGION_SLUG = "region-midtjylland"


# --- geographies ------------------------------------------------------------------------------


def geografier(*, kun_aktive: bool = True) -> list[Geografi]:
    """The region, the clusters and the municipalities (in that order, each by name): two queries."""
    parter = Part.objects.filter(type__in=[PartType.REGION, PartType.KOMMUNE])
    klynger = Klynge.objects.all()
    if kun_aktive:
        parter, klynger = parter.aktive(), klynger.aktive()
    res = [Geografi(p.slug, p.navn, p.type, part_id=p.pk) for p in parter.order_by("navn")]
    res += [Geografi(k.slug, k.navn, GeografiType.KLYNGE, klynge_id=k.pk) for k in klynger.order_by("navn")]
    orden = {GeografiType.REGION: 0, GeografiType.KLYNGE: 1, GeografiType.KOMMUNE: 2}
    return sorted(res, key=lambda g: (orden[g.type], g.navn))


def region(geos: list[Geografi]) -> Geografi | None:
    regioner = [g for g in geos if g.type == GeografiType.REGION]
    return next((g for g in regioner if g.slug == REGION_SLUG), regioner[0] if regioner else None)


# --- change and its judgement ------------------------------------------------------------------


@dataclass
class Udvikling:
    """The latest value, the one before, and the change judged by the indicator's direction."""

    indikator: Indikator
    seneste: Maaling | None = None
    forrige: Maaling | None = None

    @property
    def aendring(self) -> Decimal | None:
        if self.seneste is None or self.forrige is None:
            return None
        return self.seneste.vaerdi - self.forrige.vaerdi

    @property
    def vurdering(self) -> str | None:
        aendring = self.aendring
        if aendring is None:
            return None
        # Smaller than what the page shows (half the last decimal) is no change.
        if abs(aendring) < Decimal(5) / Decimal(10) ** (self.indikator.decimaler + 1):
            return Vurdering.UAENDRET
        lavere_bedre = self.indikator.retning == Retning.LAVERE
        return Vurdering.BEDRE if (aendring < 0) == lavere_bedre else Vurdering.DAARLIGERE

    @property
    def syntetisk(self) -> bool:
        return any(m is not None and m.syntetisk for m in (self.seneste, self.forrige))


def _seneste_to(qs: QuerySet[Maaling]) -> QuerySet[Maaling]:
    """The two latest current measurements per (indicator, geography)."""
    return (
        qs.annotate(
            nummer=Window(RowNumber(), partition_by=[F("indikator_id"), F("geografi_slug")],
                          order_by=F("periode_noegle").desc())
        )
        .filter(nummer__lte=2)
        .order_by("indikator_id", "geografi_slug", "nummer")
    )


def _udviklinger(indikatorer: list[Indikator], maalinger) -> dict[tuple[int, str], Udvikling]:
    efter_id = {i.pk: i for i in indikatorer}
    res: dict[tuple[int, str], Udvikling] = {}
    for m in maalinger:
        indikator = efter_id.get(m.indikator_id)
        if indikator is None:
            continue
        u = res.setdefault((m.indikator_id, m.geografi_slug), Udvikling(indikator))
        if u.seneste is None:
            u.seneste = m
        elif u.forrige is None:
            u.forrige = m
    return res


# --- grouping by goal -------------------------------------------------------------------------


@dataclass
class Maalgruppe:
    """The indicators under one goal (a målsætning of the agreement, or a national goal)."""

    titel: str
    national: bool
    raekker: list = field(default_factory=list)

    @property
    def anker(self) -> str:
        from sundhed.text import dansk_slug

        return "maal-" + dansk_slug(self.titel)[:60]


@dataclass
class Afsnit:
    """An area of effort (or 'Nationale mål') with its goals."""

    titel: str
    grupper: list[Maalgruppe] = field(default_factory=list)


def indikatorer_med_maal() -> list[Indikator]:
    """Every indicator with its goals, in the agreement's order: area, goal, then the indicator's own order;
    indicators under a national goal only follow, by national goal."""
    indikatorer = Indikator.objects.select_related("maalsaetning__indsatsomraade", "nationalt_maal")

    def orden(i: Indikator) -> tuple:
        m = i.maalsaetning
        if m is not None:
            return (0, m.indsatsomraade.sortering if m.indsatsomraade_id else 0, m.sortering, i.sortering, i.navn)
        if i.nationalt_maal_id:
            return (1, 0, i.nationalt_maal.sortering, i.sortering, i.navn)
        return (2, 0, 0, i.sortering, i.navn)

    return sorted(indikatorer, key=orden)


def grupper_efter_maal(indikatorer: list[Indikator], raekke=lambda i: i) -> list[Afsnit]:
    """Each indicator once: under its målsætning if it has one, else under its national goal."""
    afsnit: dict[str, Afsnit] = {}
    grupper: dict[tuple, Maalgruppe] = {}
    nationale, oevrige = "Nationale mål", "Øvrige indikatorer"
    for i in indikatorer:
        if i.maalsaetning_id:
            m = i.maalsaetning
            afsnit_titel = m.indsatsomraade.navn if m.indsatsomraade_id else "Sundhedsaftalens målsætninger"
            noegle, titel, national = ("m", m.pk), m.tekst, False
        elif i.nationalt_maal_id:
            afsnit_titel, noegle, titel, national = nationale, ("n", i.nationalt_maal_id), i.nationalt_maal.tekst, True
        else:
            afsnit_titel, noegle, titel, national = oevrige, ("x",), oevrige, False
        a = afsnit.setdefault(afsnit_titel, Afsnit(afsnit_titel))
        if noegle not in grupper:
            grupper[noegle] = Maalgruppe(titel, national)
            a.grupper.append(grupper[noegle])
        grupper[noegle].raekker.append(raekke(i))
    # The agreement's own areas first, then the national goals, then anything unlinked.
    return sorted(afsnit.values(), key=lambda a: (a.titel == nationale, a.titel == oevrige))


# --- /indikatorer/ -----------------------------------------------------------------------------


@dataclass
class Oversigt:
    geografi: Geografi | None
    geografier: list[Geografi]
    afsnit: list[Afsnit]
    syntetisk: bool
    antal: int


def oversigt(geografi_slug: str | None = None) -> Oversigt:
    """Every indicator by goal with the latest value for one geography (the region unless chosen) and
    the change since the previous period: four queries."""
    geos = geografier()
    valgt = next((g for g in geos if g.slug == geografi_slug), None) if geografi_slug else None
    valgt = valgt or region(geos)
    indikatorer = indikatorer_med_maal()
    maalinger = (
        _seneste_to(Maaling.objects.gaeldende().filter(geografi_slug=valgt.slug)) if valgt else Maaling.objects.none()
    )
    udv = _udviklinger(indikatorer, maalinger)
    afsnit = grupper_efter_maal(
        indikatorer, lambda i: udv.get((i.pk, valgt.slug if valgt else ""), Udvikling(i))
    )
    return Oversigt(valgt, geos, afsnit, any(u.syntetisk for u in udv.values()), len(indikatorer))


# --- /indikatorer/<kode>/ ----------------------------------------------------------------------


@dataclass
class Serie:
    geografi: Geografi
    vaerdier: dict[str, Maaling]
    stil: int = 0
    fremhaevet: bool = False


@dataclass
class Detalje:
    indikator: Indikator
    perioder: list[str]
    serier: list[Serie]
    kommuner: list[Geografi]
    kommune: Geografi | None
    seneste_periode: str | None
    kommunetabel: list[tuple[Geografi, Maaling | None, Udvikling]]
    syntetisk: bool
    antal_maalinger: int


def indikator(kode: str) -> Indikator | None:
    return Indikator.objects.select_related("maalsaetning__indsatsomraade", "nationalt_maal").filter(kode=kode).first()


def indikator_detalje(ind: Indikator, kommune_slug: str | None = None) -> Detalje:
    """The chart's series (the region, each cluster, a chosen municipality), the table, and every
    municipality's latest value: three queries besides the indicator."""
    geos = geografier()
    kommuner = [g for g in geos if g.type == GeografiType.KOMMUNE]
    kommune = next((g for g in kommuner if g.slug == kommune_slug), None) if kommune_slug else None
    maalinger = list(Maaling.objects.gaeldende().filter(indikator=ind).order_by("periode_noegle"))
    pr_geo: dict[str, dict[str, Maaling]] = {}
    for m in maalinger:
        pr_geo.setdefault(m.geografi_slug, {})[m.periode] = m
    vist = [g for g in geos if g.type in (GeografiType.REGION, GeografiType.KLYNGE)]
    serier = [Serie(g, pr_geo.get(g.slug, {}), stil=i) for i, g in enumerate(vist)]
    if kommune:
        serier.append(Serie(kommune, pr_geo.get(kommune.slug, {}), stil=len(serier), fremhaevet=True))
    perioder = sorted({p for s in serier for p in s.vaerdier}, key=lambda k: Periode.fra_kode(k).noegle)
    alle_perioder = sorted({m.periode for m in maalinger}, key=lambda k: Periode.fra_kode(k).noegle)
    seneste = alle_perioder[-1] if alle_perioder else None
    kommunetabel = []
    for g in kommuner:
        vaerdier = pr_geo.get(g.slug, {})
        u = Udvikling(ind)
        if vaerdier:
            raekke = sorted(vaerdier.values(), key=lambda m: m.periode_noegle)
            u.seneste = raekke[-1]
            u.forrige = raekke[-2] if len(raekke) > 1 else None
        kommunetabel.append((g, vaerdier.get(seneste) if seneste else None, u))
    return Detalje(
        indikator=ind, perioder=perioder, serier=serier, kommuner=kommuner, kommune=kommune,
        seneste_periode=seneste, kommunetabel=kommunetabel, syntetisk=any(m.syntetisk for m in maalinger),
        antal_maalinger=len(maalinger),
    )


def maalinger_til_csv(ind: Indikator) -> QuerySet[Maaling]:
    return Maaling.objects.gaeldende().filter(indikator=ind).order_by("periode_noegle", "geografi_type",
                                                                       "geografi_slug")


# --- the cluster page section -------------------------------------------------------------------


@dataclass
class KlyngeRaekke:
    indikator: Indikator
    klynge: Udvikling
    region: Maaling | None
    kommuner: list[tuple[Geografi, Maaling | None]]


@dataclass
class KlyngeOversigt:
    klynge: Klynge
    afsnit: list[Afsnit]
    kommuner: list[Geografi]
    syntetisk: bool
    har_data: bool
    forgaengere: list[Klynge] = field(default_factory=list)  # whose series it continues (same municipalities)


def _samme_omraade(klynge: Klynge) -> list[Klynge]:
    """The predecessors with exactly the area's municipalities (a sundhedsråd and its cluster): their
    series are the area's too, so a sundhedsråd's indicators begin where its cluster's left off."""
    egne = {p.pk for p in klynge.kommuner.all()}
    return [f for f in klynge.forgaengere.prefetch_related("kommuner").order_by("-valid_from")
            if egne and {p.pk for p in f.kommuner.all()} == egne]


def _fortsat(maalinger: list[Maaling], slug: str, forgaengere: list[Klynge]) -> list[Maaling]:
    """The area's own measurements, with its predecessors' for the periods it has none of, read as the
    area's; newest first per indicator, as `_udviklinger` expects."""
    if not forgaengere:
        return maalinger
    gamle = {f.slug for f in forgaengere}
    egne = {(m.indikator_id, m.periode) for m in maalinger if m.geografi_slug == slug}
    resultat = []
    for m in maalinger:
        if m.geografi_slug in gamle:
            if (m.indikator_id, m.periode) in egne:
                continue
            egne.add((m.indikator_id, m.periode))
            m.geografi_slug = slug
        resultat.append(m)
    return sorted(resultat, key=lambda m: (m.indikator_id, m.geografi_slug, -m.periode_noegle))


def klynge_oversigt(klynge: Klynge) -> KlyngeOversigt:
    """Indicators for the cluster's population: the cluster's latest value and change, the region in the
    same period, and each of its municipalities: four queries (three if the municipalities are prefetched)."""
    kommuner = [Geografi(p.slug, p.visningsnavn, GeografiType.KOMMUNE, part_id=p.pk)
                for p in sorted(klynge.kommuner.all(), key=lambda p: p.navn)]
    regioner = sorted(Part.objects.filter(type=PartType.REGION), key=lambda p: (p.slug != REGION_SLUG, p.navn))
    reg = regioner[0] if regioner else None
    forgaengere = _samme_omraade(klynge)
    slugs = [klynge.slug, *(f.slug for f in forgaengere), *(k.slug for k in kommuner), *([reg.slug] if reg else [])]
    indikatorer = indikatorer_med_maal()
    maalinger = _fortsat(list(_seneste_to(Maaling.objects.gaeldende().filter(geografi_slug__in=slugs))),
                         klynge.slug, forgaengere)
    udv = _udviklinger(indikatorer, maalinger)
    region_pr_periode = {
        (m.indikator_id, m.periode): m for m in maalinger if reg is not None and m.geografi_slug == reg.slug
    }

    def raekke(i: Indikator) -> KlyngeRaekke:
        u = udv.get((i.pk, klynge.slug), Udvikling(i))
        periode = u.seneste.periode if u.seneste else None
        return KlyngeRaekke(
            indikator=i, klynge=u,
            region=region_pr_periode.get((i.pk, periode)) if periode else None,
            kommuner=[
                (k, m if (m := udv.get((i.pk, k.slug), Udvikling(i)).seneste) and m.periode == periode else None)
                for k in kommuner
            ],
        )

    return KlyngeOversigt(
        klynge=klynge, afsnit=grupper_efter_maal(indikatorer, raekke), kommuner=kommuner,
        syntetisk=any(m.syntetisk for m in maalinger), har_data=any(m.geografi_slug == klynge.slug for m in maalinger),
        forgaengere=forgaengere,
    )


# --- the half-year report ---------------------------------------------------------------------


@dataclass
class RapportIndikator:
    indikator: Indikator
    raekker: list[tuple[Geografi, Udvikling]]

    @property
    def perioder(self) -> str:
        """The period the figures are from, for yearly indicators the latest available."""
        koder = sorted({u.seneste.periode for _g, u in self.raekker if u.seneste})
        return ", ".join(koder)


@dataclass
class Rapport:
    periode: Periode
    forrige: Periode
    afsnit: list[Afsnit]
    komplet: bool
    mangler: int
    forventet: int
    syntetisk: bool
    udsendelse: Halvaarsrapport | None
    geografier: list[Geografi]


def rapport(periode: Periode) -> Rapport:
    """Every indicator by goal for the region and each cluster in `periode`, with the change since the
    previous period. Yearly and four-yearly indicators show their latest figure up to the period."""
    alle_geos = geografier()
    geos = [g for g in alle_geos if g.type in (GeografiType.REGION, GeografiType.KLYNGE)]
    indikatorer = indikatorer_med_maal()
    maalinger = list(_seneste_to(
        Maaling.objects.gaeldende()
        .filter(geografi_slug__in=[g.slug for g in geos], periode_noegle__lte=periode.noegle)
    ))
    udv = _udviklinger(indikatorer, maalinger)
    for u in udv.values():
        if u.indikator.frekvens == Frekvens.HALVAAR and u.seneste and u.seneste.periode != periode.kode:
            # No figure for this half year: show none rather than an older one as if it were current.
            u.forrige, u.seneste = u.seneste, None

    def raekke(i: Indikator) -> RapportIndikator:
        return RapportIndikator(i, [(g, udv.get((i.pk, g.slug), Udvikling(i))) for g in geos])

    # Complete: every active half-yearly indicator has a value for every geography (as services decides).
    aktive_halvaar = [i.pk for i in indikatorer if i.aktiv and i.frekvens == Frekvens.HALVAAR]
    forventet = len(aktive_halvaar) * len(alle_geos)
    antal = Maaling.objects.gaeldende().filter(
        periode=periode.kode, indikator_id__in=aktive_halvaar, geografi_slug__in=[g.slug for g in alle_geos]
    ).count()
    return Rapport(
        periode=periode, forrige=periode.forrige(), afsnit=grupper_efter_maal(indikatorer, raekke),
        komplet=forventet > 0 and antal >= forventet, mangler=max(forventet - antal, 0), forventet=forventet,
        syntetisk=any(m.syntetisk for m in maalinger),
        udsendelse=Halvaarsrapport.objects.filter(periode=periode.kode).defer("pdf").annotate(
            har_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField())).first(),
        geografier=geos,
    )


def rapport_perioder() -> list[tuple[Periode, Halvaarsrapport | None]]:
    """Half years with data for the region, newest first, with their report's dispatch (if any)."""
    koder = set(
        Maaling.objects.gaeldende().filter(geografi_type=GeografiType.REGION, periode__contains="H")
        .values_list("periode", flat=True).distinct()
    )
    udsendelser = {r.periode: r for r in Halvaarsrapport.objects.defer("pdf")}
    perioder = sorted((Periode.fra_kode(k) for k in koder), reverse=True)
    return [(p, udsendelser.get(p.kode)) for p in perioder]


def har_syntetiske_data() -> bool:
    return Maaling.objects.gaeldende().filter(syntetisk=True).exists()


# --- imports ----------------------------------------------------------------------------------


def batches() -> QuerySet[ImportBatch]:
    return (
        ImportBatch.objects.defer("indhold").select_related("oprettet_af", "godkendt_af", "tilbagerullet_af")
        .order_by("-oprettet", "-id")
    )


def batch(pk: int) -> ImportBatch | None:
    return batches().filter(pk=pk).first()


def behandlet(b: ImportBatch) -> int:
    """Rows written so far: a running batch reports its progress in the cache (its own transaction
    is not visible to other connections until it commits)."""
    from django.core.cache import cache

    from indikatorer.models import fremskridt_noegle

    if b.status == BatchStatus.FAERDIG:
        return b.antal_raekker
    if b.status == BatchStatus.KOERER:
        return cache_get(cache, fremskridt_noegle(b.pk), 0)
    return 0


# --- the cluster workspace --------------------------------------------------------------------


@dataclass
class Arbejdsrum:
    klynge: Klynge
    lokale_maal: list[LokaltMaal]
    proevehandlinger: list
    lokale_aftaler: list
    implementeringer: list
    hoeringer: list
    kommende_moeder: list
    afholdte_moeder: list
    oversigt: KlyngeOversigt


def lokale_maal(klynge: Klynge) -> QuerySet[LokaltMaal]:
    """The cluster's local goals with what they refer to (one query)."""
    return (LokaltMaal.objects.filter(klynge=klynge)
            .select_related("klynge", "maalsaetning", "indikator").order_by("titel", "pk"))


def arbejdsrum(bruger, klynge: Klynge) -> Arbejdsrum:
    """Everything of the cluster's workspace, in a fixed number of queries whatever the number of rows.

    The tasks come from aftaler's own selectors (the user's tasks, narrowed to this cluster), so the
    workspace and the task page never disagree."""
    maal = list(lokale_maal(klynge))
    opgaver = mine_opgaver(bruger)
    oversigt = klynge_oversigt(klynge)
    pr_indikator: dict[int, list[LokaltMaal]] = {}
    for m in maal:
        if m.indikator_id:
            pr_indikator.setdefault(m.indikator_id, []).append(m)
    for afsnit in oversigt.afsnit:
        for gruppe in afsnit.grupper:
            for raekke in gruppe.raekker:
                raekke.lokale_maal = pr_indikator.get(raekke.indikator.pk, [])
    return Arbejdsrum(
        klynge=klynge,
        lokale_maal=maal,
        proevehandlinger=list(Proevehandling.objects.filter(klynge=klynge).order_by("-oprettet")),
        lokale_aftaler=list(aftale_policies.synlige_aftaler(bruger, Samarbejdsaftale.objects.filter(klynge=klynge))
                            .order_by("titel", "pk")),
        implementeringer=[i for i in opgaver.implementeringer if i.klynge_id == klynge.pk],
        hoeringer=[o for o in opgaver.hoeringer_klynge if o.klynge.pk == klynge.pk],
        kommende_moeder=list(moeder_selectors.kommende(bruger, klynge=klynge)),
        afholdte_moeder=moeder_selectors.afholdte(bruger, klynge=klynge),
        oversigt=oversigt,
    )
