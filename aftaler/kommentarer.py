"""Comments on drafts: the writes (kommentar_opret, kommentar_behandl) and the reads the staff page and the
API share (kommentarer_for). Who may do what is decided in aftaler.policies (kan_se_kommentarer,
kan_kommentere, kan_behandle_kommentar).

Comments are never public: they are not part of the agreement's public text, its feeds, search, PDF or
open data, and writing one does not touch the agreement's public timestamp (nothing public changed).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from aftaler import policies
from aftaler.choices import KOMMENTERBARE_STATUS
from aftaler.models import Kommentar, Samarbejdsaftale
from aftaler.search import ren_tekst
from organisation import selectors as organisation_selectors
from sundhed import permissions
from sundhed.exceptions import DomainError, IkkeTilladt
from sundhed.services import haendelse_registrer, navn_paa
from sundhed.text import en_linje

TEKST_MAKS = 4000
CITAT_MAKS = 1000


def _tal(n: int) -> str:
    """A count the Danish way: 4.000."""
    return f"{n:,}".replace(",", ".")


def _uden_mellemrum(tekst: str) -> str:
    """The text without any whitespace: a passage selected in the browser has its own line breaks."""
    return "".join(tekst.split())


def forfatterens_myndighed(bruger) -> str:
    """The body `bruger` comments for: the first of their active seats that gives the `kommentere`
    capability, with the party the seat represents ("Sundhedsstyregruppen, Horsens Kommune")."""
    for medlemskab in organisation_selectors.medlemskaber_for_bruger(bruger).order_by("forum__navn", "pk"):
        if any(k.kode == "kommentere" for k in permissions.kapabiliteter_for(medlemskab.forum, medlemskab.rolle)):
            navn = medlemskab.forum.navn
            if medlemskab.repraesenterer:
                navn = f"{navn}, {medlemskab.repraesenterer.navn}"
            return navn[:300]
    return ""


def kommentarer_for(bruger, aftale: Samarbejdsaftale) -> QuerySet[Kommentar]:
    """The comments on every version of `aftale` that `bruger` reads, oldest first (none for outsiders)."""
    qs = (Kommentar.objects.filter(version__aftale=aftale).select_related("version")
          .order_by("oprettet", "id"))
    return policies.synlige_kommentarer(bruger, aftale, qs)


@transaction.atomic
def kommentar_opret(*, bruger, aftale: Samarbejdsaftale, tekst: str, citat: str = "") -> Kommentar:
    """Comment on the agreement's current version while its draft is open for comments, optionally
    quoting a passage of that version's text."""
    # Under the agreement's row lock: a comment cannot land on a version being frozen or replaced.
    aftale = Samarbejdsaftale.objects.select_for_update(of=("self",)).select_related("aktuel_version").get(pk=aftale.pk)
    if not policies.kan_se_kommentarer(bruger, aftale):
        raise IkkeTilladt("Du kan ikke kommentere denne aftale.")
    if aftale.status not in KOMMENTERBARE_STATUS or aftale.aktuel_version is None:
        raise DomainError("Aftalen er ikke åben for kommentarer længere: kun et udkast eller en aftale i høring "
                          "kan kommenteres.")
    tekst = (tekst or "").strip()
    if not tekst:
        raise DomainError("Skriv en kommentar.", field="tekst")
    if len(tekst) > TEKST_MAKS:
        raise DomainError(f"Kommentaren må højst være {_tal(TEKST_MAKS)} tegn; den er {_tal(len(tekst))} tegn.",
                          field="tekst")
    citat = en_linje(citat)
    version = aftale.aktuel_version
    if len(citat) > CITAT_MAKS:
        raise DomainError(f"Citatet må højst være {_tal(CITAT_MAKS)} tegn; det er {_tal(len(citat))} tegn. Citér kun "
                          "det stykke, kommentaren handler om.", field="citat")
    if citat and _uden_mellemrum(citat) not in _uden_mellemrum(ren_tekst(version.tekst)):
        raise DomainError(f"Citatet findes ikke i teksten til version {version.nummer}. Kopiér stykket direkte "
                          "fra aftaleteksten, eller lad feltet være tomt.", field="citat")
    kommentar = Kommentar.objects.create(
        version=version, forfatter=bruger, forfatter_navn=navn_paa(bruger),
        forfatter_myndighed=forfatterens_myndighed(bruger), tekst=tekst, citat=citat,
    )
    # The audit row names the agreement and version, not the comment's words.
    haendelse_registrer(bruger=bruger, handling="kommentar_oprettet", objekt=kommentar,
                        beskrivelse=f"Kommentar til version {version.nummer} af »{aftale.titel}«",
                        data={"aftale": aftale.slug, "version": version.nummer})
    return kommentar


@transaction.atomic
def kommentar_behandl(*, bruger, kommentar: Kommentar) -> Kommentar:
    """The secretariat marks a comment as handled (once; who and when are kept)."""
    kommentar = Kommentar.objects.select_for_update(of=("self",)).select_related("version__aftale").get(pk=kommentar.pk)
    aftale = kommentar.version.aftale
    if not policies.kan_behandle_kommentar(bruger, aftale):
        raise IkkeTilladt("Kun sekretariatet kan markere kommentarer som behandlet.")
    if kommentar.behandlet is not None:
        hvem = kommentar.behandlet_af_navn or "en anden"
        raise DomainError(f"Kommentaren er allerede markeret som behandlet af {hvem}.")
    kommentar.behandlet = timezone.now()
    kommentar.behandlet_af = bruger
    kommentar.behandlet_af_navn = navn_paa(bruger)
    kommentar.full_clean()
    kommentar.save(update_fields=["behandlet", "behandlet_af", "behandlet_af_navn"])
    haendelse_registrer(bruger=bruger, handling="kommentar_behandlet", objekt=kommentar,
                        beskrivelse=f"Kommentar til version {kommentar.version.nummer} af »{aftale.titel}« "
                                    "er behandlet",
                        data={"aftale": aftale.slug, "version": kommentar.version.nummer})
    return kommentar
