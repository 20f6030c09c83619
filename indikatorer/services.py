"""Every write to indicators, measurements, imports and reports: check who may, validate, write the
audit row in the same transaction, enqueue background work on commit.

An import is all or nothing: the whole file is checked before anything is written, and a file whose
rows were all fine is written in one transaction. A value for a key (indicator, geography, period)
that already has one replaces it; the old row is kept, marked as replaced by the new batch, so
rolling the batch back brings it back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from indikatorer import importer, policies, tasks
from indikatorer.choices import BatchKilde, BatchStatus, Frekvens, GeografiType, RapportStatus
from indikatorer.models import (
    RESERVEREDE_KODER,
    Halvaarsrapport,
    ImportBatch,
    Indikator,
    LokaltMaal,
    LokaltMaalStatus,
    Maaling,
    fremskridt_noegle,
)
from indikatorer.perioder import Periode
from organisation.models import Klynge
from sundhed import permissions
from sundhed.cachesikker import cache_delete, cache_set
from sundhed.exceptions import DomainError, IkkeTilladt  # noqa: F401 (IkkeTilladt: caught by the views and API)
from sundhed.services import haendelse_registrer, navn_paa
from sundhed.tasks import enqueue

log = logging.getLogger(__name__)

# Files with more rows than this are written by a background task; smaller ones at once.
SKRIV_BIDDER = 2000


class ImportAfvist(DomainError):
    """One or more rows are wrong: the whole file is refused. `fejl` holds one message per bad row."""

    def __init__(self, fejl: list[str], antal: int | None = None):
        antal = len(fejl) if antal is None else antal
        super().__init__(
            f"{antal} række{'r' if antal != 1 else ''} i filen har fejl, så intet er gemt. Ret fejlene, og prøv igen.",
            field="fil",
        )
        self.fejl = fejl


def _kraev_import(bruger) -> None:
    if not permissions.har(bruger, "importere_indikatorer"):
        raise IkkeTilladt("Du har ikke adgang til at importere indikatordata.")


# --- indicators -------------------------------------------------------------------------------


@transaction.atomic
def indikator_gem(*, indikator: Indikator, bruger) -> Indikator:
    """Create or update an indicator (admin and the demo loader)."""
    if indikator.kode in RESERVEREDE_KODER:
        raise DomainError(f"Koden '{indikator.kode}' er reserveret.", field="kode")
    for felt, national in (("maalsaetning", False), ("nationalt_maal", True)):
        maal = getattr(indikator, felt)
        if maal is not None and maal.national != national:
            raise DomainError(
                "Vælg et nationalt mål." if national else "Vælg en af sundhedsaftalens målsætninger.", field=felt
            )
    ny = indikator.pk is None
    indikator.full_clean()
    indikator.save()
    haendelse_registrer(bruger=bruger, handling="oprettet" if ny else "aendret", objekt=indikator)
    return indikator


# --- imports: check, preview, commit ----------------------------------------------------------


def _resume(raekker: list[importer.Raekke]) -> dict:
    """What the preview shows: how many rows are new and how many replace a current value."""
    eksisterende = _gaeldende_noegler(raekker)
    erstattes = sum(1 for r in raekker if r.noegle in eksisterende)
    perioder = sorted({r.periode for r in raekker})
    return {
        "antal_raekker": len(raekker),
        "antal_nye": len(raekker) - erstattes,
        "antal_erstattede": erstattes,
        "perioder": [p.kode for p in perioder],
        "indikatorkoder": sorted({r.indikator.kode for r in raekker}),
        "antal_geografier": len({r.geografi.slug for r in raekker}),
    }


def _gaeldende_noegler(raekker: list[importer.Raekke]) -> dict[tuple[int, str, str], int]:
    """Current measurements with the same keys as `raekker`: key -> id."""
    if not raekker:
        return {}
    noegler = {r.noegle for r in raekker}
    indikatorer = {n[0] for n in noegler}
    perioder = {n[2] for n in noegler}
    res = {}
    for pk, ind, slug, periode in (
        Maaling.objects.gaeldende()
        .filter(indikator_id__in=indikatorer, periode__in=perioder)
        .values_list("id", "indikator_id", "geografi_slug", "periode")
        .iterator(chunk_size=5000)
    ):
        if (ind, slug, periode) in noegler:
            res[(ind, slug, periode)] = pk
    return res


def _kontroller(filnavn: str, indhold: bytes) -> importer.Resultat:
    resultat = importer.kontroller(filnavn, indhold)
    if resultat.antal_fejl:
        raise ImportAfvist(resultat.fejlbeskeder, resultat.antal_fejl)
    return resultat


@transaction.atomic
def import_forbered(*, bruger, filnavn: str, indhold: bytes, kilde: str = BatchKilde.BROWSER) -> ImportBatch:
    """Check an uploaded file and keep it as a batch awaiting approval (the preview).

    Raises FilFejl for a file that cannot be read, ImportAfvist with one message per bad row.
    """
    return _forbered(bruger=bruger, filnavn=filnavn, indhold=indhold, kilde=kilde)[0]


def _forbered(*, bruger, filnavn: str, indhold: bytes, kilde: str) -> tuple[ImportBatch, importer.Resultat]:
    _kraev_import(bruger)
    if len(indhold) > importer.MAKS_STOERRELSE:
        raise importer.FilFejl(importer.for_stor_besked(len(indhold)))
    resultat = _kontroller(filnavn, indhold)
    batch = ImportBatch.objects.create(
        status=BatchStatus.KLADDE, kilde=kilde, filnavn=(filnavn or "")[:255], format=resultat.format,
        stoerrelse=len(indhold), indhold=indhold, oprettet_af=bruger if bruger.is_authenticated else None,
        ignorerede_kolonner=resultat.ignorerede_kolonner, **_resume(resultat.raekker),
    )
    haendelse_registrer(bruger=bruger, handling="import_uploadet", objekt=batch,
                        data={"filnavn": batch.filnavn, "raekker": batch.antal_raekker})
    return batch, resultat


def forhaandsvisning(batch: ImportBatch, antal: int = 50) -> list[importer.Raekke]:
    """The first rows of a batch awaiting approval, as they will be written (read again from the file)."""
    resultat = importer.kontroller(batch.filnavn, bytes(batch.indhold or b""))
    return resultat.raekker[:antal]


@transaction.atomic
def import_godkend(*, batch: ImportBatch, bruger) -> ImportBatch:
    """Commit a previewed batch: small files are written now, large ones by a background task."""
    return _godkend(batch=batch, bruger=bruger)


def _godkend(*, batch: ImportBatch, bruger, resultat: importer.Resultat | None = None) -> ImportBatch:
    _kraev_import(bruger)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.KLADDE:
        raise DomainError(f"Importen kan ikke godkendes; den har status '{batch.get_status_display()}'.")
    batch.status = BatchStatus.VENTER
    batch.godkendt_af = bruger
    batch.godkendt = timezone.now()
    batch.save(update_fields=["status", "godkendt_af", "godkendt"])
    haendelse_registrer(bruger=bruger, handling="import_godkendt", objekt=batch)
    if batch.er_asynkron:
        enqueue(tasks.koer_import, batch.pk)
    else:
        batch.status = BatchStatus.KOERER
        _skriv(batch, resultat=resultat)
    return batch


@transaction.atomic
def import_direkte(*, bruger, filnavn: str, indhold: bytes, kilde: str = BatchKilde.API) -> ImportBatch:
    """Check and commit in one go (the API): all or nothing. The file is read once."""
    batch, resultat = _forbered(bruger=bruger, filnavn=filnavn, indhold=indhold, kilde=kilde)
    return _godkend(batch=batch, bruger=bruger, resultat=resultat)


@transaction.atomic
def import_annuller(*, batch: ImportBatch, bruger) -> ImportBatch:
    """Discard a batch awaiting approval, or one left waiting or "running" by a worker that died (its rows
    are written in one transaction, so nothing had been written). A batch a worker is writing right now
    holds its row lock: it is refused rather than waited for."""
    _kraev_import(bruger)
    batch = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch.pk).first()
    if batch is None:
        raise DomainError("Importen skrives lige nu; prøv igen om lidt.")
    if batch.status not in (BatchStatus.KLADDE, BatchStatus.VENTER, BatchStatus.KOERER):
        raise DomainError("Kun en import, der venter på godkendelse, kan annulleres.")
    batch.status = BatchStatus.ANNULLERET
    batch.indhold = None
    batch.afsluttet = timezone.now()
    batch.save(update_fields=["status", "indhold", "afsluttet"])
    haendelse_registrer(bruger=bruger, handling="import_annulleret", objekt=batch)
    return batch


@transaction.atomic
def import_genoptag(*, batch: ImportBatch, bruger) -> ImportBatch:
    """Send a batch left waiting or "running" by a worker that died to the worker again (import_koer is
    safe to run twice). Refused while a worker is writing it."""
    _kraev_import(bruger)
    batch = ImportBatch.objects.select_for_update(skip_locked=True).filter(pk=batch.pk).first()
    if batch is None:
        raise DomainError("Importen skrives lige nu.")
    if batch.status not in (BatchStatus.VENTER, BatchStatus.KOERER):
        raise DomainError("Kun en import, der venter eller står som kørende, kan genoptages.")
    batch.status = BatchStatus.VENTER
    batch.save(update_fields=["status"])
    haendelse_registrer(bruger=bruger, handling="import_genoptaget", objekt=batch)
    enqueue(tasks.koer_import, batch.pk)
    return batch


def import_koer(*, batch_id: int) -> None:
    """Write a committed batch (the background task). Safe to run twice: a second delivery finds the
    batch done; a worker that died mid-way wrote nothing (one transaction), so a redelivery starts over."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status not in (BatchStatus.VENTER, BatchStatus.KOERER):
            return
        # Committed on its own so the batch page shows "Kører" while the rows are written.
        batch.status = BatchStatus.KOERER
        batch.save(update_fields=["status"])
    cache_set(cache, fremskridt_noegle(batch_id), 0, 60 * 60)  # progress only: a cache outage must not stop it
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if batch.status != BatchStatus.KOERER:
                return
            _skriv(batch, fremskridt=lambda n: cache_set(cache, fremskridt_noegle(batch_id), n, 60 * 60))
    except (DomainError, importer.FilFejl) as exc:
        _marker_fejlet(batch_id, getattr(exc, "fejl", None) or [exc.message])
    except Exception:
        log.exception("Import %s fejlede", batch_id)
        _marker_fejlet(batch_id, ["Importen fejlede uventet. Intet er gemt. Prøv igen, eller kontakt support."])
        raise


