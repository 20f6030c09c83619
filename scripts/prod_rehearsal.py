"""Production rehearsal without Docker: the portal as docker-compose.yml runs it, on this machine.

    .venv/bin/python scripts/prod_rehearsal.py      (CI runs it last, see .ci/run)

Needs PostgreSQL (trust auth for `postgres`) and Redis on 127.0.0.1. It

1. creates a fresh database (sundhed_prod_ci) and empties a Redis database of its own (db 14);
2. runs the image's build step (collectstatic with the hashed, compressed manifest storage),
   `check --deploy --fail-level WARNING`, the web service's migrations and `demo --force`;
3. starts gunicorn, the Celery worker and Celery beat with the commands of docker-compose.yml's web,
   worker and beat services, read from that file, and the application environment it gives them;
4. walks through the site over HTTP: public pages and their static files, a staff login through the
   HTML form, council decisions through the API and the e-mail the worker sends for them, /healthz;
5. stops everything it started, and on a failure prints the three services' logs and exits non-zero.

Requests go out as the TLS-terminating proxy in front of the containers forwards them
(`X-Forwarded-Proto: https`), so secure cookies, CSRF's origin check and HSTS behave as in
production; /healthz is asked over plain HTTP, as compose's health check asks it.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import http.cookiejar
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo
from html.parser import HTMLParser
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = PROJECT / "docker-compose.yml"
# The server holding the rehearsal's database, and the database; the suite uses sundhed_ci.
PG_SERVER = os.environ.get("PROD_REHEARSAL_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "sundhed_prod_ci"
# A Redis database of its own: the suite's is 15. Emptied at the start.
REDIS_URL = os.environ.get("PROD_REHEARSAL_REDIS", "redis://127.0.0.1:6379/14")
# The web service's (and the Dockerfile's) gunicorn address, replaced by a free local port.
COMPOSE_BIND = "0.0.0.0:8000"
PUBLIC_PAGES = ["/", "/aftaler/", "/organisation/", "/klynger/", "/indikatorer/"]
MAIL_TIMEOUT = 60
# A task that raised in the worker is reported; with PROD_REHEARSAL_STRICT=1 it fails the rehearsal.
STRICT = os.environ.get("PROD_REHEARSAL_STRICT", "") == "1"
# The work directory (logs, mail, collected static files) is removed after a pass unless this is 1.
KEEP = os.environ.get("PROD_REHEARSAL_KEEP", "") == "1"
# ManifestStaticFilesStorage's names: file.<12 hex digits>.ext
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


# The demo's staff users give a TOTP code after the password (sundhed.mfa). The rehearsal signs in with the
# demo data's fixed secret (organisation/demo.py, DEMO_TOTP_NOEGLE), read from that file: the script does not
# set Django up. The server takes each 30-second step's code once, so the steps used are remembered.
DEMO_DATA = PROJECT / "organisation" / "demo.py"
_TOTP_STEPS_USED: list[int] = []


def demo_totp_code() -> str:
    """The demo authenticator's code for the first time step the server still takes (RFC 6238, SHA-1)."""
    from django_otp.oath import hotp

    match = re.search(r'^DEMO_TOTP_NOEGLE = "([0-9a-f]+)"$', DEMO_DATA.read_text(encoding="utf-8"), re.MULTILINE)
    if match is None:
        raise RehearsalFailed(f"DEMO_TOTP_NOEGLE not found in {DEMO_DATA}")
    now = int(time.time()) // 30
    step = max([now, *(s + 1 for s in _TOTP_STEPS_USED)])
    if step > now + 1:  # the steps within reach are used: wait for the next one
        time.sleep((step - 1) * 30 - time.time() + 0.2)
    _TOTP_STEPS_USED.append(step)
    return f"{hotp(bytes.fromhex(match.group(1)), step):06d}"


class RehearsalFailed(Exception):
    """A step found the production set-up broken; the message says what."""


