"""Every write to agreements: validate, check who may, write the record row in the same
transaction (under a row lock on the agreement), enqueue background work on commit."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from aftaler import notifikationer, policies, selectors, strukturaendring
from aftaler.choices import ENDELIGE_BESLUTNINGER, Beslutning, ImplementeringStatus, Omfang, Oprindelse, Status, Udfald
from aftaler.models import (
    AftaleVersion,
    Behandling,
    Bilag,
    Dagsordensag,
    Godkendelse,
    Hoeringssvar,
    Implementering,
    Overgang,
    Proevehandling,
    Samarbejdsaftale,
)
from aftaler.sanitize import rens_html
from aftaler.workflow import AUTOMATISK_GODKENDT, OVERGANGE, Handling
from organisation import policies as organisation_policies
from organisation.choices import ForumType
from organisation.models import Dagsordenpunkt, Forum, Klynge, MoedeStatus, Part
from sundhed import dansk, filkontrol, permissions, udbakke
from sundhed.exceptions import DomainError, IkkeTilladt  # noqa: F401 (IkkeTilladt: the views and API catch it here)
from sundhed.services import haendelse_registrer, navn_paa
from sundhed.text import dansk_slug, en_linje


class ForaeldetGem(DomainError):
    """Someone saved the agreement after this editor opened it: refuse, keep the editor's text."""


def _laas(aftale: Samarbejdsaftale) -> Samarbejdsaftale:
    """Re-read the agreement under a row lock: concurrent writers queue here, one at a time."""
    return Samarbejdsaftale.objects.select_for_update().get(pk=aftale.pk)


# Path segments the staff pages use beside the slugs (/arbejde/aftaler/ny/).
_RESERVEREDE_SLUGS = {"ny", "rediger", "versioner", "bilag"}


def _afledt(aftale: Samarbejdsaftale) -> None:
    """Refresh what is derived from the agreement (its page stamp, its search index row) through the
    outbox: written in this transaction, so a broker outage or a dead worker cannot lose it."""
    udbakke.skriv_opgave("aftaler.tasks.aftale_aendret", aftale.pk)


def _marker_aendret(aftale: Samarbejdsaftale) -> None:
    """Something shown with the agreement changed: bump its timestamp (ETag) and refresh caches after commit."""
    Samarbejdsaftale.objects.filter(pk=aftale.pk).update(opdateret=timezone.now())
    _afledt(aftale)


def _unik_slug(titel: str, model=Samarbejdsaftale) -> str:
    base = dansk_slug(titel)[:100] or "aftale"
    slug, n = base, 2
    while slug in _RESERVEREDE_SLUGS or model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _kraev(betingelse: bool, besked: str = "Du har ikke adgang til at gøre dette.") -> None:
    if not betingelse:
        raise IkkeTilladt(besked)


# --- drafting -----------------------------------------------------------------------------------

# Title, summary and target group belong to the version (AftaleVersion): while a published agreement
# is revised, the public keeps reading the published version's until the revision is published.
VERSIONSFELTER = ("titel", "resume", "maalgruppe")

REDIGERBARE_FELTER = (
    "titel", "resume", "maalgruppe", "indsatsomraade", "ejer_forum", "omfang", "klynge", "oprindelse",
    "oprindelse_reference", "proevehandling", "revisionsdato",
)


@transaction.atomic
def aftale_opret(*, bruger, titel: str, tekst: str = "", aendringsnote: str = "Første udkast", **felter
                 ) -> Samarbejdsaftale:
    """Create an agreement in `udkast` with its first version."""
    titel = en_linje(titel)
    if not titel:
        raise DomainError("Skriv en titel.", field="titel")
    ukendte = set(felter) - set(REDIGERBARE_FELTER)
    if ukendte:
        raise DomainError(f"Ukendte felter: {', '.join(sorted(ukendte))}.")
    aftale = Samarbejdsaftale(titel=titel, slug=_unik_slug(titel), **felter)
    _valider_aftale(aftale)
    _kraev(permissions.har(bruger, "redigere_alle_aftaler")
           or (aftale.ejer_forum_id and permissions.har(bruger, "redigere_gruppens_aftaler", aftale.ejer_forum))
           or (aftale.omfang == Omfang.LOKAL and aftale.klynge_id
               and permissions.har(bruger, "redigere_lokale_aftaler", aftale.klynge)),
           "Du kan kun oprette aftaler for din egen gruppe eller klynge.")
    # (IkkeTilladt carries no field: the message shows above the form, naming what to choose.)
    aftale.save()
    version = AftaleVersion.objects.create(aftale=aftale, nummer=1, tekst=rens_html(tekst),
                                           aendringsnote=aendringsnote, forfatter=bruger,
                                           **{navn: getattr(aftale, navn) for navn in VERSIONSFELTER})
    aftale.aktuel_version = version
    aftale.save(update_fields=["aktuel_version"])
    haendelse_registrer(bruger=bruger, handling="oprettet", objekt=aftale)
    return aftale


