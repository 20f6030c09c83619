"""Dates and half years as Danish readers read them, for code that writes text outside a template:
e-mails, feeds, messages, `__str__`.

Templates use Django's date filter with the named formats instead: `|date:"DATE_FORMAT"` in running
text and headings ("29. november 2026"), `|date:"SHORT_DATE_FORMAT"` in dense tables ("29.11.2026"),
`|date:"DATETIME_FORMAT"` / `"SHORT_DATETIME_FORMAT"` with the time; and `{% load dansk %}` with
`|halvaar` for a half year. Never a literal format string: `M`, `N` and `b` write "Nov", "Sept",
"Maj". The formats are Django's Danish ones with the clock as Danish writes it
(sundhed/formats/da/formats.py).

These functions write Danish whatever language is active: a Celery worker has no request, and so
no language of its own.
"""

from __future__ import annotations

import datetime
import re

from django.utils import formats, timezone, translation

SPROG = "da"
_HALVAAR = re.compile(r"^(?P<aar>\d{4})H(?P<halvaar>[12])$")


def dato(vaerdi: datetime.date, *, kort: bool = False) -> str:
    """'29. november 2026' for running text; with `kort`, '29.11.2026' for dense tables.
    A datetime is read in Danish time, as the template filter does."""
    if isinstance(vaerdi, datetime.datetime) and timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    with translation.override(SPROG):
        return formats.date_format(vaerdi, "SHORT_DATE_FORMAT" if kort else "DATE_FORMAT")


def tidspunkt(vaerdi: datetime.datetime, *, kort: bool = False) -> str:
    """'29. november 2026 kl. 14.30' in Danish time; with `kort`, '29.11.2026 14.30'."""
    if timezone.is_aware(vaerdi):
        vaerdi = timezone.localtime(vaerdi)
    with translation.override(SPROG):
        return formats.date_format(vaerdi, "SHORT_DATETIME_FORMAT" if kort else "DATETIME_FORMAT")


def halvaar(periode) -> str:
    """'2026H1' -> '1. halvår 2026'. A year ('2026') and anything else come back unchanged.

    `periode` is a period code or anything whose str() is one (indikatorer.perioder.Periode). The code
    itself stays in files, URLs and the API; this is for people."""
    if periode is None:
        return ""
    kode = str(periode)
    m = _HALVAAR.match(kode)
    return f"{m['halvaar']}. halvår {m['aar']}" if m else kode
