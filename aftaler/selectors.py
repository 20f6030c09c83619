"""Reads about agreements that more than one page or endpoint needs."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from aftaler.choices import Beslutning, Omfang
from aftaler.models import AftaleVersion, Godkendelse, Samarbejdsaftale
from organisation.choices import PartType
from organisation.models import Klynge, Part


def paakraevede_parter(aftale: Samarbejdsaftale) -> list[Part]:
    """Who must approve: regional agreements the 19 municipalities and the region; local ones the
    cluster's municipalities and the region; plus any party the secretariat added (e.g. PLO)."""
    return paakraevede_parter_for_mange([aftale])[aftale.pk]


def paakraevede_parter_for_mange(aftaler: list[Samarbejdsaftale]) -> dict[int, list[Part]]:
    """The required parties of many agreements at once, in at most three queries: the one place
    the rule is written (kraevet_af below states it as a filter for one party)."""
    if not aftaler:
        return {}
    aktive = {p.pk: p for p in Part.objects.aktive()}
    kommuner = {pk for pk, p in aktive.items() if p.type == PartType.KOMMUNE}
    regioner = {pk for pk, p in aktive.items() if p.type == PartType.REGION}
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
    # Municipalities first (by name), then the region, then the rest.
    orden = {PartType.KOMMUNE: 0, PartType.REGION: 1}
    resultat = {}
    for a in aftaler:
        egne_kommuner = kommuner & klyngens_kommuner[a.klynge_id] if a.omfang == Omfang.LOKAL else kommuner
        pks = egne_kommuner | regioner | (ekstra[a.pk] & aktive.keys())
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


def berorte_klynger(aftale: Samarbejdsaftale) -> list[Klynge]:
    """The clusters that implement the agreement: all active ones, or the one of a local agreement."""
    if aftale.omfang == Omfang.LOKAL:
        return [aftale.klynge]
    return list(Klynge.objects.aktive().order_by("navn"))


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


def fremdrift(aftale: Samarbejdsaftale, version: AftaleVersion | None = None) -> Fremdrift:
    """Decisions per required party on `version` (default: the current one)."""
    version = version or aftale.aktuel_version
    return _fremdrift_for(aftaler=[aftale], versioner={aftale.pk: version})[aftale.pk]


def fremdrift_for_mange(aftaler: list[Samarbejdsaftale]) -> dict[int, Fremdrift]:
    """Progress on each agreement's current version, in a constant number of queries."""
    return _fremdrift_for(aftaler=aftaler, versioner={a.pk: a.aktuel_version for a in aftaler})


def _fremdrift_for(*, aftaler, versioner: dict) -> dict[int, Fremdrift]:
    parter = paakraevede_parter_for_mange(aftaler)
    pr_version: dict[int, list[Godkendelse]] = defaultdict(list)
    version_ids = [v.pk for v in versioner.values() if v is not None]
    if version_ids:
        for g in (Godkendelse.objects.filter(version_id__in=version_ids)
                  .select_related("part", "version", "registreret_af").order_by("registreret", "id")):
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
