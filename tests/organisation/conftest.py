"""A small structure in two eras: Klynge Et with its two levels until 31 December 2026, then its
successor Sundhedsråd Et (an area row and a forum), preparatory from 1 January 2026."""

import datetime

import pytest

from organisation.choices import ForumType, KlyngeArt, Rolle
from tests.factories import ForumFactory, KlyngeFactory, MedlemskabFactory, PersonFactory

FORBEREDENDE_FRA = datetime.date(2026, 1, 1)
SIDSTE_DAG = datetime.date(2026, 12, 31)
SKIFTE = datetime.date(2027, 1, 1)
# Days the tests ask for: before the preparatory period, in it, and after the change.
FOER = datetime.date(2025, 6, 1)
FORBEREDELSE = datetime.date(2026, 6, 1)
EFTER = datetime.date(2027, 2, 1)


def to_epoker(*, navn: str, slug: str, kommuner, akuthospital=None) -> dict:
    """A cluster with both levels ending on SIDSTE_DAG, and its sundhedsråd (area + forum) from SKIFTE,
    each level and the cluster naming the successor; one member in each era."""
    klynge = KlyngeFactory(navn=navn, slug=slug, kommuner=kommuner, valid_to=SIDSTE_DAG,
                           **({"akuthospital": akuthospital} if akuthospital else {}))
    politisk = ForumFactory(navn=f"{navn}, politisk niveau", slug=f"{slug}-politisk", type=ForumType.KLYNGE_POLITISK,
                            klynge=klynge, valid_to=SIDSTE_DAG)
    administrativ = ForumFactory(navn=f"{navn}, administrativt niveau", slug=f"{slug}-administrativ",
                                 type=ForumType.KLYNGE_ADMINISTRATIV, klynge=klynge, valid_to=SIDSTE_DAG)
    raadsnavn = navn.replace("Klynge", "Sundhedsråd")
    omraade = KlyngeFactory(navn=raadsnavn, slug=f"sundhedsraad-{slug}", art=KlyngeArt.SUNDHEDSRAAD,
                            akuthospital=klynge.akuthospital, kommuner=kommuner, valid_from=SKIFTE)
    raad = ForumFactory(navn=raadsnavn, slug=f"sundhedsraad-{slug}", type=ForumType.SUNDHEDSRAAD, klynge=omraade,
                        valid_from=SKIFTE, forberedende_fra=FORBEREDENDE_FRA)
    klynge.efterfoelgere.add(omraade)
    politisk.efterfoelgere.add(raad)
    administrativ.efterfoelgere.add(raad)
    MedlemskabFactory(forum=politisk, rolle=Rolle.FORMAND, person=PersonFactory(navn=f"Borgmester i {navn}"),
                      repraesenterer=kommuner[0], valid_to=SIDSTE_DAG)
    MedlemskabFactory(forum=raad, rolle=Rolle.MEDLEM, person=PersonFactory(navn=f"Forberedende medlem af {raadsnavn}"),
                      repraesenterer=kommuner[0], valid_from=FORBEREDENDE_FRA, valid_to=SIDSTE_DAG)
    MedlemskabFactory(forum=raad, rolle=Rolle.FORMAND, person=PersonFactory(navn=f"Formand for {raadsnavn}"),
                      valid_from=SKIFTE)
    return {"klynge": klynge, "politisk": politisk, "administrativ": administrativ, "omraade": omraade, "raad": raad}


@pytest.fixture
def epoker(struktur) -> dict:
    """Klynge Et (municipalities A and B) ends; Sundhedsråd Et follows. Klynge To goes on unchanged.
    The committee ends with the clusters."""
    klynge = struktur["klynge"]
    # The fixture's administrative level of Klynge Et is replaced by the two levels of `to_epoker`.
    struktur["fora"]["klynge_adm"].delete()
    klynge.delete()
    udvalg = ForumFactory(navn="Sundhedssamarbejdsudvalget", slug="sundhedssamarbejdsudvalget",
                          type=ForumType.SUNDHEDSSAMARBEJDSUDVALG, sortering=1, valid_to=SIDSTE_DAG)
    return {
        **to_epoker(navn="Klynge Et", slug="klynge-et", kommuner=[struktur["kommune_a"], struktur["kommune_b"]]),
        "udvalg": udvalg,
        "struktur": struktur,
    }
