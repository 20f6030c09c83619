"""Only the recommending body (Sundhedssamarbejdsudvalget; from 2027 the body the data names) recommends
an agreement to the councils: any other forum is refused, naming the field, and nothing changes."""

import pytest
from rest_framework.test import APIClient

from aftaler import services
from aftaler.choices import Status, Udfald
from aftaler.models import Behandling, Samarbejdsaftale
from aftaler.workflow import Handling
from sundhed.exceptions import DomainError
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED


def _api(bruger) -> APIClient:
    klient = APIClient()
    klient.force_authenticate(bruger)
    return klient


def test_a_theme_group_cannot_be_recorded_as_recommending_in_the_api(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.UDKAST)
    svar = _api(personas["sekretariat"]).post(f"/api/v1/aftaler/{aftale.slug}/overgange/", {
        "handling": "indstil", "forum": struktur["fora"]["temagruppe"].slug, "dato": I_DAG.isoformat(),
        "beslutningsfrist": OM_EN_MAANED.isoformat()}, format="json")
    assert svar.status_code == 400
    assert "forum" in svar.json() and "Sundhedssamarbejdsudvalget" in svar.json()["forum"][0]
    aftale.refresh_from_db()
    assert aftale.status == Status.UDKAST
    assert not Behandling.objects.filter(aftale=aftale, udfald=Udfald.ANBEFALET).exists()


def test_a_theme_group_cannot_be_chosen_as_recommending_in_the_browser(lav_aftale, personas, struktur, client):
    aftale = lav_aftale(Status.UDKAST)
    client.force_login(personas["sekretariat"])
    side = client.get(f"/arbejde/aftaler/{aftale.slug}/handling/indstil/").content.decode()
    assert "Sundhedssamarbejdsudvalget" in side and "Temagruppe Forebyggelse" not in side
    svar = client.post(f"/arbejde/aftaler/{aftale.slug}/handling/indstil/", {
        "forum": struktur["fora"]["temagruppe"].pk, "dato": I_DAG.strftime("%d.%m.%Y"),
        "beslutningsfrist": OM_EN_MAANED.strftime("%d.%m.%Y"), "note": ""})
    assert svar.status_code == 200
    assert svar.context["form"].errors["forum"]
    assert Samarbejdsaftale.objects.get(pk=aftale.pk).status == Status.UDKAST


def test_the_service_refuses_any_forum_but_the_recommending_one(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.UDKAST)
    with pytest.raises(DomainError) as fejl:
        services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.INDSTIL,
                                 forum=struktur["fora"]["styregruppe"], dato=I_DAG, beslutningsfrist=OM_EN_MAANED)
    assert fejl.value.field == "forum"


def test_without_a_forum_the_committee_recommends(lav_aftale, personas, udvalg):
    aftale = lav_aftale(Status.UDKAST)
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.INDSTIL, dato=I_DAG,
                             beslutningsfrist=OM_EN_MAANED)
    assert Behandling.objects.get(aftale=aftale, udfald=Udfald.ANBEFALET).forum == udvalg


def test_an_ended_committee_no_longer_recommends(lav_aftale, personas, udvalg):
    udvalg.valid_to = I_DAG.replace(year=I_DAG.year - 1)
    udvalg.valid_from = udvalg.valid_to.replace(year=udvalg.valid_to.year - 1)
    udvalg.save()
    aftale = lav_aftale(Status.UDKAST)
    with pytest.raises(DomainError) as fejl:
        services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.INDSTIL,
                                 forum=udvalg, dato=I_DAG, beslutningsfrist=OM_EN_MAANED)
    assert fejl.value.field == "forum"
