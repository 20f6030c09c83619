"""The second factor (issue 12, item 2): TOTP after the password for the secretariat and administrators,
optional for everyone else; recovery codes; the token endpoint and the token page ask for it too."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sundhed import mfa
from sundhed.models import Haendelse
from tests.conftest import totp_kode
from tests.factories import UserFactory

TOKEN = "/api/v1/auth/token/"
FORKERT = "Koden er forkert eller allerede brugt"


@pytest.fixture(autouse=True)
def _uden_ventetid(settings):
    """django-otp's throttling makes a retry wait 1, 2, 4 ... seconds; the tests that are not about the
    wait do not sleep through it (test_throttling_refuses_quick_retries turns it back on)."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def adgangskode(klient: Client, brugernavn: str, kode: str = "demo", **extra):
    return klient.post("/log-ind/", {"username": brugernavn, "password": kode, **extra})


def engangskode(klient: Client, kode: str):
    return klient.post("/log-ind/kode/", {"kode": kode})


def logget_ind(klient: Client):
    return klient.session.get(SESSION_KEY)


def forkert_kode(bruger) -> str:
    rigtig = totp_kode(bruger)
    return f"{(int(rigtig) + 1) % 1_000_000:06d}"


# --- who must ------------------------------------------------------------------------------------


def test_the_secretariat_and_administrators_must_use_totp_others_need_not(personas, db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    staff = UserFactory(username="personale", is_staff=True)

    assert mfa.totp_paakraevet(personas["sekretariat"])
    assert mfa.totp_paakraevet(admin) and mfa.totp_paakraevet(staff)
    for navn in ("temagruppe", "styregruppe", "klynge", "kommune_a", "region", "udenforstaaende"):
        assert not mfa.totp_paakraevet(personas[navn]), navn


# --- the password sign-in -------------------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_the_secretariat(personas):
    klient = Client()

    svar = adgangskode(klient, "sekretariat")

    assert svar.status_code == 302 and svar["Location"] == "/log-ind/kode/"
    assert logget_ind(klient) is None
    # The staff pages still send to the login.
    assert klient.get("/arbejde/")["Location"].startswith("/log-ind/")
    side = klient.get("/log-ind/kode/")
    assert side.status_code == 200
    assert "Skriv din engangskode" in side.content.decode()


def test_the_right_code_signs_in_and_the_session_says_how(personas):
    klient = Client()
    adgangskode(klient, "sekretariat", next="/arbejde/aftaler/")

    svar = engangskode(klient, totp_kode(personas["sekretariat"]))

    assert svar.status_code == 302 and svar["Location"] == "/arbejde/aftaler/"
    assert logget_ind(klient) == str(personas["sekretariat"].pk)
    assert klient.session[mfa.LOGIN_METODE] == "adgangskode+totp"
    assert klient.session[DEVICE_ID_SESSION_KEY]
    assert klient.get("/arbejde/").status_code == 200


def test_a_wrong_code_gives_a_danish_error_and_signs_in_nobody(personas):
    klient = Client()
    adgangskode(klient, "sekretariat")
    enhed = TOTPDevice.objects.get(user=personas["sekretariat"])

    svar = engangskode(klient, forkert_kode(personas["sekretariat"]))

    html = svar.content.decode()
    assert svar.status_code == 200
    assert "Du blev ikke logget ind" in html and FORKERT in html
    assert 'aria-invalid="true"' in html
    assert logget_ind(klient) is None
    enhed_efter = TOTPDevice.objects.get(pk=enhed.pk)
    assert enhed_efter.last_t == enhed.last_t and enhed_efter.confirmed
    # The right code still works afterwards.
    assert engangskode(klient, totp_kode(personas["sekretariat"])).status_code == 302
    assert logget_ind(klient) == str(personas["sekretariat"].pk)


def test_a_code_is_taken_once(personas):
    kode = totp_kode(personas["sekretariat"])
    forste = Client()
    adgangskode(forste, "sekretariat")
    engangskode(forste, kode)
    anden = Client()
    adgangskode(anden, "sekretariat")

    svar = engangskode(anden, kode)

    assert FORKERT in svar.content.decode() and logget_ind(anden) is None


def test_the_code_page_without_a_password_first_sends_back_to_the_login(personas):
    klient = Client()

    svar = klient.post("/log-ind/kode/", {"kode": totp_kode(personas["sekretariat"])}, follow=True)

    assert svar.redirect_chain[-1][0] == "/log-ind/"
    assert "Log ind igen med brugernavn og adgangskode" in svar.content.decode()
    assert logget_ind(klient) is None


def test_the_pending_sign_in_ends_when_the_password_changes(personas):
    klient = Client()
    adgangskode(klient, "sekretariat")
    bruger = personas["sekretariat"]
    bruger.set_password("ny-og-lang-adgangskode")
    bruger.save()

    svar = engangskode(klient, totp_kode(bruger))

    assert svar.status_code == 302 and svar["Location"] == "/log-ind/"
    assert logget_ind(klient) is None


def test_wrong_codes_count_toward_the_lockout(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    klient = Client()
    adgangskode(klient, "sekretariat")

    svar = [engangskode(klient, forkert_kode(personas["sekretariat"])).status_code for _ in range(3)]

    assert svar == [200, 200, 429]
    # Locked out now: the right password is refused too, and the code step is gone.
    laast = adgangskode(Client(), "sekretariat")
    assert laast.status_code == 429 and "For mange mislykkede forsøg" in laast.content.decode()
    assert engangskode(klient, totp_kode(personas["sekretariat"])).status_code == 302
    assert logget_ind(klient) is None


def test_throttling_refuses_quick_retries_in_danish(personas, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    klient = Client()
    adgangskode(klient, "sekretariat")
    engangskode(klient, forkert_kode(personas["sekretariat"]))

    svar = engangskode(klient, totp_kode(personas["sekretariat"]))

    assert re.search(r"Vent \d+ sekunder, og prøv igen", svar.content.decode())
    assert logget_ind(klient) is None


# --- recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_signs_in_once_only(personas):
    koder = mfa.gendannelseskoder_forny(bruger=personas["sekretariat"])
    assert len(koder) == 10 and len(set(koder)) == 10

    forste = Client()
    adgangskode(forste, "sekretariat")
    assert engangskode(forste, koder[0].upper()).status_code == 302
    assert forste.session[mfa.LOGIN_METODE] == "adgangskode+totp"

    anden = Client()
    adgangskode(anden, "sekretariat")
    svar = engangskode(anden, koder[0])
    assert FORKERT in svar.content.decode() and logget_ind(anden) is None
    assert mfa.gendannelseskoder_tilbage(personas["sekretariat"]) == 9


def test_new_recovery_codes_replace_the_old_ones(personas):
    klient = Client()
    klient.force_login(personas["sekretariat"])
    gamle = mfa.gendannelseskoder_forny(bruger=personas["sekretariat"])

    svar = klient.post("/arbejde/sikkerhed/gendannelseskoder/", follow=True)

    nye = re.findall(r"<li><code>([a-z0-9]+)</code></li>", svar.content.decode())
    assert len(nye) == 10 and not set(nye) & set(gamle)
    gemte = StaticToken.objects.filter(device__user=personas["sekretariat"]).values_list("token", flat=True)
    assert set(gemte) == set(nye)
    # Shown once: the page again shows no codes.
    assert "<code>" not in klient.get("/arbejde/sikkerhed/gendannelseskoder/").content.decode()
    assert Haendelse.objects.filter(handling="gendannelseskoder_fornyet").count() == 2


# --- enrolment ------------------------------------------------------------------------------------


def test_a_secretariat_member_without_an_authenticator_sets_one_up_before_signing_in(personas):
    bruger = personas["sekretariat"]
    TOTPDevice.objects.filter(user=bruger).delete()
    klient = Client()

    svar = adgangskode(klient, "sekretariat")
    assert svar.status_code == 302 and svar["Location"] == "/log-ind/totp/"
    assert logget_ind(klient) is None

    side = klient.get("/log-ind/totp/").content.decode()
    enhed = TOTPDevice.objects.get(user=bruger, confirmed=False)
    assert "<svg" in side and 'role="img"' in side
    assert mfa.hemmelighed(enhed) in side
    # Reloading keeps the same secret.
    klient.get("/log-ind/totp/")
    assert TOTPDevice.objects.get(user=bruger).pk == enhed.pk

    forkert = klient.post("/log-ind/totp/", {"kode": "000000" if mfa.kode_nu(enhed.key) != "000000" else "111111"})
    assert "Koden er forkert" in forkert.content.decode() and logget_ind(klient) is None

    svar = klient.post("/log-ind/totp/", {"kode": mfa.kode_nu(enhed.key)})
    assert svar.status_code == 302 and svar["Location"] == "/arbejde/sikkerhed/gendannelseskoder/"
    assert logget_ind(klient) == str(bruger.pk)
    assert klient.session[mfa.LOGIN_METODE] == "adgangskode+totp"
    koder = re.findall(r"<li><code>([a-z0-9]+)</code></li>", klient.get(svar["Location"]).content.decode())
    assert len(koder) == 10
    assert TOTPDevice.objects.get(user=bruger).confirmed
    assert Haendelse.objects.filter(handling="totp_oprettet", objekt_id=str(bruger.pk)).exists()


def test_the_secretariat_cannot_turn_totp_off(personas):
    klient = Client()
    klient.force_login(personas["sekretariat"])

    svar = klient.post("/arbejde/sikkerhed/fjern/", follow=True)

    assert "kan ikke slås fra" in svar.content.decode()
    assert TOTPDevice.objects.filter(user=personas["sekretariat"], confirmed=True).exists()


# --- optional users -------------------------------------------------------------------------------


def test_an_optional_user_signs_in_with_the_password_alone(personas):
    klient = Client()

    svar = adgangskode(klient, "kommune-a")

    assert svar.status_code == 302 and logget_ind(klient) == str(personas["kommune_a"].pk)
    assert klient.session[mfa.LOGIN_METODE] == "adgangskode"


def test_an_optional_user_turns_totp_on_and_then_needs_the_code(personas):
    bruger = personas["kommune_a"]
    klient = Client()
    adgangskode(klient, "kommune-a")
    side = klient.get("/arbejde/sikkerhed/")
    assert "Ikke slået til." in side.content.decode()
    klient.get("/arbejde/sikkerhed/totp/")
    enhed = TOTPDevice.objects.get(user=bruger, confirmed=False)

    svar = klient.post("/arbejde/sikkerhed/totp/", {"kode": mfa.kode_nu(enhed.key)})

    assert svar["Location"] == "/arbejde/sikkerhed/gendannelseskoder/"
    assert klient.session[mfa.LOGIN_METODE] == "adgangskode+totp"
    ny = Client()
    assert adgangskode(ny, "kommune-a")["Location"] == "/log-ind/kode/" and logget_ind(ny) is None
    assert engangskode(ny, totp_kode(bruger)).status_code == 302 and logget_ind(ny) == str(bruger.pk)

    # ... and may turn it off again.
    svar = klient.post("/arbejde/sikkerhed/fjern/", follow=True)
    assert "Totrinsbekræftelse er slået fra" in svar.content.decode()
    tredje = Client()
    assert adgangskode(tredje, "kommune-a").status_code == 302 and logget_ind(tredje) == str(bruger.pk)


def test_the_security_page_is_linked_from_mine_opgaver_and_needs_a_sign_in(personas):
    klient = Client()
    assert klient.get("/arbejde/sikkerhed/")["Location"].startswith("/log-ind/")
    klient.force_login(personas["kommune_a"])

    assert 'href="/arbejde/sikkerhed/"' in klient.get("/arbejde/").content.decode()


def test_the_security_page_runs_a_constant_number_of_queries(personas, django_assert_max_num_queries):
    klient = Client()
    klient.force_login(personas["sekretariat"])
    mfa.gendannelseskoder_forny(bruger=personas["sekretariat"])

    with django_assert_max_num_queries(12):
        assert klient.get("/arbejde/sikkerhed/").status_code == 200


def test_the_admins_own_login_form_sends_to_the_portal_login(db):
    svar = Client().get("/admin/login/?next=/admin/")

    assert svar.status_code == 302 and svar["Location"] == "/log-ind/?next=/admin/"


# --- API tokens -----------------------------------------------------------------------------------


def test_the_token_endpoint_refuses_the_secretariat_without_a_code(personas):
    svar = APIClient().post(TOKEN, {"username": "sekretariat", "password": "demo"}, format="json")

    assert svar.status_code == 400
    assert svar.json() == {"kode": [
        "Brugeren bruger totrinsbekræftelse: send også den 6-cifrede kode fra godkendelsesappen."]}
    assert not Token.objects.exists()


def test_the_token_endpoint_refuses_a_wrong_code_in_danish(personas):
    svar = APIClient().post(TOKEN, {"username": "sekretariat", "password": "demo",
                                    "kode": forkert_kode(personas["sekretariat"])}, format="json")

    assert svar.status_code == 400 and svar.json()["detail"].startswith(FORKERT)
    assert not Token.objects.exists()


def test_the_token_endpoint_issues_with_the_code(personas):
    svar = APIClient().post(TOKEN, {"username": "sekretariat", "password": "demo",
                                    "kode": totp_kode(personas["sekretariat"])}, format="json")

    assert svar.status_code == 200
    assert svar.json() == {"token": Token.objects.get(user=personas["sekretariat"]).key}


def test_the_token_endpoint_refuses_a_required_user_without_an_authenticator(personas):
    TOTPDevice.objects.filter(user=personas["sekretariat"]).delete()

    svar = APIClient().post(TOKEN, {"username": "sekretariat", "password": "demo", "kode": "123456"}, format="json")

    assert svar.status_code == 400 and "skal have totrinsbekræftelse" in svar.json()["detail"]


def test_wrong_codes_on_the_token_endpoint_count_toward_the_lockout(personas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    data = {"username": "sekretariat", "password": "demo", "kode": forkert_kode(personas["sekretariat"])}

    svar = [APIClient().post(TOKEN, data, format="json").status_code for _ in range(4)]

    assert svar == [400, 400, 429, 429]


def test_the_token_endpoint_needs_no_code_from_an_optional_user(personas):
    assert APIClient().post(TOKEN, {"username": "region", "password": "demo"}, format="json").status_code == 200


def test_the_token_page_issues_to_the_secretariat_only_after_the_second_factor(personas):
    kun_adgangskode = Client()
    kun_adgangskode.force_login(personas["sekretariat"])
    session = kun_adgangskode.session
    session[mfa.LOGIN_METODE] = "adgangskode"
    session.save()

    side = kun_adgangskode.get("/arbejde/tokens/").content.decode()
    assert "log ind igen med adgangskode og engangskode" in side
    svar = kun_adgangskode.post("/arbejde/tokens/", {"handling": "udsted"})
    assert "Du skal være logget ind med engangskode" in svar.content.decode()
    assert not Token.objects.exists()

    klient = Client()
    adgangskode(klient, "sekretariat")
    engangskode(klient, totp_kode(personas["sekretariat"]))
    svar = klient.post("/arbejde/tokens/", {"handling": "udsted"})
    noegle = Token.objects.get(user=personas["sekretariat"]).key
    assert svar.status_code == 200 and noegle in svar.content.decode()
    # Shown once: the page afterwards names only its last characters.
    assert noegle not in klient.get("/arbejde/tokens/").content.decode()


def test_the_token_page_issues_in_a_single_sign_on_session(personas):
    klient = Client()
    klient.force_login(personas["sekretariat"])
    session = klient.session
    session[mfa.LOGIN_METODE] = "oidc"
    session.save()

    klient.post("/arbejde/tokens/", {"handling": "udsted"})

    assert Token.objects.filter(user=personas["sekretariat"]).exists()


def test_the_token_page_issues_to_an_optional_user_with_a_password_session(personas):
    klient = Client()
    adgangskode(klient, "region")

    svar = klient.post("/arbejde/tokens/", {"handling": "udsted"})

    assert Token.objects.get(user=personas["region"]).key in svar.content.decode()
    again = klient.post("/arbejde/tokens/", {"handling": "udsted"})
    assert "Du har allerede en gyldig API-nøgle" in again.content.decode()
    assert Token.objects.filter(user=personas["region"]).count() == 1


# --- demo -----------------------------------------------------------------------------------------


def test_the_totp_command_prints_the_current_code_in_the_demo_only(personas, settings):
    import io

    from django.core.management import CommandError, call_command

    settings.DEBUG = True
    ud = io.StringIO()
    call_command("totp", "sekretariat", stdout=ud, stderr=io.StringIO())
    enhed = TOTPDevice.objects.get(user=personas["sekretariat"])
    assert ud.getvalue().strip() == mfa.kode_nu(enhed.key)

    settings.DEBUG = False
    with pytest.raises(CommandError, match="kun, når DEBUG er slået til"):
        call_command("totp", "sekretariat")
    with pytest.raises(CommandError, match="har ikke totrinsbekræftelse"):
        call_command("totp", "region", "--force")


def test_the_demo_authenticator_is_set_once(personas):
    bruger = personas["region"]
    noegle = "00112233445566778899aabbccddeeff00112233"

    assert mfa.demo_enhed_saet(bruger=bruger, noegle=noegle)
    assert not mfa.demo_enhed_saet(bruger=bruger, noegle=noegle)
    assert TOTPDevice.objects.get(user=bruger).key == noegle


def test_the_code_page_sends_a_signed_in_user_on_to_mine_opgaver(personas):
    klient = Client()
    klient.force_login(personas["region"])

    assert klient.get("/log-ind/kode/")["Location"] == "/arbejde/"
