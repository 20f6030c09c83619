"""/arbejde/notifikationer/uden-adresse/: the people the outbox could not reach (no e-mail address) and
the deliveries that failed, for the joint secretariat and administrators (sundhed.policies); others 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sundhed import policies, udbakke
from sundhed.models import UdbakkeTilstand

PR_SIDE = 50


def _side(request: HttpRequest, raekker: QuerySet, navn: str):
    qs = (raekker.annotate(myndighed=F("bruger__person__part__navn"))
          .only("slags", "tilstand", "modtager_navn", "modtager_email", "objekt_navn", "url", "skabelon",
                "oprettet", "sidste_fejl", "forsoeg", "bruger_id")
          .order_by("-oprettet", "-id"))
    side = Paginator(qs, PR_SIDE).get_page(request.GET.get(navn))
    for r in side.object_list:
        r.slags_navn = udbakke.SLAGS[r.slags].navn if r.slags in udbakke.SLAGS else r.slags
    return side


@login_required
def uden_adresse(request: HttpRequest) -> HttpResponse:
    if not policies.kan_se_udbakke(request.user):
        raise Http404
    return render(request, "arbejde/udbakke_uden_adresse.html", {
        "uden_adresse": _side(request, udbakke.uopnaaede().filter(tilstand=UdbakkeTilstand.UDEN_ADRESSE), "side"),
        "fejlede": _side(request, udbakke.uopnaaede().filter(tilstand=UdbakkeTilstand.FEJLET), "fejlside"),
    })
