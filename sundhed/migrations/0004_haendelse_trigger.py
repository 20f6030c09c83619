"""The database refuses to change (or, on PostgreSQL, delete) a row of the audit log.

The same pattern as aftaler 0002 and 0007: SQLite guards updates only, because Django's test flush
on SQLite deletes rows one table at a time (on PostgreSQL it uses TRUNCATE, which row triggers do not
see). Deleting a user who appears in the log is already refused by PROTECT.
"""

from django.db import migrations

from sundhed.migreringer import pr_database

BESKED = "Hændelsesloggen kan kun tilføjes, ikke ændres eller slettes."

SQLITE = [
    f"""CREATE TRIGGER sundhed_haendelse_kun_tilfoej BEFORE UPDATE ON sundhed_haendelse
        FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{BESKED}'); END""",
]
SQLITE_DROP = ["DROP TRIGGER sundhed_haendelse_kun_tilfoej"]

POSTGRES = [
    f"""CREATE FUNCTION sundhed_haendelse_kun_tilfoej() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{BESKED}';
        END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER sundhed_haendelse_kun_tilfoej BEFORE UPDATE OR DELETE ON sundhed_haendelse
       FOR EACH ROW EXECUTE FUNCTION sundhed_haendelse_kun_tilfoej()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER sundhed_haendelse_kun_tilfoej ON sundhed_haendelse",
    "DROP FUNCTION sundhed_haendelse_kun_tilfoej()",
]


class Migration(migrations.Migration):
    dependencies = [("sundhed", "0003_haendelse_navne_udfyld")]

    operations = [
        migrations.RunPython(
            pr_database({"sqlite": SQLITE, "postgresql": POSTGRES}),
            pr_database({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
