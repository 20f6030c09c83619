"""Fill the name snapshot (0002) on audit rows written before it, before the database starts
refusing changes to them (0004).

The name is the one sundhed.services.navn_paa gives: the person's name if the user has a person,
else the user's full name, else the username. Persons live in organisation: this migration reads
them through the migration state only, the core still imports no app.
"""

from django.conf import settings
from django.db import migrations


def udfyld(apps, schema_editor):
    personer = dict(apps.get_model("organisation", "Person").objects.filter(bruger__isnull=False)
                    .values_list("bruger_id", "navn"))
    Haendelse = apps.get_model("sundhed", "Haendelse")
    brugere = apps.get_model(settings.AUTH_USER_MODEL).objects.filter(
        pk__in=Haendelse.objects.filter(bruger__isnull=False, bruger_navn="").values("bruger_id"))
    for pk, brugernavn, fornavn, efternavn in brugere.values_list("pk", "username", "first_name", "last_name"):
        navn = (personer.get(pk) or "").strip() or f"{fornavn} {efternavn}".strip() or brugernavn
        Haendelse.objects.filter(bruger_id=pk, bruger_navn="").update(bruger_navn=navn[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("sundhed", "0002_haendelse_bruger_navn"),
        ("organisation", "0001_initial"),
    ]

    operations = [migrations.RunPython(udfyld, migrations.RunPython.noop)]
