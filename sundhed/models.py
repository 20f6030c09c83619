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

    class Meta:
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"
        ordering = ["-tidspunkt", "-id"]
        indexes = [models.Index(fields=["objekt_type", "objekt_id"])]

    def __str__(self) -> str:
        return f"{dansk.tidspunkt(self.tidspunkt, kort=True)} {self.handling}: {self.beskrivelse}"
