"""Triggers that SQLite loses when a migration rebuilds a table: migrations call these to restore them."""

FROSSEN_SQLITE = """CREATE TRIGGER aftaleversion_frossen_update BEFORE UPDATE ON aftaler_aftaleversion
       FOR EACH ROW WHEN OLD.frossen
       BEGIN SELECT RAISE(ABORT, 'Versionen er frosset og kan ikke ændres.'); END"""


def genskab_sqlite_frossen(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS aftaleversion_frossen_update")
    schema_editor.execute(FROSSEN_SQLITE)
