"""The agreement an agenda item concerns, on the staff item page (/arbejde/moeder/<id>/punkter/<punkt>/):
choose the agreement and record the meeting's outcome (aftaler.services.punkt_udfald_registrer). The form
is shown by {% punkt_sag punkt %} (aftaler.templatetags.moeder) and posts here; organisation, which owns
the item page, knows nothing of agreements.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aftaler import services
from aftaler.forms import PunktSagForm
from organisation import policies as organisation_policies
from organisation.models import Dagsordenpunkt
from sundhed.formularer import koer


def punkt_til_sag(request: HttpRequest, pk: int, punkt: int) -> Dagsordenpunkt:
    """The item, for one who may plan its meeting; 404 for everyone else (as organisation's item pages)."""
    obj = get_object_or_404(Dagsordenpunkt.objects.select_related("moede__forum"), pk=punkt, moede_id=pk)
    if not organisation_policies.kan_planlaegge_moeder(request.user, obj.moede.forum):
        raise Http404
    return obj


@login_required
@require_POST
def punkt_sag(request: HttpRequest, pk: int, punkt: int) -> HttpResponse:
    """Link the item to an agreement and record its outcome; back to the item page, or this form with
    the service's message."""
    obj = punkt_til_sag(request, pk, punkt)
    form = PunktSagForm(request.POST, bruger=request.user)
    if form.is_valid():
        data = form.cleaned_data
        svar = koer(request, form, lambda: services.punkt_udfald_registrer(
            punkt=obj, aftale=data["aftale"], udfald=data["udfald"], note=data["note"],
            beslutningsfrist=data["beslutningsfrist"], bruger=request.user),
            besked=(f"Udfaldet af punkt {obj.nummer} er registreret på aftalen." if data["udfald"]
                    else f"Punkt {obj.nummer} er knyttet til aftalen."),
            videre=reverse("arbejde:punkt", args=[obj.moede_id, obj.pk]) + "#punkt-sag")
        if svar:
            return svar
    return render(request, "aftaler/moeder/punkt_sag.html", {"punkt": obj, "moede": obj.moede, "form": form},
                  status=400)
