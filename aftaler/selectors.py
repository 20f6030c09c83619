"""Reads about agreements that more than one page or endpoint needs."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from aftaler.choices import (
    ENDELIGE_BESLUTNINGER,
    KOMMENTERBARE_STATUS,
    Beslutning,
    ImplementeringStatus,
    Omfang,
    Status,
)
from aftaler.models import (
    AftaleVersion,
    Godkendelse,
    Hoeringssvar,
    Implementering,
    Proevehandling,
    Samarbejdsaftale,
)
from organisation import selectors as organisation_selectors
from organisation.choices import ForumType, PartType
from organisation.models import Forum, Indstillingsret, Klynge, Part
from sundhed import permissions


def paakraevede_parter(aftale: Samarbejdsaftale) -> list[Part]:
    """Who must approve: regional agreements the 19 municipalities and the region; local ones the
    cluster's municipalities and the region; plus any party the secretariat added (e.g. PLO)."""
    return paakraevede_parter_for_mange([aftale])[aftale.pk]


@dataclass
class Partdata:
    """What the rule for required parties reads: the active parties, the parties the secretariat
    added to each agreement (agreement id -> party ids) and the municipalities of each local
    agreement's cluster (cluster id -> party ids)."""

    aktive: list[Part]
    ekstra: dict[int, set[int]]
    klyngens_kommuner: dict[int, set[int]]


def laes_partdata(aftaler: list[Samarbejdsaftale]) -> Partdata:
    """The Partdata for `aftaler`: two queries, three with a local agreement."""
    lokale = {a.klynge_id for a in aftaler if a.omfang == Omfang.LOKAL}
    klyngens_kommuner: dict[int, set[int]] = defaultdict(set)
    if lokale:
        for klynge_id, part_id in Klynge.kommuner.through.objects.filter(klynge_id__in=lokale).values_list(
            "klynge_id", "part_id"
        ):
            klyngens_kommuner[klynge_id].add(part_id)
    ekstra: dict[int, set[int]] = defaultdict(set)
    for aftale_id, part_id in Samarbejdsaftale.ekstra_parter.through.objects.filter(
        samarbejdsaftale_id__in=[a.pk for a in aftaler]
    ).values_list("samarbejdsaftale_id", "part_id"):
        ekstra[aftale_id].add(part_id)
    return Partdata(aktive=list(Part.objects.aktive()), ekstra=ekstra, klyngens_kommuner=klyngens_kommuner)


def paakraevede_parter_for_mange(aftaler: list[Samarbejdsaftale], *, partdata: Partdata | None = None
                                 ) -> dict[int, list[Part]]:
    """The required parties of many agreements at once, in at most three queries: the one place
    the rule is written (kraevet_af below states it as a filter for one party). `partdata`: what
    the rule reads, when the caller has read it already (laes_partdata)."""
    if not aftaler:
        return {}
    partdata = partdata or laes_partdata(aftaler)
    aktive = {p.pk: p for p in partdata.aktive}
    kommuner = {pk for pk, p in aktive.items() if p.type == PartType.KOMMUNE}
    regioner = {pk for pk, p in aktive.items() if p.type == PartType.REGION}
    # Municipalities first (by name), then the region, then the rest.
    orden = {PartType.KOMMUNE: 0, PartType.REGION: 1}
    resultat = {}
    for a in aftaler:
        egne_kommuner = (kommuner & partdata.klyngens_kommuner.get(a.klynge_id, set())
                         if a.omfang == Omfang.LOKAL else kommuner)
        pks = egne_kommuner | regioner | (partdata.ekstra.get(a.pk, set()) & aktive.keys())
        resultat[a.pk] = sorted((aktive[pk] for pk in pks), key=lambda p: (orden.get(p.type, 2), p.navn))
    return resultat


