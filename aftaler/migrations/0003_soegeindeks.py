"""The public search index (aftaler.models_soeg.Soegeindeks).

On PostgreSQL the search vector is a `tsvector` with a GIN index (Danish full-text search);
on SQLite the column is plain text and stays empty: the search there reads the folded words.
The GIN index is created by SQL for PostgreSQL only, so SQLite never sees it.

Two indexes for the public pages on tables of aftaler.models, made here by SQL (the models do
not declare them): the list's default order (title) and the feed's order (newest transition
first) then read the first rows of an index instead of sorting every agreement or transition.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from sundhed.migreringer import pr_database

import aftaler.models_soeg

OFFENTLIGE_INDEKSER = [
    "CREATE INDEX aftaler_samarbejdsaftale_titel_id ON aftaler_samarbejdsaftale (titel, id)",
    "CREATE INDEX aftaler_overgang_tidspunkt_id ON aftaler_overgang (tidspunkt, id)",
]
OFFENTLIGE_INDEKSER_DROP = [
    "DROP INDEX IF EXISTS aftaler_samarbejdsaftale_titel_id",
    "DROP INDEX IF EXISTS aftaler_overgang_tidspunkt_id",
]
POSTGRES = ["CREATE INDEX aftaler_soegeindeks_vektor_gin ON aftaler_soegeindeks USING gin (vektor)",
            *OFFENTLIGE_INDEKSER]
POSTGRES_DROP = ["DROP INDEX IF EXISTS aftaler_soegeindeks_vektor_gin", *OFFENTLIGE_INDEKSER_DROP]


class Migration(migrations.Migration):
    dependencies = [("aftaler", "0002_frossen_version_trigger")]

    operations = [
        migrations.CreateModel(
            name="Soegeindeks",
            fields=[
                ("aftale", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                                related_name="soegeindeks", serialize=False,
                                                to="aftaler.samarbejdsaftale")),
                ("version_nummer", models.PositiveIntegerField(blank=True, null=True)),
                ("titel", models.CharField(max_length=250)),
                ("resume", models.TextField(blank=True)),
                ("tekst", models.TextField(blank=True, help_text="Versionens tekst uden HTML.")),
                ("foldet_titel", models.TextField(blank=True)),
                ("foldet", models.TextField(blank=True)),
                ("vektor", aftaler.models_soeg.Soegevektor(blank=True, null=True)),
                ("opdateret", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "søgeindeks", "verbose_name_plural": "søgeindeks"},
        ),
        migrations.RunPython(pr_database({"postgresql": POSTGRES, "sqlite": OFFENTLIGE_INDEKSER}),
                             pr_database({"postgresql": POSTGRES_DROP, "sqlite": OFFENTLIGE_INDEKSER_DROP})),
    ]