def _valider_aftale(aftale: Samarbejdsaftale) -> None:
    if aftale.omfang == Omfang.LOKAL and not aftale.klynge_id:
        raise DomainError("Vælg klyngen for en lokal aftale.", field="klynge")
    if aftale.omfang == Omfang.REGIONAL:
        aftale.klynge = None
    if aftale.oprindelse == Oprindelse.PROEVEHANDLING and not aftale.proevehandling_id:
        raise DomainError("Vælg den prøvehandling, aftalen udspringer af.", field="proevehandling")
    if aftale.ejer_forum_id and aftale.ejer_forum.type not in (
        ForumType.TEMAGRUPPE, ForumType.ARBEJDSGRUPPE, ForumType.FORLOEBSPROGRAMGRUPPE, ForumType.FAELLES_SEKRETARIAT,
        ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV,
    ):
        raise DomainError("Ejeren skal være en temagruppe, arbejdsgruppe eller et klyngeniveau.", field="ejer_forum")
    try:
        aftale.full_clean(exclude=["slug", "aktuel_version", "offentliggjort_version"])
    except ValidationError as exc:  # one Danish message naming the field
        raise DomainError.fra_validering(exc) from exc


@transaction.atomic
def aftale_gem(*, aftale: Samarbejdsaftale, bruger, revision: int, felter: dict | None = None,
               tekst: str | None = None, aendringsnote: str = "", ny_version: bool = False) -> Samarbejdsaftale:
    """Save the editor: details, and the text, title, summary and target group into the current version.

    The current version takes the changes while it is a draft; a new version begins only when the
    current one is frozen (sent to consultation or recommended) or when the editor asks for one
    (`ny_version`), so the first text fills version 1 and the councils approve the number that the
    drafters saw.

    `revision` is the number the editor was opened with. If anyone saved in between, the save
    is refused (ForaeldetGem) and nothing is written, so the caller can show the user's text again.
    """
    aftale = _laas(aftale)
    _kraev(policies.kan_redigere_aftale(bruger, aftale),
           "Aftalen kan kun redigeres i udkast af sekretariatet eller den ejende gruppe.")
    if revision != aftale.revision:
        raise ForaeldetGem(
            "Aftalen er blevet gemt af en anden, efter du åbnede den. Dine ændringer er ikke gemt, men din "
            "tekst står stadig i formularen. Sammenlign med den nyeste gemte tekst, og gem derefter igen."
        )
    felter = dict(felter or {})
    ukendte = set(felter) - set(REDIGERBARE_FELTER)
    if ukendte:
        raise DomainError(f"Ukendte felter: {', '.join(sorted(ukendte))}.")
    udkastets = _udkastets_felter(aftale)
    nye = {navn: felter.pop(navn) for navn in VERSIONSFELTER if navn in felter}
    if "titel" in nye and not (nye["titel"] or "").strip():
        raise DomainError("Skriv en titel.", field="titel")
    if "titel" in nye:
        nye["titel"] = en_linje(nye["titel"])  # a title is one line (it heads pages, mails and feeds)
    versionsfelter = {**udkastets, **{navn: (vaerdi or "").strip() for navn, vaerdi in nye.items()}}
    if aftale.offentliggjort_version_id is None:
        # Not yet published: the agreement's own fields are the draft's.
        for navn, vaerdi in versionsfelter.items():
            setattr(aftale, navn, vaerdi)
    for navn, vaerdi in felter.items():
        setattr(aftale, navn, vaerdi)
    # A group may not move an agreement out of its own reach (to another owner or cluster).
    _kraev(policies.kan_redigere_aftale(bruger, aftale),
           "Du kan ikke flytte aftalen uden for din egen gruppe eller klynge.")
    _valider_aftale(aftale)
    version = aftale.aktuel_version
    ren = rens_html(tekst) if tekst is not None else None
    ny_tekst = ren if ren is not None else (version.tekst if version else "")
    aendret = version is None or ny_tekst != version.tekst or versionsfelter != udkastets
    if version is None or (aendret and (version.frossen or ny_version)):
        # A frozen version never changes: the changes start the next one.
        kun_detaljer = version is not None and ny_tekst == version.tekst
        _ny_version(aftale, bruger=bruger, tekst=ny_tekst, felter=versionsfelter,
                    aendringsnote=aendringsnote or ("Titel, resumé eller målgruppe ændret" if kun_detaljer else ""))
    elif aendret:
        opdatering = {"tekst": ny_tekst, "forfatter": bruger, **versionsfelter}
        if aendringsnote:
            opdatering["aendringsnote"] = aendringsnote[:500]
        AftaleVersion.objects.filter(pk=version.pk).update(**opdatering)
    felter.update(nye)
    aftale.revision += 1
    aftale.opdateret = timezone.now()
    aftale.save()
    haendelse_registrer(bruger=bruger, handling="aendret", objekt=aftale, data={"felter": sorted(felter)})
    _afledt(aftale)
    return aftale


