"""Consultations (staff site): a party or cluster answers the version in consultation, and the
secretariat and internal readers see every answer per version and who has not answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import policies, selectors, services
from aftaler.choices import Status
from aftaler.forms_deltagere import HoeringssvarForm, html_til_tekst, tekst_til_html
from aftaler.models import AftaleVersion, Hoeringssvar, Overgang
from aftaler.views.faelles import aftale_til_arbejde
from aftaler.workflow import Handling
from organisation.models import Klynge, Part
from sundhed.formularer import koer

_AFSENDERTYPER = {"part": Part, "klynge": Klynge}


def afsendertype(afsender) -> str:
    return "part" if isinstance(afsender, Part) else "klynge"


@login_required
@require_http_methods(["GET", "POST"])
def hoering_svar(request: HttpRequest, slug: str, type: str, afsender: str) -> HttpResponse:
    """A party or cluster answers the version in consultation (a new answer replaces the old)."""
    model = _AFSENDERTYPER.get(type)
    if model is None:
        raise Http404
    aftale = aftale_til_arbejde(request, slug)
    if aftale.status != Status.HOERING:
        raise Http404
    afsender_obj = next(
        (a for a in policies.hoeringsafsendere(request.user, aftale) if isinstance(a, model) and a.slug == afsender),
        None,
    )
    if afsender_obj is None:
        raise Http404
    version = aftale.aktuel_version
    eksisterende = Hoeringssvar.objects.filter(version=version, **{type: afsender_obj}).first()
    initial = {"tekst": html_til_tekst(eksisterende.tekst)} if eksisterende else {}
    form = HoeringssvarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        svar = koer(
            request, form, lambda: services.hoeringssvar_afgiv(aftale=aftale, bruger=request.user,
                                                               afsender=afsender_obj,
                                                               tekst=tekst_til_html(form.cleaned_data["tekst"])),
            besked=f"Høringssvaret fra {afsender_obj.navn} er gemt. Du kan rette det, indtil høringen er afsluttet.",
            videre=reverse("arbejde:hoering-svar", kwargs={"slug": aftale.slug, "type": type,
                                                           "afsender": afsender_obj.slug}))
        if svar:
            return svar
    return render(request, "aftaler/arbejde/hoering_svar.html", {
        "aftale": aftale, "afsender": afsender_obj, "version": version, "form": form, "eksisterende": eksisterende,
    })


@dataclass
class Hoeringsrunde:
    """One version sent to consultation: the answers side by side and who has not answered."""

    version: AftaleVersion
    svar: list[Hoeringssvar] = field(default_factory=list)
    mangler: list = field(default_factory=list)
    aktuel: bool = False


@login_required
@require_safe
def hoeringssvar_oversigt(request: HttpRequest, slug: str) -> HttpResponse:
    """For the secretariat and internal readers: every answer per version, and who is missing."""
    if not policies.laeser_internt(request.user):
        raise Http404
    aftale = aftale_til_arbejde(request, slug)
    versioner: dict[int, AftaleVersion] = {
        o.version_id: o.version
        for o in Overgang.objects.filter(aftale=aftale, handling=Handling.SEND_I_HOERING, version__isnull=False)
        .select_related("version").order_by("tidspunkt")
    }
    svar = list(Hoeringssvar.objects.filter(version__aftale=aftale)
                .select_related("version", "part", "klynge", "afgivet_af").order_by("afgivet", "id"))
    for s in svar:
        versioner.setdefault(s.version_id, s.version)
    adressater = [*selectors.paakraevede_parter(aftale), *selectors.berorte_klynger(aftale)] if versioner else []
    runder = []
    for version in sorted(versioner.values(), key=lambda v: v.nummer, reverse=True):
        runde = Hoeringsrunde(version=version, svar=[s for s in svar if s.version_id == version.pk],
                              aktuel=aftale.status == Status.HOERING and version.pk == aftale.aktuel_version_id)
        svarede = {(afsendertype(s.afsender), s.afsender.pk) for s in runde.svar}
        runde.mangler = [a for a in adressater if (afsendertype(a), a.pk) not in svarede]
        runder.append(runde)
    return render(request, "aftaler/arbejde/hoering_oversigt.html", {"aftale": aftale, "runder": runder})
