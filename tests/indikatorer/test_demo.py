"""The demo loader: every indicator seed 002 names, synthetic data for every geography, idempotent."""

import pytest

from indikatorer import demo, services
from indikatorer.choices import Frekvens, RapportStatus
from indikatorer.models import Halvaarsrapport, ImportBatch, Indikator, Maaling
from sundhed.models import Haendelse

pytestmark = pytest.mark.django_db

SEED_002 = [
    "Antal dagligrygere",
    "Samarbejde mellem hospitalerne og hjemmepleje/hjemmesygepleje omkring udskrivelsen af akut syge ældre (LUP)",
    "Antal akutte indlæggelser blandt ældre", "Forebyggelige indlæggelser blandt ældre",
    "Akutte somatiske genindlæggelser blandt ældre", "Fordeling mellem antal henvisninger og visitationer til BUC",
    "Udviklingsområde – kommunale trivselsdata", "Akutte genindlæggelser inden for 30 dage (psykiatrien)",
    "Psykiatriske færdigbehandlingsdage", "Tvangsindlæggelser for voksne og unge (16+)",
    "Overdødelighed ved psykisk sygdom", "Ventetid til genoptræning", "Ajourførte medicinoplysninger",
    "Tilknytning til arbejdsmarkedet", "Færdigbehandlingsdage (somatisk og psykiatri)",
    "Akutte indlæggelser pr. KOL/diabetes-patient", "Brug af antipsykotika blandt borgere med demens", "Middellevetid",
    "Antibiotikaforbrug i almen praksis", "Tilknytning til uddannelse for psykiatriske patienter",
    "Akutte somatiske og psykiatriske genindlæggelser",
]


def test_the_demo_loads_every_indicator_with_synthetic_data_for_every_geography(struktur):
    demo.indlaes()
    assert sorted(Indikator.objects.values_list("navn", flat=True)) == sorted(SEED_002)
    frekvenser = dict(Indikator.objects.values_list("kode", "frekvens"))
    assert frekvenser["dagligrygere"] == Frekvens.FIREAAR
    assert frekvenser["overdoedelighed-psykisk-sygdom"] == frekvenser["lup-samarbejde-udskrivelse"] == Frekvens.AAR
    assert list(Maaling.objects.filter(indikator__kode="dagligrygere", geografi_slug="kommune-a")
                .values_list("periode", flat=True)) == ["2021", "2025"]
    halvaar = Maaling.objects.filter(indikator__kode="middellevetid", geografi_slug="klynge-et")
    assert halvaar.count() == 15 and halvaar.first().periode == "2019H1" and halvaar.last().periode == "2026H1"
    # 6 geographies in `struktur`: the region, two clusters, three municipalities; all synthetic.
    assert set(Maaling.objects.values_list("geografi_slug", flat=True)) == {
        "region-midtjylland", "klynge-et", "klynge-to", "kommune-a", "kommune-b", "kommune-c"}
    assert not Maaling.objects.filter(syntetisk=False).exists()
    assert not Maaling.objects.filter(indikator__kode="kommunale-trivselsdata").exists()
    # Every demo half year is complete, and marked reported without sending anything.
    assert Halvaarsrapport.objects.count() == 15
    assert set(Halvaarsrapport.objects.values_list("status", flat=True)) == {RapportStatus.DEMO}


def test_the_cluster_value_is_the_weighted_mean_of_its_municipalities(struktur):
    demo.indlaes()
    vaerdier = {m.geografi_slug: m.vaerdi for m in Maaling.objects.filter(indikator__kode="middellevetid",
                                                                         periode="2024H1")}
    lav, hoej = sorted([vaerdier["kommune-a"], vaerdier["kommune-b"]])
    assert lav <= vaerdier["klynge-et"] <= hoej


def test_loading_twice_changes_nothing(struktur):
    demo.indlaes()
    antal = (Indikator.objects.count(), Maaling.objects.count(), ImportBatch.objects.count(), Haendelse.objects.count())
    demo.indlaes()
    assert (Indikator.objects.count(), Maaling.objects.count(), ImportBatch.objects.count(),
            Haendelse.objects.count()) == antal


def test_the_demo_links_indicators_to_the_health_agreements_goals_when_they_exist(struktur):
    from aftaler.models import Maalsaetning, Sundhedsaftale

    aftale = Sundhedsaftale.objects.create(titel="Sundhedsaftalen 2019-2023", slug="sundhedsaftalen-2019-2023",
                                           periode_fra=2019, periode_til=2023)
    roeg = Maalsaetning.objects.create(sundhedsaftale=aftale, tekst=demo.ROEG + ".")
    leveaar = Maalsaetning.objects.create(sundhedsaftale=aftale, national=True, tekst="Flere sunde leveår")
    demo.indlaes()
    ind = Indikator.objects.get(kode="dagligrygere")
    assert (ind.maalsaetning, ind.nationalt_maal) == (roeg, leveaar)
    assert Indikator.objects.get(kode="middellevetid").nationalt_maal == leveaar
    assert Indikator.objects.get(kode="tvangsindlaeggelser").maalsaetning is None


def test_a_real_import_is_never_overwritten_by_the_demo(struktur, personas):
    demo.indlaes()
    from tests.indikatorer.conftest import importer_raekker

    importer_raekker(personas["sekretariat"], [("middellevetid", "kommune-a", "2024H1", "99")])
    Maaling.objects.filter(syntetisk=True, geografi_slug="kommune-b", periode="2024H1").delete()
    demo.indlaes()
    from decimal import Decimal

    assert Maaling.objects.gaeldende().get(indikator__kode="middellevetid", geografi_slug="kommune-a",
                                           periode="2024H1").vaerdi == Decimal("99")
    assert services.komplette_perioder(["2024H1"]) == ["2024H1"]
