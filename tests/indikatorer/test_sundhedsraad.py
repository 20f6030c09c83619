"""Indicators per sundhedsråd (issue 10): a sundhedsråd covers its cluster's municipalities, so its
indicator section continues the cluster's series until it has measurements of its own."""

import datetime
from decimal import Decimal

from django.template import Context, Template

from indikatorer import selectors
from indikatorer.models import Maaling
from organisation.choices import KlyngeArt
from tests.factories import KlyngeFactory
from tests.indikatorer.conftest import fuld_periode, importer_raekker


def _raad(klynge, kommuner):
    raad = KlyngeFactory(navn="Sundhedsråd Et", slug="sundhedsraad-et", art=KlyngeArt.SUNDHEDSRAAD,
                         valid_from=datetime.date(2027, 1, 1), kommuner=kommuner, akuthospital=klynge.akuthospital)
    klynge.efterfoelgere.add(raad)
    return raad


def _klyngens(oversigt, kode):
    return next(r.klynge for a in oversigt.afsnit for g in a.grupper for r in g.raekker if r.indikator.kode == kode)


def test_a_sundhedsraad_reads_its_clusters_series_then_its_own(struktur, oekonomi, indikatorer):
    batch = importer_raekker(oekonomi, fuld_periode("2025H2", basis=10) + fuld_periode("2026H1", basis=20))
    klynge = struktur["klynge"]
    raad = _raad(klynge, [struktur["kommune_a"], struktur["kommune_b"]])

    oversigt = selectors.klynge_oversigt(raad)
    andel = _klyngens(oversigt, "andel")
    assert (andel.seneste.periode, andel.seneste.vaerdi, andel.forrige.periode) == ("2026H1", Decimal("21.0"), "2025H2")
    assert oversigt.har_data and oversigt.forgaengere == [klynge]

    Maaling.objects.create(indikator=indikatorer["andel"], klynge=raad, geografi_slug=raad.slug,
                           geografi_type="klynge", periode="2027H1", periode_noegle=20271, vaerdi=Decimal("5.5"),
                           batch=batch)
    andel = _klyngens(selectors.klynge_oversigt(raad), "andel")
    assert (andel.seneste.periode, andel.seneste.vaerdi, andel.forrige.periode) == ("2027H1", Decimal("5.5"), "2026H1")

    html = Template("{% load indikatorer %}{% indikatorer_for_klynge klynge %}").render(Context({"klynge": raad}))
    assert "dækker de samme kommuner som Klynge Et" in html


def test_a_successor_with_other_municipalities_does_not_borrow_the_series(struktur, oekonomi, indikatorer):
    importer_raekker(oekonomi, fuld_periode("2026H1"))
    raad = _raad(struktur["klynge"], [struktur["kommune_a"]])
    oversigt = selectors.klynge_oversigt(raad)
    assert not oversigt.har_data and oversigt.forgaengere == []
