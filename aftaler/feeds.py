"""Atom feeds: /feeds/aftaler/ (new agreements, new versions, status changes) and one per cluster
(/feeds/klynger/<slug>/: the same for the agreements that apply there, plus its implementation).

An entry is a recorded transition into a public state (recommended, approved, in force,
repealed) of a version the public may read; drafts and a revision's drafts never appear.

Every entry's text is plain text (resumé, implementation notes written by cluster members) and
goes out as <summary type="text"> (TekstAtomFeed): a feed reader shows it as written and never
parses it as markup. Should a feed ever carry HTML, it must first go through
aftaler.sanitize.rens_html, the same allow-list as the pages.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, F, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from aftaler import stempler
from aftaler.choices import OFFENTLIGE_STATUS, ImplementeringStatus, Omfang, Status
from aftaler.models import Implementering, Overgang, offentlig_q
from aftaler.workflow import AUTOMATISK_GODKENDT, Handling
from organisation.models import Klynge
from sundhed import dansk
from sundhed.betinget import betinget_svar
from sundhed.feeds import PortalFeed

ANTAL = 50


def offentlige_overgange():
    """Transitions into a public state of versions that are public now, newest first."""
    offentlig_aftale = offentlig_q("aftale__")
    offentlig_version = Q(aftale__status__in=OFFENTLIGE_STATUS) | Q(
        version__nummer__lte=F("aftale__offentliggjort_version__nummer"))
    return (Overgang.objects.filter(til_status__in=OFFENTLIGE_STATUS).filter(offentlig_aftale)
            .filter(offentlig_version)
            .select_related("aftale", "version")
            .only("handling", "til_status", "tidspunkt", "aftale__titel", "aftale__slug", "aftale__resume",
                  "aftale__ikrafttraedelse", "aftale__beslutningsfrist", "version__nummer")
            .order_by("-tidspunkt", "-id"))


def _overgang_titel(o: Overgang) -> str:
    # Publication says "offentliggjort": the agreement may enter into force on a later date.
    tilstand = "offentliggjort" if o.handling == Handling.OFFENTLIGGOER else Status(o.til_status).label.lower()
    return f"{o.aftale.titel}: {tilstand}"


def _overgang_tekst(o: Overgang) -> str:
    n = o.version.nummer if o.version else None
    version = f"Version {n}" if n else "Aftalen"
    if o.handling == Handling.INDSTIL:
        tekst = (f"{version} er indstillet til godkendelse i kommunalbestyrelserne og regionsrådet"
                 f"{' (ny version af en gældende aftale)' if n and n > 1 else ''}.")
    elif o.handling == AUTOMATISK_GODKENDT:
        tekst = f"{version} er godkendt af alle parter."
    elif o.handling == Handling.OFFENTLIGGOER:
        dato = o.aftale.ikrafttraedelse
        tekst = f"{version} er offentliggjort" + (f" og træder i kraft {dansk.dato(dato)}." if dato else ".")
    elif o.handling == Handling.OPHAEV:
        tekst = "Aftalen er ophævet. Den kan stadig læses."
    else:
        tekst = f"Ny status: {Status(o.til_status).label}."
    return f"{tekst} {o.aftale.resume}".strip()


class AftaleFeed(PortalFeed):
    """New, changed and re-stated agreements, newest first."""

    title = "Samarbejdsaftaler – Sundhedssamarbejdet i Region Midtjylland"
    subtitle = "Nye og ændrede samarbejdsaftaler og deres statusskift: indstillet, godkendt, i kraft, ophævet."

    def link(self) -> str:
        return reverse("aftale-liste")

    def feed_url(self) -> str:
        return reverse("feed-aftaler")

    def items(self):
        return list(offentlige_overgange()[:ANTAL])

    def item_title(self, item) -> str:
        return _overgang_titel(item)

    def item_description(self, item) -> str:
        return _overgang_tekst(item)

    def item_link(self, item) -> str:
        return reverse("aftale-detalje", args=[item.aftale.slug])

    def item_guid(self, item) -> str:
        return f"{self.basis}{self.item_link(item)}#overgang-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.tidspunkt

    def item_updateddate(self, item):
        return item.tidspunkt

    def item_categories(self, item):
        return [Status(item.til_status).label]


class KlyngeFeed(AftaleFeed):
    """The agreements that apply in one cluster (regional and its local ones) and its implementation."""

    def get_object(self, request, slug: str) -> Klynge:
        # An ended cluster's feed stays at its address (the 2022 structure stays readable).
        return get_object_or_404(Klynge.objects.all(), slug=slug)

    def title(self, obj: Klynge) -> str:
        return f"Samarbejdsaftaler i {obj.navn}"

    def subtitle(self, obj: Klynge) -> str:
        return f"Aftaler, der gælder i {obj.navn}: statusskift og klyngens implementering."

    def link(self, obj: Klynge) -> str:
        return reverse("klynge-detalje", args=[obj.slug])

    def feed_url(self, obj: Klynge) -> str:
        return reverse("feed-klynge", args=[obj.slug])

    def items(self, obj: Klynge):
        overgange = list(offentlige_overgange().filter(Q(aftale__omfang=Omfang.REGIONAL) | Q(aftale__klynge=obj))
                         [:ANTAL])
        implementeringer = list(
            Implementering.objects.filter(klynge=obj).exclude(status=ImplementeringStatus.IKKE_STARTET)
            .filter(offentlig_q("aftale__"))
            .select_related("aftale", "klynge").only("status", "note", "opdateret", "aftale__titel", "aftale__slug",
                                                     "klynge__navn")
            .order_by("-opdateret", "-id")[:ANTAL])
        alle = overgange + implementeringer
        alle.sort(key=lambda x: x.tidspunkt if isinstance(x, Overgang) else x.opdateret, reverse=True)
        return alle[:ANTAL]

    def item_title(self, item) -> str:
        if isinstance(item, Implementering):
            return f"{item.aftale.titel}: {item.get_status_display().lower()} i {item.klynge.navn}"
        return _overgang_titel(item)

    def item_description(self, item) -> str:
        if isinstance(item, Implementering):
            return (f"{item.klynge.navn} har meldt implementeringen: {item.get_status_display().lower()}. "
                    f"{item.note}").strip()
        return _overgang_tekst(item)

    def item_guid(self, item) -> str:
        if isinstance(item, Implementering):
            return f"{self.basis}{self.item_link(item)}#implementering-{item.pk}-{item.opdateret.timestamp():.0f}"
        return super().item_guid(item)

    def item_pubdate(self, item):
        return item.opdateret if isinstance(item, Implementering) else item.tidspunkt

    item_updateddate = item_pubdate

    def item_categories(self, item):
        if isinstance(item, Implementering):
            return ["Implementering"]
        return [Status(item.til_status).label]


def _noegle(*dele) -> str:
    return hashlib.sha1(repr(dele).encode(), usedforsecurity=False).hexdigest()[:20]


@require_safe
def aftaler_feed(request: HttpRequest) -> HttpResponse:
    # Every transition bumps its agreement's `opdateret`, so the global stamp covers the feed.
    stempel = stempler.global_stempel()
    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret,
                         lav_svar=lambda: AftaleFeed()(request))


@require_safe
def klynge_feed(request: HttpRequest, slug: str) -> HttpResponse:
    klynge = Klynge.objects.filter(slug=slug).only("pk").first()  # ended clusters too: their feeds stay
    if klynge is None:
        raise Http404("Klyngen findes ikke.")
    stempel = stempler.global_stempel()
    impl = tuple(Implementering.objects.filter(klynge=klynge).aggregate(s=Max("opdateret"), n=Count("id")).values())
    sidst = max((t for t in (stempel.sidst_aendret, impl[0]) if t is not None), default=None)
    return betinget_svar(request, stempel=_noegle(stempel.noegle, impl, slug), sidst_aendret=sidst,
                         lav_svar=lambda: KlyngeFeed()(request, slug=slug))
