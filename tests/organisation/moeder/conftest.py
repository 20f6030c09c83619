"""Fixtures for the meeting tests: the committee and the steering group, whose own secretary plans its
meetings, beside the personas of tests/conftest.py."""

import pytest

from organisation.choices import ForumType, Rolle
from tests.conftest import medlem
from tests.factories import ForumFactory


@pytest.fixture
def moedefora(struktur):
    udvalg = ForumFactory(navn="Sundhedssamarbejdsudvalget", slug="sundhedssamarbejdsudvalget",
                          type=ForumType.SUNDHEDSSAMARBEJDSUDVALG)
    return {"udvalg": udvalg, "styregruppe": struktur["fora"]["styregruppe"]}


@pytest.fixture
def forumsekretaer(moedefora):
    """The steering group's own secretary: plans its meetings, and no other forum's."""
    return medlem("forumsekretaer", moedefora["styregruppe"], Rolle.SEKRETAER)


@pytest.fixture
def alle(personas, forumsekretaer):
    return {**personas, "forumsekretaer": forumsekretaer, "anonym": None}
