"""Settings from the environment: bad values stop the process with a message naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sundhed.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str, env_url

PROJEKT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "forventet"), [
    ("1", True), ("true", True), ("TRUE", True), (" yes ", True), ("on", True), ("ja", True),
    ("0", False), ("false", False), ("no", False), ("off", False), ("nej", False), ("", False),
])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, forventet):
    monkeypatch.setenv("SUNDHED_TEST_BOOL", raw)

    assert env_bool("SUNDHED_TEST_BOOL", not forventet) is forventet


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SUNDHED_TEST_BOOL", raising=False)

    assert env_bool("SUNDHED_TEST_BOOL", True) is True
    assert env_bool("SUNDHED_TEST_BOOL", False) is False


@pytest.mark.parametrize("raw", ["ture", "2", "jaa", "y e s"])
def test_env_bool_refuses_a_value_it_cannot_read_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DEBUG", raw)

    with pytest.raises(ImproperlyConfiguredEnv, match=r"^DEBUG=") as info:
        env_bool("DEBUG", True)

    assert repr(raw) in str(info.value)


def test_env_int_reads_an_integer_and_defaults_when_unset_or_empty(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "587")
    assert env_int("EMAIL_PORT", 25) == 587
    monkeypatch.setenv("EMAIL_PORT", "")
    assert env_int("EMAIL_PORT", 25) == 25
    monkeypatch.delenv("EMAIL_PORT")
    assert env_int("EMAIL_PORT", 25) == 25


@pytest.mark.parametrize("raw", ["80a", "2.5", "tyve"])
def test_env_int_refuses_a_non_integer_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("EMAIL_PORT", raw)

    with pytest.raises(ImproperlyConfiguredEnv, match=r"^EMAIL_PORT=.*heltal"):
        env_int("EMAIL_PORT", 25)


def test_env_url_accepts_the_allowed_schemes_and_empty(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@db:5432/sundhed")
    assert env_url("DATABASE_URL", ("postgres", "sqlite")) == "postgres://postgres@db:5432/sundhed"
    monkeypatch.setenv("DATABASE_URL", "  ")
    assert env_url("DATABASE_URL", ("postgres", "sqlite")) == ""
    monkeypatch.delenv("DATABASE_URL")
    assert env_url("DATABASE_URL", ("postgres", "sqlite")) == ""


@pytest.mark.parametrize("raw", ["mysql://db/sundhed", "127.0.0.1:6379", "redis//127.0.0.1"])
def test_env_url_refuses_another_scheme_naming_the_variable_and_the_schemes(monkeypatch, raw):
    monkeypatch.setenv("REDIS_URL", raw)

    with pytest.raises(ImproperlyConfiguredEnv, match=r"^REDIS_URL ") as info:
        env_url("REDIS_URL", ("redis", "rediss"))

    assert "redis://" in str(info.value) and "rediss://" in str(info.value)


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " sundhed.example, ,localhost ")

    assert env_list("ALLOWED_HOSTS", []) == ["sundhed.example", "localhost"]


def test_env_str_defaults_when_unset(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)

    assert env_str("SITE_URL", "http://127.0.0.1:8000") == "http://127.0.0.1:8000"


# --- the settings module, imported in a fresh process with a clean environment --------------------


def importer_settings(**env: str) -> subprocess.CompletedProcess:
    """Import the settings and set up Django in a fresh interpreter with only `env` set."""
    ren = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "sundhed.settings", **env}
    program = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=PROJEKT, env=ren, capture_output=True, text=True, timeout=60,
    )


def test_settings_import_in_a_clean_environment_with_embedded_defaults():
    resultat = importer_settings()

    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stdout.strip() == "True"


def test_settings_refuse_debug_off_without_secret_key():
    resultat = importer_settings(DEBUG="0")

    assert resultat.returncode != 0
    assert "ImproperlyConfiguredEnv" in resultat.stderr
    assert "SECRET_KEY skal sættes, når DEBUG er slået fra." in resultat.stderr


def test_settings_start_with_debug_off_and_a_secret_key():
    resultat = importer_settings(DEBUG="0", SECRET_KEY="en-lang-tilfaeldig-noegle-til-testen")

    assert resultat.returncode == 0, resultat.stderr
    assert resultat.stdout.strip() == "False"


@pytest.mark.parametrize(("navn", "vaerdi"), [
    ("DEBUG", "ture"),
    ("DATABASE_URL", "mysql://db/sundhed"),
    ("REDIS_URL", "http://127.0.0.1:6379"),
    ("EMAIL_PORT", "25a"),
    ("DB_CONN_MAX_AGE", "altid"),
])
def test_settings_refuse_a_bad_value_naming_the_variable(navn, vaerdi):
    env = {navn: vaerdi}
    if navn == "DB_CONN_MAX_AGE":
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/sundhed"  # only read with DATABASE_URL

    resultat = importer_settings(**env)

    assert resultat.returncode != 0
    fejllinje = resultat.stderr.strip().splitlines()[-1]
    assert fejllinje.startswith("sundhed.env.ImproperlyConfiguredEnv: " + navn), resultat.stderr
