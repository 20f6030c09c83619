"""The public site of the agreements: list and search, the agreement, its versions and their
differences, the PDF, attachments and the open data files. Anyone may read them; what is public
is decided in aftaler.synlighed (a draft's public URLs are 404), what a page shows is made in
aftaler.sidekontekst.

Caching (sundhed.betinget): every page answers a conditional GET from a change stamp (one query)
with 304 before rendering anything, and for anonymous visitors the rendered page is kept in the
cache under the stamp, so a change to the agreement (or anything its page shows) is a new key.
The stamps are in aftaler.stempler: the agreement's own rows and the "aftale-aendret:<id>" cache
key set by tasks.aftale_aendret after every change through a service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from aftaler import forberedt, opendata, search, sidekontekst, stempler, synlighed
from aftaler.choices import Omfang
from aftaler.diff import sammenlign
from aftaler.models import Samarbejdsaftale
from sundhed.betinget import betinget_svar

SIDESTOERRELSE = 20
MAKS_SIDE = 100_000  # far past any real list of agreements

# Only these parameters change a public page; others (tracking tags, typos) share its cache entry.
SIDEPARAMETRE = ("q", "status", "omraade", "omfang", "klynge", "ejer", "sortering", "side", "a", "b")


def _offentlig_aftale_med_stempel(slug: str) -> tuple[int, stempler.Stempel]:
    """The public agreement's id and change stamp in one query (404 for anything not public)."""
    fundet = stempler.aftale_stempel(slug=slug)
    if fundet is None:
        raise Http404("Aftalen findes ikke.")
    return fundet


def _hent_aftale(pk: int) -> Samarbejdsaftale:
    aftale = sidekontekst.aftaler_til_visning().filter(pk=pk).first()
    if aftale is None:  # it left the public set between the stamp and now
        raise Http404("Aftalen findes ikke.")
    return aftale


# --- the list ------------------------------------------------------------------------------------

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
        search.synkroniser_ved_aendring(stempel.noegle)
        side = _soegeside(filtre, soegning, sortering, request.GET.get("side"))
        raekker = list(side.object_list)
        if search.er_postgres():  # the highlights came with the agreements
            fremhaevet = {a.pk: search.fremhaevning(a.h_titel, a.h_resume, a.h_tekst) for a in raekker}
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
    .values_list(*KORTFELTER, "h_titel", "h_resume", "h_tekst")))


def _soegeside(filtre: Filtre, soegning: search.Soegning, sortering: str, nummer) -> Page:
    """One page of search results. The hits are ranked, counted and cut to the page in one query on
    the search index (search.traeffer_side); then the page's agreements are fetched."""
    try:
        # Capped: an offset past what the database's integers hold is an error, not an empty page
        # (?side=99999999999999999999999 was a 500); any page past the end shows the last one.
        n = min(max(1, int(nummer)), MAKS_SIDE)
    except (TypeError, ValueError):
        n = 1
    udvalg = search.Udvalg(noegle=filtre.form, typer=filtre.typer, vaerdier=filtre.vaerdier, lav=_filtreret)
    ider, antal = search.traeffer_side(udvalg, soegning, sortering, (n - 1) * SIDESTOERRELSE, SIDESTOERRELSE)
    paginator = Paginator(ider, SIDESTOERRELSE)
    if not ider:  # no hits, or a page number past the end: show the last page
        paginator.count = 0 if n == 1 else search.traeffere(udvalg.aftaler(), soegning).count()
        if not paginator.count:
            return Page([], 1, paginator)
        return _soegeside(filtre, soegning, sortering, paginator.num_pages)
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


# --- one agreement ------------------------------------------------------------------------------


@require_safe
def aftale_detalje(request: HttpRequest, slug: str) -> HttpResponse:
    """The text in force (or the recommended text), its lifecycle, decisions, implementation,
    attachments, versions and related agreements."""
    pk, stempel = _offentlig_aftale_med_stempel(slug)
    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret,
                         lav_svar=lambda: _aftale_side(request, pk), parametre=SIDEPARAMETRE)


def _aftale_side(request: HttpRequest, pk: int) -> HttpResponse:
    side = sidekontekst.aftale_til_side(pk)
    if side is None:  # it left the public set between the stamp and now
        raise Http404("Aftalen findes ikke.")
    kontekst = sidekontekst.aftale_visning(side.aftale, partdata=side.partdata, godkendelser=side.beslutninger)
    kontekst.update({
        "behandlinger": side.behandlinger,
        "implementeringer": side.implementeringer,
        "bilag": side.bilag,
        "versioner": side.versioner,
        "relaterede": side.relaterede,
    })
    return render(request, "aftaler/offentlig/detalje.html", kontekst)


