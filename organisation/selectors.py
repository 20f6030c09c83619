"""Reads of the structure that more than one page needs.

Every function here returns what a page shows in a constant number of queries: related rows are
joined (`select_related`) or fetched in one extra query each (`Prefetch`), never per object.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When, prefetch_related_objects
from django.utils import timezone

from organisation.choices import KLYNGE_FORA, RAAD_FORA, ForumType, KlyngeArt, Rolle
from organisation.models import Forum, Indstillingsret, Klynge, Medlemskab, Part
from sundhed import permissions
from sundhed.models import Gyldighed

# Plural headings for the bodies of each kind, in the order the organisation page lists them.
TYPE_FLERTAL: dict[str, str] = {
    ForumType.SUNDHEDSSAMARBEJDSUDVALG: "Sundhedssamarbejdsudvalg",
    ForumType.SUNDHEDSSTYREGRUPPE: "Sundhedsstyregruppe",
    ForumType.FORMANDSKAB: "Formandskab",
    ForumType.FAELLES_SEKRETARIAT: "Fælles sekretariat",
    ForumType.TEMAGRUPPE: "Temagrupper",
    ForumType.FORLOEBSPROGRAMGRUPPE: "Forløbsprogramgrupper",
    ForumType.ARBEJDSGRUPPE: "Arbejdsgrupper",
    ForumType.KLYNGE_POLITISK: "Sundhedsklynger, politisk niveau",
    ForumType.KLYNGE_ADMINISTRATIV: "Sundhedsklynger, administrativt niveau",
    ForumType.PRAKSISPLANUDVALG: "Praksisplanudvalg",
    ForumType.PATIENTINDDRAGELSESUDVALG: "Patientinddragelsesudvalg",
    ForumType.REGIONSRAAD: "Regionsråd",
    ForumType.KOMMUNALBESTYRELSE: "Kommunalbestyrelser",
    ForumType.SUNDHEDSRAAD: "Sundhedsråd",
}
# A line under the box in the diagram for the bodies whose place is not obvious from the name.
_BESKRIVELSE: dict[str, str] = {
    ForumType.SUNDHEDSSAMARBEJDSUDVALG: "Politisk niveau: sætter retning og indstiller samarbejdsaftaler",
    ForumType.SUNDHEDSSTYREGRUPPE: "Øverste administrative organ",
    ForumType.FAELLES_SEKRETARIAT: "Sagsforberedelse og koordinering",
    ForumType.SUNDHEDSRAAD: "Sundhedsråd",
}
KLYNGENIVEAU = {ForumType.KLYNGE_POLITISK: "Politisk niveau", ForumType.KLYNGE_ADMINISTRATIV: "Administrativt niveau"}

# Where a body sits in the diagram when its `overordnet` is not set: the kinds it falls back to, in order.
_STANDARD_OVERORDNET: dict[str, tuple[str, ...]] = {
    ForumType.SUNDHEDSSTYREGRUPPE: (ForumType.SUNDHEDSSAMARBEJDSUDVALG,),
    ForumType.FORMANDSKAB: (ForumType.SUNDHEDSSTYREGRUPPE, ForumType.SUNDHEDSSAMARBEJDSUDVALG),
    ForumType.FAELLES_SEKRETARIAT: (ForumType.SUNDHEDSSTYREGRUPPE, ForumType.SUNDHEDSSAMARBEJDSUDVALG),
    ForumType.TEMAGRUPPE: (ForumType.SUNDHEDSSTYREGRUPPE, ForumType.SUNDHEDSSAMARBEJDSUDVALG),
    ForumType.FORLOEBSPROGRAMGRUPPE: (ForumType.SUNDHEDSSTYREGRUPPE, ForumType.SUNDHEDSSAMARBEJDSUDVALG),
    ForumType.ARBEJDSGRUPPE: (ForumType.SUNDHEDSSTYREGRUPPE, ForumType.SUNDHEDSSAMARBEJDSUDVALG),
    ForumType.KLYNGE_POLITISK: (ForumType.SUNDHEDSSAMARBEJDSUDVALG,),
    ForumType.KLYNGE_ADMINISTRATIV: (ForumType.SUNDHEDSSAMARBEJDSUDVALG,),
    ForumType.PRAKSISPLANUDVALG: (ForumType.SUNDHEDSSAMARBEJDSUDVALG,),
    ForumType.PATIENTINDDRAGELSESUDVALG: (ForumType.SUNDHEDSSAMARBEJDSUDVALG,),
}
# Kinds shown together under one heading box when several sit under the same body.
_GRUPPERES = {
    ForumType.TEMAGRUPPE: "Temagrupper",
    ForumType.FORLOEBSPROGRAMGRUPPE: "Forløbsprogramgrupper",
    ForumType.ARBEJDSGRUPPE: "Arbejdsgrupper",
}
_TYPE_RAEKKEFOELGE = {vaerdi: i for i, vaerdi in enumerate(TYPE_FLERTAL)}


# --- a body on a chosen day ----------------------------------------------------------------------

AKTIV = "aktiv"
FORBEREDENDE = "forberedende"
KOMMENDE = "kommende"
ARKIVERET = "arkiveret"


def tilstand(obj: Gyldighed, dato: datetime.date) -> str:
    """What a dated body is on `dato`: in force, preparatory (before it takes effect), coming, or archived."""
    if obj.valid_to is not None and obj.valid_to < dato:
        return ARKIVERET
    if obj.valid_from > dato:
        return FORBEREDENDE if isinstance(obj, Forum) and obj.er_forberedende(dato) else KOMMENDE
    return AKTIV


@dataclass(frozen=True)
class Visning:
    """How one body's page reads on the chosen day.

    `visningsdato` is the chosen day moved into the body's own lifetime (from its preparatory start to its
    last day): an archived body's page shows its members as they were on its last day, a coming body's
    as they will be when it starts, because "no members" that day would say nothing. The API does not
    move the day: it answers for exactly the day asked.
    """

    dato: datetime.date
    tilstand: str
    visningsdato: datetime.date

    @property
    def arkiveret(self) -> bool:
        return self.tilstand == ARKIVERET

    @property
    def forberedende(self) -> bool:
        return self.tilstand == FORBEREDENDE

    @property
    def kommende(self) -> bool:
        return self.tilstand == KOMMENDE

    @property
    def flyttet(self) -> bool:
        """Does the page show another day than the chosen one?"""
        return self.visningsdato != self.dato


def visning(obj: Gyldighed, dato: datetime.date) -> Visning:
    """The state of `obj` on `dato`, and the day within its lifetime its page shows (see Visning)."""
    start = getattr(obj, "forberedende_fra", None) or obj.valid_from
    dag = max(dato, start)
    if obj.valid_to is not None:
        dag = min(dag, obj.valid_to)
    return Visning(dato=dato, tilstand=tilstand(obj, dato), visningsdato=dag)


def _henvisninger(model: type[Forum] | type[Klynge]) -> list[Prefetch]:
    """Successors and predecessors (one query each), oldest first: the "Afløst af"/"Afløser" links."""
    return [
        Prefetch(sti, queryset=model.objects.order_by("valid_from", "navn")) for sti in ("efterfoelgere", "forgaengere")
    ]


# --- clusters and sundhedsråd areas ----------------------------------------------------------------


def _klynger(dato: datetime.date) -> QuerySet[Klynge]:
    return (
        Klynge.objects.select_related("akuthospital")
        .prefetch_related(Prefetch("kommuner", queryset=Part.objects.aktive(dato).order_by("navn")))
    )


def klynger_oversigt(dato: datetime.date | None = None) -> QuerySet[Klynge]:
    """Clusters and sundhedsråd areas in force on `dato` (today), with hospital and municipalities,
    in a constant number of queries."""
    dato = dato or timezone.localdate()
    return _klynger(dato).aktive(dato).order_by("navn")


@dataclass
class Klyngeoversigt:
    """The cluster list page on one day: the areas in force, those that have ended, those to come."""

    aktive: list[Klynge]
    arkiverede: list[Klynge]
    kommende: list[Klynge]

    @staticmethod
    def _navn(klynger: list[Klynge]) -> str:
        arter = {k.art for k in klynger}
        if arter == {KlyngeArt.SUNDHEDSRAAD}:
            return "sundhedsråd"
        if KlyngeArt.SUNDHEDSRAAD in arter:
            return "sundhedsklynger og sundhedsråd"
        return "sundhedsklynger"

    @property
    def har_sundhedsraad(self) -> bool:
        return any(k.er_sundhedsraad for k in (*self.aktive, *self.arkiverede, *self.kommende))

    @property
    def aktive_navn(self) -> str:
        return self._navn(self.aktive)

    @property
    def arkiverede_navn(self) -> str:
        return self._navn(self.arkiverede)

    @property
    def kommende_navn(self) -> str:
        return self._navn(self.kommende)


def klynger_med_arkiverede(dato: datetime.date | None = None) -> Klyngeoversigt:
    """Every cluster and sundhedsråd area, split by what it is on `dato` (today): four queries
    (areas with hospital, municipalities that day, successors, predecessors)."""
    dato = dato or timezone.localdate()
    alle = list(_klynger(dato).prefetch_related(*_henvisninger(Klynge)).order_by("navn"))
    return Klyngeoversigt(
        aktive=[k for k in alle if k.er_aktiv(dato)],
        arkiverede=sorted((k for k in alle if k.valid_to is not None and k.valid_to < dato),
                          key=lambda k: (-k.valid_to.toordinal(), k.navn)),
        kommende=sorted((k for k in alle if k.valid_from > dato), key=lambda k: (k.valid_from, k.navn)),
    )


def aktive_medlemskaber(dato: datetime.date | None = None) -> QuerySet[Medlemskab]:
    """The memberships of `dato` (today), ordered by role (chair first), then party and name: the members tables."""
    rolle_orden = Case(
        *(When(rolle=rolle, then=Value(i)) for i, rolle in enumerate(Rolle.values)),
        default=Value(len(Rolle.values)),
        output_field=IntegerField(),
    )
    return (
        Medlemskab.objects.aktive(dato)
        .select_related("person", "repraesenterer")
        .annotate(rolle_orden=rolle_orden)
        .order_by("rolle_orden", "repraesenterer__navn", "person__navn")
    )


def _medlemmer_prefetch(sti: str = "medlemskaber", dato: datetime.date | None = None) -> Prefetch:
    return Prefetch(sti, queryset=aktive_medlemskaber(dato), to_attr="aktive_medlemskaber")


def raadssekretariater(*, parter: Iterable[Part] | None = None) -> QuerySet[Medlemskab]:
    """Today's secretaries (role `sekretaer`) of the councils, kommunalbestyrelse and regionsråd, with
    person and user joined: those who record a council's decision and hear what it must decide or
    answer. With `parter`, only the councils of those parties. The one place the rule is written."""
    medlemskaber = (
        Medlemskab.objects.aktive()
        .filter(rolle=Rolle.SEKRETAER, forum__type__in=sorted(RAAD_FORA))
        .select_related("person", "person__bruger")
    )
    if parter is not None:
        medlemskaber = medlemskaber.filter(forum__part__in=[p.pk for p in parter])
    return medlemskaber


def faelles_sekretariat() -> QuerySet[Medlemskab]:
    """Today's members of the joint secretariat, in every role, with person and user joined."""
    return (
        Medlemskab.objects.aktive()
        .filter(forum__type=ForumType.FAELLES_SEKRETARIAT)
        .select_related("person", "person__bruger")
    )


