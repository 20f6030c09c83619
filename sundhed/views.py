"""Site-wide pages: front page, accessibility statement, health check, error pages."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from organisation import selectors


def forside(request: HttpRequest) -> HttpResponse:
    return render(request, "forside.html", {"klynger": selectors.klynger_oversigt()})


def tilgaengelighed(request: HttpRequest) -> HttpResponse:
    return render(request, "tilgaengelighed.html")


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


def forbudt(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def ikke_fundet(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def serverfejl(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({"PORTAL_NAVN": settings.PORTAL_NAVN}), status=500)
