"""Who may import indicator data, read a cluster's workspace and write its local goals (sundhed.permissions
decides).

The cluster's members (both levels) and the secretariat read the workspace; only the political level
(`redigere_lokale_maal` on the cluster) and the secretariat write local goals. Outsiders get 404.
"""

from __future__ import annotations

from django.http import Http404

from organisation.models import Klynge
from sundhed import permissions


def kan_importere(bruger) -> bool:
    """May `bruger` import indicator data (and see the way to it)?"""
    return permissions.har(bruger, "importere_indikatorer")


def kraev_import(bruger) -> None:
    """Refuse (403) one who may not import indicator data."""
    permissions.kraev(bruger, "importere_indikatorer")


def kan_laese_arbejdsrum(bruger, klynge: Klynge) -> bool:
    """May `bruger` read the cluster's workspace (its local goals, pilots, tasks, meetings)?"""
    return permissions.har(bruger, "laese_klynge_internt", klynge) or permissions.har(bruger, "redigere_alle_aftaler")


def kan_redigere_lokale_maal(bruger, klynge: Klynge) -> bool:
    """May `bruger` add or change the cluster's local goals?"""
    return permissions.har(bruger, "redigere_lokale_maal", klynge) or permissions.har(bruger, "redigere_alle_aftaler")


def klynge_eller_404(bruger, slug: str) -> Klynge:
    """The cluster with `slug` if `bruger` may read its workspace; 404 alike for 'missing' and 'not yours'."""
    klynge = Klynge.objects.filter(slug=slug).first()
    if klynge is None or not kan_laese_arbejdsrum(bruger, klynge):
        raise Http404
    return klynge
