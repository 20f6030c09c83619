"""The comments section on the agreement's staff overview (templates/aftaler/arbejde/aftale.html):

    {% load kommentarer %}
    {% kommentarsektion aftale %}   the comments and the form, for the drafting audience only; nothing for others

The section's context comes from aftaler.sidekontekst.kommentarsektion, the same as on the comments page.
"""

from __future__ import annotations

from django import template

from aftaler.sidekontekst import kommentarsektion as sektion

register = template.Library()


@register.inclusion_tag("aftaler/arbejde/_kommentarer.html", takes_context=True)
def kommentarsektion(context, aftale) -> dict:
    return {**sektion(context["request"].user, aftale), "csrf_token": context.get("csrf_token"),
            "request": context["request"], "overskriftniveau": 2}
