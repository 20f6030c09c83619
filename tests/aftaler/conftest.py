"""Agreements in every state, built through the services as the secretariat would."""

import datetime

import pytest
from django.utils import timezone

from aftaler import services
from aftaler.choices import Beslutning, Status
from aftaler.workflow import Handling
from organisation.choices import ForumType
from tests.factories import ForumFactory

I_DAG = timezone.localdate()
OM_EN_MAANED = I_DAG + datetime.timedelta(days=30)


@pytest.fixture
def udvalg(struktur):
    return ForumFactory(navn="Sundhedssamarbejdsudvalget", slug="sundhedssamarbejdsudvalget",
                        type=ForumType.SUNDHEDSSAMARBEJDSUDVALG)


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


def godkend_alle(aftale):
    """Every required party approves, recorded by a superuser standing in for each council."""
    from aftaler.selectors import paakraevede_parter
    from tests.factories import UserFactory

    admin = UserFactory(username="raadssekretaer-alle", is_superuser=True)
    for part in paakraevede_parter(aftale):
        services.godkendelse_registrer(aftale=aftale, part=part, bruger=admin, beslutning=Beslutning.GODKENDT,
                                       dato=I_DAG, sagsnummer=f"{part.slug}-1")
