"""Who may do what with collaboration agreements: the agreements' policies, on top of the capability
engine in sundhed.permissions (capabilities from memberships, guardian).

Policies answer "may this user do X to this agreement" and narrow querysets to what a user may
read, in the spirit of Wagtail's permission policies and NetBox's restrict(); views, the API,
services and template tags ask here and never build permission strings. An agreement a user may
not read is a 404 for them (aftale_eller_404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from aftaler import selectors, synlighed
from aftaler.choices import Omfang, Status
from aftaler.models import Samarbejdsaftale, offentlig_q
from aftaler.workflow import OVERGANGE
from sundhed.permissions import har, objekter


def _har_nogen(user, kode: str) -> bool:
    return objekter(user, kode).exists()


def _udkastlaeser(user, aftale) -> bool:
    """Reads every version of the agreement, drafts included: the secretariat, internal readers, the
    owning group, and the cluster of a local agreement. Nobody else ever reads an unfrozen draft."""
    if not user.is_authenticated:
        return False
    if har(user, "laese_internt") or har(user, "redigere_alle_aftaler"):
        return True
    if aftale.ejer_forum_id and har(user, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return True
    return aftale.omfang == Omfang.LOKAL and har(user, "laese_klynge_internt", aftale.klynge)


def _hoeringslaeser(user, aftale) -> bool:
    """Reads the version in consultation because they may answer it (a party or cluster asked)."""
    return aftale.status == Status.HOERING and bool(hoeringsafsendere(user, aftale))


def kan_se_aftale(user, aftale) -> bool:
    """Public from `indstillet` on (or with a published version); before that the draft readers
    and, during consultation, those who may answer."""
    if aftale.er_offentlig:
        return True
    return _udkastlaeser(user, aftale) or _hoeringslaeser(user, aftale)


def synlige_aftaler(user, queryset=None):
    """Narrow agreements to those `user` may read, in one query."""
    qs = Samarbejdsaftale.objects.all() if queryset is None else queryset
    synlig = offentlig_q()
    if not user.is_authenticated:
        return qs.filter(synlig)
    if har(user, "laese_internt") or har(user, "redigere_alle_aftaler"):
        return qs
    synlig |= Q(ejer_forum__in=objekter(user, "redigere_gruppens_aftaler"))
    synlig |= Q(omfang=Omfang.LOKAL, klynge__in=objekter(user, "laese_klynge_internt"))
    svar_klynger = objekter(user, "besvare_hoering_klynge")
    svar_parter = objekter(user, "besvare_hoering_part")
    if svar_klynger.exists() or svar_parter.exists():
        # Every party and cluster is consulted on a regional agreement; on a local one the
        # cluster, its municipalities and the region.
        hoering = (Q(omfang=Omfang.REGIONAL) | Q(klynge__in=svar_klynger) | Q(klynge__kommuner__in=svar_parter)
                   | Q(ekstra_parter__in=svar_parter))
        if svar_parter.filter(type="region").exists():
            hoering = Q()
        synlig |= Q(status=Status.HOERING) & hoering
    return qs.filter(pk__in=qs.filter(synlig).values("pk"))


def aftale_eller_404(user, queryset, **lookup):
    """Fetch an agreement the user may read; 404 for the rest (as if it did not exist)."""
    return get_object_or_404(synlige_aftaler(user, queryset), **lookup)


def kan_redigere_aftale(user, aftale) -> bool:
    """Text and details may change only in `udkast`: by the secretariat, the owning group, or the
    political level of the cluster for a local agreement."""
    if aftale.status != Status.UDKAST:
        return False
    if har(user, "redigere_alle_aftaler"):
        return True
    if aftale.ejer_forum_id and har(user, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return True
    return aftale.omfang == Omfang.LOKAL and har(user, "redigere_lokale_aftaler", aftale.klynge)


def kan_oprette_aftale(user) -> bool:
    return har(user, "redigere_alle_aftaler") or _har_nogen(user, "redigere_gruppens_aftaler") or _har_nogen(
        user, "redigere_lokale_aftaler")


def kan_udfoere(user, aftale, handling: str) -> bool:
    regel = OVERGANGE.get(handling)
    return regel is not None and aftale.status in regel.fra and har(user, regel.kapabilitet)


def kan_saette_ekstra_parter(user, aftale) -> bool:
    """The secretariat adds approving parties (e.g. PLO) before the agreement is recommended."""
    return aftale.status in (Status.UDKAST, Status.HOERING) and har(user, "koere_overgange")


def kan_registrere_behandling(user, aftale) -> bool:
    return har(user, "registrere_behandling")


def beslutningsmyndigheder(user, queryset: QuerySet | None = None) -> QuerySet:
    """The authorities whose decisions `user` records: those whose council secretariat they belong
    to (or that an administrator granted them directly).

    Superusers included: being a superuser does not give this capability (Kapabilitet.superbruger)."""
    return objekter(user, "registrere_beslutning", queryset)


def beslutningsparter(user, aftale) -> list:
    """The required parties for which `user` may record a decision now (state `indstillet`)."""
    if aftale.status != Status.INDSTILLET or not user.is_authenticated:
        return []
    egne = set(beslutningsmyndigheder(user).values_list("pk", flat=True))
    return [p for p in selectors.paakraevede_parter(aftale) if p.pk in egne]


def kan_registrere_beslutning(user, aftale, part) -> bool:
    return any(p.pk == part.pk for p in beslutningsparter(user, aftale))


def hoeringsafsendere(user, aftale) -> list:
    """The parties and clusters on whose behalf `user` may answer this consultation."""
    if aftale.status != Status.HOERING or not user.is_authenticated:
        return []
    parter = set(objekter(user, "besvare_hoering_part").values_list("pk", flat=True))
    klynger = set(objekter(user, "besvare_hoering_klynge").values_list("pk", flat=True))
    res = [p for p in selectors.paakraevede_parter(aftale) if p.pk in parter]
    res += [k for k in selectors.berorte_klynger(aftale) if k.pk in klynger]
    return res


def kan_registrere_implementering(user, aftale, klynge) -> bool:
    # In force, also while a revision runs through consultation and approval again.
    if not aftale.offentliggjort_version_id or aftale.status == Status.OPHAEVET:
        return False
    return har(user, "redigere_alle_aftaler") or har(user, "registrere_implementering", klynge)


def kan_registrere_proevehandling(user, klynge) -> bool:
    return har(user, "redigere_alle_aftaler") or har(user, "registrere_proevehandling", klynge)


def kan_kommentere(user, aftale) -> bool:
    return kan_se_aftale(user, aftale) and har(user, "kommentere")


def nyeste_synlige_nummer(user, aftale) -> int | None:
    """The newest version number `user` may read; None for every version (drafts included).

    Draft readers read everything. Those asked in a consultation read the frozen versions up to the
    one in consultation. Everyone else reads what the public reads (aftaler.synlighed): the frozen
    versions up to the newest public one, and nothing of a revision before it is recommended."""
    if _udkastlaeser(user, aftale):
        return None
    if _hoeringslaeser(user, aftale):
        return aftale.aktuel_version.nummer
    return synlighed.nyeste_offentlige_nummer(aftale)


def kan_se_udkast(user, aftale) -> bool:
    """May `user` read the agreement's current version, whatever its state?"""
    nummer = nyeste_synlige_nummer(user, aftale)
    return nummer is None or (aftale.aktuel_version_id is not None and aftale.aktuel_version.nummer <= nummer)


