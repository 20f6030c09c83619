"""A helper the migrations share: SQL that differs between SQLite and PostgreSQL (triggers, indexes)."""

from collections.abc import Callable


def pr_database(sql_pr_database: dict[str, list[str]]) -> Callable:
    """A RunPython function running the statements written for the migrating database's vendor
    ("sqlite", "postgresql"); a vendor without statements gets none."""

    def koer(apps, schema_editor):
        for sql in sql_pr_database.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return koer
