"""{% uopnaaede_antal as n %}: for those who may see it (sundhed.policies.kan_se_udbakke), how many
notifications could not be delivered (no address, or failed); None for everyone else (no query)."""

from django import template

from sundhed import policies, udbakke

register = template.Library()


@register.simple_tag(takes_context=True)
def uopnaaede_antal(context) -> int | None:
    request = context.get("request")
    bruger = getattr(request, "user", None)
    if bruger is None or not policies.kan_se_udbakke(bruger):
        return None
    return udbakke.antal_uopnaaede()
