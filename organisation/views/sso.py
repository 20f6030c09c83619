"""Single sign-on's pages (issue 12): the callback that finishes a sign-in, the refusal page, and the
portal's sign-out, which also ends the session at the provider after a sign-in through it.

The protocol is mozilla-django-oidc's; the matching rule is organisation/sso.py's. These views only
record how the session was signed in and send a refused person to a page that says why in Danish.
"""

import logging

import requests
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from organisation import sso

log = logging.getLogger(__name__)

# The refusal is carried from the callback to the page in the session, read once.
AFVIST = "sso_afvist"


class SsoCallback(OIDCAuthenticationCallbackView):
    """The provider's redirect back: sign in a known person, send anyone else to the refusal page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except requests.RequestException:
            # The provider did not answer, or refused the code (used twice, expired): the person is told
            # in Danish and may try again, instead of a server error.
            log.exception("Log ind gennem organisationen: udbyderen svarede ikke som ventet")
            messages.error(request, "Din organisations login svarede ikke som ventet. Prøv igen om lidt, eller "
                                    "log ind med brugernavn og adgangskode.")
            return redirect("login")

    def login_success(self) -> HttpResponse:
        svar = super().login_success()
        # After auth.login, which gives the session a new key: the new session says how it was signed in.
        # An organisation's sign-in counts as strong; the password flow's second factor is not asked for.
        self.request.session[sso.LOGIN_METODE] = sso.LOGIN_METODE_OIDC
        return svar

    def login_failure(self) -> HttpResponse:
        afgoerelse = getattr(self.request, "sso_afgoerelse", None)
        if afgoerelse is not None and afgoerelse.grund != sso.KENDT:
            self.request.session[AFVIST] = sso.ukendt_kontekst(afgoerelse)
            return redirect("sso-ukendt")
        # The provider refused or was cancelled, or the answer did not hold up (state, nonce, signature).
        messages.error(self.request, "Du blev ikke logget ind gennem din organisation. Prøv igen, eller log ind "
                                     "med brugernavn og adgangskode.")
        return redirect("login")


def sso_ukendt(request: HttpRequest) -> HttpResponse:
    """The Danish page for a person the organisation vouched for but the portal does not know (or has
    closed): no account is created, and the page says whom to ask."""
    afvist = request.session.pop(AFVIST, None) or {}
    return render(request, "registration/sso_ukendt.html", {
        "grund": afvist.get("grund", sso.UKENDT), "vaerdi": afvist.get("vaerdi", ""),
        "claim": sso.claim_navn(),
    })


class LogUd(auth_views.LogoutView):
    """/log-ud/ (POST): end the portal's session; after a sign-in through the organisation, send the browser
    on to the provider to end its session too (organisation.sso.udbyder_logud_url), so the next person at
    a shared computer is asked who they are. Without single sign-on, Django's own sign-out."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        udbyder = sso.udbyder_logud_url(request)
        svar = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(udbyder) if udbyder else svar
