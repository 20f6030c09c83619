"""Single sign-on with OpenID Connect (issue 12): who a person signed in at their organisation is here.

mozilla-django-oidc runs the protocol (authorization code with PKCE and nonce, the ID token's signature
against the provider's keys, userinfo). This module holds the one rule it defers to: a person is the
portal user whose `Person.sso_id` equals the claim named by settings.OIDC_BRUGER_CLAIM ("sub" by
default), a value the provider keeps stable for the person. The e-mail address never matches anyone: an
address can be re-used or changed by the person's organisation. Nobody is ever created here, so powers
still come only from memberships; an unknown or closed account gets organisation/views/sso.py's page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.urls import NoReverseMatch, reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from organisation.models import Person

# How a session was signed in (request.session["login_metode"]); the password flow sets its own values.
LOGIN_METODE = "login_metode"
LOGIN_METODE_OIDC = "oidc"

# Why a sign-in through the organisation was refused (SsoAfgoerelse.grund).
KENDT = "kendt"
UKENDT = "ukendt"
INAKTIV = "inaktiv"
UDEN_CLAIM = "uden_claim"


@dataclass(frozen=True)
class SsoAfgoerelse:
    """The outcome of matching a provider's claims: the user, or why there is none, and the claim's value."""

    grund: str
    vaerdi: str = ""
    bruger: Any = None


def slaaet_til() -> bool:
    """Whether single sign-on is configured (settings: every required OIDC_* variable set)."""
    return bool(getattr(settings, "OIDC_SLAAET_TIL", False))


def claim_navn() -> str:
    return settings.OIDC_BRUGER_CLAIM


def claim_vaerdi(claims: Mapping[str, Any]) -> str:
    """The configured claim's value as text, or "" when it is missing, empty or not a plain value."""
    vaerdi = claims.get(claim_navn())
    if isinstance(vaerdi, bool) or not isinstance(vaerdi, str | int):
        return ""
    return str(vaerdi).strip()


def find_bruger(claims: Mapping[str, Any]) -> SsoAfgoerelse:
    """Match the provider's claims to a portal user by the configured stable claim only."""
    vaerdi = claim_vaerdi(claims)
    if not vaerdi:
        return SsoAfgoerelse(grund=UDEN_CLAIM)
    person = Person.objects.select_related("bruger").filter(sso_id=vaerdi).first()
    if person is None or person.bruger is None:
        return SsoAfgoerelse(grund=UKENDT, vaerdi=vaerdi)
    if not person.bruger.is_active:
        return SsoAfgoerelse(grund=INAKTIV, vaerdi=vaerdi)
    return SsoAfgoerelse(grund=KENDT, vaerdi=vaerdi, bruger=person.bruger)


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the portal's matching rule and without creating users.

    The outcome is left on the request (`sso_afgoerelse`) for the callback view, which shows an unknown
    or closed account its own Danish page instead of the generic failure."""

    def authenticate(self, request, **kwargs):
        # Only the callback view's call carries the nonce it keeps in the session; a password sign-in
        # whose address happens to hold ?code=&state= must not start a token exchange.
        if request is None or kwargs.get("nonce") is None or "username" in kwargs or "password" in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims) -> bool:
        # The library's default demands an e-mail claim; the portal needs only the configured claim,
        # which find_bruger checks (a missing one is refused with its own reason).
        return True

    def filter_users_by_claims(self, claims):
        afgoerelse = find_bruger(claims)
        self.request.sso_afgoerelse = afgoerelse
        if afgoerelse.bruger is None:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(pk=afgoerelse.bruger.pk)

    def describe_user_by_claims(self, claims) -> str:
        return f"{claim_navn()} {claim_vaerdi(claims)!r}"

    def create_user(self, claims):
        # settings.OIDC_CREATE_USER is False; this guards against the setting being turned on by mistake.
        raise SuspiciousOperation("Log ind med OpenID Connect opretter aldrig brugere.")

    def get_user(self, user_id):
        # The library's get_user skips Django's is_active check: a closed account's session ends at once.
        return ModelBackend.get_user(self, user_id)


def axes_undtaget(request, credentials=None) -> bool:
    """settings.AXES_WHITELIST_CALLABLE: the provider's callback is neither counted nor locked.

    Its authenticate() carries no username, so django-axes would count every unknown person against
    (no username, source address) and, after LOGIN_FORSOEG of them, refuse every sign-in through the
    organisation from that address: a whole office behind one address. Guessing is the provider's to
    stop; a password sign-in (it has a username) is counted as before."""
    if (credentials or {}).get("username"):
        return False
    try:
        return request.path_info == reverse("oidc_authentication_callback")
    except NoReverseMatch:
        return False


def ukendt_kontekst(afgoerelse: SsoAfgoerelse | None) -> dict[str, str]:
    """What the refusal page may show: the reason and the claim's value (for the secretariat)."""
    if afgoerelse is None:
        return {}
    return {"grund": afgoerelse.grund, "vaerdi": afgoerelse.vaerdi}



def udbyder_logud_url(request) -> str | None:
    """Where to send the browser after the portal's session ended, to end the session at the provider
    too (OpenID Connect RP-initiated logout: the ID token as id_token_hint, back to the front page): for a
    session signed in through the organisation, when single sign-on and OIDC_OP_LOGOUT_ENDPOINT are set.
    Read before the session is flushed; None otherwise (the portal's own sign-out is then all there is)."""
    endepunkt = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "")
    id_token = request.session.get("oidc_id_token")
    if not (slaaet_til() and endepunkt and id_token
            and request.session.get(LOGIN_METODE) == LOGIN_METODE_OIDC):
        return None
    tilbage = request.build_absolute_uri(reverse("forside"))
    parametre = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": tilbage,
                           "client_id": settings.OIDC_RP_CLIENT_ID})
    return f"{endepunkt}{'&' if '?' in endepunkt else '?'}{parametre}"