def _marker_fejlet(batch_id: int, fejl: list[str]) -> None:
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        batch.status = BatchStatus.FEJLET
        batch.fejl = fejl[: importer.MAKS_FEJLBESKEDER + 1]
        batch.afsluttet = timezone.now()
        batch.save(update_fields=["status", "fejl", "afsluttet"])
        haendelse_registrer(bruger=None, handling="import_fejlet", objekt=batch, data={"fejl": batch.fejl[:20]})
    cache_delete(cache, fremskridt_noegle(batch_id))


def _skriv(batch: ImportBatch, fremskridt: Callable[[int], None] | None = None,
           resultat: importer.Resultat | None = None) -> None:
    """Write the batch's rows (inside the caller's transaction, batch locked). A previewed file is checked
    again: the data may have changed since the preview."""
    if resultat is None:
        resultat = _kontroller(batch.filnavn, bytes(batch.indhold or b""))
    raekker = resultat.raekker
    erstattes = _gaeldende_noegler(raekker)
    ids = list(erstattes.values())
    # Replace before insert: the unique constraints hold only for current rows.
    for i in range(0, len(ids), SKRIV_BIDDER):
        Maaling.objects.filter(pk__in=ids[i: i + SKRIV_BIDDER]).update(erstattet_af=batch)
    _indsaet(raekker, batch, fremskridt)
    resume = _resume_efter(raekker, len(ids))
    for felt, vaerdi in resume.items():
        setattr(batch, felt, vaerdi)
    batch.status = BatchStatus.FAERDIG
    batch.afsluttet = timezone.now()
    batch.fejl = []
    batch.save()
    haendelse_registrer(bruger=batch.godkendt_af, handling="import_faerdig", objekt=batch,
                        data={"nye": batch.antal_nye, "erstattede": batch.antal_erstattede})
    rapporter_hvis_komplet(perioder=[p for p in batch.perioder if Periode.fra_kode(p).er_halvaar])


