"""What the agreement views share: finding the agreement a page is about, on either site, and answering
htmx with a partial."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from aftaler import policies, selectors, sidekontekst, stempler
from aftaler.models import Samarbejdsaftale

# Only these parameters change a public page; others (tracking tags, typos) share its cache entry.
SIDEPARAMETRE = ("q", "status", "omraade", "omfang", "klynge", "ejer", "sortering", "side", "a", "b")


# --- the public site -------------------------------------------------------------------------------


def offentlig_aftale_med_stempel(slug: str) -> tuple[int, stempler.Stempel]:
    """The public agreement's id and change stamp in one query (404 for anything not public)."""
    fundet = stempler.aftale_stempel(slug=slug)
    if fundet is None:
        raise Http404("Aftalen findes ikke.")
    return fundet


def hent_offentlig_aftale(pk: int) -> Samarbejdsaftale:
    """The public agreement as its pages show it."""
    aftale = sidekontekst.aftaler_til_visning().filter(pk=pk).first()
    if aftale is None:  # it left the public set between the stamp and now
        raise Http404("Aftalen findes ikke.")
    return aftale


# --- the staff site --------------------------------------------------------------------------------


def aftale_til_arbejde(request: HttpRequest, slug: str) -> Samarbejdsaftale:
    """The agreement, if the user may read it, as they read it (policies.som_laest_af: a revision's
    draft text and title only for its draft readers); 404 otherwise (as if it did not exist)."""
    aftale = policies.aftale_eller_404(request.user, selectors.aftaler_med_detaljer(), slug=slug)
    return policies.som_laest_af(request.user, aftale)


def er_htmx(request: HttpRequest) -> bool:
    """A partial swap by htmx; its history restore asks for the whole page (and gets it)."""
    return request.headers.get("HX-Request") == "true" and "HX-History-Restore-Request" not in request.headers


def side_eller_del(request: HttpRequest, side: str, del_: str, kontekst: dict) -> HttpResponse:
    """The same view answers htmx with the partial and everyone else with the full page."""
    svar = render(request, del_ if er_htmx(request) else side, kontekst)
    patch_vary_headers(svar, ["HX-Request"])
    return svar
