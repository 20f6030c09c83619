"""Fill the name snapshots (0005) on rows written before them.

The name is the one sundhed.services.navn_paa gives: the person's name if the user has a person,
else the user's full name, else the username. Runs before the database starts refusing changes
to the record rows (0007).
"""

from django.conf import settings
from django.db import migrations

# (model, reference to the user, name snapshot)
FELTER = [
    ("Overgang", "bruger", "bruger_navn"),
    ("Behandling", "registreret_af", "registreret_af_navn"),
    ("Godkendelse", "registreret_af", "registreret_af_navn"),
    ("Hoeringssvar", "afgivet_af", "afgivet_af_navn"),
    ("Implementering", "opdateret_af", "opdateret_af_navn"),
    ("Proevehandling", "registreret_af", "registreret_af_navn"),
]


def _navne(apps) -> dict:
    """user id -> name, as navn_paa gives it (historical models have no get_full_name)."""
    personer = dict(apps.get_model("organisation", "Person").objects.filter(bruger__isnull=False)
                    .values_list("bruger_id", "navn"))
    navne = {}
    for pk, brugernavn, fornavn, efternavn in apps.get_model(settings.AUTH_USER_MODEL).objects.values_list(
            "pk", "username", "first_name", "last_name"):
        navn = (personer.get(pk) or "").strip() or f"{fornavn} {efternavn}".strip() or brugernavn
        navne[pk] = navn[:200]
    return navne


def udfyld(apps, schema_editor):
    navne = _navne(apps)
    for model_navn, fk, felt in FELTER:
        model = apps.get_model("aftaler", model_navn)
        brugere = (model.objects.filter(**{f"{fk}__isnull": False, felt: ""})
                   .values_list(f"{fk}_id", flat=True).distinct())
        for bruger_id in list(brugere):
            model.objects.filter(**{f"{fk}_id": bruger_id, felt: ""}).update(**{felt: navne[bruger_id]})


class Migration(migrations.Migration):
    dependencies = [("aftaler", "0005_navne_og_beskyttelse")]

    operations = [migrations.RunPython(udfyld, migrations.RunPython.noop)]