def _resume_efter(raekker: list[importer.Raekke], erstattede: int) -> dict:
    return {
        "antal_raekker": len(raekker),
        "antal_nye": len(raekker) - erstattede,
        "antal_erstattede": erstattede,
        "perioder": sorted({r.periode.kode for r in raekker}, key=lambda k: Periode.fra_kode(k)),
        "indikatorkoder": sorted({r.indikator.kode for r in raekker}),
        "antal_geografier": len({r.geografi.slug for r in raekker}),
    }


_KOLONNER = ("indikator_id", "part_id", "klynge_id", "geografi_slug", "geografi_type", "periode", "periode_noegle",
             "vaerdi", "taeller", "naevner", "note", "syntetisk", "batch_id", "erstattet_af_id")


def _indsaet(raekker: list[importer.Raekke], batch: ImportBatch,
             fremskridt: Callable[[int], None] | None = None) -> None:
    """Insert checked rows with executemany in chunks. Not bulk_create: building 100,000 model instances
    and their SQL costs several times more than the database's own work, and the rows were validated
    by the importer (the constraints still hold in the database)."""
    felter = {f.attname: f.column for f in Maaling._meta.concrete_fields}
    kolonner = ", ".join(connection.ops.quote_name(felter[k]) for k in _KOLONNER)
    sql = (f"INSERT INTO {connection.ops.quote_name(Maaling._meta.db_table)} ({kolonner}) "
           f"VALUES ({', '.join(['%s'] * len(_KOLONNER))})")
    with connection.cursor() as cursor:
        for i in range(0, len(raekker), SKRIV_BIDDER):
            cursor.executemany(sql, [
                (r.indikator.id, r.geografi.part_id, r.geografi.klynge_id, r.geografi.slug, r.geografi.type,
                 r.periode.kode, r.periode.noegle, r.vaerdi, r.taeller, r.naevner, r.note, batch.syntetisk,
                 batch.pk, None)
                for r in raekker[i: i + SKRIV_BIDDER]
            ])
            if fremskridt:
                fremskridt(min(i + SKRIV_BIDDER, len(raekker)))


