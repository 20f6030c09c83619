"""Content checks for uploaded attachments, shared by every app that takes files.

The same rules as the agreements' attachments (aftaler.services.bilag_tilfoej): at most 20 MB, and
the type told by content, not by name: PDF by its signature, DOCX/XLSX by their zip parts.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from sundhed.exceptions import DomainError
from sundhed.text import dansk_slug

MAKS = 20 * 1024 * 1024
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}
_STI_NAVN_MAKS = 50  # of the stored file's name; its folder and timestamp must fit FileField's 100 characters


@dataclass(frozen=True)
class KontrolleretFil:
    """What the check found: the content type, the name to show (cut to `navn_maks`, keeping the
    extension) and a short, safe name for the stored path."""

    indholdstype: str
    filnavn: str
    stinavn: str
    stoerrelse: int


def filtype(fil, *, felt: str = "fil") -> tuple[str, str]:
    """(content type, extension) read from the content; a DomainError naming `felt` otherwise."""
    fil.seek(0)
    start = fil.read(8)
    fil.seek(0)
    if start.startswith(b"%PDF-"):
        return "application/pdf", ".pdf"
    if start.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(fil) as z:
                navne = z.namelist()
        except zipfile.BadZipFile:
            navne = []
        finally:
            fil.seek(0)
        if "[Content_Types].xml" in navne:
            for prefix, (mime, endelse) in _OOXML.items():
                if any(n.startswith(prefix) for n in navne):
                    return mime, endelse
    raise DomainError("Filen skal være en PDF-, Word- (DOCX) eller Excel-fil (XLSX).", field=felt)


def kontroller(fil, *, navn_maks: int = 250, felt: str = "fil") -> KontrolleretFil:
    """Check an uploaded file's size and content; refuse it with a Danish message naming `felt`."""
    if fil is None:
        raise DomainError("Vælg en fil.", field=felt)
    if fil.size > MAKS:
        raise DomainError(f"Filen er for stor ({fil.size // (1024 * 1024)} MB); grænsen er 20 MB.", field=felt)
    mime, endelse = filtype(fil, felt=felt)
    navn = (fil.name or "").rsplit("/", 1)[-1]
    if navn.lower().endswith(endelse):
        stamme, endelse = navn[:-len(endelse)], navn[-len(endelse):]
    else:
        stamme = navn.rsplit(".", 1)[0]
    filnavn = f"{stamme.strip()[:navn_maks - len(endelse)] or 'bilag'}{endelse}"
    stinavn = (dansk_slug(stamme)[:_STI_NAVN_MAKS].strip("-_") or "bilag") + endelse.lower()
    return KontrolleretFil(indholdstype=mime, filnavn=filnavn, stinavn=stinavn, stoerrelse=fil.size)
