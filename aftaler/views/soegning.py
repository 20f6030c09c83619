"""The public list of agreements: search, filters, sorting and pages (/aftaler/).

A GET form that works without JavaScript. The page answers a conditional GET from the global change
stamp (sundhed.betinget); the list's reads are compiled once per shape of filters (aftaler.forberedt),
and a search is ranked, counted and cut to the page on the search index (aftaler.search).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from aftaler import forberedt, search, sidekontekst, stempler, synlighed
from aftaler.choices import Omfang
from aftaler.models import Samarbejdsaftale
from aftaler.views.faelles import SIDEPARAMETRE
from sundhed.betinget import betinget_svar

SIDESTOERRELSE = 20

MAKS_SIDE = 100_000  # far past any real list of agreements


# "" (the default) is the best match when searching and the title otherwise, so a search from
# the form (which always sends the select's value) is ranked by relevance.
SORTERINGER = {
    "": "Bedste match ved søgning, ellers titel",
    "relevans": "Bedste match",
    "titel": "Titel (A–Å)",
    "nyeste": "Senest ændret",
    "ikraft": "Ikrafttrædelse, nyeste først",
    "indstillet": "Indstillet, nyeste først",
}


class FilterForm(forms.Form):
    """The list's search, filters and sorting (a GET form: works without JavaScript)."""

    q = forms.CharField(label="Søg i titel, resumé og tekst", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False)
    omraade = forms.ChoiceField(label="Indsatsområde", required=False)
    omfang = forms.ChoiceField(label="Omfang", required=False,
                               choices=[("", "Regionale og lokale"), *Omfang.choices])
    klynge = forms.ChoiceField(label="Gælder i klynge", required=False)
    ejer = forms.ChoiceField(label="Ejer (forum)", required=False)
    sortering = forms.ChoiceField(label="Sortér efter", required=False, choices=list(SORTERINGER.items()))

    def __init__(self, data, *, omraader, klynger, ejere):
        """`omraader`, `klynger`, `ejere`: (id, slug, name) of each choice."""
        super().__init__(data)
        self.fields["status"].choices = [("", "Alle"), *synlighed.OFFENTLIG_STATUSVALG]
        self.fields["omraade"].choices = [("", "Alle"), *((slug, navn) for _, slug, navn in omraader)]
        self.fields["klynge"].choices = [("", "Alle"), *((slug, navn) for _, slug, navn in klynger)]
        self.fields["ejer"].choices = [("", "Alle"), *((slug, navn) for _, slug, navn in ejere)]
        self.ider = {felt: {slug: pk for pk, slug, _ in valg}
                     for felt, valg in (("omraade", omraader), ("klynge", klynger), ("ejer", ejere))}

    def vaerdi(self, navn: str) -> str:
        """The field's valid value or ''; an unknown value in one field does not void the others."""
        self.is_valid()
        return self.cleaned_data.get(navn) or ""


@dataclass(frozen=True)
class Filtre:
    """The list's valid filters: their shape (the state filtered by, and which of area, scope,
    cluster and owner are), and the values the query compares with, with their database types."""

    form: tuple
    vaerdier: tuple
    typer: tuple


def _filtre(form: FilterForm) -> Filtre:
    status = form.vaerdi("status")
    valgt = {navn: form.vaerdi(navn) for navn in ("omraade", "omfang", "klynge", "ejer")}
    vaerdier, typer = [], []
    for navn, vaerdi in valgt.items():
        if vaerdi:
            vaerdier.append(vaerdi if navn == "omfang" else form.ider[navn][vaerdi])
            typer.append("text" if navn == "omfang" else "bigint")
    return Filtre(form=(status, *(bool(v) for v in valgt.values())), vaerdier=tuple(vaerdier), typer=tuple(typer))


def _filtreret(form: tuple, vaerdier) -> QuerySet[Samarbejdsaftale]:
    """The public agreements matching filters of this shape (Filtre.form) and values."""
    status, omraade, omfang, klynge, ejer = form
    vaerdi = iter(vaerdier)
    qs = synlighed.offentlige_aftaler()
    if status:
        qs = qs.filter(synlighed.offentlig_status_q(status))
    if omraade:
        qs = qs.filter(indsatsomraade_id=next(vaerdi))
    if omfang:
        qs = qs.filter(omfang=next(vaerdi))
    if klynge:
        # A regional agreement applies in every cluster; a local one in its own.
        qs = qs.filter(Q(omfang=Omfang.REGIONAL) | Q(klynge_id=next(vaerdi)))
    if ejer:
        qs = qs.filter(ejer_forum_id=next(vaerdi))
    return qs


def _sorter(qs: QuerySet[Samarbejdsaftale], sortering: str) -> QuerySet:
    return {
        "nyeste": qs.order_by("-opdateret", "pk"),
        "ikraft": qs.order_by(F("ikrafttraedelse").desc(nulls_last=True), "titel", "pk"),
        "indstillet": qs.order_by(F("indstillet_dato").desc(nulls_last=True), "titel", "pk"),
    }.get(sortering, qs.order_by("titel", "pk"))