def kraevet_af(part: Part) -> Q:
    """A filter on agreements: those on which `part` must decide (and which it is consulted on).
    The same rule as paakraevede_parter_for_mange, for one party (tests check the two agree)."""
    if part.type == PartType.REGION:
        return Q()
    hvem = Q(ekstra_parter=part)
    if part.type == PartType.KOMMUNE:
        hvem |= Q(omfang=Omfang.REGIONAL) | Q(omfang=Omfang.LOKAL, klynge__kommuner=part)
    return hvem


def berorte_klynger(aftale: Samarbejdsaftale, dato: datetime.date | None = None) -> list[Klynge]:
    """The areas that implement the agreement: all those in force on `dato` (today) — the clusters
    until 2027, then the sundhedsråd — or the one of a local agreement."""
    if aftale.omfang == Omfang.LOKAL:
        return [aftale.klynge]
    return list(Klynge.objects.aktive(dato).order_by("navn"))


@dataclass
class Partstatus:
    part: Part
    endelig: Godkendelse | None = None
    historik: list[Godkendelse] = field(default_factory=list)

    @property
    def beslutning(self) -> str | None:
        if self.endelig:
            return self.endelig.beslutning
        return Beslutning.UDSAT if self.historik else None


@dataclass
class Fremdrift:
    """'14 af 20 godkendt' and the table behind it, for one version."""

    version: AftaleVersion | None
    parter: list[Partstatus]

    @property
    def antal(self) -> int:
        return len(self.parter)

    @property
    def godkendt(self) -> int:
        return sum(1 for p in self.parter if p.beslutning == Beslutning.GODKENDT)

    @property
    def afvist(self) -> int:
        return sum(1 for p in self.parter if p.beslutning == Beslutning.AFVIST)

    @property
    def udsat(self) -> int:
        return sum(1 for p in self.parter if p.beslutning == Beslutning.UDSAT)

    @property
    def mangler(self) -> int:
        return sum(1 for p in self.parter if p.beslutning is None)

    @property
    def alle_godkendt(self) -> bool:
        return self.antal > 0 and self.godkendt == self.antal


def fremdrift(aftale: Samarbejdsaftale, version: AftaleVersion | None = None, *,
              partdata: Partdata | None = None, godkendelser: Iterable | None = None) -> Fremdrift:
    """Decisions per required party on `version` (default: the current one). `partdata`: as for
    paakraevede_parter_for_mange; `godkendelser`: the decisions on `version`, oldest first, when
    the caller has read them already (anything with a Godkendelse's columns)."""
    version = version or aftale.aktuel_version
    return _fremdrift_for(aftaler=[aftale], versioner={aftale.pk: version}, partdata=partdata,
                          godkendelser=godkendelser)[aftale.pk]


def fremdrift_for_mange(aftaler: list[Samarbejdsaftale]) -> dict[int, Fremdrift]:
    """Progress on each agreement's current version, in a constant number of queries."""
    return _fremdrift_for(aftaler=aftaler, versioner={a.pk: a.aktuel_version for a in aftaler})


def _fremdrift_for(*, aftaler, versioner: dict, partdata: Partdata | None = None,
                   godkendelser: Iterable | None = None) -> dict[int, Fremdrift]:
    parter = paakraevede_parter_for_mange(aftaler, partdata=partdata)
    pr_version: dict[int, list[Godkendelse]] = defaultdict(list)
    version_ids = [v.pk for v in versioner.values() if v is not None]
    if godkendelser is None and version_ids:
        godkendelser = (Godkendelse.objects.filter(version_id__in=version_ids)
                        .select_related("part", "version", "registreret_af").order_by("registreret", "id"))
    if version_ids:
        for g in godkendelser:
            pr_version[g.version_id].append(g)
    resultat = {}
    for a in aftaler:
        version = versioner[a.pk]
        status = {p.pk: Partstatus(part=p) for p in parter[a.pk]}
        for g in pr_version[version.pk] if version is not None else []:
            ps = status.get(g.part_id)
            if ps is None:
                continue
            ps.historik.append(g)
            if g.beslutning in (Beslutning.GODKENDT, Beslutning.AFVIST):
                ps.endelig = g
        resultat[a.pk] = Fremdrift(version=version, parter=list(status.values()))
    return resultat