def forum_detalje(slug: str, dato: datetime.date | None = None) -> Forum | None:
    """One forum as its page shows it on `dato` (today), with `visning` set: its members, sub-fora and its
    authority's clusters on the day shown, its successors and predecessors. Six queries at most."""
    forum = Forum.objects.select_related("klynge", "part", "overordnet").filter(slug=slug).first()
    if forum is None:
        return None
    forum.visning = visning(forum, dato or timezone.localdate())
    dag = forum.visning.visningsdato
    prefetch_related_objects(
        [forum],
        _medlemmer_prefetch(dato=dag),
        Prefetch(
            "underfora",
            queryset=Forum.objects.aktive(dag).select_related("klynge").order_by("sortering", "navn"),
            to_attr="aktive_underfora",
        ),
        Prefetch("part__klynger", queryset=Klynge.objects.aktive(dag).order_by("navn"), to_attr="aktive_klynger"),
        *_henvisninger(Forum),
    )
    return forum


def klynge_detalje(slug: str, dato: datetime.date | None = None) -> Klynge | None:
    """One cluster or sundhedsråd area as its page shows it on `dato` (today), with `visning` set:
    hospital, municipalities and its fora (each with members) on the day shown, successors, predecessors."""
    klynge = Klynge.objects.select_related("akuthospital").filter(slug=slug).first()
    if klynge is None:
        return None
    klynge.visning = visning(klynge, dato or timezone.localdate())
    dag = klynge.visning.visningsdato
    prefetch_related_objects(
        [klynge],
        Prefetch("kommuner", queryset=Part.objects.aktive(dag).order_by("navn")),
        Prefetch(
            "fora",
            queryset=Forum.objects.prefetch_related(_medlemmer_prefetch(dato=dag))
            .order_by("type", "sortering", "navn"),
            to_attr="alle_fora",
        ),
        *_henvisninger(Klynge),
    )
    return klynge


