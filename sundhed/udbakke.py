"""The transactional outbox: notifications (and refreshes of derived data) that are never lost.

Writing. A service calls `skriv` (mails about an event) or `skriv_opgave` (a refresh of derived data)
inside its own transaction, beside its Overgang/Haendelse rows: the rows commit or roll back with the
change. After commit the delivery task is nudged (`sundhed.tasks.enqueue`, guarded: a broker that is
down is logged and the row waits for the sweeper, never a 500 for a write that has committed).

Delivering. `lever` claims one row at a time (`select_for_update(skip_locked=True)`; on SQLite the
IMMEDIATE transaction serialises the claim) and marks it `sender` in its own committed step, then sends
one mail to one recipient, then marks it `sendt`. A failure is retried with exponential backoff
(`naeste_forsoeg`) up to MAKS_FORSOEG, then `fejlet` (visible in the admin, with a "Prøv igen nu" action).
A beat sweeper (`sundhed.tasks.udbakke_fej`, every minute) delivers whatever is due.

Exactly once, and its honest limits. `noegle` is unique per (event, recipient, channel): writing the
same event twice, or two workers draining the same outbox, never gives a second mail. A worker that
dies after claiming a row leaves it `sender`; after UDBAKKE_OPTAGET_SEKUNDER the sweeper puts it back
once (`genoptaget`) and a second time marks it `fejlet` for an administrator. If the worker died in the
instant between the mail server accepting the mail and the `sendt` row committing, that one mail is
sent again: the outbox cannot know what the mail server did. Such a resend carries the same
Message-ID (from the row), so mail clients that deduplicate show it once. So: at most one extra copy
of one mail per crash, never a lost one.

Preferences. Each kind of event (SLAGS) has a default; a user's `Notifikationsvalg` overrides it:
`straks` (delivered now), `dagligt` (collected into one digest a day, `send_sammendrag`) or `fra` (no
row is written). A recipient without an e-mail address gets a row in state `uden_adresse`: the
secretariat sees who could not be reached, and the failed deliveries, at /arbejde/notifikationer/uden-adresse/
(sundhed.udbakke_views, linked from its "Mine opgaver" with a count) and in the admin's outbox list.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from sundhed import dansk
from sundhed.models import Abonnement, Kanal, Levering, Notifikationsvalg, Udbakke, UdbakkeTilstand
from sundhed.notifikationer import Modtager
from sundhed.text import en_linje

log = logging.getLogger(__name__)

MAKS_FORSOEG = 8


@dataclass(frozen=True)
class Slags:
    navn: str
    standard: str


# Every kind of event a person can hear of, with its default (the preferences page lists them in this order).
SLAGS: dict[str, Slags] = {
    "til_beslutning": Slags("Aftaler, der afventer jeres beslutning", Levering.STRAKS),
    "paamindelse": Slags("Påmindelser om beslutningsfrister", Levering.STRAKS),
    "frist_overskredet": Slags("Overskredne beslutningsfrister", Levering.DAGLIGT),
    # A council's rejection or postponement stops the decision the agreement awaits: the secretariat hears
    # of it at once (the "done when": a rejection mails the secretariat in `make run`).
    "afvist_udsat": Slags("Afvisninger og udsættelser", Levering.STRAKS),
    "i_hoering": Slags("Høringer, I er bedt om at svare på", Levering.DAGLIGT),
    "hoeringssvar": Slags("Indkomne høringssvar", Levering.DAGLIGT),
    "ny_status": Slags("Godkendte og ikrafttrådte aftaler", Levering.DAGLIGT),
    "implementering": Slags("Ændret implementeringsstatus", Levering.DAGLIGT),
    "moede": Slags("Dagsordener og referater", Levering.DAGLIGT),
    "abonnement": Slags("Ændringer i det, du følger", Levering.DAGLIGT),
    "rapport": Slags("Halvårsrapporter om indikatorerne", Levering.DAGLIGT),
}


def valg_for(bruger_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """The explicit choices of these users, (bruger_id, slags) -> valg, in one query."""
    ids = [i for i in set(bruger_ids) if i]
    if not ids:
        return {}
    return {(b, s): v for b, s, v in Notifikationsvalg.objects.filter(bruger_id__in=ids)
            .values_list("bruger_id", "slags", "valg")}


def valg(bruger, slags: str) -> str:
    eget = Notifikationsvalg.objects.filter(bruger=bruger, slags=slags).values_list("valg", flat=True).first()
    return eget or SLAGS[slags].standard


def alle_valg(bruger) -> dict[str, str]:
    """Every kind with the user's choice (or the default), in SLAGS order."""
    egne = dict(Notifikationsvalg.objects.filter(bruger=bruger).values_list("slags", "valg"))
    return {slags: egne.get(slags, s.standard) for slags, s in SLAGS.items()}


