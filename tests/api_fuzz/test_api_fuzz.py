"""API fuzzing (issue 12): schemathesis generates requests from /api/schema/ and sends them to the real
app (Django's WSGI handler, in process) on the real database with the demo data, once anonymously and once
as the secretariat with an API token. Every answer must be no server error (5xx) and match the schema:
a documented status code, the documented content type and a body the documented schema accepts.

Bounded: at most EKSEMPLER cases per operation and pass, a fixed seed (deterministic: the same cases on every
run), and a wall-clock budget per pass shared fairly between the operations (one cut short by it is named in
the output). Each pass prints how many operations and calls it made. Marker `fuzz`: it runs only as
`pytest -m fuzz` (.ci/run's step "API fuzzing"), where DATABASE_URL is PostgreSQL and KRAEV_TJENESTER makes a
missing service a failure.

The secretariat's writes land in the test transaction, rolled back at the end; transaction.on_commit never
fires inside it, so no notification is delivered and no mail is sent (the tests' mail backend is locmem
anyway), and nothing calls the network.

Schemathesis' own pytest integration (`schema.parametrize()`) does not run on pytest 9.2 (it sets a node
attribute pytest no longer has), so the cases are driven here with its Hypothesis strategies
(`APIOperation.as_strategy`) and its checks (`Case.validate_response`): the same generation and checks.

Path parameters: besides generated values (which test the 404s), most cases use real ones (agreement slugs in
every state, clusters, versions, meetings, local goals, ...) read from the database, so the operations behind
a slug are reached, not only their 404; body and query fields that name objects (`forum`, `klynge`, `part`,
`aftale`, `indikator`, ...) and the import's `fil` often get real values too, so writes succeed as well.

What it found is pinned in test_fund.py, which runs in every suite.
"""

import logging
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction
from django.test import override_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.fuzz]

EKSEMPLER = int(os.environ.get("FUZZ_EKSEMPLER", 60))  # cases per operation and pass
BUDGET_S = float(os.environ.get("FUZZ_BUDGET_S", 100))  # wall clock per pass
# By hand: FUZZ_OPERATIONER=<regex> narrows a run to the operations whose label ("GET /api/v1/...") matches;
# FUZZ_DETALJER=1 prints each operation's time and status codes; FUZZ_TILFAELDIG=1 draws new cases (no fixed seed).
UDVALG = re.compile(os.environ.get("FUZZ_OPERATIONER", ""))
DETALJER = bool(os.environ.get("FUZZ_DETALJER"))
FAST_FROE = not os.environ.get("FUZZ_TILFAELDIG")

KONTROLLER = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


# --- the data and the app -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demodata(django_db_setup, django_db_blocker):
    """`manage.py demo` once for the module, in a transaction rolled back at the end (as tests/aftaler/
    test_demo.py); each pass runs in a savepoint on top of it, so the first pass's writes are gone for the next."""
    mangler = []
    if connection.vendor != "postgresql":
        mangler.append("PostgreSQL (DATABASE_URL)")
    if not os.environ.get("REDIS_URL"):
        mangler.append("Redis (REDIS_URL)")
    if mangler:
        besked = f"API-fuzzingen kører mod produktionens tjenester og kræver {', '.join(mangler)}"
        if os.environ.get("KRAEV_TJENESTER") or os.environ.get("CI"):
            pytest.fail(besked)
        pytest.skip(besked)
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        call_command("demo", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def skema(db, demodata, settings):
    """The schema, loaded from the app's own /api/schema/, bound to the app itself (WSGI, in process)."""
    from django.core.handlers.wsgi import WSGIHandler

    settings.ALLOWED_HOSTS = ["localhost"]
    # As in Django's test client: a request must not close the test's connection (and with it its transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Every 4xx is logged as a warning; thousands of them would bury what matters (a 500 logs its traceback).
    stille = {navn: logging.getLogger(navn) for navn in ("django.request", "axes")}
    niveauer = {navn: log.level for navn, log in stille.items()}
    for log in stille.values():
        log.setLevel(logging.ERROR)
    try:
        config = schemathesis.config.SchemathesisConfig.from_dict({"generation": {
            "max-examples": EKSEMPLER, "deterministic": FAST_FROE, "no-shrink": True, "database": "none",
            # The passes send their own credentials (none, or the secretariat's token), never generated ones.
            "with-security-parameters": False,
        }})
        yield schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=config)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        for navn, log in stille.items():
            log.setLevel(niveauer[navn])


# --- real path parameters -------------------------------------------------------------------------------


