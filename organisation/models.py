"""The structure of the collaboration: parties, clusters, fora, people and memberships."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from organisation.choices import OMRAADE_FORA, ForumType, KlyngeArt, PartType, Rolle
from sundhed import dansk
from sundhed.models import NAVN_LAENGDE, Gyldighed


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
    """A health cluster around one acute hospital and the municipalities in its catchment area; from
    1 January 2027 the same kind of row holds a sundhedsråd's area (`art`), so implementation rows,
    indicators and cluster capabilities carry over to the successor without a second model."""

    navn = models.CharField(max_length=200)
    art = models.CharField(max_length=20, choices=KlyngeArt.choices, default=KlyngeArt.KLYNGE)
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
    efterfoelgere = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="forgaengere", verbose_name="efterfølgere",
        help_text="Det eller de områder, der overtager klyngens opgaver, når den ophører.",
    )

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

    @property
    def er_sundhedsraad(self) -> bool:
        return self.art == KlyngeArt.SUNDHEDSRAAD


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
    forberedende_fra = models.DateField(
        "forberedende fra", null=True, blank=True,
        help_text="Forummet mødes som forberedende organ fra denne dato, indtil det træder i kraft (gyldig fra).",
    )
    efterfoelgere = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="forgaengere", verbose_name="efterfølgere",
        help_text="Det eller de fora, der overtager forummets opgaver, når det ophører.",
    )
    # The group that follows up on the health agreement's goals and indicators (seed 001's Økonomi- og
    # opfølgningsgruppe): its members import indicator data (sundhed.permissions.TILDELINGER).
    foelger_indikatorer = models.BooleanField(
        "følger op på indikatorerne", default=False,
        help_text="Medlemmerne importerer indikatordata og læser ikke-offentligt materiale.",
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
                condition=~models.Q(type__in=sorted(OMRAADE_FORA)) | models.Q(klynge__isnull=False),
                name="forum_klyngeniveau_har_klynge",
                violation_error_message="Et klyngeniveau eller et sundhedsråd skal høre til et område (klynge).",
            ),
            models.CheckConstraint(
                condition=models.Q(forberedende_fra__isnull=True)
                | models.Q(forberedende_fra__lt=models.F("valid_from")),
                name="forum_forberedende_foer_gyldig",
                violation_error_message="Den forberedende periode skal begynde, før forummet træder i kraft.",
            ),
            models.CheckConstraint(
                condition=~models.Q(type__in=["kommunalbestyrelse", "regionsraad"]) | models.Q(part__isnull=False),
                name="forum_raad_har_part",
                violation_error_message="En kommunalbestyrelse eller et regionsråd skal høre til en myndighed.",
            ),
        ]

    def __str__(self) -> str:
        return self.navn

    def er_forberedende(self, dato) -> bool:
        """Does the body meet as a preparatory body (2026's sundhedsråd) on `dato`?"""
        return self.forberedende_fra is not None and self.forberedende_fra <= dato < self.valid_from

    @property
    def opgaveliste(self) -> list[str]:
        return [linje.strip(" -•") for linje in self.opgaver.splitlines() if linje.strip(" -•")]


class Indstillingsret(Gyldighed):
    """Which body recommends agreements to the councils, and from when to when, is data:
    Sundhedssamarbejdsudvalget until the 2027 reform, then the body an administrator names."""

    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="indstillingsperioder")

    class Meta(Gyldighed.Meta):
        verbose_name = "indstillingsret"
        verbose_name_plural = "indstillingsret"
        ordering = ["valid_from", "forum"]

    def __str__(self) -> str:
        slut = f" til {dansk.dato(self.valid_to)}" if self.valid_to else ""
        return f"{self.forum} indstiller fra {dansk.dato(self.valid_from)}{slut}"


