"""The capability table, run as a matrix: every forum kind x role x capability x scope object."""

import datetime

import pytest

from organisation import services
from organisation.choices import OMRAADE_FORA, ForumType, Rolle
from organisation.models import Forum
from sundhed import permissions
from tests.factories import ForumFactory, KlyngeFactory, PartFactory, PersonFactory, UserFactory


def _forum(forumtype: str, **kwargs) -> Forum:
    klynge = KlyngeFactory() if forumtype in OMRAADE_FORA else None
    part = PartFactory() if forumtype in {ForumType.KOMMUNALBESTYRELSE, ForumType.REGIONSRAAD} else None
    return ForumFactory(type=forumtype, klynge=klynge, part=part, **kwargs)


def _medlem(forum: Forum, rolle: str, **kwargs):
    user = UserFactory()
    person = PersonFactory(bruger=user)
    services.medlemskab_opret(person=person, forum=forum, rolle=rolle, bruger=None, **kwargs)
    return user


def _forventet(forum: Forum, rolle: str) -> set[str]:
    return {k.kode for k in permissions.kapabiliteter_for(forum, rolle)}


MATRIX = [(f, r) for f in ForumType.values for r in Rolle.values]


@pytest.mark.django_db
@pytest.mark.parametrize(("forumtype", "rolle"), MATRIX)
def test_membership_gives_exactly_the_capabilities_of_the_table(forumtype, rolle):
    forum = _forum(forumtype)
    user = _medlem(forum, rolle)
    forventet = _forventet(forum, rolle)
    # Another object of each scope: a capability must never spill over to it.
    andet = {permissions.FORUM: ForumFactory(), permissions.KLYNGE: KlyngeFactory(), permissions.PART: PartFactory()}
    for kap in permissions.KAPABILITETER.values():
        if kap.omfang == permissions.GLOBAL:
            assert permissions.har(user, kap.kode) is (kap.kode in forventet), kap.kode
            continue
        eget = permissions.omfangsobjekt(forum, kap.omfang)
        if eget is not None:
            assert permissions.har(user, kap.kode, eget) is (kap.kode in forventet), kap.kode
        assert permissions.har(user, kap.kode, andet[kap.omfang]) is False, kap.kode


@pytest.mark.django_db
def test_the_table_matches_design_for_the_main_roles():
    """A few rows spelled out, so a change to the table is a deliberate change to this test too."""
    sek = _forum(ForumType.FAELLES_SEKRETARIAT)
    assert {"redigere_alle_aftaler", "koere_overgange", "registrere_behandling", "offentliggoere",
            "administrere_struktur"} <= _forventet(sek, Rolle.MEDLEM)
    kb = _forum(ForumType.KOMMUNALBESTYRELSE)
    assert _forventet(kb, Rolle.SEKRETAER) == {"registrere_beslutning", "besvare_hoering_part"}
    assert _forventet(kb, Rolle.FORMAND) == set()
    pol = _forum(ForumType.KLYNGE_POLITISK)
    adm = _forum(ForumType.KLYNGE_ADMINISTRATIV)
    assert "redigere_lokale_maal" in _forventet(pol, Rolle.MEDLEM)
    assert "redigere_lokale_maal" not in _forventet(adm, Rolle.MEDLEM)
    tg = _forum(ForumType.TEMAGRUPPE)
    assert "redigere_alle_aftaler" not in _forventet(tg, Rolle.FORMAND)
    oek = _forum(ForumType.TEMAGRUPPE, foelger_indikatorer=True)  # keyed on the forum's field, not its slug
    assert "importere_indikatorer" in _forventet(oek, Rolle.MEDLEM)
    assert "importere_indikatorer" not in _forventet(tg, Rolle.MEDLEM)


@pytest.mark.django_db
def test_anonymous_and_outsiders_have_no_capability(personas, struktur):
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), personas["udenforstaaende"]):
        for kap in permissions.KAPABILITETER.values():
            obj = None if kap.omfang == permissions.GLOBAL else {
                permissions.FORUM: struktur["fora"]["temagruppe"],
                permissions.KLYNGE: struktur["klynge"],
                permissions.PART: struktur["kommune_a"],
            }[kap.omfang]
            assert not permissions.har(user, kap.kode, obj)


