"""Imports all or nothing, replacement and rollback, large files in the background, the half-year report."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache

from indikatorer import importer, services
from indikatorer import models as indikator_models
from indikatorer.choices import BatchKilde, BatchStatus, RapportStatus
from indikatorer.models import Halvaarsrapport, ImportBatch, Maaling
from sundhed import udbakke
from sundhed.exceptions import DomainError
from sundhed.models import Haendelse, Notifikationsvalg, Udbakke, UdbakkeTilstand
from tests.indikatorer.conftest import csv_fil, fuld_periode, importer_raekker, vaerdi

pytestmark = pytest.mark.django_db


# --- who may import -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona, tilladt", [
    ("sekretariat", True), ("oekonomi", True), ("temagruppe", False), ("styregruppe", False), ("klynge", False),
    ("kommune_a", False), ("region", False), ("udenforstaaende", False),
])
def test_only_the_secretariat_and_the_oekonomi_group_may_import(personas, oekonomi, indikatorer, persona, tilladt):
    bruger = oekonomi if persona == "oekonomi" else personas[persona]
    data = csv_fil([("andel", "kommune-a", "2024H1", "12,5")])
    if tilladt:
        services.import_direkte(bruger=bruger, filnavn="data.csv", indhold=data)
        assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("12.5")
    else:
        with pytest.raises(services.IkkeTilladt):
            services.import_direkte(bruger=bruger, filnavn="data.csv", indhold=data)
        assert not Maaling.objects.exists() and not ImportBatch.objects.exists()


# --- all or nothing -----------------------------------------------------------------------------


def test_one_bad_row_refuses_the_whole_file_and_nothing_is_written(personas, indikatorer):
    with pytest.raises(services.ImportAfvist) as exc:
        importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1"),
                                                   ("andel", "kommune-b", "2024H1", "x")])
    assert exc.value.fejl == ["Linje 3: værdien 'x' er ikke et tal."]
    assert not Maaling.objects.exists() and not ImportBatch.objects.exists()


def test_preview_keeps_the_file_and_writes_no_measurements_until_approved(personas, indikatorer):
    sek = personas["sekretariat"]
    importer_raekker(sek, [("andel", "kommune-a", "2024H1", "1")])
    batch = services.import_forbered(bruger=sek, filnavn="ny.csv", indhold=csv_fil([
        ("andel", "kommune-a", "2024H1", "2"), ("andel", "kommune-b", "2024H1", "3")]))
    assert batch.status == BatchStatus.KLADDE
    assert (batch.antal_raekker, batch.antal_nye, batch.antal_erstattede) == (2, 1, 1)
    assert [r.vaerdi for r in services.forhaandsvisning(batch)] == [Decimal("2"), Decimal("3")]
    assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("1")
    services.import_godkend(batch=batch, bruger=sek)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAERDIG and batch.godkendt_af == sek and batch.afsluttet
    assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("2")


def test_a_cancelled_preview_writes_nothing(personas, indikatorer):
    batch = services.import_forbered(bruger=personas["sekretariat"], filnavn="ny.csv",
                                     indhold=csv_fil([("andel", "kommune-a", "2024H1", "2")]))
    services.import_annuller(batch=batch, bruger=personas["sekretariat"])
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ANNULLERET and batch.indhold is None
    assert not Maaling.objects.exists()
    with pytest.raises(DomainError):
        services.import_godkend(batch=batch, bruger=personas["sekretariat"])


def test_every_step_writes_an_audit_row(personas, indikatorer):
    sek = personas["sekretariat"]
    batch = importer_raekker(sek, [("andel", "kommune-a", "2024H1", "1")])
    services.import_tilbagerul(batch=batch, bruger=sek)
    handlinger = list(Haendelse.objects.filter(objekt_type="indikatorer.importbatch").order_by("id")
                      .values_list("handling", "bruger__username"))
    assert handlinger == [("import_uploadet", "sekretariat"), ("import_godkendt", "sekretariat"),
                          ("import_faerdig", "sekretariat"), ("import_tilbagerullet", "sekretariat")]


def test_measurements_know_their_geography_as_part_or_cluster(personas, indikatorer, struktur):
    importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1"),
                                               ("andel", "klynge-et", "2024H1", "2"),
                                               ("andel", "region-midtjylland", "2024H1", "3")])
    m = {x.geografi_slug: x for x in Maaling.objects.all()}
    assert m["kommune-a"].part == struktur["kommune_a"] and m["kommune-a"].klynge is None
    assert m["klynge-et"].klynge == struktur["klynge"] and m["klynge-et"].part is None
    assert (m["region-midtjylland"].geografi_type, m["klynge-et"].geografi_type) == ("region", "klynge")
    assert m["kommune-a"].periode_noegle == 20241


def test_the_database_refuses_two_current_values_for_one_key(personas, indikatorer, struktur):
    from django.db import IntegrityError, transaction

    batch = importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1")])
    with pytest.raises(IntegrityError), transaction.atomic():
        Maaling.objects.create(indikator=indikatorer["andel"], part=struktur["kommune_a"], geografi_slug="kommune-a",
                               geografi_type="kommune", periode="2024H1", periode_noegle=20241, vaerdi=2, batch=batch)
    with pytest.raises(IntegrityError), transaction.atomic():
        Maaling.objects.create(indikator=indikatorer["andel"], part=struktur["kommune_a"], klynge=struktur["klynge"],
                               geografi_slug="x", geografi_type="kommune", periode="2023H1", periode_noegle=20231,
                               vaerdi=2, batch=batch)


# --- replacement and rollback -------------------------------------------------------------------


def test_rollback_removes_the_batch_and_brings_back_what_it_replaced(personas, indikatorer):
    sek = personas["sekretariat"]
    importer_raekker(sek, [("andel", "kommune-a", "2024H1", "1"), ("andel", "kommune-b", "2024H1", "5")])
    anden = importer_raekker(sek, [("andel", "kommune-a", "2024H1", "2"), ("andel", "kommune-c", "2024H1", "7")])
    assert (anden.antal_nye, anden.antal_erstattede) == (1, 1)
    assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("2")
    services.import_tilbagerul(batch=anden, bruger=sek)
    anden.refresh_from_db()
    assert anden.status == BatchStatus.TILBAGERULLET and anden.tilbagerullet_af == sek
    assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("1")
    assert vaerdi(indikatorer["andel"], "kommune-c", "2024H1") is None
    assert Maaling.objects.gaeldende().count() == 2


def test_a_batch_whose_values_were_replaced_later_cannot_be_rolled_back_first(personas, indikatorer):
    sek = personas["sekretariat"]
    foerste = importer_raekker(sek, [("andel", "kommune-a", "2024H1", "1")])
    anden = importer_raekker(sek, [("andel", "kommune-a", "2024H1", "2")])
    with pytest.raises(DomainError, match=f"nr. {anden.pk}"):
        services.import_tilbagerul(batch=foerste, bruger=sek)
    services.import_tilbagerul(batch=anden, bruger=sek)
    services.import_tilbagerul(batch=foerste, bruger=sek)
    assert not Maaling.objects.gaeldende().exists()


def test_only_a_finished_batch_can_be_rolled_back(personas, indikatorer):
    sek = personas["sekretariat"]
    batch = importer_raekker(sek, [("andel", "kommune-a", "2024H1", "1")])
    services.import_tilbagerul(batch=batch, bruger=sek)
    with pytest.raises(DomainError, match="Kun en færdig import"):
        services.import_tilbagerul(batch=batch, bruger=sek)


def test_outsiders_cannot_roll_back(personas, indikatorer):
    batch = importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1")])
    with pytest.raises(services.IkkeTilladt):
        services.import_tilbagerul(batch=batch, bruger=personas["klynge"])
    assert Maaling.objects.count() == 1


# --- large files in the background --------------------------------------------------------------


def _stor_fil(antal_perioder: int) -> bytes:
    raekker = []
    for aar in range(2000, 2000 + antal_perioder // 2):
        for h in (1, 2):
            for geo in ("region-midtjylland", "klynge-et", "klynge-to", "kommune-a", "kommune-b", "kommune-c"):
                for kode in ("andel", "rate"):
                    raekker.append((kode, geo, f"{aar}H{h}", f"{(aar % 97) + h},5"))
    return csv_fil(raekker)


def test_a_large_file_is_written_by_the_task_with_progress(personas, indikatorer, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    monkeypatch.setattr(indikator_models, "GRAENSE_ASYNKRON", 100)
    monkeypatch.setattr(services, "SKRIV_BIDDER", 50)
    fremskridt = []
    original = cache.set

    def husk(noegle, vaerdi, *args, **kwargs):
        if noegle.startswith("indikatorer:import:"):
            fremskridt.append(vaerdi)
        return original(noegle, vaerdi, *args, **kwargs)

    monkeypatch.setattr(cache, "set", husk)
    batch = services.import_forbered(bruger=personas["sekretariat"], filnavn="stor.csv", indhold=_stor_fil(20))
    assert batch.antal_raekker == 240
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.import_godkend(batch=batch, bruger=personas["sekretariat"])
    batch.refresh_from_db()
    assert batch.status == BatchStatus.VENTER and not Maaling.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()  # the worker
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAERDIG
    assert Maaling.objects.count() == 240
    assert fremskridt == [0, 50, 100, 150, 200, 240]


def test_a_task_delivered_twice_writes_once(personas, indikatorer, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(indikator_models, "GRAENSE_ASYNKRON", 10)
    with django_capture_on_commit_callbacks(execute=True):
        batch = importer_raekker(personas["sekretariat"], fuld_periode("2024H1"))
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.FAERDIG
    services.import_koer(batch_id=batch.pk)
    assert Maaling.objects.count() == 12


def test_a_task_finding_bad_rows_marks_the_batch_failed_and_writes_nothing(personas, indikatorer, monkeypatch,
                                                                           django_capture_on_commit_callbacks):
    monkeypatch.setattr(indikator_models, "GRAENSE_ASYNKRON", 1)
    batch = services.import_forbered(bruger=personas["sekretariat"], filnavn="d.csv", indhold=csv_fil(
        [("andel", "kommune-a", "2024H1", "1"), ("rate", "kommune-a", "2024H1", "1")]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.import_godkend(batch=batch, bruger=personas["sekretariat"])
    indikatorer["rate"].delete()  # the data changed between preview and the worker
    callbacks[0]()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FEJLET
    assert batch.fejl == ["Linje 3: ukendt indikatorkode 'rate'."]
    assert not Maaling.objects.exists()


def test_a_hundred_thousand_rows_are_imported_in_bulk(personas, indikatorer, django_capture_on_commit_callbacks):
    """100,000 rows: checked and written in batches; the number of queries does not grow per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indikatorer.models import Indikator
    from organisation.models import Part

    koder = [Indikator.objects.create(kode=f"k{i}", navn=f"K{i}", enhed="antal", retning="lavere").kode
             for i in range(10)]
    Part.objects.bulk_create([Part(slug=f"ekstra-{i}", navn=f"Ekstra {i}", type="kommune") for i in range(200)])
    raekker = [(kode, f"ekstra-{g}", f"{aar}H{h}", f"{g},{h}")
               for kode in koder for g in range(200) for aar in range(2000, 2025) for h in (1, 2)]
    assert len(raekker) == 100_000
    data = csv_fil(raekker)
    assert len(data) < importer.MAKS_STOERRELSE
    with CaptureQueriesContext(connection) as q, django_capture_on_commit_callbacks(execute=True):
        batch = services.import_direkte(bruger=personas["sekretariat"], filnavn="stor.csv", indhold=data)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAERDIG and batch.antal_raekker == 100_000
    assert Maaling.objects.count() == 100_000
    # Bulk inserts (SQLite allows ~999 parameters a statement, PostgreSQL far more), never one per row.
    assert len(q.captured_queries) < len(raekker) / 40


