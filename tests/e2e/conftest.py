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


def database_env(tmp: Path, navn: str = "e2e") -> dict:
    """A database of its own for a server process: a fresh PostgreSQL database `sundhed_<navn>_<pid>` when
    DATABASE_URL points at PostgreSQL (as under CI), else a SQLite file in `tmp`."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _name = url.rpartition("/")
        name = f"sundhed_{navn}_{os.getpid()}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return {"DATABASE_URL": f"{base}/{name}"}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(tmp / f"{navn}.sqlite3")}


def start_server(env: dict, tmp: Path, port: int) -> subprocess.Popen:
    """runserver on 127.0.0.1:`port` with `env`, once its /healthz finds the database (the log in `tmp`);
    fails the test with the server's log if it does not start within 30 s."""
    log = open(tmp / "server.log", "w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}",
                             "--noreload", "--nothreading"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if json.load(r)["database"] == "ok":
                    return proc
        except OSError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("Serveren startede ikke:\n" + (tmp / "server.log").read_text())
        time.sleep(0.3)


def kraev_chromium() -> None:
    """Skip without Debian's Chromium; under CI a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} mangler: installer Debians chromium (apt-get install chromium).")
        pytest.skip("Chromium er ikke installeret (kun tilladt uden for CI)")


def demo_miljoe(tmp: Path, navn: str = "e2e", **ekstra: str) -> dict:
    """The environment of a server process on a database of its own (database_env), migrated and holding
    the demo data, as `make run` leaves it; `ekstra` settings on top (e.g. OIDC_*)."""
    env = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "sundhed.settings", **database_env(tmp, navn),
           **ekstra}
    # Background tasks run in-process in the server, so what a page enqueues is done when it answers.
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "demo", "--force"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return env


@pytest.fixture(scope="session")
def server_url():
    kraev_chromium()
    tmp = Path(tempfile.mkdtemp(prefix="sundhed-e2e-"))
    env = demo_miljoe(tmp)
    port = _free_port()
    proc = start_server(env, tmp, port)
    url = f"http://127.0.0.1:{port}"
    yield url
    proc.terminate()
    proc.wait(10)


def assert_passer_320(page) -> None:
    """WCAG 1.4.10 for the page as it is now: at 320 CSS px (1280 px at 400 % zoom) it has no page-level
    horizontal scrolling. The viewport is put back afterwards. (tests/e2e/test_reflow.py walks every page
    and also names what is too wide; this is the check for a page only a journey reaches.)"""
    foer = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    bredde = page.evaluate("() => document.documentElement.scrollWidth")
    synlig = page.evaluate("() => document.documentElement.clientWidth")
    page.set_viewport_size(foer)
    assert bredde <= synlig, f"{page.url} er {bredde} px bred ved 320 px"


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


# The demo's staff users (sekretariat, admin) give a TOTP code after the password (sundhed.mfa); the tests
# compute it from the demo data's fixed secret. The server takes each 30-second step's code once (and the
# steps just before and after now), so the codes this run used are remembered here, and a signed-in session
# of such a user is reused by later sign-ins rather than spending a code on each.
_SIDSTE_TRIN: dict[str, int] = {}
_SESSIONER: dict[str, list[dict]] = {}


def demo_totp_kode(brugernavn: str) -> str:
    """The next code the server takes for a demo user's authenticator (waits if this run used the steps
    within reach). Every code the tests send to the server for a demo user comes from here."""
    from organisation.demo import DEMO_TOTP_NOEGLE
    from sundhed.mfa import kode_nu

    trin_nu = int(time.time()) // 30
    trin = max(trin_nu, _SIDSTE_TRIN.get(brugernavn, -1) + 1)
    if trin > trin_nu + 1:
        time.sleep(max(0.0, (trin - 1) * 30 - time.time()) + 0.2)
    _SIDSTE_TRIN[brugernavn] = trin
    return kode_nu(DEMO_TOTP_NOEGLE, tidspunkt=trin * 30)


def log_ind(page, brugernavn: str, adgangskode: str = "demo") -> None:
    """Sign in through the form, giving the TOTP code when the page asks for it (tests/e2e/test_totp.py
    tests that step itself)."""
    if adgangskode == "demo" and brugernavn in _SESSIONER:
        page.context.add_cookies(_SESSIONER[brugernavn])
        page.goto("/arbejde/")
        if "/log-ind/" not in page.url:
            return
        del _SESSIONER[brugernavn]  # signed out or expired since: sign in again
    page.goto("/log-ind/")
    page.get_by_label("Brugernavn").fill(brugernavn)
    page.get_by_label("Adgangskode").fill(adgangskode)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    if "/log-ind/kode/" in page.url:
        page.get_by_label("Engangskode").fill(demo_totp_kode(brugernavn))
        with page.expect_navigation():
            page.get_by_role("button", name="Log ind").click()
        if "/log-ind/" not in page.url:
            _SESSIONER[brugernavn] = page.context.cookies()


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
