"""Permission decisions of the core, on top of sundhed/permissions.py (capabilities and memberships)."""

from __future__ import annotations

from sundhed import permissions


def kan_se_udbakke(bruger) -> bool:
    """Who sees the outbox's unreachable people and failed deliveries: the joint secretariat (it runs every
    agreement: `redigere_alle_aftaler`) and administrators."""
    return permissions.har(bruger, "redigere_alle_aftaler") or permissions.er_administrator(bruger)


def kan_se_revisionsspor(bruger) -> bool:
    """Who reads the audit trail (/arbejde/revision/: everyone's sign-ins, addresses and refusals): the
    administrators, i.e. an active superuser, or a user an administrator gave the admin's permission to
    view audit rows (sundhed.view_haendelse). Not the secretariat through its capabilities: it runs the
    agreements, not the accounts."""
    return bruger.is_authenticated and bruger.is_active and bruger.has_perm("sundhed.view_haendelse")


def kan_se_rettigheder(bruger) -> bool:
    """Who reads the generated capability table (/arbejde/rettigheder/): the administrators."""
    return permissions.er_administrator(bruger)
