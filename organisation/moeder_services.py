"""Every write to meetings: plan and edit a meeting, its agenda items and their attachments, and run the
transitions of organisation/moedeforloeb.py.

Each service checks the user (organisation.policies: the secretariat, or the forum's own secretary),
validates with Danish messages naming the field, locks the meeting row, writes, raises the meeting's
iCal sequence and appends the audit row, all in one transaction, so a refusal changes nothing.
`bruger=None` is the system itself (the demo loader), as in organisation.services.
"""

from __future__ import annotations

import datetime
import secrets
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from organisation import notifikationer, policies
from organisation.models import Dagsordenpunkt, Forum, Kalenderadgang, Moede, MoedeStatus, Punktbilag
from organisation.moedeforloeb import OVERGANGE
from organisation.moeder_selectors import noegle_hash
from sundhed import filkontrol
from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.sanitize import er_html, rens_html
from sundhed.services import haendelse_registrer

KOEBENHAVN = ZoneInfo("Europe/Copenhagen")
MOEDEFELTER = ("start", "slut", "sted", "titel")
PUNKTFELTER = ("titel", "aaben", "sagsnummer", "sagsfremstilling", "indstilling", "beslutning", "fravaerende",
               "bilag")
# Written with the agreements' editor and cleaned with the same allow-list (sundhed/sanitize.py).
RIGE_PUNKTFELTER = ("sagsfremstilling", "indstilling", "beslutning")
_NAVN_MAKS = Punktbilag._meta.get_field("navn").max_length


def _kraev_planlaegger(bruger, forum: Forum) -> None:
    if bruger is None:  # the system itself (demo loader)
        return
    if not policies.kan_planlaegge_moeder(bruger, forum):
        raise IkkeTilladt("Du har ikke adgang til at planlægge møder i dette forum.")


def _laas(moede: Moede) -> Moede:
    return Moede.objects.select_for_update().select_related("forum").get(pk=moede.pk)


def _kan_aendres(moede: Moede) -> None:
    if moede.status == MoedeStatus.AFLYST:
        raise DomainError("Mødet er aflyst og kan ikke længere ændres.")


def _tid(vaerdi, felt: str) -> datetime.datetime:
    """An aware datetime to the minute; a naive one is read as Danish time."""
    if isinstance(vaerdi, str):
        try:
            vaerdi = datetime.datetime.fromisoformat(vaerdi)
        except ValueError:
            raise DomainError("Angiv dato og klokkeslæt som ÅÅÅÅ-MM-DD TT:MM.", field=felt) from None
    if not isinstance(vaerdi, datetime.datetime):
        raise DomainError("Angiv dato og klokkeslæt.", field=felt)
    if timezone.is_naive(vaerdi):
        vaerdi = vaerdi.replace(tzinfo=KOEBENHAVN)
    return vaerdi.replace(second=0, microsecond=0)


def _gem(obj) -> None:
    """full_clean, the first message naming its field."""
    try:
        obj.full_clean()
    except ValidationError as fejl:
        raise DomainError.fra_validering(fejl) from None
    obj.save()


def _aendret(moede: Moede) -> None:
    """Every change raises the sequence, so calendar clients replace the event (RFC 5545 SEQUENCE)."""
    Moede.objects.filter(pk=moede.pk).update(sekvens=F("sekvens") + 1, opdateret=timezone.now())
    moede.refresh_from_db(fields=["sekvens", "opdateret"])


def _moedefelter(moede: Moede, felter: dict) -> None:
    ukendte = set(felter) - set(MOEDEFELTER)
    if ukendte:
        raise DomainError(f"Ukendt felt: {', '.join(sorted(ukendte))}.", field=sorted(ukendte)[0])
    for navn in ("start", "slut"):
        if navn in felter:
            felter[navn] = _tid(felter[navn], navn)
    for navn in ("sted", "titel"):
        if navn in felter:
            felter[navn] = (felter[navn] or "").strip()
    for navn, vaerdi in felter.items():
        setattr(moede, navn, vaerdi)
    if moede.start is None:
        raise DomainError("Angiv, hvornår mødet begynder.", field="start")
    if moede.slut is None:
        raise DomainError("Angiv, hvornår mødet slutter.", field="slut")
    if moede.slut <= moede.start:
        raise DomainError("Mødet skal slutte efter, det begynder.", field="slut")