@require_safe
def aftale_liste(request: HttpRequest) -> HttpResponse:
    """Every public agreement, searchable, filterable, sortable and paginated."""
    stempel = stempler.global_stempel()
    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret,
                         lav_svar=lambda: _aftale_liste_side(request, stempel), parametre=SIDEPARAMETRE)


# What a card in the list shows, read in the list's one query for the page (as named tuples: the
# page's 20 rows need no model instances, and synlighed's state rules read the same attributes).
KORTFELTER = ("pk", "titel", "slug", "resume", "status", "omfang", "offentliggjort_version_id", "indstillet_dato",
              "godkendt_dato", "ikrafttraedelse", "indsatsomraade__navn", "klynge__navn", "ejer_forum__navn")


def _typer(form: tuple) -> list[str]:
    _status, omraade, omfang, klynge, ejer = form
    return [t for valgt, t in ((omraade, "bigint"), (omfang, "text"), (klynge, "bigint"), (ejer, "bigint")) if valgt]


# The list's two reads, compiled once for each shape of filters (and sorting) (aftaler.forberedt):
# how many agreements match (an index-only scan of migration 0009's index), and one page of them.
_ANTAL = forberedt.Forberedte("offentlig_liste_antal", lambda form, navn: forberedt.Forberedt(
    navn, _typer(form), lambda *v: _filtreret(form, v).order_by().values_list("pk"),
    omslut=lambda sql, _: (f"SELECT COUNT(*) FROM ({sql}) AS liste", []), navne=["antal"]))


_SIDE = forberedt.Forberedte("offentlig_liste_side", lambda noegle, navn: forberedt.Forberedt(
    navn, [*_typer(noegle[0]), "bigint"], lambda *v: _sorter(
        _filtreret(noegle[0], v[:-1]).values_list(*KORTFELTER), noegle[1])[v[-1]:v[-1] + SIDESTOERRELSE]))


class _Listen(Sequence):
    """The matching agreements as the paginator sees them: as long as their number, and a slice is
    one read of that page."""

    def __init__(self, filtre: Filtre, sortering: str):
        self.filtre, self.sortering = filtre, sortering
        self.antal = _ANTAL.laes(filtre.form, *filtre.vaerdier)[0].antal

    def __len__(self) -> int:
        return self.antal

    def __getitem__(self, udsnit):
        return _SIDE.laes((self.filtre.form, self.sortering), *self.filtre.vaerdier, udsnit.start)


def _aftalekort(raekker, fremhaevet: dict[int, search.Fremhaevning]) -> list[dict]:
    """The cards of one page: everything a card shows, ready to print. The card is repeated on
    every row, so its words, dates and address are made here once rather than by template tags and
    filters per row. (Plain dicts: a template reads a dict's keys faster than an object's attributes.)"""
    adresse = sidekontekst.Adresser("aftale-detalje")
    dato = sidekontekst.datoformat("DATE_FORMAT")
    kort = []
    for a in raekker:
        f = fremhaevet.get(a.pk)
        kort.append({
            "url": adresse(a.slug),
            "titel": f.titel if f else a.titel,
            "status": synlighed.statustekst(a),
            "badge": sidekontekst.status_badge(a),
            "under_revision": synlighed.har_gaeldende_version(a),
            "omraade": a.indsatsomraade__navn or "Ikke angivet",
            "omfang": f"Lokal: {a.klynge__navn or ''}" if a.omfang == Omfang.LOKAL else "Regional",
            "ejer": a.ejer_forum__navn or "",
            "indstillet": dato(a.indstillet_dato),
            "godkendt": dato(a.godkendt_dato),
            "ikraft": dato(a.ikrafttraedelse),
            # The search's excerpt, or the start of the summary (None: no paragraph).
            "uddrag": f.uddrag if f and f.uddrag else truncatewords(a.resume, 40) if a.resume else None,
        })
    return kort


def _aftale_liste_side(request: HttpRequest, stempel: stempler.Stempel) -> HttpResponse:
    omraader, klynger, ejere = sidekontekst.filtervalg()
    form = FilterForm(request.GET, omraader=omraader, klynger=klynger, ejere=ejere)
    soegning = search.Soegning.fra(form.vaerdi("q"))
    sortering = form.vaerdi("sortering") or ("relevans" if soegning else "titel")
    if sortering == "relevans" and not soegning:
        sortering = "titel"
    filtre = _filtre(form)
    if soegning:
        aktuelt = search.synkroniser_ved_aendring(stempel.noegle)
        side = _soegeside(filtre, soegning, sortering, request.GET.get("side"), indeks_aktuelt=aktuelt)
        raekker = list(side.object_list)
        if search.er_postgres():  # the highlights came with the agreements
            fremhaevet = {a.pk: search.fremhaevning(a.h_titel, a.h_uddrag) for a in raekker}
        else:
            fremhaevet = search.fremhaev([a.pk for a in raekker], soegning)
    else:
        side = Paginator(_Listen(filtre, sortering), SIDESTOERRELSE).get_page(request.GET.get("side"))
        raekker, fremhaevet = list(side.object_list), {}
    parametre = {k: v for k in ("q", "status", "omraade", "omfang", "klynge", "ejer", "sortering")
                 if (v := form.vaerdi(k))}
    # "Mente du …?" only when the search found nothing: the same search with the suggested words.
    forslag = (search.forslag(_filtreret(filtre.form, filtre.vaerdier), soegning)
               if soegning and not side.paginator.count else None)
    return render(request, "aftaler/offentlig/liste.html", {
        "forslag": forslag,
        "forslag_filtre": urlencode({**parametre, "q": forslag}) if forslag else "",
        "form": form,
        "valgfelter": _valgfelter(form, soegning),
        "side": side,
        "aftaler": _aftalekort(raekker, fremhaevet),
        "soegning": soegning,
        "sortering": sortering,
        "filtre": urlencode(parametre),
        "filtreret": bool(parametre.keys() - {"sortering"}),
        "sider": _sidenumre(side),
    })


