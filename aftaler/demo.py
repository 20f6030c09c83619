"""Demo data for agreements: the 2019-2023 health agreement and example collaboration agreements.

The health agreement (visions, areas of effort, shared goals and the national goals) is taken from
seed 002 and is reference data: there is no service for it, so it is compared and saved directly
here. Everything about collaboration agreements, pilots, consultation answers, decisions and
implementation goes through aftaler.services, acting as the demo user who would do it in real life:
`sekretariat` drafts and runs transitions, `temagruppe-forebyggelse` drafts its group's agreement,
`kommune-<slug>` and `region` record their council's decision, `klynge-<x>` record pilots,
consultation answers and implementation. Permissions are checked exactly as for those users.

The agreements are invented for the demo (titles from the region's practice, texts written here),
spread over every state of the lifecycle. Dates: finished stories have fixed dates in 2019-2024;
stories still under way are dated relative to today (weekdays only), so the data stays valid
whenever the command runs: decisions never lie in the future or before the recommendation, and
consultation deadlines lie ahead.

Idempotent: an agreement (or pilot) whose slug exists is skipped as a whole, so a second run
creates nothing and writes no audit rows.
"""

from __future__ import annotations

import datetime
import zlib
from collections import Counter
from html import escape

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftaler import services
from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Oprindelse, Udfald
from aftaler.models import (
    Indsatsomraade,
    Maalsaetning,
    Proevehandling,
    Samarbejdsaftale,
    Sundhedsaftale,
)
from aftaler.selectors import fremdrift
from aftaler.workflow import Handling
from organisation.demo import KLYNGER, PLO, REGION
from organisation.models import Forum, Klynge, Part
from sundhed import dansk
from sundhed.text import dansk_slug

GODKENDT, AFVIST, UDSAT = Beslutning.GODKENDT, Beslutning.AFVIST, Beslutning.UDSAT
IKKE_STARTET, I_GANG, IMPLEMENTERET = (
    ImplementeringStatus.IKKE_STARTET, ImplementeringStatus.I_GANG, ImplementeringStatus.IMPLEMENTERET,
)

# --- the health agreement 2019-2023 (seed 002) -----------------------------------------------------

SUNDHEDSAFTALE_SLUG = "sundhedsaftalen-2019-2023"
SUNDHEDSAFTALE_TITEL = "Sundhedsaftalen 2019-2023"
SUNDHEDSAFTALE_BESKRIVELSE = (
    "Et nært og sammenhængende sundhedsvæsen i balance. Sundhedsaftalen fastsætter gennem visioner, prioriterede "
    "indsatsområder, målsætninger og bærende principper for samarbejdet en fælles politisk retning for "
    "samarbejdet mellem hospitaler, kommuner og almen praksis. Region og kommuner er aftaleparter, og "
    "PLO-Midtjylland har bidraget til at udarbejde aftalen.\n\n"
    "De otte nationale mål for sundhedsvæsenet (bedre kvalitet, sammenhæng og geografisk lighed i "
    "sundhedsvæsenet) sætter en fælles retning og udgør en overordnet ramme for sundhedsaftalen. Aftalens "
    "indsatsområder udmøntes i konkrete samarbejdsaftaler og prøvehandling, og indikatorerne følges op to gange "
    "årligt.\n\n"
    "Region Midtjylland, de 19 midtjyske kommuner og PLO-Midtjylland, januar 2019."
)
# One vision a line, "Overskrift: tekst" (Sundhedsaftale.visionsliste).
VISIONER = [
    ("Mere lighed i sundhed – socialt og geografisk",
     "Alle skal have lige muligheder for et sundt og langt liv. Vi tilpasser indsatserne til den enkelte borger, "
     "styrker borgernes sundhedskompetencer og sikrer høj kvalitet i tilbuddene, uanset hvor borgerne bor."),
    ("På borgerens præmisser",
     "Vi sætter borgeren først og inddrager borgerne i eget behandlings- og rehabiliteringsforløb. Ingen borger "
     "skal falde mellem to stole; opstår der tvivl, er det den part, der har kontakten til borgeren, der handler."),
    ("Sundhedsløsninger tæt på borgeren",
     "Borgeren skal have en behandling og en indsats, der griber mindst muligt ind i hverdagen, og flere opgaver "
     "skal løses og forankres tæt på borgernes hverdag – i behandling, tidlig opsporing og forebyggelse."),
    ("Mere sundhed for pengene",
     "Vi skaber mest mulig sundhed for de ressourcer, der er: ingen parallelle tilbud, og løsninger i økonomisk "
     "balance for den enkelte kommune, det enkelte hospital og den enkelte praksis."),
]
# (slug, navn, fokus, beskrivelse, målsætninger exactly as the seed states them)
INDSATSOMRAADER = [
    ("forebyggelse", "Fælles investering i forebyggelse", "først med fokus på rygning",
     "Sundhed spiller en central rolle for den enkeltes trivsel, og forebyggelse er nødvendig for at imødekomme "
     "de stigende udgifter til behandling, pleje, sygefravær og overførselsindkomster. Kommunerne står typisk for "
     "forebyggelsesindsatserne, mens hospitaler og praktiserende læger opsporer tidligt og henviser. Rygning er "
     "det første fokus; derefter overvægt.",
     ["Vi vil nedbringe antallet af dagligrygere i Region Midtjylland."]),
    ("aeldre-borgere", "Sammen om ældre borgere", "først med fokus på akutområdet",
     "Andelen af ældre og borgere med kronisk sygdom og multisygdom stiger kraftigt. Et styrket tværsektorielt "
     "samarbejde skal give rette borger i rette seng på rette tid, færre forebyggelige indlæggelser og færre "
     "akutte indlæggelser og genindlæggelser. Samarbejdet om akut sygdom hos ældre borgere er det første fokus.",
     ["Vi vil styrke samarbejdet om akut syge ældre og nedbringe antallet af akutte indlæggelser blandt ældre."]),
    ("naer-psykiatri", "Den nære psykiatri",
     "først med fokus på mental sundhed hos børn og unge samt voksne borgere med svær psykisk sygdom",
     "Flere borgere rammes af psykiske lidelser. Den nære psykiatri handler om borgernes hverdagsliv i et "
     "0-100 års perspektiv. De 19 kommuner, Region Midtjylland, PLO-Midtjylland og bruger- og "
     "pårørendeorganisationer har dannet en fælles alliance om at forbedre og udvikle den nære psykiatri.",
     ["Vi vil forbedre den mentale sundhed og mindske mistrivsel hos børn og unge i Region Midtjylland.",
      "Vi vil forbedre sundheden og sikre bedre sammenhængende patientforløb for voksne med svær psykisk sygdom."]),
]
NATIONALE_MAAL = [
    "Bedre sammenhængende patientforløb",
    "Styrket indsats for kronikere og ældre patienter",
    "Forbedret overlevelse og patientsikkerhed",
    "Behandling af høj kvalitet",
    "Hurtig udredning og behandling",
    "Øget patientinddragelse",
    "Flere sunde leveår",
    "Mere effektivt sundhedsvæsen",
]

# --- agreement texts ------------------------------------------------------------------------------
# A text is a dict of sections; each section a list of blocks: a string is a paragraph, a list is a
# bulleted list. Later versions replace whole sections, so the version diff shows what changed.

AFSNIT = [
    ("formaal", "Formål"),
    ("maalgruppe", "Målgruppe"),
]
ANSVAR = [
    ("region", "Regionen (hospitalerne)"),
    ("kommuner", "Kommunerne"),
    ("praksis", "Almen praksis"),
]


def _blokke(blokke) -> str:
    ud = []
    for blok in blokke:
        if isinstance(blok, list | tuple):
            ud.append("<ul>" + "".join(f"<li>{escape(punkt, quote=False)}</li>" for punkt in blok) + "</ul>")
        else:
            ud.append(f"<p>{escape(blok, quote=False)}</p>")
    return "\n".join(ud)


def html(tekst: dict) -> str:
    """The agreement body: h2 sections Formål, Målgruppe, Opgave- og ansvarsfordeling, Implementering."""
    dele = []
    for noegle, overskrift in AFSNIT:
        dele.append(f"<h2>{overskrift}</h2>\n{_blokke(tekst[noegle])}")
    dele.append("<h2>Opgave- og ansvarsfordeling</h2>")
    if tekst.get("ansvar_intro"):
        dele.append(_blokke(tekst["ansvar_intro"]))
    for noegle, overskrift in ANSVAR:
        dele.append(f"<h3>{overskrift}</h3>\n{_blokke(tekst[noegle])}")
    dele.append(f"<h2>Implementering og opfølgning</h2>\n{_blokke(tekst['implementering'])}")
    return "\n".join(dele)


