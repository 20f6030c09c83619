"""Single sign-on's matching rule (organisation/sso.py): a stable claim chosen in the settings, never the
e-mail address, and never an account for someone unknown or closed. The full flow against a real
provider is tests/e2e/test_sso.py."""

import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory

from organisation import sso
from organisation.models import Person

PROJEKT = Path(__file__).resolve().parents[2]
SUB = "8d1c6f2e-5b7a-4c1e-9f3d-2a6b0e4c7d11"


@pytest.fixture
def oidc(settings):
    """The settings of a configured provider (the backend reads them when it is made)."""
    settings.OIDC_SLAAET_TIL = True
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_RP_CLIENT_SECRET = "hemmelig"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.invalid/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.invalid/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example.invalid/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://login.example.invalid/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_BRUGER_CLAIM = "sub"
    return settings


def _med_id(bruger, sso_id: str = SUB) -> Person:
    person = bruger.person
    person.sso_id = sso_id
    person.save(update_fields=["sso_id"])
    return person


def test_a_person_is_matched_by_the_configured_claim(personas, oidc):
    _med_id(personas["kommune_a"])

    afgoerelse = sso.find_bruger({"sub": SUB})

    assert afgoerelse.grund == sso.KENDT
    assert afgoerelse.bruger == personas["kommune_a"]


def test_the_claim_is_chosen_by_the_setting_not_always_sub(personas, oidc):
    _med_id(personas["kommune_a"], "MEDARB-4711")
    oidc.OIDC_BRUGER_CLAIM = "medarbejder_id"

    assert sso.find_bruger({"sub": "MEDARB-4711"}).grund == sso.UDEN_CLAIM
    kendt = sso.find_bruger({"sub": "noget-andet", "medarbejder_id": "MEDARB-4711"})
    assert kendt.bruger == personas["kommune_a"]


def test_a_numeric_claim_matches_its_text(personas, oidc):
    _med_id(personas["kommune_a"], "4711")

    assert sso.find_bruger({"sub": 4711}).bruger == personas["kommune_a"]


def test_the_email_address_alone_never_matches(personas, oidc):
    bruger = personas["kommune_a"]
    bruger.email = "sekretaer@kommune-a.invalid"
    bruger.save()
    _med_id(bruger)

    uden_claim = sso.find_bruger({"email": "sekretaer@kommune-a.invalid"})
    forkert_claim = sso.find_bruger({"sub": "en-anden", "email": "sekretaer@kommune-a.invalid"})

    assert (uden_claim.grund, uden_claim.bruger) == (sso.UDEN_CLAIM, None)
    assert (forkert_claim.grund, forkert_claim.bruger) == (sso.UKENDT, None)


@pytest.mark.parametrize("vaerdi", ["", "   ", None, True, ["liste"], {"a": 1}])
def test_an_empty_or_odd_claim_matches_nobody(personas, oidc, vaerdi):
    Person.objects.filter(bruger=personas["kommune_a"]).update(sso_id="")

    assert sso.find_bruger({"sub": vaerdi}) == sso.SsoAfgoerelse(grund=sso.UDEN_CLAIM)


def test_an_inactive_user_is_refused(personas, oidc):
    bruger = personas["kommune_a"]
    _med_id(bruger)
    bruger.is_active = False
    bruger.save()

    afgoerelse = sso.find_bruger({"sub": SUB})

    assert (afgoerelse.grund, afgoerelse.bruger, afgoerelse.vaerdi) == (sso.INAKTIV, None, SUB)


def test_a_person_without_a_user_is_unknown(db, oidc):
    Person.objects.create(navn="Konsulent", sso_id=SUB)

    assert sso.find_bruger({"sub": SUB}) == sso.SsoAfgoerelse(grund=sso.UKENDT, vaerdi=SUB)


def test_the_backend_finds_only_the_matched_user_and_tells_the_callback_why(personas, oidc):
    _med_id(personas["kommune_a"])
    backend = sso.SsoBackend()
    backend.request = RequestFactory().get("/oidc/callback/")

    assert list(backend.filter_users_by_claims({"sub": SUB})) == [personas["kommune_a"]]
    assert list(backend.filter_users_by_claims({"sub": "ukendt", "email": personas["kommune_a"].email})) == []
    assert backend.request.sso_afgoerelse.grund == sso.UKENDT


