"""Accounts' API tokens: issue, list, expire and revoke them (issue 12, ASVS V7).

A token is DRF's `Token` (one per user, sent as `Authorization: Token <key>`); it expires
settings.API_TOKEN_DAGE after it was issued (sundhed.sikkerhed.UdloebendeTokenAuthentication), its owner
sees and revokes it at /arbejde/tokens/, and it is revoked when the account's password changes or the
account is closed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sundhed import mfa
from sundhed.exceptions import DomainError
from sundhed.services import haendelse_registrer


def udloeber(noegle: Token) -> datetime.datetime:
    """When the token stops working."""
    return noegle.created + datetime.timedelta(days=settings.API_TOKEN_DAGE)


def er_udloebet(noegle: Token) -> bool:
    return udloeber(noegle) <= timezone.now()


@dataclass(frozen=True)
class NoegleVisning:
    """A token as its owner sees it: never the whole key, only its last characters."""

    slutter_paa: str
    oprettet: datetime.datetime
    udloeber: datetime.datetime
    udloebet: bool


def api_noegler(*, bruger) -> list[NoegleVisning]:
    """The signed-in user's own tokens (one query)."""
    return [NoegleVisning(slutter_paa=n.key[-4:], oprettet=n.created, udloeber=udloeber(n), udloebet=er_udloebet(n))
            for n in Token.objects.filter(user=bruger)]


@transaction.atomic
def api_noegle_udsted(*, bruger) -> Token:
    """The user's token: the one they have while it is valid, else a new one (audited)."""
    noegle = Token.objects.select_for_update().filter(user=bruger).first()
    if noegle is not None and not er_udloebet(noegle):
        return noegle
    if noegle is not None:
        noegle.delete()
    noegle = Token.objects.create(user=bruger)
    haendelse_registrer(bruger=bruger, handling="api_noegle_udstedt", objekt=bruger,
                        beskrivelse=f"API-nøgle udstedt til {bruger.get_username()} (udløber "
                                    f"{timezone.localtime(udloeber(noegle)):%d.%m.%Y}).",
                        data={"slutter_paa": noegle.key[-4:]})
    return noegle


@transaction.atomic
def api_noegle_ny(*, bruger, session) -> Token:
    """A token issued on the signed-in page /arbejde/tokens/ (shown once there). A user who has or must have
    a second factor gets one only in a session signed in with it (or through the identity provider): a
    token outlives the session, so it must not be had for the password alone (sundhed.mfa)."""
    if not mfa.maa_faa_noegle_i_session(bruger, session):
        raise DomainError("Du skal være logget ind med engangskode for at få en API-nøgle. Log ud, og log ind "
                          "igen med adgangskode og engangskode (eller via din organisations log-ind).")
    if any(not er_udloebet(n) for n in Token.objects.filter(user=bruger)):
        raise DomainError("Du har allerede en gyldig API-nøgle. Træk den tilbage først, hvis du vil have en ny.")
    return api_noegle_udsted(bruger=bruger)


@transaction.atomic
def api_noegler_tilbagekald(*, bruger, konto, grund: str) -> int:
    """Revoke every token of `konto`; `bruger` is who did it (None: the system). The number revoked."""
    antal, _ = Token.objects.filter(user=konto).delete()
    if antal:
        haendelse_registrer(bruger=bruger, handling="api_noegle_tilbagekaldt", objekt=konto,
                            beskrivelse=f"API-nøgle for {konto.get_username()} trukket tilbage: {grund}.",
                            data={"grund": grund})
    return antal


@receiver(pre_save, sender=get_user_model(), dispatch_uid="sundhed.konti.tilbagekald_ved_skift")
def _tilbagekald_ved_skift(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A new password or a closed account revokes the account's API tokens.

    A signal, not a call in each service, because a password changes in many places that are not ours
    (the admin's password form, `manage.py changepassword`, `set_password` in a shell), and every one of
    them ends in this save."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. the sign-in's last_login update: no extra query
    foer = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if foer is None:
        return
    if foer["password"] != instance.password:
        api_noegler_tilbagekald(bruger=None, konto=instance, grund="adgangskoden er ændret")
    elif foer["is_active"] and not instance.is_active:
        api_noegler_tilbagekald(bruger=None, konto=instance, grund="brugeren er deaktiveret")