# --- the half-year report -----------------------------------------------------------------------


@pytest.fixture
def modtagere(personas):
    """E-mail addresses for the council secretariats (regional council, municipal councils A and B)."""
    for navn in ("kommune_a", "kommune_b", "region"):
        personas[navn].email = f"{personas[navn].username}@example.dk"
        personas[navn].save()
    personas["klynge"].email = "klynge@example.dk"
    personas["klynge"].save()
    return sorted(f"{personas[n].username}@example.dk" for n in ("kommune_a", "kommune_b", "region"))


def _rapportraekker() -> list[str]:
    """The addresses the report's outbox rows go to (kind `rapport`), sorted."""
    return sorted(Udbakke.objects.filter(slags="rapport").values_list("modtager_email", flat=True))


def test_the_report_is_sent_once_when_a_periods_data_becomes_complete(personas, indikatorer, modtagere,
                                                                      django_capture_on_commit_callbacks):
    sek = personas["sekretariat"]
    fuld = fuld_periode("2024H1")
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(sek, fuld[:-1])
    assert mail.outbox == [] and not Halvaarsrapport.objects.exists() and _rapportraekker() == []
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(sek, fuld[-1:])
    rapport = Halvaarsrapport.objects.get()
    assert rapport.periode == "2024H1" and rapport.status == RapportStatus.SENDT
    assert rapport.antal_modtagere == 3 and bytes(rapport.pdf).startswith(b"%PDF")
    # Through the outbox: one row per council secretariat, in the daily digest by default (kind `rapport`).
    assert _rapportraekker() == modtagere
    assert mail.outbox == []
    assert udbakke.send_sammendrag() == 3
    assert sorted(m.to[0] for m in mail.outbox) == modtagere
    besked = mail.outbox[0]
    assert "Halvårsrapport om sundhedsaftalens indikatorer, 1. halvår 2024" in besked.body
    assert "/indikatorer/rapport/2024H1.pdf" in besked.body
    # A correction of the complete period writes and sends nothing again.
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(sek, fuld[:3])
    assert udbakke.send_sammendrag() == 0
    assert len(mail.outbox) == 3 and Halvaarsrapport.objects.count() == 1 and len(_rapportraekker()) == 3


