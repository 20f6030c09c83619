"""The agreements' part of a structure change (organisation.strukturaendring): implementation rows
of an ending cluster continue under its successor areas, the old row kept as history."""

from __future__ import annotations

import datetime

from django.utils import timezone

from aftaler.choices import Status
from aftaler.models import Implementering
from organisation.models import Klynge, Ophoer
from organisation.strukturaendring import Plan
from sundhed.services import haendelse_registrer


def _fortsaettelse(impl: Implementering, efterfoelger: Klynge, dato: datetime.date) -> Implementering:
    """The successor's row for `impl`, carrying status and note, pointing back at `impl`."""
    ny, _oprettet = Implementering.objects.get_or_create(
        aftale_id=impl.aftale_id, klynge=efterfoelger,
        defaults={"status": impl.status, "note": impl.note, "forgaenger": impl, "fortsat_fra": dato,
                  "opdateret_af_id": impl.opdateret_af_id, "opdateret_af_navn": impl.opdateret_af_navn,
                  "opdateret": timezone.now()},
    )
    return ny


def implementeringer(plan: Plan, udfoer: bool) -> tuple[str, list[str]]:
    """Carry-over step: every implementation row of an ending cluster, for agreements not repealed."""
    afloest = {a.forgaenger.pk: a.efterfoelgere for a in plan.afloesninger
               if isinstance(a.forgaenger, Klynge) and a.efterfoelgere}
    raekker = (Implementering.objects.filter(klynge_id__in=afloest).exclude(aftale__status=Status.OPHAEVET)
               .select_related("aftale", "klynge").order_by("klynge__navn", "aftale__titel"))
    linjer = []
    for impl in raekker:
        for efterfoelger in afloest[impl.klynge_id]:
            linjer.append(f"{impl.aftale.titel}: {impl.klynge.navn} ({impl.get_status_display().lower()}) "
                          f"fortsætter som {efterfoelger.navn}")
            if udfoer:
                _fortsaettelse(impl, efterfoelger, plan.dato)
    if udfoer and linjer:
        for aftale_id in {impl.aftale_id for impl in raekker}:
            aftale = next(impl.aftale for impl in raekker if impl.aftale_id == aftale_id)
            haendelse_registrer(bruger=None, handling="implementering_videreført", objekt=aftale,
                                data={"dato": plan.dato.isoformat()})
    return "Implementering af samarbejdsaftaler", linjer


def fortsaet_nye(impl: Implementering) -> list[Implementering]:
    """A row created for a cluster after its structure change ran (an agreement published late in
    its last days) continues at once under the cluster's successors."""
    try:
        ophoer = impl.klynge.ophoer
    except Ophoer.DoesNotExist:
        return []
    return [_fortsaettelse(impl, e, ophoer.aendring.dato) for e in impl.klynge.efterfoelgere.all()]
