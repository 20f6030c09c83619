"""Reads of meetings for the pages, the feeds, iCal and the API: what each reader may see, in a constant
number of queries. A closed item reaches the public only as its number (`LukketPunkt`): its title and
texts never leave the database for a reader who may not see them.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from organisation import policies
from organisation.models import (
    Dagsordenpunkt,
    Forum,
    Kalenderadgang,
    Klynge,
    Medlemskab,
    Moede,
    MoedeStatus,
    Punktbilag,
)

LUKKET = "Lukket punkt"
ANTAL_SENESTE = 20


@dataclass
class LukketPunkt:
    """What the public sees of a closed item."""

    nummer: int
    pk: int | None = None
    aaben: bool = False
    lukket_for_laeser: bool = True
    titel: str = LUKKET
    vist_bilag: list = field(default_factory=list)


def _med_forum(qs: QuerySet[Moede]) -> QuerySet[Moede]:
    return qs.select_related("forum", "forum__klynge")


def _dagens_start() -> datetime.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def filtrer(qs: QuerySet[Moede], *, forum: Forum | None = None, klynge: Klynge | None = None) -> QuerySet[Moede]:
    if forum is not None:
        qs = qs.filter(forum=forum)
    if klynge is not None:
        qs = qs.filter(forum__klynge=klynge)
    return qs


def kommende(bruger, **filtre) -> QuerySet[Moede]:
    """Coming meetings `bruger` may read (the public: agenda published or cancelled), soonest first."""
    qs = policies.synlige_moeder(bruger, Moede.objects.filter(slut__gte=_dagens_start()))
    return _med_forum(filtrer(qs, **filtre)).order_by("start", "pk")


def afholdte(bruger, antal: int = ANTAL_SENESTE, **filtre) -> list[Moede]:
    """The latest meetings that have been held (or were cancelled), newest first."""
    qs = policies.synlige_moeder(bruger, Moede.objects.filter(slut__lt=_dagens_start()))
    return list(_med_forum(filtrer(qs, **filtre)).order_by("-start", "-pk")[:antal])


def forummets(bruger, forum: Forum) -> QuerySet[Moede]:
    return _med_forum(policies.synlige_moeder(bruger, forum.moeder.all())).order_by("-start", "-pk")


def offentlige(qs: QuerySet[Moede] | None = None) -> QuerySet[Moede]:
    qs = Moede.objects.all() if qs is None else qs
    return _med_forum(qs.filter(policies.offentlige_moeder_q()))


def filtervalg() -> tuple[list[Forum], list[Klynge]]:
    """The fora that have public meetings and the clusters of those fora, for the list's filter."""
    fora = list(Forum.objects.filter(moeder__in=Moede.objects.filter(policies.offentlige_moeder_q()))
                .distinct().select_related("klynge").order_by("sortering", "navn"))
    klynger = sorted({f.klynge for f in fora if f.klynge is not None}, key=lambda k: k.navn)
    return fora, klynger


def moede_til_visning(bruger, pk: int) -> tuple[Moede, bool]:
    """The meeting with its items as `bruger` may see them (`vist_punkter`), and whether they plan it.
    404 for a meeting they may not read."""
    qs = _med_forum(Moede.objects.all()).prefetch_related(
        Prefetch("punkter", queryset=Dagsordenpunkt.objects.order_by("nummer").prefetch_related(
            Prefetch("bilagsfiler", queryset=Punktbilag.objects.order_by("uploadet", "pk")))))
    moede = policies.moede_eller_404(bruger, qs, pk=pk)
    planlaegger = policies.kan_planlaegge_moeder(bruger, moede.forum)
    moede.vist_punkter = punkter_som_vist(moede, planlaegger=planlaegger)
    return moede, planlaegger


def punkter_som_vist(moede: Moede, *, planlaegger: bool) -> list:
    """The items a reader sees: all of them for a planner; for the public none before the agenda is
    published, closed ones as `LukketPunkt`, and decisions only once the minutes are published."""
    punkter = list(moede.punkter.all())
    if planlaegger:
        for p in punkter:
            p.lukket_for_laeser = False
            p.vist_bilag = list(p.bilagsfiler.all())
        return punkter
    if not moede.dagsorden_er_offentlig:
        return []
    vist = []
    for p in punkter:
        if not p.aaben:
            vist.append(LukketPunkt(nummer=p.nummer))
            continue
        p.lukket_for_laeser = False
        p.vist_bilag = list(p.bilagsfiler.all())
        if moede.status != MoedeStatus.REFERAT:
            p.beslutning = p.fravaerende = ""
        vist.append(p)
    return vist


