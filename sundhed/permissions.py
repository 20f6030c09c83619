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
    # Whether being a superuser gives it. Not so for recording a council's decision: that is done by
    # the council's own secretariat, and an administrator who must step in takes a membership of it
    # (which is audited) rather than acting for every council at once.
    superbruger: bool = True

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
        Kapabilitet("registrere_beslutning", "Registrere myndighedens beslutning om en aftale", PART,
                    superbruger=False),
        Kapabilitet("besvare_hoering_part", "Afgive høringssvar for myndigheden", PART),
    ]
}


@dataclass(frozen=True)
class Tildeling:
    """A row of the capability table: members of these forum kinds (in these roles) get these."""

    forumtyper: frozenset[str]
    kapabiliteter: tuple[str, ...]
    roller: frozenset[str] = frozenset(Rolle.values)
    forum_felt: str = ""  # limits the row to fora with this (boolean) field set, when given
    beskrivelse: str = ""

    def gaelder(self, forum: Forum, rolle: str) -> bool:
        if forum.type not in self.forumtyper or rolle not in self.roller:
            return False
        return not self.forum_felt or bool(getattr(forum, self.forum_felt))


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
        forum_felt="foelger_indikatorer",
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
    # From 1 January 2027 a sundhedsråd does for its area what the cluster's political level did.
    Tildeling(frozenset({ForumType.SUNDHEDSRAAD}),
              (*_KLYNGE_FAELLES, "redigere_lokale_maal", "redigere_lokale_aftaler"),
              beskrivelse="Sundhedsråd (alle roller), for rådets område"),
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


def har(bruger, kode: str, obj: Model | None = None) -> bool:
    """May `bruger` use capability `kode` (on `obj`, for scoped capabilities)?"""
    kap = KAPABILITETER[kode]
    if not bruger.is_authenticated or not bruger.is_active:
        return False
    if bruger.is_superuser and kap.superbruger:
        return True
    if kap.omfang != GLOBAL and obj is None:
        raise ValueError(f"Kapabiliteten {kode} gælder et bestemt objekt; angiv det.")
    if bruger.is_superuser:  # Django's has_perm says yes to superusers: ask guardian without that rule
        return kap.omfang != GLOBAL and objekter(bruger, kode, type(obj).objects.filter(pk=obj.pk)).exists()
    if kap.omfang == GLOBAL:
        return bruger.has_perm(kap.perm)
    return bruger.has_perm(kap.perm, obj)


def objekter(bruger, kode: str, queryset: QuerySet | None = None) -> QuerySet:
    """The scope objects (clusters, authorities, fora) on which `bruger` has capability `kode`."""
    kap = KAPABILITETER[kode]
    if queryset is None:
        queryset = _OMFANG_MODEL[kap.omfang].objects.all()
    if not bruger.is_authenticated or not bruger.is_active:
        return queryset.none()
    if bruger.is_superuser and kap.superbruger:
        return queryset
    return get_objects_for_user(bruger, kap.perm, klass=queryset, accept_global_perms=False, with_superuser=False)


def kraev(bruger, kode: str, obj: Model | None = None) -> None:
    """Raise 404 unless allowed: outsiders must not learn that an object exists."""
    if not har(bruger, kode, obj):
        raise Http404


def er_administrator(bruger) -> bool:
    return har(bruger, "administrere_struktur")


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
        maal = omfangsobjekt(forum, omfang)
        model = _OMFANG_MODEL[omfang]
        # Remove what the group holds on any object of this model but should not.
        for gop in GroupObjectPermission.objects.filter(
            group=gruppe, permission__content_type__app_label="organisation",
            permission__content_type__model=model._meta.model_name,
        ).select_related("permission"):
            skal_vaere = maal is not None and str(maal.pk) == gop.object_pk and gop.permission.codename in onskede
            if not skal_vaere:
                gop.delete()
        if maal is not None:
            for kode in onskede:
                assign_perm(KAPABILITETER[kode].perm, gruppe, maal)


def synkroniser_bruger(bruger, dato: datetime.date | None = None) -> None:
    """Put `bruger` in exactly the forum groups their memberships active on `dato` call for."""
    dato = dato or timezone.localdate()
    # A seat grants nothing before its body is in force (a preparatory sundhedsråd in 2026) or after
    # the body has ended, even if the membership itself was left open.
    medlemskaber = (
        Medlemskab.objects.aktive(dato)
        .filter(person__bruger=bruger, forum__in=Forum.objects.aktive(dato))
        .select_related("forum", "forum__klynge")
    )
    onskede: set[str] = set()
    for m in medlemskaber:
        if kapabiliteter_for(m.forum, m.rolle):
            navn = _gruppenavn(m.forum, m.rolle)
            if not Group.objects.filter(name=navn).exists():
                synkroniser_forum(m.forum)
            onskede.add(navn)
    nuvaerende = set(bruger.groups.filter(name__startswith=_GRUPPE_PREFIX).values_list("name", flat=True))
    if nuvaerende - onskede:
        bruger.groups.remove(*Group.objects.filter(name__in=nuvaerende - onskede))
    if onskede - nuvaerende:
        bruger.groups.add(*Group.objects.filter(name__in=onskede - nuvaerende))
    # Django caches permissions on the user object; a changed membership must take effect now.
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        bruger.__dict__.pop(attr, None)


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