def _hash(tekst: str) -> str:
    return hashlib.sha256(tekst.encode()).hexdigest()[:24]


def _modtager_noegle(m: Modtager) -> str:
    if m.email:
        return m.email.lower()
    return f"person:{m.person_id}" if m.person_id else f"bruger:{m.bruger_id}"


def skriv(*, haendelse: str, slags: str, modtagere: Iterable[Modtager], skabelon: str, kontekst: dict,
          objekt_type: str = "", objekt_id: str = "", objekt_navn: str = "", url: str = "", puf: bool = True) -> int:
    """Write one outbox row per recipient of the event `haendelse` (a stable name of the event, e.g.
    "overgang:17"), in the caller's transaction. Idempotent: the same event and recipient write one row.
    A recipient who chose `fra` gets no row; one without an address gets an `uden_adresse` row. Returns
    how many rows were written (new)."""
    if slags not in SLAGS:
        raise ValueError(f"Ukendt slags notifikation: {slags}")
    modtagere = list(modtagere)
    valgene = valg_for(m.bruger_id for m in modtagere)
    raekker, set_ = [], set()
    for m in modtagere:
        mk = _modtager_noegle(m)
        if mk in set_:
            continue
        set_.add(mk)
        levering = valgene.get((m.bruger_id, slags), SLAGS[slags].standard)
        if levering == Levering.FRA:
            continue
        noegle = f"{slags}|{haendelse}|email|{mk}"
        if len(noegle) > 255:
            noegle = f"{slags}|{_hash(noegle)}"
        raekker.append(Udbakke(
            noegle=noegle, kanal=Kanal.EMAIL, slags=slags, levering=levering,
            tilstand=UdbakkeTilstand.VENTENDE if m.email else UdbakkeTilstand.UDEN_ADRESSE,
            modtager_email=m.email, modtager_navn=m.navn[:200], bruger_id=m.bruger_id,
            objekt_type=objekt_type, objekt_id=str(objekt_id), objekt_navn=en_linje(objekt_navn)[:500],
            url=url[:500], skabelon=skabelon, kontekst=kontekst,
        ))
    if not raekker:
        return 0
    foer = Udbakke.objects.filter(noegle__in=[r.noegle for r in raekker]).count()
    Udbakke.objects.bulk_create(raekker, ignore_conflicts=True)
    if puf:  # the drills write thousands of rows and nudge the workers themselves
        _puf_efter_commit()
    return len(raekker) - foer


def skriv_opgave(opgave: str, *args, noegle: str | None = None) -> None:
    """A refresh of derived data (a registered Celery task's name and its arguments), delivered by the
    same worker and sweeper as the mails. Refreshes are idempotent, so a row per change is written;
    `noegle` makes it one per key instead."""
    from uuid import uuid4

    Udbakke.objects.bulk_create([Udbakke(
        noegle=noegle or f"opgave|{opgave}|{args}|{uuid4().hex}"[:255], kanal=Kanal.OPGAVE, slags="opgave",
        skabelon=opgave, kontekst={"args": list(args)},
    )], ignore_conflicts=True)
    _puf_efter_commit()


