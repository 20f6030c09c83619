"""What makes the public pages fast (issue 9, part 3) gives the same answers as the plain ORM: the
reads compiled once (aftaler.forberedt), the list's filter choices, the words, dates and addresses
made once per page, and the indexes of migration 0009 that the planner must be able to use."""

import datetime

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftaler import forberedt, search, sidekontekst, synlighed
from aftaler.choices import Status
from aftaler.models import AftaleVersion, Indsatsomraade, Samarbejdsaftale
from organisation.models import Forum, Klynge

pytestmark = pytest.mark.django_db

POSTGRES = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="Forberedte forespørgsler er PostgreSQL")


@pytest.fixture(params=[True, False], ids=["forberedt", "orm"])
def forbered(request, monkeypatch):
    """Run a test with the reads prepared (PostgreSQL) and as plain ORM queries."""
    monkeypatch.setattr(forberedt, "FORBERED", request.param)
    return request.param


def test_a_prepared_read_gives_the_orms_rows(lav_aftale, forbered):
    a = lav_aftale(Status.I_KRAFT, titel="Aftale om rygestop")
    b = lav_aftale(Status.INDSTILLET, titel="Aftale om demens")
    laes = forberedt.Forberedt("test_versioner", ["bigint", "bigint"], lambda pk, fra: (
        AftaleVersion.objects.filter(aftale_id__in=[pk, fra]).order_by("aftale_id", "nummer")
        .values_list("aftale_id", "nummer", "oprettet", "frossen")))
    for _ in range(2):  # compiled the first time, then only run
        raekker = laes.laes(a.pk, b.pk)
        orm = list(AftaleVersion.objects.filter(aftale_id__in=[a.pk, b.pk]).order_by("aftale_id", "nummer")
                   .values_list("aftale_id", "nummer", "oprettet", "frossen"))
        assert [tuple(r) for r in raekker] == orm
        assert raekker[0].nummer == 1 and isinstance(raekker[0].oprettet, datetime.datetime)


def test_a_prepared_read_takes_none_as_an_argument(lav_aftale, forbered):
    a = lav_aftale(Status.I_KRAFT)
    laes = forberedt.Forberedt("test_ingen", ["bigint"], lambda pk: (
        Samarbejdsaftale.objects.filter(pk__in=[pk]).values_list("titel")))
    assert [r.titel for r in laes.laes(a.pk)] == [a.titel]
    assert laes.laes(None) == []


@POSTGRES
def test_an_argument_that_is_not_a_value_of_the_query_is_refused(monkeypatch):
    monkeypatch.setattr(forberedt, "FORBERED", True)
    laes = forberedt.Forberedt("test_ubrugt", ["bigint"], lambda pk: Samarbejdsaftale.objects.values_list("pk"))
    with pytest.raises(ValueError, match="argument 1"):
        laes.laes(1)


@POSTGRES
def test_a_read_planned_each_time_writes_its_values_in_safely(lav_aftale, monkeypatch):
    monkeypatch.setattr(forberedt, "FORBERED", True)
    a = lav_aftale(Status.I_KRAFT, titel="O'Brien's aftale")
    laes = forberedt.Forberedt("test_planlaeg", ["text", "bigint"], lambda titel, pk: (
        Samarbejdsaftale.objects.filter(titel=titel, pk__in=[pk]).values_list("pk")), planlaeg=True)
    assert [r.pk for r in laes.laes("O'Brien's aftale", a.pk)] == [a.pk]
    # A value that looks like another argument's placeholder is only a value.
    assert laes.laes("918273645546372801", a.pk) == []


