"""The pages of councils, clusters and parties under /arbejde/: decisions, progress, consultation,
implementation, pilots and "Mine opgaver". Writes go through the pages (and so the services);
outsiders and other authorities get 404 and change nothing."""

import datetime

import pytest
from django.db import connection
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftaler import services
from aftaler.choices import Beslutning, ImplementeringStatus, Status
from aftaler.models import Godkendelse, Hoeringssvar, Implementering, Proevehandling, Samarbejdsaftale
from aftaler.workflow import Handling
from sundhed.models import Haendelse
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = pytest.mark.django_db

DATO = I_DAG.strftime("%d.%m.%Y")


def url(navn: str, *args) -> str:
    return reverse(f"arbejde:{navn}", args=args)


def beslutning_url(aftale, part) -> str:
    return url("beslutning-registrer", aftale.slug, part.slug)


def logget_ind(client, user):
    client.force_login(user)
    return client


def beslut(aftale, part, bruger, beslutning=Beslutning.GODKENDT, **kw):
    return services.godkendelse_registrer(aftale=_frisk(aftale), part=part, bruger=bruger, beslutning=beslutning,
                                          dato=kw.pop("dato", I_DAG), **kw)


# --- decisions -----------------------------------------------------------------------------------


def test_a_municipality_records_its_own_decision_through_the_page(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["kommune_a"])
    side = client.get(beslutning_url(aftale, struktur["kommune_a"]))
    assert side.status_code == 200
    html = side.content.decode()
    assert "Version 1" in html and OM_EN_MAANED.strftime("%Y") in html
    for valg in ("Godkendt", "Afvist", "Udsat"):
        assert f">{valg}</label>" in html
    svar = client.post(beslutning_url(aftale, struktur["kommune_a"]), {
        "beslutning": "godkendt", "dato": DATO, "sagsnummer": "21/7419",
        "referat_url": "https://www.kommune-a.dk/referat", "bemaerkning": "Uden bemærkninger",
    })
    assert svar.status_code == 302 and svar.url == url("godkendelser", aftale.slug)
    g = Godkendelse.objects.get()
    assert (g.part, g.beslutning, g.dato, g.sagsnummer) == (struktur["kommune_a"], "godkendt", I_DAG, "21/7419")
    assert g.registreret_af == personas["kommune_a"] and g.version == aftale.aktuel_version
    assert Haendelse.objects.filter(handling="beslutning", objekt_id=str(aftale.pk)).exists()
    tabel = client.get(svar.url).content.decode()
    assert "1 af 4 godkendt" in tabel and "21/7419" in tabel
    assert "er registreret: godkendt" in tabel  # the success message after the redirect


def test_a_municipality_cannot_record_for_another_and_nothing_changes(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["kommune_a"])
    anden = beslutning_url(aftale, struktur["kommune_b"])
    assert client.get(anden).status_code == 404
    assert client.post(anden, {"beslutning": "godkendt", "dato": DATO}).status_code == 404
    assert not Godkendelse.objects.exists()


@pytest.mark.parametrize("persona", ["udenforstaaende", "klynge", "sekretariat", "kommune_b"])
def test_only_the_authoritys_own_secretariat_has_the_decision_page(client, lav_aftale, personas, struktur, persona):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas[persona])
    assert client.post(beslutning_url(aftale, struktur["kommune_a"]),
                       {"beslutning": "godkendt", "dato": DATO}).status_code == 404
    assert not Godkendelse.objects.exists()