# Sundhedsvisitationer (in force)
VISITATION_1 = {
    "formaal": [
        "Formålet med aftalen er, at ældre borgere med akut opstået sygdom får en hurtig og fagligt velbegrundet "
        "vurdering af, hvor behandlingen bedst kan foregå. En sundhedsvisitation skal understøtte, at borgeren "
        "behandles i eget hjem eller på en kommunal akutplads, når det er fagligt forsvarligt, og indlægges, når "
        "det er nødvendigt.",
        "Aftalen bidrager til sundhedsaftalens målsætning om at styrke samarbejdet om akut syge ældre og "
        "nedbringe antallet af akutte indlæggelser blandt ældre.",
    ],
    "maalgruppe": [
        "Borgere på 65 år og derover med akut opstået sygdom eller forværring af kronisk sygdom, hvor der er tvivl "
        "om, hvorvidt indlæggelse er nødvendig.",
    ],
    "region": [[
        "Akutmodtagelsen på det lokale akuthospital stiller en læge til rådighed for sundhedsvisitation alle "
        "ugens dage kl. 8-22.",
        "Lægen træffer sammen med den kommunale sygeplejerske beslutning om behandlingssted og ordinerer den "
        "nødvendige behandling.",
        "Hospitalet dokumenterer visitationen og sender et notat til borgerens egen læge samme dag.",
    ]],
    "kommuner": [[
        "Kommunens akutsygeplejerske vurderer borgeren struktureret i eget hjem og kontakter hospitalets læge.",
        "Kommunen iværksætter den aftalte behandling og pleje i hjemmet eller på en akutplads.",
        "Kommunen sikrer, at borgeren og de pårørende ved, hvem de skal kontakte, hvis tilstanden forværres.",
    ]],
    "praksis": [[
        "Borgerens egen læge er behandlingsansvarlig i dagtiden og kontaktes først, når det er muligt.",
        "Egen læge modtager notat om visitationen og følger op på behandlingen efter behov.",
    ]],
    "implementering": [
        "Klyngerne aftaler inden for seks måneder efter ikrafttrædelsen lokale telefonnumre, tider og "
        "kontaktpersoner.",
        "Temagruppen følger op på aftalen en gang årligt ud fra antallet af sundhedsvisitationer, andelen af "
        "borgere, der forbliver i eget hjem, og akutte genindlæggelser inden for 30 dage.",
    ],
}
VISITATION_2 = {
    **VISITATION_1,
    "kommuner": [[
        *VISITATION_1["kommuner"][0],
        "Kommunen følger op på borgeren senest dagen efter visitationen og kontakter hospitalets læge igen, hvis "
        "behandlingen ikke virker som forventet.",
    ]],
    "implementering": [
        *VISITATION_1["implementering"],
        "Klyngerne afrapporterer status for implementeringen til temagruppen to gange årligt.",
    ],
}
VISITATION_3 = {
    **VISITATION_2,
    "region": [[
        "Akutmodtagelsen på det lokale akuthospital stiller en læge til rådighed for sundhedsvisitation alle "
        "ugens dage kl. 8-22. Lægen besvarer opkald fra kommunens sygeplejerske inden for 15 minutter.",
        *VISITATION_1["region"][0][1:],
    ]],
    "praksis": [[
        "I dagtiden kontaktes borgerens egen læge først; uden for dagtiden går kontakten direkte til hospitalets "
        "læge.",
        VISITATION_1["praksis"][0][1],
    ]],
}

# Kommunale akutfunktioner (rejected, sent back, revised, approved, in force)
AKUT_1 = {
    "formaal": [
        "Aftalen skal sikre, at kommunernes akutfunktioner har en ensartet og høj kvalitet i hele regionen, så "
        "borgere og samarbejdspartnere ved, hvad de kan forvente, uanset hvor borgeren bor.",
        "Aftalen omsætter de nationale kvalitetskrav til kommunale akutfunktioner til midtjyske normkrav og "
        "bidrager til målsætningen om at nedbringe antallet af akutte indlæggelser blandt ældre.",
    ],
    "maalgruppe": [
        "Voksne borgere, primært ældre, med akut opstået eller forværret sygdom, som kan behandles og plejes i "
        "eget hjem eller på en kommunal akutplads i stedet for på hospitalet.",
    ],
    "region": [[
        "Den behandlingsansvarlige læge på hospitalet ordinerer behandlingen og er tilgængelig for faglig "
        "sparring hele døgnet.",
        "Hospitalet tilbyder oplæring i fx intravenøs behandling, væskebehandling og måling af værdier.",
    ]],
    "kommuner": [[
        "Kommunen har en akutfunktion hele døgnet med sygeplejersker, der har de kompetencer, aftalen beskriver.",
        "Akutfunktionen kan efter ordination give intravenøs antibiotika og væske, tage blodprøver og observere "
        "borgeren tæt.",
        "Kommunen registrerer aktiviteten, så den kan indgå i den fælles opfølgning.",
    ]],
    "praksis": [[
        "Egen læge kan henvise borgere til akutfunktionen og er behandlingsansvarlig for den behandling, lægen "
        "har ordineret.",
        "Lægevagten kan uden for dagtid henvise direkte til akutfunktionen.",
    ]],
    "implementering": [
        "Klyngerne beskriver inden for et år, hvordan normkravene er opfyldt lokalt, og hvor funktionerne skal "
        "udvikles.",
        "Temagruppen følger op årligt på aktivitet, kompetencer og borgernes forløb efter et besøg af "
        "akutfunktionen.",
    ],
}
AKUT_2 = {
    **AKUT_1,
    "implementering": [
        *AKUT_1["implementering"],
        "Parterne afholder hver især udgifterne til egne opgaver efter aftalen. Udgifter til lægemidler, der gives "
        "i akutfunktionen, afholdes efter de gældende regler for ordination og udlevering.",
    ],
}
AKUT_3 = {
    **AKUT_2,
    "implementering": [
        *AKUT_1["implementering"],
        "Parterne afholder hver især udgifterne til egne opgaver efter aftalen. Udgifter til lægemidler, der gives "
        "i akutfunktionen, afholdes efter de gældende regler for ordination og udlevering.",
        "Regionen afholder udgifterne til hospitalernes oplæring af kommunale sygeplejersker i aftalens første "
        "to år. Kommuner, der ikke opfylder normkravene ved ikrafttrædelsen, har en overgangsperiode på 12 "
        "måneder og aftaler en plan for kompetenceudviklingen i klyngen.",
    ],
}

# Voksne med erhvervet hjerneskade (in force, under revision)
HJERNE_1 = {
    "formaal": [
        "Formålet er at give borgere med erhvervet hjerneskade et sammenhængende og koordineret "
        "rehabiliteringsforløb, hvor overgangen fra hospital til kommune sker uden ventetid og uden tab af viden.",
        "Aftalen beskriver, hvem der gør hvad i forløbet, og hvordan hospital, kommune og almen praksis deler "
        "viden om borgerens funktionsevne og mål.",
    ],
    "maalgruppe": [
        "Voksne over 18 år med erhvervet hjerneskade efter fx apopleksi, traume, infektion eller iltmangel, som "
        "har behov for genoptræning eller rehabilitering efter udskrivning.",
    ],
    "region": [[
        "Hospitalet udarbejder en genoptræningsplan på det relevante specialiseringsniveau og sender den til "
        "kommunen senest på udskrivningsdagen.",
        "Ved behov for rehabilitering på specialiseret niveau holder hospitalet et koordinerende møde med "
        "kommunen inden udskrivning.",
        "Hospitalet tilbyder neuropsykologisk udredning, hvor det er fagligt relevant.",
    ]],
    "kommuner": [[
        "Kommunen udpeger en koordinerende kontaktperson for borgere med komplekse forløb.",
        "Kommunen iværksætter genoptræning og rehabilitering ud fra genoptræningsplanen og sætter mål sammen med "
        "borgeren og de pårørende.",
        "Kommunen vurderer tidligt i forløbet behovet for støtte til uddannelse og arbejde.",
    ]],
    "praksis": [[
        "Egen læge følger op på borgerens somatiske og psykiske helbred, herunder tegn på depression og "
        "udtrætning efter hjerneskaden.",
        "Egen læge kan henvise til fornyet udredning, hvis borgerens funktionsevne ændrer sig.",
    ]],
    "implementering": [
        "Hjerneskadesamrådet for voksne følger op på aftalen årligt og drøfter ventetider til genoptræning og "
        "antallet af koordinerende møder.",
        "Klyngerne sikrer, at de lokale samarbejdsflader mellem hospital og kommuner er kendt af medarbejderne.",
    ],
}
HJERNE_2 = {
    **HJERNE_1,
    "kommuner": [[
        "Kommunen udpeger en koordinerende kontaktperson for borgere med komplekse forløb senest syv dage efter, "
        "at genoptræningsplanen er modtaget.",
        *HJERNE_1["kommuner"][0][1:],
    ]],
}
HJERNE_3 = {
    **HJERNE_2,
    "maalgruppe": [
        *HJERNE_2["maalgruppe"],
        "Pårørende til borgere med erhvervet hjerneskade er omfattet af aftalens afsnit om inddragelse og støtte.",
    ],
    "region": [[
        "Hospitalet udarbejder en genoptræningsplan på det relevante specialiseringsniveau og deler den digitalt "
        "med kommunen senest på udskrivningsdagen.",
        *HJERNE_1["region"][0][1:],
    ]],
    "kommuner": [[
        *HJERNE_2["kommuner"][0],
        "Kommunen tilbyder de pårørende en samtale om forløbet og henviser til relevante tilbud om støtte.",
    ]],
}

