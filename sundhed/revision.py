"""The audit trail for administrators (/arbejde/revision/, issue 12, item 6): what goes into the audit log
besides the services' own rows, and how the page and its CSV file read it.

Everything is one append-only table, sundhed.Haendelse (the database refuses to change its rows, migration
0004; nobody may add, change or delete them in the admin, sundhed.admin; the API has no endpoint for them).
Each row says who (the user and their name then), what (`handling`, the object, a description), when, and
from where (address and browser, sundhed.kilde). Besides the services' rows:

- transitions: aftaler.services writes an `overgang` row beside each Overgang row, in its transaction;
  council decisions were already `beslutning` rows (aftaler.services.godkendelse_registrer);
- sign-ins (`logget_ind`), sign-outs (`logget_ud`) and failed sign-ins (`login_fejlet`), from Django's
  signals. A failed sign-in keeps the username tried (trimmed), never the password, and points at no user:
  an attempt on someone's name is not something they did. Sign-ins not over HTTP (the test client's
  login(), a management command) come from nowhere and are not logged;
- refusals (`afvist`): noticed once, centrally, by sundhed.kilde.KildeMiddleware, written here in one
  insert of their own. The refused request changes nothing else: its service rolled back before the view
  answered;
- changes in Django's admin (`admin_tilfoejet`, `admin_aendret`, `admin_slettet`): each LogEntry the admin
  writes is mirrored into a row here in the admin's transaction (post_save), so the page and the CSV file
  filter and page one table, and the row has the address of the request. Django writes the entries of a
  bulk action (deleting several objects at once) with bulk_create, which sends no post_save: those are
  mirrored by the admin's hook for logging deletions, ModelAdmin.log_deletions, which every admin on the
  site overrides through sundhed.admin_base (`admin_sletninger_spejl`).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from sundhed import kilde
from sundhed.csvsikker import celle
from sundhed.models import NAVN_LAENGDE, Haendelse
from sundhed.services import navn_paa

logger = logging.getLogger(__name__)

KOEBENHAVN = ZoneInfo("Europe/Copenhagen")
BRUGERNAVN_LAENGDE = 150  # auth.User.username

OVERGANG = "overgang"
BESLUTNING = "beslutning"
LOGGET_IND = "logget_ind"
LOGGET_UD = "logget_ud"
LOGIN_FEJLET = "login_fejlet"
AFVIST = "afvist"
ADMIN = {ADDITION: "admin_tilfoejet", CHANGE: "admin_aendret", DELETION: "admin_slettet"}

# The Danish name of each kind of row the page names; other rows show their `handling` as it is.
HANDLING_NAVNE = {
    OVERGANG: "Overgang",
    BESLUTNING: "Beslutning",
    LOGGET_IND: "Logget ind",
    LOGGET_UD: "Logget ud",
    LOGIN_FEJLET: "Mislykket log-ind",
    AFVIST: "Afvist",
    ADMIN[ADDITION]: "Tilføjet i administrationen",
    ADMIN[CHANGE]: "Ændret i administrationen",
    ADMIN[DELETION]: "Slettet i administrationen",
}


@dataclass(frozen=True)
class Slags:
    """A choice of the page's filter "Hvad": the rows of these `handling` values (or of none of them)."""

    kode: str
    navn: str
    handlinger: tuple[str, ...] = ()

    def q(self) -> Q:
        if self.kode == OEVRIGE:
            return ~Q(handling__in=[h for s in SLAGS.values() for h in s.handlinger])
        return Q(handling__in=self.handlinger)


OEVRIGE = "oevrige"
SLAGS: dict[str, Slags] = {s.kode: s for s in [
    Slags(OVERGANG, "Overgange", (OVERGANG,)),
    Slags(BESLUTNING, "Beslutninger", (BESLUTNING,)),
    Slags(LOGGET_IND, "Log-ind", (LOGGET_IND,)),
    Slags(LOGIN_FEJLET, "Mislykkede log-ind", (LOGIN_FEJLET,)),
    Slags(LOGGET_UD, "Log-ud", (LOGGET_UD,)),
    Slags(AFVIST, "Afvisninger", (AFVIST,)),
    Slags("admin", "Ændringer i administrationen", tuple(ADMIN.values())),
    Slags(OEVRIGE, "Øvrige ændringer"),
]}


def handling_navn(handling: str) -> str:
    return HANDLING_NAVNE.get(handling) or handling.replace("_", " ").capitalize()


# --- writing: the rows that are not a service's own -------------------------------------------------


