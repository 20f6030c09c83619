"""Sign-in hardening (issue 12): lockout, session limits, expiring and revocable API tokens, and the
security review's findings of 2026-11-29, each as the behaviour a user or an attacker meets."""

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sundhed import services, sikkerhed
from sundhed.models import Haendelse
from tests.factories import UserFactory
from tests.sundhed.test_docker_compose import app_miljoe

PROJEKT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token/"
SPAERRET = "For mange mislykkede forsøg på at logge ind"


def log_ind(klient: Client, brugernavn: str, adgangskode: str, **extra):
    return klient.post("/log-ind/", {"username": brugernavn, "password": adgangskode}, **extra)


def hent_token(brugernavn: str, adgangskode: str, **extra):
    return APIClient().post(TOKEN, {"username": brugernavn, "password": adgangskode}, format="json", **extra)


def er_logget_ind(klient: Client) -> bool:
    return SESSION_KEY in klient.session


@pytest.fixture
def konti(db):
    return {"a": UserFactory(username="anne"), "b": UserFactory(username="bent")}


# --- lockout (finding: no brute-force protection) ------------------------------------------------


def test_a_burst_of_wrong_passwords_on_the_login_form_locks_out_the_right_one(konti, settings):
    klient = Client()
    svar = [log_ind(klient, "anne", f"gaet-{n}").status_code for n in range(40)]

    # The first ones are ordinary refusals (the form again); from the limit on, the account is locked.
    assert svar[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert set(svar[settings.AXES_FAILURE_LIMIT:]) == {429}
    rigtig = log_ind(klient, "anne", "demo")
    assert rigtig.status_code == 429
    assert SPAERRET in rigtig.content.decode()
    assert not er_logget_ind(klient)


def test_the_locked_out_login_page_is_danish_keeps_the_username_and_says_how_long(konti, settings):
    settings.AXES_FAILURE_LIMIT = 3
    klient = Client()
    for _ in range(3):
        log_ind(klient, "anne", "forkert")

    svar = log_ind(klient, "anne", "demo")

    html = svar.content.decode()
    assert svar.status_code == 429 and svar["Retry-After"] == str(15 * 60)
    assert "spærret fra din adresse i 15 minutter" in html and "administrator" in html
    assert 'value="anne"' in html
    assert '<html lang="da">' in html


def test_a_burst_of_wrong_passwords_on_the_token_endpoint_locks_out_the_right_one(konti, settings):
    settings.AXES_FAILURE_LIMIT = 5
    svar = [hent_token("anne", f"gaet-{n}").status_code for n in range(30)]

    assert svar[:4] == [400] * 4 and set(svar[5:]) == {429}
    rigtig = hent_token("anne", "demo")
    assert rigtig.status_code == 429
    assert rigtig.json()["detail"].startswith(SPAERRET)
    assert not Token.objects.exists()


def test_failures_on_the_form_and_the_token_endpoint_count_together(konti, settings):
    settings.AXES_FAILURE_LIMIT = 4
    for _ in range(2):
        log_ind(Client(), "anne", "forkert")
        hent_token("anne", "forkert")

    assert hent_token("anne", "demo").status_code == 429
    assert log_ind(Client(), "anne", "demo").status_code == 429


def test_the_lock_is_per_account_and_source_not_global(konti, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(5):
        log_ind(Client(), "anne", "forkert")
        hent_token("anne", "forkert")

    # Another account from the same address signs in.
    bent = Client()
    assert log_ind(bent, "bent", "demo").status_code == 302 and er_logget_ind(bent)
    assert hent_token("bent", "demo").status_code == 200
    # The same account from another address signs in.
    anne = Client(REMOTE_ADDR="192.0.2.77")
    assert log_ind(anne, "anne", "demo").status_code == 302 and er_logget_ind(anne)
    assert hent_token("anne", "demo", REMOTE_ADDR="192.0.2.77").status_code == 200


def test_a_forged_forwarded_for_header_does_not_escape_the_lock_without_a_proxy(konti, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        log_ind(Client(), "anne", "forkert", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    assert log_ind(Client(), "anne", "demo", HTTP_X_FORWARDED_FOR="198.51.100.200").status_code == 429


def test_behind_a_declared_proxy_the_address_it_added_is_the_source(konti, settings):
    settings.BAG_PROXY = True
    settings.AXES_FAILURE_LIMIT = 3
    # The proxy (REMOTE_ADDR 10.0.0.1 for everyone) appends the client's address last.
    for _ in range(3):
        log_ind(Client(REMOTE_ADDR="10.0.0.1"), "anne", "forkert", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")

    assert log_ind(Client(REMOTE_ADDR="10.0.0.1"), "anne", "demo",
                   HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out, whatever it puts first in the header.
    anden = Client(REMOTE_ADDR="10.0.0.1")
    assert log_ind(anden, "anne", "demo", HTTP_X_FORWARDED_FOR="203.0.113.5, 203.0.113.9").status_code == 302


def test_an_administrator_unlocks_with_axes_reset(konti, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        log_ind(Client(), "anne", "forkert")
    assert log_ind(Client(), "anne", "demo").status_code == 429

    call_command("axes_reset_username", "anne")

    klient = Client()
    assert log_ind(klient, "anne", "demo").status_code == 302 and er_logget_ind(klient)


def test_the_lock_ends_after_the_cool_off(konti, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        log_ind(Client(), "anne", "forkert")
    assert log_ind(Client(), "anne", "demo").status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(
        seconds=1))

    assert log_ind(Client(), "anne", "demo").status_code == 302


def test_administrators_see_the_attempts_in_the_admin(konti, settings, admin_client):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        log_ind(Client(), "anne", "forkert")

    svar = admin_client.get("/admin/axes/accessattempt/")

    assert svar.status_code == 200 and "anne" in svar.content.decode()


# --- sessions (finding: sessions last 14 days with no idle timeout) ------------------------------


def _flyt_tid(klient: Client, **sekunder_tilbage: float) -> None:
    session = klient.session
    for noegle, sekunder in sekunder_tilbage.items():
        session[noegle] = session[noegle] - sekunder
    session.save()


@pytest.fixture
def logget_ind(konti):
    klient = Client()
    assert log_ind(klient, "anne", "demo").status_code == 302
    return klient


def test_a_session_ends_after_30_minutes_idle(logget_ind):
    noegle = logget_ind.session.session_key
    _flyt_tid(logget_ind, **{sikkerhed.AKTIV: 31 * 60, sikkerhed.START: 31 * 60})

    svar = logget_ind.get("/arbejde/", follow=True)

    assert svar.redirect_chain[0][0].startswith("/log-ind/?next=/arbejde/")
    assert "ikke har været aktiv i 30 minutter" in svar.content.decode()
    assert not Session.objects.filter(session_key=noegle).exists()


def test_activity_keeps_the_session_alive(logget_ind):
    _flyt_tid(logget_ind, **{sikkerhed.AKTIV: 29 * 60, sikkerhed.START: 5 * 60 * 60})

    assert logget_ind.get("/arbejde/").status_code == 200
    # The activity was recorded: another 29 minutes later it is still alive.
    _flyt_tid(logget_ind, **{sikkerhed.AKTIV: 29 * 60})
    assert logget_ind.get("/arbejde/").status_code == 200


def test_a_session_ends_12_hours_after_the_sign_in_even_when_active(logget_ind):
    _flyt_tid(logget_ind, **{sikkerhed.START: 12 * 60 * 60 + 60})

    svar = logget_ind.get("/arbejde/", follow=True)

    assert svar.redirect_chain[0][0].startswith("/log-ind/")
    assert "logget ind i 12 timer" in svar.content.decode()


def test_the_session_cookie_lives_12_hours_at_most(settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_signing_out_is_a_post_and_ends_the_session_on_the_server(logget_ind):
    noegle = logget_ind.session.session_key

    assert logget_ind.get("/log-ud/").status_code == 405
    assert Session.objects.filter(session_key=noegle).exists()
    assert logget_ind.post("/log-ud/").status_code == 302

    assert not Session.objects.filter(session_key=noegle).exists()
    # The old cookie, replayed, is no sign-in.
    gammel = Client()
    gammel.cookies["sessionid"] = noegle
    assert gammel.get("/arbejde/").status_code == 302


# --- API tokens (findings: tokens never expire; they outlive a password change) ------------------


def _med_token(noegle: str) -> APIClient:
    klient = APIClient()
    klient.credentials(HTTP_AUTHORIZATION=f"Token {noegle}")
    return klient


def test_a_token_expires_after_api_token_dage(konti, settings):
    noegle = hent_token("anne", "demo").json()["token"]
    assert _med_token(noegle).get("/api/v1/aftaler/").status_code == 200

    Token.objects.update(created=timezone.now() - datetime.timedelta(days=settings.API_TOKEN_DAGE, seconds=1))

    svar = _med_token(noegle).get("/api/v1/aftaler/")
    assert svar.status_code == 401
    assert svar.json() == {"detail": "API-nøglen er udløbet. Hent en ny med POST /api/v1/auth/token/."}


def test_the_token_endpoint_issues_a_new_token_for_an_expired_one(konti, settings):
    gammel = hent_token("anne", "demo").json()["token"]
    assert hent_token("anne", "demo").json()["token"] == gammel  # still valid: the same
    Token.objects.update(created=timezone.now() - datetime.timedelta(days=settings.API_TOKEN_DAGE + 1))

    ny = hent_token("anne", "demo").json()["token"]

    assert ny != gammel and _med_token(ny).get("/api/v1/aftaler/").status_code == 200
    assert Haendelse.objects.filter(handling="api_noegle_udstedt").count() == 2


def test_a_password_change_revokes_the_token(konti):
    noegle = hent_token("anne", "demo").json()["token"]

    konti["a"].set_password("et-nyt-og-langt-kodeord")
    konti["a"].save()

    assert _med_token(noegle).get("/api/v1/aftaler/").status_code == 401
    assert not Token.objects.filter(user=konti["a"]).exists()
    raekke = Haendelse.objects.get(handling="api_noegle_tilbagekaldt")
    assert "adgangskoden er ændret" in raekke.beskrivelse


def test_a_password_change_with_changepassword_revokes_the_token(konti, monkeypatch):
    noegle = hent_token("anne", "demo").json()["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "et-nyt-og-langt-kodeord")

    call_command("changepassword", "anne", stdout=open(os.devnull, "w"))

    assert _med_token(noegle).get("/api/v1/aftaler/").status_code == 401


def test_saving_an_account_without_changing_its_password_keeps_the_token(konti):
    noegle = hent_token("anne", "demo").json()["token"]
    konti["a"].first_name = "Anne"
    konti["a"].save()

    assert _med_token(noegle).get("/api/v1/aftaler/").status_code == 200


def test_closing_an_account_revokes_its_token_for_good(konti, admin_user):
    noegle = hent_token("anne", "demo").json()["token"]

    services.bruger_deaktiver(bruger=admin_user, konto=konti["a"])
    services.bruger_genaktiver(bruger=admin_user, konto=konti["a"])

    # Opening the account again does not bring the old token back.
    assert _med_token(noegle).get("/api/v1/aftaler/").status_code == 401
    assert "brugeren er deaktiveret" in Haendelse.objects.get(handling="api_noegle_tilbagekaldt").beskrivelse


def test_the_owner_sees_the_token_by_its_last_characters_only(konti):
    noegle = hent_token("anne", "demo").json()["token"]
    hent_token("bent", "demo")
    klient = Client()
    klient.force_login(konti["a"])

    html = klient.get("/arbejde/tokens/").content.decode()

    assert f"<code>{noegle[-4:]}</code>" in html and noegle not in html
    assert html.count("Slutter på") == 1  # bent's is not shown
    assert "Gyldig" in html and "Træk API-nøglen tilbage" in html


def test_the_owner_revokes_the_token(konti):
    noegle = hent_token("anne", "demo").json()["token"]
    bents = hent_token("bent", "demo").json()["token"]
    klient = Client()
    klient.force_login(konti["a"])

    svar = klient.post("/arbejde/tokens/", follow=True)

    assert "Din API-nøgle er trukket tilbage" in svar.content.decode()
    assert "Du har ingen API-nøgle" in svar.content.decode()
    assert _med_token(noegle).get("/api/v1/aftaler/").status_code == 401
    assert _med_token(bents).get("/api/v1/aftaler/").status_code == 200
    raekke = Haendelse.objects.get(handling="api_noegle_tilbagekaldt")
    assert raekke.bruger == konti["a"] and "trukket tilbage af ejeren" in raekke.beskrivelse


def test_the_token_page_needs_a_sign_in(db):
    svar = Client().get("/arbejde/tokens/")
    assert svar.status_code == 302 and svar["Location"].startswith("/log-ind/")
    assert Client().post("/arbejde/tokens/").status_code == 302


def test_the_token_page_runs_a_fixed_number_of_queries(konti, django_assert_max_num_queries):
    # With or without a token, and whatever other users hold, the page asks the same few questions.
    for n in range(20):
        hent_token(UserFactory(username=f"andre{n}").username, "demo")
    klient = Client()
    klient.force_login(konti["a"])
    klient.get("/arbejde/tokens/")

    with django_assert_max_num_queries(6):
        assert klient.get("/arbejde/tokens/").status_code == 200
    hent_token("anne", "demo")
    with django_assert_max_num_queries(6):
        assert klient.get("/arbejde/tokens/").status_code == 200


# --- headers (finding: no Content-Security-Policy) -----------------------------------------------


def test_pages_carry_the_content_security_policy_and_the_other_headers(client, db):
    svar = client.get("/tilgaengelighed/")

    direktiver = dict(d.strip().split(" ", 1) for d in svar["Content-Security-Policy"].split(";"))
    assert direktiver["default-src"] == "'self'"
    assert direktiver["object-src"] == "'none'"
    assert direktiver["base-uri"] == "'none'"
    assert direktiver["frame-ancestors"] == "'none'"
    assert "script-src" not in direktiver and "style-src" not in direktiver  # so no 'unsafe-inline' either
    assert svar["Referrer-Policy"] == "same-origin"
    assert svar["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script():
    # What the browser would refuse under the policy: <script> without src, or an on...= handler.
    fund = []
    for fil in (PROJEKT / "templates").rglob("*.html"):
        tekst = fil.read_text(encoding="utf-8")
        fund += [f"{fil.name}: {m}" for m in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", tekst)]
        fund += [f"{fil.name}: {m}" for m in re.findall(r"\son[a-z]+=\"", tekst)]
    assert fund == []


def test_swagger_ui_has_no_inline_script_or_style(client, db):
    html = client.get("/api/docs/").content.decode()

    assert not re.search(r"<script(?![^>]*\bsrc=)", html) and "<style" not in html


# --- the CSRF failure page (finding: Django's English default) -----------------------------------


def test_a_login_without_its_csrf_token_gets_the_danish_page(konti):
    svar = Client(enforce_csrf_checks=True).post("/log-ind/", {"username": "anne", "password": "demo"})

    html = svar.content.decode()
    assert svar.status_code == 403
    assert "Formularen kunne ikke sendes" in html and '<html lang="da">' in html
    assert "CSRF verification failed" not in html


# --- the proxy header and the deployment checks (findings: X-Forwarded-Proto trusted; W004/W008) -


def _indstillinger(**miljoe: str) -> dict:
    """The production settings (docker-compose.yml's environment plus `miljoe`), read in a fresh process."""
    env = app_miljoe("web", SECRET_KEY="en-lang-noegle-" * 4, POSTGRES_PASSWORD="p", **miljoe)
    env |= {k: v for k, v in miljoe.items() if k not in env}
    program = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'proxy': s.SECURE_PROXY_SSL_HEADER, 'redirect': s.SECURE_SSL_REDIRECT, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'silenced': s.SILENCED_SYSTEM_CHECKS}))"
    )
    resultat = subprocess.run(
        [sys.executable, "-c", program], cwd=PROJEKT, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "sundhed.settings", **env},
    )
    assert resultat.returncode == 0, resultat.stderr
    return json.loads(resultat.stdout)


def test_without_a_declared_proxy_x_forwarded_proto_is_not_trusted():
    assert _indstillinger()["proxy"] is None


def test_with_a_declared_proxy_its_scheme_is_trusted_and_http_is_redirected():
    indstillinger = _indstillinger(BAG_PROXY="1")

    assert indstillinger["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert indstillinger["redirect"] is True
    assert "security.W008" not in indstillinger["silenced"]
    assert indstillinger["hsts"] >= 3600


def test_a_forged_https_header_gets_no_https_treatment_without_a_proxy(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 3600  # as in production; HSTS goes out on HTTPS requests only

    assert "Strict-Transport-Security" not in client.get("/", HTTP_X_FORWARDED_PROTO="https")


@pytest.mark.parametrize("bag_proxy", ["0", "1"])
def test_the_security_deploy_checks_pass_in_production(bag_proxy):
    env = app_miljoe("web", SECRET_KEY="en-lang-noegle-som-ingen-gaetter-" * 2, POSTGRES_PASSWORD="p",
                     BAG_PROXY=bag_proxy)
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"],
        cwd=PROJEKT, capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
    )

    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
