from django.db import models


class PartType(models.TextChoices):
    REGION = "region", "Region"
    KOMMUNE = "kommune", "Kommune"
    ALMEN_PRAKSIS = "almen_praksis", "Almen praksis"
    HOSPITAL = "hospital", "Hospital"
    PSYKIATRI = "psykiatri", "Psykiatri"


class ForumType(models.TextChoices):
    SUNDHEDSSAMARBEJDSUDVALG = "sundhedssamarbejdsudvalg", "Sundhedssamarbejdsudvalg"
    SUNDHEDSSTYREGRUPPE = "sundhedsstyregruppe", "Sundhedsstyregruppe"
    FORMANDSKAB = "formandskab", "Formandskab"
    FAELLES_SEKRETARIAT = "faelles_sekretariat", "Fælles sekretariat"
    TEMAGRUPPE = "temagruppe", "Temagruppe"
    FORLOEBSPROGRAMGRUPPE = "forloebsprogramgruppe", "Forløbsprogramgruppe"
    ARBEJDSGRUPPE = "arbejdsgruppe", "Arbejdsgruppe"
    KLYNGE_POLITISK = "klynge_politisk", "Sundhedsklynge, politisk niveau"
    KLYNGE_ADMINISTRATIV = "klynge_administrativ", "Sundhedsklynge, administrativt niveau"
    PRAKSISPLANUDVALG = "praksisplanudvalg", "Praksisplanudvalg"
    PATIENTINDDRAGELSESUDVALG = "patientinddragelsesudvalg", "Patientinddragelsesudvalg"
    KOMMUNALBESTYRELSE = "kommunalbestyrelse", "Kommunalbestyrelse"
    REGIONSRAAD = "regionsraad", "Regionsråd"
    SUNDHEDSRAAD = "sundhedsraad", "Sundhedsråd"


class KlyngeArt(models.TextChoices):
    """An area with population responsibility: a health cluster (2022 structure) or, from 1 January 2027,
    the area of a sundhedsråd (the same municipalities around the same acute hospital)."""

    KLYNGE = "klynge", "Sundhedsklynge"
    SUNDHEDSRAAD = "sundhedsraad", "Sundhedsråd"


# Kinds that belong to one cluster, and kinds that are the council of one authority.
KLYNGE_FORA = {ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV}
# Kinds that must name the area (Klynge row) they serve: the cluster levels and the sundhedsråd.
OMRAADE_FORA = KLYNGE_FORA | {ForumType.SUNDHEDSRAAD}
RAAD_FORA = {ForumType.KOMMUNALBESTYRELSE, ForumType.REGIONSRAAD}


class Rolle(models.TextChoices):
    FORMAND = "formand", "Formand"
    NAESTFORMAND = "naestformand", "Næstformand"
    MEDLEM = "medlem", "Medlem"
    SEKRETAER = "sekretaer", "Sekretær"