def test_the_decision_page_needs_a_login(client, lav_aftale, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    svar = client.get(beslutning_url(aftale, struktur["kommune_a"]))
    assert svar.status_code == 302 and svar.url.startswith(reverse("login"))


@pytest.mark.parametrize("status", [Status.UDKAST, Status.HOERING, Status.GODKENDT, Status.I_KRAFT])
def test_decision_pages_are_404_unless_the_agreement_awaits_decisions(client, lav_aftale, personas, struktur, status):
    aftale = lav_aftale(status)
    foer = Godkendelse.objects.count()
    logget_ind(client, personas["kommune_a"])
    assert client.get(beslutning_url(aftale, struktur["kommune_a"])).status_code == 404
    assert client.post(beslutning_url(aftale, struktur["kommune_a"]),
                       {"beslutning": "godkendt", "dato": DATO}).status_code == 404
    assert Godkendelse.objects.count() == foer


def test_a_future_date_gives_a_danish_error_at_the_field_and_keeps_the_input(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["kommune_a"])
    i_morgen = (I_DAG + datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    svar = client.post(beslutning_url(aftale, struktur["kommune_a"]), {
        "beslutning": "afvist", "dato": i_morgen, "sagsnummer": "24/1234", "bemaerkning": "Økonomien mangler",
    })
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "Beslutningsdatoen kan ikke ligge i fremtiden." in html
    assert svar.context["form"].errors["dato"] == ["Beslutningsdatoen kan ikke ligge i fremtiden."]
    assert f'value="{i_morgen}"' in html and 'value="24/1234"' in html and "Økonomien mangler" in html
    assert 'value="afvist" class="form-radio" id="id_beslutning_1" required checked' in html
    assert 'aria-invalid="true"' in html
    assert not Godkendelse.objects.exists()


def test_an_unreadable_date_is_refused_in_danish(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["kommune_a"])
    svar = client.post(beslutning_url(aftale, struktur["kommune_a"]), {"beslutning": "godkendt", "dato": "i går"})
    assert "Skriv en gyldig dato som dd.mm.åååå" in svar.content.decode()
    assert not Godkendelse.objects.exists()


def test_after_a_final_decision_the_page_shows_it_instead_of_the_form(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    beslut(aftale, struktur["kommune_a"], personas["kommune_a"], Beslutning.UDSAT, sagsnummer="24/1")
    logget_ind(client, personas["kommune_a"])
    html = client.get(beslutning_url(aftale, struktur["kommune_a"])).content.decode()
    assert "Tidligere udsat" in html and "<form" in html.split("main-content")[1]
    beslut(aftale, struktur["kommune_a"], personas["kommune_a"], Beslutning.AFVIST, sagsnummer="24/2")
    svar = client.get(beslutning_url(aftale, struktur["kommune_a"]))
    html = svar.content.decode()
    assert svar.context["form"] is None
    assert "Registreret beslutning" in html and ">Afvist</span>" in html and "24/2" in html
    # A second final decision through the page is refused by the service, nothing is added.
    client.post(beslutning_url(aftale, struktur["kommune_a"]), {"beslutning": "godkendt", "dato": DATO})
    assert Godkendelse.objects.count() == 2


# --- progress ------------------------------------------------------------------------------------


def test_the_progress_page_shows_x_af_y_with_the_table(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    beslut(aftale, struktur["kommune_a"], personas["kommune_a"], sagsnummer="21/7419",
           referat_url="https://kommune-a.dk/referat")
    beslut(aftale, struktur["kommune_b"], personas["kommune_b"], Beslutning.UDSAT, bemaerkning="Udsat til næste møde")
    logget_ind(client, personas["udenforstaaende"])  # the agreement is public from `indstillet` on
    svar = client.get(url("godkendelser", aftale.slug))
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "1 af 4 godkendt" in html
    assert "21/7419" in html and 'href="https://kommune-a.dk/referat"' in html and "Udsat til næste møde" in html
    assert "Registrér beslutning" not in html
    f = svar.context["fremdrift"]
    assert (f.godkendt, f.afvist, f.udsat, f.mangler) == (1, 0, 1, 2)
    assert OM_EN_MAANED.strftime("%Y") in html


def test_the_progress_page_links_the_users_own_missing_decision(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["kommune_a"])
    html = client.get(url("godkendelser", aftale.slug)).content.decode()
    assert html.count(beslutning_url(aftale, struktur["kommune_a"])) == 1
    assert beslutning_url(aftale, struktur["kommune_b"]) not in html


def test_decisions_on_earlier_versions_are_shown_apart(client, lav_aftale, personas, struktur, udvalg):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.INDSTILLET)
    beslut(aftale, struktur["kommune_b"], personas["kommune_b"], Beslutning.AFVIST, sagsnummer="B-afvist")
    services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.SEND_RETUR)
    aftale = _frisk(aftale)
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Version to</p>")
    services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                             beslutningsfrist=OM_EN_MAANED)
    logget_ind(client, personas["kommune_a"])
    svar = client.get(url("godkendelser", aftale.slug))
    html = svar.content.decode()
    assert "Version 2: 0 af 4 godkendt" in html
    nuvaerende, tidligere = html.split("Tidligere versioner")
    assert "B-afvist" not in nuvaerende and "B-afvist" in tidligere and "Version 1" in tidligere


def test_the_progress_page_is_404_for_a_draft_the_user_may_not_see(client, lav_aftale, personas):
    aftale = lav_aftale(Status.UDKAST)
    logget_ind(client, personas["kommune_a"])
    assert client.get(url("godkendelser", aftale.slug)).status_code == 404


# --- consultation --------------------------------------------------------------------------------


def test_a_cluster_answers_a_consultation_for_itself(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.HOERING)
    logget_ind(client, personas["klynge"])
    side = url("hoering-svar", aftale.slug, "klynge", "klynge-et")
    assert client.get(side).status_code == 200
    svar = client.post(side, {"tekst": "Klyngen støtter aftalen.\n\nMen tidsplanen er stram & kort."})
    assert svar.status_code == 302
    hs = Hoeringssvar.objects.get()
    assert hs.klynge == struktur["klynge"] and hs.part is None and hs.afgivet_af == personas["klynge"]
    assert hs.tekst == "<p>Klyngen støtter aftalen.</p><p>Men tidsplanen er stram &amp; kort.</p>"
    # The page shows the answer again, as plain text, to edit; a new answer replaces it.
    html = client.get(side).content.decode()
    assert "Men tidsplanen er stram &amp; kort.</textarea>" in html and "Ret høringssvaret" in html
    client.post(side, {"tekst": "Rettet svar"})
    assert Hoeringssvar.objects.get().tekst == "<p>Rettet svar</p>"


def test_a_cluster_cannot_answer_for_another_cluster_or_a_party(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.HOERING)
    logget_ind(client, personas["klynge"])
    for side in (url("hoering-svar", aftale.slug, "klynge", "klynge-to"),
                 url("hoering-svar", aftale.slug, "part", "kommune-a"),
                 url("hoering-svar", aftale.slug, "noget", "klynge-et")):
        assert client.get(side).status_code == 404
        assert client.post(side, {"tekst": "Forfalsket"}).status_code == 404
    assert not Hoeringssvar.objects.exists()


def test_a_municipality_answers_for_its_party_only_during_consultation(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.HOERING)
    logget_ind(client, personas["kommune_a"])
    assert client.post(url("hoering-svar", aftale.slug, "part", "kommune-a"), {"tekst": "Ja"}).status_code == 302
    assert Hoeringssvar.objects.get().part == struktur["kommune_a"]
    empty = client.post(url("hoering-svar", aftale.slug, "part", "kommune-a"), {"tekst": "  "})
    assert "Skriv et høringssvar." in empty.content.decode()
    indstillet = lav_aftale(Status.INDSTILLET, titel="Indstillet aftale")
    assert client.get(url("hoering-svar", indstillet.slug, "part", "kommune-a")).status_code == 404


def test_the_secretariat_sees_all_answers_side_by_side_with_who_is_missing(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.HOERING)
    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["kommune_a"], afsender=struktur["kommune_a"],
                                tekst="<p>Kommune A støtter.</p>")
    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["klynge"], afsender=struktur["klynge"],
                                tekst="<p>Klyngen har bemærkninger.</p>")
    logget_ind(client, personas["sekretariat"])
    svar = client.get(url("hoeringssvar-oversigt", aftale.slug))
    assert svar.status_code == 200
    html = svar.content.decode()
    assert "<p>Kommune A støtter.</p>" in html and "<p>Klyngen har bemærkninger.</p>" in html
    (runde,) = svar.context["runder"]
    assert {str(a) for a in runde.mangler} == {"Kommune B", "Kommune C", "Region Midtjylland", "Klynge To"}
    assert "Har ikke svaret (4)" in html


