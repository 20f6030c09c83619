"""Following agreements: the API and the button on the agreement's page (sundhed.abonnementer)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from aftaler.choices import Status
from sundhed.models import Abonnement

SIDE = "/arbejde/notifikationer/"


@pytest.fixture
def api(personas):
    klient = APIClient()
    klient.force_authenticate(personas["kommune_a"])
    return klient


def test_api_subscriptions_follow_list_and_stop(api, personas, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)

    assert api.post("/api/v1/mig/abonnementer/", {"aftale": aftale.slug}, format="json").status_code == 201
    assert api.post("/api/v1/mig/abonnementer/", {"klynge": "klynge-et"}, format="json").status_code == 201
    assert api.post("/api/v1/mig/abonnementer/", {"forum": "findes-ikke"}, format="json").status_code == 404
    assert api.post("/api/v1/mig/abonnementer/", {"forum": "kb-a", "klynge": "klynge-et"},
                    format="json").status_code == 400

    liste = api.get("/api/v1/mig/abonnementer/").json()
    assert [{k: v for k, v in a.items() if k != "oprettet"} for a in liste] == [{"aftale": aftale.slug},
                                                                                {"klynge": "klynge-et"}]

    assert api.delete("/api/v1/mig/abonnementer/", {"aftale": aftale.slug}, format="json").status_code == 204
    assert api.delete("/api/v1/mig/abonnementer/", {"aftale": aftale.slug}, format="json").status_code == 404
    assert list(Abonnement.objects.values_list("objekt_type", flat=True)) == ["klynge"]


def test_a_draft_the_user_may_not_read_cannot_be_followed_and_nothing_changes(personas, lav_aftale):
    aftale = lav_aftale(Status.UDKAST)
    klient = APIClient()
    klient.force_authenticate(personas["udenforstaaende"])

    assert klient.post("/api/v1/mig/abonnementer/", {"aftale": aftale.slug}, format="json").status_code == 404
    assert not Abonnement.objects.exists()


def test_the_follow_button_works_without_javascript(client, personas, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    client.force_login(personas["kommune_a"])
    side_url = reverse("arbejde:aftale", args=[aftale.slug])
    assert "Følg aftalen" in client.get(side_url).content.decode()

    svar = client.post(reverse("arbejde:abonnement"), {"type": "aftale", "slug": aftale.slug, "handling": "foelg",
                                                       "videre": side_url})

    assert svar.status_code == 302 and svar.url == side_url
    assert Abonnement.objects.filter(bruger=personas["kommune_a"], slug=aftale.slug).exists()
    assert "Følg ikke længere aftalen" in client.get(side_url).content.decode()
    # An outside address to go back to is ignored.
    svar = client.post(reverse("arbejde:abonnement"), {"type": "aftale", "slug": aftale.slug, "handling": "stop",
                                                       "videre": "https://ondsindet.example.com/"})
    assert svar.url == SIDE
    assert not Abonnement.objects.exists()
