"""The second factor at sign-in (issue 12, ASVS V6.3): TOTP with django-otp, and recovery codes.

Who must use it is written once, in `totp_paakraevet`: the joint secretariat and administrators, when they
sign in with a password. Everyone else may turn it on (/arbejde/sikkerhed/), and whoever has it on must
give a code. Single sign-on (OpenID Connect) asks for no code here: the identity provider is trusted to
have done its own second factor, so the rule is enforced in the password sign-in (sundhed.mfa_views) and
the token endpoint, not in a middleware in front of every request.

How a session was signed in is kept in the session under LOGIN_METODE ("adgangskode", "adgangskode+totp",
or "oidc" from the single sign-on), so that pages which hand out credentials (API tokens) can ask for it.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sundhed import permissions
from sundhed.exceptions import DomainError
from sundhed.services import haendelse_registrer

LOGIN_METODE = "login_metode"
ADGANGSKODE = "adgangskode"
ADGANGSKODE_TOTP = "adgangskode+totp"
OIDC = "oidc"
# Sessions in which a user who has (or must have) a second factor has shown it, or signed in through the
# identity provider.
MED_ANDEN_FAKTOR = frozenset({ADGANGSKODE_TOTP, OIDC})

ANTAL_GENDANNELSESKODER = 10
ENHEDSNAVN = "Godkendelsesapp"
GENDANNELSE_NAVN = "Gendannelseskoder"


# --- policy -----------------------------------------------------------------------------------------


def totp_paakraevet(bruger) -> bool:
    """Must `bruger` give a TOTP code after the password? The one place the rule is written.

    Yes for the joint secretariat (its membership gives it every agreement: `redigere_alle_aftaler`) and
    for administrators: superusers and holders of `administrere_struktur` (permissions.er_administrator),
    and staff accounts, which can enter /admin/."""
    if not bruger.is_authenticated or not bruger.is_active:
        return False
    return bool(bruger.is_staff or permissions.er_administrator(bruger)
                or permissions.har(bruger, "redigere_alle_aftaler"))


def totp_enhed(bruger) -> TOTPDevice | None:
    """The user's confirmed authenticator (one query)."""
    return TOTPDevice.objects.filter(user=bruger, confirmed=True).order_by("-pk").first()


def kraever_kode(bruger) -> bool:
    """Does a password sign-in of `bruger` need a code: the rule says so, or the user turned it on."""
    return totp_paakraevet(bruger) or totp_enhed(bruger) is not None


def session_har_anden_faktor(session) -> bool:
    """Was this session signed in with a second factor (or through the identity provider)?"""
    return session.get(LOGIN_METODE) in MED_ANDEN_FAKTOR


def maa_faa_noegle_i_session(bruger, session) -> bool:
    """May the /arbejde/tokens/ page issue an API token in this session? Not to a user who has or must have
    a second factor unless the session was signed in with it: a token outlives the session."""
    return session_har_anden_faktor(session) or not kraever_kode(bruger)


# --- codes ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kontrol:
    """The outcome of checking a code: the device that took it, or why not."""

    enhed: TOTPDevice | StaticDevice | None = None
    vent_sekunder: int = 0  # > 0: refused without looking, because of too many wrong codes in a row

    @property
    def godkendt(self) -> bool:
        return self.enhed is not None

    @property
    def fejl(self) -> str:
        if self.vent_sekunder:
            enhed = "sekund" if self.vent_sekunder == 1 else "sekunder"
            return (f"Du har skrevet en forkert kode for mange gange i træk. Vent {self.vent_sekunder} {enhed}, "
                    "og prøv igen.")
        return ("Koden er forkert eller allerede brugt. Skriv den 6-cifrede kode, som din godkendelsesapp viser nu, "
                "eller en af dine gendannelseskoder.")


def _normaliser(kode: str) -> str:
    return "".join((kode or "").split()).replace("-", "").lower()


def _ventetid(enhed) -> int:
    tilladt, data = enhed.verify_is_allowed()
    if tilladt or not data or "locked_until" not in data:
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))


def kode_kontroller(*, bruger, kode: str) -> Kontrol:
    """Check a TOTP code (6 digits) or a recovery code against the user's confirmed
    devices. django-otp throttles each device (a wait that doubles with each wrong code in a row), and
    a TOTP code is taken once only. A recovery code is used up."""
    kode = _normaliser(kode)
    if not kode:
        return Kontrol()
    with transaction.atomic():
        # select_for_update: two requests with the same code cannot both be let in.
        if kode.isdigit() and len(kode) == 6:
            enheder = list(TOTPDevice.objects.select_for_update().filter(user=bruger, confirmed=True))
        else:
            enheder = list(StaticDevice.objects.select_for_update().filter(user=bruger, confirmed=True))
        vent = 0
        for enhed in enheder:
            if ventetid := _ventetid(enhed):
                vent = max(vent, ventetid)
            elif enhed.verify_token(kode):
                return Kontrol(enhed=enhed)
        return Kontrol(vent_sekunder=vent)


# --- enrolment and recovery codes (services) ---------------------------------------------------------


