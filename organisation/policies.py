"""Who may do what to the structure and its meetings, on top of the capability engine (sundhed.permissions)."""

from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from organisation.choices import Rolle
from organisation.models import OFFENTLIGE_MOEDESTATUS, Forum, Medlemskab, Moede
from sundhed import permissions


def kan_aendre_struktur(bruger) -> bool:
    """Structure changes (and the structure's admin) are for the secretariat and administrators."""
    return permissions.har(bruger, "administrere_struktur")


# --- meetings ---------------------------------------------------------------------------------------
#
# The secretariat (it maintains the structure or edits every agreement) plans every forum's meetings;
# a forum's own secretary (an active membership in the role `sekretaer`) plans that forum's. The public
# sees a meeting once its agenda is published (or it is cancelled); a planner sees everything.

_SEKRETARIATETS = ("administrere_struktur", "redigere_alle_aftaler")


def planlaegger_alle_moeder(bruger) -> bool:
    return any(permissions.har(bruger, kode) for kode in _SEKRETARIATETS)


def planlaegbare_fora(bruger) -> QuerySet[Forum]:
    """The fora whose meetings `bruger` may plan (empty for the public)."""
    if not bruger.is_authenticated or not bruger.is_active:
        return Forum.objects.none()
    if planlaegger_alle_moeder(bruger):
        return Forum.objects.all()
    sekretaer_i = Medlemskab.objects.aktive().filter(person__bruger=bruger, rolle=Rolle.SEKRETAER).values("forum_id")
    return Forum.objects.filter(pk__in=sekretaer_i)


def kan_planlaegge_moeder(bruger, forum: Forum | None) -> bool:
    """May `bruger` plan meetings of `forum`, write their agendas and minutes and run their transitions?"""
    if forum is None or not bruger.is_authenticated or not bruger.is_active:
        return False
    return planlaegger_alle_moeder(bruger) or planlaegbare_fora(bruger).filter(pk=forum.pk).exists()


def offentlige_moeder_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OFFENTLIGE_MOEDESTATUS})


def synlige_moeder(bruger, queryset: QuerySet[Moede] | None = None) -> QuerySet[Moede]:
    """The meetings `bruger` may read: public ones, and every meeting of the fora they plan."""
    queryset = Moede.objects.all() if queryset is None else queryset
    if not bruger.is_authenticated or not bruger.is_active:
        return queryset.filter(offentlige_moeder_q())
    if planlaegger_alle_moeder(bruger):
        return queryset
    return queryset.filter(offentlige_moeder_q() | Q(forum__in=planlaegbare_fora(bruger)))


def planlaegbare_moeder(bruger, queryset: QuerySet[Moede] | None = None) -> QuerySet[Moede]:
    """The meetings `bruger` may plan, in every state."""
    queryset = Moede.objects.all() if queryset is None else queryset
    if planlaegger_alle_moeder(bruger):
        return queryset
    return queryset.filter(forum__in=planlaegbare_fora(bruger))


def moede_eller_404(bruger, queryset: QuerySet[Moede] | None = None, **lookup) -> Moede:
    """The meeting, or 404 for one `bruger` may not read (as if it did not exist)."""
    moede = synlige_moeder(bruger, queryset).filter(**lookup).first()
    if moede is None:
        raise Http404("Mødet findes ikke.")
    return moede


# --- the personal calendar (/arbejde/kalender/) -------------------------------------------------------
#
# Every active user may have a calendar address. It holds the meetings of the fora the user sat in on the
# meeting's day (a membership valid that day, so a seat that ended takes its later meetings with it), in
# every state: a member is among those who meet, so a planned meeting is theirs before its agenda is
# public. It carries the meeting only (time, place, title), never an item (organisation/ical.py).


def kan_have_kalender(bruger) -> bool:
    return bruger.is_authenticated and bruger.is_active


def kalendermoeder(bruger, queryset: QuerySet[Moede] | None = None) -> QuerySet[Moede]:
    """The meetings of `bruger`'s personal calendar (none for an inactive or anonymous user)."""
    queryset = Moede.objects.all() if queryset is None else queryset
    if not kan_have_kalender(bruger):
        return queryset.none()
    dag = TruncDate("start", tzinfo=ZoneInfo("Europe/Copenhagen"))
    sad_i_forummet = Medlemskab.objects.filter(
        person__bruger=bruger, forum=OuterRef("forum"), valid_from__lte=OuterRef("dag"),
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("dag")))
    return queryset.annotate(dag=dag).filter(Exists(sad_i_forummet))
