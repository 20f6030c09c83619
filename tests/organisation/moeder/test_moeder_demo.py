"""The demo year of meetings (2026): the committee, the steering group, formandskabet and each cluster level
at the seeds' frequencies, held meetings with agenda and minutes, some items closed, the committee's
recommendations of the demo agreements as items on its agendas, local goals in every cluster written
through their service; loaded idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from aftaler.choices import Status, Udfald
from aftaler.models import Behandling, Dagsordensag, Samarbejdsaftale
from indikatorer.models import LokaltMaal
from organisation.models import Dagsordenpunkt, Klynge, Moede, MoedeStatus
from sundhed.models import Haendelse

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demodata(django_db_setup, django_db_blocker):
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        call_command("demo", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize("slug, antal", [
    ("sundhedsstyregruppen", 5),  # seed 001: "4-5 gange om året"
    ("formandskab", 4),  # "Ca. 4 gange om året"
    ("sundhedssamarbejdsudvalget", 4),
    ("horsensklyngen-politisk", 4),
    ("goedstrupklyngen-administrativ", 4),
])
def test_each_body_meets_through_2026_at_its_frequency(slug, antal):
    """Ordinary meetings; an agreement's story may add an extraordinary one on the day it was dealt with."""
    moeder = Moede.objects.filter(forum__slug=slug, start__year=2026).exclude(titel="Ekstraordinært møde")
    assert moeder.count() == antal
    assert {timezone.localtime(m.start).year for m in moeder} == {2026}


def test_an_extraordinary_meeting_is_held_for_an_agreement():
    for moede in Moede.objects.filter(titel="Ekstraordinært møde"):
        assert Dagsordensag.objects.filter(punkt__moede=moede).exists()


def test_the_meeting_that_recommended_each_agreement_carries_its_item_with_the_outcome():
    anbefalet = Samarbejdsaftale.objects.filter(status__in=[Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT])
    assert anbefalet.exists()
    for aftale in anbefalet:
        behandling = (Behandling.objects.filter(aftale=aftale, udfald=Udfald.ANBEFALET)
                      .select_related("dagsordenpunkt__moede__forum").order_by("-dato", "-pk").first())
        punkt = behandling.dagsordenpunkt
        assert punkt is not None, aftale.slug
        assert punkt.moede.forum_id == behandling.forum_id
        assert timezone.localtime(punkt.moede.start).date() == behandling.dato
        assert punkt.moede.status == MoedeStatus.REFERAT and punkt.aaben
        assert punkt.beslutning and punkt.titel == aftale.titel
        assert Dagsordensag.objects.get(punkt=punkt).aftale_id == aftale.pk


def test_the_public_meeting_page_links_the_agreement_and_shows_the_item_as_formatted_text():
    sag = Dagsordensag.objects.select_related("punkt", "aftale").filter(punkt__aaben=True).first()

    side = Client().get(f"/moeder/{sag.punkt.moede_id}/").content.decode()

    assert sag.aftale.titel in side
    assert f"/aftaler/{sag.aftale.slug}/" in side
    assert "<p>Udkastet til <strong>" in side and "&lt;p&gt;" not in side


def test_every_cluster_has_local_goals_each_with_its_audit_row():
    for klynge in Klynge.objects.all():
        maal = list(LokaltMaal.objects.filter(klynge=klynge))
        assert len(maal) >= 2, klynge.slug
        for m in maal:
            assert Haendelse.objects.filter(objekt_type="indikatorer.lokaltmaal", objekt_id=str(m.pk),
                                            handling="lokalt_maal_opret").exists()
    horsens = LokaltMaal.objects.filter(klynge__slug="horsensklyngen").first()
    assert horsens.aendret_af.username == "politisk-horsens"


def test_held_meetings_have_minutes_and_some_items_are_closed():
    holdt = Moede.objects.filter(slut__lt=timezone.now())
    assert holdt.exists()
    assert set(holdt.exclude(status=MoedeStatus.AFLYST).values_list("status", flat=True)) == {MoedeStatus.REFERAT}
    assert Dagsordenpunkt.objects.filter(moede__status=MoedeStatus.REFERAT).exclude(beslutning="").exists()
    assert Dagsordenpunkt.objects.filter(aaben=False, moede__status=MoedeStatus.REFERAT).exists()
    assert Moede.objects.filter(status=MoedeStatus.AFLYST).count() == 1


def test_the_public_list_shows_the_demo_meetings_without_closed_titles():
    side = Client().get("/moeder/").content.decode()
    lukket = Dagsordenpunkt.objects.filter(aaben=False, moede__status=MoedeStatus.REFERAT).first()
    detalje = Client().get(f"/moeder/{lukket.moede_id}/")
    assert "Sundhedsstyregruppen" in side
    assert "Fortrolig" not in detalje.content.decode()
    assert "Lukket punkt" in detalje.content.decode()


def test_a_second_run_writes_nothing():
    def antal():
        return (Moede.objects.count(), Dagsordenpunkt.objects.count(), Dagsordensag.objects.count(),
                Behandling.objects.count(), LokaltMaal.objects.count(), Haendelse.objects.count())

    foer = antal()
    call_command("demo", "--force", stdout=StringIO())
    assert antal() == foer
