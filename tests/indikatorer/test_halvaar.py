"""An unfinished period cannot be imported, and the half-year report goes out only for a half year that
has ended (issue 13 item 6: 2026H2 was accepted on 29 November 2026 and its report mailed to the councils)."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from indikatorer import importer, services
from indikatorer.choices import RapportStatus
from indikatorer.importer import Opslag, Raekke, kontroller
from indikatorer.models import Halvaarsrapport, ImportBatch, Maaling
from indikatorer.perioder import Periode
from sundhed.models import Udbakke
from tests.indikatorer.conftest import GEOGRAFIER, csv_fil, fuld_periode

pytestmark = pytest.mark.django_db


def _opslag(idag: datetime.date) -> Opslag:
    opslag = Opslag.hent()
    opslag.idag = idag
    return opslag


def _dette_halvaar() -> Periode:
    return Periode.fra_dato(timezone.localdate(), "halvaar")


@pytest.fixture
def modtagere(personas):
    for navn in ("kommune_a", "kommune_b", "region"):
        personas[navn].email = f"{personas[navn].username}@example.dk"
        personas[navn].save()


def test_the_half_year_still_running_is_refused_naming_the_line(struktur, indikatorer):
    data = csv_fil([("andel", "kommune-a", "2026H1", "1"), ("andel", "kommune-b", "2026H2", "1"),
                    ("aarlig", "kommune-a", "2025", "1"), ("aarlig", "kommune-b", "2026", "1")])
    r = kontroller("data.csv", data, _opslag(datetime.date(2026, 11, 29)))
    assert r.fejl == [
        "Linje 3: perioden 2026H2 er ikke afsluttet (den slutter 31. december 2026).",
        "Linje 5: perioden 2026 er ikke afsluttet (den slutter 31. december 2026).",
    ]
    assert [x.periode.kode for x in r.raekker] == ["2026H1", "2025"]


@pytest.mark.parametrize("idag, godtaget", [
    (datetime.date(2026, 6, 30), False), (datetime.date(2026, 7, 1), True), (datetime.date(2027, 1, 1), True),
])
def test_a_half_year_can_be_imported_from_the_day_after_it_ends(struktur, indikatorer, idag, godtaget):
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2026H1", "1")]), _opslag(idag))
    assert (r.fejl == []) is godtaget
    if not godtaget:
        assert r.fejl == ["Linje 2: perioden 2026H1 er ikke afsluttet (den slutter 30. juni 2026)."]


def test_a_future_period_is_still_called_future(struktur, indikatorer):
    r = kontroller("data.csv", csv_fil([("andel", "kommune-a", "2027H1", "1")]),
                   _opslag(datetime.date(2026, 11, 29)))
    assert r.fejl == ["Linje 2: perioden 2027H1 ligger i fremtiden."]


def test_a_complete_unfinished_half_year_is_refused_and_no_report_is_sent(personas, indikatorer, modtagere,
                                                                          django_capture_on_commit_callbacks):
    periode = _dette_halvaar().kode
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.ImportAfvist) as exc:
        services.import_direkte(bruger=personas["sekretariat"], filnavn="data.csv",
                                indhold=csv_fil(fuld_periode(periode)))
    assert f"Linje 2: perioden {periode} er ikke afsluttet" in exc.value.fejl[0]
    assert not Maaling.objects.exists() and not ImportBatch.objects.exists()
    assert not Halvaarsrapport.objects.exists() and mail.outbox == [] and _rapportraekker() == 0


def _rapportraekker() -> int:
    """Outbox rows announcing a report (kind `rapport`): the report goes through the outbox."""
    return Udbakke.objects.filter(slags="rapport").count()


def _komplet_uden_import(periode: Periode) -> None:
    """Complete data for `periode` written without the import's check (as before the fix, or by the demo)."""
    opslag = Opslag.hent()
    services.demodata_gem(raekker=[
        Raekke(0, opslag.indikatorer[kode], opslag.geografier[geo], periode, Decimal("10"), None, None, "")
        for kode in ("andel", "rate") for geo in GEOGRAFIER
    ])


def test_the_report_is_not_made_for_a_half_year_still_running(personas, indikatorer, modtagere,
                                                                 django_capture_on_commit_callbacks):
    periode = _dette_halvaar()
    _komplet_uden_import(periode)
    assert services.komplette_perioder([periode.kode]) == [periode.kode]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rapporter_hvis_komplet(perioder=[periode.kode]) == []
    assert not Halvaarsrapport.objects.exists() and mail.outbox == [] and _rapportraekker() == 0


def test_a_report_waiting_for_a_running_half_year_is_held_back_until_it_has_ended(
        personas, indikatorer, modtagere, monkeypatch, django_capture_on_commit_callbacks):
    periode = _dette_halvaar()
    _komplet_uden_import(periode)
    rapport = Halvaarsrapport.objects.create(periode=periode.kode)  # made before the fix
    assert services.rapport_udsend(rapport_id=rapport.pk) == 0
    rapport.refresh_from_db()
    assert rapport.status == RapportStatus.VENTER and mail.outbox == [] and _rapportraekker() == 0

    dagen_efter = importer.periodens_slut(periode) + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dagen_efter)
    with django_capture_on_commit_callbacks(execute=True):
        services.rapporter_hvis_komplet(perioder=[periode.kode])
    rapport.refresh_from_db()
    assert rapport.status == RapportStatus.SENDT and _rapportraekker() == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.rapporter_hvis_komplet(perioder=[periode.kode])
    assert _rapportraekker() == 3


def test_an_ended_half_year_still_gets_its_report(personas, indikatorer, modtagere,
                                                  django_capture_on_commit_callbacks):
    forrige = _dette_halvaar().forrige().kode
    with django_capture_on_commit_callbacks(execute=True):
        services.import_direkte(bruger=personas["sekretariat"], filnavn="data.csv",
                                indhold=csv_fil(fuld_periode(forrige)))
    assert Halvaarsrapport.objects.get().periode == forrige and _rapportraekker() == 3
