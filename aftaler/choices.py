from django.db import models


class Status(models.TextChoices):
    """The agreement's state; slugs are part of the public contract (DESIGN.md)."""

    UDKAST = "udkast", "Udkast"
    HOERING = "hoering", "I høring"
    INDSTILLET = "indstillet", "Indstillet til godkendelse"
    GODKENDT = "godkendt", "Godkendt"
    I_KRAFT = "i_kraft", "I kraft"
    OPHAEVET = "ophaevet", "Ophævet"


# From `indstillet` on, anyone may read the agreement.
OFFENTLIGE_STATUS = (Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT, Status.OPHAEVET)

# A draft is open for comments while it is prepared and discussed: in `udkast`, and in `hoering`, where
# comments feed the next draft beside the consultation answers. From `indstillet` on the version is
# frozen for the councils' decisions and public, and comments are closed (aftaler.kommentarer).
KOMMENTERBARE_STATUS = (Status.UDKAST, Status.HOERING)


class Omfang(models.TextChoices):
    REGIONAL = "regional", "Regional (alle klynger)"
    LOKAL = "lokal", "Lokal (én klynge)"


class Oprindelse(models.TextChoices):
    BESTILLING = "bestilling", "Bestilling fra Sundhedssamarbejdsudvalget"
    PROEVEHANDLING = "proevehandling", "Prøvehandling i en klynge"


class Udfald(models.TextChoices):
    DROEFTET = "droeftet", "Drøftet"
    TILTRAADT = "tiltraadt", "Tiltrådt"
    ANBEFALET = "anbefalet", "Anbefalet"
    SENDT_RETUR = "sendt_retur", "Sendt retur"


class Beslutning(models.TextChoices):
    GODKENDT = "godkendt", "Godkendt"
    AFVIST = "afvist", "Afvist"
    UDSAT = "udsat", "Udsat"


ENDELIGE_BESLUTNINGER = (Beslutning.GODKENDT, Beslutning.AFVIST)


class ImplementeringStatus(models.TextChoices):
    IKKE_STARTET = "ikke_startet", "Ikke startet"
    I_GANG = "i_gang", "I gang"
    IMPLEMENTERET = "implementeret", "Implementeret"
