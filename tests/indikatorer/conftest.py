"""Fixtures for the indicator tests: indicators, the Økonomi- og opfølgningsgruppe persona, CSV helpers."""

from decimal import Decimal

import pytest

from indikatorer import services
from indikatorer.choices import Frekvens, Retning
from indikatorer.models import Indikator
from organisation.choices import ForumType
from tests.conftest import medlem
from tests.factories import ForumFactory


@pytest.fixture
def oekonomi(struktur):
    """A member of the Økonomi- og opfølgningsgruppe (the group that follows up on the indicators)."""
    forum = ForumFactory(navn="Økonomi- og opfølgningsgruppe", slug="oekonomi-og-opfoelgningsgruppe",
                         type=ForumType.TEMAGRUPPE, foelger_indikatorer=True)
    return medlem("oekonomi", forum)


@pytest.fixture
def indikatorer(db):
    """Two half-yearly indicators (one a share in per cent, lower is better; one a rate, higher is better),
    one yearly, and an inactive development area."""
    return {
        "andel": Indikator.objects.create(kode="andel", navn="Andel genindlæggelser", enhed="%",
                                          retning=Retning.LAVERE, frekvens=Frekvens.HALVAAR, sortering=1),
        "rate": Indikator.objects.create(kode="rate", navn="Ajourførte medicinkort", enhed="pr. 1.000",
                                         retning=Retning.HOEJERE, frekvens=Frekvens.HALVAAR, sortering=2),
        "aarlig": Indikator.objects.create(kode="aarlig", navn="Overdødelighed", enhed="ratio",
                                           retning=Retning.LAVERE, frekvens=Frekvens.AAR, decimaler=2, sortering=3),
        "udvikling": Indikator.objects.create(kode="udvikling", navn="Trivselsdata", enhed="%",
                                              retning=Retning.HOEJERE, frekvens=Frekvens.AAR, aktiv=False,
                                              sortering=4),
    }


GEOGRAFIER = ["region-midtjylland", "klynge-et", "klynge-to", "kommune-a", "kommune-b", "kommune-c"]


def csv_fil(raekker, *, sep=";", bom=True, header="kode;geografi;periode;vaerdi", kodning="utf-8",
            linjeskift="\r\n") -> bytes:
    linjer = ([header.replace(";", sep)] if header else []) + [sep.join(str(c) for c in r) for r in raekker]
    tekst = linjeskift.join(linjer) + linjeskift
    data = tekst.encode(kodning)
    return (b"\xef\xbb\xbf" + data) if bom and kodning == "utf-8" else data


def fuld_periode(periode: str, koder=("andel", "rate"), basis: float = 10.0) -> list[tuple]:
    """A value for every half-yearly indicator and every geography of `struktur` in `periode`."""
    return [(kode, geo, periode, f"{basis + i:.1f}".replace(".", ","))
            for kode in koder for i, geo in enumerate(GEOGRAFIER)]


def importer_raekker(bruger, raekker, **kwargs):
    return services.import_direkte(bruger=bruger, filnavn="data.csv", indhold=csv_fil(raekker, **kwargs))


def vaerdi(indikator, geografi, periode):
    from indikatorer.models import Maaling

    m = Maaling.objects.gaeldende().filter(indikator=indikator, geografi_slug=geografi, periode=periode).first()
    return m.vaerdi if m else None


D = Decimal
