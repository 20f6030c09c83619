"""Reads of the structure that more than one page needs."""

from django.db.models import Prefetch, QuerySet

from organisation.models import Klynge, Medlemskab, Part
from sundhed import permissions


def klynger_oversigt() -> QuerySet[Klynge]:
    """Active clusters with hospital and municipalities, in a constant number of queries."""
    return (
        Klynge.objects.aktive()
        .select_related("akuthospital")
        .prefetch_related(Prefetch("kommuner", queryset=Part.objects.order_by("navn")))
        .order_by("navn")
    )


def medlemskaber_for_bruger(user) -> QuerySet[Medlemskab]:
    return (
        Medlemskab.objects.aktive()
        .filter(person__bruger=user)
        .select_related("forum", "forum__klynge", "forum__part", "repraesenterer")
    )


def kapabiliteter_for_bruger(user) -> list[dict]:
    """Each capability the user holds, with the objects it applies to (for 'Mine opgaver')."""
    resultat = []
    for kap in permissions.KAPABILITETER.values():
        if kap.omfang == permissions.GLOBAL:
            if permissions.har(user, kap.kode):
                resultat.append({"kapabilitet": kap, "objekter": None})
        else:
            objekter = list(permissions.objekter(user, kap.kode))
            if objekter:
                resultat.append({"kapabilitet": kap, "objekter": objekter})
    return resultat
