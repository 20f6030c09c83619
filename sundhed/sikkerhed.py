"""Sign-in hardening (issue 12, ASVS V6/V7): the lockout after failed sign-ins (django-axes), the limits
on a session's life, and API tokens that expire.

The lockout counts failures per account *and* source address (settings.AXES_LOCKOUT_PARAMETERS), on the
HTML login and the token endpoint alike: both call `django.contrib.auth.authenticate` with the request,
and `SpaerreBackend`, first in AUTHENTICATION_BACKENDS, refuses a locked pair before any password is
checked. `axes.middleware.AxesMiddleware` then answers with `spaerret_svar`.
"""

from __future__ import annotations

import ipaddress
import time

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from sundhed import konti

# --- lockout -------------------------------------------------------------------------------------


def klient_ip(request: HttpRequest) -> str:
    """The source address a lockout counts against (settings.AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, or, behind a proxy the settings declare (BAG_PROXY), the last address of
    X-Forwarded-For: the one that proxy added. Earlier ones come from the client and may be forged, and
    REMOTE_ADDR is then the proxy, which would lock everyone out together. A last entry that is no address
    (a proxy that passes the client's header on unchanged) counts as the proxy's: the lockout's and the
    audit log's address columns (inet on PostgreSQL) take only addresses."""
    if settings.BAG_PROXY:
        sidste = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(sidste))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def spaerret_besked() -> str:
    minutter = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return (f"For mange mislykkede forsøg på at logge ind. Brugeren er spærret fra din adresse i {minutter} "
            "minutter. Prøv igen senere, eller bed en administrator om at låse den op.")


def spaerret_svar(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """settings.AXES_LOCKOUT_CALLABLE: 429 with the Danish message; JSON under /api/, else the login
    page again with the username kept."""
    venteinterval = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": spaerret_besked()}, status=429, headers={"Retry-After": venteinterval},
                            json_dumps_params={"ensure_ascii": False})
    brugernavn = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": brugernavn})
    svar = render(request, "registration/login.html", {
        "form": form, "spaerret": spaerret_besked(), "next": request.POST.get("next", ""),
    }, status=429)
    svar["Retry-After"] = venteinterval
    return svar


class SpaerreBackend(AxesStandaloneBackend):
    """Refuses a locked-out account and source before the password is checked (first backend)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            # Not over HTTP (the test client's login(), a management command): there is no source to
            # count, and nobody outside can guess through it. Every HTTP sign-in passes the request.
            return None
        return super().authenticate(request, username, password, **kwargs)


# --- session limits ------------------------------------------------------------------------------

START = "_sikkerhed_start"
AKTIV = "_sikkerhed_aktiv"
# The last activity is written at most this often (seconds), so that browsing is not a session write
# per request; the idle limit is therefore kept to within a minute.
SKRIV_AKTIVITET_HVERT = 60


def nu() -> float:
    """The clock the session limits read (tests move it)."""
    return time.time()


@receiver(user_logged_in, dispatch_uid="sundhed.sikkerhed.session_start")
def _session_start(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        tid = nu()
        request.session[START] = tid
        request.session[AKTIV] = tid


class SessionsgraenseMiddleware:
    """Ends a signed-in session after settings.SESSION_INAKTIV_MINUTTER without a request and
    settings.SESSION_MAKS_TIMER after the sign-in (ASVS V7.3). The request then goes on as an
    anonymous one (a staff page redirects to the login), with a message saying why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only sessions that carry a sign-in; reading the key loads no user.
        if request.session.get(SESSION_KEY) is not None:
            self._kontroller(request)
        return self.get_response(request)

    def _kontroller(self, request: HttpRequest) -> None:
        session, tid = request.session, nu()
        start, aktiv = session.get(START), session.get(AKTIV)
        if start is None or aktiv is None:
            # A session from before these limits: they count from now.
            session[START] = session[AKTIV] = tid
            return
        inaktiv, maks = settings.SESSION_INAKTIV_MINUTTER, settings.SESSION_MAKS_TIMER
        if tid - aktiv > inaktiv * 60:
            grund = f"Du er blevet logget ud, fordi du ikke har været aktiv i {inaktiv} minutter. Log ind igen."
        elif tid - start > maks * 60 * 60:
            grund = f"Du er blevet logget ud, fordi du har været logget ind i {maks} timer. Log ind igen."
        else:
            if tid - aktiv >= SKRIV_AKTIVITET_HVERT:
                session[AKTIV] = tid
            return
        logout(request)  # flushes the session on the server, not only the cookie
        messages.info(request, grund)


# --- API tokens ----------------------------------------------------------------------------------


class NoegleUdloebet(exceptions.AuthenticationFailed):
    default_detail = "API-nøglen er udløbet. Hent en ny med POST /api/v1/auth/token/."
    default_code = "noegle_udloebet"
    # sundhed.api.exception_handler keeps this message rather than the generic one for its class.
    egen_besked = True


class UdloebendeTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing a token older than settings.API_TOKEN_DAGE."""

    def authenticate_credentials(self, key):
        bruger, noegle = super().authenticate_credentials(key)
        if konti.er_udloebet(noegle):
            raise NoegleUdloebet()
        return bruger, noegle