def _udkastets_felter(aftale: Samarbejdsaftale) -> dict[str, str]:
    """Title, summary and target group of the current draft: its version's, or (on versions written
    before versions carried them) the agreement's."""
    version = aftale.aktuel_version
    kilde = version if version is not None and version.titel else aftale
    return {navn: getattr(kilde, navn) for navn in VERSIONSFELTER}


def _ny_version(aftale: Samarbejdsaftale, *, bruger, tekst: str, aendringsnote: str,
                felter: dict[str, str] | None = None) -> AftaleVersion:
    nummer = (aftale.versioner.order_by("-nummer").values_list("nummer", flat=True).first() or 0) + 1
    version = AftaleVersion.objects.create(aftale=aftale, nummer=nummer, tekst=tekst,
                                           aendringsnote=aendringsnote[:500], forfatter=bruger,
                                           **(felter if felter is not None else _udkastets_felter(aftale)))
    aftale.aktuel_version = version
    return version


@transaction.atomic
def version_opret(*, aftale: Samarbejdsaftale, bruger, tekst: str, grundlag: int, aendringsnote: str = ""
                  ) -> AftaleVersion:
    """A new version of the text. `grundlag` is the number of the version the text was based on:
    basing a version on anything but the current one is a lost update and is refused (ForaeldetGem).
    Required: without it, two clients writing at once would both win."""
    aftale = _laas(aftale)
    _kraev(policies.kan_redigere_aftale(bruger, aftale),
           "Aftalen kan kun redigeres i udkast af sekretariatet eller den ejende gruppe.")
    aktuel = aftale.aktuel_version.nummer if aftale.aktuel_version else None
    if grundlag != aktuel:
        raise ForaeldetGem(f"Der er kommet en nyere version ({aktuel}) end den, du tog udgangspunkt i ({grundlag}).",
                           field="grundlag")
    tom = aftale.aktuel_version
    if tom is not None and not tom.frossen and not tom.tekst.strip():
        # The first text fills the empty version an agreement was created with (no phantom version 1).
        AftaleVersion.objects.filter(pk=tom.pk).update(tekst=rens_html(tekst), aendringsnote=aendringsnote[:500],
                                                       forfatter=bruger)
        version = AftaleVersion.objects.get(pk=tom.pk)
    else:
        version = _ny_version(aftale, bruger=bruger, tekst=rens_html(tekst), aendringsnote=aendringsnote)
    aftale.revision += 1
    aftale.opdateret = timezone.now()
    aftale.save(update_fields=["aktuel_version", "revision", "opdateret"])
    haendelse_registrer(bruger=bruger, handling="ny_version", objekt=aftale, data={"version": version.nummer})
    _afledt(aftale)
    return version


@transaction.atomic
def ekstra_parter_saet(*, aftale: Samarbejdsaftale, bruger, parter: list[Part]) -> None:
    """The secretariat may add parties (e.g. PLO-Midtjylland) that must approve too, before recommending."""
    aftale = _laas(aftale)
    _kraev(permissions.har(bruger, "koere_overgange"))
    if not policies.kan_saette_ekstra_parter(bruger, aftale):
        raise DomainError("Godkendende parter kan kun ændres, før aftalen indstilles.", field="ekstra_parter")
    aftale.ekstra_parter.set(parter)
    haendelse_registrer(bruger=bruger, handling="ekstra_parter", objekt=aftale,
                        data={"parter": [p.slug for p in parter]})
    _marker_aendret(aftale)


# --- lifecycle ----------------------------------------------------------------------------------


def _dato(vaerdi, felt: str, *, kraevet: bool) -> datetime.date | None:
    if vaerdi in (None, ""):
        if kraevet:
            raise DomainError("Angiv en dato.", field=felt)
        return None
    if isinstance(vaerdi, datetime.date):
        return vaerdi
    try:
        return datetime.date.fromisoformat(str(vaerdi))
    except ValueError as exc:
        raise DomainError("Datoen skal skrives som ÅÅÅÅ-MM-DD.", field=felt) from exc


Dato = datetime.date | str | None  # a date, or its ISO text from a form or the API

# One guarded function per action of the lifecycle table (aftaler.workflow.OVERGANGE); they share
# the guard `_overgaa`, which locks the agreement, checks the state before the role (a wrong state is a
# 400 naming `handling` for anyone who may read the agreement), freezes the version where the table says
# so, writes the Overgang row in the same transaction and enqueues the follow-up work on commit.


