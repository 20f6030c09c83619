"""The open data files: every public agreement with its decisions as CSV and JSON, streamed, and
answered from the open data's change stamp (sundhed.betinget).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from aftaler import opendata, stempler
from aftaler.views.faelles import SIDEPARAMETRE
from sundhed.betinget import betinget_svar


def _aaben_data(request: HttpRequest, dele, content_type: str, filnavn: str) -> HttpResponse:
    stempel = stempler.aaben_data_stempel()

    def svar() -> StreamingHttpResponse:
        res = StreamingHttpResponse(dele(request.build_absolute_uri("/").rstrip("/")), content_type=content_type)
        res["Content-Disposition"] = f'inline; filename="{filnavn}"'
        res["Access-Control-Allow-Origin"] = "*"
        return res

    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret, lav_svar=svar,
                         gem=False, parametre=SIDEPARAMETRE)


@require_safe
def aftaler_csv(request: HttpRequest) -> HttpResponse:
    """Every public agreement and its decisions, one row per decision (UTF-8 with BOM, comma)."""
    return _aaben_data(request, opendata.csv_linjer, "text/csv; charset=utf-8", "aftaler.csv")


@require_safe
def aftaler_json(request: HttpRequest) -> HttpResponse:
    """Every public agreement with its decisions as JSON."""
    return _aaben_data(request, opendata.json_dele, "application/json", "aftaler.json")
