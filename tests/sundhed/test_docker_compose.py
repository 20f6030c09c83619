"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

The compose file is parsed with PyYAML; the Dockerfile is read instruction by instruction. The
environment the compose file gives the application is finally fed to the settings module in a
fresh process, so a value the settings would refuse is caught here and not at deploy time.
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

PROJEKT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((PROJEKT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]
SETTINGS_KILDE = (PROJEKT / "sundhed" / "settings.py").read_text(encoding="utf-8")
# Images are named without a registry host ("postgres:16", not "<registry>/library/postgres:16").
REGISTRY_HOST = re.compile(r"^[^/]*[.:][^/]*/")


def settings_variabler() -> set[str]:
    """Every environment variable sundhed/settings.py reads through the sundhed.env helpers."""
    return set(re.findall(r"\benv_(?:str|bool|int|list|url)\(\s*\"([A-Z][A-Z0-9_]*)\"", SETTINGS_KILDE))


def kommando(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else shlex.join(command)


def interpoler(tekst: str, miljoe: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?besked}` and `$$`, enough for this file."""

    def erstat(match: re.Match) -> str:
        navn, operator, rest = match.group(1), match.group(2), match.group(3)
        if miljoe.get(navn):
            return miljoe[navn]
        if operator == ":?":
            raise AssertionError(f"{navn} skal sættes: {rest}")
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", erstat, tekst).replace("$$", "$")


def app_miljoe(service: str, **miljoe: str) -> dict[str, str]:
    return {k: interpoler(str(v), miljoe) for k, v in SERVICES[service]["environment"].items()}


# --- services -------------------------------------------------------------------------------------


def test_every_service_of_the_design_is_there():
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(SERVICES)


def test_postgres_is_16_with_a_volume_and_a_health_check():
    postgres = SERVICES["postgres"]

    assert postgres["image"] == "postgres:16"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in postgres["volumes"])
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_redis_is_7_with_a_health_check_and_keeps_queued_tasks_on_restart():
    redis = SERVICES["redis"]

    assert redis["image"] == "redis:7"
    assert "redis-cli" in redis["healthcheck"]["test"] and "ping" in redis["healthcheck"]["test"]
    assert "--appendonly" in kommando(redis) and any(v.endswith(":/data") for v in redis["volumes"])


def test_named_volumes_are_declared():
    brugte = {v.split(":")[0] for s in SERVICES.values() for v in s.get("volumes", []) if not v.startswith((".", "/"))}

    assert brugte <= set(COMPOSE["volumes"])


def test_web_runs_migrations_then_gunicorn_on_8000():
    web = kommando(SERVICES["web"])

    assert SERVICES["web"]["build"] == "."
    assert "python manage.py migrate --noinput" in web
    assert re.search(r"migrate --noinput\s*&&\s*(exec\s+)?gunicorn sundhed\.wsgi", web), web
    assert "--bind 0.0.0.0:8000" in web


def test_web_health_check_asks_healthz():
    test = " ".join(SERVICES["web"]["healthcheck"]["test"])

    assert "http://127.0.0.1:8000/healthz" in test


@pytest.mark.parametrize(("service", "rolle"), [("worker", "worker"), ("beat", "beat")])
def test_worker_and_beat_run_celery_for_the_sundhed_app(service, rolle):
    argv = shlex.split(kommando(SERVICES[service]))

    assert argv[:4] == ["celery", "-A", "sundhed", rolle]


def test_beat_writes_its_schedule_where_the_non_root_user_may():
    argv = shlex.split(kommando(SERVICES["beat"]))

    assert argv[argv.index("--schedule") + 1].startswith("/tmp/")


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(service):
    depends_on = SERVICES[service]["depends_on"]

    assert depends_on["postgres"] == {"condition": "service_healthy"}
    assert depends_on["redis"] == {"condition": "service_healthy"}


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_worker_and_beat_start_after_web_has_migrated(service):
    assert SERVICES[service]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_every_depends_on_condition_points_at_a_service_with_a_health_check():
    for navn, service in SERVICES.items():
        for afhaengighed, betingelse in service.get("depends_on", {}).items():
            assert afhaengighed in SERVICES, (navn, afhaengighed)
            if betingelse.get("condition") == "service_healthy":
                assert "healthcheck" in SERVICES[afhaengighed], (navn, afhaengighed)


def test_nginx_is_optional_behind_a_profile_and_proxies_to_web():
    nginx = SERVICES["nginx"]

    assert nginx["profiles"] == ["nginx"]
    konfiguration = COMPOSE["configs"][nginx["configs"][0]["source"]]["content"]
    assert "proxy_pass http://web:8000;" in konfiguration
    assert "$$host" in konfiguration  # `$` escaped, or compose would interpolate nginx's variables


def test_no_image_names_a_registry_host():
    for navn, service in SERVICES.items():
        if "image" in service:
            assert not REGISTRY_HOST.match(service["image"]), (navn, service["image"])


# --- the application's environment ----------------------------------------------------------------


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_get_database_and_redis_urls_pointing_at_the_services(service):
    miljoe = app_miljoe(service, SECRET_KEY="x", POSTGRES_PASSWORD="hemmelig")

    database = urlsplit(miljoe["DATABASE_URL"])
    assert (database.scheme, database.hostname, database.port, database.path) == ("postgres", "postgres", 5432,
                                                                                   "/sundhed")
    assert database.password == "hemmelig"
    assert urlsplit(miljoe["REDIS_URL"]).hostname == "redis"
    assert urlsplit(miljoe["REDIS_URL"]).scheme == "redis"


def test_database_credentials_match_the_postgres_service():
    postgres = SERVICES["postgres"]["environment"]
    database = urlsplit(app_miljoe("web", SECRET_KEY="x", POSTGRES_PASSWORD="p")["DATABASE_URL"])

    assert database.username == postgres["POSTGRES_USER"]
    assert database.path == "/" + postgres["POSTGRES_DB"]
    assert "${POSTGRES_PASSWORD" in postgres["POSTGRES_PASSWORD"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_run_in_production_mode_with_a_required_secret_key(service):
    miljoe = SERVICES[service]["environment"]

    assert miljoe["DEBUG"] == "0"
    assert miljoe["SECRET_KEY"].startswith("${SECRET_KEY:?")  # compose refuses to start without it
    assert "ALLOWED_HOSTS" in miljoe


@pytest.mark.parametrize("service", APP_SERVICES)
def test_every_variable_the_compose_file_sets_is_read_by_the_settings(service):
    ukendte = set(SERVICES[service]["environment"]) - settings_variabler()

    assert not ukendte, f"{service} sætter variabler, som sundhed/settings.py ikke læser: {sorted(ukendte)}"


def test_the_settings_variable_list_is_read_from_the_source():
    # Guards the regular expression above: a broken pattern would make the previous test vacuous.
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= settings_variabler()


def test_the_settings_accept_the_compose_environment():
    miljoe = app_miljoe("web", SECRET_KEY="en-lang-noegle", POSTGRES_PASSWORD="hemmelig",
                        ALLOWED_HOSTS="sundhed.example.dk")
    program = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'host': s.DATABASES['default']['HOST'], "
        "'engine': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL, "
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'hosts': s.ALLOWED_HOSTS}))"
    )
    resultat = subprocess.run(
        [sys.executable, "-c", program], cwd=PROJEKT, capture_output=True, text=True, timeout=60,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DJANGO_SETTINGS_MODULE": "sundhed.settings", **miljoe},
    )

    assert resultat.returncode == 0, resultat.stderr
    assert json.loads(resultat.stdout) == {
        "debug": False, "host": "postgres", "engine": "django.db.backends.postgresql",
        "broker": "redis://redis:6379/0", "eager": False, "hosts": ["127.0.0.1", "sundhed.example.dk"],
    }


# --- Dockerfile -----------------------------------------------------------------------------------


def dockerfile_instruktioner() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    linjer = [
        linje for linje in (PROJEKT / "Dockerfile").read_text(encoding="utf-8").splitlines()
        if not linje.lstrip().startswith("#")
    ]
    instruktioner, aktuel = [], ""
    for linje in linjer:
        aktuel += linje.rstrip()
        if aktuel.endswith("\\"):
            aktuel = aktuel[:-1] + " "
            continue
        if aktuel.strip():
            navn, _, argumenter = aktuel.strip().partition(" ")
            instruktioner.append((navn.upper(), " ".join(argumenter.split())))
        aktuel = ""
    return instruktioner


DOCKERFILE = dockerfile_instruktioner()


def koersler() -> str:
    return "\n".join(args for navn, args in DOCKERFILE if navn == "RUN")


def test_dockerfile_is_based_on_python_311_slim_without_a_registry_host():
    billeder = [args.split()[0] for navn, args in DOCKERFILE if navn == "FROM"]

    assert billeder and all(b.startswith("python:3.11-slim") for b in billeder)
    assert not any(REGISTRY_HOST.match(b) for b in billeder)


def test_dockerfile_installs_weasyprint_libraries_and_node_from_debian():
    run = koersler()

    for pakke in ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "nodejs", "npm"]:
        assert re.search(rf"apt-get install [^\n]*\b{re.escape(pakke)}\b", run), pakke


def test_dockerfile_vendors_front_end_packages_installs_the_project_and_collects_static():
    run = koersler()

    assert "npm ci" in run
    assert "node scripts/vendor.mjs" in run
    assert re.search(r"pip install \.(\s|$)", run)
    assert "manage.py collectstatic --noinput" in run


def test_dockerfile_copies_every_package_before_pip_install():
    pyproject = tomllib.loads((PROJEKT / "pyproject.toml").read_text(encoding="utf-8"))
    pakker = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    pip = next(i for i, (navn, args) in enumerate(DOCKERFILE) if navn == "RUN" and "pip install ." in args)
    kopieret = {args.split()[0] for navn, args in DOCKERFILE[:pip] if navn == "COPY"}

    assert pakker <= kopieret


def test_dockerfile_runs_as_a_non_root_user():
    brugere = [args for navn, args in DOCKERFILE if navn == "USER"]
    cmd = max(i for i, (navn, _) in enumerate(DOCKERFILE) if navn in {"CMD", "ENTRYPOINT"})
    sidste_bruger = max(i for i, (navn, _) in enumerate(DOCKERFILE) if navn == "USER")

    assert brugere and brugere[-1] not in {"root", "0", "0:0"}
    assert sidste_bruger < cmd


def test_dockerfile_starts_gunicorn_with_the_wsgi_application_on_8000():
    kommandoer = [args for navn, args in DOCKERFILE if navn in {"CMD", "ENTRYPOINT"}]
    argv = json.loads(kommandoer[-1])  # exec form: signals reach gunicorn directly

    assert argv[0] == "gunicorn"
    assert argv[1].split(":")[0] == "sundhed.wsgi"
    assert "0.0.0.0:8000" in argv
