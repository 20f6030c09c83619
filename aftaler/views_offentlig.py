"""The public site of the agreements: list and search, the agreement, its versions and their
differences, the PDF, attachments and the open data files. Anyone may read them; what is public
is decided in aftaler.opendata (a draft's public URLs are 404).

Caching: every page answers a conditional GET from a change stamp (one query) with 304 before
rendering anything, and for anonymous visitors the rendered page is kept in the cache under the
stamp, so a change to the agreement (or anything its page shows) is a new key. The stamps are
in aftaler.opendata: the agreement's own rows and the "aftale-aendret:<id>" cache key set by
tasks.aftale_aendret after every change through a service.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from aftaler import opendata, search
from aftaler.choices import Omfang
from aftaler.diff import sammenlign
from aftaler.models import Indsatsomraade, Samarbejdsaftale
from organisation.models import Forum, Klynge

SIDESTOERRELSE = 20
MAKS_SIDE = 100_000  # far past any real list of agreements
CACHE_SEKUNDER = 60 * 60  # a safety net for what no stamp covers (names of fora and clusters)


# --- conditional GET and the page cache -----------------------------------------------------------


def _kan_caches(request: HttpRequest) -> bool:
    """Only anonymous pages without pending messages are the same for everyone."""
    return not request.user.is_authenticated and len(get_messages(request)) == 0


# Only these parameters change a public page; others (tracking tags, typos) share its cache entry.
SIDEPARAMETRE = ("q", "status", "omraade", "omfang", "klynge", "ejer", "sortering", "side", "a", "b")


def _cachesti(request: HttpRequest) -> str:
    parametre = sorted((k, v) for k, v in request.GET.items() if k in SIDEPARAMETRE and v)
    return f"{request.path}?{urlencode(parametre)}"


def betinget_svar(request: HttpRequest, *, stempel: str, sidst_aendret, lav_svar: Callable[[], HttpResponse],
                  gem: bool = True) -> HttpResponse:
    """Answer 304 when the client's copy is current; else the cached page (anonymous visitors) or
    a freshly made one. `stempel` must change whenever the page could change."""
    anonym = _kan_caches(request)
    etag = f'"{stempel}"' if anonym else f'"{stempel}-u{request.user.pk}"'
    sidst = int(sidst_aendret.timestamp()) if sidst_aendret else None
    svar = get_conditional_response(request, etag=etag, last_modified=sidst)
    if svar is None:
        noegle = "offentlig:" + hashlib.sha1(f"{_cachesti(request)}|{etag}".encode(),
                                             usedforsecurity=False).hexdigest()
        gemt = cache.get(noegle) if anonym and gem else None
        if gemt is not None:
            svar = HttpResponse(gemt[1], content_type=gemt[0])
        else:
            svar = lav_svar()
            if anonym and gem and svar.status_code == 200 and not svar.streaming:
                cache.set(noegle, (svar["Content-Type"], svar.content), CACHE_SEKUNDER)
    svar["ETag"] = etag
    if sidst is not None:
        svar["Last-Modified"] = http_date(sidst)
    # Browsers and proxies keep the page but ask each time; the answer is then mostly a 304.
    patch_cache_control(svar, no_cache=True, **({"public": True} if anonym else {"private": True}))
    patch_vary_headers(svar, ["Cookie"])
    return svar


def _offentlig_aftale_med_stempel(slug: str) -> tuple[int, opendata.Stempel]:
    """The public agreement's id and change stamp in one query (404 for anything not public)."""
    fundet = opendata.aftale_stempel(slug=slug)
    if fundet is None:
        raise Http404("Aftalen findes ikke.")
    return fundet


def _hent_aftale(pk: int) -> Samarbejdsaftale:
    aftale = opendata.aftaler_til_visning().filter(pk=pk).first()
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
        super().__init__(data)
        self.fields["status"].choices = [("", "Alle"), *opendata.OFFENTLIG_STATUSVALG]
        self.fields["omraade"].choices = [("", "Alle"), *((o.slug, o.navn) for o in omraader)]
        self.fields["klynge"].choices = [("", "Alle"), *((k.slug, k.navn) for k in klynger)]
        self.fields["ejer"].choices = [("", "Alle"), *((f.slug, f.navn) for f in ejere)]
        self.ider = {"omraade": {o.slug: o.pk for o in omraader}, "klynge": {k.slug: k.pk for k in klynger},
                     "ejer": {f.slug: f.pk for f in ejere}}

    def vaerdi(self, navn: str) -> str:
        """The field's valid value or ''; an unknown value in one field does not void the others."""
        self.is_valid()
        return self.cleaned_data.get(navn) or ""


