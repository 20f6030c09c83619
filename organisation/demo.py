"""Demo data: the real structure of the collaboration in Region Midtjylland, from the seeds.

Parties, the five clusters with their municipalities and hospitals, the fora with their tasks
(opgavefordelingen of seeds 000 and 001) and composition, and the demo users. People are named
by the seat they hold ("Borgmester, Horsens Kommune"), never by invented personal names; the
same officeholder is one Person with several memberships.

Loading is idempotent: slugs (and a person's role name, and a user's username) are natural keys,
fields are compared before anything is written, so a second run saves nothing and writes no
audit rows. Every write goes through organisation.services, so audit rows and permissions follow.

Dates: active bodies and memberships start on 1 July 2022, the date of the structure the portal
carries (seed 000), not the date each body was founded. Bodies replaced that day are archived.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Model

from organisation import services
from organisation.choices import ForumType, PartType, Rolle
from organisation.models import Forum, Klynge, Medlemskab, Part, Person
from sundhed.text import dansk_slug

START = datetime.date(2022, 7, 1)
FOER_2022 = datetime.date(2019, 1, 1)  # the 2019-2023 health agreement's period begins
SLUT_FOER_2022 = datetime.date(2022, 6, 30)
ADGANGSKODE = "demo"

REGION = "region-midtjylland"
PLO = "plo-midtjylland"
PSYKIATRI = "psykiatrien-region-midtjylland"

KOMMUNER = [
    "Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig", "Norddjurs", "Odder",
    "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg", "Skanderborg", "Skive", "Struer", "Syddjurs", "Viborg",
    "Aarhus",
]

# (slug, navn, kortnavn)
HOSPITALER = [
    ("aarhus-universitetshospital", "Aarhus Universitetshospital", "AUH"),
    ("regionshospitalet-goedstrup", "Regionshospitalet Gødstrup", "RH Gødstrup"),
    ("regionshospitalet-horsens", "Regionshospitalet Horsens", "RH Horsens"),
    ("regionshospitalet-randers", "Regionshospitalet Randers", "RH Randers"),
    ("hospitalsenheden-midt", "Hospitalsenheden Midt", "HE Midt"),
]


@dataclass(frozen=True)
class KlyngeData:
    slug: str
    navn: str
    hospital: str  # Part slug
    kommuner: tuple[str, ...]  # town names, as in KOMMUNER
    formandskommune: str  # the municipality whose representative chairs the political level
    demobruger: str
    tidligere_navn: str = ""


# seeds/README.md: clusters, acute hospitals and municipalities.
KLYNGER = [
    KlyngeData("aarhusklyngen", "Aarhusklyngen", "aarhus-universitetshospital", ("Aarhus", "Samsø"), "Aarhus",
               "klynge-aarhus"),
    KlyngeData("horsensklyngen", "Horsensklyngen", "regionshospitalet-horsens",
               ("Hedensted", "Horsens", "Odder", "Skanderborg"), "Horsens", "klynge-horsens"),
    KlyngeData("midtklyngen", "Midtklyngen", "hospitalsenheden-midt", ("Silkeborg", "Skive", "Viborg"), "Viborg",
               "klynge-midt"),
    KlyngeData("randersklyngen", "Randersklyngen", "regionshospitalet-randers",
               ("Favrskov", "Norddjurs", "Randers", "Syddjurs"), "Randers", "klynge-randers"),
    KlyngeData("goedstrupklyngen", "Gødstrupklyngen", "regionshospitalet-goedstrup",
               ("Herning", "Holstebro", "Ikast-Brande", "Lemvig", "Ringkøbing-Skjern", "Struer"), "Herning",
               "klynge-goedstrup", tidligere_navn="Vestklyngen"),
]

# Sundhedsstyregruppen (seed 001): "7 direktører fra kommunerne (KOSU-medlemmerne)" and
# "1 kommunaldirektør (medformand)". Chosen so every cluster is represented.
KOSU_KOMMUNER = ["Aarhus", "Horsens", "Silkeborg", "Viborg", "Randers", "Herning", "Holstebro"]
KOSU_FORMANDSKOMMUNE = "Skanderborg"
SEKRETARIATSLEDER_KOMMUNE = "Aarhus"
# The Sundhedssamarbejdsudvalg's municipal representative who is næstformand (the regional chair is formand).
UDVALG_NAESTFORMAND_KLYNGE = "horsensklyngen"

DEMOBRUGERE_UDEN_PERSON = {"admin"}
STAFF = {"admin", "sekretariat"}


def kommune_slug(by: str) -> str:
    return dansk_slug(by)


def demobrugere() -> list[str]:
    """Every demo username, in the order they are listed in DESIGN.md."""
    return [
        "sekretariat", "temagruppe-forebyggelse", "styregruppe", "region",
        *(f"kommune-{kommune_slug(by)}" for by in KOMMUNER),
        *(k.demobruger for k in KLYNGER),
        "admin",
    ]


# --- the bodies' own texts (seeds 000, 001, 002, 004) ------------------------------------------

UDVALG_FORMAAL = (
    "Sundhedssamarbejdsudvalget koordinerer og sætter retning for arbejdet på tværs af sundhedsklyngerne i "
    "regionen. Udvalget udarbejder udkast til sundhedsaftale. Udvalgets drøftelser og beslutninger fungerer som "
    "retningsgivende og som oplæg til sundhedsklyngernes mere patient- og borgernære drøftelser og beslutninger, "
    "der tager udgangspunkt i den enkelte sundhedsklynges behov og ønsker.\n\n"
    "Udvalget er nedsat med afsæt i lov om etablering af sundhedsklynger og sundhedssamarbejdsudvalg fra 9. juni "
    "2022. De hidtidige Sundhedskoordinationsudvalget og Praksisplanudvalget blev pr. 1. juli 2022 slået sammen "
    "til Sundhedssamarbejdsudvalget."
)
UDVALG_OPGAVER = [
    "Understøtter samarbejdet på tværs af sundhedsvæsenet og understøtter, at der skabes sammenhæng for bl.a. "
    "ældre medicinske patienter, borgere med kroniske sygdomme og borgere med psykiske lidelser, herunder borgere, "
    "som ud over en psykisk lidelse har et alkohol- eller stofmisbrug, der har forløb på tværs af sygehuse, "
    "praksissektor og kommunale tilbud",
    "Udarbejder udkast til sundhedsaftale og følger op på sundhedsaftalens mål",
    "Drøfter emner, der er relevante for sammenhængen i forløb mellem sygehuse, praksissektor og kommunale tilbud, "
    "herunder fælles funktioner samt koordinering og prioritering af midler til sammenhængende løsninger på "
    "sundhedsområdet",
    "Fastlægger fælles rammer og retning for udviklingen af det tværsektorielle samarbejde og samarbejdet på tværs "
    "af regionens sundhedsklynger, fx samarbejdet mellem regioner, kommuner og almen praksis",
    "Drøfter regionsdækkende samarbejdsaftaler mellem kommuner og region og indstiller samarbejdsaftaler til "
    "godkendelse i kommuner og regionsrådet",
    "Understøtter, at nationale handleplaner mv. implementeres på tværs af sundhedsklyngerne i regionen",
    "Drøfter sundhedsklyngernes udviklingstiltag og indstiller evt. veldokumenterede tiltag til udbredelse på "
    "tværs af sundhedsklynger eller på nationalt niveau",
    "Drøfter praksisplan forud for vedtagelse i regionsrådet og drøfter almen praksis' rolle i samarbejdet mellem "
    "region, kommuner og almen praksis i relation til udformning af sundhedsaftalen",
]
UDVALG_SAMMENSAETNING = (
    "Tre repræsentanter fra regionsrådet, herunder regionsrådsformanden, og en kommunal repræsentant fra hver af "
    "de fem sundhedsklynger (borgmestre/fagborgmestre). Regionsrådsformanden er formand."
)

KLYNGE_FORMAAL = (
    "Sundhedsklyngen skal løfte populationsansvaret med udgangspunkt i akutsygehusets optageområde og sikre "
    "sammenhæng i behandlings- og rehabiliteringsforløb på tværs af sundhedsområdet og i relevant omfang mellem "
    "sundhedssektoren og de tilgrænsende sektorer. Sundhedsklyngen skal samtidig styrke forebyggelse, kvalitet og "
    "omstilling til det primære sundhedsvæsen."
)
KLYNGE_POLITISK_FORMAAL = (
    KLYNGE_FORMAAL + "\n\nDet politiske niveau sætter retning for sundhedsklyngen. Samarbejdsaftaler godkendes i "
    "kommuner og regionsråd og implementeres derefter i regi af klyngerne. Klyngen kan også indgå lokale aftaler "
    "ift. særskilte behov og/eller prioriteringer."
)
KLYNGE_POLITISK_OPGAVER = [
    "Sætter retning for sundhedsklyngen, herunder igangsætter indsatser med omstilling til det primære "
    "sundhedsvæsen",
    "Implementerer og kommer med input til sundhedsaftalen og nationale tiltag",
    "Drøfter og beslutter anvendelsen af prioriterede midler",
    "Opstiller inden for sundhedsaftalens ramme selvstændige mål for arbejdet med udgangspunkt i lokale "
    "udfordringer og behov, fx ift. særlige indsatser for at imødegå sammenhængsproblematikker i sundhedsklyngens "
    "population og evt. lokale folkesundhedsmæssige udfordringer eller sygdomsbyrder",
]
KLYNGE_ADMINISTRATIV_FORMAAL = (
    KLYNGE_FORMAAL + "\n\nDet administrative (fagligt/strategiske) niveau viderefører det klyngesamarbejde, der "
    "har fungeret i Midtjylland før 2022. Klyngerne spiller en stor rolle både i forhold til implementering, "
    "nyudvikling og konkrete afprøvninger af nye løsninger (prøvehandlinger)."
)
KLYNGE_ADMINISTRATIV_OPGAVER = [
    "Implementerer de samarbejdsaftaler, der er godkendt i kommuner og regionsråd",
    "Udvikler og afprøver løsninger på en given udfordring på opdrag eller eget initiativ, med henblik på spredning "
    "til hele regionen (prøvehandlinger)",
    "Følger op på fastlagte mål og implementering af lokalt og nationalt aftalte initiativer",
    "Drøfter og aftaler modeller for bedre patientforløb med fokus på styrket kvalitet og øget nærhed",
    "Håndterer praktiske udfordringer og muligheder i sundhedsklyngen",
    "Følger og drøfter centrale nøgletal og data for populationen inden for sundhedsklyngen",
]

STYREGRUPPE_FORMAAL = (
    "Sundhedsstyregruppen er det øverste administrative organ i sundhedssamarbejdet. Sundhedsstyregruppen træffer "
    "de overordnede strategiske beslutninger for sundhedsaftalesamarbejdet og for den overordnede implementering "
    "af sundhedsaftalen."
)
STYREGRUPPE_OPGAVER = [
    "Træffer de overordnede strategiske beslutninger for sundhedsaftalesamarbejdet og for den overordnede "
    "implementering af sundhedsaftalen",
    "Behandler sager af væsentlig økonomisk, organisatorisk eller kvalitetsmæssig betydning, herunder skalering og "
    "udbredelse af initiativer",
    "Forbereder sager til det politiske niveau (Sundhedssamarbejdsudvalget, før 1. juli 2022 "
    "Sundhedskoordinationsudvalget)",
    "Fungerer som bestyrelse for Folkesundhed i Midten",
    "Kan udpeges til fx programledelse for udvalgte fælles initiativer",
    "Følger løbende sundhedsaftalens implementering i forhold til opfyldelse af de mål, som er fastsat i "
    "sundhedsaftalen",
    "Behandler tidligt de strategiske muligheder og dilemmaer i sager af væsentlig karakter og sætter den "
    "strategiske retning",
    "Styrker dialogen og samspillet med klyngeniveauet og dagsordensætter initiativer fra klyngerne",
]
STYREGRUPPE_SAMMENSAETNING = "\n".join([
    "7 direktører fra kommunerne (KOSU-medlemmerne)",
    "1 kommunaldirektør (medformand)",
    "6 hospitalsledelsesrepræsentanter fra Region Midtjylland",
    "Formand for PLO",
    "Næstformand for PLO",
    "Koncerndirektør, Region Midtjylland (medformand)",
    "Vicedirektør, Region Midtjylland, Nære Sundhedstilbud",
    "Sekretærer fra kommuner og region",
    "Alle klynger inklusiv psykiatrien er repræsenteret i Sundhedsstyregruppen.",
])

FORMANDSKAB_FORMAAL = (
    "Formandskabet for sundhedssamarbejdet består af koncerndirektøren for Region Midtjylland og en "
    "kommunaldirektør (formand for Kommunernes Styregruppe på sundhedsområdet). Mødekredsen kan udvides ad hoc."
)
FORMANDSKAB_OPGAVER = [
    "Varetager det fælles formandskab for Sundhedsstyregruppen (de to medformænd)",
]
FORMANDSKAB_SAMMENSAETNING = (
    "Koncerndirektør, Region Midtjylland, og kommunaldirektør (formand for Kommunernes Styregruppe på "
    "sundhedsområdet). Mødekredsen kan udvides ad hoc."
)

SEKRETARIAT_FORMAAL = (
    "Fælles sekretariat for sundhedsaftalen understøtter den tværgående koordinering mellem Sundhedsstyregruppe og "
    "temagrupper samt temagrupperne på tværs, og sagsforberedelsen til Sundhedsstyregruppen og det politiske niveau."
)
SEKRETARIAT_OPGAVER = [
    "Understøtter den tværgående koordinering mellem Sundhedsstyregruppe og temagrupper samt temagrupperne på tværs",
    "Understøtter sagsforberedelsen til Sundhedsstyregruppen og Sundhedssamarbejdsudvalget",
    "Understøtter den brede formidling af initiativer mv. i regi af sundhedsaftalen, eksempelvis via nyhedsbreve",
    "Sikrer koordinering og igangsætning af opgaver i regi af sundhedsaftalen, herunder udarbejdelse af "
    "kommissorier og udpegninger til midlertidige arbejdsgrupper",
    "Understøtter monitorering, kvalitets- og økonomiopfølgning af de enkelte indsatser samt den generelle "
    "afrapportering på sundhedsaftalen",
]
SEKRETARIAT_SAMMENSAETNING = (
    "Ledes af et fælles ledelsesteam bestående af en kommunal sundhedsdirektør og en regional chef. Sekretariatet "
    "består af 2 konsulenter fra KOSU-sekretariatet, 1 konsulent fra KKR samt 2 konsulenter fra Nære "
    "Sundhedstilbud."
)

TEMAGRUPPE_FORMAAL = (
    "Temagrupperne har til opgave at udvikle fælles rammer/aftaler og konkrete værktøjer, der skal understøtte "
    "sundhedsaftalens implementering, og som vil være gældende for hele regionen. Temagrupperne skal dermed "
    "understøtte sundhedsaftalens ambition om mere ensartethed og udbredelse/skalering af de bedste løsninger. "
    "Temagrupperne kan anskues som en form for stabsfunktion for Sundhedsstyregruppen."
)
TEMAGRUPPE_OPGAVER = [
    "Udvikler fælles rammer/aftaler og konkrete værktøjer, der understøtter sundhedsaftalens implementering i hele "
    "regionen",
    "Koordinerer udviklingen af de udviklingsindsatser, der er aftalt i sundhedsaftalen, og udarbejder efterfølgende "
    "rammer/aftaler samt indikatorer for implementeringen",
    "Er overordnet tovholder for implementeringen af sundhedsaftalen på sit område, fx med forslag til en overordnet "
    "tidsplan/milepælsplan, der viser temagruppens bidrag og hvornår klyngerne iværksætter den videre "
    "implementering",
    "Følger op på aftaler samt indsamler og udbreder viden til og fra klyngerne om initiativer med god effekt og "
    "potentiale for skalering",
    "Træffer beslutning om sundhedsfaglige forhold i tilknytning til sundhedsaftalen; formandskabet vurderer fra "
    "situation til situation, om en beslutning er så principiel og væsentlig, at den skal videre til godkendelse i "
    "Sundhedsstyregruppen",
    "Forbereder sager af strategisk karakter til Sundhedsstyregruppen, herunder initiativer med potentiale for "
    "skalering",
]
TEMAGRUPPE_SAMMENSAETNING = (
    "Sammensat tværfagligt og tværsektorielt på ledelsesniveau; alle klynger er repræsenteret. Delt formandskab "
    "(kommunal formand og regional medformand) og delt sekretariat. Særlig faglig ekspertise indkaldes ad hoc, "
    "eller temagruppen nedsætter en mindre arbejdsgruppe med den tilstrækkelige faglige kompetence."
)
TVAERGAAENDE_FORMAAL = (
    "\n\nTemagruppe af mere tværgående karakter. Der er behov for et tæt samarbejde og dialog mellem temagrupperne "
    "og de tværgående temagrupper."
)


@dataclass(frozen=True)
class GruppeData:
    slug: str
    navn: str
    betegnelse: str  # as it reads inside a seat's name: "Formand for temagruppe Forebyggelse"
    type: str = ForumType.TEMAGRUPPE
    tvaergaaende: bool = False
    psykiatri: bool = False
    formaal: str = ""
    ekstra_opgaver: tuple[str, ...] = ()


TEMAGRUPPER = [
    GruppeData("temagruppe-forebyggelse", "Temagruppe Forebyggelse", "temagruppe Forebyggelse"),
    GruppeData("temagruppe-behandling-pleje-rehabilitering-og-genoptraening",
               "Temagruppe Behandling, pleje, rehabilitering og genoptræning",
               "temagruppe Behandling, pleje, rehabilitering og genoptræning"),
    GruppeData("temagruppe-boern-og-unge-somatik", "Temagruppe Børn og unge somatik",
               "temagruppe Børn og unge somatik"),
    GruppeData("temagruppe-psykiatri-voksen", "Temagruppe Psykiatri – voksen", "temagruppe Psykiatri – voksen",
               psykiatri=True),
    GruppeData("temagruppe-psykiatri-boern", "Temagruppe Psykiatri – børn", "temagruppe Psykiatri – børn",
               psykiatri=True),
    GruppeData("foedeplanudvalget", "Fødeplanudvalget (svangreomsorg)", "Fødeplanudvalget",
               formaal="Svangreomsorgen varetages i regi af Fødeplanudvalget, der har temagruppens opgaver på "
                       "området."),
    GruppeData("temagruppe-it-og-digitale-arbejdsgange", "Temagruppe IT- og digitale arbejdsgange",
               "temagruppe IT- og digitale arbejdsgange", tvaergaaende=True),
    # permissions.py names this slug: its members import indicator data.
    GruppeData("oekonomi-og-opfoelgningsgruppe", "Økonomi- og opfølgningsgruppe", "Økonomi- og opfølgningsgruppen",
               tvaergaaende=True,
               ekstra_opgaver=("Understøtter opfølgningen på sundhedsaftalens mål og indikatorer, som følges to "
                               "gange om året",)),
    GruppeData("kvalitetsgruppe", "Kvalitetsgruppe", "Kvalitetsgruppen", tvaergaaende=True),
]

# "Herudover er der nedsat ..." (seed 001): standing bodies beside the theme groups.
ARBEJDSGRUPPER = [
    ("teknisk-administrativt-udvalg-tandomraadet", "Teknisk administrativt udvalg på tandområdet",
     "Teknisk administrativt udvalg på tandområdet, nedsat i regi af sundhedssamarbejdet ved siden af "
     "temagrupperne."),
    ("hjerneskadesamraad-voksne", "Hjerneskadesamråd for voksne",
     "Hjerneskadesamråd for voksne med erhvervet hjerneskade, nedsat i regi af sundhedssamarbejdet ved siden af "
     "temagrupperne."),
    ("hjerneskadesamraad-boern-og-unge", "Hjerneskadesamråd for børn og unge",
     "Hjerneskadesamråd for børn og unge med erhvervet hjerneskade, nedsat i regi af sundhedssamarbejdet ved siden "
     "af temagrupperne."),
]

# (slug suffix, name suffix)
FORLOEBSPROGRAMMER = [
    ("kol", "KOL"),
    ("diabetes", "diabetes"),
    ("hjertekar", "hjertekarsygdom"),
    ("depression", "depression"),
    ("laende-ryg", "lænde-ryg"),
]

PRAKSISPLAN_FORMAAL = (
    "Praksisplanudvalget udarbejdede en praksisplan, som udstikker de overordnede rammer for opgavevaretagelsen i "
    "almen praksis, og underliggende aftaler for de opgaver, som almen praksis jf. sundhedsaftalen forpligtes til "
    "at udføre.\n\n"
    "Med lov om etablering af sundhedsklynger og sundhedssamarbejdsudvalg fra 9. juni 2022 blev Praksisplanudvalget "
    "og Sundhedskoordinationsudvalget pr. 1. juli 2022 slået sammen til Sundhedssamarbejdsudvalget, som nu drøfter "
    "praksisplanen forud for vedtagelse i regionsrådet."
)
PRAKSISPLAN_OPGAVER = [
    "Udarbejdede en praksisplan med de overordnede rammer for opgavevaretagelsen i almen praksis",
    "Udarbejdede underliggende aftaler for de opgaver, som almen praksis jf. sundhedsaftalen forpligtes til at "
    "udføre",
]
SKU_FORMAAL = (
    "Sundhedskoordinationsudvalget satte politisk retning og mål for sundhedsaftalen 2019-2023 og traf de "
    "overordnede beslutninger for sundhedsaftalesamarbejdet og for den overordnede implementering af "
    "sundhedsaftalen.\n\n"
    "Med lov om etablering af sundhedsklynger og sundhedssamarbejdsudvalg fra 9. juni 2022 blev "
    "Sundhedskoordinationsudvalget og Praksisplanudvalget pr. 1. juli 2022 slået sammen til "
    "Sundhedssamarbejdsudvalget."
)
SKU_OPGAVER = [
    "Satte politisk retning og mål for sundhedsaftalen",
    "Traf de overordnede beslutninger for sundhedsaftalesamarbejdet og for den overordnede implementering af "
    "sundhedsaftalen",
    "Indstillede samarbejdsaftaler til godkendelse og implementering i kommunerne og regionen",
]
PATIENTINDDRAGELSE_FORMAAL = (
    "Patientinddragelsesudvalget bidrager til at styrke brugerperspektivet på sundhedsvæsenet med særligt fokus på "
    "det sammenhængende patientforløb mellem hospitaler, praksissektor og kommuner.\n\n"
    "Udvalget blev inddraget i drøftelsen af emner inden for Praksisplanudvalgets og Sundhedskoordinationsudvalgets "
    "områder. Siden 1. juli 2022 er de to udvalg slået sammen til Sundhedssamarbejdsudvalget (lov om etablering af "
    "sundhedsklynger og sundhedssamarbejdsudvalg fra 9. juni 2022)."
)
PATIENTINDDRAGELSE_OPGAVER = [
    "Bidrager til at styrke brugerperspektivet på sundhedsvæsenet med særligt fokus på det sammenhængende "
    "patientforløb mellem hospitaler, praksissektor og kommuner",
    "Inddrages systematisk i drøftelsen af emner inden for Sundhedssamarbejdsudvalgets område",
]
RAAD_OPGAVER = [
    "Godkender samarbejdsaftaler, som Sundhedssamarbejdsudvalget har indstillet",
    "Registrerer beslutning, dato, sagsnummer og link til referat for myndigheden",
]


def _linjer(opgaver) -> str:
    return "\n".join(opgaver)


# --- loading ----------------------------------------------------------------------------------


class _Indlaesning:
    """One run: existing rows read once up front, then compared, and written only where they differ."""

    def __init__(self) -> None:
        self.parter = {p.slug: p for p in Part.objects.all()}
        self.klynger = {k.slug: k for k in Klynge.objects.all()}
        self.fora = {f.slug: f for f in Forum.objects.all()}
        self.personer = {p.navn: p for p in Person.objects.all()}
        self.medlemskaber = {
            (m.person_id, m.forum_id, m.rolle, m.valid_from): m for m in Medlemskab.objects.all()
        }
        self.kommuner_i_klynge: dict[int, set[int]] = {}
        for klynge_id, part_id in Klynge.kommuner.through.objects.values_list("klynge_id", "part_id"):
            self.kommuner_i_klynge.setdefault(klynge_id, set()).add(part_id)
        user_model = get_user_model()
        self.brugere = {u.username: u for u in user_model.objects.filter(username__in=demobrugere())}
        self._set_personer: set[str] = set()
        self._kodet: str | None = None
        self._kontrolleret: dict[str, bool] = {}
        self.oprettet: Counter[str] = Counter()
        self.aendret: Counter[str] = Counter()

    # generic compare-and-save

    def _gem(self, obj: Model, felter: dict) -> Model:
        """Set `felter` on `obj` and save it through the service, only if it is new or something differs."""
        ny = obj.pk is None
        forskel = ny
        for navn, vaerdi in felter.items():
            felt = obj._meta.get_field(navn)
            if felt.is_relation:
                nu, skal = getattr(obj, felt.attname), (vaerdi.pk if vaerdi is not None else None)
            else:
                nu, skal = getattr(obj, navn), vaerdi
            if nu != skal:
                setattr(obj, navn, vaerdi)
                forskel = True
        if forskel:
            services.struktur_gem(obj=obj, bruger=None)
            (self.oprettet if ny else self.aendret)[obj._meta.verbose_name_plural] += 1
        return obj

    def part(self, slug: str, **felter) -> Part:
        obj = self.parter.get(slug) or Part(slug=slug)
        self.parter[slug] = self._gem(obj, felter)
        return self.parter[slug]

    def klynge(self, slug: str, kommuner: list[Part], **felter) -> Klynge:
        obj = self.klynger.get(slug) or Klynge(slug=slug)
        ny = obj.pk is None
        obj = self.klynger[slug] = self._gem(obj, felter)
        if self.kommuner_i_klynge.get(obj.pk, set()) != {k.pk for k in kommuner}:
            services.struktur_m2m_gem(obj=obj, felt="kommuner", vaerdier=kommuner, bruger=None)
            self.kommuner_i_klynge[obj.pk] = {k.pk for k in kommuner}
            if not ny:
                self.aendret["sundhedsklynger"] += 1
        return obj

    def forum(self, slug: str, *, navn: str, type: str, opgaver=(), overordnet: Forum | None = None,
              klynge: Klynge | None = None, part: Part | None = None, formaal: str = "", sammensaetning: str = "",
              kommissorium: str = "", moedefrekvens: str = "", sortering: int = 100,
              valid_from: datetime.date = START, valid_to: datetime.date | None = None,
              indstiller_aftaler: bool = False) -> Forum:
        obj = self.fora.get(slug) or Forum(slug=slug)
        self.fora[slug] = self._gem(obj, {
            "navn": navn, "type": type, "klynge": klynge, "part": part, "overordnet": overordnet,
            "formaal": formaal, "opgaver": _linjer(opgaver), "sammensaetning": sammensaetning,
            "kommissorium": kommissorium, "moedefrekvens": moedefrekvens, "sortering": sortering,
            "valid_from": valid_from, "valid_to": valid_to, "indstiller_aftaler": indstiller_aftaler,
        })
        return self.fora[slug]

    def person(self, navn: str, *, titel: str, part: Part | None, bruger: str | None = None) -> Person:
        """The one Person holding this seat; the first call in a run decides its fields."""
        if navn in self._set_personer:
            return self.personer[navn]
        obj = self.personer.get(navn) or Person(navn=navn)
        felter = {"titel": titel, "part": part}
        if bruger is not None:
            felter["bruger"] = self.brugere[bruger]
        self.personer[navn] = self._gem(obj, felter)
        self._set_personer.add(navn)
        return self.personer[navn]

    def medlem(self, person: Person, forum: Forum, rolle: str = Rolle.MEDLEM,
               repraesenterer: Part | None = None) -> Medlemskab:
        noegle = (person.pk, forum.pk, rolle, START)
        obj = self.medlemskaber.get(noegle)
        if obj is None:
            obj = services.medlemskab_opret(person=person, forum=forum, rolle=rolle, bruger=None,
                                            repraesenterer=repraesenterer, valid_from=START)
            self.oprettet["medlemskaber"] += 1
        else:
            obj = self._gem(obj, {"repraesenterer": repraesenterer, "valid_to": None})
        self.medlemskaber[noegle] = obj
        return obj

    # users

    def _demo_hash(self) -> str:
        # One hash shared by every demo user: hashing is deliberately slow, and these are demo accounts
        # with a published password, so a per-user salt protects nothing here.
        if self._kodet is None:
            self._kodet = make_password(ADGANGSKODE)
        return self._kodet

    def _kode_virker(self, kodet: str) -> bool:
        if kodet not in self._kontrolleret:
            self._kontrolleret[kodet] = check_password(ADGANGSKODE, kodet)
        return self._kontrolleret[kodet]

    def brugere_opret(self) -> None:
        user_model = get_user_model()
        for navn in demobrugere():
            # Addresses under the reserved .invalid domain: demo e-mail (console) shows who would get it.
            felter = {"is_staff": navn in STAFF, "is_superuser": navn == "admin", "is_active": True,
                      "email": f"{navn}@demo.invalid"}
            user = self.brugere.get(navn)
            if user is None:
                user = user_model(username=navn, **felter)
                user.password = self._demo_hash()
                user.save()
                self.brugere[navn] = user
                self.oprettet["demobrugere"] += 1
                continue
            forskel = any(getattr(user, k) != v for k, v in felter.items())
            if forskel or not self._kode_virker(user.password):
                for k, v in felter.items():
                    setattr(user, k, v)
                if not self._kode_virker(user.password):
                    user.password = self._demo_hash()
                user.save()
                self.aendret["demobrugere"] += 1

    # the structure

    def indlaes(self) -> None:
        self.brugere_opret()
        self._parter()
        self._klynger()
        self._udvalg_og_styring()
        self._klyngefora()
        self._grupper()
        self._raad()

    def _parter(self) -> None:
        self.part(REGION, navn="Region Midtjylland", type=PartType.REGION, kortnavn="Region Midtjylland")
        for by in KOMMUNER:
            self.part(kommune_slug(by), navn=f"{by} Kommune", type=PartType.KOMMUNE, kortnavn=by)
        self.part(PLO, navn="PLO-Midtjylland", type=PartType.ALMEN_PRAKSIS, kortnavn="PLO-Midtjylland")
        for slug, navn, kort in HOSPITALER:
            self.part(slug, navn=navn, type=PartType.HOSPITAL, kortnavn=kort)
        self.part(PSYKIATRI, navn="Psykiatrien i Region Midtjylland", type=PartType.PSYKIATRI,
                  kortnavn="Psykiatrien")

    def _klynger(self) -> None:
        for k in KLYNGER:
            hospital = self.parter[k.hospital]
            byer = ", ".join(k.kommuner[:-1]) + f" og {k.kommuner[-1]}"
            beskrivelse = f"Sundhedsklyngen omkring {hospital.navn} med {byer} kommuner."
            if k.tidligere_navn:
                beskrivelse += f" Hed tidligere {k.tidligere_navn}."
            self.klynge(k.slug, [self.kommune(by) for by in k.kommuner], navn=k.navn, akuthospital=hospital,
                        beskrivelse=beskrivelse, tidligere_navn=k.tidligere_navn, valid_from=START, valid_to=None)

    # seats (one Person each, named by role)

    def kommune(self, by: str) -> Part:
        return self.parter[kommune_slug(by)]

    def regionsraadsformand(self) -> Person:
        return self.person("Regionsrådsformand, Region Midtjylland", titel="Regionsrådsformand",
                           part=self.parter[REGION])

    def regionsraadsmedlem(self, nummer: int) -> Person:
        return self.person(f"Regionsrådsmedlem {nummer}, Region Midtjylland", titel="Regionsrådsmedlem",
                           part=self.parter[REGION])

    def kommunal_politiker(self, by: str) -> Person:
        """The mayor, or in Aarhus the alderman for health (fagborgmester), who sits in the clusters."""
        if by == "Aarhus":
            return self.person("Rådmand for Sundhed og Omsorg, Aarhus Kommune", titel="Rådmand",
                               part=self.kommune(by))
        return self.borgmester(by)

    def borgmester(self, by: str) -> Person:
        return self.person(f"Borgmester, {by} Kommune", titel="Borgmester", part=self.kommune(by))

    def sundhedsdirektoer(self, by: str) -> Person:
        return self.person(f"Sundhedsdirektør, {by} Kommune", titel="Sundhedsdirektør", part=self.kommune(by))

    def hospitalsdirektoer(self, slug: str) -> Person:
        hospital = self.parter[slug]
        return self.person(f"Hospitalsdirektør, {hospital.navn}", titel="Hospitalsdirektør", part=hospital)

    def konsulent(self, enhed: str, nummer: int | None, part: Part | None, bruger: str | None = None) -> Person:
        nr = f" {nummer}" if nummer else ""
        return self.person(f"Konsulent{nr}, {enhed}", titel="Konsulent", part=part, bruger=bruger)

    def _udvalg_og_styring(self) -> None:
        region, plo, psyk = self.parter[REGION], self.parter[PLO], self.parter[PSYKIATRI]
        nst = "Nære Sundhedstilbud, Region Midtjylland"

        udvalg = self.forum(
            "sundhedssamarbejdsudvalget", navn="Sundhedssamarbejdsudvalget", type=ForumType.SUNDHEDSSAMARBEJDSUDVALG,
            indstiller_aftaler=True, formaal=UDVALG_FORMAAL, opgaver=UDVALG_OPGAVER,
            sammensaetning=UDVALG_SAMMENSAETNING, sortering=10,
        )
        self.medlem(self.regionsraadsformand(), udvalg, Rolle.FORMAND, region)
        for nummer in (1, 2):
            self.medlem(self.regionsraadsmedlem(nummer), udvalg, Rolle.MEDLEM, region)
        for k in KLYNGER:
            rolle = Rolle.NAESTFORMAND if k.slug == UDVALG_NAESTFORMAND_KLYNGE else Rolle.MEDLEM
            self.medlem(self.kommunal_politiker(k.formandskommune), udvalg, rolle, self.kommune(k.formandskommune))

        # Archived: merged into the committee on 1 July 2022 (seed 004).
        self.forum(
            "sundhedskoordinationsudvalget", navn="Sundhedskoordinationsudvalget",
            type=ForumType.SUNDHEDSSAMARBEJDSUDVALG, indstiller_aftaler=True, formaal=SKU_FORMAAL,
            opgaver=SKU_OPGAVER, sortering=11,
            valid_from=FOER_2022, valid_to=SLUT_FOER_2022,
        )
        self.forum(
            "praksisplanudvalget", navn="Praksisplanudvalget", type=ForumType.PRAKSISPLANUDVALG,
            formaal=PRAKSISPLAN_FORMAAL, opgaver=PRAKSISPLAN_OPGAVER, sortering=12,
            valid_from=FOER_2022, valid_to=SLUT_FOER_2022,
        )
        self.forum(
            "patientinddragelsesudvalget", navn="Patientinddragelsesudvalget",
            type=ForumType.PATIENTINDDRAGELSESUDVALG, overordnet=udvalg, formaal=PATIENTINDDRAGELSE_FORMAAL,
            opgaver=PATIENTINDDRAGELSE_OPGAVER, sortering=15,
        )

        styregruppe = self.forum(
            "sundhedsstyregruppen", navn="Sundhedsstyregruppen", type=ForumType.SUNDHEDSSTYREGRUPPE,
            overordnet=udvalg, formaal=STYREGRUPPE_FORMAAL, opgaver=STYREGRUPPE_OPGAVER,
            sammensaetning=STYREGRUPPE_SAMMENSAETNING, moedefrekvens="4-5 gange om året", sortering=30,
        )
        koncerndirektoer = self.person("Koncerndirektør, Region Midtjylland", titel="Koncerndirektør", part=region)
        kommunaldirektoer = self.person(
            f"Kommunaldirektør, {KOSU_FORMANDSKOMMUNE} Kommune",
            titel="Kommunaldirektør, formand for Kommunernes Styregruppe på sundhedsområdet",
            part=self.kommune(KOSU_FORMANDSKOMMUNE),
        )
        self.medlem(koncerndirektoer, styregruppe, Rolle.FORMAND, region)
        self.medlem(kommunaldirektoer, styregruppe, Rolle.NAESTFORMAND, self.kommune(KOSU_FORMANDSKOMMUNE))
        for by in KOSU_KOMMUNER:
            self.medlem(self.sundhedsdirektoer(by), styregruppe, Rolle.MEDLEM, self.kommune(by))
        for slug, _navn, _kort in HOSPITALER:
            self.medlem(self.hospitalsdirektoer(slug), styregruppe, Rolle.MEDLEM, self.parter[slug])
        self.medlem(self.person("Direktør, Psykiatrien i Region Midtjylland", titel="Direktør", part=psyk),
                    styregruppe, Rolle.MEDLEM, psyk)
        self.medlem(self.person("Formand, PLO-Midtjylland", titel="Formand", part=plo), styregruppe, Rolle.MEDLEM, plo)
        self.medlem(self.person("Næstformand, PLO-Midtjylland", titel="Næstformand", part=plo), styregruppe,
                    Rolle.MEDLEM, plo)
        self.medlem(self.person(f"Vicedirektør, {nst}", titel="Vicedirektør", part=region, bruger="styregruppe"),
                    styregruppe, Rolle.MEDLEM, region)
        # "Sekretærer fra kommuner og region": the joint secretariat prepares the group's cases.
        kosu_sekretaer = self.konsulent("KOSU-sekretariatet", 1, None)
        nst_sekretaer = self.konsulent(nst, 1, region, bruger="sekretariat")
        self.medlem(kosu_sekretaer, styregruppe, Rolle.SEKRETAER)
        self.medlem(nst_sekretaer, styregruppe, Rolle.SEKRETAER, region)

        formandskab = self.forum(
            "formandskab", navn="Formandskab for sundhedssamarbejdet", type=ForumType.FORMANDSKAB,
            overordnet=styregruppe, formaal=FORMANDSKAB_FORMAAL, opgaver=FORMANDSKAB_OPGAVER,
            sammensaetning=FORMANDSKAB_SAMMENSAETNING, moedefrekvens="Ca. 4 gange om året", sortering=31,
        )
        self.medlem(koncerndirektoer, formandskab, Rolle.FORMAND, region)
        self.medlem(kommunaldirektoer, formandskab, Rolle.NAESTFORMAND, self.kommune(KOSU_FORMANDSKOMMUNE))

        sekretariat = self.forum(
            "faelles-sekretariat", navn="Fælles sekretariat for sundhedsaftalen", type=ForumType.FAELLES_SEKRETARIAT,
            overordnet=styregruppe, formaal=SEKRETARIAT_FORMAAL, opgaver=SEKRETARIAT_OPGAVER,
            sammensaetning=SEKRETARIAT_SAMMENSAETNING, sortering=32,
        )
        leder = self.kommune(SEKRETARIATSLEDER_KOMMUNE)
        self.medlem(self.sundhedsdirektoer(SEKRETARIATSLEDER_KOMMUNE), sekretariat, Rolle.FORMAND, leder)
        self.medlem(self.person(f"Chef, {nst}", titel="Chef", part=region), sekretariat, Rolle.NAESTFORMAND, region)
        self.medlem(kosu_sekretaer, sekretariat)
        self.medlem(self.konsulent("KOSU-sekretariatet", 2, None), sekretariat)
        self.medlem(self.konsulent("KKR Midtjylland", None, None), sekretariat)
        self.medlem(nst_sekretaer, sekretariat, Rolle.MEDLEM, region)
        self.medlem(self.konsulent(nst, 2, region), sekretariat, Rolle.MEDLEM, region)

    def _klyngefora(self) -> None:
        region, plo, psyk = self.parter[REGION], self.parter[PLO], self.parter[PSYKIATRI]
        udvalg = self.fora["sundhedssamarbejdsudvalget"]
        for i, k in enumerate(KLYNGER):
            klynge, hospital = self.klynger[k.slug], self.parter[k.hospital]
            byer = ", ".join(f"{by} Kommune" for by in k.kommuner)
            formand = self.kommunal_politiker(k.formandskommune)

            politisk = self.forum(
                f"{k.slug}-politisk", navn=f"{k.navn}, politisk niveau", type=ForumType.KLYNGE_POLITISK,
                klynge=klynge, overordnet=udvalg, formaal=KLYNGE_POLITISK_FORMAAL, opgaver=KLYNGE_POLITISK_OPGAVER,
                sammensaetning=(
                    f"Regionsrådsformanden (næstformand) og to regionsrådsmedlemmer, borgmester eller fagborgmester "
                    f"fra hver af klyngens kommuner ({byer}) og to medlemmer fra PLO-Midtjylland. Formand: "
                    f"{formand.navn}."
                ),
                sortering=20 + i,
            )
            self.medlem(self.regionsraadsformand(), politisk, Rolle.NAESTFORMAND, region)
            for nummer in (2 * i + 1, 2 * i + 2):
                self.medlem(self.regionsraadsmedlem(nummer), politisk, Rolle.MEDLEM, region)
            for by in k.kommuner:
                rolle = Rolle.FORMAND if by == k.formandskommune else Rolle.MEDLEM
                self.medlem(self.kommunal_politiker(by), politisk, rolle, self.kommune(by))
            for nummer in (2 * i + 1, 2 * i + 2):
                laege = self.person(f"Praktiserende læge {nummer}, PLO-Midtjylland", titel="Praktiserende læge",
                                    part=plo)
                self.medlem(laege, politisk, Rolle.MEDLEM, plo)

            administrativ = self.forum(
                f"{k.slug}-administrativ", navn=f"{k.navn}, administrativt niveau",
                type=ForumType.KLYNGE_ADMINISTRATIV, klynge=klynge, overordnet=udvalg,
                formaal=KLYNGE_ADMINISTRATIV_FORMAAL, opgaver=KLYNGE_ADMINISTRATIV_OPGAVER,
                sammensaetning=(
                    f"Tre regionale deltagere ({hospital.navn}s ledelse, Psykiatrien i Region Midtjylland og Nære "
                    f"Sundhedstilbud), en repræsentant fra almen praksis og en repræsentant fra hver kommune "
                    f"({byer})."
                ),
                sortering=25 + i,
            )
            self.medlem(self.hospitalsdirektoer(k.hospital), administrativ, Rolle.MEDLEM, hospital)
            self.medlem(self.person(f"Ledelsesrepræsentant for {k.navn}, Psykiatrien i Region Midtjylland",
                                    titel="Ledelsesrepræsentant", part=psyk), administrativ, Rolle.MEDLEM, psyk)
            self.medlem(self.person(f"Repræsentant for {k.navn}, Nære Sundhedstilbud, Region Midtjylland",
                                    titel="Klyngerepræsentant", part=region, bruger=k.demobruger),
                        administrativ, Rolle.MEDLEM, region)
            self.medlem(self.person(f"Praktiserende læge for {k.navn}, PLO-Midtjylland", titel="Praktiserende læge",
                                    part=plo), administrativ, Rolle.MEDLEM, plo)
            for by in k.kommuner:
                self.medlem(self.sundhedsdirektoer(by), administrativ, Rolle.MEDLEM, self.kommune(by))

    def _grupper(self) -> None:
        region, psyk = self.parter[REGION], self.parter[PSYKIATRI]
        styregruppe = self.fora["sundhedsstyregruppen"]
        kosu_sekretaer = self.personer["Konsulent 2, KOSU-sekretariatet"]
        nst_sekretaer = self.personer["Konsulent 2, Nære Sundhedstilbud, Region Midtjylland"]
        for i, g in enumerate(TEMAGRUPPER):
            formaal = g.formaal + "\n\n" + TEMAGRUPPE_FORMAAL if g.formaal else TEMAGRUPPE_FORMAAL
            if g.tvaergaaende:
                formaal += TVAERGAAENDE_FORMAAL
            forum = self.forum(
                g.slug, navn=g.navn, type=g.type, overordnet=styregruppe, formaal=formaal,
                opgaver=[*TEMAGRUPPE_OPGAVER, *g.ekstra_opgaver], sammensaetning=TEMAGRUPPE_SAMMENSAETNING,
                sortering=40 + i,
            )
            # Shared chairmanship: a municipal chair and a regional co-chair; every cluster represented,
            # alternately by one of its municipalities and by its hospital (or psychiatry).
            formandskommune = self.kommune(KOMMUNER[(i * 7 + 12) % len(KOMMUNER)])
            regional = psyk if g.psykiatri else region
            self.medlem(self.person(f"Formand for {g.betegnelse}, {formandskommune.navn}", titel="Formand",
                                    part=formandskommune,
                                    bruger="temagruppe-forebyggelse" if g.slug == "temagruppe-forebyggelse" else None),
                        forum, Rolle.FORMAND, formandskommune)
            self.medlem(self.person(f"Medformand for {g.betegnelse}, {regional.navn}", titel="Medformand",
                                    part=regional), forum, Rolle.NAESTFORMAND, regional)
            for j, k in enumerate(KLYNGER):
                if (i + j) % 2 == 0:
                    part = self.kommune(k.kommuner[i % len(k.kommuner)])
                else:
                    part = psyk if g.psykiatri else self.parter[k.hospital]
                self.medlem(self.person(f"Repræsentant for {k.navn} i {g.betegnelse}, {part.navn}",
                                        titel="Klyngerepræsentant", part=part), forum, Rolle.MEDLEM, part)
            self.medlem(kosu_sekretaer, forum, Rolle.SEKRETAER)
            self.medlem(nst_sekretaer, forum, Rolle.SEKRETAER, region)

        for i, (slug, navn, formaal) in enumerate(ARBEJDSGRUPPER):
            self.forum(slug, navn=navn, type=ForumType.ARBEJDSGRUPPE, overordnet=styregruppe, formaal=formaal,
                       sortering=50 + i)

        for i, (slug, sygdom) in enumerate(FORLOEBSPROGRAMMER):
            self.forum(
                f"forloebsprogramgruppe-{slug}", navn=f"Forløbsprogramgruppe for {sygdom}",
                type=ForumType.FORLOEBSPROGRAMGRUPPE, overordnet=styregruppe,
                formaal=f"Forløbsprogramgruppen nedsættes i forbindelse med opdatering og revision af "
                        f"forløbsprogrammet for {sygdom}.",
                opgaver=[f"Opdaterer og reviderer forløbsprogrammet for {sygdom}"],
                kommissorium="Midlertidig gruppe, nedsat til opdatering og revision af forløbsprogrammet.",
                sortering=60 + i,
            )

    def _raad(self) -> None:
        region = self.parter[REGION]
        regionsraadet = self.forum(
            "regionsraadet", navn="Regionsrådet", type=ForumType.REGIONSRAAD, part=region,
            formaal="Regionsrådet i Region Midtjylland godkender samarbejdsaftaler og sundhedsaftale for regionen.",
            opgaver=RAAD_OPGAVER, sortering=90,
        )
        self.medlem(self.regionsraadsformand(), regionsraadet, Rolle.FORMAND, region)
        for nummer in range(1, 2 * len(KLYNGER) + 1):
            self.medlem(self.regionsraadsmedlem(nummer), regionsraadet, Rolle.MEDLEM, region)
        self.medlem(self.person("Regionssekretariatet, Region Midtjylland", titel="Sekretariat", part=region,
                                bruger="region"), regionsraadet, Rolle.SEKRETAER, region)

        for i, by in enumerate(KOMMUNER):
            kommune = self.kommune(by)
            navn = "Aarhus Byråd" if by == "Aarhus" else f"Kommunalbestyrelsen i {kommune.navn}"
            raad = self.forum(
                f"kommunalbestyrelsen-{kommune.slug}", navn=navn, type=ForumType.KOMMUNALBESTYRELSE, part=kommune,
                formaal=f"{navn} godkender samarbejdsaftaler og sundhedsaftale for {kommune.navn}.",
                opgaver=RAAD_OPGAVER, sortering=91 + i,
            )
            self.medlem(self.borgmester(by), raad, Rolle.FORMAND, kommune)
            if by == "Aarhus":
                self.medlem(self.kommunal_politiker(by), raad, Rolle.MEDLEM, kommune)
            sekretariat = "Byrådssekretariatet" if by == "Aarhus" else "Sekretariatet for kommunalbestyrelsen"
            self.medlem(self.person(f"{sekretariat}, {kommune.navn}", titel="Sekretariat", part=kommune,
                                    bruger=f"kommune-{kommune.slug}"), raad, Rolle.SEKRETAER, kommune)

    def opsummering(self) -> str:
        antal = (
            f"{len(self.parter)} parter, {len(self.klynger)} klynger, {len(self.fora)} fora, "
            f"{len(self.personer)} personer, {len(self.medlemskaber)} medlemskaber, {len(self.brugere)} demobrugere"
        )
        oprettet = sum(self.oprettet.values())
        aendret = sum(self.aendret.values())
        if not oprettet and not aendret:
            return f"Organisation: {antal}. Intet at ændre."
        return f"Organisation: {antal}. Oprettet {oprettet}, ændret {aendret}."


def indlaes(*, stdout=None) -> None:
    """Load (or bring up to date) the structure of Region Midtjylland and the demo users."""
    with transaction.atomic():
        koersel = _Indlaesning()
        koersel.indlaes()
    if stdout is not None:
        stdout.write(koersel.opsummering())