def rigtige_stiparametre() -> dict[str, list[dict]]:
    """Real values for each path with parameters (the longest matching prefix serves the paths below it)."""
    from aftaler.models import AftaleVersion, Samarbejdsaftale
    from indikatorer.models import ImportBatch, Indikator, LokaltMaal
    from organisation.models import Forum, Klynge, Moede, Part

    aftaler = list(Samarbejdsaftale.objects.order_by("slug").values_list("slug", flat=True))
    klynger = list(Klynge.objects.order_by("slug").values_list("slug", flat=True))
    return {
        "/api/v1/aftaler/{slug}/": [{"slug": s} for s in aftaler],
        "/api/v1/aftaler/{slug}/implementering/{klynge}/": [{"slug": a, "klynge": k} for a in aftaler for k in klynger],
        "/api/v1/aftaler/{slug}/versioner/{nummer}/": [
            {"slug": s, "nummer": n}
            for s, n in AftaleVersion.objects.order_by("aftale__slug", "nummer").values_list("aftale__slug", "nummer")],
        "/api/v1/parter/{slug}/": [{"slug": s} for s in Part.objects.order_by("slug").values_list("slug", flat=True)],
        "/api/v1/fora/{slug}/": [{"slug": s} for s in Forum.objects.order_by("slug").values_list("slug", flat=True)],
        "/api/v1/klynger/{slug}/": [{"slug": s} for s in klynger],
        "/api/v1/klynger/{slug}/maal/{id}/": [
            {"slug": s, "id": i} for s, i in LokaltMaal.objects.order_by("pk").values_list("klynge__slug", "pk")],
        "/api/v1/indikatorer/{kode}/": [
            {"kode": k} for k in Indikator.objects.order_by("kode").values_list("kode", flat=True)],
        "/api/v1/indikatorer/import/{id}/": [
            {"id": i} for i in ImportBatch.objects.order_by("pk").values_list("pk", flat=True)],
        "/api/v1/moeder/{id}/": [{"id": i} for i in Moede.objects.order_by("pk").values_list("pk", flat=True)],
    }


def rigtige_felter() -> dict[str, list]:
    """Real values for body and query fields that name other objects, so that writes can succeed."""
    from aftaler.models import Indsatsomraade, Maalsaetning, Samarbejdsaftale
    from indikatorer.models import Indikator
    from organisation.models import Forum, Klynge, Part

    def slugs(model, felt: str = "slug") -> list:
        return list(model.objects.order_by(felt).values_list(felt, flat=True))

    fora, klynger, parter, koder = slugs(Forum), slugs(Klynge), slugs(Part), slugs(Indikator, "kode")
    return {
        "aftale": slugs(Samarbejdsaftale),
        "forum": fora, "ejer": fora, "klynge": klynger, "part": parter, "geografi": parter + klynger,
        "indsatsomraade": slugs(Indsatsomraade),
        "maalsaetning": slugs(Maalsaetning, "pk"),
        "indikator": koder,
        # A meeting: every start before every end.
        "start": ["2027-03-01T10:00:00+01:00", "2027-04-12T09:30"],
        "slut": ["2027-06-01T12:00:00+02:00", "2027-06-02T16:00"],
        # An import file of one row (DESIGN.md: kode;geografi;periode;vaerdi), for a yearly or a half-yearly indicator.
        "fil": [f"kode;geografi;periode;vaerdi\n{koder[0]};region-midtjylland;{periode};12,5\n".encode()
                for periode in ("2024", "2024H1")],
    }


def _med_rigtige_felter(felter: dict[str, list], case):
    """Half the time each field that names an object gets a real value in place of the generated one."""
    valg = {
        (sted, navn): st.one_of(st.just(vaerdi), st.sampled_from(felter[navn]))
        for sted in ("body", "query") if isinstance(getattr(case, sted), dict)
        for navn, vaerdi in getattr(case, sted).items() if felter.get(navn)
    }
    if not valg:
        return st.just(case)

    def anvend(nye: dict) -> object:
        for (sted, navn), vaerdi in nye.items():
            getattr(case, sted)[navn] = vaerdi
        return case

    return st.fixed_dictionaries(valg).map(anvend)


def _vaerdier(alle: dict[str, list[dict]], sti: str) -> list[dict]:
    kandidater = [p for p in alle if sti.startswith(p) and p.count("{") == sti.count("{")]
    return alle[max(kandidater, key=len)] if kandidater else []