# Palliativ indsats (recommended, decisions under way)
PALLIATIV_1 = {
    "formaal": [
        "Aftalen skal sikre, at borgere med livstruende sygdom og deres pårørende får lindring, tryghed og "
        "sammenhæng i forløbet, og at borgeren så vidt muligt kan være der, hvor borgeren ønsker det, også i "
        "den sidste tid.",
        "Aftalen fastlægger arbejdsdelingen mellem den basale palliative indsats i kommuner, almen praksis og "
        "på hospitaler og den specialiserede indsats i palliative teams og på hospice.",
    ],
    "maalgruppe": [
        "Voksne med livstruende sygdom, uanset diagnose, som har palliative behov, og deres pårørende.",
    ],
    "region": [[
        "Hospitalet afklarer borgerens palliative behov og ønsker, når den livsforlængende behandling ophører, og "
        "beskriver dem i udskrivningsbrevet.",
        "De palliative teams rådgiver kommunernes personale og egen læge og overtager behandlingen, når "
        "borgerens behov er komplekse.",
    ]],
    "kommuner": [[
        "Kommunen varetager den basale palliative pleje i hjemmet og på plejecentre.",
        "Kommunen sikrer, at hjælpemidler og medicin er på plads, inden borgeren kommer hjem.",
    ]],
    "praksis": [[
        "Egen læge er tovholder for den lægelige behandling i den basale palliative indsats og tilbyder "
        "sygebesøg efter behov.",
        "Egen læge ordinerer lindrende medicin til brug ved behov, så den er i hjemmet ved udskrivning.",
    ]],
    "implementering": [
        "Klyngerne udpeger nøglepersoner for den palliative indsats i hver kommune og på hvert hospital.",
        "Temagruppen følger op på andelen af borgere, der dør i eget hjem eller på plejecenter efter eget ønske.",
    ],
}
PALLIATIV_2 = {
    **PALLIATIV_1,
    "kommuner": [[
        *PALLIATIV_1["kommuner"][0],
        "Kommunen kan kontaktes hele døgnet af borgere i palliative forløb og deres pårørende.",
    ]],
    "implementering": [
        *PALLIATIV_1["implementering"],
        "De pårørende tilbydes en opfølgende samtale efter dødsfaldet, hvis de ønsker det.",
    ],
}

# Fælles hjælperordninger for borgere med kronisk respirationsinsufficiens (approved, not yet published)
HJAELPER_1 = {
    "formaal": [
        "Aftalen beskriver, hvordan region og kommune sammen etablerer og driver en hjælperordning for borgere, "
        "der får respiratorbehandling i eget hjem, så borgeren får én samlet ordning i stedet for to.",
    ],
    "maalgruppe": [
        "Borgere med kronisk respirationsinsufficiens, som får invasiv eller non-invasiv respiratorbehandling i "
        "eget hjem og har behov for hjælp døgnet rundt.",
    ],
    "region": [[
        "Respirationscenteret vurderer behovet for respiratorbehandling og de sundhedsfaglige opgaver, "
        "hjælperne skal varetage.",
        "Regionen leverer og vedligeholder udstyret og oplærer hjælperne i respiratorbehandling.",
    ]],
    "kommuner": [[
        "Kommunen vurderer behovet for personlig hjælp og støtte efter serviceloven.",
        "Kommunen er arbejdsgiver for hjælperne eller aftaler med borgeren, hvem der er det.",
    ]],
    "praksis": [[
        "Egen læge varetager borgerens almene lægelige behandling og samarbejder med respirationscenteret om "
        "forværringer.",
    ]],
    "implementering": [
        "Region og kommune deler udgifterne til hjælpernes løn efter den fordeling, der aftales i det enkelte "
        "forløb ud fra de sundhedsfaglige og de socialfaglige opgaver.",
        "Aftalen følges op hvert andet år af temagruppen.",
    ],
}
HJAELPER_2 = {
    **HJAELPER_1,
    "region": [[
        *HJAELPER_1["region"][0],
        "Respirationscenteret godkender hver ny hjælper, før hjælperen arbejder alene hos borgeren.",
    ]],
    "kommuner": [[
        *HJAELPER_1["kommuner"][0],
        "Ved indlæggelse følger en hjælper borgeren, og kommunen og hospitalet aftaler hjælperens opgaver under "
        "indlæggelsen.",
    ]],
}

# Udskrivning af ældre medicinske patienter (repealed)
UDSKRIVNING_1 = {
    "formaal": [
        "Aftalen skal sikre, at udskrivningen af ældre medicinske patienter planlægges tidligt, så kommunen er "
        "klar til at modtage borgeren, og så genindlæggelser, der kan undgås, bliver undgået.",
    ],
    "maalgruppe": [
        "Borgere på 65 år og derover, der udskrives fra en medicinsk afdeling og har behov for kommunal hjælp, "
        "sygepleje eller genoptræning.",
    ],
    "region": [[
        "Afdelingen sender en forventet udskrivningsdato til kommunen inden for 24 timer efter indlæggelsen.",
        "Afdelingen sender udskrivningsrapport og medicinliste, senest når borgeren forlader hospitalet.",
    ]],
    "kommuner": [[
        "Kommunen bekræfter modtagelsen og sikrer, at hjælp og hjælpemidler er på plads ved hjemkomsten.",
        "Hjemmesygeplejen besøger borgeren inden for det første døgn efter udskrivningen, hvis borgeren får ny "
        "eller ændret medicin.",
    ]],
    "praksis": [[
        "Egen læge modtager epikrisen og tager stilling til opfølgende konsultation eller sygebesøg.",
    ]],
    "implementering": [
        "Klyngerne følger op på aftalen halvårligt ud fra akutte genindlæggelser blandt ældre.",
    ],
}
UDSKRIVNING_2 = {
    **UDSKRIVNING_1,
    "region": [[
        *UDSKRIVNING_1["region"][0],
        "Ved komplekse udskrivninger holder afdelingen et udskrivningsmøde med kommunen, evt. som video.",
    ]],
}

# Rygestop (in consultation)
RYGESTOP_1 = {
    "formaal": [
        "Aftalen skal sikre, at flere rygere bliver spurgt til deres rygning og tilbudt hjælp til rygestop, når "
        "de er i kontakt med hospital, egen læge eller kommune, og at henvisningen til kommunens rygestoptilbud "
        "sker ensartet i hele regionen.",
        "Aftalen udmønter sundhedsaftalens målsætning om at nedbringe antallet af dagligrygere i Region "
        "Midtjylland.",
    ],
    "maalgruppe": [
        "Voksne dagligrygere, med særligt fokus på gravide, borgere med kronisk sygdom og borgere, der skal "
        "opereres.",
    ],
    "region": [[
        "Hospitalerne spørger systematisk til rygning ved første kontakt og giver en kort rådgivning om "
        "rygestop.",
        "Hospitalerne henviser elektronisk til kommunens rygestoptilbud, når borgeren ønsker det.",
    ]],
    "kommuner": [[
        "Kommunen tilbyder et gratis rygestopforløb, som starter senest 14 dage efter henvisningen.",
        "Kommunen tilbyder forløb i flere former: hold, individuelt og digitalt.",
    ]],
    "praksis": [[
        "Egen læge spørger til rygning ved årskontroller for kronisk sygdom og henviser til kommunens tilbud. "
        "Opgaven aftales nærmere i regi af praksisplanen.",
    ]],
    "implementering": [
        "Aftalen følges op gennem sundhedsaftalens indikator for antal dagligrygere og gennem antallet af "
        "henvisninger fra hospitaler og almen praksis til kommunernes tilbud.",
    ],
}
RYGESTOP_2 = {
    **RYGESTOP_1,
    "maalgruppe": [
        "Voksne dagligrygere og unge, der ryger eller bruger andre nikotinprodukter, med særligt fokus på gravide, "
        "borgere med kronisk sygdom og borgere, der skal opereres.",
    ],
    "kommuner": [[
        *RYGESTOP_1["kommuner"][0],
        "Kommunen tilbyder unge under 25 år et særskilt forløb, der også omfatter snus og e-cigaretter.",
    ]],
}

# Børn og unge med psykisk mistrivsel (draft after an earlier consultation round)
MISTRIVSEL_1 = {
    "formaal": [
        "Aftalen skal sikre, at børn og unge i mistrivsel opspores tidligt og får den rette hjælp første gang, "
        "så mistrivsel ikke udvikler sig til psykisk sygdom.",
        "Aftalen udmønter sundhedsaftalens målsætning om at forbedre den mentale sundhed og mindske mistrivsel "
        "hos børn og unge i Region Midtjylland.",
    ],
    "maalgruppe": [
        "Børn og unge op til 18 år med tegn på psykisk mistrivsel, fx angst, ensomhed, stress eller selvskade, "
        "som ikke i første omgang har behov for behandling i børne- og ungdomspsykiatrien.",
    ],
    "region": [[
        "Børne- og ungdomspsykiatrien rådgiver kommunernes medarbejdere og almen praksis om konkrete børn og unge.",
        "Børne- og ungdomspsykiatrien vurderer henvisninger og giver en begrundet tilbagemelding, hvis barnet "
        "ikke visiteres til udredning.",
    ]],
    "kommuner": [[
        "Kommunen tilbyder et let tilgængeligt tilbud til børn og unge i mistrivsel uden krav om henvisning.",
        "Kommunen koordinerer indsatsen omkring barnet mellem skole, sundhedspleje og familie.",
    ]],
    "praksis": [[
        "Egen læge vurderer barnets eller den unges trivsel og henviser til kommunens tilbud eller til børne- og "
        "ungdomspsykiatrien.",
    ]],
    "implementering": [
        "Temagruppen følger op på fordelingen mellem henvisninger og visitationer til børne- og "
        "ungdomspsykiatrien og på kommunale trivselsdata.",
    ],
}
MISTRIVSEL_2 = {
    **MISTRIVSEL_1,
    "kommuner": [[
        *MISTRIVSEL_1["kommuner"][0],
        "Skolen er ofte den første til at se tegn på mistrivsel og kan bede om en fælles konsultation med "
        "børne- og ungdomspsykiatrien.",
    ]],
    "region": [[
        *MISTRIVSEL_1["region"][0],
        "Børne- og ungdomspsykiatrien tilbyder fælles konsultationer med kommunens medarbejdere og familien.",
    ]],
}
MISTRIVSEL_3 = {
    **MISTRIVSEL_2,
    "region": [[
        *MISTRIVSEL_2["region"][0],
        "Børne- og ungdomspsykiatrien og voksenpsykiatrien planlægger overgangen sammen med den unge, når den "
        "unge fylder 18 år.",
    ]],
    "implementering": [
        *MISTRIVSEL_1["implementering"],
        "Klyngerne følger ventetiden på kommunernes tilbud og rapporterer den til temagruppen en gang årligt.",
    ],
}