def _puf_efter_commit() -> None:
    from sundhed import tasks

    tasks.enqueue(tasks.lever_udbakke)


def abonnenter(objekter: Iterable[tuple[str, str]]) -> list[Modtager]:
    """Those who follow any of `objekter` ((type, slug) pairs), one per user, with their account's
    address (or none: they are then listed as unreachable)."""
    betingelse = Q(pk__in=[])
    for objekt_type, slug in objekter:
        if slug:
            betingelse |= Q(objekt_type=objekt_type, slug=slug)
    sete, ud = set(), []
    for a in Abonnement.objects.filter(betingelse).select_related("bruger").order_by("bruger_id"):
        b = a.bruger
        if b.pk in sete or not b.is_active:
            continue
        sete.add(b.pk)
        ud.append(Modtager(email=b.email, navn=b.get_full_name() or b.get_username(), bruger_id=b.pk))
    return ud


def uopnaaede() -> QuerySet[Udbakke]:
    """Mail rows that could not be delivered: no address, or failed for good."""
    return Udbakke.objects.filter(kanal=Kanal.EMAIL, tilstand__in=[UdbakkeTilstand.UDEN_ADRESSE,
                                                                  UdbakkeTilstand.FEJLET])


def antal_uopnaaede() -> int:
    return uopnaaede().count()


# --- delivery ---------------------------------------------------------------------------------------


def _optag(nu: datetime.datetime) -> Udbakke | None:
    """Claim the next due row: committed as `sender` before anything is sent."""
    with transaction.atomic():
        raekke = (Udbakke.objects.select_for_update(skip_locked=True)
                  .filter(tilstand=UdbakkeTilstand.VENTENDE, levering=Levering.STRAKS, naeste_forsoeg__lte=nu)
                  .order_by("naeste_forsoeg", "id").first())
        if raekke is None:
            return None
        antal = Udbakke.objects.filter(pk=raekke.pk, tilstand=UdbakkeTilstand.VENTENDE).update(
            tilstand=UdbakkeTilstand.SENDER, optaget=nu, forsoeg=F("forsoeg") + 1)
        if not antal:
            return None
    raekke.refresh_from_db()
    return raekke


def _afsender() -> str:
    return formataddr((settings.PORTAL_NAVN, settings.DEFAULT_FROM_EMAIL))


def indstillinger_url() -> str:
    return settings.SITE_URL + reverse("arbejde:notifikationer")


def _message_id(noegle: str) -> str:
    domaene = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return f"<udbakke-{_hash(noegle)}@{domaene}>"


def _mail(*, til: str, emne: str, tekst: str, html: str, noegle: str) -> EmailMultiAlternatives:
    afmeld = indstillinger_url()
    besked = EmailMultiAlternatives(
        subject=en_linje(emne), body=tekst, from_email=_afsender(), to=[til],
        headers={"List-Unsubscribe": f"<{afmeld}>", "Message-ID": _message_id(noegle),
                 "X-Udbakke-Noegle": noegle, "Auto-Submitted": "auto-generated"},
    )
    besked.attach_alternative(html, "text/html")
    return besked


def besked_for(raekke: Udbakke) -> EmailMultiAlternatives:
    """The mail of one row: `<skabelon>_emne.txt` and `<skabelon>_tekst.txt`, rendered in Danish,
    wrapped with links to the object and to the recipient's preferences, as text and as HTML."""
    kontekst = {**raekke.kontekst, "link": raekke.url, "modtager": raekke.modtager_navn}
    with translation.override(dansk.SPROG):
        emne = render_to_string(f"{raekke.skabelon}_emne.txt", kontekst)
        indhold = render_to_string(f"{raekke.skabelon}_tekst.txt", kontekst).strip()
        ramme = {"indhold": indhold, "link": raekke.url if raekke.url not in indhold else "",
                 "indstillinger": indstillinger_url(), "portal": settings.PORTAL_NAVN, "emne": en_linje(emne)}
        tekst = render_to_string("sundhed/mail/ramme.txt", ramme).strip()
        html = render_to_string("sundhed/mail/ramme.html", ramme)
    return _mail(til=raekke.modtager_email, emne=emne, tekst=tekst, html=html, noegle=raekke.noegle)