# --- what docker-compose.yml runs -----------------------------------------------------------------


def load_compose(path: Path = COMPOSE_FILE) -> dict:
    import yaml  # a dev dependency, as the rest of this script's needs are the standard library

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def interpolate(text: str, variables: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$`, as much as this file uses."""

    def replace(match: re.Match) -> str:
        name, operator, rest = match.group(1), match.group(2), match.group(3)
        if variables.get(name):
            return variables[name]
        if operator == ":?":
            raise RehearsalFailed(f"docker-compose.yml needs {name}: {rest}")
        return rest if operator == ":-" else ""

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", replace, text).replace("$$", "$")


def compose_environment(compose: dict, variables: dict[str, str], service: str = "web") -> dict[str, str]:
    """The environment compose gives an application service, with `variables` as the .env file."""
    environment = compose["services"][service]["environment"]
    return {name: interpolate(str(value), variables) for name, value in environment.items()}


def compose_commands(compose: dict) -> dict[str, list[str]]:
    """The argv of each application process in docker-compose.yml: `migrate` and `web` come from the
    web service's `sh -c "<migrate> && exec <gunicorn>"`, split at `&&` so the demo data can be loaded
    between the two (`exec` only makes gunicorn the container's main process); `worker` and `beat`
    are their services' commands as they stand."""
    services = compose["services"]

    def argv(command: str | list[str]) -> list[str]:
        return shlex.split(command) if isinstance(command, str) else list(command)

    web = argv(services["web"]["command"])
    if web[:2] != ["sh", "-c"] or len(web) != 3:
        raise RehearsalFailed(f"the web service's command is no longer `sh -c \"...\"`: {web}")
    parts = [shlex.split(part) for part in web[2].split("&&")]
    if len(parts) != 2 or parts[1][:1] != ["exec"]:
        raise RehearsalFailed(f"the web service's command is no longer `<migrate> && exec <server>`: {web[2]}")
    return {
        "migrate": parts[0],
        "web": parts[1][1:],
        "worker": argv(services["worker"]["command"]),
        "beat": argv(services["beat"]["command"]),
    }


def local_commands(commands: dict[str, list[str]], *, port: int, beat_schedule: Path) -> dict[str, list[str]]:
    """The compose commands with the two things a container has to itself replaced: the address
    gunicorn binds (0.0.0.0:8000, published by compose; here 127.0.0.1 on a free port, so nothing is
    exposed and a busy 8000 does not matter) and beat's schedule file (the container's private /tmp;
    here the rehearsal's own directory, as /tmp is shared with whatever else runs on the machine)."""

    def replace_option(argv: list[str], option: str, value: str, *, expected: str | None = None) -> list[str]:
        if option not in argv or (expected and argv[argv.index(option) + 1] != expected):
            raise RehearsalFailed(f"expected `{option} {expected or '...'}` in {shlex.join(argv)}")
        argv = list(argv)
        argv[argv.index(option) + 1] = value
        return argv

    return commands | {
        "web": replace_option(commands["web"], "--bind", f"127.0.0.1:{port}", expected=COMPOSE_BIND),
        "beat": replace_option(commands["beat"], "--schedule", str(beat_schedule)),
    }


# --- HTTP -----------------------------------------------------------------------------------------