@dataclass
class Knude:
    """A box in the organisation diagram: a forum, a cluster, or a heading over a group of bodies."""

    titel: str
    forum: Forum | None = None
    klynge: Klynge | None = None
    beskrivelse: str = ""
    boern: list[Knude] = field(default_factory=list)
    # The heading box over the areas (the clusters, or the sundhedsråd), drawn side by side.
    er_klyngegruppe: bool = False

    @property
    def er_gruppe(self) -> bool:
        return self.forum is None and self.klynge is None


@dataclass
class Typegruppe:
    """The active bodies of one kind, for the list under the diagram; councils are listed compactly."""

    titel: str
    type: str
    fora: list[Forum]

    @property
    def kompakt(self) -> bool:
        return self.type in RAAD_FORA


@dataclass
class Organisationsoversigt:
    """Everything the organisation page shows, read in a constant number of queries."""

    roedder: list[Knude]
    regionsraad: list[Forum]
    kommunalbestyrelser: list[Forum]
    efter_type: list[Typegruppe]
    arkiverede: list[Forum]
    kommende: list[Forum]
    forberedende: list[Forum] = field(default_factory=list)
    # The bodies that recommend agreements to the councils that day (Indstillingsret).
    indstillende: list[Forum] = field(default_factory=list)

    @property
    def har_sundhedsraad(self) -> bool:
        """Are sundhedsråd in force that day (the 2027 structure)?"""
        return any(g.type == ForumType.SUNDHEDSRAAD for g in self.efter_type)


