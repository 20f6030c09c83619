"""The agreements agenda items concern, on organisation's meeting pages (organisation never imports
aftaler; its templates load this library):

    {% load moeder %}
    {% punkt_sag punkt %}              staff item page: the agreement the item concerns, its outcome, the form
    {% punkter_med_aftaler punkter %}  public meeting page: gives each item `sag_aftale` for its link
"""

from __future__ import annotations

from django import template

from aftaler import moeder_selectors
from aftaler.forms import PunktSagForm
from aftaler.models import Behandling, Dagsordensag

register = template.Library()


@register.inclusion_tag("aftaler/moeder/_punkt_sag.html", takes_context=True)
def punkt_sag(context, punkt) -> dict:
    bruger = context["request"].user
    sag = Dagsordensag.objects.filter(punkt=punkt).select_related("aftale").first()
    behandling = Behandling.objects.filter(dagsordenpunkt=punkt).select_related("forum").first()
    form = None
    if behandling is None:
        form = PunktSagForm(bruger=bruger, initial={"aftale": sag.aftale.slug} if sag else None,
                            auto_id="id_sag_%s")
    return {"punkt": punkt, "sag": sag, "behandling": behandling, "form": form,
            "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def punkter_med_aftaler(context, punkter) -> str:
    """Attach the agreements (three queries for the whole agenda); the template links only items the
    reader sees whole, never a closed item for the public."""
    moeder_selectors.punkter_med_sager(context["request"].user, punkter)
    return ""
