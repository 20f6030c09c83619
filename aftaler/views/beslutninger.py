"""The councils' decisions on an agreement (staff site): a council secretariat records its authority's
decision, and everyone who may read the agreement sees '14 af 20 godkendt' per required party.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from aftaler import policies, selectors, services
from aftaler.choices import ENDELIGE_BESLUTNINGER, OFFENTLIGE_STATUS, Beslutning, Status
from aftaler.forms_deltagere import BeslutningForm
from aftaler.models import AftaleVersion, Godkendelse
from aftaler.views.faelles import aftale_til_arbejde
from sundhed.formularer import koer


@login_required
@require_http_methods(["GET", "POST"])
def beslutning_registrer(request: HttpRequest, slug: str, part: str) -> HttpResponse:
    """A council secretariat records its authority's decision on the version awaiting decisions."""
    aftale = aftale_til_arbejde(request, slug)
    if aftale.status != Status.INDSTILLET:
        raise Http404
    # Only the user's own authorities, and only those that must approve this agreement.
    part_obj = next((p for p in policies.beslutningsparter(request.user, aftale) if p.slug == part), None)
    if part_obj is None:
        raise Http404
    version = aftale.aktuel_version
    historik = list(Godkendelse.objects.filter(version=version, part=part_obj)
                    .select_related("registreret_af").order_by("registreret", "id"))
    endelig = next((g for g in historik if g.beslutning in ENDELIGE_BESLUTNINGER), None)
    form = None
    if endelig is None:
        form = BeslutningForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            svar = koer(
                request, form, lambda: services.godkendelse_registrer(
                    aftale=aftale, part=part_obj, bruger=request.user, **form.cleaned_data),
                besked=lambda godkendelse: (f"Beslutningen for {part_obj.navn} om version {version.nummer} er "
                                            f"registreret: {godkendelse.get_beslutning_display().lower()}."),
                videre=reverse("arbejde:godkendelser", kwargs={"slug": aftale.slug}))
            if svar:
                return svar
    return render(request, "aftaler/arbejde/beslutning_registrer.html", {
        "aftale": aftale, "part": part_obj, "version": version, "form": form, "endelig": endelig,
        "udsaettelser": [g for g in historik if g.beslutning == Beslutning.UDSAT],
        "frist_overskredet": bool(aftale.beslutningsfrist and aftale.beslutningsfrist < timezone.localdate()),
    })


@dataclass
class VersionsBeslutninger:
    version: AftaleVersion
    godkendelser: list[Godkendelse]

    def _antal(self, beslutning: str) -> int:
        return sum(1 for g in self.godkendelser if g.beslutning == beslutning)

    @property
    def godkendt(self) -> int:
        return self._antal(Beslutning.GODKENDT)

    @property
    def afvist(self) -> int:
        return self._antal(Beslutning.AFVIST)


@login_required
@require_safe
def godkendelser(request: HttpRequest, slug: str) -> HttpResponse:
    """'14 af 20 godkendt': the decision per required party, and decisions on earlier versions."""
    aftale = aftale_til_arbejde(request, slug)
    fremdrift = selectors.fremdrift(aftale) if aftale.status in OFFENTLIGE_STATUS else None
    vist_version_id = fremdrift.version.pk if fremdrift and fremdrift.version else None
    tidligere = (
        Godkendelse.objects.filter(version__aftale=aftale).exclude(version_id=vist_version_id)
        .select_related("part", "version").order_by("-version__nummer", "part__navn", "registreret", "id")
    )
    tidligere_versioner = [
        VersionsBeslutninger(version=v, godkendelser=list(rows))
        for v, rows in groupby(tidligere, key=lambda g: g.version)
    ]
    egne = {p.pk for p in policies.beslutningsparter(request.user, aftale)}
    raekker = []
    for ps in fremdrift.parter if fremdrift else []:
        # The row shows the final decision, or else the latest postponement; earlier postponements are history.
        vis = ps.endelig or (ps.historik[-1] if ps.historik else None)
        raekker.append({"ps": ps, "vis": vis, "kan_registrere": ps.part.pk in egne and ps.endelig is None,
                        "udsaettelser": [h for h in ps.historik if h.beslutning == Beslutning.UDSAT and h is not vis]})
    return render(request, "aftaler/arbejde/beslutning_godkendelser.html", {
        "aftale": aftale, "fremdrift": fremdrift, "raekker": raekker, "tidligere_versioner": tidligere_versioner,
        "frist_overskredet": bool(aftale.status == Status.INDSTILLET and aftale.beslutningsfrist
                                  and aftale.beslutningsfrist < timezone.localdate()),
    })