def _sorteret(fora: list[Forum]) -> list[Forum]:
    return sorted(fora, key=lambda f: (f.sortering, f.navn))


def _efter_type(fora: list[Forum]) -> list[Forum]:
    """Boxes under one body: by kind (the steering group before the other committees), then as sorted."""
    return sorted(fora, key=lambda f: (_TYPE_RAEKKEFOELGE.get(f.type, 99), f.sortering, f.navn))


def _overordnet(forum: Forum, aktive: dict[int, Forum], foerste_af_type: dict[str, Forum]) -> Forum | None:
    if forum.overordnet_id in aktive and forum.overordnet_id != forum.pk:
        return aktive[forum.overordnet_id]
    for type_ in _STANDARD_OVERORDNET.get(forum.type, ()):
        kandidat = foerste_af_type.get(type_)
        if kandidat is not None and kandidat.pk != forum.pk:
            return kandidat
    return None


def _uden_ring(foraeldre: dict[int, Forum | None]) -> dict[int, Forum | None]:
    """Cut any cycle in `overordnet` (bad data must not hang the page): the body closing it becomes a root."""
    for pk in list(foraeldre):
        besoegt: set[int] = set()
        nuvaerende = pk
        while nuvaerende is not None and foraeldre.get(nuvaerende) is not None:
            if nuvaerende in besoegt:
                foraeldre[nuvaerende] = None
                break
            besoegt.add(nuvaerende)
            nuvaerende = foraeldre[nuvaerende].pk
    return foraeldre


