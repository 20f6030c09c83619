"""A forgiving public search (aftaler.search): the words of the public text, for "Mente du …?" on
both databases and for Danish stemming on SQLite.

`Soegeord`: the words of the public agreements, with their Danish stem. On PostgreSQL the folded
word has a trigram GiST index (pg_trgm, created here) so the closest words are found by
`foldet <-> 'query'` from the index (KNN) without a similarity threshold; on SQLite a B-tree index
serves the fallback, which reads the words with the same first letter. `Ordforekomst` (SQLite
only): which agreement holds which word. No existing table changes (none with triggers is touched).

The rows indexed before this migration have no words: they are marked out of date, so the first
search after it (or `manage.py soegeindeks --kun-aendrede`) indexes them again.
"""

import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

POSTGRES = ["CREATE INDEX aftaler_soegeord_foldet_trgm ON aftaler_soegeord USING gist (foldet gist_trgm_ops)"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS aftaler_soegeord_foldet_trgm"]
SQLITE = ["CREATE INDEX aftaler_soegeord_foldet ON aftaler_soegeord (foldet)"]
SQLITE_DROP = ["DROP INDEX IF EXISTS aftaler_soegeord_foldet"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Trigramudvidelse(TrigramExtension):
    """pg_trgm on PostgreSQL (nothing on SQLite). Going back leaves the extension in place: Django's
    reverse asks pg_extension on any database (an error on SQLite), and dropping an extension that
    something else may use is not this migration's business."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def marker_foraeldet(apps, schema_editor):
    """Mark every index row out of date, and forget when the index was last synchronised
    (search.synkroniser_ved_aendring keeps that in the cache, which outlives a deploy on Redis), so
    the first search after the deploy indexes the rows again with their words."""
    import datetime

    from django.core.cache import cache

    Soegeindeks = apps.get_model("aftaler", "Soegeindeks")
    Soegeindeks.objects.update(opdateret=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    try:
        cache.delete("soegeindeks-synkroniseret")
    except Exception:  # noqa: BLE001 - a cache that is down must not stop the migration
        pass  # then `manage.py soegeindeks --kun-aendrede` (or the next change) catches up


class Migration(migrations.Migration):
    dependencies = [("aftaler", "0007_revisionsspor_triggere")]

    operations = [
        Trigramudvidelse(),
        migrations.CreateModel(
            name="Soegeord",
            fields=[
                ("ord", models.CharField(max_length=60, primary_key=True, serialize=False)),
                ("foldet", models.CharField(max_length=60)),
                ("laengde", models.PositiveSmallIntegerField(help_text="Længden af det foldede ord.")),
                ("stamme", models.CharField(help_text="Den foldede danske ordstamme (search.stamme).",
                                            max_length=60)),
            ],
            options={
                "verbose_name": "søgeord",
                "verbose_name_plural": "søgeord",
                "indexes": [models.Index(fields=["stamme"], name="aftaler_soegeord_stamme")],
            },
        ),
        migrations.CreateModel(
            name="Ordforekomst",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("aftale", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                             to="aftaler.samarbejdsaftale")),
                ("soegeord", models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.DO_NOTHING,
                                               related_name="forekomster", to="aftaler.soegeord")),
            ],
            options={
                "verbose_name": "ordforekomst",
                "verbose_name_plural": "ordforekomster",
                "constraints": [models.UniqueConstraint(fields=("soegeord", "aftale"), name="ordforekomst_unik")],
            },
        ),
        migrations.RunPython(_run({"postgresql": POSTGRES, "sqlite": SQLITE}),
                             _run({"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})),
        migrations.RunPython(marker_foraeldet, migrations.RunPython.noop),
    ]
