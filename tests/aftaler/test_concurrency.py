"""Concurrent writers, in real threads with their own database connections (PostgreSQL in CI)."""

import threading

import pytest
from django.db import connection

from aftaler import services
from aftaler.choices import Status
from aftaler.models import Overgang
from tests.aftaler.conftest import I_DAG, _frisk

pytestmark = pytest.mark.django_db(transaction=True)


def _samtidigt(*opgaver):
    """Run the callables at the same moment in threads; return their results or exceptions."""
    barriere = threading.Barrier(len(opgaver))
    resultater = [None] * len(opgaver)

    def koer(i, opgave):
        try:
            barriere.wait()
            resultater[i] = opgave()
        except Exception as exc:  # collected for the assertions
            resultater[i] = exc
        finally:
            connection.close()

    traade = [threading.Thread(target=koer, args=(i, o)) for i, o in enumerate(opgaver)]
    for t in traade:
        t.start()
    for t in traade:
        t.join(30)
    return resultater


def test_the_last_two_approvals_at_once_give_exactly_one_transition(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    for navn in ("kommune_a", "region"):
        part = struktur["region" if navn == "region" else navn]
        services.godkendelse_registrer(aftale=_frisk(aftale), part=part, bruger=personas[navn],
                                       beslutning="godkendt", dato=I_DAG)
    from tests.aftaler.conftest import raadssekretaer

    c = raadssekretaer(struktur["kommune_c"], "kommune-c-sekretaer")

    def godkend(part, bruger):
        return lambda: services.godkendelse_registrer(aftale=_frisk(aftale), part=part, bruger=bruger,
                                                      beslutning="godkendt", dato=I_DAG)

    resultater = _samtidigt(godkend(struktur["kommune_b"], personas["kommune_b"]), godkend(struktur["kommune_c"], c))
    assert not [r for r in resultater if isinstance(r, Exception)], resultater
    aftale = _frisk(aftale)
    assert aftale.status == Status.GODKENDT
    assert Overgang.objects.filter(aftale=aftale, til_status=Status.GODKENDT).count() == 1


def test_two_editors_saving_at_once_one_wins_the_other_is_told_and_nothing_is_lost(lav_aftale, personas):
    aftale = lav_aftale()
    aabnet = aftale.revision
    sek = personas["sekretariat"]

    def gem(tekst):
        return lambda: services.aftale_gem(aftale=_frisk(aftale), bruger=sek, revision=aabnet, tekst=tekst)

    resultater = _samtidigt(gem("<p>Redaktør A</p>"), gem("<p>Redaktør B</p>"))
    fejl = [r for r in resultater if isinstance(r, Exception)]
    assert len(fejl) == 1 and isinstance(fejl[0], services.ForaeldetGem), resultater
    aftale = _frisk(aftale)
    assert aftale.versioner.count() == 1
    assert aftale.aktuel_version.tekst in ("<p>Redaktør A</p>", "<p>Redaktør B</p>")