def ny_enhed(*, bruger) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (the same one until it is confirmed, so the
    QR code does not change when the page is reloaded)."""
    enhed = TOTPDevice.objects.filter(user=bruger, confirmed=False).order_by("-pk").first()
    if enhed is None:
        enhed = TOTPDevice.objects.create(user=bruger, name=ENHEDSNAVN, confirmed=False)
    return enhed


def _nye_gendannelseskoder(bruger) -> list[str]:
    enhed, _ = StaticDevice.objects.get_or_create(user=bruger, name=GENDANNELSE_NAVN, defaults={"confirmed": True})
    enhed.token_set.all().delete()
    koder = []
    while len(koder) < ANTAL_GENDANNELSESKODER:
        kode = StaticToken.random_token()
        if kode not in koder:
            koder.append(kode)
    StaticToken.objects.bulk_create([StaticToken(device=enhed, token=k) for k in koder])
    return koder


def totp_bekraeft(*, bruger, enhed: TOTPDevice, kode: str) -> list[str]:
    """Confirm the authenticator being set up with a code from it; it replaces any earlier one. Returns the
    new recovery codes (shown once). Raises DomainError on a wrong code."""
    kode = _normaliser(kode)
    # The check commits on its own: a wrong code's throttling must stay when the refusal is raised.
    with transaction.atomic():
        enhed = TOTPDevice.objects.select_for_update().get(pk=enhed.pk, user=bruger, confirmed=False)
        vent = _ventetid(enhed)
        rigtig = not vent and kode.isdigit() and len(kode) == 6 and enhed.verify_token(kode)
    if vent:
        raise DomainError(Kontrol(vent_sekunder=vent).fejl, field="kode")
    if not rigtig:
        raise DomainError("Koden er forkert. Skriv den 6-cifrede kode, som din godkendelsesapp viser nu.",
                          field="kode")
    return _bekraeft(bruger=bruger, enhed=enhed)


@transaction.atomic
def _bekraeft(*, bruger, enhed: TOTPDevice) -> list[str]:
    TOTPDevice.objects.filter(user=bruger).exclude(pk=enhed.pk).delete()
    enhed.confirmed = True
    enhed.save(update_fields=["confirmed"])
    koder = _nye_gendannelseskoder(bruger)
    haendelse_registrer(bruger=bruger, handling="totp_oprettet", objekt=bruger,
                        beskrivelse=f"Totrinsbekræftelse slået til for {bruger.get_username()}.")
    return koder


@transaction.atomic
def gendannelseskoder_forny(*, bruger) -> list[str]:
    """New recovery codes for a user who has an authenticator; the old ones stop working."""
    if totp_enhed(bruger) is None:
        raise DomainError("Slå totrinsbekræftelse til, før du laver gendannelseskoder.")
    koder = _nye_gendannelseskoder(bruger)
    haendelse_registrer(bruger=bruger, handling="gendannelseskoder_fornyet", objekt=bruger,
                        beskrivelse=f"Nye gendannelseskoder til {bruger.get_username()}.")
    return koder


@transaction.atomic
def totp_fjern(*, bruger) -> None:
    """Turn the second factor off, for a user who is not required to have it."""
    if totp_paakraevet(bruger):
        raise DomainError("Du skal bruge totrinsbekræftelse, fordi du er med i det fælles sekretariat eller "
                          "er administrator. Den kan ikke slås fra.")
    TOTPDevice.objects.filter(user=bruger).delete()
    StaticDevice.objects.filter(user=bruger).delete()
    haendelse_registrer(bruger=bruger, handling="totp_fjernet", objekt=bruger,
                        beskrivelse=f"Totrinsbekræftelse slået fra for {bruger.get_username()}.")


def gendannelseskoder_tilbage(bruger) -> int:
    """How many unused recovery codes the user has (one query)."""
    return StaticToken.objects.filter(device__user=bruger, device__confirmed=True).count()


@transaction.atomic
def demo_enhed_saet(*, bruger, noegle: str) -> bool:
    """Give a demo user a confirmed authenticator with a fixed secret (demo data only). True if it changed."""
    if TOTPDevice.objects.filter(user=bruger, confirmed=True, key=noegle).exists():
        return False
    TOTPDevice.objects.filter(user=bruger).delete()
    TOTPDevice.objects.create(user=bruger, name=ENHEDSNAVN, confirmed=True, key=noegle)
    return True


# --- showing a secret --------------------------------------------------------------------------------


def hemmelighed(enhed: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    tekst = base64.b32encode(enhed.bin_key).decode("ascii").rstrip("=")
    return " ".join(tekst[i:i + 4] for i in range(0, len(tekst), 4))


def qr_svg(enhed: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, made here (no script, nothing loaded from elsewhere)."""
    billede = qrcode.make(enhed.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    svg = billede.to_string(encoding="unicode")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR-kode til din godkendelsesapp" class="qr-kode" ',
                       1)


def kode_nu(noegle_hex: str, tidspunkt: float | None = None) -> str:
    """The TOTP code of a hex secret at a time (now): for the demo command and tests."""
    totp = TOTP(bytes.fromhex(noegle_hex), step=30, digits=6)
    totp.time = time.time() if tidspunkt is None else tidspunkt
    return f"{totp.token():06d}"
