"""Indicators of the health agreement, their measurements per geography and period, imports and reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from indikatorer.choices import BatchKilde, BatchStatus, Frekvens, GeografiType, RapportStatus, Retning
from sundhed.dansk import halvaar
from sundhed.models import NAVN_LAENGDE

# Paths under /indikatorer/ that are pages, not indicator codes.
RESERVEREDE_KODER = frozenset({"import", "rapport", "api"})


class Indikator(models.Model):
    """A measurable indicator under a goal of the health agreement and/or a national goal."""

    kode = models.SlugField(max_length=60, unique=True, help_text="Bruges i adresser og importfiler.")
    navn = models.CharField(max_length=250)
    beskrivelse = models.TextField(blank=True)
    enhed = models.CharField(max_length=80, help_text="Fx '%', 'pr. 1.000 borgere på 65 år og derover', 'dage'.")
    retning = models.CharField(max_length=10, choices=Retning.choices)
    frekvens = models.CharField(max_length=10, choices=Frekvens.choices, default=Frekvens.HALVAAR)
    kilde = models.CharField(max_length=300, blank=True)
    decimaler = models.PositiveSmallIntegerField(default=1)
    maalsaetning = models.ForeignKey(
        "aftaler.Maalsaetning", on_delete=models.SET_NULL, null=True, blank=True, related_name="indikatorer",
        limit_choices_to={"national": False}, verbose_name="målsætning",
    )
    nationalt_maal = models.ForeignKey(
        "aftaler.Maalsaetning", on_delete=models.SET_NULL, null=True, blank=True, related_name="nationale_indikatorer",
        limit_choices_to={"national": True}, verbose_name="nationalt mål",
    )
    aktiv = models.BooleanField(
        default=True, help_text="Et udviklingsområde uden data endnu er ikke aktivt og tæller ikke med, når det "
        "afgøres, om en periodes data er komplette.",
    )
    sortering = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        ordering = ["sortering", "navn"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kode__in=sorted(RESERVEREDE_KODER)), name="indikator_kode_ikke_reserveret",
                violation_error_message="Koden er reserveret til en side under /indikatorer/.",
            ),
        ]

    def __str__(self) -> str:
        return self.navn

    @property
    def er_procent(self) -> bool:
        return self.enhed.strip() == "%"


# An import of more rows than this is written by a background task (the page follows its progress).
GRAENSE_ASYNKRON = 2000


def fremskridt_noegle(batch_id: int) -> str:
    """The cache key under which a running import reports the rows it has written."""
    return f"indikatorer:import:{batch_id}:behandlet"


class ImportBatch(models.Model):
    """One uploaded file of measurements: previewed, committed as a whole, and possibly rolled back."""

    status = models.CharField(max_length=15, choices=BatchStatus.choices, default=BatchStatus.KLADDE, db_index=True)
    kilde = models.CharField(max_length=10, choices=BatchKilde.choices, default=BatchKilde.BROWSER)
    filnavn = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=10, blank=True)
    stoerrelse = models.PositiveIntegerField("størrelse (bytes)", default=0)
    # The file itself, so a worker container needs no shared disk; emptied when the batch ends.
    indhold = models.BinaryField(null=True, blank=True, editable=False)
    syntetisk = models.BooleanField("syntetiske demodata", default=False)
    antal_raekker = models.PositiveIntegerField("antal rækker", default=0)
    antal_nye = models.PositiveIntegerField(default=0)
    antal_erstattede = models.PositiveIntegerField(default=0)
    perioder = models.JSONField(default=list, blank=True)
    indikatorkoder = models.JSONField(default=list, blank=True)
    antal_geografier = models.PositiveIntegerField(default=0)
    ignorerede_kolonner = models.JSONField(default=list, blank=True)
    fejl = models.JSONField(default=list, blank=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    oprettet = models.DateTimeField(default=timezone.now)
    godkendt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    godkendt = models.DateTimeField(null=True, blank=True)
    afsluttet = models.DateTimeField(null=True, blank=True)
    tilbagerullet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    tilbagerullet = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "importkørsel"
        verbose_name_plural = "importkørsler"
        ordering = ["-oprettet", "-id"]

    def __str__(self) -> str:
        return f"Import nr. {self.pk} ({self.filnavn or self.get_kilde_display()})"

    @property
    def er_asynkron(self) -> bool:
        return self.antal_raekker > GRAENSE_ASYNKRON

    @property
    def er_i_gang(self) -> bool:
        return self.status in (BatchStatus.VENTER, BatchStatus.KOERER)


class MaalingQuerySet(models.QuerySet):
    def gaeldende(self):
        """Current values: not replaced by a later import."""
        return self.filter(erstattet_af__isnull=True)


class Maaling(models.Model):
    """One value of an indicator for one geography (the region, a cluster or a municipality) and period."""

    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="maalinger")
    part = models.ForeignKey(
        "organisation.Part", on_delete=models.PROTECT, null=True, blank=True, related_name="maalinger",
        help_text="Regionen eller kommunen.",
    )
    klynge = models.ForeignKey(
        "organisation.Klynge", on_delete=models.PROTECT, null=True, blank=True, related_name="maalinger",
    )
    # Denormalised from part/klynge: pages and the API look geographies up by slug (unique across both).
    geografi_slug = models.SlugField(max_length=100)
    geografi_type = models.CharField(max_length=10, choices=GeografiType.choices)
    periode = models.CharField(max_length=6)
    periode_noegle = models.PositiveIntegerField(help_text="Sorterbar: år * 10 + 1 (1. halvår) eller 2.")
    vaerdi = models.DecimalField("værdi", max_digits=16, decimal_places=4)
    taeller = models.DecimalField("tæller", max_digits=16, decimal_places=4, null=True, blank=True)
    naevner = models.DecimalField("nævner", max_digits=16, decimal_places=4, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    syntetisk = models.BooleanField("syntetiske demodata", default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="maalinger")
    # Set when a later import gave a new value for the same key; rolling that import back clears it.
    erstattet_af = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="erstattede_maalinger",
    )

    objects = MaalingQuerySet.as_manager()

    class Meta:
        verbose_name = "måling"
        verbose_name_plural = "målinger"
        ordering = ["indikator", "periode_noegle", "geografi_slug"]
        indexes = [
            models.Index(fields=["indikator", "geografi_slug", "periode_noegle"], name="maaling_opslag"),
            models.Index(fields=["geografi_slug", "periode_noegle"], name="maaling_geografi"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(part__isnull=False, klynge__isnull=True) | Q(part__isnull=True, klynge__isnull=False),
                name="maaling_praecis_en_geografi",
                violation_error_message="En måling gælder enten en part (region eller kommune) eller en klynge.",
            ),
            models.UniqueConstraint(
                fields=["indikator", "part", "periode"], condition=Q(erstattet_af__isnull=True, part__isnull=False),
                name="maaling_unik_part_periode",
                violation_error_message="Der findes allerede en værdi for indikatoren, geografien og perioden.",
            ),
            models.UniqueConstraint(
                fields=["indikator", "klynge", "periode"],
                condition=Q(erstattet_af__isnull=True, klynge__isnull=False),
                name="maaling_unik_klynge_periode",
                violation_error_message="Der findes allerede en værdi for indikatoren, geografien og perioden.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indikator.kode} {self.geografi_slug} {self.periode}: {self.vaerdi}"


class Halvaarsrapport(models.Model):
    """The half-year report for a period: created once the period's data is complete, sent once."""

    periode = models.CharField(max_length=6, unique=True)
    status = models.CharField(max_length=10, choices=RapportStatus.choices, default=RapportStatus.VENTER)
    oprettet = models.DateTimeField(default=timezone.now)
    sendt = models.DateTimeField(null=True, blank=True)
    antal_modtagere = models.PositiveIntegerField(default=0)
    # The PDF as it was sent to the councils; the live report may change with later corrections.
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    fejl = models.TextField(blank=True)

    class Meta:
        verbose_name = "halvårsrapport"
        verbose_name_plural = "halvårsrapporter"
        ordering = ["-periode"]

    def __str__(self) -> str:
        return f"Halvårsrapport {halvaar(self.periode)}"


