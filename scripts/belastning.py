"""Load test of the public pages over HTTP: gunicorn in front, a small load generator behind.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sundhed_perf .venv/bin/python scripts/belastning.py

Needs a database with the benchmark's agreements (`manage.py benchmark --force`). Starts gunicorn
as docker-compose.yml's web service does (sundhed.wsgi, sync workers, DEBUG off, WhiteNoise serving
the collected static files; `collectstatic` is run into STATIC_ROOT first if it has no manifest), then
for each page keeps `--traade` client threads sending requests (a new connection each, as a sync
worker closes it) for `--sekunder` seconds, and prints requests per second and the latency seen by
the client, beside a static file served by the same server: the ratio to the static file is the
figure to compare between machines and runs.

"Uncached" requests add `a=<n>` with a new n each time: `a` is one of the parameters the page cache
keys on (the comparison page's version), which the list and the agreement page ignore, so every
request misses the page cache and is rendered, as for a visitor after a change. "Cached" requests
repeat one URL. The load generator runs on the same machine (Python threads, so it takes a CPU of
its own): on a machine with two CPUs, that is a share of what the server gets.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

PROJEKT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def _fri_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _miljoe() -> dict:
    return {**os.environ, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "LOG_LEVEL": "WARNING"}


def _saml_statiske_filer(miljoe: dict) -> None:
    from_env = miljoe.get("STATIC_ROOT") or str(PROJEKT / "staticfiles")
    if (Path(from_env) / "staticfiles.json").exists():
        return
    print(f"collectstatic til {from_env} (første gang tager det et par minutter) …", flush=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJEKT, env=miljoe, check=True)


def _vent_paa(port: int, proces: subprocess.Popen, sekunder: float = 60) -> None:
    slut = time.monotonic() + sekunder
    while time.monotonic() < slut:
        if proces.poll() is not None:
            raise SystemExit("gunicorn stoppede under opstarten")
        try:
            forbindelse = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            forbindelse.request("GET", "/healthz")
            if forbindelse.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn svarede ikke på /healthz")


def _belast(port: int, adresser, traade: int, sekunder: float) -> dict:
    """Requests per second and the client's latencies (ms) for `adresser` (an endless iterator)."""
    laas = threading.Lock()
    tider: list[float] = []
    fejl = [0]
    stop = time.monotonic() + sekunder

    def arbejd() -> None:
        while time.monotonic() < stop:
            with laas:
                adresse = next(adresser)
            start = time.perf_counter()
            try:
                forbindelse = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                forbindelse.request("GET", adresse, headers={"Accept-Encoding": "identity"})
                svar = forbindelse.getresponse()
                svar.read()
                forbindelse.close()
                ok = svar.status == 200
            except OSError:
                ok = False
            tid = (time.perf_counter() - start) * 1000
            with laas:
                if ok:
                    tider.append(tid)
                else:
                    fejl[0] += 1

    begyndt = time.monotonic()
    traadene = [threading.Thread(target=arbejd) for _ in range(traade)]
    for t in traadene:
        t.start()
    for t in traadene:
        t.join()
    varighed = time.monotonic() - begyndt
    tider.sort()
    return {
        "req_s": len(tider) / varighed,
        "p50": statistics.median(tider) if tider else float("nan"),
        "p95": tider[min(len(tider) - 1, round(0.95 * (len(tider) - 1)))] if tider else float("nan"),
        "fejl": fejl[0],
    }


def _slugs(miljoe: dict, antal: int = 500) -> list[str]:
    kode = ("from aftaler.models import Samarbejdsaftale as S; "
            f"print('\\n'.join(S.objects.offentlige().filter(slug__startswith='bench-')"
            f".values_list('slug', flat=True)[:{antal}]))")
    ud = subprocess.run([PYTHON, "manage.py", "shell", "-c", kode], cwd=PROJEKT, env=miljoe, check=True,
                        capture_output=True, text=True).stdout
    slugs = [linje for linje in ud.split() if linje.startswith("bench-")]
    if not slugs:
        raise SystemExit("Ingen benchmarkaftaler: kør `manage.py benchmark --force` først.")
    return slugs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn-workers (standard 2)")
    parser.add_argument("--traade", type=int, default=4, help="samtidige klienter (standard 4)")
    parser.add_argument("--sekunder", type=float, default=10, help="sekunder pr. side (standard 10)")
    args = parser.parse_args()

    miljoe = _miljoe()
    _saml_statiske_filer(miljoe)
    slugs = _slugs(miljoe)
    port = _fri_port()
    gunicorn = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "sundhed.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=PROJEKT, env=miljoe)
    try:
        _vent_paa(port, gunicorn)
        nummer = itertools.count()
        sider = [
            ("Statisk fil /static/css/portal.css", lambda: itertools.repeat("/static/css/portal.css")),
            ("Liste /aftaler/, ucachet", lambda: (f"/aftaler/?a={next(nummer)}" for _ in itertools.count())),
            ("Søgning »demens«, ucachet", lambda: (f"/aftaler/?q=demens&a={next(nummer)}" for _ in itertools.count())),
            ("Søgning »borgere«, ucachet",
             lambda: (f"/aftaler/?q=borgere&a={next(nummer)}" for _ in itertools.count())),
            ("Aftale /aftaler/<slug>/, ucachet",
             lambda: (f"/aftaler/{slugs[i % len(slugs)]}/?a={next(nummer)}" for i in itertools.count())),
            ("Liste /aftaler/, cachet", lambda: itertools.repeat("/aftaler/")),
            ("Aftale, cachet", lambda: itertools.repeat(f"/aftaler/{slugs[0]}/")),
        ]
        print(f"\ngunicorn {args.workers} sync-workers, {args.traade} klienttråde, {args.sekunder:g} s pr. side, "
              f"{os.cpu_count()} CPU'er (klienten kører på samme maskine)\n")
        print(f"{'Side':<36} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'fejl':>5} {'af statisk':>10}")
        statisk = None
        for navn, adresser in sider:
            _belast(port, adresser(), args.traade, min(2.0, args.sekunder / 4))  # warm up the workers
            resultat = _belast(port, adresser(), args.traade, args.sekunder)
            statisk = statisk or resultat["req_s"]
            print(f"{navn:<36} {resultat['req_s']:8.1f} {resultat['p50']:8.1f} {resultat['p95']:8.1f} "
                  f"{resultat['fejl']:5d} {resultat['req_s'] / statisk:9.0%}", flush=True)
    finally:
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()


if __name__ == "__main__":
    main()
