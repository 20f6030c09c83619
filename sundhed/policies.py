"""Permission decisions of the core, on top of sundhed/permissions.py (capabilities and memberships)."""

from __future__ import annotations

from sundhed import permissions


def kan_se_udbakke(bruger) -> bool:
    """Who sees the outbox's unreachable people and failed deliveries: the joint secretariat (it runs every
    agreement: `redigere_alle_aftaler`) and administrators."""
    return permissions.har(bruger, "redigere_alle_aftaler") or permissions.er_administrator(bruger)