# Medicinhåndtering (draft)
MEDICIN_1 = {
    "formaal": [
        "Aftalen fastlægger ansvaret for at ordinere, dispensere, give og følge op på medicin til borgere, der "
        "får hjælp fra flere sektorer, og for at holde Fælles Medicinkort opdateret.",
    ],
    "maalgruppe": [
        "Borgere, der får hjælp til medicinhåndtering fra kommunen, og som samtidig er i behandling på hospitalet "
        "og hos egen læge.",
    ],
    "region": [[
        "Hospitalet ajourfører Fælles Medicinkort ved udskrivning og ved ambulante besøg, hvor medicinen ændres.",
    ]],
    "kommuner": [[
        "Kommunen dispenserer og giver medicin efter Fælles Medicinkort og kontakter den ordinerende læge ved "
        "tvivl.",
    ]],
    "praksis": [[
        "Egen læge har det samlede overblik over borgerens medicin og gennemgår den mindst en gang årligt.",
    ]],
    "implementering": [
        "Aftalen følges op gennem indikatoren for ajourførte medicinoplysninger.",
    ],
}
MEDICIN_2 = {
    **MEDICIN_1,
    "region": [[
        *MEDICIN_1["region"][0],
        "Ved udskrivning medgives medicin til mindst tre døgn, hvis borgeren har fået ny medicin, eller hvis "
        "udskrivningen sker op til en weekend.",
    ]],
    "kommuner": [[
        *MEDICIN_1["kommuner"][0],
        "Kommunen sikrer, at ændringer i dosisdispenseret medicin træder i kraft uden ophold i behandlingen.",
    ]],
}

# Lokal aftale om fremskudt visitation i Horsensklyngen (local, in force)
FREMSKUDT_1 = {
    "formaal": [
        "Aftalen skal sikre, at borgere fra klyngens kommuner, der kommer i Akutmodtagelsen på Regionshospitalet "
        "Horsens, får planlagt deres videre forløb allerede ved ankomsten, så unødige indlæggelser undgås.",
    ],
    "maalgruppe": [
        "Borgere fra Hedensted, Horsens, Odder og Skanderborg kommuner, der ankommer til Akutmodtagelsen, og som "
        "modtager eller kan få brug for kommunal hjælp efter udskrivning.",
    ],
    "region": [[
        "Akutmodtagelsen stiller arbejdsplads og adgang til relevante oplysninger til rådighed for de kommunale "
        "visitatorer.",
        "Akutmodtagelsen inddrager visitatoren, når det står klart, at borgeren kan udskrives med kommunal hjælp.",
    ]],
    "kommuner": [[
        "Kommunerne bemander på skift en fremskudt visitationsfunktion på hverdage kl. 10-18.",
        "Visitatoren bevilger hjælp og hjælpemidler for alle fire kommuner efter kommunernes egne retningslinjer.",
    ]],
    "praksis": [[
        "Almen praksis orienteres om udskrivningen gennem epikrisen som hidtil.",
    ]],
    "implementering": [
        "Klyngens administrative niveau følger op på aftalen halvårligt ud fra antallet af borgere, der "
        "udskrives direkte fra Akutmodtagelsen med kommunal hjælp.",
    ],
}
FREMSKUDT_2 = {
    **FREMSKUDT_1,
    "kommuner": [[
        "Kommunerne bemander på skift en fremskudt visitationsfunktion alle ugens dage kl. 10-18.",
        *FREMSKUDT_1["kommuner"][0][1:],
    ]],
}

# Telemedicinsk hjemmemonitorering ved KOL (from a pilot in Gødstrupklyngen, draft)
KOL_2 = {
    "formaal": [
        "Aftalen skal sprede erfaringerne fra prøvehandlingen i Gødstrupklyngen til hele regionen, så borgere "
        "med svær KOL kan monitoreres i eget hjem, og forværringer opdages og behandles tidligt.",
    ],
    "maalgruppe": [
        "Borgere med svær eller meget svær KOL, som har haft mindst én akut indlæggelse med KOL i det seneste år.",
    ],
    "region": [[
        "Lungemedicinsk afdeling vurderer, hvilke borgere der tilbydes hjemmemonitorering, og fastsætter "
        "grænseværdier for den enkelte borger.",
        "Afdelingen er tilgængelig for kommunens sygeplejersker ved målinger uden for grænseværdierne.",
    ]],
    "kommuner": [[
        "Kommunen udleverer udstyr, oplærer borgeren og vurderer målingerne på hverdage.",
        "Kommunen kontakter borgeren ved målinger uden for grænseværdierne og inddrager hospitalet efter behov.",
    ]],
    "praksis": [[
        "Egen læge informeres om forløbet og følger op ved de årlige kontroller.",
    ]],
    "implementering": [
        "Aftalen implementeres i klyngerne over to år, begyndende med de klynger, der allerede har udstyret.",
    ],
}
KOL_3 = {
    **KOL_2,
    "kommuner": [[
        *KOL_2["kommuner"][0],
        "Uden for dagtid vurderes målinger af den kommunale akutfunktion efter en fælles instruks.",
    ]],
}

# --- decisions: case numbers, minutes links ---------------------------------------------------------

# Municipal web domains (www.<domæne>); the minutes links are illustrative and never fetched.
DOMAENER = {"ringkoebing-skjern": "rksk.dk", REGION: "rm.dk"}

def dansk_dato(dato: datetime.date) -> str:
    return dansk.dato(dato)


def hverdag(dato: datetime.date) -> datetime.date:
    """The same day, or the Friday before if it falls in a weekend."""
    return dato - datetime.timedelta(days=max(0, dato.weekday() - 4))


def sagsnummer(part_slug: str, aftale_slug: str, dato: datetime.date) -> str:
    nummer = 1000 + zlib.crc32(f"{part_slug}/{aftale_slug}".encode()) % 89000
    return f"{dato:%y}/{nummer:05d}"


def referat_url(part_slug: str) -> str:
    return f"https://www.{DOMAENER.get(part_slug, part_slug + '.dk')}/politik/referater"


def _spred(start: datetime.date, slut: datetime.date, antal: int) -> list[datetime.date]:
    """`antal` weekdays spread evenly from `start` to `slut`, in order."""
    if antal == 1:
        return [slut]
    dage = (slut - start).days
    return sorted(max(start, hverdag(start + datetime.timedelta(days=round(dage * i / (antal - 1)))))
                  for i in range(antal))


# --- loading --------------------------------------------------------------------------------------


