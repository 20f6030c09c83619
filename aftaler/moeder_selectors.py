"""Reads about agreements dealt with at meetings: which agreement an agenda item concerns, as a reader
may see it (organisation knows nothing of agreements, so these live here)."""

from __future__ import annotations

from aftaler import policies
from aftaler.models import Behandling, Dagsordensag


def punkter_med_sager(bruger, punkter: list) -> list:
    """Give each item `sag_aftale` (the agreement it concerns, if `bruger` may read it, else None) and
    `sag_udfald` (its Behandling's outcome, or None), in at most three queries whatever their number.
    Whether a closed item shows them is the caller's to decide (`lukket_for_laeser`)."""
    pks = [p.pk for p in punkter if getattr(p, "pk", None)]
    sager = dict(Dagsordensag.objects.filter(punkt_id__in=pks).values_list("punkt_id", "aftale_id")) if pks else {}
    synlige = policies.synlige_aftaler(bruger).filter(pk__in=set(sager.values())).only("pk", "slug", "titel") \
        if sager else []
    aftaler = {a.pk: a for a in synlige}
    udfald = dict(Behandling.objects.filter(dagsordenpunkt_id__in=pks).values_list("dagsordenpunkt_id", "udfald")) \
        if sager else {}
    for p in punkter:
        if getattr(p, "pk", None):
            p.sag_aftale = aftaler.get(sager.get(p.pk))
            p.sag_udfald = udfald.get(p.pk)
    return punkter