def _overgaa(aftale: Samarbejdsaftale, *, bruger, handling: str, note: str,
             trin: Callable[[Samarbejdsaftale, AftaleVersion | None], None] | None = None) -> Overgang:
    regel = OVERGANGE[handling]
    aftale = _laas(aftale)
    if aftale.status not in regel.fra:
        raise DomainError(
            f"'{Handling(handling).label}' kan ikke udføres, når aftalen har status '{aftale.get_status_display()}'.",
            field="handling",
        )
    _kraev(policies.kan_udfoere(bruger, aftale, handling))
    fra = aftale.status
    version = aftale.aktuel_version
    if regel.fryser_version:
        if version is None or not version.tekst.strip():
            raise DomainError("Aftalen har ingen tekst endnu.", field="handling")
        if not version.frossen:
            AftaleVersion.objects.filter(pk=version.pk).update(frossen=True)
    if trin is not None:
        trin(aftale, version)
    aftale.status = regel.til
    aftale.opdateret = timezone.now()
    aftale.save()
    overgang = Overgang.objects.create(aftale=aftale, handling=handling, fra_status=fra, til_status=regel.til,
                                       version=version, bruger=bruger, bruger_navn=navn_paa(bruger), note=note)
    _overgang_logget(overgang, aftale)
    notifikationer.overgang_skriv(overgang)  # outbox rows, in this transaction
    _afledt(aftale)
    if regel.ny_offentlig_tekst:
        # The public PDF of the version now shown.
        udbakke.skriv_opgave("aftaler.tasks_offentlig.pdf_forbered", aftale.pk)
    return overgang


def _overgang_logget(overgang: Overgang, aftale: Samarbejdsaftale) -> None:
    """The transition's row in the audit log too (the administrators' audit trail, sundhed.revision reads one
    table), with the request's address; the Overgang row stays the agreement's own history."""
    navn = Handling(overgang.handling).label if overgang.handling in Handling.values else "Alle parter har godkendt"
    fra, til = Status(overgang.fra_status).label, Status(overgang.til_status).label
    haendelse_registrer(
        bruger=overgang.bruger, handling="overgang", objekt=aftale,
        beskrivelse=f"{aftale.titel}: {navn} ({fra} → {til})",
        data={"handling": overgang.handling, "fra": overgang.fra_status, "til": overgang.til_status,
              "overgang": overgang.pk, "version": overgang.version.nummer if overgang.version else None},
    )


@transaction.atomic
def aftale_send_i_hoering(*, aftale: Samarbejdsaftale, bruger, hoeringsfrist: Dato = None,
                          note: str = "") -> Overgang:
    """udkast -> hoering: the current version is frozen and sent to the parties and clusters."""

    def trin(aftale, _version):  # fields are checked after the state and the role (_overgaa)
        frist = _dato(hoeringsfrist, "hoeringsfrist", kraevet=True)
        if frist < timezone.localdate():
            raise DomainError("Høringsfristen skal ligge i fremtiden.", field="hoeringsfrist")
        aftale.hoeringsfrist = frist

    return _overgaa(aftale, bruger=bruger, handling=Handling.SEND_I_HOERING, note=note, trin=trin)


@transaction.atomic
def aftale_afslut_hoering(*, aftale: Samarbejdsaftale, bruger, note: str = "") -> Overgang:
    """hoering -> udkast: a new draft version may follow the answers."""
    return _overgaa(aftale, bruger=bruger, handling=Handling.AFSLUT_HOERING, note=note)


@transaction.atomic
def aftale_indstil(*, aftale: Samarbejdsaftale, bruger, beslutningsfrist: Dato = None,
                   forum: Forum | None = None, dato: Dato = None, note: str = "",
                   dagsordenpunkt: Dagsordenpunkt | None = None) -> Overgang:
    """udkast -> indstillet: the recommending body's recommendation (a Behandling with outcome
    anbefalet, linked to the agenda item it came from, if any); the version is frozen and goes to the
    councils for their decisions."""

    def trin(aftale, version):
        indstillet = _dato(dato or timezone.localdate(), "dato", kraevet=True)
        frist = _dato(beslutningsfrist, "beslutningsfrist", kraevet=True)
        if Godkendelse.objects.filter(version=version, beslutning__in=ENDELIGE_BESLUTNINGER).exists():
            # Decisions are pinned to a version: re-recommending a decided version would let the
            # earlier decisions count again (or block the parties that rejected it).
            raise DomainError("Der er allerede truffet beslutninger om denne version. Skriv en ny version, "
                              "før aftalen indstilles igen.", field="handling")
        indstillende = selectors.indstillende_fora(aftale, indstillet)
        if not indstillende.exists():
            raise DomainError(f"Intet forum kan indstille samarbejdsaftaler den {dansk.dato(indstillet)}. En "
                              "administrator skal angive, hvilket forum der indstiller fra den dato (Indstillingsret "
                              "under Organisation i administrationen).", field="forum")
        indstiller = forum or indstillende.first()
        if not indstillende.filter(pk=indstiller.pk).exists():
            # Only the recommending body recommends: another forum's recommendation would send the
            # agreement to every council and put a false "Anbefalet" on the public page.
            navne = ", ".join(indstillende.values_list("navn", flat=True))
            raise DomainError(f"{indstiller.navn} kan ikke indstille samarbejdsaftaler den {dansk.dato(indstillet)}; "
                              f"det gør {navne}.", field="forum")
        if frist < indstillet:
            raise DomainError("Fristen for beslutninger skal ligge efter indstillingen.", field="beslutningsfrist")
        aftale.beslutningsfrist, aftale.indstillet_dato, aftale.godkendt_dato = frist, indstillet, None
        Behandling.objects.create(aftale=aftale, version=version, forum=indstiller, dato=indstillet,
                                  udfald=Udfald.ANBEFALET, note=note, registreret_af=bruger,
                                  registreret_af_navn=navn_paa(bruger), dagsordenpunkt=dagsordenpunkt)

    return _overgaa(aftale, bruger=bruger, handling=Handling.INDSTIL, note=note, trin=trin)


