"""iCal (RFC 5545) of public meetings, built with the `icalendar` library: one VEVENT per meeting with a
UID that never changes (`moede-<pk>@sundhedssamarbejdet`), SEQUENCE from the meeting's `sekvens` (raised
on every change), STATUS:CANCELLED for a cancelled meeting, and times in Europe/Copenhagen with the
VTIMEZONE that describes them. Only the meeting itself goes out (title, forum, place, time, link): no
agenda item, so a closed item cannot leak through a calendar.

The personal feed (/arbejde/kalender/<token>.ics) is fetched by calendar apps without a session: the
token in its address is the credential (organisation.models.Kalenderadgang). It holds the meetings of the
fora the user sat in on each meeting's day (organisation.policies.kalendermoeder), with the same UIDs as
the public feeds, so a meeting is one event whichever feed brought it.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from organisation import moeder_selectors as selectors
from organisation import policies
from organisation.models import Forum, Moede, MoedeStatus

KOEBENHAVN = ZoneInfo("Europe/Copenhagen")
UID_DOMAENE = "sundhedssamarbejdet"


def uid(moede: Moede) -> str:
    return f"moede-{moede.pk}@{UID_DOMAENE}"


def kalender(moeder: Iterable[Moede], *, navn: str, basis: str) -> bytes:
    """The calendar of `moeder`; `basis` is the site's address (for each event's URL, left out for a meeting
    marked `kan_laeses = False`: its page would be 404 for the reader)."""
    cal = Calendar()
    cal.add("prodid", "-//Sundhedssamarbejdet i Region Midtjylland//Møder//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", navn)
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    for moede in moeder:
        ev = Event()
        ev.add("uid", uid(moede))
        ev.add("dtstamp", moede.opdateret)
        ev.add("last-modified", moede.opdateret)
        ev.add("created", moede.oprettet)
        ev.add("sequence", moede.sekvens)
        ev.add("dtstart", moede.start.astimezone(KOEBENHAVN))
        ev.add("dtend", moede.slut.astimezone(KOEBENHAVN))
        titel = f"{moede.forum.navn}: {moede.titel}" if moede.titel else f"Møde i {moede.forum.navn}"
        ev.add("summary", f"AFLYST: {titel}" if moede.status == MoedeStatus.AFLYST else titel)
        if moede.sted:
            ev.add("location", moede.sted)
        if getattr(moede, "kan_laeses", True):
            ev.add("url", basis + reverse("moede-detalje", args=[moede.pk]))
        ev.add("status", "CANCELLED" if moede.status == MoedeStatus.AFLYST else "CONFIRMED")
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def _svar(indhold: bytes, filnavn: str) -> HttpResponse:
    svar = HttpResponse(indhold, content_type="text/calendar; charset=utf-8")
    svar["Content-Disposition"] = f'inline; filename="{filnavn}"'
    return svar


def personlig_adresse(request: HttpRequest, noegle: str) -> str:
    return request.build_absolute_uri(reverse("arbejde:kalender-ics", args=[noegle]))


def _basis(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
def forum_ical(request: HttpRequest, slug: str) -> HttpResponse:
    """The forum's public meetings (a subscription is anonymous: planned meetings never go out here)."""
    forum = get_object_or_404(Forum, slug=slug)
    moeder = selectors.offentlige(forum.moeder.all()).order_by("start", "pk")
    return _svar(kalender(moeder, navn=f"Møder i {forum.navn}", basis=_basis(request)), f"{forum.slug}.ics")


@require_safe
def moede_ical(request: HttpRequest, pk: int) -> HttpResponse:
    moede = policies.moede_eller_404(request.user, Moede.objects.select_related("forum"), pk=pk)
    navn = f"{moede.forum.navn} {timezone.localtime(moede.start):%d.%m.%Y}"
    return _svar(kalender([moede], navn=navn, basis=_basis(request)), f"moede-{moede.pk}.ics")


@require_safe
def personlig_ical(request: HttpRequest, noegle: str) -> HttpResponse:
    """The personal feed. No session: the token is the credential, and a wrong, renewed or revoked one (or
    an account that was closed) is 404, as if the address never existed."""
    adgang = selectors.kalenderadgang_for_noegle(noegle)
    if adgang is None:
        raise Http404("Kalenderen findes ikke.")
    moeder = selectors.kalender_moeder(adgang.bruger)
    svar = _svar(kalender(moeder, navn="Mine møder – Sundhedssamarbejdet", basis=_basis(request)), "mine-moeder.ics")
    # Personal: no shared cache keeps it, and no search engine lists the address.
    svar["Cache-Control"] = "private, no-store"
    svar["X-Robots-Tag"] = "noindex, nofollow"
    svar["Referrer-Policy"] = "no-referrer"
    return svar