def test_the_backend_never_creates_a_user(personas, oidc):
    foer = get_user_model().objects.count()

    with pytest.raises(SuspiciousOperation):
        sso.SsoBackend().create_user({"sub": "ny", "email": "ny@example.invalid"})

    assert get_user_model().objects.count() == foer


def test_the_backend_ignores_a_password_sign_in(personas, oidc):
    # A password form posted to an address that happens to carry ?code=&state= starts no token exchange.
    request = RequestFactory().post("/log-ind/?code=x&state=y")

    assert sso.SsoBackend().authenticate(request, username="kommune-a", password="demo") is None
    assert sso.SsoBackend().authenticate(request) is None


def test_a_closed_accounts_session_ends(personas, oidc):
    bruger = personas["kommune_a"]
    assert sso.SsoBackend().get_user(bruger.pk) == bruger

    bruger.is_active = False
    bruger.save()

    assert sso.SsoBackend().get_user(bruger.pk) is None


def test_sso_is_off_without_settings_and_half_a_configuration_stops_the_start():
    def indstillinger(**miljoe: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
        return subprocess.run(
            [sys.executable, "-c", "import sundhed.settings as s; print(s.OIDC_SLAAET_TIL, s.AUTHENTICATION_BACKENDS)"],
            env={**env, **miljoe}, cwd=PROJEKT, capture_output=True, text=True,
        )

    slukket = indstillinger()
    assert slukket.returncode == 0, slukket.stderr
    assert slukket.stdout.startswith("False") and "SsoBackend" not in slukket.stdout

    halv = indstillinger(OIDC_RP_CLIENT_ID="portal", OIDC_OP_TOKEN_ENDPOINT="https://login.example.invalid/token")
    assert halv.returncode != 0
    assert "kræver også OIDC_RP_CLIENT_SECRET" in halv.stderr and "OIDC_OP_JWKS_ENDPOINT" in halv.stderr

    miljoe = {
        "OIDC_RP_CLIENT_ID": "portal", "OIDC_RP_CLIENT_SECRET": "hemmelig",
        **{f"OIDC_OP_{navn}_ENDPOINT": f"https://login.example.invalid/{navn.lower()}"
           for navn in ("AUTHORIZATION", "TOKEN", "USER", "JWKS")},
    }
    taendt = indstillinger(**miljoe)
    assert taendt.returncode == 0, taendt.stderr
    assert taendt.stdout.startswith("True") and "organisation.sso.SsoBackend" in taendt.stdout

    # Plain HTTP to the provider only in development (a local test provider), never in production.
    usikker = indstillinger(**{**miljoe, "OIDC_OP_TOKEN_ENDPOINT": "http://login.example.invalid/token"},
                            DEBUG="0", SECRET_KEY="x" * 50)
    assert usikker.returncode != 0 and "OIDC_OP_TOKEN_ENDPOINT skal begynde med et af https://." in usikker.stderr


def _callback(oidc, query: str):
    """The callback view on a request whose session started a sign-in with state "s" (as the library's
    authenticate view leaves it)."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    from organisation.views.sso import SsoCallback

    oidc.AUTHENTICATION_BACKENDS = [*oidc.AUTHENTICATION_BACKENDS, "organisation.sso.SsoBackend"]
    request = RequestFactory().get(f"/oidc/callback/?{query}")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request.session["oidc_states"] = {"s": {"nonce": "n", "code_verifier": "v" * 64, "added_on": 0}}
    request.session.save()
    request._messages = FallbackStorage(request)
    return request, SsoCallback.as_view()(request)


def test_a_provider_that_does_not_answer_gives_a_danish_message_not_a_server_error(personas, oidc):
    import socket

    with socket.socket() as s:  # a port on this machine where nothing listens
        s.bind(("127.0.0.1", 0))
        oidc.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{s.getsockname()[1]}/token"
    foer = get_user_model().objects.count()

    request, svar = _callback(oidc, "code=abc&state=s")

    assert (svar.status_code, svar.url) == (302, "/log-ind/")
    assert [str(m) for m in request._messages] == [
        "Din organisations login svarede ikke som ventet. Prøv igen om lidt, eller log ind med brugernavn og "
        "adgangskode."]
    assert get_user_model().objects.count() == foer


def test_a_refusal_from_the_provider_sends_back_to_the_login_page(personas, oidc):
    request, svar = _callback(oidc, "error=access_denied&state=s")

    assert (svar.status_code, svar.url) == (302, "/log-ind/")
    assert "Du blev ikke logget ind gennem din organisation" in [str(m) for m in request._messages][0]
    assert "s" not in request.session["oidc_states"]


# --- signing out (RP-initiated logout) -------------------------------------------------------------------

LOGUD = "https://login.example.invalid/logout"


def _sso_session(client, bruger, *, metode: str = sso.LOGIN_METODE_OIDC) -> None:
    client.force_login(bruger)
    session = client.session
    session[sso.LOGIN_METODE] = metode
    session["oidc_id_token"] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXI"
    session.save()


def test_signing_out_after_sso_ends_the_providers_session_too(client, personas, oidc):
    oidc.OIDC_OP_LOGOUT_ENDPOINT = LOGUD
    _sso_session(client, personas["kommune_a"])

    svar = client.post("/log-ud/")

    assert svar.status_code == 302
    adresse = urllib.parse.urlsplit(svar["Location"])
    assert f"{adresse.scheme}://{adresse.netloc}{adresse.path}" == LOGUD
    assert urllib.parse.parse_qs(adresse.query) == {
        "id_token_hint": ["eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXI"],
        "post_logout_redirect_uri": ["http://testserver/"], "client_id": ["portal"]}
    # The portal's own session is over before the browser leaves.
    assert client.get("/arbejde/").status_code == 302
    assert "oidc_id_token" not in client.session


@pytest.mark.parametrize("tilfaelde", ["adgangskode", "uden_endepunkt", "sso_slukket"])
def test_otherwise_signing_out_ends_only_the_portals_session(client, personas, oidc, tilfaelde):
    oidc.OIDC_OP_LOGOUT_ENDPOINT = "" if tilfaelde == "uden_endepunkt" else LOGUD
    if tilfaelde == "sso_slukket":
        oidc.OIDC_SLAAET_TIL = False
    _sso_session(client, personas["kommune_a"], metode="adgangskode" if tilfaelde == "adgangskode" else
                 sso.LOGIN_METODE_OIDC)

    svar = client.post("/log-ud/")

    assert (svar.status_code, svar["Location"]) == (302, "/")
    assert client.get("/arbejde/").status_code == 302


def test_signing_out_is_a_post(client, personas, oidc):
    oidc.OIDC_OP_LOGOUT_ENDPOINT = LOGUD
    _sso_session(client, personas["kommune_a"])
    assert client.get("/log-ud/").status_code == 405
    assert client.get("/arbejde/").status_code == 200  # still signed in


def test_the_providers_logout_origin_alone_is_allowed_as_a_form_action():
    # The sign-out form's answer redirects to the provider; browsers hold that to CSP form-action.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    miljoe = {
        "OIDC_RP_CLIENT_ID": "portal", "OIDC_RP_CLIENT_SECRET": "hemmelig",
        **{f"OIDC_OP_{navn}_ENDPOINT": f"https://login.example.invalid/{navn.lower()}"
           for navn in ("AUTHORIZATION", "TOKEN", "USER", "JWKS")},
    }
    kode = "import sundhed.settings as s; print(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    for ekstra, ventet in (({}, "[\"'self'\"]"),
                           ({"OIDC_OP_LOGOUT_ENDPOINT": "https://logud.example.invalid/end?x=1"},
                            "[\"'self'\", 'https://logud.example.invalid']")):
        svar = subprocess.run([sys.executable, "-c", kode], env={**env, **miljoe, **ekstra}, cwd=PROJEKT,
                              capture_output=True, text=True)
        assert svar.returncode == 0, svar.stderr
        assert svar.stdout.strip() == ventet
