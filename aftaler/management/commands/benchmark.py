"""`python manage.py benchmark`: seed many agreements and time the public pages.

Seeds N agreements (default 10,000) with 3 versions and 20 decisions each into the configured
database, vacuums and analyses it on PostgreSQL (as autovacuum would), then measures in-process
with django.test.Client (server time, the whole middleware stack, no network): the list, searches,
an agreement page and the Atom feed, uncached, cached and as a conditional GET (304), each page
warmed up, then in several rounds over all the pages (the median of the rounds' figures is
printed, so a burst of other work on a shared machine moves it little). Prints p50
and p95 in milliseconds and, for each uncached page, the ratio to a bare Django view rendering a
template of the same size in bytes (`bar`), timed right after each request of the page so that both
meet the same load on a shared machine; the cached pages against an empty Django view. The targets
of issue 9 (uncached list, agreement page and search p50 ≤ 10 ms, p95 ≤ 20 ms and at most 4x the
bare view; a word found in every agreement p95 ≤ 40 ms and at most 4x the bare view) are checked and
printed beside the figures.
`scripts/belastning.py` measures the same pages over HTTP through gunicorn.

Seeding writes rows with bulk_create, not through the services: this is benchmark data, made fast,
not domain writes (no transition checks, no audit rows beyond what the pages read). Seeded
agreements have slugs starting with `bench-` and are removed with `--ryd`. Refused unless DEBUG
is on or --force is given.
"""

from __future__ import annotations

import datetime
import functools
import gc
import random
import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.test.utils import override_settings
from django.urls import include, path
from django.utils import timezone

from aftaler import search, stempler, synlighed
from aftaler.choices import Beslutning, ImplementeringStatus, Status, Udfald
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Godkendelse,
    Implementering,
    Indsatsomraade,
    Overgang,
    Samarbejdsaftale,
)
from aftaler.workflow import AUTOMATISK_GODKENDT, Handling
from organisation.choices import ForumType, PartType
from organisation.models import Forum, Klynge, Part

PREFIX = "bench-"
BYER = ["Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig", "Norddjurs", "Odder",
        "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg", "Skanderborg", "Skive", "Struer", "Syddjurs", "Viborg",
        "Aarhus"]

EMNER = [
    "demens", "diabetes", "rygestop", "genoptræning", "hjerneskade", "palliation", "udskrivning", "akutfunktioner",
    "hjemmemonitorering", "medicinhåndtering", "mistrivsel", "graviditet", "sundhedsvisitation", "hjælpemidler",
    "kræftrehabilitering", "hjertesygdom", "lungesygdom", "alkoholbehandling", "misbrug", "psykiatri",
    "ernæring", "faldforebyggelse", "tandpleje", "hjemmesygepleje", "vaccination", "smitteopsporing",
    "telemedicin", "sårbehandling", "inkontinens", "overvægt", "søvn", "ensomhed", "børnesundhed", "svangreomsorg",
    "ældrepleje", "demensvenlighed", "neurorehabilitering", "smertebehandling", "infektioner", "dialyse",
]
SAETNINGER = [
    "Borgeren skal opleve et sammenhængende forløb på tværs af sektorerne.",
    "Kommunen og hospitalet aftaler, hvem der har ansvaret for borgerens videre forløb.",
    "Den praktiserende læge inddrages, når borgerens tilstand ændrer sig.",
    "Aftalen beskriver opgavefordelingen mellem region, kommuner og almen praksis.",
    "Pårørende inddrages i planlægningen af udskrivningen, når borgeren ønsker det.",
    "Sundhedspersonalet dokumenterer aftaler om opfølgning i de fælles systemer.",
    "Klyngerne følger implementeringen og melder status til Sundhedssamarbejdsudvalget.",
    "Aftalerne evalueres hvert andet år på baggrund af de fælles indikatorer.",
    "Hospitalerne sender epikrisen til kommunen og lægen senest på udskrivningsdagen.",
    "Kommunernes akutteams kan tilkaldes af den praktiserende læge hele døgnet.",
    "Borgere med komplekse behov får en forløbskoordinator.",
    "Medarbejderne uddannes i fælles retningslinjer for overgange.",
    "Der tages særligt hensyn til borgere med psykisk sygdom og sociale udfordringer.",
    "Regionen og kommunerne deler data om genindlæggelser og forebyggelige indlæggelser.",
    "Tolkebistand sikres, når borgeren ikke taler dansk.",
    "Aftalen træder i stedet for de tidligere lokale aftaler i klyngerne.",
]
# The database refuses to delete frozen versions (migration 0002) and transitions, decisions and
# dealings (0007) on PostgreSQL; `--ryd` switches these guards off for the benchmark's own rows.
VAGTER = [
    ("aftaler_aftaleversion", "aftaleversion_frossen"),
    *((tabel, f"{tabel}_kun_tilfoej") for tabel in ("aftaler_overgang", "aftaler_godkendelse", "aftaler_behandling")),
]
STATUSFORDELING = ([Status.I_KRAFT] * 60 + [Status.INDSTILLET] * 15 + [Status.GODKENDT] * 10
                   + [Status.OPHAEVET] * 5 + [Status.UDKAST] * 10)


