"""The database refuses to change or delete a frozen version (or to unfreeze one).

A frozen version is what a forum discussed or the councils approved; if application code
ever tried to alter it, the database must say no. SQLite and PostgreSQL both get a trigger.
"""

from django.db import migrations

from sundhed.migreringer import pr_database

SQLITE = [
    """CREATE TRIGGER aftaleversion_frossen_update BEFORE UPDATE ON aftaler_aftaleversion
       FOR EACH ROW WHEN OLD.frossen
       BEGIN SELECT RAISE(ABORT, 'Versionen er frosset og kan ikke ændres.'); END""",
]
# Only updates on SQLite: Django's test flush on SQLite deletes rows one table at a time, and the
# PROTECT foreign keys from decisions and transitions already keep frozen versions from deletion.
SQLITE_DROP = ["DROP TRIGGER aftaleversion_frossen_update"]

POSTGRES = [
    """CREATE FUNCTION aftaleversion_frossen() RETURNS trigger AS $$
       BEGIN
         IF OLD.frossen THEN
           RAISE EXCEPTION 'Versionen er frosset og kan ikke ændres.';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER aftaleversion_frossen BEFORE UPDATE OR DELETE ON aftaler_aftaleversion
       FOR EACH ROW EXECUTE FUNCTION aftaleversion_frossen()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER aftaleversion_frossen ON aftaler_aftaleversion",
    "DROP FUNCTION aftaleversion_frossen()",
]


class Migration(migrations.Migration):
    dependencies = [("aftaler", "0001_initial")]

    operations = [
        migrations.RunPython(
            pr_database({"sqlite": SQLITE, "postgresql": POSTGRES}),
            pr_database({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
