"""Reliability drills for the outbox (sundhed.udbakke), run by `python manage.py drill` and by
tests/sundhed/test_udbakke_drill.py (PostgreSQL + Redis in CI).

Each drill uses a Redis server of its own on a free port (never the machine's shared Redis) and real
Celery workers in their own processes; the workers write mail with Django's file backend into a
directory, where the drill counts every delivery by its outbox key (the X-Udbakke-Noegle header).

- `nedbrud`: N events; the worker is killed with SIGKILL midway and started again.
- `to_arbejdere`: N events drained by two workers at once.
- `redis_udfald`: Redis stopped for S seconds while users record decisions, create agreements and read
  public pages through the real views; counts server errors, then waits for every event to be delivered.

Each returns `Tal`: events, delivered (distinct events whose mail arrived), lost, duplicated (extra
copies) and, for the outage, requests and server errors. After a SIGKILL, the one row the worker had
claimed may have been accepted by the mail server an instant before the worker died: no outbox can know
that (see sundhed.udbakke). Its second copy, with the same Message-ID, is printed as "gensendt efter
nedbrud", apart from the duplicates, and is allowed only for a row that was claimed at the kill.
"""

from __future__ import annotations

import contextlib
import email
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings

from sundhed import udbakke
from sundhed.models import Kanal, Udbakke, UdbakkeTilstand
from sundhed.notifikationer import Modtager

ROD = Path(settings.BASE_DIR)


@dataclass
class Tal:
    navn: str
    haendelser: int = 0
    leveret: int = 0
    tabt: int = 0
    dubletter: int = 0
    gensendt: int = 0
    forespoergsler: int = 0
    serverfejl: int = 0
    i_flugten: int = 0  # rows a killed worker had claimed when it died
    noter: list[str] = field(default_factory=list)

    def linje(self) -> str:
        web = (f", forespørgsler {self.forespoergsler}, serverfejl {self.serverfejl}"
               if self.forespoergsler else "")
        gensendt = f", gensendt efter nedbrud {self.gensendt} (samme Message-ID)" if self.gensendt else ""
        return (f"{self.navn}: hændelser {self.haendelser}, leveret {self.leveret}, tabt {self.tabt}, "
                f"dubletter {self.dubletter}{gensendt}{web}")


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EgenRedis:
    """A Redis server of the drill's own on a free port: started, stopped and started again."""

    def __init__(self):
        self.port = _fri_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        frist = time.monotonic() + 10
        while time.monotonic() < frist:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("Øvelsens Redis startede ikke")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc = None


def _database_miljoe() -> dict[str, str]:
    """The environment that points a worker at the database this process uses (the test database too)."""
    d = connection.settings_dict
    if connection.vendor == "postgresql":
        bruger = d.get("USER") or ""
        kode = f":{d['PASSWORD']}" if d.get("PASSWORD") else ""
        vaert = d.get("HOST") or "127.0.0.1"
        port = d.get("PORT") or "5432"
        return {"DATABASE_URL": f"postgres://{bruger}{kode}@{vaert}:{port}/{d['NAME']}"}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(d["NAME"])}