class BehindTlsProxy(http.cookiejar.DefaultCookiePolicy):
    """Send `Secure` cookies over the rehearsal's plain HTTP: the browser sees HTTPS at the proxy."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser (cookies, CSRF) or an API client talking to gunicorn as the TLS proxy would."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar(policy=BehindTlsProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects())
        self.token = ""

    def request(self, path: str, *, data: dict | None = None, json_body: dict | None = None,
                headers: dict[str, str] | None = None, via_proxy: bool = True,
                method: str | None = None) -> tuple[int, dict, bytes]:
        body, all_headers = None, {"Accept-Language": "da"}
        if via_proxy:
            host = urllib.parse.urlsplit(self.base).netloc
            all_headers |= {"X-Forwarded-Proto": "https", "Origin": f"https://{host}"}
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers["Content-Type"] = "application/json"
        if self.token:
            all_headers["Authorization"] = f"Token {self.token}"
        all_headers |= headers or {}
        request = urllib.request.Request(self.base + path, data=body, headers=all_headers, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def get(self, path: str, expect: int = 200, **kwargs) -> tuple[dict, bytes]:
        status, headers, body = self.request(path, **kwargs)
        if status != expect:
            raise RehearsalFailed(f"GET {path}: {status}, expected {expect}: {body[:500]!r}")
        return headers, body

    def api(self, method_path: str, body: dict | None = None, expect: int = 200):
        method, path = method_path.split(" ", 1)
        status, _headers, raw = self.request(path, json_body=body if method in ("POST", "PUT") else None,
                                             headers={"Accept": "application/json"}, method=method)
        if status != expect:
            raise RehearsalFailed(f"{method} {path}: {status}, expected {expect}: {raw[:800].decode(errors='replace')}")
        return json.loads(raw)

    def log_in_to_api(self, username: str, password: str, *, totp: bool = False) -> None:
        """Fetch a token; `totp`: the user has the demo's authenticator and sends its code (field `kode`)."""
        self.token = ""
        body = {"username": username, "password": password} | ({"kode": demo_totp_code()} if totp else {})
        self.token = self.api("POST /api/v1/auth/token/", body)["token"]


class PageAssets(HTMLParser):
    """The static files a page links with <link href> and <script src>, and the CSRF form field."""

    def __init__(self, static_url: str):
        super().__init__()
        self.static_url, self.assets, self.csrf = static_url, [], ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        address = attributes.get("href") if tag == "link" else attributes.get("src") if tag == "script" else None
        if address and address.startswith(self.static_url):
            self.assets.append(address)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.csrf = attributes.get("value", "")


def parse_page(body: bytes) -> PageAssets:
    parser = PageAssets("/static/")
    parser.feed(body.decode("utf-8"))
    return parser


# --- processes ------------------------------------------------------------------------------------