class LokaltMaalStatus(models.TextChoices):
    PLANLAGT = "planlagt", "Planlagt"
    I_GANG = "i_gang", "I gang"
    NAAET = "naaet", "Nået"
    OPGIVET = "opgivet", "Opgivet"


class LokaltMaal(models.Model):
    """A cluster's own goal, serving a goal of the health agreement and/or followed by an indicator."""

    klynge = models.ForeignKey("organisation.Klynge", on_delete=models.PROTECT, related_name="lokale_maal")
    titel = models.CharField(max_length=250)
    beskrivelse = models.TextField(blank=True)
    maalsaetning = models.ForeignKey(
        "aftaler.Maalsaetning", on_delete=models.SET_NULL, null=True, blank=True, related_name="lokale_maal",
        verbose_name="målsætning",
    )
    indikator = models.ForeignKey(
        Indikator, on_delete=models.SET_NULL, null=True, blank=True, related_name="lokale_maal",
    )
    status = models.CharField(max_length=10, choices=LokaltMaalStatus.choices, default=LokaltMaalStatus.PLANLAGT)
    aendret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="ændret af",
    )
    aendret_af_navn = models.CharField(
        "ændret af (navn)", max_length=NAVN_LAENGDE, blank=True,
        help_text="Navnet, som det var, da rækken blev skrevet.",
    )
    aendret = models.DateTimeField("ændret", default=timezone.now)

    class Meta:
        verbose_name = "lokalt mål"
        verbose_name_plural = "lokale mål"
        ordering = ["klynge", "titel", "pk"]

    def __str__(self) -> str:
        return self.titel