def _versioner(aftale: Samarbejdsaftale) -> list:
    versioner = list(synlighed.offentlige_versioner(aftale).defer("tekst").order_by("-nummer"))
    return sidekontekst.versionsliste(aftale, versioner)


def _offentlig_version(aftale: Samarbejdsaftale, nummer: int):
    version = synlighed.offentlige_versioner(aftale).filter(nummer=nummer).first()
    if version is None:
        raise Http404("Versionen findes ikke.")
    return version


@require_safe
def aftale_version(request: HttpRequest, slug: str, nummer: int) -> HttpResponse:
    """One public version's text, with its place in the history."""
    pk, stempel = _offentlig_aftale_med_stempel(slug)

    def side() -> HttpResponse:
        a = _hent_aftale(pk)
        version = _offentlig_version(a, nummer)
        versioner = _versioner(a)
        vist = synlighed.vist_version(a)
        return render(request, "aftaler/offentlig/version.html", {
            "aftale": a, "version": version, "versioner": versioner, "vist_version": vist,
            "ny_version": synlighed.ny_version(a), "offentlig_status": synlighed.offentlig_status(a),
            "revision": synlighed.revisionstilstand(a), "aktuel_nummer": version.nummer,
            "forrige": next((v for v in versioner if v.nummer < version.nummer), None),
        })

    return betinget_svar(request, stempel=f"{stempel.noegle}-v{nummer}", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=side, parametre=SIDEPARAMETRE)


@require_safe
def aftale_sammenlign(request: HttpRequest, slug: str, a: int, b: int) -> HttpResponse:
    """A word-level comparison of two public versions."""
    pk, stempel = _offentlig_aftale_med_stempel(slug)

    def side() -> HttpResponse:
        obj = _hent_aftale(pk)
        gammel, ny = _offentlig_version(obj, a), _offentlig_version(obj, b)
        return render(request, "aftaler/offentlig/sammenlign.html", {
            "aftale": obj, "gammel": gammel, "ny": ny, "sammenligning": sammenlign(gammel.tekst, ny.tekst),
            "versioner": _versioner(obj), "fra_nummer": a, "til_nummer": b,
            "vist_version": synlighed.vist_version(obj), "ny_version": synlighed.ny_version(obj),
            "revision": synlighed.revisionstilstand(obj),
        })

    return betinget_svar(request, stempel=f"{stempel.noegle}-s{a}-{b}", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=side, parametre=SIDEPARAMETRE)


class VersionsvalgForm(forms.Form):
    """The version picker: two version numbers (positive, and within what the column holds)."""

    a = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    b = forms.IntegerField(min_value=1, max_value=2**31 - 1)


@require_safe
def aftale_sammenlign_valg(request: HttpRequest, slug: str) -> HttpResponse:
    """The version picker's GET form lands here and is sent on to the comparison's own URL.

    Anything but two version numbers (one missing, negative or absurd: /sammenlign/-1/3/ is no
    URL, which was a 500) goes back to the picker on the agreement's page with a Danish error."""
    form = VersionsvalgForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Vælg to versioner at sammenligne.")
        return redirect(reverse("aftale-detalje", kwargs={"slug": slug}) + "#versioner-titel")
    return redirect("aftale-sammenlign", slug=slug, a=form.cleaned_data["a"], b=form.cleaned_data["b"])


@require_safe
def aftale_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The agreement as PDF, made from the page's own parts and kept per version and change."""
    from aftaler import pdf

    pk, stempel = _offentlig_aftale_med_stempel(slug)

    def svar() -> HttpResponse:
        obj = _hent_aftale(pk)
        indhold, filnavn = pdf.hent_eller_lav(obj)
        res = HttpResponse(indhold, content_type="application/pdf")
        res["Content-Disposition"] = f'inline; filename="{filnavn}"'
        return res

    # The PDF itself is kept on disk by aftaler.pdf; the page cache would only hold a second copy.
    return betinget_svar(request, stempel=f"{stempel.noegle}-pdf", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=svar, gem=False, parametre=SIDEPARAMETRE)


@require_safe
def aftale_bilag(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An attachment of a public version (404 for anything else)."""
    aftale = synlighed.offentlige_aftaler().select_related("aktuel_version", "offentliggjort_version").filter(
        slug=slug).first()
    if aftale is None:
        raise Http404("Aftalen findes ikke.")
    bilag = next((b for b in synlighed.offentlige_bilag(aftale) if b.pk == pk), None)
    if bilag is None:
        raise Http404("Bilaget findes ikke.")
    try:
        fil = bilag.fil.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Bilaget findes ikke.") from exc
    return FileResponse(fil, filename=bilag.filnavn, content_type=bilag.indholdstype)


# --- open data ----------------------------------------------------------------------------------


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