def aftaler_med_detaljer() -> QuerySet[Samarbejdsaftale]:
    return Samarbejdsaftale.objects.select_related(
        "indsatsomraade", "ejer_forum", "klynge", "aktuel_version", "offentliggjort_version", "proevehandling"
    )


# --- "Mine opgaver" -------------------------------------------------------------------------------
# Reads for the start page (aftaler.views.opgaver.forside). Each section is one or two queries
# whatever the number of agreements; which parties must decide comes from selectors.kraevet_af.


def _distinkt(qs: QuerySet[Samarbejdsaftale], betingelse: Q) -> QuerySet[Samarbejdsaftale]:
    # Conditions through many-to-many joins would repeat rows: filter by primary key instead.
    return qs.filter(pk__in=Samarbejdsaftale.objects.filter(betingelse).values("pk"))


def udkastlaeser_q(bruger) -> Q:
    """The agreements whose drafts `bruger` reads (aftaler.policies._udkastlaeser), as a filter."""
    if not bruger.is_authenticated:
        return Q(pk__in=[])
    if permissions.har(bruger, "laese_internt") or permissions.har(bruger, "redigere_alle_aftaler"):
        return Q(pk__isnull=False)  # every agreement (an empty Q() cannot be a When() condition)
    return (Q(ejer_forum__in=permissions.objekter(bruger, "redigere_gruppens_aftaler"))
            | Q(omfang=Omfang.LOKAL, klynge__in=permissions.objekter(bruger, "laese_klynge_internt")))


def kommentarudkast(bruger) -> list[Samarbejdsaftale]:
    """The drafts open for comments that `bruger` may comment on (aftaler.policies.kan_kommentere), each
    with `ubehandlede` (comments the secretariat has not handled) and `mine_ubehandlede` (the user's own
    among them), in one query however many there are."""
    if not permissions.har(bruger, "kommentere"):
        return []
    aaben = Q(versioner__kommentarer__behandlet__isnull=True)
    return list(
        Samarbejdsaftale.objects.filter(udkastlaeser_q(bruger), status__in=KOMMENTERBARE_STATUS)
        .annotate(ubehandlede=Count("versioner__kommentarer", filter=aaben),
                  mine_ubehandlede=Count("versioner__kommentarer",
                                         filter=aaben & Q(versioner__kommentarer__forfatter=bruger)))
        .select_related("aktuel_version", "ejer_forum").order_by("-ubehandlede", "-opdateret", "pk")
    )


@dataclass
class Opgave:
    aftale: Samarbejdsaftale
    part: Part | None = None
    klynge: Klynge | None = None
    udsat: bool = False
    besvaret: bool = False
    implementering: Implementering | None = None


@dataclass
class Opgaver:
    sekretariat: dict | None = None
    beslutninger: list[Opgave] = field(default_factory=list)
    hoeringer_part: list[Opgave] = field(default_factory=list)
    raad: bool = False
    implementeringer: list[Implementering] = field(default_factory=list)
    hoeringer_klynge: list[Opgave] = field(default_factory=list)
    proevehandlinger: list[Proevehandling] = field(default_factory=list)
    klynge: bool = False
    kan_oprette_proevehandling: bool = False
    gruppens_udkast: list[Samarbejdsaftale] = field(default_factory=list)
    gruppe: bool = False
    kommentarudkast: list[Samarbejdsaftale] = field(default_factory=list)
    kommentator: bool = False
    i_dag: datetime.date = field(default_factory=timezone.localdate)

    @property
    def ingen(self) -> bool:
        return not (self.sekretariat or self.raad or self.klynge or self.gruppe or self.kommentator)


SEKRETARIAT_LISTELAENGDE = 10


