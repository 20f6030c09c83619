"""The health agreement and the collaboration agreements with their versions, decisions and follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aftaler.choices import (
    OFFENTLIGE_STATUS,
    Beslutning,
    ImplementeringStatus,
    Omfang,
    Oprindelse,
    Status,
    Udfald,
)
from organisation.models import Dagsordenpunkt, Forum, Klynge, Part
from sundhed import dansk
from sundhed.models import NAVN_LAENGDE


def _navnefelt(tekst: str) -> models.CharField:
    """The name of who acted, as it was when the row was written (sundhed.services.navn_paa)."""
    return models.CharField(f"{tekst} (navn)", max_length=NAVN_LAENGDE, blank=True,
                            help_text="Navnet, som det var, da rækken blev skrevet.")


class Sundhedsaftale(models.Model):
    """The health agreement for a period: visions, areas of effort and goals."""

    titel = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    periode_fra = models.PositiveSmallIntegerField("fra år")
    periode_til = models.PositiveSmallIntegerField("til år")
    visioner = models.TextField(blank=True, help_text="Én vision pr. linje: 'Overskrift: tekst'.")
    beskrivelse = models.TextField(blank=True)

    class Meta:
        verbose_name = "sundhedsaftale"
        verbose_name_plural = "sundhedsaftaler"
        ordering = ["-periode_fra"]
        constraints = [
            models.CheckConstraint(condition=Q(periode_til__gte=models.F("periode_fra")),
                                   name="sundhedsaftale_periode_gyldig"),
        ]

    def __str__(self) -> str:
        return self.titel

    @property
    def visionsliste(self) -> list[tuple[str, str]]:
        res = []
        for linje in self.visioner.splitlines():
            if linje.strip():
                titel, _, tekst = linje.partition(":")
                res.append((titel.strip(), tekst.strip()))
        return res


class Indsatsomraade(models.Model):
    """A prioritised area of effort of the health agreement."""

    sundhedsaftale = models.ForeignKey(Sundhedsaftale, on_delete=models.CASCADE, related_name="indsatsomraader")
    navn = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    fokus = models.CharField(max_length=300, blank=True)
    beskrivelse = models.TextField(blank=True)
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "indsatsområde"
        verbose_name_plural = "indsatsområder"
        ordering = ["sundhedsaftale", "sortering", "navn"]

    def __str__(self) -> str:
        return self.navn


class Maalsaetning(models.Model):
    """A shared goal under an area of effort, or a national goal (indsatsomraade empty)."""

    sundhedsaftale = models.ForeignKey(Sundhedsaftale, on_delete=models.CASCADE, related_name="maalsaetninger")
    indsatsomraade = models.ForeignKey(
        Indsatsomraade, on_delete=models.CASCADE, null=True, blank=True, related_name="maalsaetninger"
    )
    national = models.BooleanField("nationalt mål", default=False)
    tekst = models.TextField()
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "målsætning"
        verbose_name_plural = "målsætninger"
        ordering = ["sundhedsaftale", "national", "indsatsomraade__sortering", "sortering"]

    def __str__(self) -> str:
        return self.tekst[:80]


def offentlig_q(sti: str = "") -> Q:
    """The one definition of a public agreement, as a filter: from `indstillet` on, or with a published
    version (while a revision is drafted). `sti` reaches the agreement from another model ("aftale__").
    Samarbejdsaftale.er_offentlig is the same rule for one loaded agreement; aftaler.opendata's
    precompiled stamp SQL repeats it for speed (tests/aftaler/test_feeds_opendata.py keeps them equal)."""
    return Q(**{f"{sti}status__in": OFFENTLIGE_STATUS}) | Q(**{f"{sti}offentliggjort_version__isnull": False})


class SamarbejdsaftaleQuerySet(models.QuerySet):
    def offentlige(self):
        """Readable by anyone (offentlig_q)."""
        return self.filter(offentlig_q())


class Samarbejdsaftale(models.Model):
    """A collaboration agreement, carried from first draft to approval, publication and implementation."""

    titel = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    resume = models.TextField("resumé", blank=True)
    maalgruppe = models.TextField("målgruppe", blank=True)
    indsatsomraade = models.ForeignKey(
        Indsatsomraade, on_delete=models.SET_NULL, null=True, blank=True, related_name="aftaler",
        verbose_name="indsatsområde",
    )
    ejer_forum = models.ForeignKey(
        Forum, on_delete=models.SET_NULL, null=True, blank=True, related_name="ejede_aftaler",
        verbose_name="ejer (forum)",
    )
    omfang = models.CharField(max_length=10, choices=Omfang.choices, default=Omfang.REGIONAL)
    klynge = models.ForeignKey(
        Klynge, on_delete=models.PROTECT, null=True, blank=True, related_name="lokale_aftaler",
        help_text="Kun for lokale aftaler.",
    )
    oprindelse = models.CharField(max_length=20, choices=Oprindelse.choices, default=Oprindelse.BESTILLING)
    oprindelse_reference = models.CharField(
        "reference", max_length=300, blank=True, help_text="Fx mødet og punktet, hvor udvalget bestilte aftalen."
    )
    proevehandling = models.ForeignKey(
        "Proevehandling", on_delete=models.SET_NULL, null=True, blank=True, related_name="aftaler",
        verbose_name="prøvehandling",
    )
    ekstra_parter = models.ManyToManyField(
        Part, blank=True, related_name="+", verbose_name="ekstra godkendende parter",
        help_text="Fx PLO-Midtjylland, når praksissektoren også skal godkende.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UDKAST, db_index=True)
    aktuel_version = models.ForeignKey(
        "AftaleVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offentliggjort_version = models.ForeignKey(
        "AftaleVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hoeringsfrist = models.DateField("høringsfrist", null=True, blank=True)
    beslutningsfrist = models.DateField(null=True, blank=True)
    indstillet_dato = models.DateField(null=True, blank=True)
    godkendt_dato = models.DateField(null=True, blank=True)
    ikrafttraedelse = models.DateField("ikrafttrædelse", null=True, blank=True)
    revisionsdato = models.DateField(null=True, blank=True)
    # Bumped by every save through the editor: a form carrying an older number is a stale save.
    revision = models.PositiveIntegerField(default=0)
    oprettet = models.DateTimeField(default=timezone.now)
    opdateret = models.DateTimeField(default=timezone.now, db_index=True)

    objects = SamarbejdsaftaleQuerySet.as_manager()

    class Meta:
        verbose_name = "samarbejdsaftale"
        verbose_name_plural = "samarbejdsaftaler"
        ordering = ["titel"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(omfang=Omfang.LOKAL) & Q(klynge__isnull=False))
                | (Q(omfang=Omfang.REGIONAL) & Q(klynge__isnull=True)),
                name="aftale_lokal_har_klynge",
                violation_error_message="En lokal aftale skal høre til én klynge; en regional til ingen.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="aftale_status_gyldig",
            ),
        ]

    def __str__(self) -> str:
        return self.titel

    @property
    def er_offentlig(self) -> bool:
        return self.status in OFFENTLIGE_STATUS or self.offentliggjort_version_id is not None


class AftaleVersion(models.Model):
    """One version of an agreement's text. Frozen (immutable, also in the database) once it has
    been sent to consultation or recommended."""

    aftale = models.ForeignKey(Samarbejdsaftale, on_delete=models.CASCADE, related_name="versioner")
    nummer = models.PositiveIntegerField()
    tekst = models.TextField(blank=True, help_text="Renset HTML.")
    # Title, summary and target group belong to the version: during a revision the public keeps
    # reading the published version's, while the draft's wait here (blank on versions written
    # before this field existed: the agreement's own then apply).
    titel = models.CharField(max_length=250, blank=True)
    resume = models.TextField("resumé", blank=True)
    maalgruppe = models.TextField("målgruppe", blank=True)
    aendringsnote = models.CharField("ændringsnote", max_length=500, blank=True)
    # PROTECT: a frozen version cannot change (not even to forget its author), so its author stays.
    forfatter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    oprettet = models.DateTimeField(default=timezone.now)
    frossen = models.BooleanField(default=False)

    class Meta:
        verbose_name = "aftaleversion"
        verbose_name_plural = "aftaleversioner"
        ordering = ["aftale", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["aftale", "nummer"], name="version_unikt_nummer"),
            models.CheckConstraint(condition=Q(nummer__gte=1), name="version_nummer_positivt"),
        ]

    def __str__(self) -> str:
        return f"{self.aftale} v{self.nummer}"


class Overgang(models.Model):
    """Append-only record of a state change: who, when, from, to, on which version. The database
    refuses to change it (migration 0007)."""

    aftale = models.ForeignKey(Samarbejdsaftale, on_delete=models.CASCADE, related_name="overgange")
    handling = models.CharField(max_length=30)
    fra_status = models.CharField(max_length=20, choices=Status.choices)
    til_status = models.CharField(max_length=20, choices=Status.choices)
    version = models.ForeignKey(AftaleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    bruger = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    bruger_navn = _navnefelt("bruger")
    tidspunkt = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "overgang"
        verbose_name_plural = "overgange"
        ordering = ["aftale", "tidspunkt", "id"]

    def __str__(self) -> str:
        return f"{self.aftale}: {self.fra_status} -> {self.til_status}"


class Behandling(models.Model):
    """A forum dealt with the agreement (discussed, endorsed, recommended, sent back). Append-only:
    the database refuses to change it (migration 0007), so a meeting item it refers to is not deleted."""

    aftale = models.ForeignKey(Samarbejdsaftale, on_delete=models.CASCADE, related_name="behandlinger")
    version = models.ForeignKey(AftaleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="behandlinger")
    dato = models.DateField()
    dagsordenpunkt = models.ForeignKey(Dagsordenpunkt, on_delete=models.PROTECT, null=True, blank=True)
    udfald = models.CharField(max_length=20, choices=Udfald.choices)
    note = models.TextField(blank=True)
    registreret_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    registreret_af_navn = _navnefelt("registreret af")
    registreret = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "behandling"
        verbose_name_plural = "behandlinger"
        ordering = ["aftale", "dato", "id"]

    def __str__(self) -> str:
        return f"{self.forum}: {self.get_udfald_display()} {dansk.dato(self.dato, kort=True)}"


class Godkendelse(models.Model):
    """One authority's decision on one version. One final decision (godkendt/afvist) per
    (version, party); a postponement may come first and stays in the history."""

    version = models.ForeignKey(AftaleVersion, on_delete=models.PROTECT, related_name="godkendelser")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, related_name="godkendelser")
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="besluttende forum")
    beslutning = models.CharField(max_length=10, choices=Beslutning.choices)
    dato = models.DateField()
    sagsnummer = models.CharField(max_length=60, blank=True)
    referat_url = models.URLField("link til referat", blank=True)
    bemaerkning = models.TextField("bemærkning", blank=True)
    # Append-only (the database refuses changes, migration 0007): the recorder cannot be deleted.
    registreret_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    registreret_af_navn = _navnefelt("registreret af")
    registreret = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "godkendelse"
        verbose_name_plural = "godkendelser"
        ordering = ["version", "part", "registreret"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "part"],
                condition=Q(beslutning__in=["godkendt", "afvist"]),
                name="godkendelse_en_endelig_pr_part",
                violation_error_message="Myndigheden har allerede truffet endelig beslutning om denne version.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part}: {self.get_beslutning_display()} ({self.version})"


class Implementering(models.Model):
    """How far a cluster has come implementing an agreement in force."""

    aftale = models.ForeignKey(Samarbejdsaftale, on_delete=models.CASCADE, related_name="implementeringer")
    klynge = models.ForeignKey(Klynge, on_delete=models.PROTECT, related_name="implementeringer")
    status = models.CharField(max_length=20, choices=ImplementeringStatus.choices,
                              default=ImplementeringStatus.IKKE_STARTET)
    note = models.TextField(blank=True)
    opdateret_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    opdateret_af_navn = _navnefelt("opdateret af")
    opdateret = models.DateTimeField(default=timezone.now)
    # A structure change carries the row over to the successor area: the old row stays as history.
    forgaenger = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="efterfoelgere",
        verbose_name="fortsætter", help_text="Rækken for den klynge, som dette område har overtaget efter.",
    )
    fortsat_fra = models.DateField("fortsat fra", null=True, blank=True)

    class Meta:
        verbose_name = "implementering"
        verbose_name_plural = "implementeringer"
        ordering = ["aftale", "klynge"]
        constraints = [models.UniqueConstraint(fields=["aftale", "klynge"], name="implementering_unik")]

    def __str__(self) -> str:
        return f"{self.aftale} i {self.klynge}: {self.get_status_display()}"


class Proevehandling(models.Model):
    """A pilot in a cluster; its results may be presented to the committee and lead to an agreement."""

    klynge = models.ForeignKey(Klynge, on_delete=models.PROTECT, related_name="proevehandlinger")
    titel = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    beskrivelse = models.TextField(blank=True)
    periode_fra = models.DateField(null=True, blank=True)
    periode_til = models.DateField(null=True, blank=True)
    resultater = models.TextField(blank=True)
    praesenteret_dato = models.DateField("præsenteret for udvalget", null=True, blank=True)
    registreret_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    registreret_af_navn = _navnefelt("registreret af")
    oprettet = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "prøvehandling"
        verbose_name_plural = "prøvehandlinger"
        ordering = ["-oprettet"]
        constraints = [
            models.CheckConstraint(
                condition=Q(periode_til__isnull=True) | Q(periode_fra__isnull=True)
                | Q(periode_til__gte=models.F("periode_fra")),
                name="proevehandling_periode_gyldig",
            ),
        ]

    def __str__(self) -> str:
        return self.titel


class Hoeringssvar(models.Model):
    """A party's or cluster's answer to a version in consultation."""

    version = models.ForeignKey(AftaleVersion, on_delete=models.PROTECT, related_name="hoeringssvar")
    part = models.ForeignKey(Part, on_delete=models.PROTECT, null=True, blank=True, related_name="hoeringssvar")
    klynge = models.ForeignKey(Klynge, on_delete=models.PROTECT, null=True, blank=True, related_name="hoeringssvar")
    tekst = models.TextField()
    afgivet_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    afgivet_af_navn = _navnefelt("afgivet af")
    afgivet = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "høringssvar"
        verbose_name_plural = "høringssvar"
        ordering = ["version", "afgivet"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(part__isnull=False) & Q(klynge__isnull=True))
                | (Q(part__isnull=True) & Q(klynge__isnull=False)),
                name="hoeringssvar_fra_part_eller_klynge",
            ),
            models.UniqueConstraint(fields=["version", "part"], condition=Q(part__isnull=False),
                                    name="hoeringssvar_et_pr_part"),
            models.UniqueConstraint(fields=["version", "klynge"], condition=Q(klynge__isnull=False),
                                    name="hoeringssvar_et_pr_klynge"),
        ]

    def __str__(self) -> str:
        return f"Høringssvar fra {self.part or self.klynge}"

    @property
    def afsender(self):
        return self.part or self.klynge

    @property
    def underskrift(self) -> str:
        """How the answer is signed: "Karen Jensen, Horsens Kommune" (the person's name as kept when
        answering, and the authority or cluster answering). The name alone when it already names the
        authority (a council secretariat's shared seat), the authority alone when no name was kept or
        the name kept is only the login (a user without a person: a username signs nothing)."""
        afsender = self.afsender.navn if self.afsender else ""
        navn = (self.afgivet_af_navn or "").strip()
        if navn and self.afgivet_af_id and self.afgivet_af and navn == self.afgivet_af.get_username():
            navn = ""
        if not navn:
            return afsender
        if not afsender or afsender in navn:
            return navn
        return f"{navn}, {afsender}"


def _bilag_sti(instance, filename: str) -> str:
    return f"bilag/{instance.aftale_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Bilag(models.Model):
    """An attachment to an agreement (PDF, DOCX, XLSX), served only after a permission check."""

    aftale = models.ForeignKey(Samarbejdsaftale, on_delete=models.CASCADE, related_name="bilag")
    titel = models.CharField(max_length=250)
    fil = models.FileField(upload_to=_bilag_sti)
    filnavn = models.CharField(max_length=250)
    indholdstype = models.CharField(max_length=120)
    stoerrelse = models.PositiveIntegerField("størrelse (bytes)")
    uploadet_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    uploadet = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "bilag"
        verbose_name_plural = "bilag"
        ordering = ["aftale", "uploadet"]

    def __str__(self) -> str:
        return self.titel


class Dagsordensag(models.Model):
    """An agenda item concerns this agreement (one agreement per item). Lives here, not in organisation,
    because organisation never imports aftaler; written by aftaler.services.punkt_udfald_registrer."""

    punkt = models.OneToOneField(Dagsordenpunkt, on_delete=models.CASCADE, related_name="sag")
    aftale = models.ForeignKey(Samarbejdsaftale, on_delete=models.PROTECT, related_name="dagsordenpunkter")

    class Meta:
        verbose_name = "dagsordenssag"
        verbose_name_plural = "dagsordenssager"

    def __str__(self) -> str:
        return f"{self.punkt}: {self.aftale}"


class Kommentar(models.Model):
    """A drafting member's comment on a draft version, optionally quoting the passage it is about.
    Never public: only the drafting audience with the `kommentere` capability reads it
    (aftaler.policies.kan_se_kommentarer); written by aftaler.kommentarer."""

    version = models.ForeignKey(AftaleVersion, on_delete=models.CASCADE, related_name="kommentarer")
    forfatter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    forfatter_navn = _navnefelt("forfatter")
    # The body the author spoke for when writing (e.g. "Sundhedsstyregruppen, Horsens Kommune"), kept as text.
    forfatter_myndighed = models.CharField("forfatterens myndighed", max_length=300, blank=True)
    tekst = models.TextField()
    citat = models.TextField(blank=True, help_text="Det stykke af versionens tekst, kommentaren handler om.")
    oprettet = models.DateTimeField(default=timezone.now)
    behandlet = models.DateTimeField(null=True, blank=True)
    behandlet_af = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    behandlet_af_navn = _navnefelt("behandlet af")

    class Meta:
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        ordering = ["version", "oprettet", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(behandlet__isnull=False) | Q(behandlet_af__isnull=True),
                                   name="kommentar_behandlet_af_kun_naar_behandlet"),
        ]

    def __str__(self) -> str:
        return f"Kommentar til {self.version}"


from aftaler.models_soeg import Soegeindeks  # noqa: E402,F401