def _knuder(fora: list[Forum], boern_af: dict[int | None, list[Forum]]) -> list[Knude]:
    """Boxes for `fora` and, recursively, their children; cluster levels grouped by cluster, the
    sundhedsråd side by side under one heading box, as the clusters are."""
    resultat: list[Knude] = []
    grupper: dict[str, Knude] = {}
    klynger: dict[int, Knude] = {}
    klyngegruppe: Knude | None = None
    raadsgruppe: Knude | None = None
    for forum in _efter_type(fora):
        knude = Knude(
            titel=forum.navn,
            forum=forum,
            beskrivelse=_BESKRIVELSE.get(forum.type, ""),
            boern=_knuder(boern_af.get(forum.pk, []), boern_af),
        )
        if forum.type in KLYNGE_FORA and forum.klynge_id:
            if klyngegruppe is None:
                klyngegruppe = Knude(
                    titel="Sundhedsklynger",
                    beskrivelse="Populationsansvar omkring hvert akuthospital",
                    er_klyngegruppe=True,
                )
                resultat.append(klyngegruppe)
            if forum.klynge_id not in klynger:
                klynger[forum.klynge_id] = Knude(
                    titel=forum.klynge.navn, klynge=forum.klynge, beskrivelse=forum.klynge.akuthospital.navn
                )
                klyngegruppe.boern.append(klynger[forum.klynge_id])
            knude.titel = KLYNGENIVEAU.get(forum.type, forum.navn)
            klynger[forum.klynge_id].boern.append(knude)
        elif forum.type == ForumType.SUNDHEDSRAAD:
            if raadsgruppe is None:
                raadsgruppe = Knude(
                    titel="Sundhedsråd",
                    beskrivelse="Populationsansvar omkring hvert akuthospital",
                    er_klyngegruppe=True,
                )
                resultat.append(raadsgruppe)
            if forum.klynge_id:
                knude.beskrivelse = forum.klynge.akuthospital.navn
            raadsgruppe.boern.append(knude)
        elif forum.type in _GRUPPERES:
            if forum.type not in grupper:
                grupper[forum.type] = Knude(titel=_GRUPPERES[forum.type])
                resultat.append(grupper[forum.type])
            grupper[forum.type].boern.append(knude)
        else:
            resultat.append(knude)
    if klyngegruppe is not None:
        klyngegruppe.boern.sort(key=lambda k: k.titel)
        for k in klyngegruppe.boern:
            k.boern.sort(key=lambda n: (n.forum.type != ForumType.KLYNGE_POLITISK, n.titel))
    if raadsgruppe is not None:
        raadsgruppe.boern.sort(key=lambda k: k.titel)
    # Single bodies first (the steering group under the committee), then the groups, clusters last.
    resultat.sort(key=lambda k: (k.er_klyngegruppe, k.er_gruppe))
    return resultat


