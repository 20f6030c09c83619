"""The step indicator of an agreement's lifecycle, for the public pages and the staff pages alike."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format

from aftaler.choices import Status

# The main road of the lifecycle (DESIGN.md); repealing comes after it.
FORLOEB = (Status.UDKAST, Status.HOERING, Status.INDSTILLET, Status.GODKENDT, Status.I_KRAFT)


def trin(status: str, *, ikrafttraedelse: datetime.date | None = None, i_dag: datetime.date | None = None,
         var_i_hoering: bool | None = None) -> list[dict]:
    """The steps, each gennemfoert, aktuel or kommende, with a line of information where needed.

    `status` is the state shown (the public see an agreement under revision as in force). An agreement
    published to enter into force later has approval as its current step until the date (derived
    from the date on every call). With `var_i_hoering` False, a passed consultation step reads
    sprunget_over (consultation is optional; the staff pages say so)."""
    senere = (status == Status.I_KRAFT and ikrafttraedelse is not None
              and ikrafttraedelse > (i_dag or timezone.localdate()))
    vist = Status.GODKENDT if senere else status
    aktuel = len(FORLOEB) if vist == Status.OPHAEVET else FORLOEB.index(vist)
    res = []
    for i, s in enumerate(FORLOEB):
        if i == aktuel:
            tilstand = "aktuel"
        elif i > aktuel:
            tilstand = "kommende"
        elif s == Status.HOERING and var_i_hoering is False:
            tilstand = "sprunget_over"
        else:
            tilstand = "gennemfoert"
        res.append({"nummer": i + 1, "navn": Status(s).label, "tilstand": tilstand, "information": ""})
    if senere:
        res[aktuel]["information"] = "Offentliggjort"
        res[-1]["information"] = f"fra {date_format(ikrafttraedelse, 'DATE_FORMAT')}"
    return res
