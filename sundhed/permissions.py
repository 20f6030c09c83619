"""Who may do what: the one module that decides, and the only one that talks to guardian.

Capabilities come from memberships. The table `TILDELINGER` says which forum kinds (and
roles) give which capabilities; a capability is either global (the secretariat may edit
every agreement) or scoped to one object: the member's own forum, cluster or authority
(a municipal council's secretary records decisions for that municipality only).

Mechanics: each (forum, role) that grants anything has a Django group, ``forum:<id>:<role>``.
The group holds the global permissions and, through guardian, the object permissions on the
scope object. A user's active memberships decide which of these groups they are in;
`synkroniser_bruger` brings that in line whenever a membership is written, and a periodic
task does it for memberships that start or end with the passing of time. Administrators can
still grant capabilities directly (user permissions or guardian object permissions in the
admin); synchronisation touches only the ``forum:`` groups.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from guardian.models import GroupObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user

from organisation.choices import ForumType, Rolle
from organisation.models import Forum, Klynge, Medlemskab, Part

GLOBAL = "global"
FORUM = "forum"
KLYNGE = "klynge"
PART = "part"

OMFANG_NAVN = {GLOBAL: "Alle", FORUM: "Egen gruppe", KLYNGE: "Egen klynge", PART: "Egen myndighed"}
_OMFANG_MODEL: dict[str, type[Model]] = {GLOBAL: Forum, FORUM: Forum, KLYNGE: Klynge, PART: Part}


@dataclass(frozen=True)
class Kapabilitet:
    """One thing a user may do, and what it is scoped to."""

    kode: str
    navn: str
    omfang: str

    @property
    def perm(self) -> str:
        return f"organisation.{self.kode}"

    @property
    def omfang_navn(self) -> str:
        return OMFANG_NAVN[self.omfang]


KAPABILITETER: dict[str, Kapabilitet] = {
    k.kode: k
    for k in [
        Kapabilitet("redigere_alle_aftaler", "Skrive og redigere alle samarbejdsaftaler", GLOBAL),
        Kapabilitet("koere_overgange", "Føre aftaler gennem forløbet (høring, indstilling, retur)", GLOBAL),
        Kapabilitet("registrere_behandling", "Registrere behandling i ethvert forum", GLOBAL),
        Kapabilitet("offentliggoere", "Offentliggøre og ophæve samarbejdsaftaler", GLOBAL),
        Kapabilitet("administrere_struktur", "Vedligeholde organisationen", GLOBAL),
        Kapabilitet("laese_internt", "Læse alt ikke-offentligt materiale", GLOBAL),
        Kapabilitet("kommentere", "Kommentere samarbejdsaftaler", GLOBAL),
        Kapabilitet("importere_indikatorer", "Importere indikatordata", GLOBAL),
        Kapabilitet("redigere_gruppens_aftaler", "Skrive og redigere gruppens egne aftaler i udkast", FORUM),
        Kapabilitet("laese_klynge_internt", "Læse klyngens interne side", KLYNGE),
        Kapabilitet("registrere_implementering", "Registrere implementeringsstatus", KLYNGE),
        Kapabilitet("registrere_proevehandling", "Registrere prøvehandlinger", KLYNGE),
        Kapabilitet("besvare_hoering_klynge", "Afgive høringssvar for klyngen", KLYNGE),
        Kapabilitet("redigere_lokale_maal", "Redigere klyngens lokale mål", KLYNGE),
        Kapabilitet("redigere_lokale_aftaler", "Redigere udkast til klyngens lokale aftaler", KLYNGE),
        Kapabilitet("registrere_beslutning", "Registrere myndighedens beslutning om en aftale", PART),
        Kapabilitet("besvare_hoering_part", "Afgive høringssvar for myndigheden", PART),
    ]
}


@dataclass(frozen=True)
class Tildeling:
    """A row of the capability table: members of these forum kinds (in these roles) get these."""

    forumtyper: frozenset[str]
    kapabiliteter: tuple[str, ...]
    roller: frozenset[str] = frozenset(Rolle.values)
    forum_slugs: frozenset[str] = frozenset()  # limits the row to named fora, when set
    beskrivelse: str = ""

    def gaelder(self, forum: Forum, rolle: str) -> bool:
        if forum.type not in self.forumtyper or rolle not in self.roller:
            return False
        return not self.forum_slugs or forum.slug in self.forum_slugs


_GRUPPER = frozenset({ForumType.TEMAGRUPPE, ForumType.ARBEJDSGRUPPE, ForumType.FORLOEBSPROGRAMGRUPPE})
_KLYNGE_FAELLES = (
    "laese_klynge_internt", "registrere_implementering", "registrere_proevehandling", "besvare_hoering_klynge",
)

# The capability table of DESIGN.md ("who drafts, discusses, recommends, approves").
TILDELINGER: tuple[Tildeling, ...] = (
    Tildeling(
        frozenset({ForumType.FAELLES_SEKRETARIAT}),
        (
            "redigere_alle_aftaler", "koere_overgange", "registrere_behandling", "offentliggoere",
            "administrere_struktur", "laese_internt", "kommentere", "importere_indikatorer",
        ),
        beskrivelse="Fælles sekretariat (alle roller)",
    ),
    Tildeling(_GRUPPER, ("redigere_gruppens_aftaler", "kommentere"),
              beskrivelse="Temagruppe, arbejdsgruppe eller forløbsprogramgruppe (alle roller)"),
    Tildeling(
        frozenset({ForumType.TEMAGRUPPE}), ("importere_indikatorer", "laese_internt"),
        forum_slugs=frozenset({"oekonomi-og-opfoelgningsgruppe"}),
        beskrivelse="Økonomi- og opfølgningsgruppen",
    ),
    Tildeling(
        frozenset({ForumType.SUNDHEDSSTYREGRUPPE, ForumType.SUNDHEDSSAMARBEJDSUDVALG, ForumType.FORMANDSKAB}),
        ("laese_internt", "kommentere"),
        beskrivelse="Sundhedsstyregruppe, Sundhedssamarbejdsudvalg, formandskab (alle roller)",
    ),
    Tildeling(frozenset({ForumType.KLYNGE_POLITISK}),
              (*_KLYNGE_FAELLES, "redigere_lokale_maal", "redigere_lokale_aftaler"),
              beskrivelse="Klyngens politiske niveau (alle roller)"),
    Tildeling(frozenset({ForumType.KLYNGE_ADMINISTRATIV}), _KLYNGE_FAELLES,
              beskrivelse="Klyngens administrative niveau (alle roller)"),
    Tildeling(
        frozenset({ForumType.KOMMUNALBESTYRELSE, ForumType.REGIONSRAAD}),
        ("registrere_beslutning", "besvare_hoering_part"),
        roller=frozenset({Rolle.SEKRETAER}),
        beskrivelse="Kommunalbestyrelsens eller regionsrådets sekretariat",
    ),
)


def kapabiliteter_for(forum: Forum, rolle: str) -> list[Kapabilitet]:
    """What a member of `forum` in `rolle` may do, read from the table."""
    koder: dict[str, None] = {}
    for tildeling in TILDELINGER:
        if tildeling.gaelder(forum, rolle):
            koder.update(dict.fromkeys(tildeling.kapabiliteter))
    return [KAPABILITETER[k] for k in koder]


def omfangsobjekt(forum: Forum, omfang: str) -> Model | None:
    """The object a scoped capability given by `forum` applies to."""
    return {FORUM: forum, KLYNGE: forum.klynge, PART: forum.part}.get(omfang)


# --- checks ---------------------------------------------------------------------------------


def har(user, kode: str, obj: Model | None = None) -> bool:
    """May `user` use capability `kode` (on `obj`, for scoped capabilities)?"""
    kap = KAPABILITETER[kode]
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if kap.omfang == GLOBAL:
        return user.has_perm(kap.perm)
    if obj is None:
        raise ValueError(f"Kapabiliteten {kode} gælder et bestemt objekt; angiv det.")
    return user.has_perm(kap.perm, obj)


def objekter(user, kode: str, queryset: QuerySet | None = None) -> QuerySet:
    """The scope objects (clusters, authorities, fora) on which `user` has capability `kode`."""
    kap = KAPABILITETER[kode]
    if queryset is None:
        queryset = _OMFANG_MODEL[kap.omfang].objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return get_objects_for_user(user, kap.perm, klass=queryset, accept_global_perms=False)


def kraev(user, kode: str, obj: Model | None = None) -> None:
    """Raise 404 unless allowed: outsiders must not learn that an object exists."""
    if not har(user, kode, obj):
        raise Http404


def er_administrator(user) -> bool:
    return har(user, "administrere_struktur")


# --- synchronisation ------------------------------------------------------------------------

_GRUPPE_PREFIX = "forum:"


def _gruppenavn(forum: Forum, rolle: str) -> str:
    return f"{_GRUPPE_PREFIX}{forum.pk}:{rolle}"


def synkroniser_forum(forum: Forum) -> None:
    """Give each (forum, role) group exactly the permissions the table grants it."""
    for rolle in Rolle.values:
        kaps = kapabiliteter_for(forum, rolle)
        gruppe = Group.objects.filter(name=_gruppenavn(forum, rolle)).first()
        if gruppe is None:
            if not kaps:
                continue
            gruppe = Group.objects.create(name=_gruppenavn(forum, rolle))
        _saet_gruppens_rettigheder(gruppe, forum, kaps)


def _saet_gruppens_rettigheder(gruppe: Group, forum: Forum, kaps: list[Kapabilitet]) -> None:
    globale = [k.kode for k in kaps if k.omfang == GLOBAL]
    gruppe.permissions.set(
        Permission.objects.filter(content_type__app_label="organisation", content_type__model="forum",
                                  codename__in=globale)
    )
    for omfang in (FORUM, KLYNGE, PART):
        onskede = {k.kode for k in kaps if k.omfang == omfang}
        mål = omfangsobjekt(forum, omfang)
        model = _OMFANG_MODEL[omfang]
        # Remove what the group holds on any object of this model but should not.
        for gop in GroupObjectPermission.objects.filter(
            group=gruppe, permission__content_type__app_label="organisation",
            permission__content_type__model=model._meta.model_name,
        ).select_related("permission"):
            skal_vaere = mål is not None and str(mål.pk) == gop.object_pk and gop.permission.codename in onskede
            if not skal_vaere:
                gop.delete()
        if mål is not None:
            for kode in onskede:
                assign_perm(KAPABILITETER[kode].perm, gruppe, mål)


def synkroniser_bruger(user, dato: datetime.date | None = None) -> None:
    """Put `user` in exactly the forum groups their memberships active on `dato` call for."""
    dato = dato or timezone.localdate()
    medlemskaber = (
        Medlemskab.objects.aktive(dato).filter(person__bruger=user).select_related("forum", "forum__klynge")
    )
    onskede: set[str] = set()
    for m in medlemskaber:
        if kapabiliteter_for(m.forum, m.rolle):
            navn = _gruppenavn(m.forum, m.rolle)
            if not Group.objects.filter(name=navn).exists():
                synkroniser_forum(m.forum)
            onskede.add(navn)
    nuvaerende = set(user.groups.filter(name__startswith=_GRUPPE_PREFIX).values_list("name", flat=True))
    if nuvaerende - onskede:
        user.groups.remove(*Group.objects.filter(name__in=nuvaerende - onskede))
    if onskede - nuvaerende:
        user.groups.add(*Group.objects.filter(name__in=onskede - nuvaerende))
    # Django caches permissions on the user object; a changed membership must take effect now.
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)


def synkroniser_alle(dato: datetime.date | None = None) -> int:
    """Re-sync every user with a person; run periodically so expiring memberships take effect."""
    from django.contrib.auth import get_user_model

    brugere = get_user_model().objects.filter(person__isnull=False)
    antal = 0
    for user in brugere.iterator():
        with transaction.atomic():
            synkroniser_bruger(user, dato)
        antal += 1
    return antal


# --- the generated matrix for administrators --------------------------------------------------


def matrix() -> dict:
    """Rows (table entries) x columns (capabilities), for /arbejde/rettigheder/."""
    kolonner = list(KAPABILITETER.values())
    raekker = []
    for t in TILDELINGER:
        raekker.append(
            {
                "beskrivelse": t.beskrivelse,
                "forumtyper": sorted(ForumType(f).label for f in t.forumtyper),
                "roller": "alle" if t.roller == frozenset(Rolle.values) else ", ".join(
                    Rolle(r).label.lower() for r in sorted(t.roller)),
                "celler": [k.kode in t.kapabiliteter for k in kolonner],
            }
        )
    return {"kolonner": kolonner, "raekker": raekker, "omfang_navn": OMFANG_NAVN}


# --- collaboration agreements -----------------------------------------------------------------
# Policies answer "may this user do X to this agreement"; views and API never build
# permission strings. Objects a user may not read are 404 for them.


def _aftale_models():
    from aftaler.choices import OFFENTLIGE_STATUS, Omfang, Status

    return OFFENTLIGE_STATUS, Omfang, Status


def _har_nogen(user, kode: str) -> bool:
    return objekter(user, kode).exists()


def _udkastlaeser(user, aftale) -> bool:
    """Reads every version of the agreement, drafts included: the secretariat, internal readers, the
    owning group, and the cluster of a local agreement. Nobody else ever reads an unfrozen draft."""
    _offentlige, Omfang, _Status = _aftale_models()
    if not user.is_authenticated:
        return False
    if har(user, "laese_internt") or har(user, "redigere_alle_aftaler"):
        return True
    if aftale.ejer_forum_id and har(user, "redigere_gruppens_aftaler", aftale.ejer_forum):
        return True
    return aftale.omfang == Omfang.LOKAL and har(user, "laese_klynge_internt", aftale.klynge)


def _hoeringslaeser(user, aftale) -> bool:
    """Reads the version in consultation because they may answer it (a party or cluster asked)."""
    _offentlige, _Omfang, Status = _aftale_models()
    return aftale.status == Status.HOERING and bool(hoeringsafsendere(user, aftale))


def kan_se_aftale(user, aftale) -> bool:
    """Public from `indstillet` on (or with a published version); before that the draft readers
    and, during consultation, those who may answer."""
    if aftale.er_offentlig:
        return True
    return _udkastlaeser(user, aftale) or _hoeringslaeser(user, aftale)


def synlige_aftaler(user, queryset=None):
    """Narrow agreements to those `user` may read, in one query."""
    from django.db.models import Q

    from aftaler.models import Samarbejdsaftale

    OFFENTLIGE, Omfang, Status = _aftale_models()
    qs = Samarbejdsaftale.objects.all() if queryset is None else queryset
    synlig = Q(status__in=OFFENTLIGE) | Q(offentliggjort_version__isnull=False)
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
    from django.shortcuts import get_object_or_404

    return get_object_or_404(synlige_aftaler(user, queryset), **lookup)


def kan_redigere_aftale(user, aftale) -> bool:
    """Text and details may change only in `udkast`: by the secretariat, the owning group, or the
    political level of the cluster for a local agreement."""
    _offentlige, Omfang, Status = _aftale_models()
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
    from aftaler.workflow import OVERGANGE

    regel = OVERGANGE.get(handling)
    return regel is not None and aftale.status in regel.fra and har(user, regel.kapabilitet)


def kan_saette_ekstra_parter(user, aftale) -> bool:
    """The secretariat adds approving parties (e.g. PLO) before the agreement is recommended."""
    _offentlige, _Omfang, Status = _aftale_models()
    return aftale.status in (Status.UDKAST, Status.HOERING) and har(user, "koere_overgange")


def kan_registrere_behandling(user, aftale) -> bool:
    return har(user, "registrere_behandling")


def beslutningsmyndigheder(user, queryset: QuerySet | None = None) -> QuerySet:
    """The authorities whose decisions `user` records: those whose council secretariat they belong
    to (or that an administrator granted them directly).

    Superusers included: unlike every other capability, being a superuser does not give this one.
    A council's decision is recorded by that council's secretariat; an administrator who must step
    in does so by taking a membership of it, which is in the audit log."""
    queryset = Part.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    return get_objects_for_user(user, KAPABILITETER["registrere_beslutning"].perm, klass=queryset,
                                accept_global_perms=False, with_superuser=False)


def beslutningsparter(user, aftale) -> list:
    """The required parties for which `user` may record a decision now (state `indstillet`)."""
    _offentlige, _Omfang, Status = _aftale_models()
    if aftale.status != Status.INDSTILLET or not user.is_authenticated:
        return []
    from aftaler import selectors

    egne = set(beslutningsmyndigheder(user).values_list("pk", flat=True))
    return [p for p in selectors.paakraevede_parter(aftale) if p.pk in egne]


def kan_registrere_beslutning(user, aftale, part) -> bool:
    return any(p.pk == part.pk for p in beslutningsparter(user, aftale))


def hoeringsafsendere(user, aftale) -> list:
    """The parties and clusters on whose behalf `user` may answer this consultation."""
    _offentlige, Omfang, Status = _aftale_models()
    if aftale.status != Status.HOERING or not user.is_authenticated:
        return []
    from aftaler import selectors

    parter = set(objekter(user, "besvare_hoering_part").values_list("pk", flat=True))
    klynger = set(objekter(user, "besvare_hoering_klynge").values_list("pk", flat=True))
    res = [p for p in selectors.paakraevede_parter(aftale) if p.pk in parter]
    res += [k for k in selectors.berorte_klynger(aftale) if k.pk in klynger]
    return res


def kan_registrere_implementering(user, aftale, klynge) -> bool:
    _offentlige, _Omfang, Status = _aftale_models()
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
    one in consultation. Everyone else reads what the public reads (aftaler.opendata): the frozen
    versions up to the newest public one, and nothing of a revision before it is recommended."""
    from aftaler import opendata

    if _udkastlaeser(user, aftale):
        return None
    if _hoeringslaeser(user, aftale):
        return aftale.aktuel_version.nummer
    return opendata.nyeste_offentlige_nummer(aftale)