def strategi(operation, alle: dict[str, list[dict]], felter: dict[str, list]):
    """Generated cases, positive and negative; for a path with parameters three in five use real values, and
    fields that name objects often get real ones."""
    genereret = [operation.as_strategy(mode) for mode in MODES]
    vaerdier = _vaerdier(alle, operation.path)
    if not vaerdier:
        return st.one_of(genereret).flatmap(lambda case: _med_rigtige_felter(felter, case))
    bygget: dict[tuple[int, GenerationMode], object] = {}

    def med_rigtige(valg: tuple[int, GenerationMode]):
        if valg not in bygget:
            i, mode = valg
            bygget[valg] = operation.as_strategy(mode, path_parameters=vaerdier[i])
        return bygget[valg]

    rigtige = st.tuples(st.integers(0, len(vaerdier) - 1), st.sampled_from(MODES)).flatmap(med_rigtige)
    return st.one_of(rigtige, rigtige, rigtige, *genereret).flatmap(lambda case: _med_rigtige_felter(felter, case))


# --- the driver ---------------------------------------------------------------------------------------------


class _TidenErGaaet(Exception):
    """The operation's share of the budget is spent: stop generating for it."""


@dataclass
class Resultat:
    """One pass: what it sent, what it cut short, the status codes per operation and the failures found."""

    operationer: int = 0
    kald: int = 0
    afkortet: list[str] = field(default_factory=list)
    statusser: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    fejl: dict[tuple, str] = field(default_factory=dict)

    def linje(self, navn: str, sekunder: float) -> str:
        return (f"API-fuzzing ({navn}): {self.operationer} operationer, {self.kald} kald, {len(self.fejl)} fejl, "
                f"{sekunder:.0f} s" + (f"; afkortet af tidsbudgettet: {len(self.afkortet)}" if self.afkortet else ""))


def fuzz(skema, *, headers: dict[str, str], navn: str) -> Resultat:
    """Every operation in the schema, each with at most EKSEMPLER cases within its share of BUDGET_S."""
    alle, felter = rigtige_stiparametre(), rigtige_felter()
    operationer = [r.ok() for r in skema.get_all_operations() if UDVALG.search(r.ok().label)]
    res = Resultat()
    start = time.monotonic()
    for n, operation in enumerate(operationer):
        # Up to twice a fair share of what is left (an operation that finishes early leaves its time to the rest),
        # never past the pass's budget.
        nu = time.monotonic()
        frist = min(start + BUDGET_S, nu + 2 * (BUDGET_S - (nu - start)) / (len(operationer) - n))
        res.operationer += 1
        t0 = time.monotonic()
        try:
            _koer(operation, strategi(operation, alle, felter), headers, frist, res)()
        except _TidenErGaaet:
            res.afkortet.append(operation.label)
        if DETALJER:
            print(f"  {operation.label}: {time.monotonic() - t0:.1f} s, "
                  f"{dict(sorted(res.statusser[operation.label].items()))}")
    print(f"\n{res.linje(navn, time.monotonic() - start)}")
    if res.afkortet:
        print("  Afkortet: " + ", ".join(res.afkortet))
    for (label, titel, status), rapport in res.fejl.items():
        print(f"\n--- {label}: {titel} ({status}) ---\n{rapport}")
    return res


def _koer(operation, strategi_, headers, frist: float, res: Resultat) -> Callable[[], None]:
    # No shrinking (the first failing case is reported as it is) and no example database: bounded and repeatable.
    @hypothesis.settings(max_examples=EKSEMPLER, derandomize=FAST_FROE, database=None, deadline=None,
                         phases=[hypothesis.Phase.generate], suppress_health_check=list(hypothesis.HealthCheck),
                         verbosity=hypothesis.Verbosity.quiet)
    @hypothesis.given(case=strategi_)
    def test(case):
        if time.monotonic() > frist:
            raise _TidenErGaaet
        res.kald += 1
        svar = case.call(headers=headers)
        res.statusser[operation.label][svar.status_code] += 1
        try:
            case.validate_response(svar, checks=KONTROLLER, headers=headers)
        except FailureGroup as gruppe:
            # One report per operation, check and status: the first case that shows it, with its curl command.
            for fejl in gruppe.exceptions:
                res.fejl.setdefault((operation.label, fejl.title, svar.status_code), str(gruppe))

    return test


# --- the two passes --------------------------------------------------------------------------------------


def test_anonymous_requests_get_no_server_error_and_answers_that_match_the_schema(skema):
    res = fuzz(skema, headers={}, navn="anonym")

    assert res.kald > 0
    assert not res.fejl, f"{len(res.fejl)} fejl (se udskriften ovenfor): {sorted(res.fejl)}"


def test_the_secretariats_requests_get_no_server_error_and_answers_that_match_the_schema(skema):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    # The token straight in the database: the token endpoint asks the secretariat for a TOTP code.
    noegle = Token.objects.create(user=get_user_model().objects.get(username="sekretariat")).key
    res = fuzz(skema, headers={"Authorization": f"Token {noegle}"}, navn="sekretariatet")

    assert res.kald > 0
    assert not res.fejl, f"{len(res.fejl)} fejl (se udskriften ovenfor): {sorted(res.fejl)}"