class Strukturaendring(models.Model):
    """A structure change an administrator ran: bodies that end, their successors, and the date the
    successors take over. The row is the audit record of the whole change; `plan` keeps what was done."""

    dato = models.DateField("ændringsdato", help_text="Den første dag, efterfølgerne har ansvaret.")
    beskrivelse = models.CharField(max_length=300)
    udfoert = models.DateTimeField("udført", default=timezone.now)
    udfoert_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    udfoert_af_navn = models.CharField("udført af", max_length=NAVN_LAENGDE, blank=True)
    plan = models.JSONField(default=dict,
                            help_text="Det, ændringen gjorde: medlemskaber, implementeringer, rettigheder.")

    class Meta:
        verbose_name = "strukturændring"
        verbose_name_plural = "strukturændringer"
        ordering = ["-dato", "-udfoert"]

    def __str__(self) -> str:
        return f"{self.beskrivelse} ({dansk.dato(self.dato)})"


class Ophoer(models.Model):
    """One body a structure change ended, with its successors. A body ends once: the unique
    constraints refuse running the same change twice, even when two administrators race."""

    aendring = models.ForeignKey(Strukturaendring, on_delete=models.PROTECT, related_name="ophoer")
    forum = models.OneToOneField(Forum, on_delete=models.PROTECT, null=True, blank=True, related_name="ophoer")
    klynge = models.OneToOneField(Klynge, on_delete=models.PROTECT, null=True, blank=True, related_name="ophoer")
    efterfoelgere = models.JSONField(default=list, help_text="Efterfølgernes navne, som de var på dagen.")

    class Meta:
        verbose_name = "ophør"
        verbose_name_plural = "ophør"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(forum__isnull=False, klynge__isnull=True)
                | models.Q(forum__isnull=True, klynge__isnull=False),
                name="ophoer_forum_eller_klynge",
                violation_error_message="Et ophør gælder enten et forum eller en klynge.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum or self.klynge} ophører"