class Rehearsal:
    def __init__(self) -> None:
        self.started = time.monotonic()
        self.workdir = Path(tempfile.mkdtemp(prefix="sundhed-prod-rehearsal-"))
        self.mail_dir = self.workdir / "mail"
        self.processes: dict[str, tuple[subprocess.Popen, Path]] = {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.summary: list[str] = []
        self.today = datetime.datetime.now(zoneinfo.ZoneInfo("Europe/Copenhagen")).date()
        for directory in ("static", "media", "mail"):
            (self.workdir / directory).mkdir()

        compose = load_compose()
        self.healthchecks = {name: [interpolate(str(part), {}) for part in service["healthcheck"]["test"]]
                             for name, service in compose["services"].items() if "healthcheck" in service}
        self.commands = local_commands(compose_commands(compose), port=self.port,
                                       beat_schedule=self.workdir / "celerybeat-schedule")
        # Compose's application environment as a deployment without an .env file beyond the required
        # SECRET_KEY gets it (DEBUG=0, ALLOWED_HOSTS with 127.0.0.1, SECURE_COOKIES=1, ...), pointed at
        # this machine's services and at directories of the rehearsal's own.
        secret_key = secrets.token_urlsafe(50)
        self.env = compose_environment(compose, {"SECRET_KEY": secret_key, "POSTGRES_PASSWORD": "unused"}) | {
            "DATABASE_URL": f"{PG_SERVER}/{DATABASE}",
            "REDIS_URL": REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "SITE_URL": self.base,
            # The rehearsal's requests come as the TLS proxy in front sends them (X-Forwarded-Proto), so
            # the application is told a proxy is there, as a deployment behind one sets it (README).
            "BAG_PROXY": "1",
        }
        # What the image's ENV sets (Dockerfile), and this virtualenv's python, gunicorn and celery first.
        self.env |= {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "PYTHONPATH": str(PROJECT),
            "PYTHONUNBUFFERED": "1",
            "HOME": os.environ.get("HOME", str(self.workdir)),
            "LANG": "C.UTF-8",
        }

    def step(self, name: str) -> None:
        print(f"\n=== {name} ({time.monotonic() - self.started:.0f} s) ===", flush=True)

    def run(self, name: str, argv: list[str]) -> None:
        print("$", shlex.join(argv), flush=True)
        result = subprocess.run(argv, cwd=PROJECT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        lines = result.stdout.strip().splitlines()
        print("\n".join(lines[-15:]), flush=True)
        if result.returncode != 0:
            if len(lines) > 15:
                print("\n".join(["(earlier output)", *lines[:-15]]))
            raise RehearsalFailed(f"{name} exited with {result.returncode}")

    def start(self, name: str) -> None:
        argv = self.commands[name]
        log = self.workdir / f"{name}.log"
        print(f"$ {shlex.join(argv)}  > {log}", flush=True)
        with log.open("wb") as output:
            process = subprocess.Popen(argv, cwd=PROJECT, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes[name] = (process, log)

    def wait_for(self, what: str, ready, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            if ready():
                return
            time.sleep(0.5)
        raise RehearsalFailed(f"{what} did not happen within {timeout:.0f} s")

    def check_alive(self) -> None:
        for name, (process, _log) in self.processes.items():
            if process.poll() is not None:
                raise RehearsalFailed(f"{name} has exited with {process.returncode}")

    def task_errors(self) -> list[str]:
        return [line for line in self.processes["worker"][1].read_text(errors="replace").splitlines()
                if "raised unexpected" in line]

    def stop(self) -> None:
        """SIGTERM to each process group (gunicorn's and celery's children too), SIGKILL after 20 s."""
        for _name, (process, _log) in self.processes.items():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, (process, _log) in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop on SIGTERM; killing it", flush=True)
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            else:
                try:  # children left behind by a process that exited
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def print_logs(self) -> None:
        for name, (_process, log) in self.processes.items():
            lines = log.read_text(errors="replace").splitlines()
            print(f"\n--- {name} log ({log}, last {min(len(lines), 200)} of {len(lines)} lines) ---")
            print("\n".join(lines[-200:]))

    # --- the steps --------------------------------------------------------------------------------

    def fresh_services(self) -> None:
        self.step(f"Fresh PostgreSQL database {DATABASE} and Redis {REDIS_URL}")
        import psycopg
        import redis

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            # FORCE: a run that was killed may have left connections behind.
            connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{DATABASE}"')
        redis.Redis.from_url(REDIS_URL).flushdb()
        print(f"work directory {self.workdir}; gunicorn will listen on {self.base}")

    def build(self) -> None:
        self.step("collectstatic with the manifest storage (the image's build step)")
        self.run("collectstatic", ["python", "manage.py", "collectstatic", "--noinput"])
        manifest = json.loads((self.workdir / "static" / "staticfiles.json").read_text())
        print(f"{len(manifest['paths'])} files in the manifest")

        self.step("check --deploy --fail-level WARNING")
        self.run("check --deploy", ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"])

        self.step("Migrations (the web service's first command)")
        self.run("migrate", self.commands["migrate"])

        self.step("Demo data (demo --force)")
        self.run("demo", ["python", "manage.py", "demo", "--force"])

    def start_services(self) -> None:
        self.step("Start gunicorn (the web service's server)")
        self.start("web")
        self.wait_for("/healthz answering 200", lambda: self.healthz_status() == 200, timeout=60)

        # As in compose, worker and beat start once web is healthy.
        self.step("Start the Celery worker and beat")
        self.start("worker")
        self.start("beat")
        # The settings keep Celery's own loggers at WARNING, so neither logs that it is ready: the worker
        # is asked with compose's own health check, beat is up once it has opened its schedule file.
        self.wait_for("the worker answering compose's health check", self.worker_healthy, timeout=90)
        schedule = Path(self.commands["beat"][self.commands["beat"].index("--schedule") + 1])
        self.wait_for("beat opening its schedule", lambda: any(schedule.parent.glob(schedule.name + "*")),
                      timeout=60)
        print("gunicorn, worker and beat are up")

    def worker_healthy(self) -> bool:
        check = self.healthchecks["worker"]
        if check[0] != "CMD-SHELL":
            raise RehearsalFailed(f"the worker's health check is no longer a CMD-SHELL: {check}")
        # In the container HOSTNAME is the container's name, which is also the worker's node name.
        result = subprocess.run(["sh", "-c", check[1]], cwd=PROJECT, env=self.env | {"HOSTNAME": socket.gethostname()},
                                capture_output=True, text=True)
        return result.returncode == 0

    def healthz_status(self) -> int | None:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def public_pages(self) -> None:
        self.step("Public pages and their static files (WhiteNoise, hashed names)")
        visitor = Client(self.base)
        in_force = visitor.api("GET /api/v1/aftaler/?status=i_kraft")["results"]
        if not in_force:
            raise RehearsalFailed("the demo data has no agreement in force")
        pages = [*PUBLIC_PAGES, f"/aftaler/{in_force[0]['slug']}/"]
        assets: set[str] = set()
        for page in pages:
            headers, body = visitor.get(page)
            if "Strict-Transport-Security" not in headers:
                raise RehearsalFailed(f"{page}: no HSTS header on a request the proxy marked as HTTPS")
            linked = parse_page(body).assets
            if not linked:
                raise RehearsalFailed(f"{page} links no static files")
            print(f"200 {page} ({len(linked)} static files)")
            assets.update(linked)
        for asset in sorted(assets):
            if not HASHED_NAME.search(urllib.parse.urlsplit(asset).path):
                raise RehearsalFailed(f"{asset} is linked without the manifest's hashed name")
            headers, _body = visitor.get(asset)
            if "immutable" not in headers.get("Cache-Control", ""):
                raise RehearsalFailed(f"{asset}: WhiteNoise did not serve it as a versioned file: {headers}")
            print(f"200 {asset}")
        self.summary.append(f"{len(pages)} public pages and {len(assets)} static files answered 200")

    def staff_login(self) -> None:
        self.step("Staff login through the HTML form (CSRF) reaching /arbejde/")
        browser = Client(self.base)
        _headers, body = browser.get("/log-ind/?next=/arbejde/")
        csrf = parse_page(body).csrf
        if not csrf:
            raise RehearsalFailed("the login form has no CSRF token")
        status, headers, body = browser.request(
            "/log-ind/", data={"username": "sekretariat", "password": "demo", "next": "/arbejde/",
                               "csrfmiddlewaretoken": csrf})
        # The password is right, but the secretariat is not signed in before its TOTP code (sundhed.mfa).
        if status != 302 or urllib.parse.urlsplit(headers.get("Location", "")).path != "/log-ind/kode/":
            raise RehearsalFailed(f"login answered {status} {headers.get('Location')}: {body[:500]!r}")
        browser.get("/arbejde/", expect=302)
        _headers, body = browser.get("/log-ind/kode/")
        status, headers, body = browser.request(
            "/log-ind/kode/", data={"kode": demo_totp_code(), "csrfmiddlewaretoken": parse_page(body).csrf})
        if status != 302 or urllib.parse.urlsplit(headers.get("Location", "")).path != "/arbejde/":
            raise RehearsalFailed(f"the code step answered {status} {headers.get('Location')}: {body[:500]!r}")
        _headers, body = browser.get("/arbejde/")
        print("sekretariat logged in with password and TOTP code; /arbejde/ answered 200")
        self.summary.append("staff login through the form (password, then TOTP code) reached /arbejde/")

    def decisions_and_mail(self) -> None:
        # A council's decision sends mail only when it is the last approval the agreement awaits: the
        # agreement becomes `godkendt`, and the outbox mails the secretariat (sundhed.udbakke; a rejection
        # or a postponement mails it too, an earlier approval no one). The demo agreement awaiting
        # decisions already has a rejection, so it can never complete: the secretariat recommends an
        # agreement of the rehearsal's own (that mails every council, "Til beslutning"), and each council
        # secretariat records its approval through the API, the last one completing the approvals.
        self.step("Council decisions through the API; the worker's e-mail")
        title = f"Generalprøve {datetime.datetime.now():%Y-%m-%d %H.%M.%S}"
        secretariat = Client(self.base)
        secretariat.log_in_to_api("sekretariat", "demo", totp=True)
        # News of an agreement's new status goes to the daily digest by default (sundhed.udbakke); the
        # secretariat asks for it at once, through the API a person uses for that.
        if secretariat.api("PUT /api/v1/mig/notifikationer/", {"ny_status": "straks"}).get("ny_status") != "straks":
            raise RehearsalFailed("PUT /api/v1/mig/notifikationer/ did not keep ny_status = straks")
        slug = secretariat.api("POST /api/v1/aftaler/", {"titel": title, "tekst": "<p>Prøvetekst.</p>"},
                               expect=201)["slug"]
        # Recommended on a day of Sundhedssamarbejdsudvalget's (it ends on 31 December 2026, and the
        # demo leaves the body after it to the administrator), so the rehearsal holds after the reform.
        indstillet = min(self.today, datetime.date(2026, 12, 31))
        secretariat.api(f"POST /api/v1/aftaler/{slug}/overgange/",
                        {"handling": "indstil", "dato": indstillet.isoformat(),
                         "beslutningsfrist": (self.today + datetime.timedelta(days=30)).isoformat()}, expect=201)

        visitor = Client(self.base)
        awaiting = [a for a in visitor.api("GET /api/v1/aftaler/?status=indstillet")["results"] if a["slug"] == slug]
        if not awaiting or awaiting[0]["godkendelser_status"]["mangler"] == 0:
            raise RehearsalFailed(f"{slug} is not listed as awaiting decisions: {awaiting}")
        awaited = awaiting[0]["godkendelser_status"]["mangler"]
        print(f"{slug}: recommended, awaiting {awaited} decisions")

        # The demo's council secretariats: `region` for the region, `kommune-<slug>` for each municipality.
        parties = visitor.api("GET /api/v1/parter/")
        parties = parties["results"] if isinstance(parties, dict) else parties
        users = {p["slug"]: "region" if p["type"] == "region" else f"kommune-{p['slug']}"
                 for p in parties if p["type"] in ("region", "kommune")}
        council = Client(self.base)
        status, decided = "indstillet", 0
        for party, username in sorted(users.items(), key=lambda item: item[0] == "region-midtjylland"):
            council.log_in_to_api(username, "demo")
            if party not in council.api(f"GET /api/v1/aftaler/{slug}/")["tilladelser"]["beslutning_for"]:
                continue
            answer = council.api(f"POST /api/v1/aftaler/{slug}/godkendelser/", {
                "part": party, "beslutning": "godkendt", "dato": self.today.isoformat(),
                "sagsnummer": f"GP-{decided + 1:02d}", "bemaerkning": "Generalprøve.",
            }, expect=201)
            decided, status = decided + 1, answer["aftale_status"]
        print(f"{decided} councils recorded their approval; the agreement is now {status}")
        if decided != awaited or status != "godkendt":
            raise RehearsalFailed(f"{decided} of {awaited} decisions recorded, agreement {status}, expected godkendt")
        self.summary.append(f"{decided} council decisions recorded through the API; agreement godkendt")

        approved, asked = f"Godkendt: {title}", f"Til beslutning: {title}"

        def read_mail() -> tuple[list, list, list]:
            everything = mails(self.mail_dir)
            return (everything, [m for m in everything if subject(m) == approved],
                    [m for m in everything if subject(m) == asked])

        def arrived() -> bool:
            _everything, to_secretariat, to_councils = read_mail()
            return bool(to_secretariat) and len(to_councils) >= awaited

        print(f"waiting up to {MAIL_TIMEOUT} s for the worker's mail «{approved}» (and «{asked}» to every "
              f"council) in {self.mail_dir}")
        self.wait_for(f"the worker delivering «{approved}» and «{asked}»", arrived, timeout=MAIL_TIMEOUT)
        delivered, to_secretariat, to_councils = read_mail()
        print(f"delivered: «{approved}» to {len(to_secretariat)}, «Til beslutning: ...» to {len(to_councils)} "
              f"council secretaries")
        link = f"{self.base}/arbejde/"
        # Text and HTML parts (multipart/alternative): the plain text names the link.
        if link not in to_secretariat[0].get_body(preferencelist=("plain",)).get_content():
            raise RehearsalFailed(f"the mail does not link to the agreement under {link}: {to_secretariat[0]}")
        self.summary.append(f"worker delivered «{approved}» ({len(to_secretariat)}) and «Til beslutning» "
                            f"({len(to_councils)}); {len(delivered)} mails in all")

    def health(self) -> None:
        self.step("/healthz (plain HTTP, as compose's health check asks)")
        status, _headers, body = Client(self.base).request("/healthz", via_proxy=False)
        if status != 200:
            raise RehearsalFailed(f"/healthz answered {status}: {body!r}")
        self.check_alive()
        print(f"200 {body.decode()}; gunicorn, worker and beat are running")
        self.summary.append(f"/healthz: {body.decode()}")

        self.step("Tasks that failed in the worker")
        errors = self.task_errors()
        print("\n".join(errors[:10]) or "none")
        if errors:
            self.summary.append(f"WARNING: {len(errors)} task(s) raised in the worker, the first: {errors[0]}")
            if STRICT:
                raise RehearsalFailed(f"{len(errors)} task(s) raised in the worker")


def mails(directory: Path) -> list[email.message.EmailMessage]:
    """The messages Django's file backend wrote (a file per connection, 79 dashes between messages)."""
    return [
        email.message_from_string(raw.strip(), policy=email.policy.default)
        for path in sorted(directory.glob("*.log"))
        for raw in path.read_text(errors="replace").split("\n" + "-" * 79 + "\n") if raw.strip()
    ]


def subject(message: email.message.EmailMessage) -> str:
    return " ".join(str(message["Subject"]).split())  # a long subject is folded onto a second line


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    def terminate(signum, _frame):
        print(f"\nStopped by signal {signum}", flush=True)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    rehearsal = Rehearsal()
    failed = True
    try:
        rehearsal.fresh_services()
        rehearsal.build()
        rehearsal.start_services()
        rehearsal.public_pages()
        rehearsal.staff_login()
        rehearsal.decisions_and_mail()
        rehearsal.health()
        failed = False
    except RehearsalFailed as error:
        print(f"\nFAILED: {error}", flush=True)
    finally:
        rehearsal.step("Stop gunicorn, worker and beat")
        rehearsal.stop()
        if failed:
            rehearsal.print_logs()
            print(f"\nProduction rehearsal FAILED after {time.monotonic() - rehearsal.started:.0f} s; "
                  f"files kept in {rehearsal.workdir}")
        else:
            if KEEP:
                print(f"files kept in {rehearsal.workdir}")
            else:
                shutil.rmtree(rehearsal.workdir, ignore_errors=True)
            print(f"\nProduction rehearsal passed in {time.monotonic() - rehearsal.started:.0f} s:")
            print("\n".join(f"- {line}" for line in rehearsal.summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