@pytest.mark.parametrize("persona", ["kommune_a", "klynge", "udenforstaaende"])
def test_the_side_by_side_page_is_404_for_others(client, lav_aftale, personas, persona):
    aftale = lav_aftale(Status.HOERING)
    logget_ind(client, personas[persona])
    assert client.get(url("hoeringssvar-oversigt", aftale.slug)).status_code == 404


# --- implementation ------------------------------------------------------------------------------


def test_a_cluster_member_updates_only_its_own_cluster(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.I_KRAFT)
    logget_ind(client, personas["klynge"])
    egen = url("implementering-rediger", aftale.slug, "klynge-et")
    assert client.get(egen).status_code == 200
    svar = client.post(egen, {"status": "i_gang", "note": "Startet i januar"})
    assert svar.status_code == 302 and svar.url == url("implementering-matrix")
    impl = Implementering.objects.get(aftale=aftale, klynge=struktur["klynge"])
    assert (impl.status, impl.note, impl.opdateret_af) == ("i_gang", "Startet i januar", personas["klynge"])
    anden = url("implementering-rediger", aftale.slug, "klynge-to")
    assert client.get(anden).status_code == 404
    assert client.post(anden, {"status": "implementeret"}).status_code == 404
    assert Implementering.objects.get(aftale=aftale, klynge=struktur["anden_klynge"]).status == "ikke_startet"