@transaction.atomic
def import_tilbagerul(*, batch: ImportBatch, bruger) -> ImportBatch:
    """Undo a finished batch: its rows go, the values it replaced become current again."""
    _kraev_import(bruger)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.FAERDIG:
        raise DomainError("Kun en færdig import kan rulles tilbage.")
    senere = (
        ImportBatch.objects.filter(erstattede_maalinger__batch=batch).exclude(pk=batch.pk).distinct()
        .order_by("pk").values_list("pk", flat=True)
    )
    senere = list(senere)
    if senere:
        numre = ", ".join(f"nr. {pk}" for pk in senere)
        raise DomainError(
            f"Værdier fra denne import er siden erstattet af import {numre}. Rul den eller dem tilbage først."
        )
    Maaling.objects.filter(batch=batch).delete()
    genskabt = Maaling.objects.filter(erstattet_af=batch).update(erstattet_af=None)
    batch.status = BatchStatus.TILBAGERULLET
    batch.tilbagerullet_af = bruger
    batch.tilbagerullet = timezone.now()
    batch.save(update_fields=["status", "tilbagerullet_af", "tilbagerullet"])
    haendelse_registrer(bruger=bruger, handling="import_tilbagerullet", objekt=batch,
                        data={"slettet": batch.antal_raekker, "genskabt": genskabt})
    return batch