def test_the_report_respects_each_persons_preference(personas, indikatorer, modtagere,
                                                     django_capture_on_commit_callbacks):
    Notifikationsvalg.objects.create(bruger=personas["kommune_a"], slags="rapport", valg="straks")
    Notifikationsvalg.objects.create(bruger=personas["kommune_b"], slags="rapport", valg="fra")
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(personas["sekretariat"], fuld_periode("2024H1"))
    # Kommune A's secretary asked for it at once: the full mail, delivered by the outbox after commit.
    assert [m.to[0] for m in mail.outbox] == ["kommune-a@example.dk"]
    besked = mail.outbox[0]
    assert "1. halvår 2024" in besked.subject
    assert "/indikatorer/rapport/2024H1.pdf" in besked.body and "/indikatorer/rapport/2024H1/" in besked.body
    assert "List-Unsubscribe" in besked.extra_headers
    # Kommune B's secretary said no: no row at all. The region's waits for the digest.
    assert _rapportraekker() == ["kommune-a@example.dk", "region@example.dk"]
    assert udbakke.send_sammendrag() == 1 and mail.outbox[-1].to == ["region@example.dk"]


def test_a_council_secretary_without_an_address_is_listed_as_unreachable(personas, indikatorer, modtagere,
                                                                         django_capture_on_commit_callbacks):
    personas["kommune_b"].email = ""
    personas["kommune_b"].save()
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(personas["sekretariat"], fuld_periode("2024H1"))
    uden = Udbakke.objects.get(slags="rapport", modtager_email="")
    assert uden.tilstand == UdbakkeTilstand.UDEN_ADRESSE and uden.modtager_navn == "kommune-b"
    assert Halvaarsrapport.objects.get().antal_modtagere == 2