# --- meetings -----------------------------------------------------------------------------------------


@transaction.atomic
def moede_opret(*, bruger, forum: Forum, start, slut, sted: str = "", titel: str = "") -> Moede:
    """Plan a meeting of `forum` (state `planlagt`: not public until its agenda is published)."""
    if forum is None:
        raise DomainError("Vælg forummet.", field="forum")
    _kraev_planlaegger(bruger, forum)
    moede = Moede(forum=forum)
    _moedefelter(moede, {"start": start, "slut": slut, "sted": sted, "titel": titel})
    _gem(moede)
    haendelse_registrer(bruger=bruger, handling="moede_oprettet", objekt=moede)
    return moede


@transaction.atomic
def moede_rediger(*, moede: Moede, bruger, **felter) -> Moede:
    """Change a meeting's time, place or title (not after it is cancelled)."""
    _kraev_planlaegger(bruger, moede.forum)
    moede = _laas(moede)
    _kan_aendres(moede)
    foer = {navn: str(getattr(moede, navn)) for navn in felter if navn in MOEDEFELTER}
    _moedefelter(moede, dict(felter))
    _gem(moede)
    efter = {navn: str(getattr(moede, navn)) for navn in foer}
    if foer != efter:
        _aendret(moede)
        haendelse_registrer(bruger=bruger, handling="moede_aendret", objekt=moede,
                            data={"foer": foer, "efter": efter})
    return moede


# --- agenda items -------------------------------------------------------------------------------------


def _punktfelter(punkt: Dagsordenpunkt, felter: dict) -> None:
    ukendte = set(felter) - set(PUNKTFELTER)
    if ukendte:
        raise DomainError(f"Ukendt felt: {', '.join(sorted(ukendte))}.", field=sorted(ukendte)[0])
    for navn, vaerdi in felter.items():
        if navn == "aaben":
            vaerdi = bool(vaerdi)
        else:
            vaerdi = (vaerdi or "").strip()
        if navn in RIGE_PUNKTFELTER and er_html(vaerdi):
            # Plain text (typed without JavaScript, or through the API) is kept as typed and shown with its
            # line breaks; HTML keeps only what the allow-list allows.
            vaerdi = rens_html(vaerdi)
        setattr(punkt, navn, vaerdi)
    if not punkt.titel:
        raise DomainError("Skriv punktets titel.", field="titel")


@transaction.atomic
def punkt_opret(*, moede: Moede, bruger, titel: str, **felter) -> Dagsordenpunkt:
    """Add an item at the end of the agenda."""
    _kraev_planlaegger(bruger, moede.forum)
    moede = _laas(moede)
    _kan_aendres(moede)
    naeste = (moede.punkter.aggregate(n=Max("nummer"))["n"] or 0) + 1
    punkt = Dagsordenpunkt(moede=moede, nummer=naeste)
    _punktfelter(punkt, {"titel": titel, **felter})
    _gem(punkt)
    _aendret(moede)
    haendelse_registrer(bruger=bruger, handling="punkt_oprettet", objekt=moede,
                        data={"punkt": punkt.pk, "nummer": punkt.nummer})
    return punkt


@transaction.atomic
def punkt_rediger(*, punkt: Dagsordenpunkt, bruger, **felter) -> Dagsordenpunkt:
    """Change an item's texts or whether it is open (agenda and minutes alike)."""
    _kraev_planlaegger(bruger, punkt.moede.forum)
    moede = _laas(punkt.moede)
    _kan_aendres(moede)
    punkt = Dagsordenpunkt.objects.get(pk=punkt.pk)
    foer = {navn: getattr(punkt, navn) for navn in felter if navn in PUNKTFELTER}
    _punktfelter(punkt, dict(felter))
    _gem(punkt)
    aendrede = sorted(navn for navn in foer if getattr(punkt, navn) != foer[navn])
    if aendrede:
        _aendret(moede)
        haendelse_registrer(bruger=bruger, handling="punkt_aendret", objekt=moede,
                            data={"punkt": punkt.pk, "felter": aendrede})
    return punkt