def kan_se_udkast(user, aftale) -> bool:
    """May `user` read the agreement's current version, whatever its state?"""
    nummer = nyeste_synlige_nummer(user, aftale)
    return nummer is None or (aftale.aktuel_version_id is not None and aftale.aktuel_version.nummer <= nummer)


def vist_version(user, aftale):
    """The version `user` reads as the agreement's text: the current one if they may, else the public one."""
    from aftaler import opendata

    return aftale.aktuel_version if kan_se_udkast(user, aftale) else opendata.vist_version(aftale)


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
    from django.db.models import Q

    _offentlige, Omfang, _Status = _aftale_models()
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
    those of the public versions (aftaler.opendata.offentlige_bilag_q)."""
    from aftaler import opendata

    if _udkastlaeser(user, aftale) or _hoeringslaeser(user, aftale):
        return queryset
    return queryset.filter(opendata.offentlige_bilag_q(aftale))


def synlige_registreringer(user, aftale, queryset):
    """Records tied to a version (Behandling, Overgang): those of the versions `user` may read."""
    from django.db.models import Q

    nummer = nyeste_synlige_nummer(user, aftale)
    if nummer is None:
        return queryset
    return queryset.filter(Q(version__isnull=True) | Q(version__nummer__lte=nummer))


def synlige_hoeringssvar(user, aftale, queryset):
    """Every answer for internal readers, the secretariat and the owning group; a party or cluster
    reads its own; nobody else any."""
    from django.db.models import Q

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