def organisationsoversigt(dato: datetime.date | None = None) -> Organisationsoversigt:
    """The organisation on `dato` (today): the diagram, every body by kind, preparatory, coming and
    archived bodies, and who recommends agreements. Four queries: the fora, their successors, their
    predecessors, the recommending bodies.

    The diagram follows `Forum.overordnet`; a body without one is placed by its kind (a theme group
    under the steering group, a cluster level under the committee), so the picture holds even when
    the data is incomplete.
    """
    dato = dato or timezone.localdate()
    alle = list(
        Forum.objects.select_related("klynge__akuthospital", "part")
        .prefetch_related(*_henvisninger(Forum))
        .order_by("sortering", "navn")
    )
    indstillende_pk = set(indstillende_fora(dato).values_list("pk", flat=True))
    tilstande = {f.pk: tilstand(f, dato) for f in alle}
    aktive = [f for f in alle if tilstande[f.pk] == AKTIV]
    arkiverede = [f for f in alle if tilstande[f.pk] == ARKIVERET]
    kommende = [f for f in alle if tilstande[f.pk] == KOMMENDE]
    forberedende = [f for f in alle if tilstande[f.pk] == FORBEREDENDE]

    raad = [f for f in aktive if f.type in RAAD_FORA]
    i_diagram = [f for f in aktive if f.type not in RAAD_FORA]
    efter_pk = {f.pk: f for f in i_diagram}
    foerste_af_type: dict[str, Forum] = {}
    for f in i_diagram:
        foerste_af_type.setdefault(f.type, f)
    foraeldre = _uden_ring({f.pk: _overordnet(f, efter_pk, foerste_af_type) for f in i_diagram})
    boern_af: dict[int | None, list[Forum]] = {}
    for f in i_diagram:
        far = foraeldre[f.pk]
        boern_af.setdefault(far.pk if far else None, []).append(f)

    grupperet: dict[str, list[Forum]] = {}
    for f in aktive:
        grupperet.setdefault(f.type, []).append(f)
    efter_type = [
        Typegruppe(
            titel=TYPE_FLERTAL.get(t, t),
            type=t,
            fora=sorted(fora, key=lambda f: f.navn) if t in KLYNGE_FORA | RAAD_FORA else _sorteret(fora),
        )
        for t, fora in sorted(grupperet.items(), key=lambda p: _TYPE_RAEKKEFOELGE.get(p[0], 99))
    ]
    return Organisationsoversigt(
        roedder=_knuder(boern_af.get(None, []), boern_af),
        regionsraad=sorted((f for f in raad if f.type == ForumType.REGIONSRAAD), key=lambda f: f.navn),
        kommunalbestyrelser=sorted(
            (f for f in raad if f.type == ForumType.KOMMUNALBESTYRELSE),
            key=lambda f: (f.part.navn if f.part else f.navn),
        ),
        efter_type=efter_type,
        arkiverede=sorted(arkiverede, key=lambda f: (-f.valid_to.toordinal(), f.navn)),
        kommende=sorted(kommende, key=lambda f: (f.valid_from, f.navn)),
        forberedende=sorted(forberedende, key=lambda f: (f.valid_from, f.navn)),
        indstillende=[f for f in aktive if f.pk in indstillende_pk],
    )


def medlemskaber_for_bruger(bruger) -> QuerySet[Medlemskab]:
    return (
        Medlemskab.objects.aktive()
        .filter(person__bruger=bruger)
        .select_related("forum", "forum__klynge", "forum__part", "repraesenterer")
    )


def kapabiliteter_for_bruger(bruger) -> list[dict]:
    """Each capability the user holds, with the objects it applies to (for 'Mine opgaver')."""
    resultat = []
    for kap in permissions.KAPABILITETER.values():
        if kap.omfang == permissions.GLOBAL:
            if permissions.har(bruger, kap.kode):
                resultat.append({"kapabilitet": kap, "objekter": None})
        else:
            objekter = list(permissions.objekter(bruger, kap.kode))
            if objekter:
                resultat.append({"kapabilitet": kap, "objekter": objekter})
    return resultat


def indstillende_fora(dato: datetime.date | None = None) -> QuerySet[Forum]:
    """The fora that may recommend agreements to the councils on `dato` (today): those the data
    names for that day (Indstillingsret) and in existence that day."""
    return Forum.objects.aktive(dato).filter(
        pk__in=Indstillingsret.objects.aktive(dato).values("forum_id")
    )


def indstillingsperioder() -> list[Indstillingsret]:
    """Every period in which a body recommends agreements, oldest first: the permissions page."""
    return list(Indstillingsret.objects.select_related("forum").order_by("valid_from", "forum__navn"))
