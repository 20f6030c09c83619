"""Template helpers for the public agreement pages, and the agreement lists on the public cluster
and forum pages:

    {% load offentlig %}
    {% aftaler_for_klynge klynge %}   agreements the cluster implements (with status) and its local ones
    {% aftaler_for_forum forum %}     agreements the forum owns
    {% aftalekort aftaler %}          the list's cards            } rows repeated many times on a page,
    {% kortfliser kort %}             the municipality map's tiles } made with format_html rather than a
    {% beslutningsraekker raekker pdf %} the decisions table's rows } template loop (see below)
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from aftaler import sidekontekst, synlighed
from aftaler.choices import OFFENTLIGE_STATUS, Omfang
from aftaler.models import Implementering

register = template.Library()


@register.filter
def offentlig_status(aftale) -> str:
    """The state as the public sees it (an agreement under revision is in force)."""
    return synlighed.statustekst(aftale)


@register.filter
def status_badge(aftale) -> str:
    return sidekontekst.status_badge(aftale)


@register.filter
def under_revision(aftale) -> bool:
    return synlighed.har_gaeldende_version(aftale)


@register.filter
def beslutning_tekst(beslutning: str | None) -> str:
    return sidekontekst.beslutning_tekst(beslutning)


@register.filter
def beslutning_badge(beslutning: str | None) -> str:
    return sidekontekst.beslutning_badge(beslutning)


@register.filter
def filstoerrelse(antal: int) -> str:
    if antal >= 1024 * 1024:
        return f"{antal / (1024 * 1024):.1f} MB".replace(".", ",")
    return f"{max(1, round(antal / 1024))} kB"


@register.inclusion_tag("aftaler/offentlig/_klynge_aftaler.html")
def aftaler_for_klynge(klynge) -> dict:
    """Four queries: the implementation rows of the cluster's public agreements, its predecessors, its local
    ones (and its predecessors'), and their implementation rows."""
    implementeringer = list(
        Implementering.objects.filter(klynge=klynge)
        .filter(aftale__in=synlighed.offentlige_aftaler().filter(omfang=Omfang.REGIONAL))
        .select_related("aftale").only("status", "opdateret", "aftale__titel", "aftale__slug", "aftale__status",
                                       "aftale__offentliggjort_version_id", "aftale__ikrafttraedelse", "klynge_id")
        .order_by("aftale__titel"))
    # A sundhedsråd carries on the local agreements of the cluster it succeeded.
    omraader = [klynge.pk, *klynge.forgaengere.values_list("pk", flat=True)]
    lokale = list(synlighed.offentlige_aftaler().filter(omfang=Omfang.LOKAL, klynge__in=omraader)
                  .only("titel", "slug", "status", "offentliggjort_version_id", "ikrafttraedelse").order_by("titel"))
    lokale_impl = {i.aftale_id: i for i in Implementering.objects.filter(klynge=klynge,
                                                                         aftale__in=[a.pk for a in lokale])}
    for a in lokale:
        a.implementering = lokale_impl.get(a.pk)
    return {"klynge": klynge, "implementeringer": implementeringer, "lokale": lokale,
            "offentlige_status": OFFENTLIGE_STATUS}


@register.inclusion_tag("aftaler/offentlig/_forum_aftaler.html")
def aftaler_for_forum(forum) -> dict:
    """One query: the public agreements the forum owns."""
    aftaler = list(synlighed.offentlige_aftaler().filter(ejer_forum=forum).select_related("klynge")
                   .only("titel", "slug", "status", "offentliggjort_version_id", "omfang", "klynge__navn",
                         "ikrafttraedelse").order_by("titel"))
    return {"forum": forum, "aftaler": aftaler}


# --- rows repeated many times on a page ----------------------------------------------------------
# The list's 20 cards, the map's 19 tiles and the decisions table's 20 rows are most of the template
# nodes of their pages, and the template engine spends a few microseconds on each variable and tag:
# a millisecond a page. Here each row is one format_html over its ready-made words (escaped as a
# template escapes them), with the same markup, and whitespace, as the template loop it replaces.

_KORT = (
    '\n    <li class="aftalekort">\n'
    '      <h3 class="h4 aftalekort-titel"><a href="{url}">{titel}</a></h3>\n'
    '      <p class="aftalekort-status"><span class="badge {badge}">{status}</span>{revision}</p>\n'
    '      <dl class="aftalekort-fakta">\n'
    '        <div><dt>Indsatsområde</dt><dd>{omraade}</dd></div>\n'
    '        <div><dt>Omfang</dt><dd>{omfang}</dd></div>\n'
    '        {ejer}\n'
    '        {indstillet}\n'
    '        {godkendt}\n'
    '        {ikraft}\n'
    '      </dl>\n'
    '      {uddrag}\n'
    '    </li>\n    '
)
_UNDER_REVISION = mark_safe(' <span class="meta-tekst">· en ny version er under behandling</span>')
_FAKTUM = '<div><dt>{}</dt><dd>{}</dd></div>'


def _faktum(navn: str, vaerdi: str) -> SafeString | str:
    return format_html(_FAKTUM, navn, vaerdi) if vaerdi else ""


@register.simple_tag
def aftalekort(kort: list[dict]) -> SafeString:
    """The list's cards (aftaler.views.soegning._aftalekort), each an <li>."""
    return mark_safe("".join(format_html(
        _KORT, url=a["url"], titel=a["titel"], badge=a["badge"], status=a["status"],
        revision=_UNDER_REVISION if a["under_revision"] else "", omraade=a["omraade"], omfang=a["omfang"],
        ejer=_faktum("Ejer", a["ejer"]), indstillet=_faktum("Indstillet", a["indstillet"]),
        godkendt=_faktum("Godkendt", a["godkendt"]), ikraft=_faktum("I kraft fra", a["ikraft"]),
        uddrag=format_html('<p class="aftalekort-uddrag">{}</p>', a["uddrag"]) if a["uddrag"] is not None else "",
    ) for a in kort))


_FLISE = (
    '\n    <g transform="translate({x} {y})">\n'
    '      <title>{titel}</title>\n'
    '      <rect width="{bredde}" height="{hoejde}" rx="4" fill="{fyld}" stroke="{kant}" stroke-width="2"{stiplet}/>\n'
    '      <text x="8" y="22" font-size="13" fill="#1a1a1a">{linje}</text>{linje2}\n'
    '      <text x="{bogstav_x}" y="{bogstav_y}" font-size="17" font-weight="bold" text-anchor="end" '
    'fill="#1a1a1a">{bogstav}</text>\n'
    '    </g>\n    '
)
_STIPLET = mark_safe(' stroke-dasharray="5 3"')


@register.simple_tag
def kortfliser(kort: dict) -> SafeString:
    """The municipality map's tiles (aftaler.kommunekort), each an SVG <g>."""
    return mark_safe("".join(format_html(
        _FLISE, x=f["x"], y=f["y"], titel=f["titel"], bredde=kort["flise_bredde"], hoejde=kort["flise_hoejde"],
        fyld=f["fyld"], kant=f["kant"], stiplet=_STIPLET if f["stiplet"] else "", linje=f["linje"],
        linje2=format_html('<text x="8" y="38" font-size="13" fill="#1a1a1a">{}</text>', f["linje2"])
        if f["linje2"] is not None else "",
        bogstav_x=kort["bogstav_x"], bogstav_y=kort["bogstav_y"], bogstav=f["bogstav"],
    ) for f in kort["fliser"]))


_BESLUTNING = (
    '\n      <tr>\n'
    '        <th scope="row">{navn}</th>\n'
    '        <td><span class="badge {badge}">{tekst}</span></td>\n'
    '        <td>{dato}</td>\n'
    '        <td>{sagsnummer}</td>\n'
    '        <td>{referat}</td>\n'
    '        <td>{bemaerkning}{udsat}</td>\n'
    '      </tr>\n      '
)


def _referat(r: dict, pdf: bool) -> SafeString | str:
    if not r["referat_url"]:
        return "–"
    if pdf:  # the address as text: a link in a PDF is no use on paper
        return r["referat_url"]
    return format_html('<a href="{}">Referat<span class="sr-only"> fra {}</span></a>', r["referat_url"], r["navn"])


def _udsat(dato: str, bemaerkning: str) -> SafeString:
    if bemaerkning:
        return format_html('<br><span class="meta-tekst">Udsat {}: {}</span>', dato, bemaerkning)
    return format_html('<br><span class="meta-tekst">Udsat {}</span>', dato)


@register.simple_tag
def beslutningsraekker(raekker: list[dict], pdf: bool = False) -> SafeString:
    """The decisions table's rows (sidekontekst.beslutningsraekker), each a <tr>; `pdf`: for the PDF."""
    return mark_safe("".join(format_html(
        _BESLUTNING, navn=r["navn"], badge=r["badge"], tekst=r["tekst"], dato=r["dato"], sagsnummer=r["sagsnummer"],
        referat=_referat(r, pdf), bemaerkning=r["bemaerkning"],
        udsat=mark_safe("".join(_udsat(dato, bemaerkning) for dato, bemaerkning in r["udsat_foer"])),
    ) for r in raekker))
