"""Template helpers for indicators: Danish numbers, changes judged by direction, the cluster section.

On the cluster page: `{% load indikatorer %}{% indikatorer_for_klynge klynge %}`.
"""

from __future__ import annotations

from django import template

from indikatorer.choices import Vurdering
from indikatorer.formater import tal, tal_som_indtastet

register = template.Library()


register.filter("tal", tal)
register.filter("tal_som_indtastet", tal_som_indtastet)


@register.filter
def opslag(ordbog, noegle):
    """`dict|opslag:key` in templates."""
    if ordbog is None:
        return None
    return ordbog.get(noegle)


@register.inclusion_tag("indikatorer/_aendring.html")
def aendring(udvikling):
    """The change since the previous period: arrow, amount, and 'bedre'/'dårligere' in words (never
    colour alone)."""
    if udvikling is None or udvikling.aendring is None:
        return {"tom": True}
    vurdering = udvikling.vurdering
    if vurdering == Vurdering.UAENDRET:
        pil, forklaring = "→", "Uændret:"
    elif udvikling.aendring > 0:
        pil, forklaring = "↑", "Stigning på"
    else:
        pil, forklaring = "↓", "Fald på"
    return {
        "tom": False, "pil": pil, "forklaring": forklaring, "vurdering": vurdering,
        "vurdering_navn": Vurdering(vurdering).label,
        "beloeb": tal(abs(udvikling.aendring), udvikling.indikator.decimaler),
        "forrige": udvikling.forrige,
    }


@register.inclusion_tag("indikatorer/klynge_sektion.html")
def indikatorer_for_klynge(klynge):
    """'Indikatorer for klyngens population' on the cluster page (a fixed number of queries)."""
    from indikatorer import selectors

    return {"oversigt": selectors.klynge_oversigt(klynge)}


@register.inclusion_tag("indikatorer/_arbejdsrum_link.html", takes_context=True)
def arbejdsrum_link(context, klynge):
    """A link to the cluster's workspace, only for those who may read it (the cluster page is organisation's,
    which cannot ask indikatorer's policies itself)."""
    from indikatorer import policies

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"klynge": klynge, "vis": user is not None and policies.kan_laese_arbejdsrum(user, klynge)}
