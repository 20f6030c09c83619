"""Site-wide pages: front page, accessibility statement, health check, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache

from organisation import selectors
from sundhed.api import dansk_besked


def forside(request: HttpRequest) -> HttpResponse:
    return render(request, "forside.html", {"klynger": selectors.klynger_oversigt()})


def tilgaengelighed(request: HttpRequest) -> HttpResponse:
    return render(request, "tilgaengelighed.html", {
        "kontakt_email": settings.TILGAENGELIGHED_EMAIL,
        "was_url": settings.TILGAENGELIGHED_WAS_URL,
    })


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not answering"; the reason goes in the body
        return f"fejl: {exc.__class__.__name__}"
    return "ok"


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "ikke konfigureret (opgaver køres i processen)"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as exc:
        return f"fejl: {exc.__class__.__name__}"
    return "ok"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not; the broker is reported, not required."""
    database = _database_status()
    broker = _broker_status()
    return JsonResponse(
        {"status": "ok" if database == "ok" else "fejl", "database": database, "broker": broker},
        status=200 if database == "ok" else 503,
    )


# --- error pages: HTML for people, JSON under /api/ -----------------------------------------------
# The API's own views answer their errors in JSON (sundhed.api.exception_handler); these handlers
# answer what never reaches them: a path no route matches (a path value that is not a slug,
# /api/v1/aftaler/a.b/), a PermissionDenied or bad request raised outside DRF, a crash.


def _er_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _json_fejl(status: int) -> JsonResponse:
    return JsonResponse({"detail": dansk_besked(status)}, status=status, json_dumps_params={"ensure_ascii": False})


def _fejlside(skabelon: str, status: int) -> HttpResponse:
    """An error page rendered with no request context: no context processor, no database, no host
    (a 400 may be the Host header itself, a 500 the database)."""
    return HttpResponse(loader.get_template(skabelon).render({"PORTAL_NAVN": settings.PORTAL_NAVN}), status=status)


def ugyldig_forespoergsel(request: HttpRequest, exception=None) -> HttpResponse:
    if _er_api(request):
        return _json_fejl(400)
    return _fejlside("400.html", 400)


def csrf_fejl(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a form whose CSRF token is missing or stale (an old tab, a log-in
    elsewhere, cookies blocked) gets the portal's Danish page, not Django's English one."""
    if _er_api(request):
        return _json_fejl(403)
    return render(request, "403_csrf.html", status=403)


def forbudt(request: HttpRequest, exception=None) -> HttpResponse:
    if _er_api(request):
        return _json_fejl(403)
    return render(request, "403.html", status=403)


def ikke_fundet(request: HttpRequest, exception=None) -> HttpResponse:
    if _er_api(request):
        return _json_fejl(404)
    return render(request, "404.html", status=404)


def serverfejl(request: HttpRequest) -> HttpResponse:
    if _er_api(request):
        return _json_fejl(500)
    # No context processors that touch the database: the error may be the database.
    return _fejlside("500.html", 500)
