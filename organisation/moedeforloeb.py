"""The meeting lifecycle as one table, read by the services, the pages, the API and the tests
(as aftaler/workflow.py is for agreements).

    planlagt -> dagsorden (agenda published) -> referat (minutes published)
    planlagt | dagsorden -> aflyst

Who may run an action is a policy in organisation.policies (the secretariat for every forum, a forum's
own secretary for its meetings); organisation.moeder_services.moede_overgang is the guard that checks
state and permission and writes the audit row in the same transaction.
"""

from dataclasses import dataclass

from django.db import models

from organisation.models import MoedeStatus


class Handling(models.TextChoices):
    """Actions on a meeting (the API's `handling`)."""

    OFFENTLIGGOER_DAGSORDEN = "offentliggoer_dagsorden", "Offentliggør dagsordenen"
    OFFENTLIGGOER_REFERAT = "offentliggoer_referat", "Offentliggør referatet"
    AFLYS = "aflys", "Aflys mødet"


@dataclass(frozen=True)
class Overgangsregel:
    handling: str
    fra: frozenset[str]
    til: str
    tilladelse: str  # the function in organisation.policies that answers (user, forum)
    forklaring: str
    service: str  # the function in organisation.moeder_services that runs it
    besked: str = ""  # what the page says when it is done


OVERGANGE: dict[str, Overgangsregel] = {
    r.handling: r
    for r in [
        Overgangsregel(Handling.OFFENTLIGGOER_DAGSORDEN, frozenset({MoedeStatus.PLANLAGT}), MoedeStatus.DAGSORDEN,
                       "kan_planlaegge_moeder",
                       "Dagsordenen offentliggøres: mødet og dets åbne punkter bliver offentlige; lukkede punkter "
                       "vises kun med nummer og «Lukket punkt».",
                       service="moede_offentliggoer_dagsorden", besked="Dagsordenen er offentliggjort."),
        Overgangsregel(Handling.OFFENTLIGGOER_REFERAT, frozenset({MoedeStatus.DAGSORDEN}), MoedeStatus.REFERAT,
                       "kan_planlaegge_moeder",
                       "Referatet offentliggøres: beslutninger og fraværende på de åbne punkter bliver offentlige.",
                       service="moede_offentliggoer_referat", besked="Referatet er offentliggjort."),
        Overgangsregel(Handling.AFLYS, frozenset({MoedeStatus.PLANLAGT, MoedeStatus.DAGSORDEN}), MoedeStatus.AFLYST,
                       "kan_planlaegge_moeder",
                       "Mødet aflyses; kalendere får besked (STATUS:CANCELLED), og mødet kan ikke længere ændres.",
                       service="moede_aflys", besked="Mødet er aflyst."),
    ]
}


def mulige_handlinger(status: str) -> list[Overgangsregel]:
    """The actions the table allows from `status`, in the table's order."""
    return [r for r in OVERGANGE.values() if status in r.fra]
