"""Template helpers for the public agreement pages, and the agreement lists on the public cluster
and forum pages:

    {% load offentlig %}
    {% aftaler_for_klynge klynge %}   agreements the cluster implements (with status) and its local ones
    {% aftaler_for_forum forum %}     agreements the forum owns
"""

from __future__ import annotations

from django import template

from aftaler import opendata
from aftaler.choices import OFFENTLIGE_STATUS, Omfang, Status
from aftaler.models import Implementering

register = template.Library()

_STATUS_BADGE = {
    Status.INDSTILLET: "badge-info",
    Status.GODKENDT: "badge-info",
    Status.I_KRAFT: "badge-success",
    Status.OPHAEVET: "badge-warning",
}


@register.filter
def offentlig_status(aftale) -> str:
    """The state as the public sees it (an agreement under revision is in force)."""
    return opendata.statustekst(aftale)


@register.filter
def status_badge(aftale) -> str:
    return _STATUS_BADGE.get(opendata.offentlig_status(aftale), "badge-info")


@register.filter
def under_revision(aftale) -> bool:
    return opendata.har_gaeldende_version(aftale)


@register.filter
def beslutning_tekst(beslutning: str | None) -> str:
    return {"godkendt": "Godkendt", "afvist": "Afvist", "udsat": "Udsat"}.get(beslutning or "", "Afventer")


@register.filter
def beslutning_badge(beslutning: str | None) -> str:
    return {"godkendt": "badge-success", "afvist": "badge-error", "udsat": "badge-warning"}.get(beslutning or "",
                                                                                                "badge-info")


@register.filter
def filstoerrelse(antal: int) -> str:
    if antal >= 1024 * 1024:
        return f"{antal / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(antal / 1024))} kB"


@register.inclusion_tag("aftaler/offentlig/_klynge_aftaler.html")
def aftaler_for_klynge(klynge) -> dict:
    """Two queries: the implementation rows of the cluster's public agreements, and its local ones."""
    implementeringer = list(
        Implementering.objects.filter(klynge=klynge)
        .filter(aftale__in=opendata.offentlige_aftaler().filter(omfang=Omfang.REGIONAL))
        .select_related("aftale").only("status", "opdateret", "aftale__titel", "aftale__slug", "aftale__status",
                                       "aftale__offentliggjort_version_id", "aftale__ikrafttraedelse", "klynge_id")
        .order_by("aftale__titel"))
    lokale = list(opendata.offentlige_aftaler().filter(omfang=Omfang.LOKAL, klynge=klynge)
                  .only("titel", "slug", "status", "offentliggjort_version_id", "ikrafttraedelse").order_by("titel"))
    lokale_impl = {i.aftale_id: i for i in Implementering.objects.filter(klynge=klynge,
                                                                         aftale__in=[a.pk for a in lokale])}
    for a in lokale:
        a.implementering = lokale_impl.get(a.pk)
    return {"klynge": klynge, "implementeringer": implementeringer, "lokale": lokale,
            "offentlige_status": OFFENTLIGE_STATUS}


@register.inclusion_tag("aftaler/offentlig/_forum_aftaler.html")
def aftaler_for_forum(forum) -> dict:
    """One query: the public agreements the forum owns."""
    aftaler = list(opendata.offentlige_aftaler().filter(ejer_forum=forum).select_related("klynge")
                   .only("titel", "slug", "status", "offentliggjort_version_id", "omfang", "klynge__navn",
                         "ikrafttraedelse").order_by("titel"))
    return {"forum": forum, "aftaler": aftaler}
