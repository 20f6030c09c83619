"""Implementation (staff site): agreements in force x active clusters, and a cluster recording how far
it has come.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import policies, selectors, services
from aftaler.choices import ImplementeringStatus
from aftaler.forms_deltagere import ImplementeringForm
from aftaler.models import Implementering, Samarbejdsaftale
from aftaler.views.faelles import aftale_til_arbejde
from organisation.models import Klynge
from sundhed.formularer import koer


@dataclass
class Celle:
    klynge: Klynge
    implementering: Implementering | None
    redigerbar: bool


@login_required
@require_safe
def implementering_matrix(request: HttpRequest) -> HttpResponse:
    """Agreements in force x active clusters, each cell the status in words; own cells link to the edit page."""
    bruger = request.user
    if not policies.kan_se_implementeringsmatrix(bruger):
        raise Http404
    sekretariat = policies.kan_registrere_al_implementering(bruger)
    egne = set(policies.implementeringsklynger(bruger).values_list("pk", flat=True))
    klynger = list(Klynge.objects.aktive().order_by("navn"))
    aktive = {k.pk for k in klynger}
    aftaler = list(
        selectors.implementeres(Samarbejdsaftale.objects.all()).select_related("klynge", "offentliggjort_version")
        .prefetch_related("implementeringer").order_by("titel")
    )
    raekker = []
    for aftale in aftaler:
        # Only the areas in force today: an ended cluster's rows are history, continued by its successor's.
        rows = {i.klynge_id: i for i in aftale.implementeringer.all() if i.klynge_id in aktive}
        tilladt = selectors.tillader_implementering(aftale)
        celler = [
            Celle(klynge=k, implementering=rows.get(k.pk),
                  redigerbar=tilladt and k.pk in rows and (sekretariat or k.pk in egne))
            for k in klynger
        ]
        implementeret = sum(1 for i in rows.values() if i.status == ImplementeringStatus.IMPLEMENTERET)
        raekker.append({"aftale": aftale, "celler": celler, "implementeret": implementeret, "i_alt": len(rows)})
    return render(request, "aftaler/arbejde/implementering_matrix.html", {
        "klynger": klynger, "raekker": raekker, "egne_klynger": [k for k in klynger if k.pk in egne],
    })


@login_required
@require_http_methods(["GET", "POST"])
def implementering_rediger(request: HttpRequest, slug: str, klynge: str) -> HttpResponse:
    """A cluster records how far it has come implementing an agreement (the secretariat: any cluster)."""
    aftale = aftale_til_arbejde(request, slug)
    klynge_obj = get_object_or_404(Klynge, slug=klynge)
    if not policies.kan_registrere_implementering(request.user, aftale, klynge_obj):
        raise Http404
    impl = get_object_or_404(Implementering.objects.select_related("opdateret_af", "forgaenger__klynge"),
                             aftale=aftale, klynge=klynge_obj)
    form = ImplementeringForm(request.POST or None, initial={"status": impl.status, "note": impl.note})
    if request.method == "POST" and form.is_valid():
        svar = koer(
            request, form, lambda: services.implementering_opdater(aftale=aftale, klynge=klynge_obj,
                                                                   bruger=request.user, **form.cleaned_data),
            besked=lambda impl: (f"{klynge_obj.navn}: implementeringen af '{aftale.titel}' er nu "
                                 f"'{impl.get_status_display().lower()}'."),
            videre=reverse("arbejde:implementering-matrix"))
        if svar:
            return svar
    return render(request, "aftaler/arbejde/implementering_rediger.html", {
        "aftale": aftale, "klynge": klynge_obj, "implementering": impl, "form": form,
    })