class Arbejdere:
    """Celery workers in their own processes, against the drill's Redis, writing mail to `mappe`."""

    def __init__(self, redis: EgenRedis, mappe: Path):
        self.redis, self.mappe = redis, mappe
        self.procs: dict[str, subprocess.Popen] = {}
        self.log = Path(tempfile.mkdtemp(prefix="drill-log-"))

    def miljoe(self) -> dict[str, str]:
        return {**os.environ, **_database_miljoe(), "REDIS_URL": self.redis.url, "DEBUG": "1",
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.mappe), "UDBAKKE_OPTAGET_SEKUNDER": "3",
                "DJANGO_SETTINGS_MODULE": "sundhed.settings", "LOG_LEVEL": "WARNING"}

    def start(self, navn: str) -> None:
        celery = str(Path(sys.executable).with_name("celery"))
        self.procs[navn] = subprocess.Popen(
            [celery, "-A", "sundhed", "worker", "--pool=solo", "--concurrency=1", "-n", f"{navn}@%h",
             "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            env=self.miljoe(), cwd=ROD, stdout=open(self.log / f"{navn}.log", "ab"), stderr=subprocess.STDOUT)

    def draeb(self, navn: str) -> None:
        proc = self.procs.pop(navn)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)

    def stop_alle(self) -> None:
        for navn in list(self.procs):
            proc = self.procs.pop(navn)
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


def _mails(mappe: Path):
    """Every mail the file backend wrote, as (outbox key, Message-ID)."""
    for fil in mappe.glob("*"):
        for del_ in fil.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if not del_.strip():
                continue
            besked = email.message_from_string(del_.lstrip("\n"))
            noegle = besked.get("X-Udbakke-Noegle")
            if noegle:
                yield "".join(str(noegle).split()), str(besked.get("Message-ID", "")).strip()


def leveringer(mappe: Path) -> Counter:
    """Every mail the file backend wrote, counted by outbox key."""
    return Counter(noegle for noegle, _ in _mails(mappe))


def message_ids(mappe: Path) -> dict[str, set[str]]:
    """The Message-IDs each outbox key's copies carried."""
    ud: dict[str, set[str]] = {}
    for noegle, mid in _mails(mappe):
        ud.setdefault(noegle, set()).add(mid)
    return ud


class Koe:
    """The drill's connection to its broker: nudge the workers as beat would (the sweeper)."""

    def __init__(self, redis: EgenRedis):
        from sundhed.celery import app

        self.app = app
        self.aendret = {"broker_url": redis.url, "task_always_eager": False, "broker_connection_timeout": 1,
                        "broker_connection_retry": False, "task_publish_retry": False}
        self.foer = {navn: app.conf[navn] for navn in self.aendret}
        app.conf.update(self.aendret)
        self._nulstil()

    def _nulstil(self) -> None:
        """Drop pooled broker connections, so the next publish connects to the broker now configured."""
        pool = getattr(self.app, "_pool", None)
        if pool is not None:
            pool.force_close_all()
            self.app._pool = None
        self.app.amqp._producer_pool = None

    def fej(self, *, sammendrag: bool = False) -> None:
        from sundhed import tasks

        tasks.send_sikkert(tasks.udbakke_fej)
        if sammendrag:
            tasks.send_sikkert(tasks.udbakke_sammendrag)

    def luk(self) -> None:
        self._nulstil()
        self.app.conf.update(self.foer)


def _skriv_haendelser(koersel: str, antal: int) -> list[str]:
    """`antal` events, each to one recipient, written in batches of 100 (one transaction each)."""
    noegler = []
    for start in range(0, antal, 100):
        with transaction.atomic():
            for i in range(start, min(start + 100, antal)):
                udbakke.skriv(haendelse=f"drill:{koersel}:{i}", slags="til_beslutning",
                              modtagere=[Modtager(email=f"drill{i}@example.invalid", navn=f"Øvelse {i}")],
                              skabelon="aftaler/mail/til_beslutning",
                              kontekst={"aftale": {"titel": f"Øvelsesaftale {i}"}, "status": "Indstillet",
                                        "frist": ""},
                              objekt_type="drill", objekt_id=str(i), objekt_navn=f"Øvelsesaftale {i}",
                              url="https://portal.example.dk/", puf=False)
    noegler = list(Udbakke.objects.filter(noegle__contains=f"|drill:{koersel}:").values_list("noegle", flat=True))
    return noegler


def _vent(betingelse: Callable[[], bool], sekunder: float, fej: Callable[[], None] | None = None) -> bool:
    frist = time.monotonic() + sekunder
    naeste_fej = 0.0
    while time.monotonic() < frist:
        if betingelse():
            return True
        if fej is not None and time.monotonic() >= naeste_fej:
            fej()
            naeste_fej = time.monotonic() + 1.0
        time.sleep(0.1)
    return betingelse()


def _optael(navn: str, noegler: list[str], mappe: Path, *, i_flugten: frozenset[str] = frozenset(),
            **ekstra) -> Tal:
    """Count deliveries per outbox key. `i_flugten`: the keys a killed worker had claimed (`sender`) when
    it died. For those alone one extra copy is the documented cost of a crash (the worker may have died
    between the mail server's acceptance and the `sendt` commit); it is counted as `gensendt`, not as a
    duplicate, and only when the copy carries the same Message-ID, so mail clients show it once. Any
    other extra copy is a duplicate."""
    antal = leveringer(mappe)
    forventet = set(noegler)
    leveret = sum(1 for n in forventet if antal[n] > 0)
    mids = message_ids(mappe) if i_flugten else {}
    gensendt = dubletter = 0
    for n in forventet:
        ekstra_kopier = max(antal[n] - 1, 0)
        if ekstra_kopier and n in i_flugten and len(mids.get(n, ())) == 1:
            gensendt += 1
            ekstra_kopier -= 1
        dubletter += ekstra_kopier
    return Tal(navn=navn, haendelser=len(forventet), leveret=leveret, tabt=len(forventet) - leveret,
               dubletter=dubletter, gensendt=gensendt, **ekstra)


@contextlib.contextmanager
def _oevelse():
    """A drill's own Redis, mail folder, workers and queue; all stopped again however the drill ends."""
    mappe = Path(tempfile.mkdtemp(prefix="drill-post-"))
    redis = EgenRedis()
    redis.start()
    arbejdere = Arbejdere(redis, mappe)
    koe = Koe(redis)
    try:
        yield mappe, redis, arbejdere, koe
    finally:
        arbejdere.stop_alle()
        koe.luk()
        redis.stop()


def nedbrud(antal: int = 1000, *, draeb_efter: int | None = None, tidsgraense: float = 300) -> Tal:
    """`antal` events; the worker is killed (SIGKILL) when about half are delivered, then restarted."""
    draeb_efter = antal // 2 if draeb_efter is None else draeb_efter
    with _oevelse() as (mappe, _redis, arbejdere, koe):
        noegler = _skriv_haendelser(uuid.uuid4().hex[:8], antal)
        sendt = Udbakke.objects.filter(noegle__in=noegler, tilstand=UdbakkeTilstand.SENDT)
        arbejdere.start("a1")
        koe.fej()
        _vent(lambda: sendt.count() >= draeb_efter, tidsgraense, koe.fej)
        foer = sendt.count()
        arbejdere.draeb("a1")
        haengende = frozenset(Udbakke.objects.filter(noegle__in=noegler, tilstand=UdbakkeTilstand.SENDER)
                              .values_list("noegle", flat=True))
        arbejdere.start("a2")
        _vent(lambda: sendt.count() == len(noegler), tidsgraense, koe.fej)
        tal = _optael("Arbejderen dræbt midt i (SIGKILL) og genstartet", noegler, mappe, i_flugten=haengende)
        tal.noter.append(f"dræbt efter {foer} leverede; {len(haengende)} række(r) stod som «sendes»")
        tal.i_flugten = len(haengende)
        return tal


def to_arbejdere(antal: int = 1000, *, tidsgraense: float = 300) -> Tal:
    """`antal` events drained by two workers at the same time."""
    with _oevelse() as (mappe, _redis, arbejdere, koe):
        noegler = _skriv_haendelser(uuid.uuid4().hex[:8], antal)
        sendt = Udbakke.objects.filter(noegle__in=noegler, tilstand=UdbakkeTilstand.SENDT)
        arbejdere.start("b1")
        arbejdere.start("b2")
        _vent(lambda: sendt.count() == len(noegler), tidsgraense, koe.fej)
        return _optael("To arbejdere tømmer samme udbakke", noegler, mappe)


def redis_udfald(skrivninger: Callable[[int], int], *, sekunder: float = 60, for_og_efter: float = 3,
                 tidsgraense: float = 180) -> Tal:
    """Redis stopped for `sekunder` while `skrivninger(i)` (one web request through the real views; it
    returns the HTTP status) goes on. Then every outbox row written meanwhile must be delivered."""
    from django.core.cache import caches

    with _oevelse() as (mappe, redis, arbejdere, koe):
        cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis.url,
                             "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
        start_id = Udbakke.objects.order_by("-id").values_list("id", flat=True).first() or 0
        statusser: Counter = Counter()
        with override_settings(CACHES=cache):
            arbejdere.start("c1")
            i = 0

            def koer_i(varighed: float) -> None:
                nonlocal i
                slut = time.monotonic() + varighed
                while time.monotonic() < slut:
                    statusser[skrivninger(i)] += 1
                    i += 1

            koer_i(for_og_efter)
            redis.stop()
            koer_i(sekunder)
            redis.start()
            koer_i(for_og_efter)
            caches["default"].close()
        raekker = Udbakke.objects.filter(id__gt=start_id).exclude(tilstand=UdbakkeTilstand.UDEN_ADRESSE)
        _vent(lambda: not raekker.exclude(tilstand=UdbakkeTilstand.SENDT).exists(), tidsgraense,
              lambda: koe.fej(sammendrag=True))
        mails = list(raekker.filter(kanal=Kanal.EMAIL, levering="straks").values_list("noegle", flat=True))
        tal = _optael(f"Redis stoppet i {sekunder:.0f} s mens der skrives", mails, mappe,
                      forespoergsler=sum(statusser.values()), serverfejl=sum(n for s, n in statusser.items()
                                                                            if s >= 500))
        ikke_leveret = raekker.exclude(tilstand=UdbakkeTilstand.SENDT).count()
        tal.haendelser = raekker.count()
        tal.tabt = ikke_leveret
        tal.leveret = tal.haendelser - ikke_leveret
        tal.noter.append(f"svar: {dict(sorted(statusser.items()))}; heraf e-mails straks {len(mails)}, "
                         f"opgaver og sammendrag {tal.haendelser - len(mails)}")
        return tal


def web_skrivninger() -> Callable[[int], int]:
    """What users do during the outage, through the real views (Django's test client, in this process):
    the joint secretariat creates agreements (API), a council secretary records a postponement on an
    agreement awaiting decisions (API), and the public reads the list and an agreement's page. Needs a
    joint secretariat member with an account (the demo data, or the tests' personas)."""
    from django.test import Client
    from django.utils import timezone

    from aftaler import selectors
    from aftaler.choices import Status
    from aftaler.models import Samarbejdsaftale
    from organisation import selectors as org_selectors

    sekretaer = org_selectors.faelles_sekretariat().filter(person__bruger__isnull=False).first()
    if sekretaer is None:
        raise RuntimeError("Øvelsen kræver et medlem af fælles sekretariat med en brugerkonto (kør manage.py demo).")
    sekretariat = Client()
    sekretariat.force_login(sekretaer.person.bruger)
    beslutning = None
    for aftale in Samarbejdsaftale.objects.filter(status=Status.INDSTILLET).order_by("pk")[:20]:
        for ps in selectors.fremdrift(aftale).parter:
            if ps.endelig is not None:
                continue
            raad = org_selectors.raadssekretariater(parter=[ps.part]).filter(person__bruger__isnull=False).first()
            if raad is not None:
                klient = Client()
                klient.force_login(raad.person.bruger)
                beslutning = (klient, aftale.slug, ps.part.slug)
                break
        if beslutning:
            break
    offentlig = Client()
    offentlig_slug = Samarbejdsaftale.objects.filter(status=Status.I_KRAFT).values_list("slug", flat=True).first()

    def skriv(i: int) -> int:
        trin = i % 4
        if trin == 0:
            return sekretariat.post("/api/v1/aftaler/", {"titel": f"Øvelsesaftale {uuid.uuid4().hex[:6]}",
                                                         "tekst": "<p>Øvelse.</p>"},
                                    content_type="application/json").status_code
        if trin == 1 and beslutning is not None:
            klient, slug, part = beslutning
            return klient.post(f"/api/v1/aftaler/{slug}/godkendelser/",
                               {"part": part, "beslutning": "udsat", "dato": timezone.localdate().isoformat(),
                                "bemaerkning": f"Udsat i øvelsen ({i})."},
                               content_type="application/json").status_code
        if trin == 2 or offentlig_slug is None:
            return offentlig.get("/aftaler/").status_code
        return offentlig.get(f"/aftaler/{offentlig_slug}/").status_code

    return skriv