# --- demo data --------------------------------------------------------------------------------


@transaction.atomic
def demodata_gem(*, raekker: list[importer.Raekke], bruger=None) -> ImportBatch | None:
    """Write synthetic demo measurements as one finished batch, marked 'syntetiske demodata'.
    Keys that already have a current value (from an earlier run, or a real import) are left alone."""
    eksisterende = _gaeldende_noegler(raekker)
    nye = [r for r in raekker if r.noegle not in eksisterende]
    if not nye:
        return None
    nu = timezone.now()
    batch = ImportBatch.objects.create(
        status=BatchStatus.FAERDIG, kilde=BatchKilde.DEMO, filnavn="syntetiske-demodata", format="demo",
        syntetisk=True, godkendt=nu, afsluttet=nu, **_resume_efter(nye, 0),
    )
    _indsaet(nye, batch)
    haendelse_registrer(bruger=bruger, handling="demodata_indlaest", objekt=batch,
                        data={"raekker": len(nye)})
    return batch


@transaction.atomic
def rapporter_marker_demo(*, perioder: Iterable[str]) -> int:
    """Mark the demo's complete periods as reported without sending anything: the councils must not
    get fifteen e-mails about synthetic data when the demo is loaded."""
    eksisterende = set(Halvaarsrapport.objects.filter(periode__in=list(perioder)).values_list("periode", flat=True))
    nye = [Halvaarsrapport(periode=p, status=RapportStatus.DEMO) for p in perioder if p not in eksisterende]
    Halvaarsrapport.objects.bulk_create(nye)
    return len(nye)


# --- the half-year report ---------------------------------------------------------------------


def komplette_perioder(perioder: Iterable[str]) -> list[str]:
    """The half years among `perioder` for which every active half-yearly indicator has a value for the
    region, every active cluster and every active municipality."""
    from indikatorer import selectors

    perioder = [p for p in perioder if (pp := Periode.fra_kode(p)) is not None and pp.er_halvaar]
    if not perioder:
        return []
    indikatorer = list(Indikator.objects.filter(aktiv=True, frekvens=Frekvens.HALVAAR).values_list("id", flat=True))
    geografier = [g.slug for g in selectors.geografier() if g.type in GeografiType.values]
    if not indikatorer or not geografier:
        return []
    forventet = len(indikatorer) * len(geografier)
    antal = dict(
        Maaling.objects.gaeldende()
        .filter(periode__in=perioder, indikator_id__in=indikatorer, geografi_slug__in=geografier)
        .values_list("periode").annotate(n=Count("id")).values_list("periode", "n")
    )
    return sorted(p for p in perioder if antal.get(p, 0) >= forventet)


def rapporter_hvis_komplet(*, perioder: Iterable[str]) -> list[Halvaarsrapport]:
    """Called after each import: a half year that has ended and whose data just became complete gets its
    report built and sent, once (the unique period and the row written here make a second call a no-op).
    A half year still running is never reported: its figures are not final."""
    idag = timezone.localdate()
    komplette = [p for p in komplette_perioder(perioder) if importer.er_afsluttet(Periode.fra_kode(p), idag)]
    if not komplette:
        return []
    kendte = dict(Halvaarsrapport.objects.filter(periode__in=komplette).values_list("periode", "pk"))
    nye = []
    for periode in komplette:
        if periode in kendte:
            continue
        rapport = Halvaarsrapport.objects.create(periode=periode)
        haendelse_registrer(bruger=None, handling="rapport_klar", objekt=rapport)
        enqueue(tasks.udsend_rapport, rapport.pk)
        nye.append(rapport)
    # A report held back because its period had not ended (rapport_udsend) goes out now; sending twice
    # is a no-op, as the task locks the row and checks its status.
    for pk in Halvaarsrapport.objects.filter(pk__in=kendte.values(), status=RapportStatus.VENTER).values_list(
            "pk", flat=True):
        enqueue(tasks.udsend_rapport, pk)
    return nye


