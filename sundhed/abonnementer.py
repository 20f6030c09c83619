"""Preferences and subscriptions: the writes (keyword-only services with their audit rows).

The core names no feature app, so what a subscription may point at is registered by the apps
(`registrer`, from their AppConfig.ready): for each type a function (user, slug) -> the object, or None
when it does not exist or the user may not see it (then the subscription is refused as if it did not
exist).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.models import Abonnement, Levering, Notifikationsvalg
from sundhed.services import haendelse_registrer
from sundhed.udbakke import SLAGS

OPSLAG: dict[str, Callable] = {}


def registrer(objekt_type: str, opslag: Callable) -> None:
    OPSLAG[objekt_type] = opslag


def find(*, bruger, objekt_type: str, slug: str):
    """The object a subscription would follow, or IkkeTilladt (404) when there is none the user may see."""
    if objekt_type not in Abonnement.Type.values:
        raise DomainError("Vælg en samarbejdsaftale, en klynge eller et forum.", field="type")
    opslag = OPSLAG.get(objekt_type)
    objekt = opslag(bruger, slug or "") if opslag else None
    if objekt is None:
        raise IkkeTilladt("Findes ikke.")
    return objekt


def foelger(bruger, objekt_type: str, slug: str) -> bool:
    return bruger.is_authenticated and Abonnement.objects.filter(bruger=bruger, objekt_type=objekt_type,
                                                                 slug=slug).exists()


@transaction.atomic
def abonnement_opret(*, bruger, objekt_type: str, slug: str) -> Abonnement:
    """Follow an object; following it again changes nothing."""
    if not bruger.is_authenticated:
        raise IkkeTilladt("Log ind for at følge.")
    objekt = find(bruger=bruger, objekt_type=objekt_type, slug=slug)
    abonnement, ny = Abonnement.objects.get_or_create(bruger=bruger, objekt_type=objekt_type, slug=slug)
    if ny:
        haendelse_registrer(bruger=bruger, handling="abonnement_opret", objekt=abonnement,
                            beskrivelse=f"Følger {abonnement.get_objekt_type_display().lower()} {objekt}",
                            data={"type": objekt_type, "slug": slug})
    return abonnement


@transaction.atomic
def abonnement_slet(*, bruger, objekt_type: str, slug: str) -> bool:
    """Stop following; True when there was something to stop."""
    abonnement = Abonnement.objects.filter(bruger=bruger, objekt_type=objekt_type, slug=slug).first()
    if abonnement is None:
        return False
    haendelse_registrer(bruger=bruger, handling="abonnement_slet", objekt=abonnement,
                        beskrivelse=f"Følger ikke længere {abonnement.get_objekt_type_display().lower()} {slug}",
                        data={"type": objekt_type, "slug": slug})
    abonnement.delete()
    return True


@transaction.atomic
def notifikationsvalg_gem(*, bruger, valg: dict[str, str]) -> dict[str, str]:
    """Save the user's choice per kind (`straks`, `dagligt` or `fra`); kinds not named keep theirs.
    An unknown kind or choice is refused, naming it, and nothing is saved."""
    if not bruger.is_authenticated:
        raise IkkeTilladt("Log ind.")
    for slags, vaerdi in valg.items():
        if slags not in SLAGS:
            raise DomainError(f"Ukendt slags notifikation: {slags}.", field=slags)
        if vaerdi not in Levering.values:
            raise DomainError("Vælg straks, dagligt eller fra.", field=slags)
    aendret = {}
    for slags, vaerdi in valg.items():
        _, ny = Notifikationsvalg.objects.update_or_create(bruger=bruger, slags=slags, defaults={"valg": vaerdi})
        aendret[slags] = vaerdi
    if aendret:
        haendelse_registrer(bruger=bruger, handling="notifikationsvalg", objekt=bruger,
                            beskrivelse="Notifikationsvalg ændret", data=aendret)
    from sundhed.udbakke import alle_valg

    return alle_valg(bruger)