def bilag_for_laeser(bruger, moede_pk: int, bilag_pk: int) -> Punktbilag:
    """An attachment `bruger` may download: a planner's any, the public's only on an open item of a meeting
    whose agenda is published. Http404 otherwise."""
    from django.http import Http404

    bilag = (Punktbilag.objects.select_related("punkt__moede__forum")
             .filter(pk=bilag_pk, punkt__moede_id=moede_pk).first())
    if bilag is None:
        raise Http404
    moede = bilag.punkt.moede
    if policies.kan_planlaegge_moeder(bruger, moede.forum):
        return bilag
    if moede.dagsorden_er_offentlig and bilag.punkt.aaben:
        return bilag
    raise Http404


def feed_poster(antal: int = 50) -> list[tuple[str, Moede, datetime.datetime]]:
    """Published agendas and minutes, newest first: (kind, meeting, when)."""
    dagsordener = list(offentlige(Moede.objects.filter(dagsorden_offentliggjort__isnull=False))
                       .order_by("-dagsorden_offentliggjort", "-pk")[:antal])
    referater = list(offentlige(Moede.objects.filter(status=MoedeStatus.REFERAT, referat_offentliggjort__isnull=False))
                     .order_by("-referat_offentliggjort", "-pk")[:antal])
    poster = [("dagsorden", m, m.dagsorden_offentliggjort) for m in dagsordener]
    poster += [("referat", m, m.referat_offentliggjort) for m in referater]
    poster.sort(key=lambda p: (p[2], p[1].pk), reverse=True)
    return poster[:antal]


def planlaegbare(bruger) -> tuple[list[Moede], list[Moede]]:
    """The meetings `bruger` may plan: coming (soonest first) and the latest held (newest first)."""
    qs = _med_forum(policies.planlaegbare_moeder(bruger))
    graense = _dagens_start()
    return (list(qs.filter(slut__gte=graense).order_by("start", "pk")),
            list(qs.filter(slut__lt=graense).order_by("-start", "-pk")[:ANTAL_SENESTE]))


# --- the personal calendar ---------------------------------------------------------------------------

KALENDER_DAGE_TILBAGE = 365


def noegle_hash(noegle: str) -> str:
    """What is stored of a calendar token (organisation.models.Kalenderadgang)."""
    return hashlib.sha256(noegle.encode()).hexdigest()


def kalenderadgang_for_noegle(noegle: str) -> Kalenderadgang | None:
    """The calendar address `noegle` opens, for an active user; None for a wrong, renewed or revoked one."""
    return (Kalenderadgang.objects.select_related("bruger")
            .filter(noegle_hash=noegle_hash(noegle), bruger__is_active=True).first())


def kalenderadgang(bruger) -> Kalenderadgang | None:
    return Kalenderadgang.objects.filter(bruger=bruger).first() if bruger.is_authenticated else None


def kalender_moeder(bruger) -> list[Moede]:
    """The meetings of `bruger`'s personal calendar from a year back, soonest first, each marked with whether
    the user may open its page (`kan_laeses`: a planned meeting's page is for its planners only)."""
    graense = timezone.now() - datetime.timedelta(days=KALENDER_DAGE_TILBAGE)
    moeder = list(_med_forum(policies.kalendermoeder(bruger, Moede.objects.filter(slut__gte=graense)))
                  .order_by("start", "pk"))
    planlaegger = set(policies.planlaegbare_fora(bruger).values_list("pk", flat=True))
    for m in moeder:
        m.kan_laeses = m.er_offentligt or m.forum_id in planlaegger
    return moeder


def kalender_fora(bruger) -> list[Forum]:
    """The fora whose meetings are in `bruger`'s calendar today (the staff page names them)."""
    sidder_i = Medlemskab.objects.aktive().filter(person__bruger=bruger).values("forum_id")
    return list(Forum.objects.filter(pk__in=sidder_i).order_by("sortering", "navn"))