@transaction.atomic
def aftale_send_retur(*, aftale: Samarbejdsaftale, bruger, note: str = "") -> Overgang:
    """indstillet/hoering -> udkast, e.g. after a rejection; earlier decisions stay in the history."""
    return _overgaa(aftale, bruger=bruger, handling=Handling.SEND_RETUR, note=note)


@transaction.atomic
def aftale_offentliggoer(*, aftale: Samarbejdsaftale, bruger, ikrafttraedelse: Dato = None,
                         revisionsdato: Dato = None, note: str = "") -> Overgang:
    """godkendt -> i_kraft: published with its date of entry into force; each cluster concerned gets
    an implementation row; the version's title, summary and target group become the public's."""

    def trin(aftale, version):
        ikraft = _dato(ikrafttraedelse, "ikrafttraedelse", kraevet=True)
        revision = _dato(revisionsdato, "revisionsdato", kraevet=False)
        if revision and revision <= ikraft:
            raise DomainError("Revisionsdatoen skal ligge efter ikrafttrædelsen.", field="revisionsdato")
        aftale.ikrafttraedelse = ikraft
        if revision:
            aftale.revisionsdato = revision
        aftale.offentliggjort_version = version
        if version.titel:
            for navn in VERSIONSFELTER:
                setattr(aftale, navn, getattr(version, navn))
        for klynge in selectors.berorte_klynger(aftale, max(ikraft, timezone.localdate())):
            impl, oprettet = Implementering.objects.get_or_create(aftale=aftale, klynge=klynge)
            if oprettet:
                strukturaendring.fortsaet_nye(impl)

    return _overgaa(aftale, bruger=bruger, handling=Handling.OFFENTLIGGOER, note=note, trin=trin)


@transaction.atomic
def aftale_ophaev(*, aftale: Samarbejdsaftale, bruger, note: str = "") -> Overgang:
    """i_kraft -> ophaevet: stays readable, marked repealed."""
    return _overgaa(aftale, bruger=bruger, handling=Handling.OPHAEV, note=note)


@transaction.atomic
def aftale_revider(*, aftale: Samarbejdsaftale, bruger, note: str = "") -> Overgang:
    """i_kraft -> udkast: a revision is drafted while the published version stays in force."""
    return _overgaa(aftale, bruger=bruger, handling=Handling.REVIDER, note=note)


def aftale_overgang(*, aftale: Samarbejdsaftale, bruger, handling: str, note: str = "", **data) -> Overgang:
    """Run the action `handling` names (for the API and the forms, which receive it as data): the
    lifecycle table names each action's service; fields the action does not take are ignored."""
    regel = OVERGANGE.get(handling)
    if regel is None:
        raise DomainError(f"Ukendt handling '{handling}'.", field="handling")
    service = globals()[regel.service]
    felter = {navn: vaerdi for navn, vaerdi in data.items() if navn in regel.felter and vaerdi is not None}
    return service(aftale=aftale, bruger=bruger, note=note, **felter)


@transaction.atomic
def behandling_registrer(*, aftale: Samarbejdsaftale, bruger, forum: Forum, dato, udfald: str, note: str = "",
                         dagsordenpunkt=None) -> Behandling:
    """Record that a forum dealt with the agreement (the recommendation itself is `indstil`)."""
    aftale = _laas(aftale)
    _kraev(policies.kan_registrere_behandling(bruger, aftale))
    if udfald not in Udfald.values:
        raise DomainError("Vælg et udfald.", field="udfald")
    if udfald == Udfald.ANBEFALET and forum.type == ForumType.SUNDHEDSSAMARBEJDSUDVALG:
        raise DomainError("Udvalgets anbefaling registreres med handlingen 'Registrér udvalgets indstilling'.",
                          field="udfald")
    behandling = Behandling.objects.create(
        aftale=aftale, version=aftale.aktuel_version, forum=forum, dato=_dato(dato, "dato", kraevet=True),
        udfald=udfald, note=note, registreret_af=bruger, registreret_af_navn=navn_paa(bruger),
        dagsordenpunkt=dagsordenpunkt,
    )
    haendelse_registrer(bruger=bruger, handling="behandling", objekt=aftale, data={"behandling": behandling.pk})
    _afledt(aftale)
    return behandling


