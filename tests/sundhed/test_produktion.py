"""The production rehearsal (scripts/prod_rehearsal.py) runs what docker-compose.yml and the Dockerfile run.

The rehearsal itself needs PostgreSQL, Redis and a few minutes, so CI runs it as a step of its own
(.ci/run); these tests check, without services, that the commands it starts are read from the compose
file and changed only where a container differs from a shared machine.
"""

import importlib.util
import json
import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sundhed.test_docker_compose import COMPOSE, DOCKERFILE, PROJEKT, kommando

SCRIPT = PROJEKT / "scripts" / "prod_rehearsal.py"
_spec = importlib.util.spec_from_file_location("prod_rehearsal", SCRIPT)
generalproeve = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generalproeve)

KOMMANDOER = generalproeve.compose_commands(COMPOSE)


def test_the_rehearsal_reads_the_compose_file_of_the_project():
    assert generalproeve.COMPOSE_FILE == PROJEKT / "docker-compose.yml"
    assert generalproeve.load_compose() == COMPOSE


def test_migrate_and_gunicorn_joined_are_the_web_services_command():
    web = kommando(COMPOSE["services"]["web"])

    assert shlex.split(web) == ["sh", "-c", f"{shlex.join(KOMMANDOER['migrate'])} && exec "
                                            f"{shlex.join(KOMMANDOER['web'])}"]
    assert KOMMANDOER["migrate"] == ["python", "manage.py", "migrate", "--noinput"]


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_worker_and_beat_are_their_services_commands(service):
    assert shlex.join(KOMMANDOER[service]) == kommando(COMPOSE["services"][service])


def test_the_dockerfiles_cmd_is_composes_gunicorn_command():
    cmd = [args for navn, args in DOCKERFILE if navn == "CMD"][-1]

    assert json.loads(cmd) == KOMMANDOER["web"]


def test_locally_only_the_bind_address_and_the_beat_schedule_change(tmp_path):
    lokale = generalproeve.local_commands(KOMMANDOER, port=18123, beat_schedule=tmp_path / "schedule")

    assert lokale["migrate"] == KOMMANDOER["migrate"]
    assert lokale["worker"] == KOMMANDOER["worker"]
    forskelle = {
        navn: [(a, b) for a, b in zip(KOMMANDOER[navn], lokale[navn], strict=True) if a != b]
        for navn in ("web", "beat")
    }
    assert forskelle == {
        "web": [("0.0.0.0:8000", "127.0.0.1:18123")],
        "beat": [(KOMMANDOER["beat"][KOMMANDOER["beat"].index("--schedule") + 1], str(tmp_path / "schedule"))],
    }


def test_a_compose_command_the_rehearsal_cannot_map_stops_it():
    # E.g. gunicorn moved to another port: the rehearsal says so instead of listening somewhere else.
    andet = json.loads(json.dumps(COMPOSE).replace("0.0.0.0:8000", "0.0.0.0:9000"))
    with pytest.raises(generalproeve.RehearsalFailed, match="--bind 0.0.0.0:8000"):
        generalproeve.local_commands(generalproeve.compose_commands(andet), port=1, beat_schedule=Path("/x"))

    uden_exec = json.loads(json.dumps(COMPOSE).replace("&& exec gunicorn", "&& gunicorn"))
    with pytest.raises(generalproeve.RehearsalFailed, match="exec"):
        generalproeve.compose_commands(uden_exec)


def test_the_rehearsal_runs_with_composes_application_environment():
    miljoe = generalproeve.compose_environment(COMPOSE, {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p"})

    assert miljoe == {navn: generalproeve.interpolate(str(vaerdi), {"SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "p"})
                      for navn, vaerdi in COMPOSE["services"]["web"]["environment"].items()}
    assert miljoe["DEBUG"] == "0" and miljoe["SECURE_COOKIES"] == "1"
    # The rehearsal's requests go to 127.0.0.1, which compose always allows (its own health check).
    assert "127.0.0.1" in miljoe["ALLOWED_HOSTS"].split(",")


def test_compose_refuses_to_start_without_a_secret_key_and_so_does_the_rehearsal():
    with pytest.raises(generalproeve.RehearsalFailed, match="SECRET_KEY"):
        generalproeve.compose_environment(COMPOSE, {"POSTGRES_PASSWORD": "p"})


def test_ci_runs_the_rehearsal_after_the_browser_tests():
    trin = (PROJEKT / ".ci" / "run").read_text(encoding="utf-8")

    assert "scripts/prod_rehearsal.py" in trin
    assert trin.index("pytest -m e2e") < trin.index("scripts/prod_rehearsal.py")


def test_mail_written_by_djangos_file_backend_is_read_back(tmp_path, settings):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    emne = "Til beslutning: Samarbejdsaftale om en lang titel med æ, ø og å, der foldes over flere linjer i headeren"
    mail.send_mass_mail([(emne, "Se aftalen.", "fra@example.dk", [f"{n}@example.dk"]) for n in range(3)])

    assert [generalproeve.subject(m) for m in generalproeve.mails(tmp_path)] == [emne] * 3


def test_the_deploy_check_passes_with_the_compose_environment():
    # What the rehearsal's `check --deploy --fail-level WARNING` step runs, in seconds and without
    # services: a warning here (a new setting, a check Django adds) fails the ordinary suite too.
    miljoe = generalproeve.compose_environment(COMPOSE, {"SECRET_KEY": secrets.token_urlsafe(50),
                                                         "POSTGRES_PASSWORD": "p"})
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=PROJEKT,
        capture_output=True, text=True, timeout=120,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **miljoe},
    )

    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