def test_yearly_and_inactive_indicators_do_not_hold_back_a_complete_half_year(personas, indikatorer, modtagere,
                                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(personas["sekretariat"], fuld_periode("2024H2"))
    assert services.komplette_perioder(["2024H2", "2024H1"]) == ["2024H2"]
    assert _rapportraekker() == modtagere


def test_sending_the_report_twice_sends_once(personas, indikatorer, modtagere, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        importer_raekker(personas["sekretariat"], fuld_periode("2024H1"))
    rapport = Halvaarsrapport.objects.get()
    assert services.rapport_udsend(rapport_id=rapport.pk) == 0
    assert _rapportraekker() == modtagere
    assert udbakke.send_sammendrag() == 3
    assert services.rapport_udsend(rapport_id=rapport.pk) == 0
    assert udbakke.send_sammendrag() == 0 and len(mail.outbox) == 3


def test_demo_periods_are_marked_without_sending(indikatorer):
    assert services.rapporter_marker_demo(perioder=["2024H1"]) == 1
    assert services.rapporter_marker_demo(perioder=["2024H1"]) == 0
    assert Halvaarsrapport.objects.get().status == RapportStatus.DEMO
    assert mail.outbox == []


def test_demo_data_is_marked_synthetic_and_never_overwrites_a_real_value(personas, indikatorer, struktur):
    from indikatorer.importer import Opslag, kontroller

    importer_raekker(personas["sekretariat"], [("andel", "kommune-a", "2024H1", "1")])
    raekker = kontroller("x.csv", csv_fil([("andel", "kommune-a", "2024H1", "9"),
                                          ("andel", "kommune-b", "2024H1", "9")]), Opslag.hent()).raekker
    batch = services.demodata_gem(raekker=raekker)
    assert batch.kilde == BatchKilde.DEMO and batch.syntetisk and batch.antal_raekker == 1
    assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("1")
    assert Maaling.objects.get(geografi_slug="kommune-b").syntetisk
    assert services.demodata_gem(raekker=raekker) is None
