"""Pilots (staff site): the list, a new pilot, and a pilot's page where its cluster edits it and the
secretariat records its presentation and starts a collaboration agreement from it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import policies, selectors, services
from aftaler.forms_deltagere import PraesenteretForm, ProevehandlingForm, StartAftaleForm
from aftaler.models import Proevehandling
from organisation.models import Klynge
from sundhed.formularer import koer


def _synlige_proevehandlinger(bruger) -> QuerySet[Proevehandling]:
    """The pilots `bruger` may see (policies.synlige_proevehandlinger); 404 for one who may see none."""
    qs = policies.synlige_proevehandlinger(bruger, Proevehandling.objects.select_related("klynge"))
    if qs is None:
        raise Http404
    return qs


@login_required
@require_safe
def proevehandling_liste(request: HttpRequest) -> HttpResponse:
    bruger = request.user
    proevehandlinger = list(_synlige_proevehandlinger(bruger).annotate(antal_aftaler=Count("aftaler"))
                            .order_by("-oprettet"))
    return render(request, "aftaler/arbejde/proevehandling_liste.html", {
        "proevehandlinger": proevehandlinger, "kan_oprette": selectors.proevehandling_klynger(bruger).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def proevehandling_ny(request: HttpRequest) -> HttpResponse:
    bruger = request.user
    klynger = selectors.proevehandling_klynger(bruger)
    if not klynger.exists():
        raise Http404
    form = ProevehandlingForm(request.POST or None, klynger=klynger)
    if request.method == "POST" and form.is_valid():
        svar = koer(request, form, lambda: services.proevehandling_gem(bruger=bruger, **form.cleaned_data),
                    besked=lambda ph: f"Prøvehandlingen '{ph.titel}' er registreret.",
                    videre=lambda ph: reverse("arbejde:proevehandling", kwargs={"slug": ph.slug}))
        if svar:
            return svar
    return render(request, "aftaler/arbejde/proevehandling_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def proevehandling(request: HttpRequest, slug: str) -> HttpResponse:
    """A pilot: details and results (editable by its cluster), and for the secretariat: record that it
    was presented to the committee, and start a collaboration agreement from it."""
    bruger = request.user
    ph = get_object_or_404(_synlige_proevehandlinger(bruger).select_related("registreret_af"), slug=slug)
    kan_redigere = policies.kan_registrere_proevehandling(bruger, ph.klynge)
    kan_praesentere = policies.kan_praesentere_proevehandling(bruger)
    kan_starte = policies.kan_starte_aftale_fra_proevehandling(bruger)
    handling = request.POST.get("handling", "gem") if request.method == "POST" else None

    def bundet(navn: str):
        return request.POST if handling == navn else None

    form = praesenteret_form = start_form = None
    if kan_redigere:
        form = ProevehandlingForm(bundet("gem"), klynger=selectors.proevehandling_klynger(bruger)
                                  | Klynge.objects.filter(pk=ph.klynge_id), initial={
            "klynge": ph.klynge_id, "titel": ph.titel, "beskrivelse": ph.beskrivelse, "periode_fra": ph.periode_fra,
            "periode_til": ph.periode_til, "resultater": ph.resultater})
    if kan_praesentere:
        praesenteret_form = PraesenteretForm(bundet("praesenteret"), prefix="praesentation", initial=(
            {"praesenteret_dato": ph.praesenteret_dato} if ph.praesenteret_dato else {}))
    if kan_starte and ph.praesenteret_dato:
        start_form = StartAftaleForm(bundet("start_aftale"), prefix="start", initial={"titel": ph.titel})
    valgt = {"gem": form, "praesenteret": praesenteret_form, "start_aftale": start_form}.get(handling)
    if handling is not None and valgt is None:
        raise Http404
    if valgt is not None and valgt.is_valid():
        data = valgt.cleaned_data
        siden = reverse("arbejde:proevehandling", kwargs={"slug": ph.slug})
        if handling == "gem":
            svar = koer(request, valgt, lambda: services.proevehandling_gem(bruger=bruger, proevehandling=ph, **data),
                        besked="Prøvehandlingen er gemt.",
                        videre=lambda gemt: reverse("arbejde:proevehandling", kwargs={"slug": gemt.slug}))
        elif handling == "praesenteret":
            svar = koer(request, valgt, lambda: services.proevehandling_praesenteret(
                proevehandling=ph, bruger=bruger, dato=data["praesenteret_dato"]),
                besked="Det er registreret, at prøvehandlingen er præsenteret for udvalget.", videre=siden)
        else:
            svar = koer(request, valgt, lambda: services.aftale_fra_proevehandling(
                proevehandling=ph, bruger=bruger, titel=data["titel"]),
                besked=lambda aftale: f"Samarbejdsaftalen '{aftale.titel}' er oprettet som udkast ud fra "
                                      "prøvehandlingen.",
                videre=lambda aftale: reverse("arbejde:aftale", kwargs={"slug": aftale.slug}))
        if svar:
            return svar
    aftaler = list(policies.synlige_aftaler(bruger, ph.aftaler.all()).order_by("titel"))
    return render(request, "aftaler/arbejde/proevehandling_detalje.html", {
        "ph": ph, "form": form, "praesenteret_form": praesenteret_form, "start_form": start_form,
        "aftaler": aftaler, "kan_redigere": kan_redigere, "kan_praesentere": kan_praesentere,
        "kan_starte": kan_starte,
    })