def vist_version(user, aftale):
    """The version `user` reads as the agreement's text: the current one if they may, else the public one."""
    return aftale.aktuel_version if kan_se_udkast(user, aftale) else synlighed.vist_version(aftale)


def som_laest_af(user, aftale):
    """The agreement as `user` reads it: `vist_version` is the version whose text they read, and the
    title, summary and target group are that version's (a revision's draft title stays with the
    draft). Changes the instance in memory only; services re-read the row before writing."""
    version = vist_version(user, aftale)
    aftale.vist_version = version
    if version is not None and version.titel:
        aftale.titel, aftale.resume, aftale.maalgruppe = version.titel, version.resume, version.maalgruppe
    return aftale


def udkastlaeser_q(user):
    """The agreements whose drafts `user` reads (the same rule as _udkastlaeser), as a filter."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if har(user, "laese_internt") or har(user, "redigere_alle_aftaler"):
        return Q(pk__isnull=False)  # every agreement (an empty Q() cannot be a When() condition)
    return (Q(ejer_forum__in=objekter(user, "redigere_gruppens_aftaler"))
            | Q(omfang=Omfang.LOKAL, klynge__in=objekter(user, "laese_klynge_internt")))


def synlige_versioner(user, aftale, queryset=None):
    """The versions `user` may read (see nyeste_synlige_nummer), oldest first."""
    versioner = aftale.versioner.select_related("forfatter").order_by("nummer") if queryset is None else queryset
    nummer = nyeste_synlige_nummer(user, aftale)
    if nummer is None:
        return versioner
    return versioner.filter(frossen=True, nummer__lte=nummer)


def synlige_bilag(user, aftale, queryset):
    """Attachments: all for draft readers and (during consultation) those asked; for everyone else
    those of the public versions (aftaler.synlighed.offentlige_bilag_q)."""
    if _udkastlaeser(user, aftale) or _hoeringslaeser(user, aftale):
        return queryset
    return queryset.filter(synlighed.offentlige_bilag_q(aftale))


def synlige_registreringer(user, aftale, queryset):
    """Records tied to a version (Behandling, Overgang): those of the versions `user` may read."""
    nummer = nyeste_synlige_nummer(user, aftale)
    if nummer is None:
        return queryset
    return queryset.filter(Q(version__isnull=True) | Q(version__nummer__lte=nummer))


def synlige_hoeringssvar(user, aftale, queryset):
    """Every answer for internal readers, the secretariat and the owning group; a party or cluster
    reads its own; nobody else any."""
    if not user.is_authenticated:
        return queryset.none()
    if har(user, "laese_internt") or har(user, "redigere_alle_aftaler"):
        return queryset
    if aftale.ejer_forum_id and har(user, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return queryset
    return queryset.filter(Q(part__in=objekter(user, "besvare_hoering_part"))
                           | Q(klynge__in=objekter(user, "besvare_hoering_klynge")))


def kan_se_implementeringsmatrix(user) -> bool:
    """The staff overview of implementation across clusters: internal readers, the secretariat and
    cluster members."""
    return (har(user, "laese_internt") or har(user, "redigere_alle_aftaler")
            or objekter(user, "registrere_implementering").exists()
            or objekter(user, "laese_klynge_internt").exists())