def test_the_secretariat_may_update_any_cluster(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.I_KRAFT)
    logget_ind(client, personas["sekretariat"])
    client.post(url("implementering-rediger", aftale.slug, "klynge-to"), {"status": "implementeret"})
    assert Implementering.objects.get(aftale=aftale, klynge=struktur["anden_klynge"]).status == "implementeret"


def test_implementation_cannot_be_recorded_before_the_agreement_is_in_force(client, lav_aftale, personas):
    aftale = lav_aftale(Status.GODKENDT)
    logget_ind(client, personas["klynge"])
    assert client.get(url("implementering-rediger", aftale.slug, "klynge-et")).status_code == 404


def test_the_matrix_shows_status_in_words_and_links_only_own_cells(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.I_KRAFT)
    services.implementering_opdater(aftale=aftale, klynge=struktur["anden_klynge"], bruger=personas["sekretariat"],
                                    status=ImplementeringStatus.IMPLEMENTERET)
    lav_aftale(Status.GODKENDT, titel="Endnu ikke i kraft")
    logget_ind(client, personas["klynge"])
    svar = client.get(url("implementering-matrix"))
    assert svar.status_code == 200
    html = svar.content.decode()
    assert ">Ikke startet</span>" in html and ">Implementeret</span>" in html
    assert url("implementering-rediger", aftale.slug, "klynge-et") in html
    assert url("implementering-rediger", aftale.slug, "klynge-to") not in html
    assert "Endnu ikke i kraft" not in html


@pytest.mark.parametrize("persona", ["kommune_a", "udenforstaaende"])
def test_the_matrix_is_404_for_those_outside_the_clusters(client, personas, persona):
    logget_ind(client, personas[persona])
    assert client.get(url("implementering-matrix")).status_code == 404


def _antal_forespoergsler(client, side: str) -> int:
    client.get(side)  # warm the per-process caches (content types) so both counts start alike
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(side).status_code == 200
    return len(ctx.captured_queries)


def test_the_matrix_runs_the_same_number_of_queries_for_1_and_20_agreements(client, lav_aftale, personas):
    lav_aftale(Status.I_KRAFT, titel="Aftale 0")
    logget_ind(client, personas["klynge"])
    en = _antal_forespoergsler(client, url("implementering-matrix"))
    for n in range(1, 20):
        lav_aftale(Status.I_KRAFT, titel=f"Aftale {n}")
    assert Samarbejdsaftale.objects.filter(status=Status.I_KRAFT).count() == 20
    assert _antal_forespoergsler(client, url("implementering-matrix")) == en


# --- pilots --------------------------------------------------------------------------------------