def tom(request):
    """The emptiest baseline: a Django view that does nothing."""
    return HttpResponse("ok")


# The bare baseline a public page is measured against: a Django view rendering a template of the
# same size in bytes. One template (compiled once, as the cached template loader keeps a page's
# templates), rows of plain variables with autoescaping and no tag but the loop, no database: what
# Django costs for a page that size before the page does any work of its own.
_BAR_RAEKKE = (
    '<li class="kort"><h3><a href="{{ r.url }}">{{ r.titel }}</a></h3>'
    '<p><span class="badge {{ r.klasse }}">{{ r.status }}</span></p><dl>'
    '<div><dt>Område</dt><dd>{{ r.omraade }}</dd></div><div><dt>Omfang</dt><dd>{{ r.omfang }}</dd></div>'
    '<div><dt>Ejer</dt><dd>{{ r.ejer }}</dd></div><div><dt>Dato</dt><dd>{{ r.dato }}</dd></div></dl>'
    '<p>{{ r.tekst }}</p></li>\n'
)
_BAR = ('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{{ titel }}</title></head><body>'
        '<main><h1>{{ titel }}</h1><ol>{% for r in raekker %}' + _BAR_RAEKKE + '{% endfor %}</ol></main></body></html>')
_BAR_DATA = {"url": "/aftaler/samarbejdsaftale-om-demens/", "titel": "Samarbejdsaftale om demens nr. 1",
             "klasse": "badge-success", "status": "I kraft", "omraade": "Sammenhængende forløb",
             "omfang": "Regional", "ejer": "Temagruppe for ældre", "dato": "5. marts 2024",
             "tekst": "Aftalen beskriver det fælles arbejde med demens mellem kommuner, region og almen praksis."}


@functools.cache
def _bar_skabelon():
    skabelon = engines["django"].from_string(_BAR)
    ramme = len(skabelon.render({"titel": "Side", "raekker": []}).encode())
    raekke = len(skabelon.render({"titel": "Side", "raekker": [_BAR_DATA]}).encode()) - ramme
    return skabelon, ramme, raekke


def bar(request, stoerrelse: int):
    """The bare baseline for a page of `stoerrelse` bytes (rendered with the request's context
    processors, as render() does)."""
    skabelon, ramme, raekke = _bar_skabelon()
    antal = max(0, round((stoerrelse - ramme) / raekke))
    raekker = [dict(_BAR_DATA, titel=f"Samarbejdsaftale om demens nr. {i}") for i in range(antal)]
    return HttpResponse(skabelon.render({"titel": "Side", "raekker": raekker}, request))


# The benchmark's own URLs: the portal plus the bare views (used only while the command runs).
urlpatterns = [path("benchmark/tom/", tom), path("benchmark/bar/<int:stoerrelse>/", bar),
               path("", include("sundhed.urls"))]


def _tekst(rnd: random.Random, emne: str, nummer: int) -> str:
    afsnit = []
    for _ in range(6):
        saetninger = rnd.sample(SAETNINGER, 4)
        saetninger.insert(rnd.randrange(5), f"Indsatsen for {emne} tilrettelægges i fællesskab.")
        afsnit.append("<p>" + " ".join(saetninger) + "</p>")
    return (f"<h2>Formål</h2><p>Version {nummer}: aftalen om {emne} sikrer borgerne et godt forløb.</p>"
            + "<h2>Indsats</h2>" + "".join(afsnit))


