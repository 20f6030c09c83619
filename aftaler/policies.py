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
from aftaler.choices import KOMMENTERBARE_STATUS, Omfang, Status
from aftaler.models import Samarbejdsaftale, offentlig_q
from aftaler.workflow import OVERGANGE
from organisation.choices import ForumType
from organisation.models import Forum
from sundhed.permissions import har, objekter


def _har_nogen(bruger, kode: str) -> bool:
    return objekter(bruger, kode).exists()


def _udkastlaeser(bruger, aftale) -> bool:
    """Reads every version of the agreement, drafts included: the secretariat, internal readers, the
    owning group, and the cluster of a local agreement. Nobody else ever reads an unfrozen draft."""
    if not bruger.is_authenticated:
        return False
    if har(bruger, "laese_internt") or har(bruger, "redigere_alle_aftaler"):
        return True
    if aftale.ejer_forum_id and har(bruger, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return True
    return aftale.omfang == Omfang.LOKAL and har(bruger, "laese_klynge_internt", aftale.klynge)


def _hoeringslaeser(bruger, aftale) -> bool:
    """Reads the version in consultation because they may answer it (a party or cluster asked)."""
    return aftale.status == Status.HOERING and bool(hoeringsafsendere(bruger, aftale))


def kan_se_aftale(bruger, aftale) -> bool:
    """Public from `indstillet` on (or with a published version); before that the draft readers
    and, during consultation, those who may answer."""
    if aftale.er_offentlig:
        return True
    return _udkastlaeser(bruger, aftale) or _hoeringslaeser(bruger, aftale)


def synlige_aftaler(bruger, queryset=None):
    """Narrow agreements to those `bruger` may read, in one query."""
    qs = Samarbejdsaftale.objects.all() if queryset is None else queryset
    synlig = offentlig_q()
    if not bruger.is_authenticated:
        return qs.filter(synlig)
    if har(bruger, "laese_internt") or har(bruger, "redigere_alle_aftaler"):
        return qs
    synlig |= Q(ejer_forum__in=objekter(bruger, "redigere_gruppens_aftaler"))
    synlig |= Q(omfang=Omfang.LOKAL, klynge__in=objekter(bruger, "laese_klynge_internt"))
    svar_klynger = objekter(bruger, "besvare_hoering_klynge")
    svar_parter = objekter(bruger, "besvare_hoering_part")
    if svar_klynger.exists() or svar_parter.exists():
        # Every party and cluster is consulted on a regional agreement; on a local one the
        # cluster, its municipalities and the region.
        hoering = (Q(omfang=Omfang.REGIONAL) | Q(klynge__in=svar_klynger) | Q(klynge__kommuner__in=svar_parter)
                   | Q(ekstra_parter__in=svar_parter))
        if svar_parter.filter(type="region").exists():
            hoering = Q()
        synlig |= Q(status=Status.HOERING) & hoering
    return qs.filter(pk__in=qs.filter(synlig).values("pk"))


def aftale_eller_404(bruger, queryset, **lookup):
    """Fetch an agreement the user may read; 404 for the rest (as if it did not exist)."""
    return get_object_or_404(synlige_aftaler(bruger, queryset), **lookup)


def kan_redigere_aftale(bruger, aftale) -> bool:
    """Text and details may change only in `udkast`: by the secretariat, the owning group, or the
    political level of the cluster for a local agreement."""
    if aftale.status != Status.UDKAST:
        return False
    if har(bruger, "redigere_alle_aftaler"):
        return True
    if aftale.ejer_forum_id and har(bruger, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return True
    return aftale.omfang == Omfang.LOKAL and har(bruger, "redigere_lokale_aftaler", aftale.klynge)


def kan_oprette_aftale(bruger) -> bool:
    return har(bruger, "redigere_alle_aftaler") or _har_nogen(bruger, "redigere_gruppens_aftaler") or _har_nogen(
        bruger, "redigere_lokale_aftaler")


def kan_udfoere(bruger, aftale, handling: str) -> bool:
    regel = OVERGANGE.get(handling)
    return regel is not None and aftale.status in regel.fra and har(bruger, regel.kapabilitet)


def kan_saette_ekstra_parter(bruger, aftale) -> bool:
    """The secretariat adds approving parties (e.g. PLO) before the agreement is recommended."""
    return aftale.status in (Status.UDKAST, Status.HOERING) and har(bruger, "koere_overgange")


def kan_registrere_behandling(bruger, aftale) -> bool:
    return har(bruger, "registrere_behandling")


def beslutningsmyndigheder(bruger, queryset: QuerySet | None = None) -> QuerySet:
    """The authorities whose decisions `bruger` records: those whose council secretariat they belong
    to (or that an administrator granted them directly).

    Superusers included: being a superuser does not give this capability (Kapabilitet.superbruger)."""
    return objekter(bruger, "registrere_beslutning", queryset)


def beslutningsparter(bruger, aftale) -> list:
    """The required parties for which `bruger` may record a decision now (state `indstillet`)."""
    if aftale.status != Status.INDSTILLET or not bruger.is_authenticated:
        return []
    egne = set(beslutningsmyndigheder(bruger).values_list("pk", flat=True))
    return [p for p in selectors.paakraevede_parter(aftale) if p.pk in egne]


def kan_registrere_beslutning(bruger, aftale, part) -> bool:
    return any(p.pk == part.pk for p in beslutningsparter(bruger, aftale))


def hoeringsafsendere(bruger, aftale) -> list:
    """The parties and clusters on whose behalf `bruger` may answer this consultation."""
    if aftale.status != Status.HOERING or not bruger.is_authenticated:
        return []
    parter = set(objekter(bruger, "besvare_hoering_part").values_list("pk", flat=True))
    klynger = set(objekter(bruger, "besvare_hoering_klynge").values_list("pk", flat=True))
    res = [p for p in selectors.paakraevede_parter(aftale) if p.pk in parter]
    res += [k for k in selectors.berorte_klynger(aftale) if k.pk in klynger]
    return res


def kan_registrere_implementering(bruger, aftale, klynge) -> bool:
    # In force, also while a revision runs through consultation and approval again.
    if not aftale.offentliggjort_version_id or aftale.status == Status.OPHAEVET:
        return False
    return har(bruger, "redigere_alle_aftaler") or har(bruger, "registrere_implementering", klynge)


def kan_registrere_proevehandling(bruger, klynge) -> bool:
    return har(bruger, "redigere_alle_aftaler") or har(bruger, "registrere_proevehandling", klynge)


def kan_se_kommentarer(bruger, aftale) -> bool:
    """Comments belong to the drafting audience: those who read the agreement's drafts and have the
    `kommentere` capability (the secretariat, the steering group and the committee, the owning group).
    Nobody else, in any state, learns that an agreement has comments (404)."""
    return har(bruger, "kommentere") and _udkastlaeser(bruger, aftale)


def kan_kommentere(bruger, aftale) -> bool:
    """Comment on the current version while the draft is open for comments (KOMMENTERBARE_STATUS)."""
    return aftale.status in KOMMENTERBARE_STATUS and kan_se_kommentarer(bruger, aftale)


def kan_behandle_kommentar(bruger, aftale) -> bool:
    """The secretariat marks the comments on an agreement as handled, in any state."""
    return har(bruger, "redigere_alle_aftaler") and kan_se_kommentarer(bruger, aftale)


def synlige_kommentarer(bruger, aftale, queryset):
    """The comments on `aftale` that `bruger` reads: all of them for the drafting audience, none for anyone else."""
    return queryset if kan_se_kommentarer(bruger, aftale) else queryset.none()


def nyeste_synlige_nummer(bruger, aftale) -> int | None:
    """The newest version number `bruger` may read; None for every version (drafts included).

    Draft readers read everything. Those asked in a consultation read the frozen versions up to the
    one in consultation. Everyone else reads what the public reads (aftaler.synlighed): the frozen
    versions up to the newest public one, and nothing of a revision before it is recommended."""
    if _udkastlaeser(bruger, aftale):
        return None
    if _hoeringslaeser(bruger, aftale):
        return aftale.aktuel_version.nummer
    return synlighed.nyeste_offentlige_nummer(aftale)


def kan_se_udkast(bruger, aftale) -> bool:
    """May `bruger` read the agreement's current version, whatever its state?"""
    nummer = nyeste_synlige_nummer(bruger, aftale)
    return nummer is None or (aftale.aktuel_version_id is not None and aftale.aktuel_version.nummer <= nummer)


def vist_version(bruger, aftale):
    """The version `bruger` reads as the agreement's text: the current one if they may, else the public one."""
    return aftale.aktuel_version if kan_se_udkast(bruger, aftale) else synlighed.vist_version(aftale)


def som_laest_af(bruger, aftale):
    """The agreement as `bruger` reads it: `vist_version` is the version whose text they read, and the
    title, summary and target group are that version's (a revision's draft title stays with the
    draft). Changes the instance in memory only; services re-read the row before writing."""
    version = vist_version(bruger, aftale)
    aftale.vist_version = version
    if version is not None and version.titel:
        aftale.titel, aftale.resume, aftale.maalgruppe = version.titel, version.resume, version.maalgruppe
    return aftale


def udkastlaeser_q(bruger):
    """The agreements whose drafts `bruger` reads (the same rule as _udkastlaeser), as a filter."""
    return selectors.udkastlaeser_q(bruger)


def synlige_versioner(bruger, aftale, queryset=None):
    """The versions `bruger` may read (see nyeste_synlige_nummer), oldest first."""
    versioner = aftale.versioner.select_related("forfatter").order_by("nummer") if queryset is None else queryset
    nummer = nyeste_synlige_nummer(bruger, aftale)
    if nummer is None:
        return versioner
    return versioner.filter(frossen=True, nummer__lte=nummer)


def synlige_bilag(bruger, aftale, queryset):
    """Attachments: all for draft readers and (during consultation) those asked; for everyone else
    those of the public versions (aftaler.synlighed.offentlige_bilag_q)."""
    if _udkastlaeser(bruger, aftale) or _hoeringslaeser(bruger, aftale):
        return queryset
    return queryset.filter(synlighed.offentlige_bilag_q(aftale))


def synlige_registreringer(bruger, aftale, queryset):
    """Records tied to a version (Behandling, Overgang): those of the versions `bruger` may read."""
    nummer = nyeste_synlige_nummer(bruger, aftale)
    if nummer is None:
        return queryset
    return queryset.filter(Q(version__isnull=True) | Q(version__nummer__lte=nummer))


def synlige_hoeringssvar(bruger, aftale, queryset):
    """Every answer for internal readers, the secretariat and the owning group; a party or cluster
    reads its own; nobody else any."""
    if not bruger.is_authenticated:
        return queryset.none()
    if har(bruger, "laese_internt") or har(bruger, "redigere_alle_aftaler"):
        return queryset
    if aftale.ejer_forum_id and har(bruger, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return queryset
    return queryset.filter(Q(part__in=objekter(bruger, "besvare_hoering_part"))
                           | Q(klynge__in=objekter(bruger, "besvare_hoering_klynge")))


def kan_se_implementeringsmatrix(bruger) -> bool:
    """The staff overview of implementation across clusters: internal readers, the secretariat and
    cluster members."""
    return (har(bruger, "laese_internt") or har(bruger, "redigere_alle_aftaler")
            or objekter(bruger, "registrere_implementering").exists()
            or objekter(bruger, "laese_klynge_internt").exists())


def laeser_internt(bruger) -> bool:
    """Internal readers and the secretariat: every consultation answer and every pilot."""
    return har(bruger, "laese_internt") or har(bruger, "redigere_alle_aftaler")


def implementeringsklynger(bruger) -> QuerySet:
    """The clusters whose implementation `bruger` records as a member (the secretariat records any:
    kan_registrere_implementering)."""
    return objekter(bruger, "registrere_implementering")


def synlige_proevehandlinger(bruger, queryset: QuerySet) -> QuerySet | None:
    """All pilots for internal readers and the secretariat; the own clusters' for cluster members;
    None for everyone else (the pilot pages are 404 for them)."""
    if laeser_internt(bruger):
        return queryset
    klynger = objekter(bruger, "laese_klynge_internt") | objekter(bruger, "registrere_proevehandling")
    if not klynger.exists():
        return None
    return queryset.filter(klynge__in=klynger)


def kan_praesentere_proevehandling(bruger) -> bool:
    """Record that a pilot was presented to the committee: those who record a forum's dealing."""
    return har(bruger, "registrere_behandling")


def kan_starte_aftale_fra_proevehandling(bruger) -> bool:
    """Start a collaboration agreement from a presented pilot: the secretariat."""
    return har(bruger, "redigere_alle_aftaler")


def kan_registrere_al_implementering(bruger) -> bool:
    """Record implementation for any cluster: the secretariat."""
    return har(bruger, "redigere_alle_aftaler")


# Groups that own agreements (DESIGN.md: theme groups, working groups, forløbsprogramgrupper; the
# editor's "Ejende gruppe", aftaler.forms).
EJER_FORUMTYPER = (ForumType.TEMAGRUPPE, ForumType.ARBEJDSGRUPPE, ForumType.FORLOEBSPROGRAMGRUPPE)


def redigerer_alle_aftaler(bruger) -> bool:
    """The joint secretariat: drafts and edits every agreement, for any owning group."""
    return har(bruger, "redigere_alle_aftaler")


def kan_redigere_lokale_aftaler(bruger) -> bool:
    """A cluster's political level somewhere: drafts its cluster's local agreements (no owning group)."""
    return objekter(bruger, "redigere_lokale_aftaler").exists()


def ejer_fora(bruger, nuvaerende: Forum | None = None) -> QuerySet:
    """The fora `bruger` may let own an agreement: every active group for the secretariat, the
    user's own groups for a group member; the current owner stays selectable when editing."""
    if redigerer_alle_aftaler(bruger):
        tilladte = Q(pk__in=Forum.objects.aktive().filter(type__in=EJER_FORUMTYPER).values("pk"))
    else:
        egne = objekter(bruger, "redigere_gruppens_aftaler", Forum.objects.aktive())
        tilladte = Q(pk__in=egne.values("pk"))
    if nuvaerende is not None:
        tilladte |= Q(pk=nuvaerende.pk)
    return Forum.objects.filter(tilladte).order_by("type", "navn")
