"""The cache is an optimisation: when it is down (Redis stopped), pages are built uncached and stamps
are skipped, never a 500. Use these around every cache call in a request or a task."""

import logging

log = logging.getLogger(__name__)
_MANGLER = object()


def cache_get(cache, noegle, default=None):
    try:
        return cache.get(noegle, default)
    except Exception:  # noqa: BLE001 - redis-py raises several kinds; all mean "no cache now"
        log.warning("Cachen svarer ikke (get %s); siden bygges uden cache", noegle, exc_info=True)
        return default


def cache_set(cache, noegle, vaerdi, timeout=_MANGLER) -> bool:
    try:
        if timeout is _MANGLER:
            cache.set(noegle, vaerdi)
        else:
            cache.set(noegle, vaerdi, timeout)
    except Exception:  # noqa: BLE001
        log.warning("Cachen svarer ikke (set %s)", noegle, exc_info=True)
        return False
    return True


def cache_get_many(cache, noegler) -> dict:
    try:
        return cache.get_many(noegler)
    except Exception:  # noqa: BLE001
        log.warning("Cachen svarer ikke (get_many)", exc_info=True)
        return {}


def cache_delete(cache, noegle) -> bool:
    try:
        cache.delete(noegle)
    except Exception:  # noqa: BLE001
        log.warning("Cachen svarer ikke (delete %s)", noegle, exc_info=True)
        return False
    return True