def _udfoer(raekke: Udbakke, forbindelse) -> None:
    if raekke.kanal == Kanal.OPGAVE:
        # By its dotted path, not Celery's registry: a web process (eager mode) has imported only the task
        # modules its requests happened to need, and autodiscovery finds `<app>.tasks` modules only.
        opgave = import_string(raekke.skabelon)
        getattr(opgave, "run", opgave)(*raekke.kontekst.get("args", []))
        return
    forbindelse.send_messages([besked_for(raekke)])


def _backoff(forsoeg: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(60 * 2 ** max(forsoeg - 1, 0), 6 * 3600))


def _fejl(raekke: Udbakke, fejl: Exception, nu: datetime.datetime) -> None:
    opgivet = raekke.forsoeg >= MAKS_FORSOEG
    Udbakke.objects.filter(pk=raekke.pk, tilstand=UdbakkeTilstand.SENDER).update(
        tilstand=UdbakkeTilstand.FEJLET if opgivet else UdbakkeTilstand.VENTENDE,
        sidste_fejl=f"{type(fejl).__name__}: {fejl}"[:2000], naeste_forsoeg=nu + _backoff(raekke.forsoeg))
    log.warning("Udbakke-række %s fejlede (forsøg %s): %s", raekke.pk, raekke.forsoeg, fejl)


def lever(*, graense: int = 500, nu: datetime.datetime | None = None) -> int:
    """Deliver due `straks` rows, one recipient at a time; returns how many were delivered."""
    leveret = 0
    forbindelse = None
    try:
        for _ in range(graense):
            tid = nu or timezone.now()
            raekke = _optag(tid)
            if raekke is None:
                break
            try:
                if raekke.kanal == Kanal.EMAIL and forbindelse is None:
                    forbindelse = get_connection()
                _udfoer(raekke, forbindelse)
            except Exception as fejl:  # noqa: BLE001 - any failure is recorded on the row and retried
                _fejl(raekke, fejl, tid)
                continue
            Udbakke.objects.filter(pk=raekke.pk, tilstand=UdbakkeTilstand.SENDER).update(
                tilstand=UdbakkeTilstand.SENDT, sendt=timezone.now(), sidste_fejl="")
            leveret += 1
    finally:
        if forbindelse is not None:
            forbindelse.close()
    return leveret


def genoptag_haengende(*, nu: datetime.datetime | None = None) -> int:
    """Rows left `sender` by a worker that died: put back once, then `fejlet` for an administrator."""
    nu = nu or timezone.now()
    graense = nu - datetime.timedelta(seconds=settings.UDBAKKE_OPTAGET_SEKUNDER)
    haengende = Udbakke.objects.filter(tilstand=UdbakkeTilstand.SENDER, optaget__lt=graense)
    igen = haengende.filter(genoptaget=False).update(
        tilstand=UdbakkeTilstand.VENTENDE, genoptaget=True, naeste_forsoeg=nu,
        sidste_fejl="Arbejderen stoppede under afsendelsen; forsøges igen én gang.")
    opgivet = haengende.filter(genoptaget=True).update(
        tilstand=UdbakkeTilstand.FEJLET,
        sidste_fejl="Arbejderen stoppede to gange under afsendelsen; kan være sendt. Kontrollér før 'Prøv igen'.")
    return igen + opgivet


def ryd(*, nu: datetime.datetime | None = None) -> int:
    """Delivered refreshes after a day, delivered mails after half a year: the outbox does not grow forever."""
    nu = nu or timezone.now()
    sendt = Udbakke.objects.filter(tilstand=UdbakkeTilstand.SENDT)
    antal, _ = sendt.filter(kanal=Kanal.OPGAVE, sendt__lt=nu - datetime.timedelta(days=1)).delete()
    antal2, _ = sendt.filter(kanal=Kanal.EMAIL, sendt__lt=nu - datetime.timedelta(days=180)).delete()
    return antal + antal2


