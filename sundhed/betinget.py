"""Conditional GET and the shared page cache for pages anyone may read.

A page gives a change stamp (a tag that changes whenever the page could change, and the time of
the last change); `betinget_svar` answers 304 when the client's copy is current, else the page
kept in the cache under the stamp (anonymous visitors), else a freshly made one. A change is a
new stamp, so a new cache key: nothing is ever invalidated by hand.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from sundhed.cachesikker import cache_get, cache_set

CACHE_SEKUNDER = 60 * 60  # a safety net for what no stamp covers (names of fora and clusters)


def kan_caches(request: HttpRequest) -> bool:
    """Only anonymous pages without pending messages are the same for everyone."""
    return not request.user.is_authenticated and len(get_messages(request)) == 0


def _cachesti(request: HttpRequest, parametre: Iterable[str]) -> str:
    valgte = sorted((k, v) for k, v in request.GET.items() if k in parametre and v)
    return f"{request.path}?{urlencode(valgte)}"


def betinget_svar(request: HttpRequest, *, stempel: str, sidst_aendret: datetime.datetime | None,
                  lav_svar: Callable[[], HttpResponse], gem: bool = True,
                  parametre: Iterable[str] = ()) -> HttpResponse:
    """Answer 304 when the client's copy is current; else the cached page (anonymous visitors) or
    a freshly made one. `stempel` must change whenever the page could change. `parametre`: the
    query parameters that change the page; others (tracking tags, typos) share its cache entry.
    `gem=False`: never kept in the page cache (a stream, or a file kept elsewhere)."""
    anonym = kan_caches(request)
    etag = f'"{stempel}"' if anonym else f'"{stempel}-u{request.user.pk}"'
    sidst = int(sidst_aendret.timestamp()) if sidst_aendret else None
    svar = get_conditional_response(request, etag=etag, last_modified=sidst)
    if svar is None:
        noegle = "offentlig:" + hashlib.sha1(f"{_cachesti(request, parametre)}|{etag}".encode(),
                                             usedforsecurity=False).hexdigest()
        gemt = cache_get(cache, noegle) if anonym and gem else None  # a cache outage: made uncached
        if gemt is not None:
            svar = HttpResponse(gemt[1], content_type=gemt[0])
        else:
            svar = lav_svar()
            if anonym and gem and svar.status_code == 200 and not svar.streaming:
                cache_set(cache, noegle, (svar["Content-Type"], svar.content), CACHE_SEKUNDER)
    svar["ETag"] = etag
    if sidst is not None:
        svar["Last-Modified"] = http_date(sidst)
    # Browsers and proxies keep the page but ask each time; the answer is then mostly a 304.
    patch_cache_control(svar, no_cache=True, **({"public": True} if anonym else {"private": True}))
    patch_vary_headers(svar, ["Cookie"])
    return svar
