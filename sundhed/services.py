"""Cross-app services: the audit log."""

from django.db.models import Model

from sundhed.models import Haendelse


def haendelse_registrer(*, bruger, handling: str, objekt: Model, beskrivelse: str = "", data=None) -> Haendelse:
    """Append an audit row; call inside the transaction of the write it records."""
    return Haendelse.objects.create(
        bruger=bruger if bruger is not None and bruger.is_authenticated else None,
        handling=handling,
        objekt_type=objekt._meta.label_lower,
        objekt_id=str(objekt.pk),
        beskrivelse=(beskrivelse or str(objekt))[:500],
        data=data or {},
    )