class _Indlaesning:
    def __init__(self) -> None:
        self.idag = timezone.localdate()
        user_model = get_user_model()
        self.brugere = {u.username: u for u in user_model.objects.all()}
        self.fora = {f.slug: f for f in Forum.objects.all()}
        self.parter = {p.slug: p for p in Part.objects.all()}
        self.klynger = {k.slug: k for k in Klynge.objects.all()}
        self.klyngebrugere = {k.slug: k.demobruger for k in KLYNGER}
        self.omraader: dict[str, Indsatsomraade] = {}
        self.eksisterende = set(Samarbejdsaftale.objects.values_list("slug", flat=True))
        self.eksisterende_ph = {p.slug: p for p in Proevehandling.objects.all()}
        self.oprettet: Counter[str] = Counter()
        self.aendret: Counter[str] = Counter()

    # helpers

    def dag(self, dage: int) -> datetime.date:
        """A weekday `dage` days from today (negative: in the past), never after today if in the past."""
        dato = hverdag(self.idag + datetime.timedelta(days=dage))
        return min(dato, self.idag) if dage <= 0 else max(dato, self.idag + datetime.timedelta(days=1))

    @property
    def sek(self):
        return self.brugere["sekretariat"]

    def _frisk(self, aftale: Samarbejdsaftale) -> Samarbejdsaftale:
        return Samarbejdsaftale.objects.get(pk=aftale.pk)

    def findes(self, titel: str) -> bool:
        return dansk_slug(titel)[:100] in self.eksisterende

    def opret(self, titel: str, tekst: dict, *, note: str, bruger=None, **felter) -> Samarbejdsaftale:
        for navn in ("ejer_forum",):
            if isinstance(felter.get(navn), str):
                felter[navn] = self.fora[felter[navn]]
        if isinstance(felter.get("indsatsomraade"), str):
            felter["indsatsomraade"] = self.omraader[felter["indsatsomraade"]]
        aftale = services.aftale_opret(bruger=bruger or self.sek, titel=titel, tekst=html(tekst),
                                       aendringsnote=note, **felter)
        self.eksisterende.add(aftale.slug)
        self.oprettet["samarbejdsaftaler"] += 1
        return aftale

    def version(self, aftale, tekst: dict, note: str, bruger=None) -> None:
        grundlag = type(aftale).objects.values_list("aktuel_version__nummer", flat=True).get(pk=aftale.pk)
        services.version_opret(aftale=aftale, bruger=bruger or self.sek, tekst=html(tekst), aendringsnote=note,
                               grundlag=grundlag)

    def behandling(self, aftale, forum: str, dato: datetime.date, udfald: str, note: str = "") -> None:
        services.behandling_registrer(aftale=aftale, bruger=self.sek, forum=self.fora[forum], dato=dato,
                                      udfald=udfald, note=note)

    def overgang(self, aftale, handling: str, note: str = "", **data) -> None:
        if isinstance(data.get("forum"), str):
            data["forum"] = self.fora[data["forum"]]
        services.aftale_overgang(aftale=aftale, bruger=self.sek, handling=handling, note=note, **data)

    def indstil(self, aftale, *, dato: datetime.date, frist: datetime.date, forum="sundhedssamarbejdsudvalget",
                note: str = "") -> None:
        forum_navn = self.fora[forum].navn
        note = note or f"Anbefalet på {forum_navn}s møde {dansk_dato(dato)}."
        self.overgang(aftale, Handling.INDSTIL, note=note, forum=forum, dato=dato, beslutningsfrist=frist)

    def beslut(self, aftale, part: str, beslutning: str, dato: datetime.date, bemaerkning: str = "") -> None:
        bruger = self.brugere["region" if part == REGION else f"kommune-{part}"]
        services.godkendelse_registrer(
            aftale=aftale, part=self.parter[part], bruger=bruger, beslutning=beslutning, dato=dato,
            sagsnummer=sagsnummer(part, aftale.slug, dato), referat_url=referat_url(part), bemaerkning=bemaerkning,
        )
        self.oprettet["beslutninger"] += 1

    def godkend_resten(self, aftale, start: datetime.date, slut: datetime.date,
                       bemaerkninger: dict[str, str] | None = None, undtagen=()) -> None:
        """Every required party without a final decision approves, spread over [start, slut], region last."""
        bemaerkninger = bemaerkninger or {}
        mangler = [ps.part.slug for ps in fremdrift(self._frisk(aftale)).parter
                   if ps.endelig is None and ps.part.slug not in undtagen]
        mangler.sort(key=lambda slug: (slug == REGION, zlib.crc32(slug.encode())))
        for slug, dato in zip(mangler, _spred(start, slut, len(mangler)), strict=True):
            self.beslut(aftale, slug, GODKENDT, dato, bemaerkninger.get(slug, ""))

    def implementering(self, aftale, status: dict[str, tuple[str, str]]) -> None:
        # The service checks the state on the object it is given (it does not re-read it): pass a fresh one.
        aftale = self._frisk(aftale)
        for klynge, (tilstand, note) in status.items():
            services.implementering_opdater(aftale=aftale, klynge=self.klynger[klynge],
                                            bruger=self.brugere[self.klyngebrugere[klynge]], status=tilstand,
                                            note=note)

    def hoeringssvar(self, aftale, svar: list[tuple[str, str]]) -> None:
        """(afsender: a municipality's or cluster's slug, or the region; text) answered by its demo user."""
        for afsender, tekst in svar:
            if afsender in self.klynger:
                bruger, obj = self.brugere[self.klyngebrugere[afsender]], self.klynger[afsender]
            else:
                bruger = self.brugere["region" if afsender == REGION else f"kommune-{afsender}"]
                obj = self.parter[afsender]
            services.hoeringssvar_afgiv(aftale=aftale, bruger=bruger, afsender=obj,
                                        tekst=f"<p>{escape(tekst, quote=False)}</p>")
            self.oprettet["høringssvar"] += 1

    def proevehandling(self, titel: str, klynge: str, **felter) -> Proevehandling:
        eksisterende = self.eksisterende_ph.get(dansk_slug(titel)[:100])
        if eksisterende is not None:
            return eksisterende
        ph = services.proevehandling_gem(bruger=self.brugere[self.klyngebrugere[klynge]],
                                         klynge=self.klynger[klynge], titel=titel, **felter)
        self.eksisterende_ph[ph.slug] = ph
        self.oprettet["prøvehandlinger"] += 1
        return ph

    # the health agreement: reference data without a service, compared and saved directly

    def _gem(self, obj, felter: dict):
        ny = obj.pk is None
        forskel = ny or any(getattr(obj, k) != v for k, v in felter.items())
        if forskel:
            for k, v in felter.items():
                setattr(obj, k, v)
            obj.save()
            (self.oprettet if ny else self.aendret)[obj._meta.verbose_name_plural] += 1
        return obj

    def sundhedsaftale(self) -> None:
        aftale = Sundhedsaftale.objects.filter(slug=SUNDHEDSAFTALE_SLUG).first() or Sundhedsaftale(
            slug=SUNDHEDSAFTALE_SLUG)
        aftale = self._gem(aftale, {
            "titel": SUNDHEDSAFTALE_TITEL, "periode_fra": 2019, "periode_til": 2023,
            "visioner": "\n".join(f"{overskrift}: {tekst}" for overskrift, tekst in VISIONER),
            "beskrivelse": SUNDHEDSAFTALE_BESKRIVELSE,
        })
        omraader = {o.slug: o for o in Indsatsomraade.objects.filter(slug__in=[s for s, *_ in INDSATSOMRAADER])}
        maal = {(m.indsatsomraade_id, m.national, m.sortering): m
                for m in Maalsaetning.objects.filter(sundhedsaftale=aftale)}
        for i, (slug, navn, fokus, beskrivelse, maalsaetninger) in enumerate(INDSATSOMRAADER, start=1):
            omraade = self._gem(omraader.get(slug) or Indsatsomraade(slug=slug), {
                "sundhedsaftale_id": aftale.pk, "navn": navn, "fokus": fokus, "beskrivelse": beskrivelse,
                "sortering": i,
            })
            self.omraader[slug] = omraade
            for j, tekst in enumerate(maalsaetninger, start=1):
                obj = maal.get((omraade.pk, False, j)) or Maalsaetning(
                    sundhedsaftale=aftale, indsatsomraade=omraade, national=False, sortering=j)
                self._gem(obj, {"tekst": tekst})
        for j, tekst in enumerate(NATIONALE_MAAL, start=1):
            obj = maal.get((None, True, j)) or Maalsaetning(sundhedsaftale=aftale, national=True, sortering=j)
            self._gem(obj, {"tekst": tekst})

    # the collaboration agreements

    def aftaler(self) -> None:
        self.sundhedsvisitationer()
        self.kommunale_akutfunktioner()
        self.erhvervet_hjerneskade()
        self.palliativ_indsats()
        self.hjaelperordninger()
        self.udskrivning()
        self.rygestop()
        self.mistrivsel()
        self.medicinhaandtering()
        self.fremskudt_visitation_horsens()
        self.hjemmemonitorering_kol()
        self.akutteam_randers()

    def sundhedsvisitationer(self) -> None:
        """In force since 2023, three versions, implemented at different paces in the clusters."""
        titel = "Samarbejdsaftale om sundhedsvisitationer"
        if self.findes(titel):
            return
        a = self.opret(
            titel, VISITATION_1, note="Første udkast fra temagruppen",
            resume="Aftalen fastlægger, hvordan kommunens akutsygeplejerske og hospitalets læge sammen vurderer "
                   "akut syge ældre borgere, så borgeren behandles det rigtige sted – ofte i eget hjem.",
            maalgruppe="Borgere på 65 år og derover med akut opstået sygdom, hvor der er tvivl om, hvorvidt "
                       "indlæggelse er nødvendig.",
            indsatsomraade="aeldre-borgere",
            ejer_forum="temagruppe-behandling-pleje-rehabilitering-og-genoptraening",
            oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference="Sundhedssamarbejdsudvalgets møde 23. september 2022, punkt 5",
        )
        tema = "temagruppe-behandling-pleje-rehabilitering-og-genoptraening"
        self.behandling(a, tema, datetime.date(2022, 12, 6), Udfald.DROEFTET,
                        "Temagruppen drøftede udkastet og bad om et tydeligere ansvar for opfølgning.")
        self.version(a, VISITATION_2, "Tydeligere ansvar for opfølgning efter temagruppens drøftelse")
        self.behandling(a, tema, datetime.date(2023, 1, 17), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", datetime.date(2023, 2, 8), Udfald.DROEFTET,
                        "Styregruppen ønskede tidsrum og svartid for hospitalets læge præciseret.")
        self.version(a, VISITATION_3, "Præciseret tidsrum og svartid efter Sundhedsstyregruppens drøftelse")
        self.indstil(a, dato=datetime.date(2023, 3, 15), frist=datetime.date(2023, 6, 30),
                     note="Sundhedssamarbejdsudvalgets møde 15. marts 2023, punkt 3.")
        self.godkend_resten(a, datetime.date(2023, 3, 28), datetime.date(2023, 6, 21), {
            "samsoe": "Godkendt. Samsø Kommune gennemfører sundhedsvisitationen som videokonsultation.",
        })
        self.overgang(a, Handling.OFFENTLIGGOER, note="Offentliggjort efter godkendelse i alle 20 myndigheder.",
                      ikrafttraedelse=datetime.date(2023, 9, 1), revisionsdato=datetime.date(2027, 9, 1))
        self.implementering(a, {
            "aarhusklyngen": (IMPLEMENTERET, "I drift i Aarhus og Samsø. Samsø bruger video med AUH's akutlæge."),
            "horsensklyngen": (IMPLEMENTERET, "I drift siden november 2023 med fælles telefonnummer til "
                                              "Akutmodtagelsen i Horsens."),
            "midtklyngen": (I_GANG, "Silkeborg og Viborg er i drift; Skive starter efter oplæring af "
                                    "akutsygeplejersker."),
            "randersklyngen": (I_GANG, "Tider og kontaktpersoner er aftalt; opstart i Norddjurs afventer "
                                       "rekruttering."),
            "goedstrupklyngen": (IKKE_STARTET, "Opstart er planlagt, når det fælles telefonnummer til Gødstrup er "
                                               "taget i brug."),
        })

    def kommunale_akutfunktioner(self) -> None:
        """Recommended, rejected by one council, sent back, revised, recommended again, approved, in force."""
        titel = "Samarbejdsaftale om kommunale akutfunktioner"
        if self.findes(titel):
            return
        tema = "temagruppe-behandling-pleje-rehabilitering-og-genoptraening"
        a = self.opret(
            titel, AKUT_1, note="Første udkast",
            resume="Aftalen fastlægger fælles normkrav til kommunernes akutfunktioner og hospitalernes lægefaglige "
                   "ansvar for borgere, der behandles i kommunalt regi.",
            maalgruppe="Voksne, primært ældre, med akut opstået eller forværret sygdom, som kan behandles i eget "
                       "hjem eller på en kommunal akutplads.",
            indsatsomraade="aeldre-borgere", ejer_forum=tema, oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference="Sundhedssamarbejdsudvalgets møde 2. december 2022, punkt 4",
        )
        self.behandling(a, tema, datetime.date(2023, 2, 28), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", datetime.date(2023, 3, 22), Udfald.DROEFTET,
                        "Styregruppen bad om et afsnit om økonomi, før aftalen går videre.")
        self.version(a, AKUT_2, "Afsnit om økonomi tilføjet efter Sundhedsstyregruppens drøftelse")
        self.indstil(a, dato=datetime.date(2023, 4, 26), frist=datetime.date(2023, 8, 31),
                     note="Sundhedssamarbejdsudvalgets møde 26. april 2023, punkt 6.")
        runde1 = ["aarhus", "horsens", "viborg", "favrskov", "hedensted", "odder", "herning", REGION]
        for slug, dato in zip(runde1, _spred(datetime.date(2023, 5, 9), datetime.date(2023, 6, 14), len(runde1)),
                              strict=True):
            self.beslut(a, slug, GODKENDT, dato)
        self.beslut(a, "struer", UDSAT, datetime.date(2023, 5, 30),
                    "Udsat; kommunalbestyrelsen ønsker en uddybning af udgifterne til kompetenceudvikling.")
        self.beslut(a, "skive", AFVIST, datetime.date(2023, 6, 13),
                    "Kommunalbestyrelsen kan ikke godkende aftalen, før finansieringen af oplæringen af kommunens "
                    "sygeplejersker er afklaret. Kommunen kan ikke opfylde normkravet om døgndækning uden en "
                    "overgangsperiode.")
        self.behandling(a, "sundhedssamarbejdsudvalget", datetime.date(2023, 6, 28), Udfald.SENDT_RETUR,
                        "Udvalget sendte aftalen retur, så økonomien og en overgangsperiode kan afklares.")
        self.overgang(a, Handling.SEND_RETUR,
                      note="Sendt retur efter Skive Kommunes afvisning; økonomiafsnittet genforhandles. Beslutningerne "
                           "om version 2 bevares i historikken.")
        self.version(a, AKUT_3, "Revideret efter Skive Kommunes afvisning: regionen finansierer oplæring de første "
                                "to år, og der indføres en overgangsperiode på 12 måneder")
        self.behandling(a, tema, datetime.date(2023, 8, 22), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", datetime.date(2023, 9, 6), Udfald.DROEFTET,
                        "Styregruppen anbefaler den reviderede aftale over for udvalget.")
        self.indstil(a, dato=datetime.date(2023, 9, 27), frist=datetime.date(2023, 12, 31),
                     note="Sundhedssamarbejdsudvalgets møde 27. september 2023, punkt 2. Genindstillet i revideret "
                          "form.")
        self.godkend_resten(a, datetime.date(2023, 10, 10), datetime.date(2023, 12, 13), {
            "skive": "Godkendt på baggrund af den reviderede aftale med overgangsperiode.",
            "struer": "Godkendt. Kommunalbestyrelsen tager orienteringen om udgifterne til efterretning.",
        })
        self.overgang(a, Handling.OFFENTLIGGOER, ikrafttraedelse=datetime.date(2024, 2, 1),
                      revisionsdato=datetime.date(2027, 2, 1))
        self.implementering(a, {
            "aarhusklyngen": (I_GANG, "Døgndækning etableret; oplæring i intravenøs behandling pågår."),
            "horsensklyngen": (IMPLEMENTERET, "Alle fire kommuner opfylder normkravene."),
            "midtklyngen": (IMPLEMENTERET, "Skive har afsluttet overgangsperioden og opfylder normkravene."),
            "randersklyngen": (I_GANG, "Fælles akutfunktion for Norddjurs og Syddjurs afprøves."),
            "goedstrupklyngen": (I_GANG, "Fire af seks kommuner opfylder normkravene; Lemvig og Struer er i "
                                         "overgangsperioden."),
        })

    def erhvervet_hjerneskade(self) -> None:
        """In force since 2023; now under revision: a new draft while the published version stays public."""
        titel = "Samarbejdsaftale om voksne med erhvervet hjerneskade"
        if self.findes(titel):
            return
        a = self.opret(
            titel, HJERNE_1, note="Første udkast fra Hjerneskadesamrådet",
            resume="Aftalen sikrer sammenhængende rehabiliteringsforløb for voksne med erhvervet hjerneskade fra "
                   "hospital til kommune og videre til hverdagsliv, uddannelse og arbejde.",
            maalgruppe="Voksne med erhvervet hjerneskade, der har behov for genoptræning eller rehabilitering efter "
                       "udskrivning.",
            ejer_forum="hjerneskadesamraad-voksne", oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference="Sundhedskoordinationsudvalgets møde 2. marts 2022, punkt 6",
        )
        self.behandling(a, "hjerneskadesamraad-voksne", datetime.date(2022, 8, 24), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", datetime.date(2022, 9, 7), Udfald.DROEFTET,
                        "Styregruppen bad om en frist for kommunens kontaktperson.")
        self.version(a, HJERNE_2, "Frist for udpegning af kontaktperson tilføjet efter styregruppens drøftelse")
        self.indstil(a, dato=datetime.date(2022, 9, 28), frist=datetime.date(2022, 12, 31),
                     note="Sundhedssamarbejdsudvalgets møde 28. september 2022, punkt 4.")
        self.godkend_resten(a, datetime.date(2022, 10, 11), datetime.date(2022, 12, 14))
        self.overgang(a, Handling.OFFENTLIGGOER, ikrafttraedelse=datetime.date(2023, 1, 1),
                      revisionsdato=datetime.date(2026, 12, 31))
        self.implementering(a, {
            "aarhusklyngen": (IMPLEMENTERET, "Kontaktpersoner udpeget i begge kommuner."),
            "midtklyngen": (IMPLEMENTERET, ""),
            "goedstrupklyngen": (I_GANG, "Koordinerende møder holdes som video; Lemvig mangler kontaktperson."),
        })
        self.behandling(a, "hjerneskadesamraad-voksne", self.dag(-21), Udfald.DROEFTET,
                        "Samrådet igangsætter revisionen forud for revisionsdatoen.")
        self.overgang(a, Handling.REVIDER,
                      note="Revision forud for revisionsdatoen. Den gældende version forbliver offentlig, indtil den "
                           "reviderede aftale er godkendt.")
        self.version(a, HJERNE_3, "Revisionsudkast: pårørendeinddragelse og digital deling af genoptræningsplaner")

    def palliativ_indsats(self) -> None:
        """Recommended and awaiting decisions: 14 of 20 approved, one rejection, postponements."""
        titel = "Samarbejdsaftale om palliativ indsats"
        if self.findes(titel):
            return
        tema = "temagruppe-behandling-pleje-rehabilitering-og-genoptraening"
        bestilt = self.dag(-420)
        a = self.opret(
            titel, PALLIATIV_1, note="Første udkast",
            resume="Aftalen fastlægger samarbejdet om den basale og den specialiserede palliative indsats, så "
                   "borgere med livstruende sygdom og deres pårørende får lindring og tryghed, hvor de ønsker at "
                   "være.",
            maalgruppe="Voksne med livstruende sygdom, uanset diagnose, og deres pårørende.",
            ejer_forum=tema, oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference=f"Sundhedssamarbejdsudvalgets møde {dansk_dato(bestilt)}, punkt 5",
        )
        self.behandling(a, tema, self.dag(-130), Udfald.DROEFTET,
                        "Temagruppen ønsker døgnkontakt og opfølgning med de pårørende beskrevet.")
        self.version(a, PALLIATIV_2, "Døgnkontakt og opfølgende samtale med pårørende tilføjet")
        self.behandling(a, tema, self.dag(-115), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", self.dag(-100), Udfald.DROEFTET)
        indstillet = self.dag(-84)
        self.indstil(a, dato=indstillet, frist=self.dag(40))
        self.beslut(a, "syddjurs", UDSAT, self.dag(-63),
                    "Sagen blev udsat til næste møde, da kommunalbestyrelsen ønskede en uddybning af udgifterne til "
                    "døgnkontakten.")
        godkender = ["aarhus", "horsens", "herning", "viborg", "randers", "silkeborg", "skanderborg", "odder",
                     "hedensted", "favrskov", "holstebro", "ikast-brande", REGION]
        for slug, dato in zip(godkender, _spred(self.dag(-70), self.dag(-14), len(godkender)), strict=True):
            self.beslut(a, slug, GODKENDT, dato)
        self.beslut(a, "lemvig", AFVIST, self.dag(-28),
                    "Kommunalbestyrelsen kan ikke godkende kravet om døgnkontakt, da de økonomiske konsekvenser for "
                    "en mindre kommune ikke er belyst. Kommunen indgår gerne i en dialog om en fælles løsning i "
                    "Gødstrupklyngen.")
        self.beslut(a, "norddjurs", UDSAT, self.dag(-21), "Udsat til kommunalbestyrelsens næste møde.")
        self.beslut(a, "syddjurs", GODKENDT, self.dag(-7),
                    "Godkendt efter uddybning af udgifterne fra sekretariatet.")

    def hjaelperordninger(self) -> None:
        """Approved by all 20 authorities, not yet published."""
        titel = "Samarbejdsaftale om fælles hjælperordninger for borgere med kronisk respirationsinsufficiens"
        if self.findes(titel):
            return
        tema = "temagruppe-behandling-pleje-rehabilitering-og-genoptraening"
        a = self.opret(
            titel, HJAELPER_1, note="Første udkast",
            resume="Aftalen beskriver, hvordan region og kommune sammen etablerer og driver én samlet "
                   "hjælperordning for borgere, der får respiratorbehandling i eget hjem.",
            maalgruppe="Borgere med kronisk respirationsinsufficiens i respiratorbehandling i eget hjem.",
            ejer_forum=tema, oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference=f"Sundhedssamarbejdsudvalgets møde {dansk_dato(self.dag(-400))}, punkt 3",
        )
        self.behandling(a, tema, self.dag(-240), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", self.dag(-220), Udfald.DROEFTET,
                        "Styregruppen bad om en beskrivelse af hjælperne under indlæggelse.")
        self.version(a, HJAELPER_2, "Hjælpernes opgaver under indlæggelse og godkendelse af nye hjælpere beskrevet")
        self.indstil(a, dato=self.dag(-190), frist=self.dag(-30))
        self.godkend_resten(a, self.dag(-175), self.dag(-38))

    def udskrivning(self) -> None:
        """In force 2020-2024, then repealed: its content continues in the agreement on acute functions."""
        titel = "Samarbejdsaftale om udskrivning af ældre medicinske patienter"
        if self.findes(titel):
            return
        a = self.opret(
            titel, UDSKRIVNING_1, note="Første udkast",
            resume="Aftalen beskriver planlægningen af udskrivning af ældre medicinske patienter, så kommunen er "
                   "klar til at modtage borgeren.",
            maalgruppe="Borgere på 65 år og derover, der udskrives fra en medicinsk afdeling med behov for "
                       "kommunal hjælp.",
            indsatsomraade="aeldre-borgere",
            ejer_forum="temagruppe-behandling-pleje-rehabilitering-og-genoptraening",
            oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference="Sundhedskoordinationsudvalgets møde 4. marts 2019, punkt 7",
        )
        self.behandling(a, "sundhedsstyregruppen", datetime.date(2019, 10, 9), Udfald.DROEFTET,
                        "Styregruppen bad om en model for udskrivningsmøder i komplekse forløb.")
        self.version(a, UDSKRIVNING_2, "Udskrivningsmøder ved komplekse udskrivninger tilføjet")
        self.indstil(a, forum="sundhedskoordinationsudvalget", dato=datetime.date(2019, 11, 27),
                     frist=datetime.date(2020, 2, 29),
                     note="Sundhedskoordinationsudvalgets møde 27. november 2019, punkt 4.")
        self.godkend_resten(a, datetime.date(2019, 12, 10), datetime.date(2020, 2, 26))
        self.overgang(a, Handling.OFFENTLIGGOER, ikrafttraedelse=datetime.date(2020, 4, 1))
        self.implementering(a, {
            "aarhusklyngen": (IMPLEMENTERET, ""),
            "horsensklyngen": (IMPLEMENTERET, "Udskrivningsmøder holdes som video."),
            "randersklyngen": (IMPLEMENTERET, ""),
            "goedstrupklyngen": (I_GANG, "Forventet udskrivningsdato sendes endnu ikke fra alle afdelinger."),
        })
        self.overgang(a, Handling.OPHAEV,
                      note="Ophævet pr. 1. februar 2024; indholdet er videreført i Samarbejdsaftale om kommunale "
                           "akutfunktioner og i Samarbejdsaftale om sundhedsvisitationer.")

    def rygestop(self) -> None:
        """Drafted by the theme group itself, now in consultation with answers coming in."""
        titel = "Samarbejdsaftale om rygestop"
        if self.findes(titel):
            return
        tema = "temagruppe-forebyggelse"
        tema_bruger = self.brugere["temagruppe-forebyggelse"]
        a = self.opret(
            titel, RYGESTOP_1, note="Første udkast fra temagruppe Forebyggelse", bruger=tema_bruger,
            resume="Aftalen skal sikre, at flere rygere bliver spurgt til rygning og tilbudt hjælp til rygestop, og "
                   "at henvisningen til kommunernes rygestoptilbud sker ensartet i hele regionen.",
            maalgruppe="Voksne dagligrygere og unge, der ryger eller bruger andre nikotinprodukter.",
            indsatsomraade="forebyggelse", ejer_forum=tema, oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference=f"Sundhedssamarbejdsudvalgets møde {dansk_dato(self.dag(-180))}, punkt 6",
        )
        self.version(a, RYGESTOP_2, "Unge og nikotinprodukter tilføjet efter temagruppens møde", bruger=tema_bruger)
        self.behandling(a, tema, self.dag(-45), Udfald.TILTRAADT)
        self.behandling(a, "sundhedsstyregruppen", self.dag(-28), Udfald.DROEFTET,
                        "Styregruppen sender udkastet i høring hos kommuner, region og klynger.")
        self.overgang(a, Handling.SEND_I_HOERING, hoeringsfrist=self.dag(35),
                      note="Sendt i høring hos kommunerne, regionen og klyngerne.")
        self.hoeringssvar(a, [
            ("aarhus", "Aarhus Kommune støtter aftalen og foreslår, at henvisninger fra hospitalerne også kan gå "
                       "direkte til kommunens digitale rygestopforløb."),
            ("skive", "Skive Kommune bakker op om aftalen, men kan ikke garantere opstart inden for 14 dage i "
                      "sommerperioden. Kommunen foreslår en frist på 21 dage."),
            ("randersklyngen", "Randersklyngen anbefaler, at de gravide får en særskilt og hurtigere vej fra "
                               "jordemoder til kommunens tilbud."),
            ("goedstrupklyngen", "Gødstrupklyngen efterlyser fælles materiale til hospitalernes korte rådgivning, så "
                                 "budskabet er det samme overalt."),
            (REGION, "Region Midtjylland er enig i aftalens indhold og vil sikre, at hospitalerne registrerer "
                     "rygestatus ensartet."),
        ])

    def mistrivsel(self) -> None:
        """A consultation round is over; the theme group revises the draft on the answers."""
        titel = "Samarbejdsaftale om børn og unge med psykisk mistrivsel"
        if self.findes(titel):
            return
        tema = "temagruppe-psykiatri-boern"
        a = self.opret(
            titel, MISTRIVSEL_1, note="Første udkast",
            resume="Aftalen beskriver, hvordan kommuner, børne- og ungdomspsykiatrien og almen praksis samarbejder "
                   "om tidlig opsporing og hjælp til børn og unge i mistrivsel.",
            maalgruppe="Børn og unge op til 18 år med tegn på psykisk mistrivsel.",
            indsatsomraade="naer-psykiatri", ejer_forum=tema, oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference=f"Sundhedssamarbejdsudvalgets møde {dansk_dato(self.dag(-300))}, punkt 2",
        )
        self.version(a, MISTRIVSEL_2, "Skolens rolle og fælles konsultationer tilføjet")
        self.behandling(a, tema, self.dag(-90), Udfald.TILTRAADT, "Tiltrådt til udsendelse i høring.")
        self.overgang(a, Handling.SEND_I_HOERING, hoeringsfrist=self.dag(7),
                      note="Sendt i høring hos kommunerne, regionen og klyngerne.")
        self.hoeringssvar(a, [
            ("randers", "Randers Kommune savner en beskrivelse af overgangen til voksenpsykiatrien, når den unge "
                        "fylder 18 år."),
            ("viborg", "Viborg Kommune støtter modellen med fælles konsultationer og foreslår, at ventetiden på de "
                       "kommunale tilbud følges."),
            ("aarhusklyngen", "Aarhusklyngen bakker op om aftalen og tilbyder at dele erfaringer fra klyngens "
                              "fælles konsultationer."),
            ("midtklyngen", "Midtklyngen anbefaler, at aftalen beskriver, hvem der koordinerer, når flere "
                            "kommunale forvaltninger er involveret."),
        ])
        self.overgang(a, Handling.AFSLUT_HOERING,
                      note="Høringen er afsluttet efter aftale med klyngerne, så svarene kan indgå i temagruppens "
                           "næste møde.")
        self.version(a, MISTRIVSEL_3, "Revideret efter høringen: overgang til voksenpsykiatrien og opfølgning på "
                                      "ventetid")
        self.behandling(a, tema, self.dag(-3), Udfald.DROEFTET, "Høringssvarene er gennemgået.")

    def medicinhaandtering(self) -> None:
        """An early draft; PLO-Midtjylland is added as an approving party."""
        titel = "Samarbejdsaftale om medicinhåndtering"
        if self.findes(titel):
            return
        a = self.opret(
            titel, MEDICIN_1, note="Første udkast",
            resume="Aftalen fastlægger ansvaret for ordination, dispensering, administration og opfølgning på "
                   "medicin til borgere, der får hjælp fra flere sektorer.",
            maalgruppe="Borgere, der får hjælp til medicinhåndtering fra kommunen og samtidig er i behandling på "
                       "hospitalet og hos egen læge.",
            indsatsomraade="aeldre-borgere", ejer_forum="kvalitetsgruppe", oprindelse=Oprindelse.BESTILLING,
            oprindelse_reference=f"Sundhedssamarbejdsudvalgets møde {dansk_dato(self.dag(-200))}, punkt 4",
        )
        self.version(a, MEDICIN_2, "Medicin ved udskrivning og dosisdispensering tilføjet")
        services.ekstra_parter_saet(aftale=a, bruger=self.sek, parter=[self.parter[PLO]])
        self.behandling(a, "kvalitetsgruppe", self.dag(-10), Udfald.DROEFTET)

    def fremskudt_visitation_horsens(self) -> None:
        """A local agreement from a pilot in Horsensklyngen, approved by the cluster's councils and the region."""
        titel = "Lokal aftale om fremskudt visitation i Horsensklyngen"
        if self.findes(titel):
            return
        ph = self.proevehandling(
            "Fremskudt visitation i Akutmodtagelsen på Regionshospitalet Horsens", "horsensklyngen",
            beskrivelse="Visitatorer fra de fire kommuner i Horsensklyngen arbejder på skift i Akutmodtagelsen og "
                        "planlægger hjælp i hjemmet sammen med hospitalets personale, mens borgeren er i "
                        "modtagelsen.",
            periode_fra=datetime.date(2022, 9, 1), periode_til=datetime.date(2023, 8, 31),
            resultater="Flere borgere blev udskrevet direkte fra Akutmodtagelsen med kommunal hjælp, og "
                       "medarbejderne oplevede færre forsinkelser ved udskrivning. Klyngen har besluttet at gøre "
                       "ordningen permanent med en lokal aftale.",
        )
        klynge = self.klynger["horsensklyngen"]
        a = self.opret(
            titel, FREMSKUDT_1, note="Første udkast på grundlag af prøvehandlingen",
            resume="Kommunale visitatorer arbejder i Akutmodtagelsen på Regionshospitalet Horsens og planlægger "
                   "borgerens videre forløb allerede ved ankomsten.",
            maalgruppe="Borgere fra Hedensted, Horsens, Odder og Skanderborg kommuner i Akutmodtagelsen.",
            indsatsomraade="aeldre-borgere", ejer_forum="horsensklyngen-administrativ", omfang=Omfang.LOKAL,
            klynge=klynge, oprindelse=Oprindelse.PROEVEHANDLING, proevehandling=ph,
            oprindelse_reference="Prøvehandling i Horsensklyngen 2022-2023",
        )
        self.behandling(a, "horsensklyngen-administrativ", datetime.date(2023, 10, 5), Udfald.DROEFTET,
                        "Ønske om udvidelse til alle ugens dage.")
        self.version(a, FREMSKUDT_2, "Udvidet til alle ugens dage")
        self.behandling(a, "horsensklyngen-administrativ", datetime.date(2023, 11, 2), Udfald.TILTRAADT)
        self.indstil(a, forum="horsensklyngen-politisk", dato=datetime.date(2023, 11, 23),
                     frist=datetime.date(2024, 2, 29),
                     note="Horsensklyngens politiske niveau, møde 23. november 2023, punkt 3.")
        self.godkend_resten(a, datetime.date(2023, 12, 12), datetime.date(2024, 1, 31))
        self.overgang(a, Handling.OFFENTLIGGOER, ikrafttraedelse=datetime.date(2024, 3, 1),
                      revisionsdato=datetime.date(2026, 3, 1))
        self.implementering(a, {
            "horsensklyngen": (IMPLEMENTERET, "Fremskudt visitation alle ugens dage kl. 10-18 siden april 2024."),
        })

    def hjemmemonitorering_kol(self) -> None:
        """A pilot in Gødstrupklyngen, presented to the committee, which starts an agreement to spread it."""
        titel = "Samarbejdsaftale om telemedicinsk hjemmemonitorering ved KOL"
        if self.findes(titel):
            return
        ph = self.proevehandling(
            "Telemedicinsk hjemmemonitorering af borgere med KOL i Gødstrupklyngen", "goedstrupklyngen",
            beskrivelse="Borgere med svær KOL måler iltmætning, puls og vægt hjemme på en tablet. Målingerne "
                        "vurderes af kommunens sygeplejersker, som kontakter lungemedicinsk afdeling i Gødstrup ved "
                        "tegn på forværring.",
            periode_fra=datetime.date(2023, 3, 1), periode_til=datetime.date(2024, 8, 31),
            resultater="Deltagerne havde færre akutte indlæggelser end året før, og de fleste oplevede større "
                       "tryghed. Erfaringerne viser behov for en fælles aftale om, hvem der reagerer på målingerne "
                       "uden for dagtid.",
        )
        if not ph.praesenteret_dato:
            ph = services.proevehandling_praesenteret(proevehandling=ph, bruger=self.sek,
                                                      dato=datetime.date(2024, 12, 6))
        a = services.aftale_fra_proevehandling(proevehandling=ph, bruger=self.sek, titel=titel)
        self.eksisterende.add(a.slug)
        self.oprettet["samarbejdsaftaler"] += 1
        self.behandling(a, "sundhedssamarbejdsudvalget", datetime.date(2024, 12, 6), Udfald.DROEFTET,
                        "Gødstrupklyngen præsenterede resultaterne. Udvalget igangsatte en samarbejdsaftale med "
                        "henblik på spredning til alle klynger.")
        a = self._frisk(a)
        services.aftale_gem(
            aftale=a, bruger=self.sek, revision=a.revision, tekst=html(KOL_2),
            aendringsnote="Første udkast skrevet af sekretariatet på grundlag af prøvehandlingen",
            felter={
                "maalgruppe": "Borgere med svær eller meget svær KOL med mindst én akut indlæggelse det seneste år.",
                "indsatsomraade": self.omraader["aeldre-borgere"],
                "ejer_forum": self.fora["forloebsprogramgruppe-kol"],
            },
        )
        self.version(a, KOL_3, "Vurdering af målinger uden for dagtid beskrevet")

    def akutteam_randers(self) -> None:
        """A pilot under way in Randersklyngen, not yet presented."""
        self.proevehandling(
            "Fælles akutteam på tværs af kommunerne i Randersklyngen", "randersklyngen",
            beskrivelse="Norddjurs og Syddjurs kommuner afprøver et fælles akutteam om natten med sparring fra "
                        "Akutmodtagelsen på Regionshospitalet Randers.",
            periode_fra=datetime.date(2025, 9, 1), periode_til=datetime.date(2027, 2, 28),
            resultater="Midtvejsstatus: teamet kører stabilt; en evaluering følger efter prøveperioden.",
        )

    def opsummering(self) -> str:
        antal = (f"{Samarbejdsaftale.objects.count()} samarbejdsaftaler, {Proevehandling.objects.count()} "
                 f"prøvehandlinger")
        oprettet = ", ".join(f"{n} {navn}" for navn, n in sorted(self.oprettet.items()))
        aendret = ", ".join(f"{n} {navn}" for navn, n in sorted(self.aendret.items()))
        if not oprettet and not aendret:
            return f"Aftaler: {SUNDHEDSAFTALE_TITEL}, {antal}. Intet at ændre."
        return f"Aftaler: {SUNDHEDSAFTALE_TITEL}, {antal}. Oprettet: {oprettet or 'intet'}." + (
            f" Ændret: {aendret}." if aendret else "")


def indlaes(*, stdout=None) -> None:
    """Load (or bring up to date) the health agreement and the example agreements."""
    with transaction.atomic():
        koersel = _Indlaesning()
        koersel.sundhedsaftale()
        koersel.aftaler()
    if stdout is not None:
        stdout.write(koersel.opsummering())
