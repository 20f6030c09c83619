"""Agreements in every state, built through the services as the secretariat would."""

import datetime

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from aftaler import services
from aftaler.choices import Beslutning, Status
from aftaler.workflow import Handling
from organisation.choices import ForumType
from organisation.models import Indstillingsret
from tests import conftest as faelles
from tests.factories import ForumFactory

I_DAG = timezone.localdate()
OM_EN_MAANED = I_DAG + datetime.timedelta(days=30)


@pytest.fixture
def udvalg(struktur):
    forum = ForumFactory(navn="Sundhedssamarbejdsudvalget", slug="sundhedssamarbejdsudvalget",
                         type=ForumType.SUNDHEDSSAMARBEJDSUDVALG)
    Indstillingsret.objects.create(forum=forum, valid_from=forum.valid_from)
    return forum


@pytest.fixture
def lav_aftale(personas, struktur, udvalg):
    """lav_aftale(status, **felter) -> an agreement brought to `status` through the services."""
    sek = personas["sekretariat"]

    def lav(status: str = Status.UDKAST, titel: str = "Aftale om sundhedsvisitationer", **felter):
        aftale = services.aftale_opret(bruger=sek, titel=titel, tekst="<p>Første tekst om borgeren.</p>", **felter)
        if status == Status.UDKAST:
            return aftale
        if status == Status.HOERING:
            services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.SEND_I_HOERING,
                                     hoeringsfrist=OM_EN_MAANED)
            return _frisk(aftale)
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                                 beslutningsfrist=OM_EN_MAANED)
        if status == Status.INDSTILLET:
            return _frisk(aftale)
        godkend_alle(_frisk(aftale))
        if status == Status.GODKENDT:
            return _frisk(aftale)
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.OFFENTLIGGOER,
                                 ikrafttraedelse=I_DAG)
        if status == Status.I_KRAFT:
            return _frisk(aftale)
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.OPHAEV)
        return _frisk(aftale)

    return lav


def _frisk(aftale):
    return type(aftale).objects.get(pk=aftale.pk)


def raadssekretaer(part, username: str = "raadssekretaer-alle"):
    """A user in the secretariat of `part`'s council, who records that council's decisions (the
    council is made if the test structure has none). Superusers do not: only the council's own
    secretariat records its decision."""
    from organisation import services as org_services
    from organisation.choices import PartType, Rolle
    from organisation.models import Forum, Medlemskab
    from tests.factories import PersonFactory, UserFactory

    raadstyper = [ForumType.KOMMUNALBESTYRELSE, ForumType.REGIONSRAAD]
    raad = Forum.objects.filter(part=part, type__in=raadstyper).first() or ForumFactory(
        navn=f"Rådet, {part.navn}", slug=f"raad-{part.slug}", part=part,
        type=ForumType.REGIONSRAAD if part.type == PartType.REGION else ForumType.KOMMUNALBESTYRELSE)
    bruger = UserFactory(username=username)
    person = getattr(bruger, "person", None) or PersonFactory(navn=f"Rådssekretær {username}", bruger=bruger)
    if not Medlemskab.objects.aktive().filter(person=person, forum=raad, rolle=Rolle.SEKRETAER).exists():
        org_services.medlemskab_opret(person=person, forum=raad, rolle=Rolle.SEKRETAER, bruger=None)
    return bruger


def godkend_alle(aftale):
    """Every required party approves, each recorded by a member of that party's council secretariat."""
    from aftaler.selectors import paakraevede_parter

    for part in paakraevede_parter(aftale):
        services.godkendelse_registrer(aftale=aftale, part=part, bruger=raadssekretaer(part),
                                       beslutning=Beslutning.GODKENDT, dato=I_DAG, sagsnummer=f"{part.slug}-1")


@pytest.fixture(scope="module")
def verden(django_db_setup, django_db_blocker):
    """The structure, the personas and one agreement in each state, built once for the module with
    the shared fixtures' own code (tests/conftest.py, tests/aftaler/conftest.py: `lav_aftale`).

    ~620 cases that each rebuilt an agreement in `ophaevet` would take minutes. Instead everything is
    built inside one transaction that is rolled back when the module ends; every test runs in a
    savepoint inside it (pytest-django's `db`), so what one case changes, the next does not see.
    The fixtures are function-scoped, so their functions are called directly (`__wrapped__`).
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]):
        ydre = transaction.atomic()
        ydre.__enter__()
        try:
            struktur = faelles.struktur.__wrapped__(None)
            personas = faelles.personas.__wrapped__(struktur)
            komite = udvalg.__wrapped__(struktur)
            lav = lav_aftale.__wrapped__(personas, struktur, komite)
            aftaler = {s: lav(s, titel=f"Matrixaftale {s}", ejer_forum=struktur["fora"]["temagruppe"])
                       for s in Status.values}
            tokens = {navn: Token.objects.create(user=bruger).key for navn, bruger in personas.items()}
            yield {"struktur": struktur, "aftaler": aftaler, "tokens": tokens, "personas": personas,
                   "udvalg": komite}
        finally:
            transaction.set_rollback(True)
            ydre.__exit__(None, None, None)
