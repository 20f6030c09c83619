"""Every write to the structure goes through here: validate, save, audit, re-sync permissions."""

from django.db import transaction
from django.db.models import Model

from organisation.models import Forum, Klynge, Medlemskab, Part, Person
from sundhed import permissions
from sundhed.exceptions import DomainError
from sundhed.services import haendelse_registrer


def _geografi_slug_fri(obj: Model) -> None:
    """Geography slugs are unique across parties and clusters (DESIGN.md): 'aarhus' is one place."""
    if isinstance(obj, Part) and Klynge.objects.filter(slug=obj.slug).exists():
        raise DomainError(f"Kortnavnet '{obj.slug}' bruges allerede af en klynge.", field="slug")
    if isinstance(obj, Klynge) and Part.objects.filter(slug=obj.slug).exists():
        raise DomainError(f"Kortnavnet '{obj.slug}' bruges allerede af en part.", field="slug")


@transaction.atomic
def struktur_gem(*, obj: Model, bruger) -> Model:
    """Create or update a structure object (Part, Klynge, Forum, Person, Medlemskab, Moede ...)."""
    ny = obj.pk is None
    _geografi_slug_fri(obj)
    obj.full_clean()
    obj.save()
    haendelse_registrer(bruger=bruger, handling="oprettet" if ny else "aendret", objekt=obj)
    _synkroniser_efter(obj)
    return obj


@transaction.atomic
def struktur_m2m_gem(*, obj: Model, felt: str, vaerdier, bruger) -> None:
    """Set a many-to-many field (a cluster's municipalities) with its audit row."""
    getattr(obj, felt).set(vaerdier)
    haendelse_registrer(bruger=bruger, handling="aendret", objekt=obj, data={felt: [str(v.pk) for v in vaerdier]})


@transaction.atomic
def struktur_slet(*, obj: Model, bruger) -> None:
    """Delete a structure object. Bodies that have ended are archived (valid_to), not deleted."""
    berorte = _berorte_brugere(obj)
    haendelse_registrer(bruger=bruger, handling="slettet", objekt=obj)
    obj.delete()
    for user in berorte:
        permissions.synkroniser_bruger(user)


def _berorte_brugere(obj: Model) -> list:
    if isinstance(obj, Medlemskab):
        return [obj.person.bruger] if obj.person.bruger_id else []
    if isinstance(obj, Person):
        return [obj.bruger] if obj.bruger_id else []
    if isinstance(obj, Forum):
        from django.contrib.auth import get_user_model

        return list(get_user_model().objects.filter(person__medlemskaber__forum=obj).distinct())
    return []


def _synkroniser_efter(obj: Model) -> None:
    if isinstance(obj, Forum):
        permissions.synkroniser_forum(obj)
    if isinstance(obj, Forum | Medlemskab | Person):
        for user in _berorte_brugere(obj):
            permissions.synkroniser_bruger(user)


def medlemskab_opret(*, person: Person, forum: Forum, rolle: str, bruger, repraesenterer: Part | None = None,
                     valid_from=None, valid_to=None) -> Medlemskab:
    """Seat a person in a forum; their capabilities follow at once."""
    m = Medlemskab(person=person, forum=forum, rolle=rolle, repraesenterer=repraesenterer, valid_to=valid_to)
    if valid_from is not None:
        m.valid_from = valid_from
    return struktur_gem(obj=m, bruger=bruger)
