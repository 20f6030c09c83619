"""The structure of the collaboration: parties, clusters, fora, people and memberships."""

from django.conf import settings
from django.db import models

from organisation.choices import ForumType, PartType, Rolle
from sundhed import dansk
from sundhed.models import Gyldighed


class Part(Gyldighed):
    """A party to the collaboration: the region, a municipality, PLO, a hospital, psychiatry."""

    navn = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    type = models.CharField(max_length=20, choices=PartType.choices)
    kortnavn = models.CharField(
        "kort navn", max_length=100, blank=True, help_text="Fx 'Aarhus' for Aarhus Kommune (bruges i tabeller)."
    )

    class Meta(Gyldighed.Meta):
        verbose_name = "part"
        verbose_name_plural = "parter"
        ordering = ["type", "navn"]
        permissions = [
            ("registrere_beslutning", "Registrere myndighedens beslutning om en samarbejdsaftale"),
            ("besvare_hoering_part", "Afgive høringssvar for myndigheden"),
        ]

    def __str__(self) -> str:
        return self.navn

    @property
    def visningsnavn(self) -> str:
        return self.kortnavn or self.navn


class Klynge(Gyldighed):
    """A health cluster around one acute hospital and the municipalities in its catchment area."""

    navn = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    akuthospital = models.ForeignKey(
        Part, on_delete=models.PROTECT, related_name="klynger_som_akuthospital",
        limit_choices_to={"type": PartType.HOSPITAL},
    )
    kommuner = models.ManyToManyField(
        Part, related_name="klynger", limit_choices_to={"type": PartType.KOMMUNE}, blank=True
    )
    beskrivelse = models.TextField(blank=True)
    tidligere_navn = models.CharField("tidligere navn", max_length=200, blank=True)

    class Meta(Gyldighed.Meta):
        verbose_name = "sundhedsklynge"
        verbose_name_plural = "sundhedsklynger"
        ordering = ["navn"]
        permissions = [
            ("laese_klynge_internt", "Læse klyngens interne side"),
            ("registrere_implementering", "Registrere implementeringsstatus for klyngen"),
            ("registrere_proevehandling", "Registrere prøvehandlinger for klyngen"),
            ("besvare_hoering_klynge", "Afgive høringssvar for klyngen"),
            ("redigere_lokale_maal", "Redigere klyngens lokale mål"),
            ("redigere_lokale_aftaler", "Redigere udkast til klyngens lokale aftaler"),
        ]

    def __str__(self) -> str:
        return self.navn


class Forum(Gyldighed):
    """Any body of the collaboration: committee, steering group, theme group, cluster level, council."""

    navn = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    type = models.CharField(max_length=40, choices=ForumType.choices)
    klynge = models.ForeignKey(Klynge, on_delete=models.PROTECT, null=True, blank=True, related_name="fora")
    part = models.ForeignKey(
        Part, on_delete=models.PROTECT, null=True, blank=True, related_name="fora",
        help_text="Myndigheden, hvis forummet er dens kommunalbestyrelse eller regionsråd.",
    )
    overordnet = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="underfora",
        verbose_name="overordnet forum",
    )
    formaal = models.TextField("formål", blank=True)
    opgaver = models.TextField("opgaver", blank=True, help_text="Én opgave pr. linje (opgavefordelingen).")
    sammensaetning = models.TextField("sammensætning", blank=True)
    kommissorium = models.TextField(blank=True)
    moedefrekvens = models.CharField("mødefrekvens", max_length=200, blank=True)
    sortering = models.PositiveSmallIntegerField(default=100)
    # Which body recommends agreements to the councils is data: Sundhedssamarbejdsudvalget until the
    # 2027 reform, then the body the data names (DESIGN.md, "Structure over time").
    # The group that follows up on the health agreement's goals and indicators (seed 001's Økonomi- og
    # opfølgningsgruppe): its members import indicator data (sundhed.permissions.TILDELINGER).
    foelger_indikatorer = models.BooleanField(
        "følger op på indikatorerne", default=False,
        help_text="Medlemmerne importerer indikatordata og læser ikke-offentligt materiale.",
    )
    indstiller_aftaler = models.BooleanField(
        "indstiller samarbejdsaftaler", default=False,
        help_text="Forummet indstiller samarbejdsaftaler til godkendelse i kommunalbestyrelserne og regionsrådet.",
    )

    class Meta(Gyldighed.Meta):
        verbose_name = "forum"
        verbose_name_plural = "fora"
        ordering = ["sortering", "navn"]
        permissions = [
            # Capabilities granted globally through membership of a forum (see sundhed/permissions.py).
            ("redigere_alle_aftaler", "Skrive og redigere alle samarbejdsaftaler"),
            ("koere_overgange", "Føre samarbejdsaftaler gennem forløbet"),
            ("registrere_behandling", "Registrere behandling i ethvert forum"),
            ("administrere_struktur", "Vedligeholde organisationen"),
            ("offentliggoere", "Offentliggøre samarbejdsaftaler"),
            ("laese_internt", "Læse alt ikke-offentligt materiale"),
            ("kommentere", "Kommentere samarbejdsaftaler"),
            ("importere_indikatorer", "Importere indikatordata"),
            # Scoped to one forum (a theme or working group's own agreements).
            ("redigere_gruppens_aftaler", "Skrive og redigere gruppens egne aftaler i udkast"),
        ]
        constraints = [
            *Gyldighed.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(type__in=["klynge_politisk", "klynge_administrativ"])
                | models.Q(klynge__isnull=False),
                name="forum_klyngeniveau_har_klynge",
                violation_error_message="Et klyngeniveau skal høre til en klynge.",
            ),
            models.CheckConstraint(
                condition=~models.Q(type__in=["kommunalbestyrelse", "regionsraad"]) | models.Q(part__isnull=False),
                name="forum_raad_har_part",
                violation_error_message="En kommunalbestyrelse eller et regionsråd skal høre til en myndighed.",
            ),
        ]

    def __str__(self) -> str:
        return self.navn

    @property
    def opgaveliste(self) -> list[str]:
        return [linje.strip(" -•") for linje in self.opgaver.splitlines() if linje.strip(" -•")]


