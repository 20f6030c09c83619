"""Indexes and storage for the public pages with many agreements (issue 9, part 3).

PostgreSQL only (SQLite does not use a partial index for a query whose values are bound parameters,
which is how Django sends them there):

- Partial indexes over the public agreements (`WHERE` repeats aftaler.models.offentlig_q, frozen
  here as every migration is; tests/aftaler/test_offentlig_ydelse.py checks the planner still uses
  them). The list's default order (title) reads the first rows of the first one, and counting the
  list, filtered or not, is an index-only scan of it (the filtered columns are INCLUDEd) instead
  of reading every row of the table. The other three serve the list's other sort orders.
- The search vector is stored in the index row itself (STORAGE MAIN) rather than out of line in
  the TOAST table: ranking a word found in every agreement read each vector from TOAST twice (for
  the match and for ts_rank), six buffers a row. Large texts still go out of line first. The
  existing rows are rewritten so they follow the new storage (`vektor || ''` is the same vector).

Only indexes and a column's storage change: no table with triggers is rebuilt.
"""

from django.db import migrations

from sundhed.migreringer import pr_database

OFFENTLIG = ("(status IN ('indstillet', 'godkendt', 'i_kraft', 'ophaevet') "
             "OR offentliggjort_version_id IS NOT NULL)")
POSTGRES = [
    "CREATE INDEX aftaler_offentlig_titel ON aftaler_samarbejdsaftale (titel, id) INCLUDE "
    f"(status, omfang, klynge_id, indsatsomraade_id, ejer_forum_id, offentliggjort_version_id) WHERE {OFFENTLIG}",
    "CREATE INDEX aftaler_offentlig_ikraft ON aftaler_samarbejdsaftale "
    f"(ikrafttraedelse DESC NULLS LAST, titel, id) WHERE {OFFENTLIG}",
    "CREATE INDEX aftaler_offentlig_indstillet ON aftaler_samarbejdsaftale "
    f"(indstillet_dato DESC NULLS LAST, titel, id) WHERE {OFFENTLIG}",
    f"CREATE INDEX aftaler_offentlig_nyeste ON aftaler_samarbejdsaftale (opdateret DESC, id) WHERE {OFFENTLIG}",
    "ALTER TABLE aftaler_soegeindeks ALTER COLUMN vektor SET STORAGE MAIN",
    "UPDATE aftaler_soegeindeks SET vektor = vektor || ''::tsvector WHERE vektor IS NOT NULL",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS aftaler_offentlig_titel",
    "DROP INDEX IF EXISTS aftaler_offentlig_ikraft",
    "DROP INDEX IF EXISTS aftaler_offentlig_indstillet",
    "DROP INDEX IF EXISTS aftaler_offentlig_nyeste",
    "ALTER TABLE aftaler_soegeindeks ALTER COLUMN vektor SET STORAGE EXTENDED",
]


class Migration(migrations.Migration):
    dependencies = [("aftaler", "0008_soegeord_og_stammer")]

    operations = [
        migrations.RunPython(pr_database({"postgresql": POSTGRES}), pr_database({"postgresql": POSTGRES_DROP})),
    ]