@transaction.atomic
def godkendelse_registrer(*, aftale: Samarbejdsaftale, part: Part, bruger, beslutning: str, dato,
                          sagsnummer: str = "", referat_url: str = "", bemaerkning: str = "",
                          kilde: str = "") -> Godkendelse:
    """Record one authority's decision on the version awaiting decisions. When the last required
    party approves, the agreement becomes `godkendt` in the same transaction. `kilde` names where the
    values came from when not typed ("moedesystem": filled from the council's agenda), for the audit log."""
    aftale = _laas(aftale)
    if aftale.status != Status.INDSTILLET:
        raise DomainError("Der kan kun registreres beslutninger, mens aftalen afventer godkendelse.",
                          field="beslutning")
    _kraev(policies.kan_registrere_beslutning(bruger, aftale, part),
           "Du kan kun registrere beslutninger for din egen myndighed.")
    if beslutning not in Beslutning.values:
        raise DomainError("Vælg godkendt, afvist eller udsat.", field="beslutning")
    dato = _dato(dato, "dato", kraevet=True)
    if dato > timezone.localdate():
        raise DomainError("Beslutningsdatoen kan ikke ligge i fremtiden.", field="dato")
    if aftale.indstillet_dato and dato < aftale.indstillet_dato:
        raise DomainError("Beslutningen kan ikke være truffet før aftalen blev indstillet.", field="dato")
    version = aftale.aktuel_version
    if Godkendelse.objects.filter(version=version, part=part,
                                  beslutning__in=[Beslutning.GODKENDT, Beslutning.AFVIST]).exists():
        raise DomainError(f"{part.navn} har allerede truffet endelig beslutning om version {version.nummer}.",
                          field="beslutning")
    godkendelse = Godkendelse(
        version=version, part=part, beslutning=beslutning, dato=dato, sagsnummer=sagsnummer.strip(),
        referat_url=referat_url.strip(), bemaerkning=bemaerkning.strip(), registreret_af=bruger,
        registreret_af_navn=navn_paa(bruger),
        forum=part.fora.filter(type__in=[ForumType.KOMMUNALBESTYRELSE, ForumType.REGIONSRAAD]).first(),
    )
    try:
        godkendelse.full_clean(exclude=["version", "part", "forum", "registreret_af"])
    except ValidationError as exc:
        raise DomainError.fra_validering(exc) from exc
    try:
        with transaction.atomic():
            godkendelse.save()
    except IntegrityError as exc:  # the database's one-final-decision rule
        raise DomainError(f"{part.navn} har allerede truffet endelig beslutning om denne version.",
                          field="beslutning") from exc
    haendelse_registrer(bruger=bruger, handling="beslutning", objekt=aftale,
                        data={"part": part.slug, "beslutning": beslutning, "version": version.nummer,
                              **({"kilde": kilde} if kilde else {})})
    notifikationer.beslutning_skriv(godkendelse, aftale)
    if beslutning == Beslutning.GODKENDT and selectors.fremdrift(aftale, version).alle_godkendt:
        aftale.status = Status.GODKENDT
        aftale.godkendt_dato = dato
        aftale.opdateret = timezone.now()
        aftale.save(update_fields=["status", "godkendt_dato", "opdateret"])
        overgang = Overgang.objects.create(aftale=aftale, handling=AUTOMATISK_GODKENDT, fra_status=Status.INDSTILLET,
                                           til_status=Status.GODKENDT, version=version, bruger=bruger,
                                           bruger_navn=navn_paa(bruger), note="Alle påkrævede parter har godkendt.")
        _overgang_logget(overgang, aftale)
        notifikationer.overgang_skriv(overgang)
    _afledt(aftale)
    return godkendelse


# --- consultation, implementation, pilots, attachments ------------------------------------------


@transaction.atomic
def hoeringssvar_afgiv(*, aftale: Samarbejdsaftale, bruger, afsender, tekst: str) -> Hoeringssvar:
    """A party or cluster answers the version in consultation; a second answer replaces the first."""
    aftale = _laas(aftale)
    if aftale.status != Status.HOERING:
        raise DomainError("Aftalen er ikke i høring.")
    tilladte = policies.hoeringsafsendere(bruger, aftale)
    _kraev(any(type(a) is type(afsender) and a.pk == afsender.pk for a in tilladte),
           "Du kan kun svare for din egen myndighed eller klynge.")
    ren = rens_html(tekst)
    if not ren:
        raise DomainError("Skriv et høringssvar.", field="tekst")
    noegle = {"part": afsender} if isinstance(afsender, Part) else {"klynge": afsender}
    svar, _ = Hoeringssvar.objects.update_or_create(
        version=aftale.aktuel_version, **noegle,
        defaults={"tekst": ren, "afgivet_af": bruger, "afgivet_af_navn": navn_paa(bruger),
                  "afgivet": timezone.now()},
    )
    haendelse_registrer(bruger=bruger, handling="hoeringssvar", objekt=aftale, data={"fra": str(afsender)})
    notifikationer.hoeringssvar_skriv(svar, aftale)
    return svar


