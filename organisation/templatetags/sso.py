"""The login page's "Log ind med din organisation" link, shown only when single sign-on is on."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from organisation import sso

register = template.Library()


@register.inclusion_tag("registration/_sso_knap.html")
def sso_knap(naeste: str = "") -> dict:
    if not sso.slaaet_til():
        return {"slaaet_til": False}
    adresse = reverse("oidc_authentication_init")
    if naeste:
        adresse += "?" + urlencode({"next": naeste})
    return {"slaaet_til": True, "adresse": adresse, "udbyder": settings.OIDC_UDBYDER_NAVN}