def _skriv(*, bruger=None, handling: str, beskrivelse: str, objekt_type: str = "", objekt_id: str = "",
           data: dict | None = None, kilde_: kilde.Kilde | None = None) -> Haendelse:
    return Haendelse.objects.create(
        bruger=bruger if bruger is not None and bruger.is_authenticated else None,
        bruger_navn=navn_paa(bruger), handling=handling, objekt_type=objekt_type, objekt_id=objekt_id[:64],
        beskrivelse=beskrivelse[:500], data=data or {}, **(kilde_ or kilde.nuvaerende()).felter(),
    )


def afvisning_registrer(request: HttpRequest, *, status: int, grund: str = "") -> None:
    """Log that the permission engine or a policy refused `request` (sundhed.kilde decides when): one
    insert. A failure to log is reported to the error log, never to the refused user."""
    bruger = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    sti = request.path[:300]
    try:
        with transaction.atomic():
            _skriv(bruger=bruger, handling=AFVIST, beskrivelse=f"{request.method} {sti}",
                   data={"sti": sti, "metode": request.method, "status": status,
                         "visning": match.view_name if match else "", "grund": grund[:300]})
    except DatabaseError:
        logger.exception("Afvisningen af %s %s kunne ikke skrives i hændelsesloggen.", request.method, sti)


def _over_http(request) -> kilde.Kilde | None:
    """The source of a sign-in's request; None when it came through no HTTP request."""
    if request is None:
        return None
    fundet = kilde.fra_request(request)
    return None if fundet is kilde.INGEN else fundet


@receiver(user_logged_in, dispatch_uid="sundhed.revision.logget_ind")
def _logget_ind(sender, request, user, **kwargs) -> None:
    fra = _over_http(request)
    if fra is not None:
        _skriv(bruger=user, handling=LOGGET_IND, objekt_type="auth.user", objekt_id=str(user.pk),
               beskrivelse=f"{navn_paa(user)} loggede ind.", data={"brugernavn": user.get_username()}, kilde_=fra)


@receiver(user_logged_out, dispatch_uid="sundhed.revision.logget_ud")
def _logget_ud(sender, request, user, **kwargs) -> None:
    fra = _over_http(request)
    if fra is not None and user is not None and user.is_authenticated:
        _skriv(bruger=user, handling=LOGGET_UD, objekt_type="auth.user", objekt_id=str(user.pk),
               beskrivelse=f"{navn_paa(user)} loggede ud.", data={"brugernavn": user.get_username()}, kilde_=fra)


@receiver(user_login_failed, dispatch_uid="sundhed.revision.login_fejlet")
def _login_fejlet(sender, credentials, request=None, **kwargs) -> None:
    fra = _over_http(request)
    if fra is None:
        return
    # Only the username: Django has already blanked the password in `credentials`, and nothing else is kept.
    brugernavn = str(credentials.get("username") or "").strip()[:BRUGERNAVN_LAENGDE]
    kendt = bool(brugernavn) and get_user_model().objects.filter(username=brugernavn).exists()
    data = {"brugernavn": brugernavn, "kendt_bruger": kendt}
    if getattr(request, "axes_locked_out", False):  # the attempt that locked the account, or one refused by it
        data["spaerret"] = True
    _skriv(handling=LOGIN_FEJLET, objekt_type="auth.user",
           beskrivelse=f"Mislykket log-ind som »{brugernavn}«{'' if kendt else ' (ukendt bruger)'}.",
           data=data, kilde_=fra)


_ADMIN_VERBUM = {ADDITION: "tilføjet", CHANGE: "ændret", DELETION: "slettet"}


def _spejl(entry: LogEntry) -> None:
    """The audit row of one change in the admin."""
    if entry.action_flag not in ADMIN:
        return
    ct = ContentType.objects.get_for_id(entry.content_type_id) if entry.content_type_id else None
    model = ct.model_class() if ct is not None else None
    typenavn = str(model._meta.verbose_name).capitalize() if model is not None else "Objekt"
    besked = entry.get_change_message()
    _skriv(bruger=entry.user, handling=ADMIN[entry.action_flag],
           objekt_type=f"{ct.app_label}.{ct.model}" if ct is not None else "", objekt_id=str(entry.object_id or ""),
           beskrivelse=f"{typenavn} »{entry.object_repr}« {_ADMIN_VERBUM[entry.action_flag]} i administrationen."
                       + (f" {besked}" if besked else ""),
           data={"logentry": entry.pk, "aendringer": entry.change_message[:2000]})