def test_pilot_flow_from_the_cluster_to_a_new_agreement(client, personas, struktur):
    klynge = logget_ind(client, personas["klynge"])
    assert "Ny prøvehandling" in klynge.get(url("proevehandling-liste")).content.decode()
    svar = klynge.post(url("proevehandling-ny"), {
        "klynge": struktur["klynge"].pk, "titel": "Fremskudt visitation", "beskrivelse": "Visitation i hjemmet",
        "periode_fra": "01.01.2025", "periode_til": "31.12.2025", "resultater": "Færre genindlæggelser",
    })
    ph = Proevehandling.objects.get()
    assert svar.status_code == 302 and svar.url == url("proevehandling", ph.slug)
    assert (ph.klynge, ph.periode_fra) == (struktur["klynge"], datetime.date(2025, 1, 1))
    # The cluster edits its pilot; a period ending before it starts is refused at the field.
    forkert = klynge.post(url("proevehandling", ph.slug), {
        "handling": "gem", "klynge": struktur["klynge"].pk, "titel": "Fremskudt visitation",
        "periode_fra": "01.01.2025", "periode_til": "01.01.2024"})
    assert forkert.context["form"].errors["periode_til"] == ["Slutdatoen kan ikke ligge før startdatoen."]
    # The cluster may not record the presentation nor start an agreement.
    assert klynge.post(url("proevehandling", ph.slug), {"handling": "praesenteret",
                                                        "praesentation-praesenteret_dato": DATO}).status_code == 404
    assert _frisk(ph).praesenteret_dato is None

    sek = logget_ind(client, personas["sekretariat"])
    html = sek.get(url("proevehandling", ph.slug)).content.decode()
    assert "Start samarbejdsaftale" not in html  # not before it has been presented
    svar = sek.post(url("proevehandling", ph.slug), {"handling": "praesenteret",
                                                     "praesentation-praesenteret_dato": DATO})
    assert svar.status_code == 302 and _frisk(ph).praesenteret_dato == I_DAG
    svar = sek.post(url("proevehandling", ph.slug), {"handling": "start_aftale", "start-titel": ""})
    aftale = Samarbejdsaftale.objects.get(proevehandling=ph)
    assert svar.status_code == 302 and svar.url == url("aftale", aftale.slug)
    assert aftale.titel == "Fremskudt visitation" and aftale.oprindelse == "proevehandling"
    assert url("aftale", aftale.slug) in sek.get(url("proevehandling", ph.slug)).content.decode()


def test_pilots_are_visible_to_their_cluster_and_the_secretariat_only(client, personas, struktur):
    egen = services.proevehandling_gem(bruger=personas["klynge"], klynge=struktur["klynge"], titel="Egen")
    anden = services.proevehandling_gem(bruger=personas["sekretariat"], klynge=struktur["anden_klynge"],
                                        titel="Anden klynges")
    logget_ind(client, personas["klynge"])
    liste = client.get(url("proevehandling-liste")).content.decode()
    assert "Egen" in liste and "Anden klynges" not in liste
    assert client.get(url("proevehandling", anden.slug)).status_code == 404
    assert client.post(url("proevehandling", anden.slug), {"handling": "gem", "titel": "x"}).status_code == 404
    assert client.get(url("proevehandling", egen.slug)).status_code == 200
    logget_ind(client, personas["kommune_a"])
    assert client.get(url("proevehandling-liste")).status_code == 404
    assert client.get(url("proevehandling-ny")).status_code == 404
    assert client.get(url("proevehandling", egen.slug)).status_code == 404


def test_a_cluster_cannot_create_a_pilot_for_another_cluster(client, personas, struktur):
    logget_ind(client, personas["klynge"])
    svar = client.post(url("proevehandling-ny"), {"klynge": struktur["anden_klynge"].pk, "titel": "Ikke min"})
    assert svar.status_code == 200 and "klynge" in svar.context["form"].errors
    assert not Proevehandling.objects.exists()


# --- Mine opgaver --------------------------------------------------------------------------------


