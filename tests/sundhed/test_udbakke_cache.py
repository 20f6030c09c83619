"""A cache outage (Redis stopped) degrades public pages to uncached ones and never fails a committed
write; the drills (tests/aftaler/test_notifikationer_drill.py) measure the same with a real Redis."""

import logging

import pytest
from django.core.cache.backends.base import BaseCache

from sundhed import cachesikker


class NedeCache(BaseCache):
    """A cache whose server is down: every call raises as redis-py does."""

    def __init__(self, location, params):
        super().__init__(params)

    def _nede(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    get = set = add = delete = get_many = set_many = incr = touch = has_key = _nede

    def clear(self):
        pass


@pytest.fixture
def nede_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "tests.sundhed.test_udbakke_cache.NedeCache"}}


@pytest.mark.parametrize("url", ["/", "/aftaler/", "/aftaler/?q=forebyggelse", "/organisation/", "/indikatorer/"])
def test_public_pages_answer_uncached_when_the_cache_is_down(client, db, nede_cache, url):
    assert client.get(url).status_code == 200


def test_the_helpers_log_and_answer_the_default(nede_cache, caplog, monkeypatch):
    from django.core.cache import cache

    # Listen on the module's own logger: a Celery worker started by an earlier test in the same process
    # may have reconfigured logging (propagation, disabled loggers).
    logger = logging.getLogger(cachesikker.__name__)
    monkeypatch.setattr(logger, "disabled", False)
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.WARNING, logger=cachesikker.__name__):
            assert cachesikker.cache_get(cache, "x", "standard") == "standard"
            assert cachesikker.cache_set(cache, "x", 1) is False
            assert cachesikker.cache_delete(cache, "x") is False
    finally:
        logger.removeHandler(caplog.handler)
    assert "Cachen svarer ikke" in caplog.text
