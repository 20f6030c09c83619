"""The public search index: one row per public agreement, holding only its public text.

Kept in its own table (and module) so the search can change without touching the agreement
itself; aftaler.search writes it, aftaler.tasks_offentlig keeps it current. A draft never has a
row, and an agreement under revision is indexed with its published version only.

The vocabulary for "Mente du …?" (`Soegeord`, `Ordforekomst`) is written with the index rows from
the same public text, so a word of a draft is never in it.
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


class Soegeord(models.Model):
    """A word of the public agreements' titles, summaries and texts, as written (case-folded), for
    "Mente du …?" and, on SQLite, to find the agreements holding a word with a given Danish stem.
    Written only from index rows, so never a word of a draft. A word that leaves the public text
    stays until the index is rebuilt (search.indeks_genopbyg); search.forslag never offers a word
    whose search finds nothing."""

    ord = models.CharField(max_length=60, primary_key=True)
    # search.fold(ord): what a query word is compared with. Indexed by migration 0008: a trigram
    # GiST index on PostgreSQL, a B-tree on SQLite.
    foldet = models.CharField(max_length=60)
    laengde = models.PositiveSmallIntegerField(help_text="Længden af det foldede ord.")
    stamme = models.CharField(max_length=60, help_text="Den foldede danske ordstamme (search.stamme).")

    class Meta:
        verbose_name = "søgeord"
        verbose_name_plural = "søgeord"
        indexes = [models.Index(fields=["stamme"], name="aftaler_soegeord_stamme")]

    def __str__(self) -> str:
        return self.ord


class Ordforekomst(models.Model):
    """SQLite only: that a public agreement's indexed text holds a word (an inverted index),
    written and removed with its `Soegeindeks` row. The SQLite search finds the agreements with a
    word of a given stem here, and the suggestions offer only words some index row holds.
    PostgreSQL stems in its search vectors and leaves this table empty."""

    aftale = models.ForeignKey("aftaler.Samarbejdsaftale", on_delete=models.CASCADE, related_name="+")
    # DO_NOTHING: words are deleted only after every occurrence (search.indeks_genopbyg).
    # (The unique constraint's index serves lookups by word.)
    soegeord = models.ForeignKey(Soegeord, on_delete=models.DO_NOTHING, related_name="forekomster", db_index=False)

    class Meta:
        verbose_name = "ordforekomst"
        verbose_name_plural = "ordforekomster"
        constraints = [models.UniqueConstraint(fields=["soegeord", "aftale"], name="ordforekomst_unik")]

    def __str__(self) -> str:
        return f"{self.soegeord_id} i {self.aftale_id}"


class Soegerang(models.Model):
    """PostgreSQL only: for each word (lexeme) of an index row's search vector, the rank a search for
    that word alone gives the agreement (ts_rank of the row's vector, as the search computes it) and
    the title it is ordered by next. Written and removed with the `Soegeindeks` row (aftaler.search).

    A search for one word among every public agreement, ordered by relevance (the usual search), then
    reads one page of an index on (leksem, rang DESC, titel, aftale) and counts the word's rows,
    instead of matching and ranking every search vector: a word found in every agreement no longer
    costs a rank per agreement. Any other search (several words, a phrase, filters, another order)
    matches and ranks the vectors as before. SQLite leaves the table empty."""

    pk = models.CompositePrimaryKey("aftale", "leksem")
    # (The primary key's index, which begins with the agreement, serves its removal.)
    aftale = models.ForeignKey(Soegeindeks, on_delete=models.CASCADE, related_name="+", db_index=False)
    leksem = models.TextField()
    rang = models.FloatField()
    titel = models.CharField(max_length=250)

    class Meta:
        verbose_name = "søgerang"
        verbose_name_plural = "søgerang"
        indexes = [
            # One page of a word's agreements in the search's order.
            models.Index("leksem", models.F("rang").desc(), "titel", "aftale", name="aftaler_soegerang_side"),
            # Their number: a word's entries in a narrow index (deduplicated into one posting list).
            models.Index(fields=["leksem"], name="aftaler_soegerang_leksem"),
        ]

    def __str__(self) -> str:
        return f"{self.leksem} i {self.aftale_id}"