def test_a_council_secretariat_sees_what_awaits_its_decision(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    hoering = lav_aftale(Status.HOERING, titel="Aftale i høring")
    logget_ind(client, personas["kommune_a"])
    html = client.get(url("forside")).content.decode()
    assert "Afventer jeres beslutning" in html and beslutning_url(aftale, struktur["kommune_a"]) in html
    assert url("hoering-svar", hoering.slug, "part", "kommune-a") in html
    assert "Implementering i jeres klynge" not in html and "Samarbejdsaftaler efter status" not in html
    beslut(aftale, struktur["kommune_a"], personas["kommune_a"])
    html = client.get(url("forside")).content.decode()
    assert beslutning_url(aftale, struktur["kommune_a"]) not in html
    assert "Ingen samarbejdsaftaler afventer jeres beslutning." in html


def test_a_postponed_decision_still_awaits_the_council(client, lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    beslut(aftale, struktur["kommune_a"], personas["kommune_a"], Beslutning.UDSAT)
    logget_ind(client, personas["kommune_a"])
    html = client.get(url("forside")).content.decode()
    assert beslutning_url(aftale, struktur["kommune_a"]) in html and ">Udsat</span>" in html


def test_a_local_agreement_awaits_only_its_clusters_municipalities(client, personas, struktur, udvalg):
    from aftaler.choices import Omfang

    sek = personas["sekretariat"]
    lokal = services.aftale_opret(bruger=sek, titel="Lokal i Klynge To", omfang=Omfang.LOKAL,
                                  klynge=struktur["anden_klynge"], tekst="<p>x</p>")
    services.aftale_overgang(aftale=lokal, bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                             beslutningsfrist=OM_EN_MAANED)
    logget_ind(client, personas["kommune_a"])
    assert "Lokal i Klynge To" not in client.get(url("forside")).content.decode()
    logget_ind(client, personas["region"])
    assert beslutning_url(lokal, struktur["region"]) in client.get(url("forside")).content.decode()


def test_a_cluster_member_sees_implementation_consultations_and_pilots(client, lav_aftale, personas, struktur):
    i_kraft = lav_aftale(Status.I_KRAFT, titel="Aftale i kraft")
    hoering = lav_aftale(Status.HOERING, titel="Aftale i høring")
    services.proevehandling_gem(bruger=personas["klynge"], klynge=struktur["klynge"], titel="Klyngens forsøg")
    logget_ind(client, personas["klynge"])
    html = client.get(url("forside")).content.decode()
    assert url("implementering-rediger", i_kraft.slug, "klynge-et") in html
    assert url("hoering-svar", hoering.slug, "klynge", "klynge-et") in html
    assert "Klyngens forsøg" in html
    assert "Afventer jeres beslutning" not in html
    services.implementering_opdater(aftale=i_kraft, klynge=struktur["klynge"], bruger=personas["klynge"],
                                    status=ImplementeringStatus.IMPLEMENTERET)
    assert url("implementering-rediger", i_kraft.slug, "klynge-et") not in client.get(url("forside")).content.decode()


def test_the_secretariat_sees_counts_by_state_and_what_is_overdue(client, lav_aftale, personas):
    hoering = lav_aftale(Status.HOERING, titel="Forsinket høring")
    indstillet = lav_aftale(Status.INDSTILLET, titel="Forsinket beslutning")
    lav_aftale(Status.UDKAST, titel="Et udkast")
    # Time passes: both deadlines are now behind us.
    i_gaar = I_DAG - datetime.timedelta(days=1)
    Samarbejdsaftale.objects.filter(pk=hoering.pk).update(hoeringsfrist=i_gaar)
    Samarbejdsaftale.objects.filter(pk=indstillet.pk).update(beslutningsfrist=i_gaar)
    logget_ind(client, personas["sekretariat"])
    svar = client.get(url("forside"))
    html = svar.content.decode()
    s = svar.context["opgaver"].sekretariat
    assert {g["status"]: g["antal"] for g in s["pr_status"]} == {
        "udkast": 1, "hoering": 1, "indstillet": 1, "godkendt": 0, "i_kraft": 0, "ophaevet": 0}
    assert [a.titel for a in s["hoering_overskredet"]] == ["Forsinket høring"]
    assert [a.titel for a in s["beslutning_overskredet"]] == ["Forsinket beslutning"]
    frister = html.split('id="opg-frister"')[1].split("</section>")[0]
    assert url("aftale", hoering.slug) in frister and url("godkendelser", indstillet.slug) in frister
    assert "Udkast (1)" in html


def test_a_theme_group_member_sees_the_groups_drafts(client, personas, struktur):
    tg = struktur["fora"]["temagruppe"]
    services.aftale_opret(bruger=personas["temagruppe"], titel="Gruppens udkast", ejer_forum=tg)
    services.aftale_opret(bruger=personas["sekretariat"], titel="Sekretariatets udkast")
    logget_ind(client, personas["temagruppe"])
    html = client.get(url("forside")).content.decode()
    assert "Gruppens udkast" in html and "Sekretariatets udkast" not in html


def test_someone_without_roles_sees_no_tasks_but_their_memberships(client, personas):
    logget_ind(client, personas["udenforstaaende"])
    html = client.get(url("forside")).content.decode()
    assert "Du har ingen opgaver i portalen lige nu." in html and "Mine medlemskaber" in html


@pytest.mark.parametrize("persona", ["sekretariat", "kommune_a", "region", "klynge", "temagruppe"])
def test_mine_opgaver_runs_the_same_number_of_queries_for_1_and_25_agreements(client, lav_aftale, personas,
                                                                            struktur, persona):
    tg = struktur["fora"]["temagruppe"]

    def lav(n: int):
        # A mix of states, so every section of every persona has rows.
        status = [Status.INDSTILLET, Status.HOERING, Status.I_KRAFT, Status.UDKAST][n % 4]
        lav_aftale(status, titel=f"Aftale {n}", ejer_forum=tg)

    lav(0)
    logget_ind(client, personas[persona])
    en = _antal_forespoergsler(client, url("forside"))
    for n in range(1, 25):
        lav(n)
    assert _antal_forespoergsler(client, url("forside")) == en


# --- the panels on the agreement overview --------------------------------------------------------


def _paneler(user, aftale) -> str:
    request = RequestFactory().get("/")
    request.user = user
    skabelon = engines["django"].from_string('{% include "aftaler/arbejde/deltager_paneler.html" %}')
    return skabelon.render({"aftale": aftale, "request": request}, request)


def test_the_panels_offer_a_decision_button_for_the_users_own_authority(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    html = _paneler(personas["kommune_a"], aftale)
    assert "0 af 4 godkendt" in html and url("godkendelser", aftale.slug) in html
    assert beslutning_url(aftale, struktur["kommune_a"]) in html and "Registrér beslutning for Kommune A" in html
    assert "Kommune B" not in html
    beslut(aftale, struktur["kommune_a"], personas["kommune_a"])
    html = _paneler(personas["kommune_a"], _frisk(aftale))
    assert "1 af 4 godkendt" in html and "Registrér beslutning for" not in html and "Se beslutningen" in html


def test_the_panels_offer_consultation_answers_per_sender(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.HOERING)
    html = _paneler(personas["klynge"], aftale)
    assert "Afgiv høringssvar for Klynge Et" in html and "Klynge To" not in html
    assert url("hoeringssvar-oversigt", aftale.slug) not in html
    assert url("hoeringssvar-oversigt", aftale.slug) in _paneler(personas["sekretariat"], aftale)


def test_the_panels_show_implementation_with_edit_links_for_the_own_cluster(lav_aftale, personas):
    aftale = lav_aftale(Status.I_KRAFT)
    html = _paneler(personas["klynge"], aftale)
    assert "Klynge Et" in html and "Klynge To" in html and ">Ikke startet</span>" in html
    assert url("implementering-rediger", aftale.slug, "klynge-et") in html
    assert url("implementering-rediger", aftale.slug, "klynge-to") not in html


def test_the_panels_show_nothing_to_a_user_without_a_part_in_it(lav_aftale, personas):
    aftale = lav_aftale(Status.UDKAST)
    assert _paneler(personas["udenforstaaende"], aftale).strip() == ""
