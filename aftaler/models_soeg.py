"""The public search index: one row per public agreement, holding only its public text.

Kept in its own table (and module) so the search can change without touching the agreement
itself; aftaler.search writes it, aftaler.tasks_offentlig keeps it current. A draft never has a
row, and an agreement under revision is indexed with its published version only.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class Soegevektor(SearchVectorField):
    """A `tsvector` on PostgreSQL (GIN-indexed by migration 0003); plain text on SQLite, where the
    column stays empty and the search reads `Soegeindeks.foldet` instead."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class Soegeindeks(models.Model):
    """What the public search reads for one agreement: its title, summary and the text of the
    version the public sees, as a Danish search vector (PostgreSQL) and as folded words (SQLite)."""

    aftale = models.OneToOneField(
        "aftaler.Samarbejdsaftale", on_delete=models.CASCADE, primary_key=True, related_name="soegeindeks",
    )
    version_nummer = models.PositiveIntegerField(null=True, blank=True)
    titel = models.CharField(max_length=250)
    resume = models.TextField(blank=True)
    tekst = models.TextField(blank=True, help_text="Versionens tekst uden HTML.")
    # " " + the folded words + " ": a word prefix is then a substring that starts after a space.
    foldet_titel = models.TextField(blank=True)
    foldet = models.TextField(blank=True)
    vektor = Soegevektor(null=True, blank=True)
    opdateret = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "søgeindeks"
        verbose_name_plural = "søgeindeks"

    def __str__(self) -> str:
        return self.titel
