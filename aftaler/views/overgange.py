"""An agreement's lifecycle on the staff site: an action of the lifecycle table (aftaler.workflow),
a forum's dealing with the agreement, and the extra parties that must approve it.

An action the user may not run is 404, as is an agreement the user may not read.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from aftaler import policies, selectors, services
from aftaler.choices import Status
from aftaler.forms import BehandlingForm, OvergangForm, ParterForm
from aftaler.views.faelles import aftale_til_arbejde
from aftaler.workflow import OVERGANGE, Handling
from organisation.choices import PartType
from sundhed import formularer


@login_required
@require_http_methods(["GET", "POST"])
def aftale_handling(request: HttpRequest, slug: str, handling: str) -> HttpResponse:
    """Confirm one action of the lifecycle table, with the fields it needs, then run it."""
    aftale = aftale_til_arbejde(request, slug)
    bruger = request.user
    regel = OVERGANGE.get(handling)
    if regel is None or not policies.kan_udfoere(bruger, aftale, handling):
        raise Http404
    form = OvergangForm(request.POST if request.method == "POST" else None, regel=regel, aftale=aftale)
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.aftale_overgang(aftale=aftale, bruger=bruger, handling=handling,
                                                            note=form.cleaned_data.get("note", ""),
                                                            **form.data_til_service()),
            besked=f"{Handling(handling).label}: aftalen har nu status »{Status(regel.til).label}«.",
            videre=reverse("arbejde:aftale", kwargs={"slug": aftale.slug}))
        if svar:
            return svar
    return render(request, "aftaler/arbejde/aftale_handling.html", {
        "aftale": aftale, "regel": regel, "handling_navn": Handling(handling).label,
        "til_status": Status(regel.til).label, "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def aftale_behandling(request: HttpRequest, slug: str) -> HttpResponse:
    """Record that a forum dealt with the agreement (the committee's recommendation is the `indstil` action)."""
    aftale = aftale_til_arbejde(request, slug)
    bruger = request.user
    if not policies.kan_registrere_behandling(bruger, aftale):
        raise Http404
    form = BehandlingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.behandling_registrer(aftale=aftale, bruger=bruger, **form.cleaned_data),
            besked=lambda behandling: f"Behandlingen i {behandling.forum.navn} er registreret.",
            videre=reverse("arbejde:aftale", kwargs={"slug": aftale.slug}) + "#behandlinger")
        if svar:
            return svar
    return render(request, "aftaler/arbejde/aftale_behandling.html", {"aftale": aftale, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def aftale_parter(request: HttpRequest, slug: str) -> HttpResponse:
    """The secretariat adds parties that must approve too (e.g. PLO-Midtjylland), before recommending."""
    aftale = aftale_til_arbejde(request, slug)
    bruger = request.user
    if not policies.kan_saette_ekstra_parter(bruger, aftale):
        raise Http404
    form = ParterForm(request.POST if request.method == "POST" else None,
                      initial={"parter": list(aftale.ekstra_parter.all())})
    if request.method == "POST" and form.is_valid():
        svar = formularer.koer(
            request, form, lambda: services.ekstra_parter_saet(aftale=aftale, bruger=bruger,
                                                               parter=list(form.cleaned_data["parter"])),
            besked="De godkendende parter er gemt.", videre=reverse("arbejde:aftale", kwargs={"slug": aftale.slug}))
        if svar:
            return svar
    paakraevede = selectors.paakraevede_parter(aftale)
    return render(request, "aftaler/arbejde/aftale_parter.html", {
        "aftale": aftale, "form": form, "paakraevede": paakraevede,
        "faste": [p for p in paakraevede if p.type in (PartType.KOMMUNE, PartType.REGION)],
    })