def _sekretariatets_opgaver(i_dag: datetime.date) -> dict:
    alle = Samarbejdsaftale.objects.all()
    antal = dict(alle.order_by().values_list("status").annotate(n=Count("pk")))
    # The most recently changed agreements of every state, in one query.
    nyeste = alle.annotate(
        nr=Window(RowNumber(), partition_by=[F("status")], order_by=[F("opdateret").desc(), F("pk").desc()])
    ).filter(nr__lte=SEKRETARIAT_LISTELAENGDE).order_by("status", "nr")
    pr_aftaler: dict[str, list] = {}
    for aftale in nyeste:
        pr_aftaler.setdefault(aftale.status, []).append(aftale)
    pr_status = [
        {"status": status, "navn": navn, "antal": antal.get(status, 0), "aftaler": pr_aftaler.get(status, [])}
        for status, navn in Status.choices
    ]
    return {
        "pr_status": pr_status,
        "i_alt": sum(antal.values()),
        "hoering_overskredet": list(alle.filter(status=Status.HOERING, hoeringsfrist__lt=i_dag)
                                    .order_by("hoeringsfrist")),
        "beslutning_overskredet": list(alle.filter(status=Status.INDSTILLET, beslutningsfrist__lt=i_dag)
                                       .order_by("beslutningsfrist")),
        "listelaengde": SEKRETARIAT_LISTELAENGDE,
    }


def mine_opgaver(bruger) -> Opgaver:
    """What awaits `bruger`, per role: the secretariat, a council secretariat, a cluster member, a theme group."""
    o = Opgaver()
    if permissions.har(bruger, "redigere_alle_aftaler"):
        o.sekretariat = _sekretariatets_opgaver(o.i_dag)

    parter = list(permissions.objekter(bruger, "registrere_beslutning", Part.objects.aktive()).order_by("navn"))
    svar_parter = list(permissions.objekter(bruger, "besvare_hoering_part", Part.objects.aktive()).order_by("navn"))
    o.raad = bool(parter or svar_parter)
    for part in parter:
        endelig = Godkendelse.objects.filter(version=OuterRef("aktuel_version"), part=part,
                                             beslutning__in=ENDELIGE_BESLUTNINGER)
        udsat = Godkendelse.objects.filter(version=OuterRef("aktuel_version"), part=part, beslutning=Beslutning.UDSAT)
        qs = (_distinkt(Samarbejdsaftale.objects.filter(status=Status.INDSTILLET), kraevet_af(part))
              .annotate(har_endelig=Exists(endelig), har_udsat=Exists(udsat)).filter(har_endelig=False)
              .select_related("aktuel_version").order_by("beslutningsfrist", "titel"))
        o.beslutninger += [Opgave(aftale=a, part=part, udsat=a.har_udsat) for a in qs]
    for part in svar_parter:
        svar = Hoeringssvar.objects.filter(version=OuterRef("aktuel_version"), part=part)
        qs = (_distinkt(Samarbejdsaftale.objects.filter(status=Status.HOERING), kraevet_af(part))
              .annotate(besvaret=Exists(svar)).order_by("hoeringsfrist", "titel"))
        o.hoeringer_part += [Opgave(aftale=a, part=part, besvaret=a.besvaret) for a in qs]

    impl_klynger = permissions.objekter(bruger, "registrere_implementering")
    svar_klynger = list(permissions.objekter(bruger, "besvare_hoering_klynge").order_by("navn"))
    laes_klynger = permissions.objekter(bruger, "laese_klynge_internt") | permissions.objekter(
        bruger, "registrere_proevehandling")
    o.klynge = bool(svar_klynger) or impl_klynger.exists() or laes_klynger.exists()
    if o.klynge:
        o.implementeringer = list(
            Implementering.objects.filter(klynge__in=impl_klynger, aftale__in=implementeres(
                Samarbejdsaftale.objects.all())).exclude(status=ImplementeringStatus.IMPLEMENTERET)
            .select_related("aftale", "klynge").order_by("aftale__titel", "klynge__navn")
        )
        aktive = set(Klynge.objects.aktive().values_list("pk", flat=True))
        for klynge in svar_klynger:
            hvem = Q(klynge=klynge) | (Q(omfang=Omfang.REGIONAL) if klynge.pk in aktive else Q(pk__in=[]))
            svar = Hoeringssvar.objects.filter(version=OuterRef("aktuel_version"), klynge=klynge)
            qs = (Samarbejdsaftale.objects.filter(hvem, status=Status.HOERING).annotate(besvaret=Exists(svar))
                  .order_by("hoeringsfrist", "titel"))
            o.hoeringer_klynge += [Opgave(aftale=a, klynge=klynge, besvaret=a.besvaret) for a in qs]
        o.proevehandlinger = list(Proevehandling.objects.filter(klynge__in=laes_klynger).select_related("klynge")
                                  .order_by("-oprettet"))
        o.kan_oprette_proevehandling = proevehandling_klynger(bruger).exists()

    grupper = permissions.objekter(bruger, "redigere_gruppens_aftaler")
    o.gruppe = grupper.exists()
    if o.gruppe:
        o.gruppens_udkast = list(
            Samarbejdsaftale.objects.filter(ejer_forum__in=grupper, status__in=[Status.UDKAST, Status.HOERING])
            .select_related("ejer_forum", "aktuel_version").order_by("-opdateret")
        )

    o.kommentator = permissions.har(bruger, "kommentere")
    if o.kommentator:
        o.kommentarudkast = kommentarudkast(bruger)
    return o