def _filtrer(qs: QuerySet[Samarbejdsaftale], form: FilterForm) -> QuerySet[Samarbejdsaftale]:
    if status := form.vaerdi("status"):
        qs = qs.filter(opendata.offentlig_status_q(status))
    if omraade := form.vaerdi("omraade"):
        qs = qs.filter(indsatsomraade_id=form.ider["omraade"][omraade])
    if omfang := form.vaerdi("omfang"):
        qs = qs.filter(omfang=omfang)
    if klynge := form.vaerdi("klynge"):
        # A regional agreement applies in every cluster; a local one in its own.
        qs = qs.filter(Q(omfang=Omfang.REGIONAL) | Q(klynge_id=form.ider["klynge"][klynge]))
    if ejer := form.vaerdi("ejer"):
        qs = qs.filter(ejer_forum_id=form.ider["ejer"][ejer])
    return qs


def _sorter(qs: QuerySet[Samarbejdsaftale], sortering: str) -> QuerySet:
    return {
        "nyeste": qs.order_by("-opdateret", "pk"),
        "ikraft": qs.order_by(F("ikrafttraedelse").desc(nulls_last=True), "titel", "pk"),
        "indstillet": qs.order_by(F("indstillet_dato").desc(nulls_last=True), "titel", "pk"),
    }.get(sortering, qs.order_by("titel", "pk"))


def _filtervalg() -> tuple[list, list, list]:
    """Areas, clusters and owning fora to filter by: three queries."""
    omraader = list(Indsatsomraade.objects.only("slug", "navn").order_by("sundhedsaftale", "sortering", "navn"))
    klynger = list(Klynge.objects.aktive().only("slug", "navn").order_by("navn"))
    ejer = opendata.offentlige_aftaler().filter(ejer_forum=OuterRef("pk"))
    ejere = list(Forum.objects.filter(Exists(ejer)).only("slug", "navn").order_by("navn"))
    return omraader, klynger, ejere


@require_safe
def aftale_liste(request: HttpRequest) -> HttpResponse:
    """Every public agreement, searchable, filterable, sortable and paginated."""
    stempel = opendata.global_stempel()
    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret,
                         lav_svar=lambda: _aftale_liste_side(request, stempel))


def _aftale_liste_side(request: HttpRequest, stempel: opendata.Stempel) -> HttpResponse:
    omraader, klynger, ejere = _filtervalg()
    form = FilterForm(request.GET, omraader=omraader, klynger=klynger, ejere=ejere)
    soegning = search.Soegning.fra(form.vaerdi("q"))
    sortering = form.vaerdi("sortering") or ("relevans" if soegning else "titel")
    if sortering == "relevans" and not soegning:
        sortering = "titel"
    qs = _filtrer(opendata.offentlige_aftaler(), form)
    til_visning = qs.select_related("indsatsomraade", "klynge", "ejer_forum").only(
        "titel", "slug", "resume", "status", "omfang", "offentliggjort_version_id", "indstillet_dato", "godkendt_dato",
        "ikrafttraedelse", "revisionsdato", "opdateret", "indsatsomraade__navn", "klynge__navn", "klynge__slug",
        "ejer_forum__navn")
    if soegning:
        search.synkroniser_ved_aendring(stempel.noegle)
        side = _soegeside(qs, til_visning, soegning, sortering, request.GET.get("side"))
        aftaler = list(side.object_list)
        fremhaevet = search.fremhaev([a.pk for a in aftaler], soegning)
        for a in aftaler:
            a.fremhaevning = fremhaevet.get(a.pk)
    else:
        side = Paginator(_sorter(til_visning, sortering), SIDESTOERRELSE).get_page(request.GET.get("side"))
        aftaler = list(side.object_list)
    filtre = {k: v for k in ("q", "status", "omraade", "omfang", "klynge", "ejer", "sortering")
              if (v := form.vaerdi(k))}
    # "Mente du …?" only when the search found nothing: the same search with the suggested words.
    forslag = search.forslag(qs, soegning) if soegning and not side.paginator.count else None
    return render(request, "aftaler/offentlig/liste.html", {
        "forslag": forslag,
        "forslag_filtre": urlencode({**filtre, "q": forslag}) if forslag else "",
        "form": form,
        "valgfelter": _valgfelter(form, soegning),
        "side": side,
        "aftaler": aftaler,
        "soegning": soegning,
        "sortering": sortering,
        "filtre": urlencode(filtre),
        "filtreret": bool(filtre.keys() - {"sortering"}),
        "sider": _sidenumre(side),
    })


def _soegeside(qs: QuerySet, til_visning: QuerySet, soegning: search.Soegning, sortering: str, nummer) -> Page:
    """One page of search results. The hits are ranked, counted (COUNT(*) OVER ()) and cut to the
    page in one query on the search index alone; then the page's agreements are fetched."""
    traeffere = search.traeffere(qs, soegning).order_by(*search.TRAEFFER_ORDEN[sortering])
    paginator = Paginator(traeffere, SIDESTOERRELSE)
    try:
        # Capped: an offset past what the database's integers hold is an error, not an empty page
        # (?side=99999999999999999999999 was a 500); any page past the end shows the last one.
        n = min(max(1, int(nummer)), MAKS_SIDE)
    except (TypeError, ValueError):
        n = 1
    start = (n - 1) * SIDESTOERRELSE
    raekker = list(traeffere.annotate(_antal=Window(Count("pk"))).values_list("aftale_id", "_antal")
                   [start:start + SIDESTOERRELSE])
    if not raekker:  # no hits, or a page number past the end: show the last page
        if n == 1 or not traeffere.exists():
            paginator.count = 0
            return Page([], 1, paginator)
        return _soegeside(qs, til_visning, soegning, sortering, paginator.num_pages)
    paginator.count = raekker[0][1]
    pr_id = {a.pk: a for a in til_visning.filter(pk__in=[pk for pk, _ in raekker])}
    return Page([pr_id[pk] for pk, _ in raekker if pk in pr_id], n, paginator)


