from django.db import models


class Retning(models.TextChoices):
    """Which way is better: the dashboards colour a change by this, never by the sign alone."""

    LAVERE = "lavere", "Lavere er bedre"
    HOEJERE = "hoejere", "Højere er bedre"


class Frekvens(models.TextChoices):
    """How often the indicator is followed (seed 002: twice a year; two yearly; one every four years)."""

    HALVAAR = "halvaar", "To gange årligt"
    AAR = "aar", "Én gang årligt"
    FIREAAR = "fireaar", "Hvert fjerde år"


class GeografiType(models.TextChoices):
    REGION = "region", "Region"
    KLYNGE = "klynge", "Klynge"
    KOMMUNE = "kommune", "Kommune"


class BatchStatus(models.TextChoices):
    """An import batch: uploaded and previewed (kladde), then queued, running, done or failed; done can be
    rolled back."""

    KLADDE = "kladde", "Til gennemsyn"
    VENTER = "venter", "Venter"
    KOERER = "koerer", "Kører"
    FAERDIG = "faerdig", "Færdig"
    FEJLET = "fejlet", "Fejlet"
    ANNULLERET = "annulleret", "Annulleret"
    TILBAGERULLET = "tilbagerullet", "Rullet tilbage"


class BatchKilde(models.TextChoices):
    BROWSER = "browser", "Upload i browseren"
    API = "api", "API"
    DEMO = "demo", "Syntetiske demodata"


class RapportStatus(models.TextChoices):
    VENTER = "venter", "Venter på udsendelse"
    SENDT = "sendt", "Sendt"
    FEJLET = "fejlet", "Fejlet"
    DEMO = "demo", "Demodata (ikke udsendt)"


class Vurdering(models.TextChoices):
    """A change judged by the indicator's direction."""

    BEDRE = "bedre", "bedre"
    DAARLIGERE = "daarligere", "dårligere"
    UAENDRET = "uaendret", "uændret"