def implementeres(queryset: QuerySet[Samarbejdsaftale]) -> QuerySet[Samarbejdsaftale]:
    """Agreements the clusters implement: in force, or under revision with a published version."""
    return queryset.filter(offentliggjort_version__isnull=False).exclude(status=Status.OPHAEVET)


def tillader_implementering(aftale: Samarbejdsaftale) -> bool:
    """The state rule of policies.kan_registrere_implementering, for rows already loaded."""
    return bool(aftale.offentliggjort_version_id) and aftale.status != Status.OPHAEVET


def proevehandling_klynger(bruger) -> QuerySet[Klynge]:
    """The active clusters for which `bruger` may register pilots (policy kan_registrere_proevehandling)."""
    klynger = Klynge.objects.aktive().order_by("navn")
    if permissions.har(bruger, "redigere_alle_aftaler"):
        return klynger
    return klynger.filter(pk__in=permissions.objekter(bruger, "registrere_proevehandling").values("pk"))


def _lokale_indstillere(aftale: Samarbejdsaftale) -> Q:
    """A local agreement's own recommending bodies: its cluster's political level or, once the cluster
    has ended, the sundhedsråd of the area that succeeded it."""
    if aftale.omfang != Omfang.LOKAL or not aftale.klynge_id:
        return Q(pk__in=[])
    omraader = [aftale.klynge_id, *aftale.klynge.efterfoelgere.values_list("pk", flat=True)]
    return Q(type__in=[ForumType.KLYNGE_POLITISK, ForumType.SUNDHEDSRAAD], klynge_id__in=omraader)


def mulige_indstillere(aftale: Samarbejdsaftale) -> QuerySet[Forum]:
    """Every forum that recommends `aftale` on some date (the recommendation form's choices)."""
    return Forum.objects.filter(
        Q(pk__in=Indstillingsret.objects.values("forum_id")) | _lokale_indstillere(aftale)
    ).order_by("-valid_to", "sortering", "navn")


def indstillende_fora(aftale: Samarbejdsaftale, dato: datetime.date | None = None) -> QuerySet[Forum]:
    """The fora that may recommend `aftale` on `dato`: the recommending body the data names
    (Sundhedssamarbejdsudvalget until 2027) and, for a local agreement, its cluster's political level
    or, once the cluster has ended, the sundhedsråd of the area that succeeded it."""
    fora = organisation_selectors.indstillende_fora(dato) | Forum.objects.aktive(dato).filter(
        _lokale_indstillere(aftale))
    return fora.order_by("sortering", "navn")