@transaction.atomic
def implementering_opdater(*, aftale: Samarbejdsaftale, klynge: Klynge, bruger, status: str, note: str = ""
                           ) -> Implementering:
    aftale = _laas(aftale)  # the state is checked on the row as it is now, not as the caller read it
    _kraev(policies.kan_registrere_implementering(bruger, aftale, klynge),
           "Du kan kun registrere implementering for din egen klynge.")
    if status not in ImplementeringStatus.values:
        raise DomainError("Vælg en status.", field="status")
    if not klynge.er_aktiv():
        efter = ", ".join(klynge.efterfoelgere.values_list("navn", flat=True))
        raise DomainError(f"{klynge.navn} er ophørt; dens registrering er historik."
                          + (f" Registrér implementeringen for {efter}." if efter else ""), field="status")
    try:
        impl = Implementering.objects.select_for_update().get(aftale=aftale, klynge=klynge)
    except Implementering.DoesNotExist as exc:
        raise DomainError("Klyngen skal ikke implementere denne aftale.", field="klynge") from exc
    impl.status, impl.note, impl.opdateret_af, impl.opdateret = status, note.strip(), bruger, timezone.now()
    impl.opdateret_af_navn = navn_paa(bruger)
    impl.save()
    haendelse_registrer(bruger=bruger, handling="implementering", objekt=aftale,
                        data={"klynge": klynge.slug, "status": status})
    notifikationer.implementering_skriv(impl, aftale)
    _afledt(aftale)
    return impl


@transaction.atomic
def proevehandling_gem(*, bruger, klynge: Klynge, titel: str, proevehandling: Proevehandling | None = None,
                       **felter) -> Proevehandling:
    """Register or update a cluster's pilot (description, period, results)."""
    _kraev(policies.kan_registrere_proevehandling(bruger, klynge),
           "Du kan kun registrere prøvehandlinger for din egen klynge.")
    if proevehandling is not None:
        _kraev(policies.kan_registrere_proevehandling(bruger, proevehandling.klynge))
    titel = (titel or "").strip()
    if not titel:
        raise DomainError("Skriv en titel.", field="titel")
    ph = proevehandling or Proevehandling(slug=_unik_slug(titel, Proevehandling), registreret_af=bruger,
                                          registreret_af_navn=navn_paa(bruger))
    ph.klynge, ph.titel = klynge, titel
    for navn in ("beskrivelse", "periode_fra", "periode_til", "resultater"):
        if navn in felter:
            setattr(ph, navn, felter[navn])
    if ph.periode_fra and ph.periode_til and ph.periode_til < ph.periode_fra:
        raise DomainError("Slutdatoen kan ikke ligge før startdatoen.", field="periode_til")
    ph.save()
    haendelse_registrer(bruger=bruger, handling="proevehandling", objekt=ph)
    for aftale in ph.aftaler.all():  # the pilot is shown as the origin of its agreements
        _marker_aendret(aftale)
    return ph


@transaction.atomic
def proevehandling_praesenteret(*, proevehandling: Proevehandling, bruger, dato) -> Proevehandling:
    """The secretariat records that the cluster presented the results to the committee."""
    _kraev(permissions.har(bruger, "registrere_behandling"))
    dato = _dato(dato, "praesenteret_dato", kraevet=True)
    if dato > timezone.localdate():
        raise DomainError("Datoen kan ikke ligge i fremtiden.", field="praesenteret_dato")
    laast = Proevehandling.objects.select_for_update().get(pk=proevehandling.pk)
    laast.praesenteret_dato = proevehandling.praesenteret_dato = dato
    laast.save(update_fields=["praesenteret_dato"])
    haendelse_registrer(bruger=bruger, handling="praesenteret", objekt=laast)
    for aftale in laast.aftaler.all():
        _marker_aendret(aftale)
    return laast


@transaction.atomic
def aftale_fra_proevehandling(*, proevehandling: Proevehandling, bruger, titel: str = "") -> Samarbejdsaftale:
    """The committee starts an agreement from a pilot, to spread it to the other clusters."""
    _kraev(permissions.har(bruger, "redigere_alle_aftaler"))
    if not proevehandling.praesenteret_dato:
        raise DomainError("Prøvehandlingen skal først være præsenteret for udvalget.", field="proevehandling")
    from django.utils.html import escape, linebreaks

    return aftale_opret(
        bruger=bruger, titel=titel or proevehandling.titel, resume=proevehandling.beskrivelse,
        tekst=linebreaks(escape(proevehandling.beskrivelse)),
        aendringsnote="Første udkast på grundlag af prøvehandlingen",
        oprindelse=Oprindelse.PROEVEHANDLING, proevehandling=proevehandling,
        oprindelse_reference=f"Prøvehandling i {proevehandling.klynge.navn}",
    )


BILAG_MAKS = filkontrol.MAKS
_BILAG_NAVN_MAKS = Bilag._meta.get_field("filnavn").max_length
_BILAG_TITEL_MAKS = Bilag._meta.get_field("titel").max_length


