"""A structure change run by an administrator, without code: bodies end, successors take over.

The 2027 reform is the first (five sundhedsråd replace the clusters and the committee), but nothing
here knows it: an administrator chooses the ending bodies (fora and clusters), each one's successors
and the date the successors take over, previews exactly what will happen, and runs it.

Running it, in one transaction with one audit row (`Strukturaendring`, plus a `Haendelse`):
- the ending bodies end the day before the date (`valid_to`), and so do their open memberships;
- each ending body names its successors (`efterfoelgere`), so pages link forward and back;
- the apps that build on the structure carry their rows over (`registrer_videreforsel`): the
  agreements' implementation rows continue under the successor area, with their history kept;
- capabilities follow memberships by date (sundhed.permissions): from the date, the successors'
  members hold what the ended bodies' members held; the hourly sync and a sync on commit apply it.

A body ends once (`Ophoer` is unique per body), so the same change run twice is refused, even when two
administrators press the button at the same moment. Nothing is deleted.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from organisation import tasks
from organisation.models import Forum, Klynge, Medlemskab, Ophoer, Strukturaendring
from sundhed import dansk, permissions
from sundhed.exceptions import DomainError
from sundhed.services import haendelse_registrer, navn_paa
from sundhed.tasks import enqueue

Organ = Forum | Klynge


@dataclass(frozen=True)
class Afloesning:
    """One ending body and the bodies (of the same kind) that take over its tasks."""

    forgaenger: Organ
    efterfoelgere: tuple[Organ, ...] = ()


@dataclass
class Rettighed:
    """A capability a person holds through a seat, on a scope object (or globally)."""

    bruger: str
    kapabilitet: str
    omfang: str

    def __str__(self) -> str:
        return f"{self.bruger}: {self.kapabilitet}{f' ({self.omfang})' if self.omfang else ''}"


@dataclass
class Plan:
    """What a change will do, computed without writing anything: the preview shows it, running it does it."""

    dato: datetime.date
    beskrivelse: str
    afloesninger: list[Afloesning]
    ophoerer: list[Organ] = field(default_factory=list)  # bodies whose valid_to moves to the day before
    medlemskaber: list[Medlemskab] = field(default_factory=list)  # open seats that end
    videreforsler: list[tuple[str, list[str]]] = field(default_factory=list)  # (heading, lines) per app
    mister: list[Rettighed] = field(default_factory=list)
    faar: list[Rettighed] = field(default_factory=list)

    @property
    def sidste_dag(self) -> datetime.date:
        return self.dato - datetime.timedelta(days=1)


# --- the steps of the apps that build on the structure -----------------------------------------------

# A carry-over step: step(plan, udfoer=False) -> (heading, lines describing what it does / did).
Videreforsel = Callable[[Plan, bool], tuple[str, list[str]]]
_VIDEREFORSLER: list[Videreforsel] = []


def registrer_videreforsel(trin: Videreforsel) -> Videreforsel:
    """Let an app that builds on the structure carry its rows over (called from its AppConfig.ready)."""
    if trin not in _VIDEREFORSLER:
        _VIDEREFORSLER.append(trin)
    return trin


# --- planning -------------------------------------------------------------------------------------------


def _navn(organ: Organ) -> str:
    return organ.navn


def _kontroller(dato: datetime.date | None, afloesninger: list[Afloesning]) -> datetime.date:
    if dato is None:
        raise DomainError("Angiv datoen, hvor efterfølgerne overtager.", field="dato")
    if not afloesninger:
        raise DomainError("Vælg mindst ét organ, der ophører.", field="ophoerer")
    sidste_dag = dato - datetime.timedelta(days=1)
    ophoerende = {(type(a.forgaenger), a.forgaenger.pk) for a in afloesninger}
    for a in afloesninger:
        gammel = a.forgaenger
        if hasattr(gammel, "ophoer"):
            raise DomainError(
                f"{gammel.navn} er allerede afløst ved strukturændringen «{gammel.ophoer.aendring.beskrivelse}». "
                "En strukturændring kan kun gennemføres én gang.", field="ophoerer")
        if gammel.valid_from > sidste_dag:
            raise DomainError(f"{gammel.navn} træder først i kraft {dansk.dato(gammel.valid_from)} og kan ikke "
                              f"ophøre {dansk.dato(sidste_dag)}.", field="dato")
        if gammel.valid_to is not None and gammel.valid_to < sidste_dag:
            raise DomainError(f"{gammel.navn} ophørte allerede {dansk.dato(gammel.valid_to)}.", field="ophoerer")
        for ny in a.efterfoelgere:
            if type(ny) is not type(gammel):
                raise DomainError(f"{gammel.navn} kan kun afløses af et organ af samme slags.", field="efterfoelgere")
            if (type(ny), ny.pk) in ophoerende:
                raise DomainError(f"{ny.navn} ophører selv og kan ikke afløse {gammel.navn}.",
                                  field="efterfoelgere")
            if not ny.er_aktiv(dato):
                raise DomainError(f"{ny.navn} er ikke i kraft {dansk.dato(dato)} og kan ikke afløse {gammel.navn}.",
                                  field="efterfoelgere")
    # A cluster that ends takes its levels with it: a level left open would keep its members' powers
    # over an area that no longer exists.
    ophoerende_fora = {a.forgaenger.pk for a in afloesninger if isinstance(a.forgaenger, Forum)}
    for a in afloesninger:
        if isinstance(a.forgaenger, Klynge):
            aabne = [f.navn for f in a.forgaenger.fora.aktive(sidste_dag).order_by("navn")
                     if f.pk not in ophoerende_fora and (f.valid_to is None or f.valid_to >= dato)]
            if aabne:
                raise DomainError(f"Når {a.forgaenger.navn} ophører, skal også dens fora ophøre: "
                                  f"{', '.join(aabne)}.", field="ophoerer")
    return dato


def _rettigheder(medlemskaber: Iterable[Medlemskab]) -> list[Rettighed]:
    resultat: list[Rettighed] = []
    for m in medlemskaber:
        if m.person.bruger_id is None:
            continue
        for kap in permissions.kapabiliteter_for(m.forum, m.rolle):
            objekt = permissions.omfangsobjekt(m.forum, kap.omfang)
            resultat.append(Rettighed(m.person.bruger.get_username(), kap.navn, str(objekt) if objekt else ""))
    return resultat


def strukturaendring_planlaeg(*, dato: datetime.date | None, afloesninger: list[Afloesning],
                              beskrivelse: str = "") -> Plan:
    """Validate a change and compute what running it would do; writes nothing."""
    dato = _kontroller(dato, afloesninger)
    plan = Plan(dato=dato, beskrivelse=(beskrivelse or "").strip() or f"Strukturændring {dansk.dato(dato)}",
                afloesninger=afloesninger)
    plan.ophoerer = [a.forgaenger for a in afloesninger
                     if a.forgaenger.valid_to is None or a.forgaenger.valid_to > plan.sidste_dag]
    fora = [a.forgaenger for a in afloesninger if isinstance(a.forgaenger, Forum)]
    plan.medlemskaber = list(
        Medlemskab.objects.filter(forum__in=fora).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=plan.sidste_dag))
        .select_related("person", "person__bruger", "forum", "forum__klynge", "forum__part")
        .order_by("forum__navn", "person__navn")
    )
    fremtidige = [m for m in plan.medlemskaber if m.valid_from > plan.sidste_dag]
    if fremtidige:
        raise DomainError(
            "Nogle medlemskaber begynder først efter ophøret; ret eller slet dem først: "
            + ", ".join(str(m) for m in fremtidige[:5]), field="ophoerer")
    # Capabilities: what the ended bodies' members held the day before, and what the successors'
    # members hold on the date.
    plan.mister = _rettigheder(
        Medlemskab.objects.aktive(plan.sidste_dag).filter(forum__in=fora)
        .select_related("person__bruger", "forum__klynge", "forum__part").order_by("forum__navn", "person__navn"))
    nye_fora = [e for a in afloesninger if isinstance(a.forgaenger, Forum) for e in a.efterfoelgere]
    plan.faar = _rettigheder(
        Medlemskab.objects.aktive(dato).filter(forum__in=nye_fora)
        .select_related("person__bruger", "forum__klynge", "forum__part").order_by("forum__navn", "person__navn"))
    plan.videreforsler = [trin(plan, False) for trin in _VIDEREFORSLER]
    return plan


# --- running ----------------------------------------------------------------------------------------


@transaction.atomic
def strukturaendring_udfoer(*, dato: datetime.date | None, afloesninger: list[Afloesning], bruger,
                            beskrivelse: str = "") -> Strukturaendring:
    """Run a change: one transaction, one audit row; refused if any of its bodies has ended by one before."""
    if bruger is not None:  # None: the demo loader
        permissions.kraev(bruger, "administrere_struktur")
    # Lock the ending bodies so two administrators running the same change queue up here.
    for a in afloesninger:
        type(a.forgaenger).objects.select_for_update().filter(pk=a.forgaenger.pk).first()
        a.forgaenger.refresh_from_db()
    plan = strukturaendring_planlaeg(dato=dato, afloesninger=afloesninger, beskrivelse=beskrivelse)

    aendring = Strukturaendring.objects.create(
        dato=plan.dato, beskrivelse=plan.beskrivelse[:300], udfoert_af=bruger if bruger else None,
        udfoert_af_navn=navn_paa(bruger),
    )
    try:
        with transaction.atomic():
            for a in afloesninger:
                Ophoer.objects.create(
                    aendring=aendring,
                    forum=a.forgaenger if isinstance(a.forgaenger, Forum) else None,
                    klynge=a.forgaenger if isinstance(a.forgaenger, Klynge) else None,
                    efterfoelgere=[e.navn for e in a.efterfoelgere],
                )
    except IntegrityError as exc:
        raise DomainError("Strukturændringen er allerede gennemført for et af organerne.", field="ophoerer") from exc

    for organ in plan.ophoerer:
        organ.valid_to = plan.sidste_dag
        organ.full_clean()
        organ.save(update_fields=["valid_to"])
    for m in plan.medlemskaber:
        m.valid_to = plan.sidste_dag
        m.save(update_fields=["valid_to"])
    for a in afloesninger:
        a.forgaenger.efterfoelgere.add(*a.efterfoelgere)
    udfoert = [trin(plan, True) for trin in _VIDEREFORSLER]

    aendring.plan = {
        "ophoerer": [{"navn": a.forgaenger.navn, "slug": a.forgaenger.slug,
                      "type": a.forgaenger._meta.model_name,
                      "efterfoelgere": [e.navn for e in a.efterfoelgere]} for a in afloesninger],
        "sidste_dag": plan.sidste_dag.isoformat(),
        "medlemskaber_afsluttet": [str(m) for m in plan.medlemskaber],
        "videreforsler": [{"overskrift": o, "linjer": linjer} for o, linjer in udfoert],
        "rettigheder_ophoerer": [str(r) for r in plan.mister],
        "rettigheder_begynder": [str(r) for r in plan.faar],
    }
    aendring.save(update_fields=["plan"])
    haendelse_registrer(bruger=bruger, handling="strukturaendring", objekt=aendring,
                        data={"dato": plan.dato.isoformat(), "ophoerer": [a.forgaenger.slug for a in afloesninger]})
    enqueue(tasks.synkroniser_rettigheder)
    return aendring
