"""Who hears what about an agreement, and with which text: the one place it is decided.

Every function named `*_skriv` is called by aftaler.services inside its transaction and writes outbox
rows (sundhed.udbakke) beside the Overgang/Haendelse rows; the worker delivers them. Who hears what:

- recommended (`indstillet`, a decision awaited): the council secretariats of the required parties;
- sent to consultation (`hoering`): those councils' secretariats and the clusters asked (members of the
  clusters' administrative level, or of the sundhedsråd);
- approved (`godkendt`) or in force (`i_kraft`): the joint secretariat;
- a rejection or postponement by one council: the joint secretariat, with the council's remark;
- a consultation answer: the joint secretariat;
- an implementation status changed: the joint secretariat;
- reminders (`paamindelser`, daily): 7 days before the decision deadline each council that has not
  decided; the day after it the joint secretariat, listing the councils still missing;
- and anyone who follows the agreement (or the cluster, for its implementation) hears of each of these.
Sending back, ending a consultation, repeal and revision notify only the agreement's followers.

The texts are templates/aftaler/mail/<slags>_emne.txt and <slags>_tekst.txt (plain text; the outbox adds
the HTML part, the link to the person's preferences and the List-Unsubscribe header). They carry names
and authorities only, never other people's addresses.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aftaler import selectors
from aftaler.choices import Beslutning, Status
from aftaler.models import Godkendelse, Hoeringssvar, Implementering, Overgang, Samarbejdsaftale
from organisation import selectors as org_selectors
from organisation.choices import ForumType
from organisation.models import Medlemskab
from sundhed import dansk, udbakke
from sundhed.models import Abonnement
from sundhed.notifikationer import Besked, Modtager, modtagere_fra, skriv

PAAMINDELSE_DAGE = 7


def _raadssekretariater(aftale: Samarbejdsaftale, *, uden_adresse: bool = False, parter=None) -> list[Modtager]:
    """The secretariats of the councils of the parties that must approve the agreement."""
    parter = selectors.paakraevede_parter(aftale) if parter is None else parter
    return modtagere_fra(org_selectors.raadssekretariater(parter=parter), uden_adresse=uden_adresse)


def _faelles_sekretariat(aftale: Samarbejdsaftale | None = None, *, uden_adresse: bool = False) -> list[Modtager]:
    return modtagere_fra(org_selectors.faelles_sekretariat(), uden_adresse=uden_adresse)


def _hoeringsmodtagere(aftale: Samarbejdsaftale, *, uden_adresse: bool = False) -> list[Modtager]:
    """The parties asked (their councils' secretariats) and the clusters asked (today's members of the
    clusters' administrative level or sundhedsråd)."""
    klynger = [k.pk for k in selectors.berorte_klynger(aftale)]
    klyngefolk = (Medlemskab.objects.aktive()
                  .filter(forum__klynge__in=klynger,
                          forum__type__in=[ForumType.KLYNGE_ADMINISTRATIV, ForumType.SUNDHEDSRAAD])
                  .select_related("person", "person__bruger"))
    return _saml(_raadssekretariater(aftale, uden_adresse=uden_adresse),
                 modtagere_fra(klyngefolk, uden_adresse=uden_adresse))


def _saml(*lister: list[Modtager]) -> list[Modtager]:
    """One list, one per address (or per person without one), sorted as modtagere_fra sorts."""
    med, uden = {}, {}
    for liste in lister:
        for m in liste:
            if m.email:
                med.setdefault(m.email, m)
            else:
                uden.setdefault(m.person_id or m.bruger_id, m)
    return [med[e] for e in sorted(med)] + sorted(uden.values(), key=lambda m: m.navn)


@dataclass(frozen=True)
class Underretning:
    """What a transition to one state sends: its kind (which names the templates), who hears it, and
    which deadline of the agreement the text gives, if any."""

    slags: str
    modtagere: Callable[..., list[Modtager]]
    frist: str | None = None


# State reached -> who hears of it. A state not listed notifies only the agreement's followers.
UNDERRETNINGER: dict[str, Underretning] = {
    Status.INDSTILLET: Underretning("til_beslutning", _raadssekretariater, frist="beslutningsfrist"),
    Status.HOERING: Underretning("i_hoering", _hoeringsmodtagere, frist="hoeringsfrist"),
    Status.GODKENDT: Underretning("ny_status", _faelles_sekretariat),
    Status.I_KRAFT: Underretning("ny_status", _faelles_sekretariat),
}


def _link(aftale: Samarbejdsaftale) -> str:
    return f"{settings.SITE_URL}{reverse('arbejde:aftale', args=[aftale.slug])}"


def modtagere_for_overgang(overgang: Overgang, *, uden_adresse: bool = False) -> list[Modtager]:
    """Who is e-mailed about `overgang` (followers aside): one per address, sorted by address; empty if no one."""
    underretning = UNDERRETNINGER.get(overgang.til_status)
    return underretning.modtagere(overgang.aftale, uden_adresse=uden_adresse) if underretning else []


def _kontekst_for_overgang(overgang: Overgang) -> dict | None:
    underretning = UNDERRETNINGER.get(overgang.til_status)
    if underretning is None:
        return None
    aftale = overgang.aftale
    frist = getattr(aftale, underretning.frist) if underretning.frist else None
    return {"aftale": {"titel": aftale.titel}, "status": aftale.get_status_display(),
            "frist": dansk.dato(frist) if frist else "", "link": _link(aftale)}


def besked_for_overgang(overgang: Overgang) -> Besked | None:
    """The subject and body about `overgang`, in Danish; None when the transition notifies no one."""
    kontekst = _kontekst_for_overgang(overgang)
    if kontekst is None:
        return None
    return skriv(f"aftaler/mail/{UNDERRETNINGER[overgang.til_status].slags}", kontekst)


def _skriv(*, haendelse: str, slags: str, modtagere: list[Modtager], aftale: Samarbejdsaftale, skabelon: str,
           kontekst: dict, foelgere: list[tuple[str, str]] | None = None, aendring: str = "") -> int:
    """Rows for the direct recipients, then for the followers of the agreement (and of `foelgere`) who
    are not among them, with the text about the change (`aendring`)."""
    felles = {"objekt_type": "aftale", "objekt_id": str(aftale.pk), "objekt_navn": aftale.titel, "url": _link(aftale)}
    antal = udbakke.skriv(haendelse=haendelse, slags=slags, modtagere=modtagere,
                          skabelon=f"aftaler/mail/{skabelon}", kontekst=kontekst, **felles) if modtagere else 0
    direkte = {m.bruger_id for m in modtagere if m.bruger_id}
    abonnenter = [m for m in udbakke.abonnenter([(Abonnement.Type.AFTALE, aftale.slug), *(foelgere or [])])
                  if m.bruger_id not in direkte]
    if abonnenter and not aftale.er_offentlig:
        # A follower who can no longer read a draft hears nothing of it (not even its title).
        from django.contrib.auth import get_user_model

        from aftaler import policies

        brugere = get_user_model().objects.in_bulk([m.bruger_id for m in abonnenter])
        abonnenter = [m for m in abonnenter if policies.kan_se_aftale(brugere[m.bruger_id], aftale)]
    if abonnenter:
        antal += udbakke.skriv(haendelse=haendelse, slags="abonnement", modtagere=abonnenter,
                               skabelon="aftaler/mail/abonnement",
                               kontekst={"aftale": {"titel": aftale.titel}, "aendring": aendring}, **felles)
    return antal


def overgang_skriv(overgang: Overgang) -> int:
    """A transition: its recipients (UNDERRETNINGER) and the agreement's followers."""
    aftale = overgang.aftale
    underretning = UNDERRETNINGER.get(overgang.til_status)
    aendring = f"Aftalen har nu status: {aftale.get_status_display()}."
    if underretning is None:
        return _skriv(haendelse=f"overgang:{overgang.pk}", slags="abonnement", modtagere=[], aftale=aftale,
                      skabelon="abonnement", kontekst={}, aendring=aendring)
    return _skriv(haendelse=f"overgang:{overgang.pk}", slags=underretning.slags,
                  modtagere=modtagere_for_overgang(overgang, uden_adresse=True), aftale=aftale,
                  skabelon=underretning.slags, kontekst=_kontekst_for_overgang(overgang), aendring=aendring)


def beslutning_skriv(godkendelse: Godkendelse, aftale: Samarbejdsaftale) -> int:
    """One council's decision: a rejection or postponement to the joint secretariat with the council's
    remark; any decision to the agreement's followers."""
    part = godkendelse.part
    beslutning = godkendelse.get_beslutning_display().lower()
    kontekst = {"aftale": {"titel": aftale.titel}, "part": part.navn, "beslutning": beslutning,
                "bemaerkning": godkendelse.bemaerkning, "dato": dansk.dato(godkendelse.dato)}
    afvist_udsat = godkendelse.beslutning in (Beslutning.AFVIST, Beslutning.UDSAT)
    return _skriv(haendelse=f"beslutning:{godkendelse.pk}", slags="afvist_udsat",
                  modtagere=_faelles_sekretariat(uden_adresse=True) if afvist_udsat else [], aftale=aftale,
                  skabelon="afvist_udsat", kontekst=kontekst,
                  aendring=f"{part.navn} har {beslutning} aftalen.")


def hoeringssvar_skriv(svar: Hoeringssvar, aftale: Samarbejdsaftale) -> int:
    """A consultation answer (or a replacement of one): the joint secretariat and the followers."""
    afsender = str(svar.part or svar.klynge)
    return _skriv(haendelse=f"hoeringssvar:{svar.pk}:{svar.afgivet.isoformat()}", slags="hoeringssvar",
                  modtagere=_faelles_sekretariat(uden_adresse=True), aftale=aftale, skabelon="hoeringssvar",
                  kontekst={"aftale": {"titel": aftale.titel}, "afsender": afsender},
                  aendring=f"{afsender} har afgivet høringssvar.")


def implementering_skriv(impl: Implementering, aftale: Samarbejdsaftale) -> int:
    """An implementation status changed: the joint secretariat, and followers of the agreement or the cluster."""
    kontekst = {"aftale": {"titel": aftale.titel}, "klynge": impl.klynge.navn, "status": impl.get_status_display()}
    return _skriv(haendelse=f"implementering:{impl.pk}:{impl.opdateret.isoformat()}", slags="implementering",
                  modtagere=_faelles_sekretariat(uden_adresse=True), aftale=aftale, skabelon="implementering",
                  kontekst=kontekst, foelgere=[(Abonnement.Type.KLYNGE, impl.klynge.slug)],
                  aendring=f"{impl.klynge.navn} har ændret implementeringsstatus til: {impl.get_status_display()}.")


# --- reminders ----------------------------------------------------------------------------------


def paamindelser(*, idag: datetime.date | None = None) -> int:
    """The day's reminders, written to the outbox (idempotent per day: run twice, write once):
    7 days before the decision deadline to each council that has not decided; the day after the
    deadline to the joint secretariat, listing the councils still missing."""
    idag = idag or timezone.localdate()
    antal = 0
    snart = idag + datetime.timedelta(days=PAAMINDELSE_DAGE)
    overskredet = idag - datetime.timedelta(days=1)
    aftaler = list(Samarbejdsaftale.objects.filter(status=Status.INDSTILLET, beslutningsfrist__in=[snart, overskredet])
                   .select_related("aktuel_version", "klynge").order_by("pk"))
    for aftale in aftaler:
        mangler = [ps.part for ps in selectors.fremdrift(aftale).parter if ps.endelig is None]
        if not mangler:
            continue
        kontekst = {"aftale": {"titel": aftale.titel}, "frist": dansk.dato(aftale.beslutningsfrist),
                    "mangler": [p.navn for p in mangler]}
        if aftale.beslutningsfrist == snart:
            antal += udbakke.skriv(
                haendelse=f"paamindelse:{aftale.pk}:{aftale.beslutningsfrist}:{idag}", slags="paamindelse",
                modtagere=_raadssekretariater(aftale, uden_adresse=True, parter=mangler),
                skabelon="aftaler/mail/paamindelse", kontekst=kontekst, objekt_type="aftale",
                objekt_id=str(aftale.pk), objekt_navn=aftale.titel, url=_link(aftale))
        else:
            antal += udbakke.skriv(
                haendelse=f"frist_overskredet:{aftale.pk}:{aftale.beslutningsfrist}:{idag}",
                slags="frist_overskredet", modtagere=_faelles_sekretariat(uden_adresse=True),
                skabelon="aftaler/mail/frist_overskredet", kontekst=kontekst, objekt_type="aftale",
                objekt_id=str(aftale.pk), objekt_navn=aftale.titel, url=_link(aftale))
    return antal


def synlig_aftale(bruger, slug: str) -> Samarbejdsaftale | None:
    """The agreement a user may follow: one they may read (sundhed.abonnementer's lookup for "aftale")."""
    from aftaler import policies

    return policies.synlige_aftaler(bruger).filter(slug=slug).first()