class Person(models.Model):
    """Someone who sits in a forum, named by role in the demo data; may have a user account."""

    navn = models.CharField(max_length=200)
    titel = models.CharField(max_length=200, blank=True)
    part = models.ForeignKey(Part, on_delete=models.SET_NULL, null=True, blank=True, related_name="personer")
    email = models.EmailField(blank=True)
    bruger = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    # Single sign-on (organisation/sso.py) matches on this value only, never on the e-mail address.
    sso_id = models.CharField(
        "id hos identitetsudbyderen", max_length=255, null=True, blank=True, unique=True,
        help_text="Værdien af den faste oplysning (claim), som organisationens login sender om personen "
                  "(indstillingen OIDC_BRUGER_CLAIM, fx »sub«). Tom: personen kan ikke logge ind med "
                  "sin organisations login.",
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


class MoedeStatus(models.TextChoices):
    """A meeting's state (DESIGN.md): the transitions between them are organisation/moedeforloeb.py."""

    PLANLAGT = "planlagt", "Planlagt"
    DAGSORDEN = "dagsorden", "Dagsorden offentliggjort"
    REFERAT = "referat", "Referat offentliggjort"
    AFLYST = "aflyst", "Aflyst"


# The states in which the public sees the meeting (a cancelled one too: calendars must learn of it).
OFFENTLIGE_MOEDESTATUS = (MoedeStatus.DAGSORDEN, MoedeStatus.REFERAT, MoedeStatus.AFLYST)


class Moede(models.Model):
    """A meeting of a forum: when, where, and how far its agenda and minutes have come. Times are
    stored in UTC and shown in Europe/Copenhagen. `sekvens` is the iCal SEQUENCE: every change to
    the meeting or its items raises it (organisation.moeder_services), so calendars take the update."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="moeder")
    start = models.DateTimeField()
    slut = models.DateTimeField()
    sted = models.CharField(max_length=200, blank=True)
    titel = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=MoedeStatus.choices, default=MoedeStatus.PLANLAGT)
    sekvens = models.PositiveIntegerField("sekvens", default=0, help_text="iCal SEQUENCE; hæves ved hver ændring.")
    dagsorden_offentliggjort = models.DateTimeField("dagsorden offentliggjort", null=True, blank=True)
    referat_offentliggjort = models.DateTimeField("referat offentliggjort", null=True, blank=True)
    oprettet = models.DateTimeField(default=timezone.now)
    opdateret = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "møde"
        verbose_name_plural = "møder"
        ordering = ["-start"]
        indexes = [models.Index(fields=["status", "start"], name="moede_status_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(slut__gt=models.F("start")),
                name="moede_slut_efter_start",
                violation_error_message="Mødet skal slutte efter, det begynder.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum} {dansk.dato(self.start, kort=True)}"

    @property
    def visningstitel(self) -> str:
        return self.titel or f"Møde i {self.forum.navn}"

    @property
    def er_offentligt(self) -> bool:
        return self.status in OFFENTLIGE_MOEDESTATUS

    @property
    def dagsorden_er_offentlig(self) -> bool:
        """The items are public once the agenda was published (also if the meeting was cancelled later)."""
        return self.dagsorden_offentliggjort is not None and self.status != MoedeStatus.PLANLAGT


class Dagsordenpunkt(models.Model):
    """An agenda item as a council records it (seed 004): case number, account, recommendation, decision.
    A closed item (`aaben` false) shows the public only its number and "Lukket punkt"."""

    moede = models.ForeignKey(Moede, on_delete=models.CASCADE, related_name="punkter")
    nummer = models.PositiveSmallIntegerField()
    titel = models.CharField(max_length=300)
    sagsnummer = models.CharField(max_length=50, blank=True)
    aaben = models.BooleanField("åbent punkt", default=True)
    sagsfremstilling = models.TextField(blank=True)
    indstilling = models.TextField(blank=True)
    beslutning = models.TextField(blank=True)
    fravaerende = models.TextField("fraværende", blank=True)
    bilag = models.TextField("bilagsbetegnelser", blank=True,
                            help_text="Én bilagsbetegnelse pr. linje (bilag, der ikke er lagt op som filer).")

    class Meta:
        verbose_name = "dagsordenpunkt"
        verbose_name_plural = "dagsordenpunkter"
        ordering = ["moede", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["moede", "nummer"], name="dagsordenpunkt_unikt_nummer"),
        ]

    def __str__(self) -> str:
        return f"{self.nummer}. {self.titel}"

    @property
    def bilagsbetegnelser(self) -> list[str]:
        return [linje.strip() for linje in self.bilag.splitlines() if linje.strip()]


def _punktbilag_sti(instance: "Punktbilag", filnavn: str) -> str:
    return f"moeder/{instance.punkt.moede_id}/{timezone.now():%Y%m%d%H%M%S}-{filnavn}"


class Punktbilag(models.Model):
    """A file attached to an agenda item (PDF, DOCX, XLSX, checked by content: sundhed.filkontrol),
    served only to those who may read the item."""

    punkt = models.ForeignKey(Dagsordenpunkt, on_delete=models.CASCADE, related_name="bilagsfiler")
    navn = models.CharField(max_length=250)
    fil = models.FileField(upload_to=_punktbilag_sti)
    filnavn = models.CharField(max_length=250)
    indholdstype = models.CharField(max_length=120)
    stoerrelse = models.PositiveIntegerField("størrelse (bytes)")
    uploadet_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    uploadet = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "bilag til dagsordenpunkt"
        verbose_name_plural = "bilag til dagsordenpunkter"
        ordering = ["punkt", "uploadet", "pk"]

    def __str__(self) -> str:
        return self.navn


class Kalenderadgang(models.Model):
    """A user's personal calendar feed (/arbejde/kalender/<token>.ics): the meetings of the fora they sit
    in. Calendar apps fetch it without a session, so the token in the address is the credential. Only its
    SHA-256 is stored: a copy of the database opens no one's calendar, and the address is shown once,
    when it is made; renewing replaces the hash, so the old address stops working at once."""

    bruger = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kalenderadgang")
    noegle_hash = models.CharField("nøglens SHA-256", max_length=64, unique=True)
    oprettet = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "kalenderadgang"
        verbose_name_plural = "kalenderadgange"

    def __str__(self) -> str:
        return f"Kalender for {self.bruger}"