class Person(models.Model):
    """Someone who sits in a forum, named by role in the demo data; may have a user account."""

    navn = models.CharField(max_length=200)
    titel = models.CharField(max_length=200, blank=True)
    part = models.ForeignKey(Part, on_delete=models.SET_NULL, null=True, blank=True, related_name="personer")
    email = models.EmailField(blank=True)
    bruger = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )

    class Meta:
        verbose_name = "person"
        verbose_name_plural = "personer"
        ordering = ["navn"]

    def __str__(self) -> str:
        return self.navn


class Medlemskab(Gyldighed):
    """A person's seat in a forum, in a role, representing a party, for a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="medlemskaber")
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="medlemskaber")
    rolle = models.CharField(max_length=20, choices=Rolle.choices, default=Rolle.MEDLEM)
    repraesenterer = models.ForeignKey(
        Part, on_delete=models.PROTECT, null=True, blank=True, related_name="medlemskaber",
        verbose_name="repræsenterer",
    )

    class Meta(Gyldighed.Meta):
        verbose_name = "medlemskab"
        verbose_name_plural = "medlemskaber"
        ordering = ["forum", "rolle", "person__navn"]
        constraints = [
            *Gyldighed.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "forum", "rolle", "valid_from"],
                name="medlemskab_unik_pr_periode",
                violation_error_message="Personen har allerede denne rolle i forummet fra den dato.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_rolle_display()}, {self.forum}"


class Moede(models.Model):
    """A meeting of a forum."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="moeder")
    dato = models.DateTimeField()
    sted = models.CharField(max_length=200, blank=True)
    titel = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "møde"
        verbose_name_plural = "møder"
        ordering = ["-dato"]

    def __str__(self) -> str:
        return f"{self.forum} {dansk.dato(self.dato, kort=True)}"


class Dagsordenpunkt(models.Model):
    """An agenda item as a council records it (seed 004): case number, account, recommendation, decision."""

    moede = models.ForeignKey(Moede, on_delete=models.CASCADE, related_name="punkter")
    nummer = models.PositiveSmallIntegerField()
    titel = models.CharField(max_length=300)
    sagsnummer = models.CharField(max_length=50, blank=True)
    aaben = models.BooleanField("åbent punkt", default=True)
    sagsfremstilling = models.TextField(blank=True)
    indstilling = models.TextField(blank=True)
    beslutning = models.TextField(blank=True)
    fravaerende = models.TextField("fraværende", blank=True)
    bilag = models.TextField(blank=True, help_text="Én bilagsbetegnelse pr. linje.")

    class Meta:
        verbose_name = "dagsordenpunkt"
        verbose_name_plural = "dagsordenpunkter"
        ordering = ["moede", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["moede", "nummer"], name="dagsordenpunkt_unikt_nummer"),
        ]

    def __str__(self) -> str:
        return f"{self.nummer}. {self.titel}"