def test_the_filter_choices_are_the_orms(lav_aftale, struktur, forbered):
    gruppe = struktur["fora"]["temagruppe"]
    lav_aftale(Status.I_KRAFT, ejer_forum=gruppe)
    lav_aftale(Status.UDKAST, ejer_forum=struktur["fora"]["klynge_adm"])  # a draft's owner is not offered
    omraader, klynger, ejere = sidekontekst.filtervalg()
    felter = ("pk", "slug", "navn")
    assert omraader == list(Indsatsomraade.objects.order_by("sundhedsaftale", "sortering", "navn")
                            .values_list(*felter))
    assert klynger == list(Klynge.objects.aktive().order_by("navn").values_list(*felter))
    ejer = synlighed.offentlige_aftaler().filter(ejer_forum=OuterRef("pk"))
    assert ejere == list(Forum.objects.filter(Exists(ejer)).order_by("navn").values_list(*felter))
    assert [slug for _, slug, _ in ejere] == [gruppe.slug]


def test_the_agreement_page_reads_what_the_orm_reads(lav_aftale, struktur, forbered):
    gruppe = struktur["fora"]["temagruppe"]
    aftale = lav_aftale(Status.I_KRAFT, titel="Hovedaftale", ejer_forum=gruppe)
    lav_aftale(Status.INDSTILLET, titel="Søsteraftale", ejer_forum=gruppe)
    side = sidekontekst.aftale_til_side(aftale.pk)
    orm = sidekontekst.aftaler_til_visning().get(pk=aftale.pk)
    assert side.aftale.titel == orm.titel and side.aftale.ejer_forum.navn == gruppe.navn
    assert synlighed.vist_version(side.aftale).tekst == synlighed.vist_version(orm).tekst
    assert [v.nummer for v in side.versioner] == [v.nummer for v in synlighed.offentlige_versioner(orm)
                                                  .order_by("-nummer")]
    fra_side = sidekontekst.aftale_visning(side.aftale, partdata=side.partdata, godkendelser=side.beslutninger)
    fra_orm = sidekontekst.aftale_visning(orm)
    assert fra_side["beslutningsraekker"] == fra_orm["beslutningsraekker"]
    assert fra_side["kort"] == fra_orm["kort"]
    assert [r["titel"] for r in side.relaterede] == ["Søsteraftale"]
    assert sidekontekst.aftale_til_side(lav_aftale(Status.UDKAST).pk) is None


def test_addresses_made_once_are_reverses(lav_aftale):
    adresse = sidekontekst.Adresser("aftale-detalje")
    for slug in ("aftale-om-demens", "a_b-9", "2024"):
        assert adresse(slug) == reverse("aftale-detalje", args=[slug])
    version = sidekontekst.Adresser("aftale-version", "aftale-om-demens")
    assert version(3) == reverse("aftale-version", args=["aftale-om-demens", 3])


def test_dates_made_once_are_the_date_filters():
    tidspunkt = timezone.make_aware(datetime.datetime(2024, 3, 5, 23, 30), datetime.UTC)  # 6 March in Denmark
    for format_ in ("DATE_FORMAT", "SHORT_DATE_FORMAT"):
        dato = sidekontekst.datoformat(format_)
        for vaerdi in (datetime.date(2024, 3, 5), tidspunkt, None):
            forventet = Template(f'{{{{ v|date:"{format_}" }}}}').render(Context({"v": vaerdi}))
            assert dato(vaerdi) == forventet


