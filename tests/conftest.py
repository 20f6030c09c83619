"""Fixed personas for every test: each a user whose capabilities come from a membership."""

import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisation import services
from organisation.choices import ForumType, PartType, Rolle
from tests.factories import ForumFactory, KlyngeFactory, PartFactory, PersonFactory, UserFactory


def medlem(username: str, forum, rolle: str = Rolle.MEDLEM):
    """A user who is a member of `forum` in `rolle`, with permissions synced by the service."""
    user = UserFactory(username=username)
    person = PersonFactory(navn=username, bruger=user)
    services.medlemskab_opret(person=person, forum=forum, rolle=rolle, bruger=None)
    return user


@pytest.fixture
def struktur(db):
    """A small structure: the region, two municipalities in one cluster, a third elsewhere."""
    region = PartFactory(navn="Region Midtjylland", slug="region-midtjylland", type=PartType.REGION)
    kommune_a = PartFactory(navn="Kommune A", slug="kommune-a")
    kommune_b = PartFactory(navn="Kommune B", slug="kommune-b")
    kommune_c = PartFactory(navn="Kommune C", slug="kommune-c")
    klynge = KlyngeFactory(navn="Klynge Et", slug="klynge-et", kommuner=[kommune_a, kommune_b])
    anden_klynge = KlyngeFactory(navn="Klynge To", slug="klynge-to", kommuner=[kommune_c])
    fora = {
        "sekretariat": ForumFactory(navn="Fælles sekretariat", slug="faelles-sekretariat",
                                    type=ForumType.FAELLES_SEKRETARIAT),
        "temagruppe": ForumFactory(navn="Temagruppe Forebyggelse", slug="temagruppe-forebyggelse",
                                   type=ForumType.TEMAGRUPPE),
        "styregruppe": ForumFactory(navn="Sundhedsstyregruppen", slug="sundhedsstyregruppen",
                                    type=ForumType.SUNDHEDSSTYREGRUPPE),
        "klynge_adm": ForumFactory(navn="Klynge Et, administrativt", slug="klynge-et-adm",
                                   type=ForumType.KLYNGE_ADMINISTRATIV, klynge=klynge),
        "kb_a": ForumFactory(navn="Kommunalbestyrelsen A", slug="kb-a", type=ForumType.KOMMUNALBESTYRELSE,
                             part=kommune_a),
        "kb_b": ForumFactory(navn="Kommunalbestyrelsen B", slug="kb-b", type=ForumType.KOMMUNALBESTYRELSE,
                             part=kommune_b),
        "rr": ForumFactory(navn="Regionsrådet", slug="regionsraadet", type=ForumType.REGIONSRAAD, part=region),
    }
    return {
        "region": region, "kommune_a": kommune_a, "kommune_b": kommune_b, "kommune_c": kommune_c,
        "klynge": klynge, "anden_klynge": anden_klynge, "fora": fora,
    }

# The authenticator secret of the personas who must give a TOTP code after the password (sundhed.mfa:
# the secretariat), so that tests can sign them in through the form and the token endpoint.
PERSONA_TOTP_NOEGLE = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"


def totp_kode(bruger) -> str:
    """The code the user's authenticator shows for the first time step the server still takes (a code is
    taken once: a second sign-in within 30 seconds uses the next step's code, which is also accepted)."""
    from sundhed import mfa

    enhed = TOTPDevice.objects.get(user=bruger, confirmed=True)
    trin = max(int(time.time()) // enhed.step, enhed.last_t + 1)
    return mfa.kode_nu(enhed.key, tidspunkt=trin * enhed.step)


def totp_felter(brugernavn: str) -> dict:
    """{"kode": ...} for the token endpoint if the user has an authenticator, else nothing."""
    enhed = TOTPDevice.objects.filter(user__username=brugernavn, confirmed=True).first()
    return {"kode": totp_kode(enhed.user)} if enhed else {}


@pytest.fixture
def personas(struktur):
    """secretariat, theme group member, steering group, cluster member, municipal secretaries A and B,
    region secretary, and a logged-in user with no membership."""
    f = struktur["fora"]
    sekretariat = medlem("sekretariat", f["sekretariat"])
    TOTPDevice.objects.create(user=sekretariat, name="Godkendelsesapp", key=PERSONA_TOTP_NOEGLE, confirmed=True)
    return {
        "sekretariat": sekretariat,
        "temagruppe": medlem("temagruppe", f["temagruppe"]),
        "styregruppe": medlem("styregruppe", f["styregruppe"]),
        "klynge": medlem("klynge", f["klynge_adm"]),
        "kommune_a": medlem("kommune-a", f["kb_a"], Rolle.SEKRETAER),
        "kommune_b": medlem("kommune-b", f["kb_b"], Rolle.SEKRETAER),
        "region": medlem("region", f["rr"], Rolle.SEKRETAER),
        "udenforstaaende": UserFactory(username="udenforstaaende"),
    }


@pytest.fixture(autouse=True)
def _isolation(settings):
    """Tasks run in-process unless a test starts a real worker; each test starts with an empty cache."""
    from django.core.cache import cache

    from sundhed.celery import app

    app.conf.task_always_eager = True
    # Hashing passwords properly costs ~0.3 s a user; tests need hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
