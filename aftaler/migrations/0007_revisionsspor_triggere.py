"""The database refuses to change (or, on PostgreSQL, delete) transitions, decisions and a forum's
dealings with an agreement: they are the append-only record of who did what, as the frozen
versions are (0002). Application code never updates them; this holds if it ever tried.

SQLite guards updates only, for 0002's reason: Django's test flush on SQLite deletes rows one table
at a time, while on PostgreSQL it uses TRUNCATE, which row triggers do not see. Deletion through
Django is already refused: the version and the recording user are PROTECT, and so is an agreement's
current version (an agreement is never deleted with its history).

Adding a column on SQLite rebuilds the table and drops its triggers (see 0004 and _triggere.py): a
later migration that rebuilds one of these tables must create the trigger again
(tests/sundhed/test_revisionsspor.py fails if it is missing).
"""

from django.db import migrations

from sundhed.migreringer import pr_database

TABELLER = {
    "aftaler_overgang": "Forløbets overgange kan kun tilføjes, ikke ændres eller slettes.",
    "aftaler_godkendelse": "En registreret beslutning kan ikke ændres eller slettes.",
    "aftaler_behandling": "En registreret behandling kan ikke ændres eller slettes.",
}

SQLITE = [
    f"""CREATE TRIGGER {tabel}_kun_tilfoej BEFORE UPDATE ON {tabel}
        FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{besked}'); END"""
    for tabel, besked in TABELLER.items()
]
SQLITE_DROP = [f"DROP TRIGGER {tabel}_kun_tilfoej" for tabel in TABELLER]

POSTGRES = [
    """CREATE FUNCTION aftaler_kun_tilfoej() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION USING MESSAGE = TG_ARGV[0];
       END $$ LANGUAGE plpgsql""",
] + [
    f"""CREATE TRIGGER {tabel}_kun_tilfoej BEFORE UPDATE OR DELETE ON {tabel}
        FOR EACH ROW EXECUTE FUNCTION aftaler_kun_tilfoej('{besked}')"""
    for tabel, besked in TABELLER.items()
]
POSTGRES_DROP = [f"DROP TRIGGER {tabel}_kun_tilfoej ON {tabel}" for tabel in TABELLER] + [
    "DROP FUNCTION aftaler_kun_tilfoej()",
]


class Migration(migrations.Migration):
    dependencies = [("aftaler", "0006_navne_udfyld")]

    operations = [
        migrations.RunPython(
            pr_database({"sqlite": SQLITE, "postgresql": POSTGRES}),
            pr_database({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
