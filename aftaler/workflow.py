"""The agreement lifecycle as one table, read by the services, the pages, the API and the tests."""

from dataclasses import dataclass

from django.db import models

from aftaler.choices import Status


class Handling(models.TextChoices):
    """Actions a user can take (the API's `handling`)."""

    SEND_I_HOERING = "send_i_hoering", "Send i høring"
    AFSLUT_HOERING = "afslut_hoering", "Afslut høring"
    INDSTIL = "indstil", "Registrér udvalgets indstilling"
    SEND_RETUR = "send_retur", "Send retur til udkast"
    OFFENTLIGGOER = "offentliggoer", "Offentliggør"
    OPHAEV = "ophaev", "Ophæv"
    REVIDER = "revider", "Start revision"


AUTOMATISK_GODKENDT = "automatisk_godkendt"


@dataclass(frozen=True)
class Overgangsregel:
    handling: str
    fra: frozenset[str]
    til: str
    kapabilitet: str  # from sundhed.permissions.KAPABILITETER
    forklaring: str
    felter: tuple[str, ...] = ()  # what the user must/may supply
    fryser_version: bool = False


OVERGANGE: dict[str, Overgangsregel] = {
    r.handling: r
    for r in [
        Overgangsregel(Handling.SEND_I_HOERING, frozenset({Status.UDKAST}), Status.HOERING, "koere_overgange",
                       "Den aktuelle version fryses og sendes i høring hos klynger og myndigheder.",
                       felter=("hoeringsfrist", "note"), fryser_version=True),
        Overgangsregel(Handling.AFSLUT_HOERING, frozenset({Status.HOERING}), Status.UDKAST, "koere_overgange",
                       "Høringen afsluttes; en ny udkastversion kan skrives på baggrund af svarene.",
                       felter=("note",)),
        Overgangsregel(Handling.INDSTIL, frozenset({Status.UDKAST}), Status.INDSTILLET, "koere_overgange",
                       "Sundhedssamarbejdsudvalgets indstilling registreres; versionen fryses og sendes til "
                       "godkendelse i kommunalbestyrelserne og regionsrådet.",
                       felter=("forum", "dato", "beslutningsfrist", "note"), fryser_version=True),
        Overgangsregel(Handling.SEND_RETUR, frozenset({Status.INDSTILLET, Status.HOERING}), Status.UDKAST,
                       "koere_overgange",
                       "Aftalen sendes tilbage til udkast, fx efter en afvisning. Beslutninger om den hidtidige "
                       "version bevares i historikken, men gælder ikke en ny version.", felter=("note",)),
        Overgangsregel(Handling.OFFENTLIGGOER, frozenset({Status.GODKENDT}), Status.I_KRAFT, "offentliggoere",
                       "Aftalen offentliggøres med en ikrafttrædelsesdato, og klyngerne får en "
                       "implementeringsrække hver.", felter=("ikrafttraedelse", "revisionsdato", "note")),
        Overgangsregel(Handling.OPHAEV, frozenset({Status.I_KRAFT}), Status.OPHAEVET, "offentliggoere",
                       "Aftalen ophæves; den kan stadig læses og er markeret som ophævet.", felter=("note",)),
        Overgangsregel(Handling.REVIDER, frozenset({Status.I_KRAFT}), Status.UDKAST, "koere_overgange",
                       "En revision begynder: en ny udkastversion skrives, mens den offentliggjorte version "
                       "forbliver gældende og offentlig.", felter=("note",)),
    ]
}


def mulige_handlinger(status: str) -> list[Overgangsregel]:
    return [r for r in OVERGANGE.values() if status in r.fra]