@transaction.atomic
def punkt_slet(*, punkt: Dagsordenpunkt, bruger) -> None:
    """Remove an item; the items after it move up one number."""
    _kraev_planlaegger(bruger, punkt.moede.forum)
    moede = _laas(punkt.moede)
    _kan_aendres(moede)
    punkt = Dagsordenpunkt.objects.get(pk=punkt.pk)
    haendelse_registrer(bruger=bruger, handling="punkt_slettet", objekt=moede,
                        data={"punkt": punkt.pk, "nummer": punkt.nummer, "titel": punkt.titel})
    for bilag in punkt.bilagsfiler.all():
        bilag.fil.delete(save=False)
    nummer = punkt.nummer
    punkt.delete()
    # One at a time in ascending order: each number is free when the next item takes it (unique per meeting).
    for efter in moede.punkter.filter(nummer__gt=nummer).order_by("nummer"):
        Dagsordenpunkt.objects.filter(pk=efter.pk).update(nummer=efter.nummer - 1)
    _aendret(moede)


@transaction.atomic
def punkt_flyt(*, punkt: Dagsordenpunkt, bruger, retning: str) -> Dagsordenpunkt:
    """Swap an item with the one above (`op`) or below (`ned`) it."""
    if retning not in {"op", "ned"}:
        raise DomainError("Vælg at flytte punktet op eller ned.", field="retning")
    _kraev_planlaegger(bruger, punkt.moede.forum)
    moede = _laas(punkt.moede)
    _kan_aendres(moede)
    punkt = Dagsordenpunkt.objects.get(pk=punkt.pk)
    naboer = moede.punkter.filter(nummer__lt=punkt.nummer).order_by("-nummer") if retning == "op" else \
        moede.punkter.filter(nummer__gt=punkt.nummer).order_by("nummer")
    nabo = naboer.first()
    if nabo is None:
        raise DomainError("Punktet står allerede " + ("øverst." if retning == "op" else "nederst."), field="retning")
    # Through a free number (0, never given out), so the unique (meeting, number) holds at every step.
    a, b = punkt.nummer, nabo.nummer
    Dagsordenpunkt.objects.filter(pk=punkt.pk).update(nummer=0)
    Dagsordenpunkt.objects.filter(pk=nabo.pk).update(nummer=a)
    Dagsordenpunkt.objects.filter(pk=punkt.pk).update(nummer=b)
    punkt.nummer = b
    _aendret(moede)
    haendelse_registrer(bruger=bruger, handling="punkt_flyttet", objekt=moede,
                        data={"punkt": punkt.pk, "fra": a, "til": b})
    return punkt


# --- attachments --------------------------------------------------------------------------------------


@transaction.atomic
def punktbilag_tilfoej(*, punkt: Dagsordenpunkt, bruger, fil, navn: str = "") -> Punktbilag:
    """Attach a file to an item, with the agreements' content checks (sundhed.filkontrol)."""
    _kraev_planlaegger(bruger, punkt.moede.forum)
    moede = _laas(punkt.moede)
    _kan_aendres(moede)
    kontrol = filkontrol.kontroller(fil, navn_maks=_NAVN_MAKS)
    bilag = Punktbilag(punkt=punkt, navn=(navn or "").strip()[:_NAVN_MAKS] or kontrol.filnavn,
                       filnavn=kontrol.filnavn, indholdstype=kontrol.indholdstype, stoerrelse=kontrol.stoerrelse,
                       uploadet_af=bruger if bruger is not None and bruger.is_authenticated else None)
    bilag.fil.save(kontrol.stinavn, fil, save=False)
    bilag.save()
    _aendret(moede)
    haendelse_registrer(bruger=bruger, handling="punktbilag", objekt=moede,
                        data={"punkt": punkt.pk, "bilag": bilag.filnavn})
    return bilag