@pytest.mark.django_db
def test_municipality_cannot_record_decision_for_another(personas, struktur):
    assert permissions.har(personas["kommune_a"], "registrere_beslutning", struktur["kommune_a"])
    assert not permissions.har(personas["kommune_a"], "registrere_beslutning", struktur["kommune_b"])
    assert list(permissions.objekter(personas["kommune_a"], "registrere_beslutning")) == [struktur["kommune_a"]]


@pytest.mark.django_db
def test_an_expired_membership_loses_its_capabilities_when_synced():
    forum = _forum(ForumType.KOMMUNALBESTYRELSE)
    i_dag = datetime.date.today()
    user = _medlem(forum, Rolle.SEKRETAER, valid_from=i_dag - datetime.timedelta(days=30), valid_to=i_dag)
    assert permissions.har(user, "registrere_beslutning", forum.part)
    permissions.synkroniser_alle(dato=i_dag + datetime.timedelta(days=1))
    user = type(user).objects.get(pk=user.pk)  # as the next request would load it
    assert not permissions.har(user, "registrere_beslutning", forum.part)


@pytest.mark.django_db
def test_a_future_membership_gives_nothing_until_it_starts():
    forum = _forum(ForumType.FAELLES_SEKRETARIAT)
    start = datetime.date.today() + datetime.timedelta(days=10)
    user = _medlem(forum, Rolle.MEDLEM, valid_from=start)
    assert not permissions.har(user, "redigere_alle_aftaler")
    permissions.synkroniser_alle(dato=start)
    user = type(user).objects.get(pk=user.pk)  # as the next request would load it
    assert permissions.har(user, "redigere_alle_aftaler")


@pytest.mark.django_db
def test_deleting_a_membership_removes_the_capability():
    forum = _forum(ForumType.KOMMUNALBESTYRELSE)
    user = _medlem(forum, Rolle.SEKRETAER)
    medlemskab = user.person.medlemskaber.get()
    services.struktur_slet(obj=medlemskab, bruger=None)
    user = type(user).objects.get(pk=user.pk)  # as the next request would load it
    assert not permissions.har(user, "registrere_beslutning", forum.part)


@pytest.mark.django_db
def test_moving_a_council_forum_to_another_authority_moves_the_capability():
    forum = _forum(ForumType.KOMMUNALBESTYRELSE)
    gammel = forum.part
    user = _medlem(forum, Rolle.SEKRETAER)
    ny = PartFactory()
    forum.part = ny
    services.struktur_gem(obj=forum, bruger=None)
    user = type(user).objects.get(pk=user.pk)  # as the next request would load it
    assert permissions.har(user, "registrere_beslutning", ny)
    assert not permissions.har(user, "registrere_beslutning", gammel)


@pytest.mark.django_db
def test_a_direct_grant_by_an_administrator_survives_synchronisation():
    from guardian.shortcuts import assign_perm

    part = PartFactory()
    user = UserFactory()
    PersonFactory(bruger=user)
    assign_perm("organisation.registrere_beslutning", user, part)
    permissions.synkroniser_alle()
    user = type(user).objects.get(pk=user.pk)  # as the next request would load it
    assert permissions.har(user, "registrere_beslutning", part)


@pytest.mark.django_db
def test_matrix_page_is_for_administrators_only(client, personas):
    client.force_login(personas["kommune_a"])
    assert client.get("/arbejde/rettigheder/").status_code == 403
    client.force_login(personas["sekretariat"])
    response = client.get("/arbejde/rettigheder/")
    assert response.status_code == 200
    html = response.content.decode()
    for kap in permissions.KAPABILITETER.values():
        assert kap.navn in html
    for tildeling in permissions.TILDELINGER:
        assert tildeling.beskrivelse in html


def test_matrix_page_requires_login(client):
    response = client.get("/arbejde/rettigheder/")
    assert response.status_code == 302
    assert "/log-ind/" in response["Location"]
