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
    service: str = ""  # the function in aftaler.services that runs it
    ny_offentlig_tekst: bool = False  # the public text changes: the public PDF is prepared again


OVERGANGE: dict[str, Overgangsregel] = {
    r.handling: r
    for r in [
        Overgangsregel(Handling.SEND_I_HOERING, frozenset({Status.UDKAST}), Status.HOERING, "koere_overgange",
                       "Den aktuelle version fryses og sendes i høring hos klynger og myndigheder.",
                       service="aftale_send_i_hoering", felter=("hoeringsfrist", "note"), fryser_version=True),
        Overgangsregel(Handling.AFSLUT_HOERING, frozenset({Status.HOERING}), Status.UDKAST, "koere_overgange",
                       "Høringen afsluttes; en ny udkastversion kan skrives på baggrund af svarene.",
                       service="aftale_afslut_hoering", felter=("note",)),
        Overgangsregel(Handling.INDSTIL, frozenset({Status.UDKAST}), Status.INDSTILLET, "koere_overgange",
                       "Sundhedssamarbejdsudvalgets indstilling registreres; versionen fryses og sendes til "
                       "godkendelse i kommunalbestyrelserne og regionsrådet.",
                       service="aftale_indstil", ny_offentlig_tekst=True,
                       felter=("forum", "dato", "beslutningsfrist", "note"), fryser_version=True),
        Overgangsregel(Handling.SEND_RETUR, frozenset({Status.INDSTILLET, Status.HOERING}), Status.UDKAST,
                       "koere_overgange",
                       "Aftalen sendes tilbage til udkast, fx efter en afvisning. Beslutninger om den hidtidige "
                       "version bevares i historikken, men gælder ikke en ny version.",
                       service="aftale_send_retur", felter=("note",)),
        Overgangsregel(Handling.OFFENTLIGGOER, frozenset({Status.GODKENDT}), Status.I_KRAFT, "offentliggoere",
                       "Aftalen offentliggøres med en ikrafttrædelsesdato, og klyngerne får en "
                       "implementeringsrække hver.",
                       service="aftale_offentliggoer", ny_offentlig_tekst=True,
                       felter=("ikrafttraedelse", "revisionsdato", "note")),
        Overgangsregel(Handling.OPHAEV, frozenset({Status.I_KRAFT}), Status.OPHAEVET, "offentliggoere",
                       "Aftalen ophæves; den kan stadig læses og er markeret som ophævet.",
                       service="aftale_ophaev", felter=("note",)),
        Overgangsregel(Handling.REVIDER, frozenset({Status.I_KRAFT}), Status.UDKAST, "koere_overgange",
                       "En revision begynder: en ny udkastversion skrives, mens den offentliggjorte version "
                       "forbliver gældende og offentlig.",
                       service="aftale_revider", felter=("note",)),
    ]
}


# The automatic step of the table: when every required party has approved this exact version, the
# agreement becomes `godkendt` (aftaler.services.godkendelse_registrer runs it; nobody chooses it).
AUTOMATISK = Overgangsregel(
    AUTOMATISK_GODKENDT, frozenset({Status.INDSTILLET}), Status.GODKENDT, "",
    "Når alle påkrævede parter har godkendt den indstillede version, bliver aftalen godkendt.",
    service="godkendelse_registrer",
)


def mulige_handlinger(status: str) -> list[Overgangsregel]:
    return [r for r in OVERGANGE.values() if status in r.fra]