@receiver(post_save, sender=LogEntry, dispatch_uid="sundhed.revision.admin_aendring")
def _admin_aendring(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        _spejl(instance)


def admin_sletninger_spejl(entries) -> None:
    """The audit rows of a deletion in the admin, given the LogEntry rows ModelAdmin.log_deletions wrote
    (sundhed.admin_base calls this). Django saves a single entry on its own, and post_save has mirrored it
    already; several (a bulk action) it writes with bulk_create, which sends no signal: those are mirrored
    here, right after they are written."""
    if isinstance(entries, list) and len(entries) > 1:
        for entry in entries:
            _spejl(entry)


# --- reading: the page and the CSV file --------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """The page's filters; empty ones filter nothing."""

    slags: str = ""
    bruger: str = ""
    objekt: str = ""
    fra: datetime.date | None = None
    til: datetime.date | None = None
    ip: str = ""

    def som_parametre(self) -> dict[str, str]:
        """The filters as query parameters (for the CSV link and the page links)."""
        vaerdier = {"slags": self.slags, "bruger": self.bruger, "objekt": self.objekt,
                    "fra": self.fra.isoformat() if self.fra else "", "til": self.til.isoformat() if self.til else "",
                    "ip": self.ip}
        return {k: v for k, v in vaerdier.items() if v}


def _dagens_start(dag: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(dag, datetime.time.min, tzinfo=KOEBENHAVN)


def haendelser(filter_: Filter) -> QuerySet[Haendelse]:
    """The rows the filters select, newest first, with the acting user in the same query."""
    qs = Haendelse.objects.select_related("bruger").order_by("-tidspunkt", "-id")
    if filter_.slags in SLAGS:
        qs = qs.filter(SLAGS[filter_.slags].q())
    if filter_.bruger:
        qs = qs.filter(Q(bruger__username__icontains=filter_.bruger) | Q(bruger_navn__icontains=filter_.bruger)
                       | Q(data__brugernavn__icontains=filter_.bruger))
    if filter_.objekt:
        qs = qs.filter(Q(objekt_type__iexact=filter_.objekt) | Q(objekt_id=filter_.objekt)
                       | Q(beskrivelse__icontains=filter_.objekt))
    if filter_.fra:
        qs = qs.filter(tidspunkt__gte=_dagens_start(filter_.fra))
    if filter_.til:
        qs = qs.filter(tidspunkt__lt=_dagens_start(filter_.til + datetime.timedelta(days=1)))
    if filter_.ip:
        qs = qs.filter(ip__startswith=filter_.ip)
    return qs


def vist_bruger(h: Haendelse) -> str:
    """Who, as the page and the file say it: the name then (and the username), or the name tried."""
    if h.bruger_id is not None:
        brugernavn = h.bruger.get_username()
        return h.bruger_navn if h.bruger_navn == brugernavn else f"{h.bruger_navn} ({brugernavn})"
    if h.handling == LOGIN_FEJLET:
        return f"Forsøgt: {h.data.get('brugernavn') or '(tomt)'}"
    if h.bruger_navn:
        return h.bruger_navn
    # No user: a request from someone not signed in, or no request at all (a task, a command, the demo data).
    return "Ikke logget ind" if h.ip else "Systemet"


CSV_FELTER = ["tidspunkt", "bruger", "brugernavn", "handling", "hvad", "objekt_type", "objekt_id",
              "beskrivelse", "ip", "browser", "data"]


def _csv_raekke(h: Haendelse) -> list:
    brugernavn = h.bruger.get_username() if h.bruger_id is not None else h.data.get("brugernavn", "")
    # Every text cell through csvsikker.celle: descriptions, names, usernames tried and browsers are typed
    # by someone, and a failed sign-in's username may be chosen to run in a spreadsheet.
    return [
        timezone.localtime(h.tidspunkt, KOEBENHAVN).isoformat(timespec="seconds"),
        celle(h.bruger_navn[:NAVN_LAENGDE] if h.bruger_id is not None else vist_bruger(h)),
        celle(brugernavn), celle(h.handling), celle(handling_navn(h.handling)), celle(h.objekt_type),
        celle(h.objekt_id), celle(h.beskrivelse), h.ip or "", celle(h.brugeragent),
        celle(json.dumps(h.data, ensure_ascii=False, sort_keys=True)),
    ]


def csv_linjer(raekker: Iterable[Haendelse]) -> Iterator[str]:
    """The CSV file line by line (UTF-8 with BOM, comma, CRLF), for a streaming response."""
    buffer = io.StringIO()
    skriver = csv.writer(buffer, lineterminator="\r\n")

    def _ud() -> str:
        tekst = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return tekst

    yield "\ufeff"
    skriver.writerow(CSV_FELTER)
    yield _ud()
    for h in raekker:
        skriver.writerow(_csv_raekke(h))
        yield _ud()
