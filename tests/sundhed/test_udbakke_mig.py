"""The user's own notification preferences and subscriptions: page, follow buttons and API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from organisation.models import Person
from sundhed.models import Abonnement, Haendelse, Notifikationsvalg
from tests.factories import UserFactory

SIDE = "/arbejde/notifikationer/"


@pytest.fixture
def api(personas):
    klient = APIClient()
    klient.force_authenticate(personas["kommune_a"])
    return klient


def test_the_page_shows_every_kind_with_the_defaults_and_saves_a_choice(client, personas):
    client.force_login(personas["kommune_a"])

    side = client.get(SIDE).content.decode()
    assert "Aftaler, der afventer jeres beslutning" in side and "Dagligt sammendrag" in side

    svar = client.post(SIDE, {"til_beslutning": "fra", "afvist_udsat": "straks", "paamindelse": "straks",
                              "frist_overskredet": "dagligt", "i_hoering": "dagligt", "hoeringssvar": "dagligt",
                              "ny_status": "dagligt", "implementering": "dagligt", "moede": "fra",
                              "abonnement": "dagligt", "rapport": "dagligt"})
    assert svar.status_code == 302
    assert dict(Notifikationsvalg.objects.filter(bruger=personas["kommune_a"]).values_list("slags", "valg"))[
        "til_beslutning"] == "fra"
    assert Haendelse.objects.filter(handling="notifikationsvalg").exists()


def test_a_bad_choice_is_refused_naming_the_field_and_nothing_is_saved(client, personas):
    client.force_login(personas["kommune_a"])

    svar = client.post(SIDE, {"til_beslutning": "altid", "moede": "fra"})

    assert svar.status_code == 200
    side = svar.content.decode()
    assert "Aftaler, der afventer jeres beslutning: Vælg straks, dagligt eller fra." in side
    assert 'value="fra" class="form-radio" id="id_moede_2" checked' in side or 'checked' in side
    assert not Notifikationsvalg.objects.exists()


def test_the_page_needs_a_login(client):
    assert client.get(SIDE).status_code == 302


def test_the_page_runs_a_constant_number_of_queries(client, personas, django_assert_max_num_queries):
    client.force_login(personas["kommune_a"])
    with django_assert_max_num_queries(12) as lille:
        client.get(SIDE)
    for i in range(20):
        Abonnement.objects.create(bruger=personas["kommune_a"], objekt_type="forum", slug=f"forum-{i}")
    Notifikationsvalg.objects.create(bruger=personas["kommune_a"], slags="moede", valg="fra")
    with django_assert_max_num_queries(len(lille.captured_queries)):
        client.get(SIDE)


def test_api_mig_gives_own_name_address_and_authority(api, personas, struktur):
    Person.objects.filter(bruger=personas["kommune_a"]).update(email="a@kommune-a.dk", part=struktur["kommune_a"])
    api.force_authenticate(type(personas["kommune_a"]).objects.get(pk=personas["kommune_a"].pk))

    data = api.get("/api/v1/mig/").json()

    assert data == {"brugernavn": "kommune-a", "navn": "kommune-a", "email": "a@kommune-a.dk",
                    "myndighed": "Kommune A"}


def test_api_preferences_get_and_put(api, personas):
    assert api.get("/api/v1/mig/notifikationer/").json()["til_beslutning"] == "straks"

    svar = api.put("/api/v1/mig/notifikationer/", {"til_beslutning": "dagligt"}, format="json")

    assert svar.status_code == 200 and svar.json()["til_beslutning"] == "dagligt"
    svar = api.put("/api/v1/mig/notifikationer/", {"til_beslutning": "fra", "moede": "altid"}, format="json")
    assert svar.status_code == 400 and "moede" in svar.json()
    assert Notifikationsvalg.objects.get(bruger=personas["kommune_a"]).valg == "dagligt", "nothing saved"


def test_api_needs_a_login():
    klient = APIClient()
    assert klient.get("/api/v1/mig/").status_code in (401, 403)
    assert klient.get("/api/v1/mig/abonnementer/").status_code in (401, 403)


def test_the_follow_button_on_cluster_and_forum_pages_is_for_logged_in_users_only(client, personas):
    assert "Følg klyngen" not in client.get("/klynger/klynge-et/").content.decode()
    client.force_login(UserFactory())
    assert "Følg klyngen" in client.get("/klynger/klynge-et/").content.decode()
    assert "Følg forummet" in client.get("/organisation/fora/kb-a/").content.decode()


def test_following_an_unknown_object_is_a_404(client, personas):
    client.force_login(personas["kommune_a"])

    svar = client.post(reverse("arbejde:abonnement"), {"type": "forum", "slug": "findes-ikke"})

    assert svar.status_code == 404 and not Abonnement.objects.exists()