def rapport_udsend(*, rapport_id: int) -> int:
    """Build the report's PDF, keep it, and write outbox rows announcing it to the councils' secretariats
    (the task); returns the rows written."""
    from indikatorer import notifikationer
    from indikatorer import rapport as rapportmodul

    with transaction.atomic():
        rapport = Halvaarsrapport.objects.select_for_update().filter(pk=rapport_id).first()
        if rapport is None or rapport.status != RapportStatus.VENTER:
            return 0
        periode = Periode.fra_kode(rapport.periode)
        if not importer.er_afsluttet(periode):
            # Never e-mail the councils a report on a half year still running (a row made before the
            # import refused such periods); it stays waiting and goes out after the next import.
            log.warning("Halvårsrapport %s holdes tilbage: perioden er ikke afsluttet", rapport.periode)
            return 0
        pdf = rapportmodul.pdf(periode)
        # Through the outbox (kind `rapport`), in this transaction: never lost, preferences respected,
        # those without an address listed for the secretariat as unreachable.
        modtagere = notifikationer.modtagere_for_rapport(rapport, uden_adresse=True)
        sendt = notifikationer.rapport_skriv(rapport, modtagere=modtagere)
        rapport.status = RapportStatus.SENDT
        rapport.sendt = timezone.now()
        rapport.antal_modtagere = sum(1 for m in modtagere if m.email)
        rapport.pdf = pdf
        rapport.save(update_fields=["status", "sendt", "antal_modtagere", "pdf"])
        haendelse_registrer(bruger=None, handling="rapport_sendt", objekt=rapport,
                            data={"modtagere": rapport.antal_modtagere})
    return sendt


# --- local goals of a cluster -----------------------------------------------------------------


@transaction.atomic
def lokalt_maal_gem(*, bruger, klynge: Klynge, titel: str, lokalt_maal: LokaltMaal | None = None,
                    **felter) -> LokaltMaal:
    """Add or change a cluster's local goal (description, goal served, indicator, status)."""
    if not policies.kan_redigere_lokale_maal(bruger, klynge) or (
            lokalt_maal is not None and lokalt_maal.klynge_id != klynge.pk):
        raise IkkeTilladt("Kun klyngens politiske niveau og sekretariatet kan redigere klyngens lokale mål.")
    titel = (titel or "").strip()
    if not titel:
        raise DomainError("Skriv en titel.", field="titel")
    maal = lokalt_maal or LokaltMaal(klynge=klynge)
    ny = maal.pk is None
    maal.titel = titel
    for navn in ("beskrivelse", "maalsaetning", "indikator", "status"):
        if navn in felter:
            setattr(maal, navn, felter[navn])
    if maal.status not in LokaltMaalStatus.values:
        raise DomainError("Vælg en gyldig status.", field="status")
    maal.aendret_af, maal.aendret_af_navn, maal.aendret = bruger, navn_paa(bruger), timezone.now()
    try:
        maal.full_clean()
    except ValidationError as fejl:
        raise DomainError.fra_validering(fejl) from fejl
    maal.save()
    haendelse_registrer(bruger=bruger, handling="lokalt_maal_opret" if ny else "lokalt_maal_aendr", objekt=maal,
                        data={"klynge": klynge.slug, "status": maal.status})
    return maal
