"""Where an audit row came from: the client's address and browser (sundhed.kilde), and an index for the
audit page's filter by kind (issue 12, item 6).

On SQLite, adding a column with a default rebuilds the table, and the rebuilt table has lost the trigger
of 0004 that refuses updates: it is created again here (on PostgreSQL the column is added in place and
the trigger stays).
"""

from django.conf import settings
from django.db import migrations, models

from sundhed.migreringer import pr_database

BESKED = "Hændelsesloggen kan kun tilføjes, ikke ændres eller slettes."

SQLITE = [
    "DROP TRIGGER IF EXISTS sundhed_haendelse_kun_tilfoej",
    f"""CREATE TRIGGER sundhed_haendelse_kun_tilfoej BEFORE UPDATE ON sundhed_haendelse
        FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{BESKED}'); END""",
]


class Migration(migrations.Migration):

    dependencies = [
        ("sundhed", "0005_udbakke_notifikationer_abonnementer"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Backwards, the column's removal rebuilds the table once more: the trigger is made again after
        # it (this operation's reverse runs last), so 0004's reverse finds the trigger it drops.
        migrations.RunPython(migrations.RunPython.noop, pr_database({"sqlite": SQLITE})),
        migrations.AddField(
            model_name="haendelse",
            name="brugeragent",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="browser"),
        ),
        migrations.AddField(
            model_name="haendelse",
            name="ip",
            field=models.GenericIPAddressField(blank=True, null=True, verbose_name="IP-adresse"),
        ),
        migrations.AddIndex(
            model_name="haendelse",
            index=models.Index(fields=["handling", "tidspunkt"], name="sundhed_hae_handlin_idx"),
        ),
        migrations.RunPython(pr_database({"sqlite": SQLITE}), migrations.RunPython.noop),
    ]
