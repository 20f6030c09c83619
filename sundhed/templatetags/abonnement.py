"""{% foelg_knap "aftale" aftale.slug %}: the follow button for a logged-in user (one query), nothing
for the public. A POST form to /arbejde/abonnementer/, so it works without JavaScript."""

from django import template

from sundhed import abonnementer

register = template.Library()

NAVNE = {"aftale": "aftalen", "klynge": "klyngen", "forum": "forummet"}


@register.inclusion_tag("arbejde/_foelg_knap.html", takes_context=True)
def foelg_knap(context, objekt_type: str, slug: str) -> dict:
    request = context.get("request")
    bruger = getattr(request, "user", None)
    logget_ind = bool(bruger and bruger.is_authenticated)
    return {"request": request, "user": bruger, "type": objekt_type, "slug": slug, "logget_ind": logget_ind,
            "foelger": logget_ind and abonnementer.foelger(bruger, objekt_type, slug),
            "csrf_token": context.get("csrf_token"), "navn": NAVNE.get(objekt_type, "")}
