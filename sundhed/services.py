"""Cross-app services: the audit log, and closing or deleting user accounts."""

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Model, ProtectedError

from sundhed import kilde
from sundhed.exceptions import DomainError
from sundhed.models import NAVN_LAENGDE, Haendelse


def navn_paa(bruger) -> str:
    """The name to keep on a record row: the person's name if the user has a person (organisation),
    else the user's full name, else the username; empty for nobody.

    Records keep this snapshot beside their reference to the user, so they still say who acted
    after the person is renamed, leaves, or the reference is gone."""
    if bruger is None or not bruger.is_authenticated:
        return ""
    try:
        # The reverse one-to-one from organisation.Person; read by name, so the core imports no app.
        person = bruger.person
    except ObjectDoesNotExist:
        person = None
    navn = (person.navn.strip() if person is not None else "") or bruger.get_full_name().strip()
    return (navn or bruger.get_username())[:NAVN_LAENGDE]


def haendelse_registrer(*, bruger, handling: str, objekt: Model, beskrivelse: str = "", data=None) -> Haendelse:
    """Append an audit row; call inside the transaction of the write it records. The request's source
    (address, browser) comes from sundhed.kilde, so services need not pass the request."""
    return Haendelse.objects.create(
        bruger=bruger if bruger is not None and bruger.is_authenticated else None,
        bruger_navn=navn_paa(bruger),
        handling=handling,
        objekt_type=objekt._meta.label_lower,
        objekt_id=str(objekt.pk),
        beskrivelse=(beskrivelse or str(objekt))[:500],
        data=data or {},
        **kilde.nuvaerende().felter(),
    )


def _konto(konto) -> tuple[str, dict]:
    """How the audit row names an account: its text and its data."""
    navn, brugernavn = navn_paa(konto), konto.get_username()
    return (navn if navn == brugernavn else f"{navn} ({brugernavn})"), {"brugernavn": brugernavn, "navn": navn}


@transaction.atomic
def bruger_deaktiver(*, bruger, konto) -> None:
    """Close an account (an administrator's other changes to it in the same form are saved with it).

    This, not deletion, is how someone leaves the portal: the account can no longer sign in or use
    the API, and the decisions, transitions and audit rows it wrote keep pointing at it."""
    konto.is_active = False
    konto.save()
    tekst, data = _konto(konto)
    haendelse_registrer(bruger=bruger, handling="bruger_deaktiveret", objekt=konto,
                        beskrivelse=f"Brugeren {tekst} er deaktiveret.", data=data)


@transaction.atomic
def bruger_genaktiver(*, bruger, konto) -> None:
    """Open a closed account again (saving the administrator's other changes with it)."""
    konto.is_active = True
    konto.save()
    tekst, data = _konto(konto)
    haendelse_registrer(bruger=bruger, handling="bruger_genaktiveret", objekt=konto,
                        beskrivelse=f"Brugeren {tekst} er aktiveret igen.", data=data)


@transaction.atomic
def bruger_slet(*, bruger, konto) -> None:
    """Delete an account that has recorded nothing. The rows of one that has refer to it with
    PROTECT, so the deletion is refused: close it with `bruger_deaktiver` instead."""
    if bruger is not None and konto.pk == bruger.pk:
        # The audit row of the deletion names the one who deletes.
        raise DomainError("Du kan ikke slette din egen bruger.")
    tekst, data = _konto(konto)
    haendelse_registrer(bruger=bruger, handling="bruger_slettet", objekt=konto,
                        beskrivelse=f"Brugeren {tekst} er slettet.", data=data)
    try:
        konto.delete()
    except ProtectedError as exc:
        raise DomainError(f"Brugeren {tekst} har registreret beslutninger, overgange eller hændelser og kan "
                          "ikke slettes. Deaktivér brugeren i stedet.") from exc