def proev_igen(raekker) -> int:
    """The admin's "retry now": failed (or waiting) rows are due at once, with a fresh count."""
    return raekker.filter(tilstand__in=[UdbakkeTilstand.FEJLET, UdbakkeTilstand.VENTENDE]).update(
        tilstand=UdbakkeTilstand.VENTENDE, naeste_forsoeg=timezone.now(), forsoeg=0, genoptaget=False)


# --- the daily digest ------------------------------------------------------------------------------


def send_sammendrag(*, nu: datetime.datetime | None = None) -> int:
    """One mail per address with every waiting `dagligt` row, grouped by object (agreement), newest
    first. The rows are claimed as for `lever` and marked sent together. Returns the mails sent."""
    nu = nu or timezone.now()
    adresser = list(Udbakke.objects.filter(tilstand=UdbakkeTilstand.VENTENDE, levering=Levering.DAGLIGT,
                                           oprettet__lte=nu).values_list("modtager_email", flat=True)
                    .distinct().order_by("modtager_email"))
    sendt = 0
    for adresse in adresser:
        with transaction.atomic():
            raekker = list(Udbakke.objects.select_for_update(skip_locked=True).filter(
                tilstand=UdbakkeTilstand.VENTENDE, levering=Levering.DAGLIGT, modtager_email=adresse,
                oprettet__lte=nu).order_by("-oprettet", "-id"))
            ids = [r.pk for r in raekker]
            Udbakke.objects.filter(pk__in=ids).update(tilstand=UdbakkeTilstand.SENDER, optaget=nu,
                                                      forsoeg=F("forsoeg") + 1)
        if not raekker:
            continue
        try:
            get_connection().send_messages([sammendrag_besked(adresse, raekker)])
        except Exception as fejl:  # noqa: BLE001
            for r in raekker:  # back to waiting (for the next digest), or failed after MAKS_FORSOEG
                r.forsoeg += 1
                _fejl(r, fejl, nu)
            continue
        Udbakke.objects.filter(pk__in=ids, tilstand=UdbakkeTilstand.SENDER).update(
            tilstand=UdbakkeTilstand.SENDT, sendt=timezone.now())
        sendt += 1
    return sendt


def sammendrag_besked(adresse: str, raekker: list[Udbakke]) -> EmailMultiAlternatives:
    """The digest: groups by object in order of their newest row, rows newest first within each."""
    grupper: dict[tuple[str, str], list[dict]] = defaultdict(list)
    with translation.override(dansk.SPROG):
        for r in raekker:  # newest first
            emne = en_linje(render_to_string(f"{r.skabelon}_emne.txt", {**r.kontekst, "link": r.url}))
            grupper[(r.objekt_navn or "Andet", r.url)].append(
                {"emne": emne, "tidspunkt": dansk.tidspunkt(r.oprettet, kort=True)})
        kontekst = {"grupper": [{"navn": n, "link": u, "punkter": p} for (n, u), p in grupper.items()],
                    "indstillinger": indstillinger_url(), "portal": settings.PORTAL_NAVN,
                    "antal": len(raekker), "modtager": raekker[0].modtager_navn}
        emne = render_to_string("sundhed/mail/sammendrag_emne.txt", kontekst)
        tekst = render_to_string("sundhed/mail/sammendrag_tekst.txt", kontekst).strip()
        html = render_to_string("sundhed/mail/sammendrag.html", kontekst)
    noegle = f"sammendrag|{adresse}|{min(r.pk for r in raekker)}"
    return _mail(til=adresse, emne=emne, tekst=tekst, html=html, noegle=noegle)


def sammendrag_time() -> int:
    return settings.NOTIFIKATION_SAMMENDRAG_TIME
