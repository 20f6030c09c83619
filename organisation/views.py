"""Public pages of the structure: the organisation diagram, each forum, the clusters."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from organisation import selectors
from organisation.choices import KLYNGE_FORA, ForumType


def organisation(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/organisation.html", {"oversigt": selectors.organisationsoversigt()})


def forum_detalje(request: HttpRequest, slug: str) -> HttpResponse:
    forum = selectors.forum_detalje(slug)
    if forum is None:
        raise Http404("Forummet findes ikke.")
    return render(request, "organisation/forum_detalje.html", {"forum": forum})


def klynge_liste(request: HttpRequest) -> HttpResponse:
    aktive, arkiverede = selectors.klynger_med_arkiverede()
    return render(request, "organisation/klynge_liste.html", {"klynger": aktive, "arkiverede_klynger": arkiverede})


def klynge_detalje(request: HttpRequest, slug: str) -> HttpResponse:
    klynge = selectors.klynge_detalje(slug)
    if klynge is None:
        raise Http404("Klyngen findes ikke.")
    # The political level first, then the administrative; other bodies of the cluster after them.
    niveau_orden = {ForumType.KLYNGE_POLITISK: 0, ForumType.KLYNGE_ADMINISTRATIV: 1}
    fora = sorted(klynge.alle_fora, key=lambda f: (niveau_orden.get(f.type, 2), f.sortering, f.navn))
    return render(
        request,
        "organisation/klynge_detalje.html",
        {
            "klynge": klynge,
            "niveauer": [f for f in fora if f.type in KLYNGE_FORA and f.er_aktiv()],
            "andre_fora": [f for f in fora if f.type not in KLYNGE_FORA and f.er_aktiv()],
            "arkiverede_fora": [f for f in fora if f.er_arkiveret],
        },
    )
