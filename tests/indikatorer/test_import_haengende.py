"""An import batch left "Kører" by a worker that was killed: visible to administrators, and resumable
or cancellable (indikatorer.services.import_genoptag / import_annuller, the admin's actions)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from indikatorer import services
from indikatorer.choices import BatchStatus
from indikatorer.models import ImportBatch, Maaling
from tests.indikatorer.conftest import csv_fil, vaerdi

pytestmark = pytest.mark.django_db


def _haengende(personas):
    """A batch approved and claimed by a worker that then died: "Kører", 0 rows written."""
    batch = services.import_forbered(bruger=personas["sekretariat"], filnavn="stor.csv",
                                     indhold=csv_fil([("andel", "kommune-a", "2024H1", "7")]))
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.KOERER)
    return ImportBatch.objects.get(pk=batch.pk)


def test_a_stuck_batch_can_be_resumed_and_is_then_written_once(personas, indikatorer,
                                                              django_capture_on_commit_callbacks):
    batch = _haengende(personas)

    with django_capture_on_commit_callbacks(execute=True):
        services.import_genoptag(batch=batch, bruger=personas["sekretariat"])

    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAERDIG
    assert vaerdi(indikatorer["andel"], "kommune-a", "2024H1") == Decimal("7")
    services.import_koer(batch_id=batch.pk)  # a redelivered message finds it done
    assert Maaling.objects.count() == 1


def test_a_stuck_batch_can_be_cancelled_and_nothing_is_written(personas, indikatorer):
    batch = _haengende(personas)

    services.import_annuller(batch=batch, bruger=personas["sekretariat"])

    batch.refresh_from_db()
    assert batch.status == BatchStatus.ANNULLERET and not Maaling.objects.exists()


def test_only_importers_may_resume_and_a_refusal_changes_nothing(personas, indikatorer):
    batch = _haengende(personas)

    with pytest.raises(services.IkkeTilladt):
        services.import_genoptag(batch=batch, bruger=personas["kommune_a"])

    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.KOERER


def test_the_admin_shows_the_stuck_batch_and_cancels_it(admin_client, personas, indikatorer):
    batch = _haengende(personas)
    url = reverse("admin:indikatorer_importbatch_changelist")

    assert "stor.csv" in admin_client.get(url + "?status__exact=koerer").content.decode()
    admin_client.post(url, {"action": "annuller", "_selected_action": [batch.pk]})

    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.ANNULLERET
