"""Where a request comes from, for the audit log: the client's address and browser (issue 12, item 6).

`KildeMiddleware` puts the request's source in a context variable for the length of the request, so the
service that writes an audit row (sundhed.services.haendelse_registrer) reads it without every service
taking the request. The address is the one the lockout counts (sundhed.sikkerhed.klient_ip): REMOTE_ADDR,
or, only when settings.BAG_PROXY says a proxy is in front, the address that proxy added to
X-Forwarded-For.

The middleware is also the one place where refusals are noticed and logged (sundhed.revision): a view
that raises PermissionDenied, or Http404 for a signed-in user or because a service refused
(sundhed.exceptions.IkkeTilladt), and an API view that answers 403, or 404 to a signed-in user. A URL
that matches no route never reaches a view and is not logged, nor is the public's 404. The engine answers
an outsider as if the object did not exist (policies narrow the lookup), so a signed-in user's 404 from a
view is logged whether a policy hid the object or it is not there: telling them apart would cost a query
on every such answer and is what the 404 is meant not to tell.
"""

from __future__ import annotations

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from sundhed.exceptions import IkkeTilladt
from sundhed.models import BRUGERAGENT_LAENGDE


@dataclass(frozen=True)
class Kilde:
    ip: str | None
    brugeragent: str

    def felter(self) -> dict:
        """The audit row's fields for this source."""
        return {"ip": self.ip, "brugeragent": self.brugeragent}


INGEN = Kilde(ip=None, brugeragent="")
_kilde: ContextVar[Kilde] = ContextVar("sundhed_kilde", default=INGEN)


def _gyldig_ip(tekst: str) -> str | None:
    """The address if it is one (a forged or broken header is not stored: PostgreSQL's inet refuses it)."""
    try:
        return str(ipaddress.ip_address(tekst.strip()))
    except ValueError:
        return None


def fra_request(request: HttpRequest) -> Kilde:
    # sundhed.sikkerhed imports the services, which import this module: read it when called.
    from sundhed.sikkerhed import klient_ip

    meta = getattr(request, "META", None) or {}
    if "REMOTE_ADDR" not in meta:
        return INGEN  # not over HTTP (the test client's login(), a management command)
    return Kilde(ip=_gyldig_ip(klient_ip(request)),
                 brugeragent=meta.get("HTTP_USER_AGENT", "").strip()[:BRUGERAGENT_LAENGDE])


def nuvaerende() -> Kilde:
    """The source of the request being answered; INGEN outside a request (a task, a command)."""
    return _kilde.get()


def _afvisning_fra_undtagelse(request: HttpRequest, exception: Exception) -> tuple[int, str] | None:
    """(status, reason) when the exception a view raised is a refusal worth logging, else None."""
    if isinstance(exception, PermissionDenied):
        return 403, str(exception)
    if not isinstance(exception, Http404):
        return None
    # A service's refusal, turned into a 404 by the view (sundhed.formularer.koer and others).
    aarsag = exception.__cause__ or exception.__context__
    if isinstance(aarsag, IkkeTilladt):
        return 404, aarsag.message
    bruger = getattr(request, "user", None)
    if bruger is not None and bruger.is_authenticated:
        return 404, ""
    return None


def _revision():
    # Imported when first needed: sundhed.revision writes through sundhed.services, which reads this module.
    from sundhed import revision

    return revision


class KildeMiddleware:
    """Holds the request's source for the audit rows written while answering it, and logs refusals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _kilde.set(fra_request(request))
        try:
            response = self.get_response(request)
            # An API view (DRF) answers its own exceptions: its refusals are seen here, by their status.
            if getattr(response, "exception", False) and self._api_afvisning(request, response):
                data = getattr(response, "data", None)
                grund = str(data.get("detail", "")) if isinstance(data, dict) else ""
                _revision().afvisning_registrer(request, status=response.status_code, grund=grund)
            return response
        finally:
            _kilde.reset(token)

    @staticmethod
    def _api_afvisning(request: HttpRequest, response: HttpResponse) -> bool:
        if response.status_code == 403:
            return True
        bruger = getattr(request, "user", None)
        return response.status_code == 404 and bruger is not None and bruger.is_authenticated

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        afvisning = _afvisning_fra_undtagelse(request, exception)
        if afvisning is not None:
            status, grund = afvisning
            _revision().afvisning_registrer(request, status=status, grund=grund)
        # Django's handlers answer as before (sundhed.views: the 404 and 403 pages).