@transaction.atomic
def bilag_tilfoej(*, aftale: Samarbejdsaftale, bruger, fil, titel: str = "") -> Bilag:
    aftale = _laas(aftale)
    _kraev(policies.kan_redigere_aftale(bruger, aftale), "Bilag kan kun tilføjes aftaler i udkast.")
    # Size and type by content (sundhed.filkontrol); names are cut to the columns, keeping the
    # extension: PostgreSQL refuses a longer value (a 500 after the upload), SQLite would store it.
    kontrol = filkontrol.kontroller(fil, navn_maks=_BILAG_NAVN_MAKS)
    bilag = Bilag(aftale=aftale, titel=(titel or "").strip()[:_BILAG_TITEL_MAKS] or kontrol.filnavn[:_BILAG_TITEL_MAKS],
                  filnavn=kontrol.filnavn, indholdstype=kontrol.indholdstype, stoerrelse=fil.size,
                  uploadet_af=bruger)
    # The stored path (bilag/<id>/<timestamp>-<slug><ext>) must fit FileField's 100 characters.
    bilag.fil.save(kontrol.stinavn, fil, save=False)
    bilag.save()
    haendelse_registrer(bruger=bruger, handling="bilag", objekt=aftale, data={"bilag": bilag.filnavn})
    _marker_aendret(aftale)
    return bilag


@transaction.atomic
def bilag_slet(*, bilag: Bilag, bruger) -> None:
    aftale = _laas(bilag.aftale)
    _kraev(policies.kan_redigere_aftale(bruger, aftale), "Bilag kan kun fjernes fra aftaler i udkast.")
    haendelse_registrer(bruger=bruger, handling="bilag_slettet", objekt=aftale, data={"bilag": bilag.filnavn})
    bilag.fil.delete(save=False)
    bilag.delete()
    _marker_aendret(aftale)


# --- meetings -----------------------------------------------------------------------------------


@transaction.atomic
def punkt_udfald_registrer(*, punkt: Dagsordenpunkt, aftale: Samarbejdsaftale, bruger, udfald: str = "",
                           note: str = "", beslutningsfrist: Dato = None) -> Behandling | None:
    """The agenda item concerns `aftale`; with an outcome, the meeting dealt with it: the agreement's
    Behandling is written (the meeting's forum and local date, linked to the item) in the same transaction.
    The recommending body's `anbefalet` is its recommendation (aftale_indstil, with a beslutningsfrist)."""
    punkt = Dagsordenpunkt.objects.select_for_update().select_related("moede__forum").get(pk=punkt.pk)
    moede = punkt.moede
    if aftale is None:
        raise DomainError("Vælg den aftale, punktet handler om.", field="aftale")
    # Both halves: the item belongs to the meeting's planners, the Behandling to those who record them.
    _kraev(organisation_policies.kan_planlaegge_moeder(bruger, moede.forum)
           and policies.kan_se_aftale(bruger, aftale) and policies.kan_registrere_behandling(bruger, aftale))
    if udfald and udfald not in Udfald.values:
        raise DomainError("Vælg drøftet, tiltrådt, anbefalet eller sendt retur.", field="udfald")
    if moede.status == MoedeStatus.AFLYST:
        raise DomainError("Mødet er aflyst; der kan ikke registreres udfald af dets punkter.", field="udfald")
    sag = Dagsordensag.objects.filter(punkt=punkt).select_related("aftale").first()
    behandlet = Behandling.objects.filter(dagsordenpunkt=punkt).exists()
    if sag and sag.aftale_id != aftale.pk and behandlet:
        raise DomainError(f"Udfaldet af punktet er allerede registreret for aftalen {sag.aftale.titel}.",
                          field="aftale")
    if udfald and behandlet:
        # A Behandling is append-only (migration 0007): one outcome per item, never a second.
        raise DomainError("Udfaldet af punktet er allerede registreret.", field="udfald")
    behandling = None
    if udfald:
        dato = timezone.localtime(moede.start).date()
        if udfald == Udfald.ANBEFALET and selectors.indstillende_fora(aftale, dato).filter(pk=moede.forum_id).exists():
            aftale_indstil(aftale=aftale, bruger=bruger, beslutningsfrist=beslutningsfrist, forum=moede.forum,
                           dato=dato, note=note, dagsordenpunkt=punkt)
            behandling = Behandling.objects.get(dagsordenpunkt=punkt)
        else:
            behandling = behandling_registrer(aftale=aftale, bruger=bruger, forum=moede.forum, dato=dato,
                                              udfald=udfald, note=note, dagsordenpunkt=punkt)
    if sag is None:
        Dagsordensag.objects.create(punkt=punkt, aftale=aftale)
    elif sag.aftale_id != aftale.pk:
        sag.aftale = aftale
        sag.save(update_fields=["aftale"])
    haendelse_registrer(bruger=bruger, handling="dagsordenpunkt", objekt=aftale,
                        data={"moede": moede.pk, "punkt": punkt.nummer, "udfald": udfald})
    _marker_aendret(aftale)
    return behandling