class Command(BaseCommand):
    help = "Indlæser mange aftaler (bench-) og måler de offentlige sider: p50 og p95 mod en bar Django-visning."

    def add_arguments(self, parser):
        parser.add_argument("--antal", type=int, default=10_000, help="Antal aftaler (standard 10.000).")
        parser.add_argument("--gentagelser", type=int, default=60, help="Målinger pr. side og runde (standard 60).")
        parser.add_argument("--runder", type=int, default=3,
                            help="Runder over alle siderne; hvert tal er medianen af rundernes (standard 3).")
        parser.add_argument("--force", action="store_true", help="Kør også når DEBUG er slået fra.")
        parser.add_argument("--ryd", action="store_true", help="Fjern benchmarkens aftaler og stop.")
        parser.add_argument("--kun-maal", action="store_true", help="Mål uden at indlæse flere aftaler.")

    def handle(self, *args, **o):
        if not settings.DEBUG and not o["force"]:
            raise CommandError("Benchmarken skriver tusindvis af aftaler i databasen: kør med DEBUG eller --force.")
        if o["ryd"]:
            self.stdout.write(f"Fjernede {self.ryd()} benchmarkaftaler.")
            return
        if not o["kun_maal"]:
            self.seed(o["antal"])
        self.vacuum()
        self.maal(o["gentagelser"], max(1, o["runder"]))

    # --- seeding ---------------------------------------------------------------------------------

    @transaction.atomic
    def ryd(self) -> int:
        aftaler = Samarbejdsaftale.objects.filter(slug__startswith=PREFIX)
        antal = aftaler.count()
        versioner = AftaleVersion.objects.filter(aftale__in=aftaler)
        if connection.vendor == "postgresql":
            with connection.cursor() as c:  # benchmark data may go (VAGTER)
                for tabel, trigger in VAGTER:
                    c.execute(f"ALTER TABLE {tabel} DISABLE TRIGGER {trigger}")
        Godkendelse.objects.filter(version__in=versioner).delete()
        Overgang.objects.filter(aftale__in=aftaler).delete()
        Behandling.objects.filter(aftale__in=aftaler).delete()
        aftaler.update(aktuel_version=None, offentliggjort_version=None)
        versioner.delete()
        aftaler.delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                # Check the deferred foreign keys now: ALTER TABLE refuses a table with pending checks.
                c.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for tabel, trigger in VAGTER:
                    c.execute(f"ALTER TABLE {tabel} ENABLE TRIGGER {trigger}")
        Part.objects.filter(slug__startswith=PREFIX).delete()
        Forum.objects.filter(slug__startswith=PREFIX).delete()
        return antal

    def _parter(self) -> list[Part]:
        """19 municipalities and the region: the installation's own, or bench- parties if missing."""
        kommuner = list(Part.objects.aktive().filter(type=PartType.KOMMUNE).order_by("navn")[:19])
        for by in BYER[len(kommuner):]:
            kommuner.append(Part.objects.create(navn=f"{by} Kommune", kortnavn=by, type=PartType.KOMMUNE,
                                                slug=f"{PREFIX}{by.lower()}"))
        region = Part.objects.aktive().filter(type=PartType.REGION).first() or Part.objects.create(
            navn="Region Midtjylland", type=PartType.REGION, slug=f"{PREFIX}region")
        return [*kommuner, region]

    @transaction.atomic
    def seed(self, antal: int) -> None:
        findes = Samarbejdsaftale.objects.filter(slug__startswith=PREFIX).count()
        if findes >= antal:
            self.stdout.write(f"{findes} benchmarkaftaler findes allerede; der indlæses ikke flere.")
            return
        start = time.monotonic()
        rnd = random.Random(4)
        parter = self._parter()
        udvalg = Forum.objects.filter(type=ForumType.SUNDHEDSSAMARBEJDSUDVALG).first() or Forum.objects.create(
            navn="Sundhedssamarbejdsudvalget", slug=f"{PREFIX}udvalg", type=ForumType.SUNDHEDSSAMARBEJDSUDVALG)
        ejere = list(Forum.objects.filter(type__in=[ForumType.TEMAGRUPPE, ForumType.ARBEJDSGRUPPE]))
        omraader = list(Indsatsomraade.objects.all())
        klynger = list(Klynge.objects.aktive())
        nu = timezone.now()
        i_dag = timezone.localdate()

        nye = []
        for i in range(findes, antal):
            status = rnd.choice(STATUSFORDELING)
            emne = rnd.choice(EMNER)
            indstillet = i_dag - datetime.timedelta(days=rnd.randrange(60, 2000))
            godkendt = indstillet + datetime.timedelta(days=rnd.randrange(20, 60))
            offentlig = status in (Status.I_KRAFT, Status.OPHAEVET)
            nye.append(Samarbejdsaftale(
                titel=f"Samarbejdsaftale om {emne} nr. {i + 1}", slug=f"{PREFIX}{i + 1}",
                resume=f"Aftalen beskriver det fælles arbejde med {emne} mellem kommuner, region og almen praksis.",
                status=status, indsatsomraade=rnd.choice(omraader) if omraader else None,
                ejer_forum=rnd.choice(ejere) if ejere else None,
                indstillet_dato=None if status == Status.UDKAST else indstillet,
                beslutningsfrist=None if status == Status.UDKAST else indstillet + datetime.timedelta(days=90),
                godkendt_dato=godkendt if status in (Status.GODKENDT, Status.I_KRAFT, Status.OPHAEVET) else None,
                ikrafttraedelse=godkendt + datetime.timedelta(days=30) if offentlig else None,
                revisionsdato=godkendt + datetime.timedelta(days=730) if offentlig else None,
                oprettet=nu, opdateret=nu - datetime.timedelta(seconds=antal - i),
            ))
        aftaler = Samarbejdsaftale.objects.bulk_create(nye, batch_size=1000)
        self.stdout.write(f"  {len(aftaler)} aftaler ({time.monotonic() - start:.1f} s)")

        versioner = []
        for a in aftaler:
            emne = a.titel.removeprefix("Samarbejdsaftale om ").rsplit(" nr.", 1)[0]
            for n in (1, 2, 3):
                # A draft's last version is not frozen; every other version was recommended or in consultation.
                versioner.append(AftaleVersion(aftale=a, nummer=n, tekst=_tekst(rnd, emne, n),
                                               aendringsnote=f"Version {n}", oprettet=nu,
                                               frossen=not (a.status == Status.UDKAST and n == 3)))
        AftaleVersion.objects.bulk_create(versioner, batch_size=1000)
        bench = Samarbejdsaftale.objects.filter(slug__startswith=PREFIX, aktuel_version__isnull=True)
        nummer3 = Subquery(AftaleVersion.objects.filter(aftale=OuterRef("pk"), nummer=3).values("pk")[:1])
        bench.filter(status__in=[Status.I_KRAFT, Status.OPHAEVET]).update(offentliggjort_version=nummer3)
        bench.update(aktuel_version=nummer3)
        self.stdout.write(f"  {len(versioner)} versioner ({time.monotonic() - start:.1f} s)")

        v3 = dict(AftaleVersion.objects.filter(aftale__slug__startswith=PREFIX, nummer=3)
                  .values_list("aftale_id", "pk"))
        godkendelser, overgange, behandlinger, implementeringer = [], [], [], []
        for a in aftaler:
            if a.status == Status.UDKAST:
                continue
            version_id = v3[a.pk]
            tid = timezone.make_aware(datetime.datetime.combine(a.indstillet_dato, datetime.time(12)))
            overgange.append(Overgang(aftale=a, handling=Handling.INDSTIL, fra_status=Status.UDKAST,
                                      til_status=Status.INDSTILLET, version_id=version_id, tidspunkt=tid))
            behandlinger.append(Behandling(aftale=a, version_id=version_id, forum=udvalg, dato=a.indstillet_dato,
                                           udfald=Udfald.ANBEFALET))
            for j, part in enumerate(parter):
                if a.status == Status.INDSTILLET:
                    beslutning = [Beslutning.GODKENDT, Beslutning.GODKENDT, Beslutning.UDSAT, None][j % 4]
                    if beslutning is None:
                        continue
                else:
                    beslutning = Beslutning.GODKENDT
                godkendelser.append(Godkendelse(
                    version_id=version_id, part=part, beslutning=beslutning,
                    dato=a.indstillet_dato + datetime.timedelta(days=1 + j), sagsnummer=f"{j:02d}/{a.pk}",
                    referat_url=f"https://www.example.dk/referat/{a.pk}/{j}", registreret=tid))
            if a.status == Status.INDSTILLET:
                # Fill up to 20 decisions: the postponed ones were decided later.
                godkendelser += [Godkendelse(version_id=version_id, part=p, beslutning=Beslutning.GODKENDT,
                                             dato=a.indstillet_dato + datetime.timedelta(days=40), registreret=tid)
                                 for j, p in enumerate(parter) if j % 4 in (2, 3)]
            if a.status != Status.INDSTILLET:
                overgange.append(Overgang(aftale=a, handling=AUTOMATISK_GODKENDT, fra_status=Status.INDSTILLET,
                                          til_status=Status.GODKENDT, version_id=version_id,
                                          tidspunkt=tid + datetime.timedelta(days=30)))
            if a.status in (Status.I_KRAFT, Status.OPHAEVET):
                overgange.append(Overgang(aftale=a, handling=Handling.OFFENTLIGGOER, fra_status=Status.GODKENDT,
                                          til_status=Status.I_KRAFT, version_id=version_id,
                                          tidspunkt=tid + datetime.timedelta(days=40)))
                implementeringer += [Implementering(aftale=a, klynge=k, status=rnd.choice(ImplementeringStatus.values))
                                     for k in klynger]
        Godkendelse.objects.bulk_create(godkendelser, batch_size=2000)
        Overgang.objects.bulk_create(overgange, batch_size=2000)
        Behandling.objects.bulk_create(behandlinger, batch_size=2000)
        Implementering.objects.bulk_create(implementeringer, batch_size=2000)
        self.stdout.write(f"  {len(godkendelser)} beslutninger, {len(overgange)} overgange "
                          f"({time.monotonic() - start:.1f} s)")
        indekseret = search.indeks_synkroniser()
        self.stdout.write(f"  søgeindeks: {indekseret} aftaler ({time.monotonic() - start:.1f} s)")

    def vacuum(self) -> None:
        """PostgreSQL: VACUUM ANALYZE, as autovacuum does in production after many writes. Where
        autovacuum is off (as on the CI machines), freshly seeded rows would otherwise be measured
        with stale statistics, the dead rows of the seeding's updates, no visibility map (so no
        index-only scan) and the search index's pending list unmerged."""
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE")

    # --- measuring --------------------------------------------------------------------------------

    def maal(self, gentagelser: int, runder: int = 3) -> None:
        with override_settings(ROOT_URLCONF=__name__, DEBUG=False):
            self._maal(gentagelser, runder)

    @staticmethod
    def _p50_p95(tider: list[float]) -> tuple[float, float]:
        tider = sorted(tider)
        return statistics.median(tider), tider[min(len(tider) - 1, round(0.95 * (len(tider) - 1)))]

    def _tid(self, kald: Callable[[int], object], gentagelser: int, foer: Callable[[], object] | None = None,
             bar_kald: Callable[[], object] | None = None, opvarmning: int = 10) -> tuple:
        """p50 and p95 of `kald`, and of `bar_kald` timed right after each call of `kald` (so the
        page and its baseline meet the same load on a shared machine); `foer` runs untimed before.
        The first `opvarmning` calls are not counted (the process's caches, prepared statements and
        the database's buffers warm up)."""
        for i in range(opvarmning):
            if foer:
                foer()
            kald(-1 - i)
            if bar_kald:
                bar_kald()
        tider, bar_tider = [], []
        for i in range(gentagelser):
            if foer:
                foer()
            start = time.perf_counter()
            kald(i)
            tider.append((time.perf_counter() - start) * 1000)
            if bar_kald:
                start = time.perf_counter()
                bar_kald()
                bar_tider.append((time.perf_counter() - start) * 1000)
        return (*self._p50_p95(tider), *(self._p50_p95(bar_tider) if bar_tider else (None, None)))

    @staticmethod
    def _median_af_runder(runder: list[tuple]) -> tuple:
        """Each figure as the median over the rounds (one round's p50, p95 ... per row), and the
        spread of p50 (lowest, highest round): a round that met a burst of other work on the
        machine moves the median little."""
        figurer = tuple(statistics.median(r[i] for r in runder) if runder[0][i] is not None else None
                        for i in range(len(runder[0])))
        return *figurer, min(r[0] for r in runder), max(r[0] for r in runder)

    def _maal(self, gentagelser: int, runder: int) -> None:
        from django.core.cache import cache

        klient = Client()
        offentlige = list(Samarbejdsaftale.objects.offentlige().filter(slug__startswith=PREFIX)
                          .values_list("slug", flat=True)[:500])
        if not offentlige:
            raise CommandError("Ingen benchmarkaftaler: kør uden --kun-maal først.")
        antal = Samarbejdsaftale.objects.count()
        cache.clear()

        def get(url: str, **headers) -> int:
            svar = klient.get(url, **headers)
            if svar.status_code not in (200, 304):
                raise CommandError(f"{url} svarede {svar.status_code}")
            return len(svar.content)

        def etag(url: str) -> str:
            return klient.get(url)["ETag"]

        def uden_sidecache() -> None:
            """Empty the page cache before an uncached request (not timed). The search index's
            "synchronised at" mark is put back: nothing changed, so a real server would not
            synchronise again."""
            cache.clear()
            cache.set("soegeindeks-synkroniseret", stempler.global_stempel().noegle, None)

        def efter_aendring() -> None:
            """As after a change anywhere: the page cache and the "synchronised at" mark are gone, so
            the search first asks whether its index is current (nothing is out of date here)."""
            cache.clear()

        def traeffere(ord_: str) -> int:
            return search.traeffere(synlighed.offentlige_aftaler(), search.Soegning.fra(ord_)).count()

        def stoerrelse(url: str) -> int:
            uden_sidecache()
            return get(url)

        search.indeks_synkroniser()
        demens, borgere = traeffere("demens"), traeffere("borgere")
        def aftale_url(i: int) -> str:
            return f"/aftaler/{offentlige[i % len(offentlige)]}/"

        filtreret = "/aftaler/?status=i_kraft&omfang=regional&sortering=ikraft"
        # (name, URL of the i-th request, before each request, target: (p50, p95, ratio) or None)
        ucachede = [
            ("Liste /aftaler/", lambda i: "/aftaler/", uden_sidecache, (10, 20, 4)),
            ("Liste side 50", lambda i: "/aftaler/?side=50", uden_sidecache, None),
            ("Liste filtreret (i kraft, regional)", lambda i: filtreret, uden_sidecache, None),
            (f"Søgning »demens« ({demens} træffere)", lambda i: "/aftaler/?q=demens", uden_sidecache, (10, 20, 4)),
            (f"Søgning »borgere« ({borgere} træffere)", lambda i: "/aftaler/?q=borgere", uden_sidecache,
             (None, 40, 4)),
            ("Søgning »demens« lige efter en ændring", lambda i: "/aftaler/?q=demens", efter_aendring, None),
            ("Aftale /aftaler/<slug>/", aftale_url, uden_sidecache, (10, 20, 4)),
            ("Feed /feeds/aftaler/", lambda i: "/feeds/aftaler/", uden_sidecache, None),
        ]
        # The baseline's size: the page's (the median over 20 agreements for the agreement page).
        stoerrelser = [int(statistics.median(stoerrelse(url(i)) for i in range(20 if url is aftale_url else 1)))
                       for _, url, _, _ in ucachede]
        liste_etag, aftale_etag = etag("/aftaler/"), etag(f"/aftaler/{offentlige[0]}/")
        cachede = [
            ("Bar Django-visning (HttpResponse)", lambda i: get("/benchmark/tom/")),
            ("Liste /aftaler/, cachet", lambda i: get("/aftaler/")),
            ("Søgning »demens«, cachet", lambda i: get("/aftaler/?q=demens")),
            ("Aftale, cachet", lambda i: get(f"/aftaler/{offentlige[0]}/")),
            ("Feed, cachet", lambda i: get("/feeds/aftaler/")),
            ("Liste, betinget GET (304)", lambda i: get("/aftaler/", HTTP_IF_NONE_MATCH=liste_etag)),
            ("Aftale, betinget GET (304)", lambda i: get(f"/aftaler/{offentlige[0]}/", HTTP_IF_NONE_MATCH=aftale_etag)),
        ]
        # Several rounds over all the pages (not all the rounds of one page, then the next), each
        # figure the median of the rounds': on a shared machine a burst of other work then lands in
        # one round of several pages rather than in every sample of one page.
        ucachet_runder: list[list[tuple]] = [[] for _ in ucachede]
        cachet_runder: list[list[tuple]] = [[] for _ in cachede]
        for _ in range(runder):
            for j, (_, url, foer, _) in enumerate(ucachede):
                gc.collect()
                ucachet_runder[j].append(self._tid(lambda i, url=url: get(url(i)), gentagelser, foer,
                                                   lambda b=stoerrelser[j]: get(f"/benchmark/bar/{b}/")))
            cache.clear()
            for url in ("/aftaler/", "/aftaler/?q=demens", f"/aftaler/{offentlige[0]}/", "/feeds/aftaler/"):
                get(url)
            gc.collect()
            for j, (_, kald) in enumerate(cachede):
                cachet_runder[j].append(self._tid(kald, gentagelser)[:2])
        maalinger = [(navn, stoerrelser[j], maal, *self._median_af_runder(ucachet_runder[j]),
                      statistics.median(p50 / b50 for p50, _, b50, _ in ucachet_runder[j]),
                      statistics.median(p95 / b95 for _, p95, _, b95 in ucachet_runder[j]))
                     for j, (navn, _, _, maal) in enumerate(ucachede)]
        cache_resultater = [(navn, *self._median_af_runder(cachet_runder[j])[:2])
                            for j, (navn, _) in enumerate(cachede)]

        motor = connection.vendor + (f" {connection.pg_version // 10000}" if connection.vendor == "postgresql"
                                     else f" {connection.Database.sqlite_version}")
        self.stdout.write(f"\nDatabase: {motor}, {antal} aftaler; cache: {settings.CACHES['default']['BACKEND']}; "
                          f"{runder} runder à {gentagelser} målinger pr. side (hvert tal medianen af rundernes), "
                          "tid i serveren (Django test Client, in-process)\n")
        self.stdout.write("Ucachet, mod en bar Django-visning, der viser en skabelon af samme størrelse, målt "
                          "lige efter hver side (p50 fra–til: den laveste og højeste runde):")
        self.stdout.write(f"{'Side':<42} {'bytes':>6} {'p50 ms':>7} {'p95 ms':>7} {'p50 fra–til':>13} {'bar p50':>7} "
                          f"{'bar p95':>7} {'p50/bar':>7} {'p95/bar':>7}  mål")
        ikke_naaet = []
        for navn, bytes_, maal, p50, p95, b50, b95, lav, hoej, f50, f95 in maalinger:
            vurdering = ""
            if maal:
                m50, m95, forhold = maal
                naaet = ((m50 is None or p50 <= m50) and (m95 is None or p95 <= m95)
                         and (forhold is None or (f50 <= forhold and f95 <= forhold)))
                krav = ", ".join(k for k in (m50 and f"p50 ≤ {m50}", m95 and f"p95 ≤ {m95}",
                                             forhold and f"≤ {forhold}x bar") if k)
                vurdering = f"{'nået' if naaet else 'IKKE NÅET'} ({krav})"
                if not naaet:
                    ikke_naaet.append(navn)
            self.stdout.write(f"{navn:<42} {bytes_:>6} {p50:7.2f} {p95:7.2f} {f'{lav:.1f}–{hoej:.1f}':>13} "
                              f"{b50:7.2f} {b95:7.2f} {f50:7.1f} {f95:7.1f}  {vurdering}")
        tom50, tom95 = cache_resultater[0][1], cache_resultater[0][2]
        self.stdout.write("\nCachet og betinget GET, mod den tomme Django-visning:")
        self.stdout.write(f"{'Side':<42} {'p50 ms':>7} {'p95 ms':>7} {'p50/tom':>7} {'p95/tom':>7}")
        for navn, p50, p95 in cache_resultater:
            self.stdout.write(f"{navn:<42} {p50:7.2f} {p95:7.2f} {p50 / tom50:7.1f} {p95 / tom95:7.1f}")
        if ikke_naaet:
            self.stdout.write(f"\nMål ikke nået: {', '.join(ikke_naaet)}")