def _valgfelter(form: FilterForm, soegning: search.Soegning) -> list[dict]:
    """The filter selects with their options and which one is chosen (relevance only with a query)."""
    felter = []
    for navn in ("status", "omraade", "omfang", "klynge", "ejer", "sortering"):
        felt = form[navn]
        valgt = form.vaerdi(navn)
        valg = [(v, t, str(v) == valgt) for v, t in felt.field.choices if navn != "sortering" or v != "relevans"
                or soegning]
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
                         lav_svar=lambda: _aftale_side(request, pk))


def _aftale_side(request: HttpRequest, pk: int) -> HttpResponse:
    aftale = _hent_aftale(pk)
    kontekst = opendata.aftale_visning(aftale)
    kontekst.update({
        "behandlinger": list(opendata.offentlige_behandlinger(aftale)),
        "implementeringer": list(aftale.implementeringer.select_related("klynge").order_by("klynge__navn")),
        "bilag": opendata.offentlige_bilag(aftale),
        "versioner": _versioner(aftale),
        "relaterede": opendata.relaterede_aftaler(aftale),
    })
    return render(request, "aftaler/offentlig/detalje.html", kontekst)


def _versioner(aftale: Samarbejdsaftale) -> list:
    return opendata.med_forrige(list(opendata.offentlige_versioner(aftale).defer("tekst").order_by("-nummer")))


def _offentlig_version(aftale: Samarbejdsaftale, nummer: int):
    version = opendata.offentlige_versioner(aftale).filter(nummer=nummer).first()
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
        vist = opendata.vist_version(a)
        return render(request, "aftaler/offentlig/version.html", {
            "aftale": a, "version": version, "versioner": versioner, "vist_version": vist,
            "ny_version": opendata.ny_version(a), "offentlig_status": opendata.offentlig_status(a),
            "revision": opendata.revisionstilstand(a), "aktuel_nummer": version.nummer,
            "forrige": next((v for v in versioner if v.nummer < version.nummer), None),
        })

    return betinget_svar(request, stempel=f"{stempel.noegle}-v{nummer}", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=side)


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
            "vist_version": opendata.vist_version(obj), "ny_version": opendata.ny_version(obj),
            "revision": opendata.revisionstilstand(obj),
        })

    return betinget_svar(request, stempel=f"{stempel.noegle}-s{a}-{b}", sidst_aendret=stempel.sidst_aendret,
                         lav_svar=side)


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
                         lav_svar=svar, gem=False)


@require_safe
def aftale_bilag(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An attachment of a public version (404 for anything else)."""
    aftale = opendata.offentlige_aftaler().select_related("aktuel_version", "offentliggjort_version").filter(
        slug=slug).first()
    if aftale is None:
        raise Http404("Aftalen findes ikke.")
    bilag = next((b for b in opendata.offentlige_bilag(aftale) if b.pk == pk), None)
    if bilag is None:
        raise Http404("Bilaget findes ikke.")
    try:
        fil = bilag.fil.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Bilaget findes ikke.") from exc
    return FileResponse(fil, filename=bilag.filnavn, content_type=bilag.indholdstype)


# --- open data ----------------------------------------------------------------------------------


def _aaben_data(request: HttpRequest, dele, content_type: str, filnavn: str) -> HttpResponse:
    stempel = opendata.aaben_data_stempel()

    def svar() -> StreamingHttpResponse:
        res = StreamingHttpResponse(dele(request.build_absolute_uri("/").rstrip("/")), content_type=content_type)
        res["Content-Disposition"] = f'inline; filename="{filnavn}"'
        res["Access-Control-Allow-Origin"] = "*"
        return res

    return betinget_svar(request, stempel=stempel.noegle, sidst_aendret=stempel.sidst_aendret, lav_svar=svar,
                         gem=False)


@require_safe
def aftaler_csv(request: HttpRequest) -> HttpResponse:
    """Every public agreement and its decisions, one row per decision (UTF-8 with BOM, comma)."""
    return _aaben_data(request, opendata.csv_linjer, "text/csv; charset=utf-8", "aftaler.csv")


@require_safe
def aftaler_json(request: HttpRequest) -> HttpResponse:
    """Every public agreement with its decisions as JSON."""
    return _aaben_data(request, opendata.json_dele, "application/json", "aftaler.json")
