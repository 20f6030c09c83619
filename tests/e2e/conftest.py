"""Browser tests: a real server process on a database of its own, driven by Debian's Chromium.

The server is started once per session (migrate + demo data + runserver) against a fresh
SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL, so the
browser sees exactly what `make run` shows. Under CI a missing browser is a failure.
"""

import functools
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_env(tmp: Path) -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _name = url.rpartition("/")
        name = f"sundhed_e2e_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return {"DATABASE_URL": f"{base}/{name}"}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(tmp / "e2e.sqlite3")}


@pytest.fixture(scope="session")
def server_url():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} mangler: installer Debians chromium (apt-get install chromium).")
        pytest.skip("Chromium er ikke installeret (kun tilladt uden for CI)")
    tmp = Path(tempfile.mkdtemp(prefix="sundhed-e2e-"))
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "sundhed.settings", **_database_env(tmp)}
    # Background tasks run in-process in the server, so what a page enqueues is done when it answers.
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "demo", "--force"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    port = _free_port()
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if json.load(r)["database"] == "ok":
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("Serveren startede ikke:\n" + (tmp / "server.log").read_text())
        time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url, locale="da-DK")
    pg = context.new_page()
    yield pg
    context.close()


def log_ind(page, brugernavn: str, adgangskode: str = "demo") -> None:
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill(brugernavn)
    page.get_by_label("Adgangskode").fill(adgangskode)
    page.get_by_role("button", name="Log ind").click()


@functools.cache
def _axe_kilde() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA) on the current page; return the violations."""
    # Evaluated through the browser's DevTools protocol, not added as an inline <script> (which the
    # portal's Content-Security-Policy refuses).
    page.evaluate(_axe_kilde())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return result["violations"]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    beskrivelse = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in violations
    )
    assert not violations, f"axe fandt {len(violations)} problem(er) på {page.url}:\n{beskrivelse}"
