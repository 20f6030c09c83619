"""Reads about agreements that more than one page or endpoint needs."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from aftaler.choices import Beslutning, Omfang
from aftaler.models import AftaleVersion, Godkendelse, Samarbejdsaftale
from organisation.choices import PartType
from organisation.models import Klynge, Part


def paakraevede_parter(aftale: Samarbejdsaftale) -> list[Part]:
    """Who must approve: regional agreements the 19 municipalities and the region; local ones the
    cluster's municipalities and the region; plus any party the secretariat added (e.g. PLO)."""
    if aftale.omfang == Omfang.LOKAL:
        kommuner = Q(type=PartType.KOMMUNE, klynger=aftale.klynge_id)
    else:
        kommuner = Q(type=PartType.KOMMUNE)
    ekstra = Q(pk__in=aftale.ekstra_parter.all().values("pk"))
    parter = Part.objects.aktive().filter(kommuner | Q(type=PartType.REGION) | ekstra).distinct()
    # Municipalities first (by name), then the region, then the rest.
    orden = {PartType.KOMMUNE: 0, PartType.REGION: 1}
    return sorted(parter, key=lambda p: (orden.get(p.type, 2), p.navn))


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
    """Decisions per required party on `version` (default: the current one), in three queries."""
    version = version or aftale.aktuel_version
    parter = paakraevede_parter(aftale)
    status = {p.pk: Partstatus(part=p) for p in parter}
    if version is not None:
        for g in Godkendelse.objects.filter(version=version).select_related("registreret_af").order_by(
            "registreret", "id"
        ):
            ps = status.get(g.part_id)
            if ps is None:
                continue
            ps.historik.append(g)
            if g.beslutning in (Beslutning.GODKENDT, Beslutning.AFVIST):
                ps.endelig = g
    return Fremdrift(version=version, parter=list(status.values()))


def aftaler_med_detaljer() -> QuerySet[Samarbejdsaftale]:
    return Samarbejdsaftale.objects.select_related(
        "indsatsomraade", "ejer_forum", "klynge", "aktuel_version", "offentliggjort_version", "proevehandling"
    )
