"""Public pages of the structure: the organisation diagram, each forum, the clusters.

Every page shows the structure on one day: `?dato=YYYY-MM-DD` (sundhed.datovalg), today without it.
"""

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from organisation import selectors
from organisation.choices import OMRAADE_FORA, ForumType
from sundhed.datovalg import Datovalg

Side = Callable[..., HttpResponse]


def med_dato(titel: str) -> Callable[[Side], Side]:
    """Read `?dato=` for the page; a value that is no date gets the page's date chooser with the
    Danish message (400) instead of the page, so the reader can correct it where they typed it."""

    def dekorator(side: Side) -> Side:
        @wraps(side)
        def indpakket(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            datovalg = Datovalg.fra(request.GET)
            if datovalg.fejl:
                return render(request, "organisation/ugyldig_dato.html", {"datovalg": datovalg, "titel": titel},
                              status=400)
            return side(request, *args, datovalg=datovalg, **kwargs)

        return indpakket

    return dekorator


@med_dato("Sundhedssamarbejdets organisation")
def organisation(request: HttpRequest, *, datovalg: Datovalg) -> HttpResponse:
    return render(request, "organisation/organisation.html",
                  {"oversigt": selectors.organisationsoversigt(datovalg.dato), "datovalg": datovalg})


@med_dato("Forum")
def forum_detalje(request: HttpRequest, slug: str, *, datovalg: Datovalg) -> HttpResponse:
    forum = selectors.forum_detalje(slug, datovalg.dato)
    if forum is None:
        raise Http404("Forummet findes ikke.")
    return render(request, "organisation/forum_detalje.html", {"forum": forum, "datovalg": datovalg})


@med_dato("Sundhedsklynger og sundhedsråd")
def klynge_liste(request: HttpRequest, *, datovalg: Datovalg) -> HttpResponse:
    return render(request, "organisation/klynge_liste.html",
                  {"oversigt": selectors.klynger_med_arkiverede(datovalg.dato), "datovalg": datovalg})


# The political level first, then the administrative; a sundhedsråd (the one body of its area) with them.
_NIVEAU_ORDEN = {ForumType.SUNDHEDSRAAD: 0, ForumType.KLYNGE_POLITISK: 1, ForumType.KLYNGE_ADMINISTRATIV: 2}


@med_dato("Sundhedsklynge eller sundhedsråd")
def klynge_detalje(request: HttpRequest, slug: str, *, datovalg: Datovalg) -> HttpResponse:
    klynge = selectors.klynge_detalje(slug, datovalg.dato)
    if klynge is None:
        raise Http404("Klyngen findes ikke.")
    dag = klynge.visning.visningsdato
    fora = sorted(klynge.alle_fora, key=lambda f: (_NIVEAU_ORDEN.get(f.type, 9), f.sortering, f.navn))
    # A sundhedsråd meeting as a preparatory body is the area's body too, marked as such.
    i_funktion = [f for f in fora if f.er_aktiv(dag) or f.er_forberedende(dag)]
    return render(
        request,
        "organisation/klynge_detalje.html",
        {
            "klynge": klynge,
            "datovalg": datovalg,
            "niveauer": [f for f in i_funktion if f.type in OMRAADE_FORA],
            "andre_fora": [f for f in i_funktion if f.type not in OMRAADE_FORA],
            "arkiverede_fora": [f for f in fora if f.valid_to is not None and f.valid_to < dag],
            "forberedende_pk": {f.pk for f in i_funktion if f.er_forberedende(dag)},
        },
    )
