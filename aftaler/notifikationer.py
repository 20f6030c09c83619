"""Who hears what when an agreement changes state, and with which text: the one place it is decided.

A transition notifies those who must act now: the council secretariats of the parties that must
decide when an agreement is recommended (`indstillet`) or sent to consultation (`hoering`), and the
joint secretariat when it has been approved (`godkendt`) or has come into force (`i_kraft`). Sending
back, ending a consultation, repeal and revision notify no one; nor does a single party's decision
(a rejection or postponement writes no transition).

The texts are templates/aftaler/mail/<slags>_emne.txt and <slags>_tekst.txt; sundhed.notifikationer
renders and sends them. The task (aftaler.tasks.underret_om_overgang) only loads the transition and
calls `send_overgang`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from aftaler import selectors
from aftaler.choices import Status
from aftaler.models import Overgang, Samarbejdsaftale
from organisation import selectors as org_selectors
from sundhed import dansk
from sundhed.notifikationer import Besked, Modtager, modtagere_fra, send, skriv


def _raadssekretariater(aftale: Samarbejdsaftale) -> list[Modtager]:
    """The secretariats of the councils of the parties that must approve the agreement."""
    return modtagere_fra(org_selectors.raadssekretariater(parter=selectors.paakraevede_parter(aftale)))


def _faelles_sekretariat(aftale: Samarbejdsaftale) -> list[Modtager]:
    return modtagere_fra(org_selectors.faelles_sekretariat())


@dataclass(frozen=True)
class Underretning:
    """What a transition to one state sends: its kind (which names the templates), who hears it, and
    which deadline of the agreement the text gives, if any."""

    slags: str
    modtagere: Callable[[Samarbejdsaftale], list[Modtager]]
    frist: str | None = None


# State reached -> who hears of it. A state not listed notifies no one.
UNDERRETNINGER: dict[str, Underretning] = {
    Status.INDSTILLET: Underretning("til_beslutning", _raadssekretariater, frist="beslutningsfrist"),
    Status.HOERING: Underretning("i_hoering", _raadssekretariater, frist="hoeringsfrist"),
    Status.GODKENDT: Underretning("ny_status", _faelles_sekretariat),
    Status.I_KRAFT: Underretning("ny_status", _faelles_sekretariat),
}


def modtagere_for_overgang(overgang: Overgang) -> list[Modtager]:
    """Who is e-mailed about `overgang`: one per address, sorted by address; empty if no one."""
    underretning = UNDERRETNINGER.get(overgang.til_status)
    return underretning.modtagere(overgang.aftale) if underretning else []


def besked_for_overgang(overgang: Overgang) -> Besked | None:
    """The subject and body about `overgang`, in Danish; None when the transition notifies no one."""
    underretning = UNDERRETNINGER.get(overgang.til_status)
    if underretning is None:
        return None
    aftale = overgang.aftale
    frist = getattr(aftale, underretning.frist) if underretning.frist else None
    return skriv(f"aftaler/mail/{underretning.slags}", {
        "aftale": aftale,
        "status": aftale.get_status_display(),
        "frist": dansk.dato(frist) if frist else "",
        "link": f"{settings.SITE_URL}{reverse('arbejde:aftale', args=[aftale.slug])}",
    })


def send_overgang(overgang: Overgang) -> int:
    """E-mail those who must act on `overgang`, one mail each; returns how many were sent."""
    modtagere = modtagere_for_overgang(overgang)
    if not modtagere:
        return 0
    return send(modtagere, besked_for_overgang(overgang))
