"""What anyone may read about an agreement, in one place: the public pages, the PDF, the feeds,
the sitemap, search and the open data (CSV/JSON) all read through these functions.

Public agreements are exactly `Samarbejdsaftale.objects.offentlige()`: from `indstillet` on, or
with a published version while a revision is drafted. Which text and which versions are public:

- the text shown (`vist_version`) is the published version when there is one (an agreement in
  force, also while a revision is drafted or decided), otherwise the current version, which from
  `indstillet` on is the frozen, recommended text;
- public versions (`offentlige_versioner`) are the frozen versions numbered up to the newest
  public one: the current version when the state is `indstillet` or later, the published version
  while a revision is in `udkast` or `hoering`. Unfrozen drafts are never public, and neither is
  a version frozen for a revision's consultation (it is newer than the published one).
"""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from aftaler import forloeb as trin
from aftaler.choices import OFFENTLIGE_STATUS, Status
from aftaler.models import AftaleVersion, Bilag, Overgang, Samarbejdsaftale

# The states a public agreement can be filtered by (an agreement under revision counts as in force).
OFFENTLIG_STATUSVALG = [(s.value, s.label) for s in (Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT,
                                                      Status.OPHAEVET)]


def offentlige_aftaler() -> QuerySet[Samarbejdsaftale]:
    return Samarbejdsaftale.objects.offentlige()


def har_gaeldende_version(aftale: Samarbejdsaftale) -> bool:
    """In force with a published version while a newer version is drafted or decided."""
    return aftale.offentliggjort_version_id is not None and aftale.status not in (Status.I_KRAFT, Status.OPHAEVET)


def offentlig_status(aftale: Samarbejdsaftale) -> str:
    """The state the public sees: an agreement under revision is still in force."""
    return Status.I_KRAFT if har_gaeldende_version(aftale) else aftale.status


def traeder_i_kraft_senere(aftale: Samarbejdsaftale, dato: datetime.date | None = None) -> bool:
    """Published (state `i_kraft`) with a date of entry into force still to come. Derived from the
    date on every read, so the agreement is in force on the day without anyone (or any job) acting."""
    return (aftale.status == Status.I_KRAFT and aftale.ikrafttraedelse is not None
            and aftale.ikrafttraedelse > (dato or timezone.localdate()))


def statustekst(aftale: Samarbejdsaftale, status: str | None = None) -> str:
    """The state in words: `status` (default: the public one), or, for an agreement published to
    enter into force later, "Offentliggjort, træder i kraft <dato>"."""
    status = status or offentlig_status(aftale)
    if status == Status.I_KRAFT and traeder_i_kraft_senere(aftale):
        return f"Offentliggjort, træder i kraft {date_format(aftale.ikrafttraedelse, 'DATE_FORMAT')}"
    return Status(status).label



def offentlig_status_q(status: str) -> Q:
    """The filter matching `offentlig_status(aftale) == status` in the database."""
    revision = Q(offentliggjort_version__isnull=False) & ~Q(status__in=[Status.I_KRAFT, Status.OPHAEVET])
    if status == Status.I_KRAFT:
        return Q(status=Status.I_KRAFT) | revision
    return Q(status=status) & ~revision


def revisionstilstand(aftale: Samarbejdsaftale) -> str:
    """'' or what is happening to a newer version of an agreement in force."""
    if not har_gaeldende_version(aftale):
        return ""
    return {Status.INDSTILLET: "indstillet", Status.GODKENDT: "godkendt"}.get(aftale.status, "under_revision")


def vist_version(aftale: Samarbejdsaftale) -> AftaleVersion | None:
    """The text the public reads: the published version, else the (frozen) current one."""
    return aftale.offentliggjort_version or aftale.aktuel_version


def nyeste_offentlige_nummer(aftale: Samarbejdsaftale) -> int:
    """The newest version number the public may read (0 for an agreement that is not public)."""
    if aftale.status in OFFENTLIGE_STATUS and aftale.aktuel_version is not None:
        return aftale.aktuel_version.nummer
    if aftale.offentliggjort_version is not None:
        return aftale.offentliggjort_version.nummer
    return 0


def beslutningsversion(aftale: Samarbejdsaftale) -> AftaleVersion | None:
    """The version whose decisions the public sees: the one recommended or approved last."""
    if aftale.status in OFFENTLIGE_STATUS:
        return aftale.aktuel_version
    return aftale.offentliggjort_version


def ny_version(aftale: Samarbejdsaftale) -> AftaleVersion | None:
    """A recommended or approved version newer than the one in force, if any."""
    if har_gaeldende_version(aftale) and aftale.status in OFFENTLIGE_STATUS:
        return aftale.aktuel_version
    return None


def offentlige_versioner(aftale: Samarbejdsaftale) -> QuerySet[AftaleVersion]:
    """The versions anyone may read (see the module docstring), oldest first."""
    return AftaleVersion.objects.filter(aftale=aftale, frossen=True, nummer__lte=nyeste_offentlige_nummer(aftale))


def med_forrige(versioner: list[AftaleVersion]) -> list[AftaleVersion]:
    """Give each version (newest first) `forrige`: the number of the public version before it."""
    for ny, gammel in zip(versioner, [*versioner[1:], None], strict=True):
        ny.forrige = gammel.nummer if gammel else None
    return versioner


def bilaggraense(aftale: Samarbejdsaftale) -> datetime.datetime | bool:
    """True: all the agreement's attachments are public; a time: those uploaded until then; False:
    none (see offentlige_bilag_q). A query only for an agreement under revision."""
    if aftale.status in OFFENTLIGE_STATUS:
        return True
    graense = (Overgang.objects.filter(aftale=aftale, fra_status__in=OFFENTLIGE_STATUS, til_status=Status.UDKAST)
               .order_by("-tidspunkt").values_list("tidspunkt", flat=True).first())
    return False if graense is None else graense


def offentlige_bilag_q(aftale: Samarbejdsaftale) -> Q:
    """Which of the agreement's attachments belong to its public versions. While a revision is
    drafted (or in consultation), files added after the agreement last left a public state belong
    to the draft and are not public; an agreement that was never public has no public attachments."""
    graense = bilaggraense(aftale)
    if graense is True:
        return Q()
    return Q(uploadet__lte=graense) if graense else Q(pk__in=[])


def offentlige_bilag(aftale: Samarbejdsaftale) -> list[Bilag]:
    """Attachments of the public versions (offentlige_bilag_q)."""
    return list(Bilag.objects.filter(aftale=aftale).filter(offentlige_bilag_q(aftale))
                .only("titel", "filnavn", "indholdstype", "stoerrelse", "uploadet", "aftale_id"))


def forloeb(aftale: Samarbejdsaftale) -> list[dict]:
    """The step indicator as the public see it (aftaler.forloeb.trin on the public state)."""
    return trin.trin(offentlig_status(aftale), ikrafttraedelse=aftale.ikrafttraedelse, i_dag=timezone.localdate())

