"""Abstract building blocks shared by the apps' models."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from sundhed import dansk


class GyldigQuerySet(models.QuerySet):
    """Rows valid on a date: started on or before it and not ended before it."""

    def aktive(self, dato: datetime.date | None = None):
        dato = dato or timezone.localdate()
        return self.filter(Q(valid_from__lte=dato), Q(valid_to__isnull=True) | Q(valid_to__gte=dato))

    def arkiverede(self, dato: datetime.date | None = None):
        dato = dato or timezone.localdate()
        return self.filter(valid_to__lt=dato)


class Gyldighed(models.Model):
    """Everything dated: the 2027 reform is added as data and old bodies are archived, not deleted."""

    valid_from = models.DateField("gyldig fra", default=datetime.date(2022, 7, 1))
    valid_to = models.DateField("gyldig til", null=True, blank=True)

    objects = GyldigQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_periode_gyldig",
                violation_error_message="Slutdatoen kan ikke ligge før startdatoen.",
            )
        ]

    def er_aktiv(self, dato: datetime.date | None = None) -> bool:
        dato = dato or timezone.localdate()
        return self.valid_from <= dato and (self.valid_to is None or self.valid_to >= dato)

    @property
    def er_arkiveret(self) -> bool:
        return self.valid_to is not None and self.valid_to < timezone.localdate()


# Room for a person's name (organisation.Person.navn) or a user's full name in a record's name snapshot.
NAVN_LAENGDE = 200
# The browser's User-Agent kept on an audit row (sundhed.kilde), trimmed to this.
BRUGERAGENT_LAENGDE = 200


class Haendelse(models.Model):
    """Append-only audit row: who did what to which object, when. Written by services only;
    the database refuses to change it (migration 0004)."""

    tidspunkt = models.DateTimeField(default=timezone.now, db_index=True)
    # PROTECT: a user who appears in the log cannot be deleted, only deactivated (sundhed.admin).
    bruger = models.ForeignKey("auth.User", on_delete=models.PROTECT, null=True, blank=True)
    bruger_navn = models.CharField("brugerens navn", max_length=NAVN_LAENGDE, blank=True,
                                   help_text="Navnet, som det var, da hændelsen blev registreret.")
    handling = models.CharField(max_length=50)
    objekt_type = models.CharField(max_length=100)
    objekt_id = models.CharField(max_length=64)
    beskrivelse = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    # Where the request came from (sundhed.kilde): the client's address, and its browser, trimmed. Empty
    # for what no request caused (a task, a management command).
    ip = models.GenericIPAddressField("IP-adresse", null=True, blank=True)
    brugeragent = models.CharField("browser", max_length=BRUGERAGENT_LAENGDE, blank=True, default="")

    class Meta:
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"]),
                   models.Index(fields=["handling", "tidspunkt"], name="sundhed_hae_handlin_idx")]

    def __str__(self) -> str:
        return f"{dansk.tidspunkt(self.tidspunkt, kort=True)} {self.handling}: {self.beskrivelse}"


# --- notifications: the outbox, preferences and subscriptions (sundhed.udbakke) --------------------


class UdbakkeTilstand(models.TextChoices):
    VENTENDE = "ventende", "Venter"
    SENDER = "sender", "Sendes (optaget af en arbejder)"
    SENDT = "sendt", "Sendt"
    FEJLET = "fejlet", "Fejlet"
    UDEN_ADRESSE = "uden_adresse", "Ingen e-mailadresse"


class Kanal(models.TextChoices):
    EMAIL = "email", "E-mail"
    OPGAVE = "opgave", "Afledte data"


class Levering(models.TextChoices):
    STRAKS = "straks", "Straks"
    DAGLIGT = "dagligt", "Dagligt sammendrag"
    FRA = "fra", "Fra"


class Udbakke(models.Model):
    """One thing to deliver: a mail to one recipient about one event, or one refresh of derived data.
    Written in the same transaction as the change it reports (sundhed.udbakke.skriv); delivered by
    sundhed.tasks.lever_udbakke. `noegle` is unique: the same (event, recipient, channel) is written and
    delivered once, whoever writes or delivers it."""

    noegle = models.CharField("nøgle", max_length=255, unique=True)
    kanal = models.CharField(max_length=10, choices=Kanal.choices, default=Kanal.EMAIL)
    slags = models.CharField(max_length=50, db_index=True)
    levering = models.CharField(max_length=10, choices=Levering.choices, default=Levering.STRAKS)
    tilstand = models.CharField(max_length=20, choices=UdbakkeTilstand.choices, default=UdbakkeTilstand.VENTENDE)
    # The recipient (kanal email): address and name as they were; the account, for preferences and links.
    modtager_email = models.CharField("modtagerens e-mail", max_length=254, blank=True)
    modtager_navn = models.CharField("modtagerens navn", max_length=NAVN_LAENGDE, blank=True)
    bruger = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the event is about (a generic reference: the core names no feature app) and where it is.
    objekt_type = models.CharField(max_length=100, blank=True)
    objekt_id = models.CharField(max_length=64, blank=True)
    objekt_navn = models.CharField(max_length=500, blank=True)
    url = models.CharField(max_length=500, blank=True)
    skabelon = models.CharField(max_length=200, blank=True)
    kontekst = models.JSONField(default=dict, blank=True)
    forsoeg = models.PositiveIntegerField("forsøg", default=0)
    naeste_forsoeg = models.DateTimeField("næste forsøg", default=timezone.now)
    sidste_fejl = models.TextField("seneste fejl", blank=True)
    # Set when a row found "sender" after a crash was put back: it is retried at most once.
    genoptaget = models.BooleanField(default=False)
    oprettet = models.DateTimeField(default=timezone.now, db_index=True)
    optaget = models.DateTimeField(null=True, blank=True)
    sendt = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "udbakke-række"
        verbose_name_plural = "udbakke"
        ordering = ["-oprettet", "-id"]
        indexes = [models.Index(fields=["tilstand", "levering", "naeste_forsoeg"])]

    def __str__(self) -> str:
        return f"{self.slags} → {self.modtager_email or self.modtager_navn or self.skabelon}"


class Notifikationsvalg(models.Model):
    """A person's choice for one kind of event; no row means the kind's default (sundhed.udbakke)."""

    bruger = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="notifikationsvalg")
    slags = models.CharField(max_length=50)
    valg = models.CharField(max_length=10, choices=Levering.choices)

    class Meta:
        verbose_name = "notifikationsvalg"
        verbose_name_plural = "notifikationsvalg"
        constraints = [models.UniqueConstraint(fields=["bruger", "slags"], name="sundhed_notifikationsvalg_unik")]

    def __str__(self) -> str:
        return f"{self.bruger}: {self.slags} = {self.valg}"


class Abonnement(models.Model):
    """A user follows an agreement, a cluster or a forum (by type and slug: the core names no feature app)."""

    class Type(models.TextChoices):
        AFTALE = "aftale", "Samarbejdsaftale"
        KLYNGE = "klynge", "Klynge"
        FORUM = "forum", "Forum"

    bruger = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="abonnementer")
    objekt_type = models.CharField(max_length=10, choices=Type.choices)
    slug = models.SlugField(max_length=200)
    oprettet = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "abonnement"
        verbose_name_plural = "abonnementer"
        ordering = ["objekt_type", "slug"]
        constraints = [models.UniqueConstraint(fields=["bruger", "objekt_type", "slug"],
                                               name="sundhed_abonnement_unik")]

    def __str__(self) -> str:
        return f"{self.bruger} følger {self.get_objekt_type_display()} {self.slug}"