def test_a_search_does_not_write_when_the_index_is_current(client, lav_aftale):
    from django.core.cache import cache

    lav_aftale(Status.I_KRAFT, titel="Aftale om demens")
    search.indeks_synkroniser()
    cache.clear()  # as after a change: the search first asks whether the index is current
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/aftaler/?q=demens").status_code == 200
    skriver = [q["sql"] for q in queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert skriver == []
    assert search.indeks_er_aktuelt()


@POSTGRES
def test_migration_0009s_indexes_serve_the_public_list():
    """The partial indexes repeat the public filter (aftaler.models.offentlig_q): the planner must
    still be able to use them for the list's count and its default order."""
    with connection.cursor() as c:
        # (Inside the test's transaction, rolled back after it: with few rows the planner would take
        # the table or the general title index, which is not what is asked here.)
        c.execute("SET LOCAL enable_seqscan = off")
        c.execute("SET LOCAL enable_bitmapscan = off")
        c.execute("DROP INDEX aftaler_samarbejdsaftale_titel_id")
        offentlige = synlighed.offentlige_aftaler()
        for qs in (offentlige.order_by().values_list("pk"),
                   offentlige.filter(synlighed.offentlig_status_q(Status.I_KRAFT), omfang="regional")
                   .order_by().values_list("pk"),
                   offentlige.order_by("titel", "pk").values_list("pk")[:20]):
            sql, parametre = qs.query.sql_with_params()
            c.execute("EXPLAIN " + sql, parametre)
            plan = "\n".join(r[0] for r in c.fetchall())
            assert "aftaler_offentlig_" in plan, plan
        c.execute("SELECT attstorage FROM pg_attribute WHERE attrelid = 'aftaler_soegeindeks'::regclass "
                  "AND attname = 'vektor'")
        assert c.fetchone()[0] == "m"  # the search vector is kept in the row (STORAGE MAIN)


# The rows the tags of aftaler/templatetags/offentlig.py make, against the template loops they replace.
_KORT_LOEKKE = """{% for a in aftaler %}
    <li class="aftalekort">
      <h3 class="h4 aftalekort-titel"><a href="{{ a.url }}">{{ a.titel }}</a></h3>
      <p class="aftalekort-status"><span class="badge {{ a.badge }}">{{ a.status }}</span>{% if a.under_revision %} <span class="meta-tekst">· en ny version er under behandling</span>{% endif %}</p>
      <dl class="aftalekort-fakta">
        <div><dt>Indsatsområde</dt><dd>{{ a.omraade }}</dd></div>
        <div><dt>Omfang</dt><dd>{{ a.omfang }}</dd></div>
        {% if a.ejer %}<div><dt>Ejer</dt><dd>{{ a.ejer }}</dd></div>{% endif %}
        {% if a.indstillet %}<div><dt>Indstillet</dt><dd>{{ a.indstillet }}</dd></div>{% endif %}
        {% if a.godkendt %}<div><dt>Godkendt</dt><dd>{{ a.godkendt }}</dd></div>{% endif %}
        {% if a.ikraft %}<div><dt>I kraft fra</dt><dd>{{ a.ikraft }}</dd></div>{% endif %}
      </dl>
      {% if a.uddrag is not None %}<p class="aftalekort-uddrag">{{ a.uddrag }}</p>{% endif %}
    </li>
    {% endfor %}"""  # noqa: E501
_FLISE_LOEKKE = """{% for f in kort.fliser %}
    <g transform="translate({{ f.x }} {{ f.y }})">
      <title>{{ f.titel }}</title>
      <rect width="{{ kort.flise_bredde }}" height="{{ kort.flise_hoejde }}" rx="4" fill="{{ f.fyld }}" stroke="{{ f.kant }}" stroke-width="2"{% if f.stiplet %} stroke-dasharray="5 3"{% endif %}/>
      <text x="8" y="22" font-size="13" fill="#1a1a1a">{{ f.linje }}</text>{% if f.linje2 is not None %}<text x="8" y="38" font-size="13" fill="#1a1a1a">{{ f.linje2 }}</text>{% endif %}
      <text x="{{ kort.bogstav_x }}" y="{{ kort.bogstav_y }}" font-size="17" font-weight="bold" text-anchor="end" fill="#1a1a1a">{{ f.bogstav }}</text>
    </g>
    {% endfor %}"""  # noqa: E501
_BESLUTNING_LOEKKE = """{% for r in beslutningsraekker %}
      <tr>
        <th scope="row">{{ r.navn }}</th>
        <td><span class="badge {{ r.badge }}">{{ r.tekst }}</span></td>
        <td>{{ r.dato }}</td>
        <td>{{ r.sagsnummer }}</td>
        <td>{% if r.referat_url %}{% if pdf %}{{ r.referat_url }}{% else %}<a href="{{ r.referat_url }}">Referat<span class="sr-only"> fra {{ r.navn }}</span></a>{% endif %}{% else %}–{% endif %}</td>
        <td>{{ r.bemaerkning }}{% for dato, bemaerkning in r.udsat_foer %}<br><span class="meta-tekst">Udsat {{ dato }}{% if bemaerkning %}: {{ bemaerkning }}{% endif %}</span>{% endfor %}</td>
      </tr>
      {% endfor %}"""  # noqa: E501


def _som_skabelon(kode: str, **kontekst) -> str:
    return Template("{% load offentlig %}" + kode).render(Context(kontekst))


def test_the_cards_made_by_the_tag_are_the_template_loops():
    from django.utils.safestring import mark_safe

    faelles = {"url": "/aftaler/a-b/", "badge": "badge-info", "status": "Indstillet", "omraade": "Ældre & <børn>",
               "omfang": "Regional", "indstillet": "5. marts 2024", "godkendt": "", "ikraft": ""}
    kort = [
        {**faelles, "titel": "Aftale om <demens>", "under_revision": False, "ejer": "", "uddrag": None},
        {**faelles, "titel": mark_safe("Aftale om <mark>demens</mark>"), "under_revision": True,
         "ejer": "Temagruppe \"Ældre\"", "godkendt": "1. april 2024", "ikraft": "1. maj 2024",
         "uddrag": mark_safe("… om <mark>demens</mark> …")},
        {**faelles, "titel": "O'Briens aftale", "under_revision": False, "ejer": "x", "uddrag": "Kort & godt"},
    ]
    assert _som_skabelon("{% aftalekort aftaler %}", aftaler=kort) == _som_skabelon(_KORT_LOEKKE, aftaler=kort)
    assert _som_skabelon("{% aftalekort aftaler %}", aftaler=[]) == ""


def test_the_tiles_made_by_the_tag_are_the_template_loops():
    from aftaler.kommunekort import kommunekort
    from organisation.models import Part

    class Fremdrift:
        parter = []

    kommuner = [Part(pk=i, navn=navn, kortnavn=navn, slug=slug, type="kommune") for i, (navn, slug) in enumerate(
        [("Aarhus", "aarhus"), ("Ringkøbing-Skjern", "ringkoebing-skjern"), ("Ukendt <by>", "ukendt")], start=1)]
    kort = kommunekort(Fremdrift(), kommuner)
    assert any(f["linje2"] for f in kort["fliser"]) and all(f["stiplet"] for f in kort["fliser"])
    assert _som_skabelon("{% kortfliser kort %}", kort=kort) == _som_skabelon(_FLISE_LOEKKE, kort=kort)


@pytest.mark.parametrize("pdf", [True, False])
def test_the_decision_rows_made_by_the_tag_are_the_template_loops(pdf):
    raekker = [
        {"navn": "Aarhus Kommune", "badge": "badge-success", "tekst": "Godkendt", "dato": "05.03.2024",
         "sagsnummer": "24/1", "referat_url": "https://example.dk/r?a=1&b=2", "bemaerkning": "<ok>",
         "udsat_foer": [("01.02.2024", "Mangler bilag"), ("15.02.2024", "")]},
        {"navn": "Region <Midt>", "badge": "badge-info", "tekst": "Afventer", "dato": "–", "sagsnummer": "–",
         "referat_url": "", "bemaerkning": "", "udsat_foer": []},
    ]
    assert (_som_skabelon("{% beslutningsraekker raekker pdf %}", raekker=raekker, pdf=pdf)
            == _som_skabelon(_BESLUTNING_LOEKKE, beslutningsraekker=raekker, pdf=pdf))