@transaction.atomic
def punktbilag_slet(*, bilag: Punktbilag, bruger) -> None:
    moede = bilag.punkt.moede
    _kraev_planlaegger(bruger, moede.forum)
    moede = _laas(moede)
    _kan_aendres(moede)
    haendelse_registrer(bruger=bruger, handling="punktbilag_slettet", objekt=moede,
                        data={"punkt": bilag.punkt_id, "bilag": bilag.filnavn})
    bilag.fil.delete(save=False)
    bilag.delete()
    _aendret(moede)


# --- transitions (organisation/moedeforloeb.py) ---------------------------------------------------------


@transaction.atomic
def moede_overgang(*, moede: Moede, bruger, handling: str) -> Moede:
    """The guard: run `handling` from the table if the user may and the meeting's state allows it; the
    state change and its audit row are written together, under a lock on the meeting."""
    regel = OVERGANGE.get(handling)
    if regel is None:
        raise DomainError(f"Ukendt handling '{handling}'.", field="handling")
    if bruger is not None and not getattr(policies, regel.tilladelse)(bruger, moede.forum):
        raise IkkeTilladt("Du har ikke adgang til at gøre dette med mødet.")
    moede = _laas(moede)
    if moede.status not in regel.fra:
        raise DomainError(f"Handlingen kan ikke udføres, når mødet har status «{moede.get_status_display()}».",
                          field="handling")
    fra = moede.status
    globals()[regel.service](moede=moede)
    moede.status = regel.til
    moede.save(update_fields=["status", "dagsorden_offentliggjort", "referat_offentliggjort"])
    _aendret(moede)
    haendelse_registrer(bruger=bruger, handling=f"moede_{handling}", objekt=moede,
                        data={"fra": fra, "til": regel.til})
    notifikationer.moede_skriv(moede)  # agenda or minutes published: outbox rows, in this transaction
    return moede


def moede_offentliggoer_dagsorden(*, moede: Moede) -> None:
    if not moede.punkter.exists():
        raise DomainError("Dagsordenen har ingen punkter endnu.", field="handling")
    moede.dagsorden_offentliggjort = timezone.now()


def moede_offentliggoer_referat(*, moede: Moede) -> None:
    if moede.start > timezone.now():
        raise DomainError("Referatet kan først offentliggøres, når mødet er begyndt.", field="handling")
    moede.referat_offentliggjort = timezone.now()


def moede_aflys(*, moede: Moede) -> None:
    """Nothing beyond the state: a cancelled meeting stays public, marked cancelled."""


# --- the personal calendar ------------------------------------------------------------------------------


@transaction.atomic
def kalenderadgang_opret(*, bruger) -> str:
    """Make the user's calendar address, or renew it (the old address stops working at once). Returns the
    token, the only time it exists outside the user's calendar app: only its hash is stored."""
    if not policies.kan_have_kalender(bruger):
        raise IkkeTilladt("Log ind for at få en kalenderadresse.")
    noegle = secrets.token_urlsafe(32)
    adgang = Kalenderadgang.objects.select_for_update().filter(bruger=bruger).first()
    fornyet = adgang is not None
    if adgang is None:
        adgang = Kalenderadgang(bruger=bruger)
    adgang.noegle_hash, adgang.oprettet = noegle_hash(noegle), timezone.now()
    adgang.save()
    haendelse_registrer(bruger=bruger, handling="kalender_fornyet" if fornyet else "kalender_oprettet",
                        objekt=adgang)
    return noegle


@transaction.atomic
def kalenderadgang_slet(*, bruger) -> None:
    """Revoke the user's calendar address: calendar apps that fetch it get 404 from now on."""
    if not policies.kan_have_kalender(bruger):
        raise IkkeTilladt("Log ind for at slette din kalenderadresse.")
    adgang = Kalenderadgang.objects.select_for_update().filter(bruger=bruger).first()
    if adgang is None:
        raise DomainError("Du har ingen kalenderadresse at slette.", field="handling")
    haendelse_registrer(bruger=bruger, handling="kalender_slettet", objekt=adgang)
    adgang.delete()