# The agreements of a page of search results, by id (padded with NULL to a page), compiled once
# for each shape of filters; on PostgreSQL with their highlights (search.fremhaevningsfelter: the
# argument before the ids is the query's text) in the same query.
_SOEGEKORT = forberedt.Forberedte("offentlig_soegekort", lambda form, navn: forberedt.Forberedt(
    navn, [*_typer(form), "text", *["bigint"] * SIDESTOERRELSE],
    lambda *v: _filtreret(form, v[:-SIDESTOERRELSE - 1]).filter(pk__in=v[-SIDESTOERRELSE:])
    .annotate(**search.fremhaevningsfelter(v[-SIDESTOERRELSE - 1], "soegeindeks__"))
    .values_list(*KORTFELTER, "h_titel", "h_uddrag")))


def _soegeside(filtre: Filtre, soegning: search.Soegning, sortering: str, nummer, *,
               indeks_aktuelt: bool = False) -> Page:
    """One page of search results. The hits are ranked, counted and cut to the page in one query on
    the search index (search.traeffer_side); then the page's agreements are fetched."""
    try:
        # Capped: an offset past what the database's integers hold is an error, not an empty page
        # (?side=99999999999999999999999 was a 500); any page past the end shows the last one.
        n = min(max(1, int(nummer)), MAKS_SIDE)
    except (TypeError, ValueError):
        n = 1
    udvalg = search.Udvalg(noegle=filtre.form, typer=filtre.typer, vaerdier=filtre.vaerdier, lav=_filtreret,
                           alle=indeks_aktuelt and not any(filtre.form))
    ider, antal = search.traeffer_side(udvalg, soegning, sortering, (n - 1) * SIDESTOERRELSE, SIDESTOERRELSE)
    paginator = Paginator(ider, SIDESTOERRELSE)
    if not ider:  # no hits, or a page number past the end: show the last page
        paginator.count = 0 if n == 1 else search.traeffere(udvalg.aftaler(), soegning).count()
        if not paginator.count:
            return Page([], 1, paginator)
        return _soegeside(filtre, soegning, sortering, paginator.num_pages, indeks_aktuelt=indeks_aktuelt)
    paginator.count = antal
    fyldt = [*ider, *[None] * (SIDESTOERRELSE - len(ider))]  # a page of ids, padded with NULL
    if search.er_postgres():
        kort = _SOEGEKORT.laes(filtre.form, *filtre.vaerdier, soegning.tekst, *fyldt)
    else:  # SQLite highlights in Python (search.fremhaev): the agreements alone
        kort = _filtreret(filtre.form, filtre.vaerdier).filter(pk__in=ider).values_list(*KORTFELTER, named=True)
    pr_id = {a.pk: a for a in kort}
    return Page([pr_id[pk] for pk in ider if pk in pr_id], n, paginator)


def _valgfelter(form: FilterForm, soegning: search.Soegning) -> list[dict]:
    """The filter selects with their options, the chosen one selected (relevance only with a query).
    The options are made here as HTML (escaped as a template would): there are forty of them on
    every list page, and a template loop over them cost more than the rest of the form."""
    felter = []
    for navn in ("status", "omraade", "omfang", "klynge", "ejer", "sortering"):
        felt = form[navn]
        valgt = form.vaerdi(navn)
        valg = format_html_join("", '<option value="{}"{}>{}</option>', (
            (v, mark_safe(" selected") if str(v) == valgt else "", t) for v, t in felt.field.choices
            if navn != "sortering" or v != "relevans" or soegning))
        felter.append({"navn": navn, "id": felt.id_for_label, "etiket": felt.label, "valg": valg})
    return felter


def _sidenumre(side) -> list[int | None]:
    """Page numbers to link: first, last and two around the current one; None is a gap."""
    antal, aktuel = side.paginator.num_pages, side.number
    vis = sorted({1, antal, *range(max(1, aktuel - 2), min(antal, aktuel + 2) + 1)})
    res: list[int | None] = []
    for n in vis:
        if res and n - (res[-1] or 0) > 1:
            res.append(None)
        res.append(n)
    return res
