"""Who may do what to the structure and its meetings, on top of the capability engine (sundhed.permissions)."""

from django.db.models import Q, QuerySet
from django.http import Http404

from organisation.choices import Rolle
from organisation.models import OFFENTLIGE_MOEDESTATUS, Forum, Medlemskab, Moede
from sundhed import permissions


def kan_aendre_struktur(user) -> bool:
    """Structure changes (and the structure's admin) are for the secretariat and administrators."""
    return permissions.har(user, "administrere_struktur")


# --- meetings ---------------------------------------------------------------------------------------
#
# The secretariat (it maintains the structure or edits every agreement) plans every forum's meetings;
# a forum's own secretary (an active membership in the role `sekretaer`) plans that forum's. The public
# sees a meeting once its agenda is published (or it is cancelled); a planner sees everything.

_SEKRETARIATETS = ("administrere_struktur", "redigere_alle_aftaler")


def planlaegger_alle_moeder(user) -> bool:
    return any(permissions.har(user, kode) for kode in _SEKRETARIATETS)


def planlaegbare_fora(user) -> QuerySet[Forum]:
    """The fora whose meetings `user` may plan (empty for the public)."""
    if not user.is_authenticated or not user.is_active:
        return Forum.objects.none()
    if planlaegger_alle_moeder(user):
        return Forum.objects.all()
    sekretaer_i = Medlemskab.objects.aktive().filter(person__bruger=user, rolle=Rolle.SEKRETAER).values("forum_id")
    return Forum.objects.filter(pk__in=sekretaer_i)


def kan_planlaegge_moeder(user, forum: Forum | None) -> bool:
    """May `user` plan meetings of `forum`, write their agendas and minutes and run their transitions?"""
    if forum is None or not user.is_authenticated or not user.is_active:
        return False
    return planlaegger_alle_moeder(user) or planlaegbare_fora(user).filter(pk=forum.pk).exists()


def offentlige_moeder_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OFFENTLIGE_MOEDESTATUS})


def synlige_moeder(user, queryset: QuerySet[Moede] | None = None) -> QuerySet[Moede]:
    """The meetings `user` may read: public ones, and every meeting of the fora they plan."""
    queryset = Moede.objects.all() if queryset is None else queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.filter(offentlige_moeder_q())
    if planlaegger_alle_moeder(user):
        return queryset
    return queryset.filter(offentlige_moeder_q() | Q(forum__in=planlaegbare_fora(user)))


def planlaegbare_moeder(user, queryset: QuerySet[Moede] | None = None) -> QuerySet[Moede]:
    """The meetings `user` may plan, in every state."""
    queryset = Moede.objects.all() if queryset is None else queryset
    if planlaegger_alle_moeder(user):
        return queryset
    return queryset.filter(forum__in=planlaegbare_fora(user))


def moede_eller_404(user, queryset: QuerySet[Moede] | None = None, **lookup) -> Moede:
    """The meeting, or 404 for one `user` may not read (as if it did not exist)."""
    moede = synlige_moeder(user, queryset).filter(**lookup).first()
    if moede is None:
        raise Http404("Mødet findes ikke.")
    return moede
