"""The staff pages for drafting agreements and running their lifecycle (/arbejde/aftaler/...)."""

import datetime
import io
import zipfile
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aftaler import services
from aftaler.choices import Status, Udfald
from aftaler.models import AftaleVersion, Behandling, Bilag, Overgang, Samarbejdsaftale
from aftaler.workflow import OVERGANGE, Handling
from organisation.choices import ForumType, PartType
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk
from tests.factories import ForumFactory, PartFactory

pytestmark = pytest.mark.django_db

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
FORKERT_TYPE = "Filen skal være en PDF-, Word- (DOCX) eller Excel-fil (XLSX)."


def url(navn: str, aftale=None, **kwargs) -> str:
    if aftale is not None:
        kwargs["slug"] = aftale.slug
    return reverse(f"arbejde:{navn}", kwargs=kwargs)


def logget_ind(client, bruger):
    client.force_login(bruger)
    return client


def antal_queries(client, adresse: str, **headers) -> int:
    with CaptureQueriesContext(connection) as ctx:
        svar = client.get(adresse, **headers)
    assert svar.status_code == 200, adresse
    return len(ctx.captured_queries)


def redigeringsdata(aftale, **aendringer) -> dict:
    """What the editor form posts for `aftale` as it is now, with `aendringer` applied."""
    data = {
        "titel": aftale.titel, "resume": aftale.resume, "maalgruppe": aftale.maalgruppe,
        "indsatsomraade": aftale.indsatsomraade_id or "", "ejer_forum": aftale.ejer_forum_id or "",
        "omfang": aftale.omfang, "klynge": aftale.klynge_id or "", "oprindelse": aftale.oprindelse,
        "oprindelse_reference": aftale.oprindelse_reference, "proevehandling": aftale.proevehandling_id or "",
        "tekst": aftale.aktuel_version.tekst, "aendringsnote": "", "revision": aftale.revision,
    }
    data.update(aendringer)
    return data


@pytest.fixture(autouse=True)
def _medier(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "medier"


@pytest.fixture
def udkast(lav_aftale, personas):
    """A draft with two versions and an attachment."""
    aftale = lav_aftale()
    services.aftale_gem(aftale=aftale, bruger=personas["sekretariat"], revision=aftale.revision,
                        tekst="<p>Anden tekst om borgeren.</p>", aendringsnote="Rettet", ny_version=True)
    services.bilag_tilfoej(aftale=aftale, bruger=personas["sekretariat"],
                           fil=SimpleUploadedFile("notat.pdf", MINIMAL_PDF, content_type="application/pdf"))
    return _frisk(aftale)


def sider(aftale) -> dict[str, str]:
    """Every page of one agreement (in `udkast`), by a short name."""
    bilag = aftale.bilag.first()
    return {
        "oversigt": url("aftale", aftale),
        "rediger": url("aftale-rediger", aftale),
        "bilag": url("aftale-bilag", aftale),
        "bilag-hent": url("bilag-hent", aftale, pk=bilag.pk),
        "versioner": url("aftale-versioner", aftale),
        "version": url("aftale-version", aftale, nummer=1),
        "sammenlign": url("aftale-sammenlign", aftale, a=1, b=2),
        "send_i_hoering": url("aftale-handling", aftale, handling=Handling.SEND_I_HOERING),
        "indstil": url("aftale-handling", aftale, handling=Handling.INDSTIL),
        "behandling": url("aftale-behandling", aftale),
        "parter": url("aftale-parter", aftale),
    }


# ---- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", ["oversigt", "rediger", "bilag", "bilag-hent", "versioner", "version",
                                  "sammenlign", "send_i_hoering", "indstil", "behandling", "parter"])
def test_every_page_of_a_draft_opens_for_the_secretariat(client, personas, udkast, side):
    svar = logget_ind(client, personas["sekretariat"]).get(sider(udkast)[side])
    assert svar.status_code == 200


@pytest.mark.parametrize("adresse", ["aftale-liste", "aftale-ny"])
def test_the_list_and_the_create_form_open_for_the_secretariat(client, personas, udkast, adresse):
    svar = logget_ind(client, personas["sekretariat"]).get(url(adresse))
    assert svar.status_code == 200


def test_the_pages_require_logging_in(client, udkast):
    for adresse in [url("aftale-liste"), url("aftale-ny"), *sider(udkast).values()]:
        svar = client.get(adresse)
        assert svar.status_code == 302 and svar["Location"].startswith(reverse("login")), adresse


@pytest.mark.parametrize("persona", ["udenforstaaende", "kommune_a", "klynge", "region"])
@pytest.mark.parametrize("side", ["oversigt", "rediger", "bilag", "bilag-hent", "versioner", "version",
                                  "sammenlign", "send_i_hoering", "indstil", "behandling", "parter"])
def test_outsiders_get_404_for_every_page_of_a_draft(client, personas, udkast, persona, side):
    svar = logget_ind(client, personas[persona]).get(sider(udkast)[side])
    assert svar.status_code == 404


@pytest.mark.parametrize("persona", ["udenforstaaende", "kommune_a"])
def test_outsiders_cannot_post_to_a_drafts_pages_and_nothing_changes(client, personas, udkast, persona):
    logget_ind(client, personas[persona])
    foer = (udkast.status, udkast.revision, Overgang.objects.count(), Bilag.objects.count())
    posts = [
        (sider(udkast)["send_i_hoering"], {"hoeringsfrist": OM_EN_MAANED.isoformat()}),
        (sider(udkast)["rediger"], redigeringsdata(udkast, titel="Overtaget")),
        (sider(udkast)["bilag"], {"slet": udkast.bilag.first().pk}),
        (sider(udkast)["behandling"], {"forum": udkast.ejer_forum_id or "", "dato": I_DAG, "udfald": "droeftet"}),
    ]
    for adresse, data in posts:
        assert client.post(adresse, data).status_code == 404, adresse
    frisk = _frisk(udkast)
    assert (frisk.status, frisk.revision, Overgang.objects.count(), Bilag.objects.count()) == foer
    assert frisk.titel != "Overtaget"


def test_a_public_agreement_is_readable_but_its_action_pages_are_404_for_a_municipality(
        client, personas, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["kommune_a"])
    assert client.get(url("aftale", aftale)).status_code == 200
    assert client.get(url("aftale-versioner", aftale)).status_code == 200
    for adresse in [url("aftale-handling", aftale, handling=Handling.SEND_RETUR), url("aftale-behandling", aftale),
                    url("aftale-rediger", aftale), url("aftale-parter", aftale)]:
        assert client.get(adresse).status_code == 404, adresse
    assert client.post(url("aftale-handling", aftale, handling=Handling.SEND_RETUR)).status_code == 404
    assert _frisk(aftale).status == Status.INDSTILLET


def test_the_list_shows_only_agreements_the_user_may_read(client, personas, lav_aftale):
    lav_aftale(titel="Hemmeligt udkast")
    lav_aftale(Status.INDSTILLET, titel="Indstillet aftale")
    indhold = logget_ind(client, personas["udenforstaaende"]).get(url("aftale-liste")).content.decode()
    assert "Indstillet aftale" in indhold
    assert "Hemmeligt udkast" not in indhold
    assert "Ny samarbejdsaftale" not in indhold


def test_the_create_form_is_404_for_users_who_may_not_draft(client, personas):
    for persona in ["udenforstaaende", "kommune_a", "styregruppe"]:
        assert logget_ind(client, personas[persona]).get(url("aftale-ny")).status_code == 404


# ---- a theme group drafts its own agreements ----------------------------------------------------


def test_a_theme_group_member_edits_its_groups_draft(client, personas, struktur, lav_aftale):
    gruppe = struktur["fora"]["temagruppe"]
    aftale = lav_aftale(ejer_forum=gruppe)
    logget_ind(client, personas["temagruppe"])
    assert client.get(url("aftale-rediger", aftale)).status_code == 200
    svar = client.post(url("aftale-rediger", aftale),
                       redigeringsdata(aftale, tekst="<p>Gruppens nye tekst.</p>", aendringsnote="Gruppen"))
    assert svar.status_code == 302 and svar["Location"] == url("aftale", aftale)
    frisk = _frisk(aftale)
    assert frisk.aktuel_version.nummer == 1  # the draft version takes the changes until it is frozen
    assert frisk.aktuel_version.tekst == "<p>Gruppens nye tekst.</p>"
    assert frisk.aktuel_version.forfatter == personas["temagruppe"]


def test_a_theme_group_member_gets_404_for_another_groups_draft(client, personas, lav_aftale):
    anden = ForumFactory(navn="Temagruppe Psykiatri", slug="temagruppe-psykiatri", type=ForumType.TEMAGRUPPE)
    aftale = lav_aftale(ejer_forum=anden)
    logget_ind(client, personas["temagruppe"])
    assert client.get(url("aftale-rediger", aftale)).status_code == 404
    assert client.get(url("aftale", aftale)).status_code == 404


def test_a_theme_group_member_may_not_run_transitions_on_its_own_draft(client, personas, struktur, lav_aftale):
    aftale = lav_aftale(ejer_forum=struktur["fora"]["temagruppe"])
    logget_ind(client, personas["temagruppe"])
    indhold = client.get(url("aftale", aftale)).content.decode()
    assert "Rediger aftalen" in indhold
    assert url("aftale-handling", aftale, handling=Handling.SEND_I_HOERING) not in indhold
    svar = client.post(url("aftale-handling", aftale, handling=Handling.SEND_I_HOERING),
                       {"hoeringsfrist": OM_EN_MAANED.isoformat()})
    assert svar.status_code == 404
    assert _frisk(aftale).status == Status.UDKAST
    assert not Overgang.objects.filter(aftale=aftale).exists()


def test_a_theme_group_member_creates_a_draft_only_for_its_own_group(client, personas, struktur):
    gruppe = struktur["fora"]["temagruppe"]
    anden = ForumFactory(navn="Temagruppe Psykiatri", slug="temagruppe-psykiatri", type=ForumType.TEMAGRUPPE)
    logget_ind(client, personas["temagruppe"])
    form = client.get(url("aftale-ny")).context["form"]
    assert list(form.fields["ejer_forum"].queryset) == [gruppe]
    assert form.fields["ejer_forum"].required and form.fields["ejer_forum"].initial == gruppe
    svar = client.post(url("aftale-ny"), {"titel": "Gruppens aftale", "ejer_forum": anden.pk, "omfang": "regional",
                                          "oprindelse": "bestilling"})
    assert svar.status_code == 200
    assert not Samarbejdsaftale.objects.filter(titel="Gruppens aftale").exists()
    svar = client.post(url("aftale-ny"), {"titel": "Gruppens aftale", "ejer_forum": gruppe.pk, "omfang": "regional",
                                          "oprindelse": "bestilling", "tekst": "Første afsnit.\n\nAndet afsnit."})
    aftale = Samarbejdsaftale.objects.get(titel="Gruppens aftale")
    assert svar.status_code == 302 and svar["Location"] == url("aftale", aftale)
    assert aftale.ejer_forum == gruppe
    # Plain text typed without the editor becomes paragraphs.
    assert aftale.aktuel_version.tekst == "<p>Første afsnit.</p>\n\n<p>Andet afsnit.</p>"


# ---- create ------------------------------------------------------------------------------------


def test_the_secretariat_creates_an_agreement_and_is_sent_to_its_overview(client, personas, struktur):
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-ny"), {
        "titel": "Aftale om kommunale akutfunktioner", "resume": "Kort", "omfang": "lokal",
        "klynge": struktur["klynge"].pk, "oprindelse": "bestilling", "oprindelse_reference": "Møde 3, punkt 4",
        "ejer_forum": struktur["fora"]["temagruppe"].pk, "tekst": "<h2>Formål</h2><p>Tekst</p>",
    })
    aftale = Samarbejdsaftale.objects.get(titel="Aftale om kommunale akutfunktioner")
    assert svar.status_code == 302 and svar["Location"] == url("aftale", aftale)
    assert (aftale.omfang, aftale.klynge, aftale.status) == ("lokal", struktur["klynge"], Status.UDKAST)
    assert aftale.aktuel_version.tekst == "<h2>Formål</h2><p>Tekst</p>"
    side = client.get(svar["Location"])
    assert "er oprettet som udkast" in side.content.decode()


def test_a_refused_create_shows_the_danish_message_next_to_the_field_and_keeps_the_input(client, personas):
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-ny"), {"titel": "Lokal uden klynge", "omfang": "lokal", "oprindelse": "bestilling",
                                          "tekst": "<p>Min tekst skal blive stående</p>"})
    assert svar.status_code == 200
    assert svar.context["form"].errors["klynge"] == ["Vælg klyngen for en lokal aftale."]
    indhold = svar.content.decode()
    assert "Vælg klyngen for en lokal aftale." in indhold
    assert "&lt;p&gt;Min tekst skal blive stående&lt;/p&gt;" in indhold
    assert 'value="Lokal uden klynge"' in indhold
    assert not Samarbejdsaftale.objects.filter(titel="Lokal uden klynge").exists()


# ---- transitions through the confirmation page -------------------------------------------------


def test_sending_to_consultation_through_the_confirmation_page_changes_the_state_and_records_it(
        client, personas, udkast):
    logget_ind(client, personas["sekretariat"])
    adresse = url("aftale-handling", udkast, handling=Handling.SEND_I_HOERING)
    side = client.get(adresse).content.decode()
    assert OVERGANGE[Handling.SEND_I_HOERING].forklaring in side
    assert "Bekræft" in side and 'name="hoeringsfrist"' in side
    svar = client.post(adresse, {"hoeringsfrist": OM_EN_MAANED.isoformat(), "note": "Til klyngerne"})
    assert svar.status_code == 302 and svar["Location"] == url("aftale", udkast)
    frisk = _frisk(udkast)
    assert frisk.status == Status.HOERING and frisk.hoeringsfrist == OM_EN_MAANED
    overgang = Overgang.objects.get(aftale=udkast)
    assert (overgang.handling, overgang.fra_status, overgang.til_status, overgang.note, overgang.bruger) == (
        Handling.SEND_I_HOERING, Status.UDKAST, Status.HOERING, "Til klyngerne", personas["sekretariat"])
    oversigt = client.get(svar["Location"]).content.decode()
    assert "Send i høring: aftalen har nu status »I høring«." in oversigt


def test_recommending_defaults_to_the_committee_and_records_its_recommendation(client, personas, udkast, udvalg):
    logget_ind(client, personas["sekretariat"])
    adresse = url("aftale-handling", udkast, handling=Handling.INDSTIL)
    form = client.get(adresse).context["form"]
    assert form.fields["forum"].initial == udvalg
    svar = client.post(adresse, {"forum": udvalg.pk, "dato": I_DAG.isoformat(),
                                 "beslutningsfrist": OM_EN_MAANED.isoformat()})
    assert svar.status_code == 302
    frisk = _frisk(udkast)
    assert frisk.status == Status.INDSTILLET and frisk.beslutningsfrist == OM_EN_MAANED
    assert frisk.aktuel_version.frossen
    assert Behandling.objects.get(aftale=udkast).udfald == Udfald.ANBEFALET


def test_a_refused_transition_shows_the_services_message_and_changes_nothing(client, personas, udkast):
    logget_ind(client, personas["sekretariat"])
    i_gaar = I_DAG - datetime.timedelta(days=1)
    svar = client.post(url("aftale-handling", udkast, handling=Handling.SEND_I_HOERING),
                       {"hoeringsfrist": i_gaar.isoformat(), "note": "Min note"})
    assert svar.status_code == 200
    assert svar.context["form"].errors["hoeringsfrist"] == ["Høringsfristen skal ligge i fremtiden."]
    assert "Min note" in svar.content.decode()
    assert _frisk(udkast).status == Status.UDKAST
    assert not Overgang.objects.filter(aftale=udkast).exists()


@pytest.mark.parametrize("handling", [Handling.AFSLUT_HOERING, Handling.OFFENTLIGGOER, "findes_ikke"])
def test_an_action_that_cannot_run_in_this_state_is_404_and_changes_nothing(client, personas, udkast, handling):
    logget_ind(client, personas["sekretariat"])
    adresse = url("aftale-handling", udkast, handling=handling)
    assert client.get(adresse).status_code == 404
    assert client.post(adresse, {"ikrafttraedelse": I_DAG.isoformat()}).status_code == 404
    assert _frisk(udkast).status == Status.UDKAST
    assert not Overgang.objects.filter(aftale=udkast).exists()


def test_the_overview_offers_exactly_the_actions_the_user_may_run_now(client, personas, lav_aftale):
    aftale = lav_aftale(Status.HOERING)
    indhold = logget_ind(client, personas["sekretariat"]).get(url("aftale", aftale)).content.decode()
    for handling in OVERGANGE:
        adresse = url("aftale-handling", aftale, handling=handling)
        assert (adresse in indhold) == (Status.HOERING in OVERGANGE[handling].fra), handling
    assert "Rediger aftalen" not in indhold


def test_the_overview_shows_state_steps_history_and_treatments(client, personas, lav_aftale, udvalg):
    aftale = lav_aftale(Status.INDSTILLET)
    indhold = logget_ind(client, personas["sekretariat"]).get(url("aftale", aftale)).content.decode()
    assert 'aria-current="step"' in indhold
    assert "Indstillet til godkendelse" in indhold
    assert "Registrér udvalgets indstilling" in indhold  # the transition row
    assert "Sundhedssamarbejdsudvalget" in indhold and "Anbefalet" in indhold  # the Behandling row
    assert "Første tekst om borgeren." in indhold


def test_the_steps_show_a_skipped_consultation_and_the_current_step(client, personas, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    svar = logget_ind(client, personas["sekretariat"]).get(url("aftale", aftale))
    assert [t["tilstand"] for t in svar.context["forloeb"]] == [
        "gennemfoert", "sprunget_over", "aktuel", "kommende", "kommende"]
    assert "ikke sendt i høring" in svar.content.decode()


def test_the_overview_says_that_the_published_version_applies_during_a_revision(client, personas, lav_aftale):
    aftale = lav_aftale(Status.I_KRAFT)
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-handling", aftale, handling=Handling.REVIDER), {"note": "Årlig revision"})
    assert svar.status_code == 302
    indhold = client.get(url("aftale", aftale)).content.decode()
    assert "Aftalen revideres. Den offentliggjorte version 1 gælder" in indhold
    assert "Rediger aftalen" in indhold


def test_the_overview_marks_an_overdue_consultation(client, personas, lav_aftale):
    aftale = lav_aftale(Status.HOERING)
    Samarbejdsaftale.objects.filter(pk=aftale.pk).update(hoeringsfrist=I_DAG - datetime.timedelta(days=2))
    logget_ind(client, personas["sekretariat"])
    assert "Fristen er overskredet" in client.get(url("aftale", aftale)).content.decode()
    liste = client.get(url("aftale-liste"), {"overskredet": "1"})
    assert [a.pk for a in liste.context["aftaler"]] == [aftale.pk]
    assert "Overskredet" in liste.content.decode()


# ---- the editor --------------------------------------------------------------------------------


def test_the_editor_saves_details_and_a_new_version_with_its_note(client, personas, udkast, struktur):
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-rediger", udkast), redigeringsdata(
        udkast, titel="Nyt navn", tekst="<p>Tredje tekst.</p>", aendringsnote="Efter høringen",
        ejer_forum=struktur["fora"]["temagruppe"].pk))
    assert svar.status_code == 302
    frisk = _frisk(udkast)
    assert frisk.titel == "Nyt navn" and frisk.ejer_forum == struktur["fora"]["temagruppe"]
    assert (frisk.aktuel_version.nummer, frisk.aktuel_version.aendringsnote) == (2, "Efter høringen")


def test_a_stale_save_keeps_the_users_text_and_shows_the_newer_one(client, personas, udkast):
    logget_ind(client, personas["sekretariat"])
    aabnet = client.get(url("aftale-rediger", udkast)).context["form"]["revision"].value()
    # Someone else saves after this editor was opened.
    services.aftale_gem(aftale=udkast, bruger=personas["sekretariat"], revision=udkast.revision,
                        tekst="<p>Kollegaens tekst.</p>", aendringsnote="Kollega")
    svar = client.post(url("aftale-rediger", udkast), redigeringsdata(
        udkast, revision=aabnet, titel="Min titel", tekst="<p>Min egen tekst.</p>"))
    assert svar.status_code == 200
    indhold = svar.content.decode()
    assert "Aftalen er blevet gemt af en anden, efter du åbnede den." in indhold
    assert "&lt;p&gt;Min egen tekst.&lt;/p&gt;" in indhold  # in the textarea, as typed
    assert 'value="Min titel"' in indhold
    assert "<p>Kollegaens tekst.</p>" in indhold  # the newer text beside it, read-only
    assert "<ins>" in indhold and "<del>" in indhold  # and how the two differ
    frisk = _frisk(udkast)
    assert frisk.aktuel_version.tekst == "<p>Kollegaens tekst.</p>" and frisk.titel != "Min titel"
    # Having seen the newer text, the user may save again: the form now carries the newest revision.
    assert svar.context["form"]["revision"].value() == str(frisk.revision)
    igen = client.post(url("aftale-rediger", udkast), redigeringsdata(
        frisk, titel="Min titel", tekst="<p>Min egen tekst.</p>"))
    assert igen.status_code == 302
    assert _frisk(udkast).aktuel_version.tekst == "<p>Min egen tekst.</p>"


def test_the_editor_is_404_once_the_agreement_has_left_draft(client, personas, lav_aftale):
    aftale = lav_aftale(Status.HOERING)
    logget_ind(client, personas["sekretariat"])
    assert client.get(url("aftale-rediger", aftale)).status_code == 404
    assert client.post(url("aftale-rediger", aftale), redigeringsdata(aftale, titel="X")).status_code == 404
    assert _frisk(aftale).titel != "X"


class _Farligt(HTMLParser):
    """Collects what would run script in a browser: script-capable elements, event handler
    attributes, javascript: links. Text and attribute values that merely mention them are harmless."""

    def __init__(self):
        super().__init__()
        self.fund: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed") or (tag == "svg" and ("class", "icon-svg") not in attrs):
            self.fund.append(tag)
        for navn, vaerdi in attrs:
            if navn.startswith("on") or (navn in ("href", "src") and (vaerdi or "").strip().lower().startswith(
                    "javascript:")):
                self.fund.append(f"{tag} {navn}={vaerdi}")


def farligt_i(html: str) -> list[str]:
    parser = _Farligt()
    parser.feed(html)
    return parser.fund


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<svg onload="alert(1)"></svg>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
    '<iframe src="https://example.org"></iframe>',
]


def test_the_check_for_script_finds_what_would_run_and_ignores_escaped_text():
    assert farligt_i('<p onclick="x()">a</p><a href=" javascript:x()">b</a><script>x()</script>') == [
        "p onclick=x()", "a href= javascript:x()", "script"]
    assert farligt_i('<input value="&lt;img src=x onerror=alert(1)&gt;"><p>&lt;script&gt;</p>') == []


@pytest.mark.parametrize("payload", XSS)
def test_script_posted_through_the_editor_never_reaches_the_pages_unescaped(client, personas, udkast, payload):
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-rediger", udkast), redigeringsdata(
        udkast, titel=f"Titel {payload}", resume=payload, maalgruppe=payload, oprindelse_reference=payload[:300],
        tekst=f"<p>Tekst</p>{payload}", aendringsnote=payload))
    assert svar.status_code == 302
    for adresse in [url("aftale", udkast), url("aftale-versioner", udkast), url("aftale-version", udkast, nummer=3),
                    url("aftale-sammenlign", udkast, a=2, b=3), url("aftale-rediger", udkast), url("aftale-liste")]:
        indhold = client.get(adresse).content.decode()
        assert payload not in indhold, adresse
        assert farligt_i(indhold[indhold.index("<main"):indhold.index("</main>")]) == [], adresse


def test_script_in_the_create_form_never_reaches_the_overview(client, personas):
    logget_ind(client, personas["sekretariat"])
    client.post(url("aftale-ny"), {"titel": "Aftale <script>alert(1)</script>", "omfang": "regional",
                                   "oprindelse": "bestilling", "tekst": "<p>Ok</p><script>alert(1)</script>"})
    aftale = Samarbejdsaftale.objects.get()
    indhold = client.get(url("aftale", aftale)).content.decode()
    assert "<script>alert(1)</script>" not in indhold
    assert "<p>Ok</p>" in indhold


# ---- attachments -------------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_as_an_attachment(client, personas, lav_aftale):
    aftale = lav_aftale()
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-bilag", aftale), {
        "fil": SimpleUploadedFile("Økonomi.pdf", MINIMAL_PDF, content_type="application/pdf"), "titel": "Økonomi"})
    assert svar.status_code == 302 and svar["Location"] == url("aftale-bilag", aftale)
    bilag = Bilag.objects.get(aftale=aftale)
    assert (bilag.titel, bilag.indholdstype, bilag.stoerrelse) == ("Økonomi", "application/pdf", len(MINIMAL_PDF))


def test_a_docx_is_accepted_by_its_content(client, personas, lav_aftale):
    aftale = lav_aftale()
    indhold = io.BytesIO()
    with zipfile.ZipFile(indhold, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    logget_ind(client, personas["sekretariat"])
    client.post(url("aftale-bilag", aftale), {"fil": SimpleUploadedFile("notat.docx", indhold.getvalue())})
    assert Bilag.objects.get(aftale=aftale).indholdstype.endswith("wordprocessingml.document")


def test_a_text_file_named_pdf_is_refused_with_the_danish_message(client, personas, lav_aftale):
    aftale = lav_aftale()
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-bilag", aftale), {
        "fil": SimpleUploadedFile("falsk.pdf", b"<html><script>alert(1)</script></html>",
                                  content_type="application/pdf"), "titel": "Falsk"})
    assert svar.status_code == 200
    assert svar.context["form"].errors["fil"] == [FORKERT_TYPE]
    assert FORKERT_TYPE in svar.content.decode()
    assert not Bilag.objects.exists()


def test_the_upload_form_says_what_is_allowed_and_posts_files(client, personas, udkast):
    indhold = logget_ind(client, personas["sekretariat"]).get(url("aftale-bilag", udkast)).content.decode()
    assert 'enctype="multipart/form-data"' in indhold
    assert "20 MB" in indhold


def test_an_attachment_is_downloaded_as_a_file_by_those_who_may_read_the_agreement(client, personas, udkast):
    bilag = udkast.bilag.get()
    svar = logget_ind(client, personas["sekretariat"]).get(url("bilag-hent", udkast, pk=bilag.pk))
    assert svar.status_code == 200
    assert svar["Content-Type"] == "application/pdf"
    assert svar["Content-Disposition"].startswith("attachment;") and "notat.pdf" in svar["Content-Disposition"]
    assert svar["X-Content-Type-Options"] == "nosniff"
    assert b"".join(svar.streaming_content) == MINIMAL_PDF


def test_an_attachment_of_another_agreement_is_404_through_this_one(client, personas, udkast, lav_aftale):
    anden = lav_aftale(titel="Anden aftale")
    bilag = udkast.bilag.get()
    svar = logget_ind(client, personas["sekretariat"]).get(url("bilag-hent", anden, pk=bilag.pk))
    assert svar.status_code == 404


def test_an_attachment_of_a_public_agreement_may_be_downloaded_by_any_user(client, personas, lav_aftale):
    aftale = lav_aftale()
    services.bilag_tilfoej(aftale=aftale, bruger=personas["sekretariat"],
                           fil=SimpleUploadedFile("notat.pdf", MINIMAL_PDF))
    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.INDSTIL,
                             dato=I_DAG, beslutningsfrist=OM_EN_MAANED)
    bilag = Bilag.objects.get(aftale=aftale)
    logget_ind(client, personas["kommune_a"])
    assert client.get(url("bilag-hent", aftale, pk=bilag.pk)).status_code == 200
    # ... but no longer changed, by anyone.
    assert client.post(url("aftale-bilag", aftale), {"slet": bilag.pk}).status_code == 404
    logget_ind(client, personas["sekretariat"])
    assert "Tilføj bilag" not in client.get(url("aftale-bilag", aftale)).content.decode()


def test_an_editor_removes_an_attachment(client, personas, udkast):
    bilag = udkast.bilag.get()
    svar = logget_ind(client, personas["sekretariat"]).post(url("aftale-bilag", udkast), {"slet": bilag.pk})
    assert svar.status_code == 302
    assert not Bilag.objects.exists()


# ---- versions ----------------------------------------------------------------------------------


def test_the_version_history_lists_every_version_with_its_note(client, personas, udkast):
    indhold = logget_ind(client, personas["sekretariat"]).get(url("aftale-versioner", udkast)).content.decode()
    assert "Version 1" in indhold and "Version 2" in indhold
    assert "Første udkast" in indhold and "Rettet" in indhold


def test_comparing_two_versions_marks_insertions_and_deletions(client, personas, udkast):
    svar = logget_ind(client, personas["sekretariat"]).get(url("aftale-sammenlign", udkast, a=1, b=2))
    indhold = svar.content.decode()
    assert '<del><span class="sr-only">slettet: </span>Første</del>' in indhold
    assert '<ins><span class="sr-only">tilføjet: </span>Anden</ins>' in indhold
    assert "1 ord tilføjet og 1 ord slettet." in indhold


def test_comparing_an_unknown_version_is_404(client, personas, udkast):
    logget_ind(client, personas["sekretariat"])
    assert client.get(url("aftale-sammenlign", udkast, a=1, b=9)).status_code == 404
    assert client.get(url("aftale-version", udkast, nummer=9)).status_code == 404


def test_the_compare_form_redirects_without_htmx_and_answers_with_the_diff_for_htmx(client, personas, udkast):
    logget_ind(client, personas["sekretariat"])
    svar = client.get(url("aftale-versioner", udkast), {"a": 1, "b": 2})
    assert svar.status_code == 302 and svar["Location"] == url("aftale-sammenlign", udkast, a=1, b=2)
    delvis = client.get(url("aftale-versioner", udkast), {"a": 1, "b": 2}, headers={"HX-Request": "true"})
    indhold = delvis.content.decode()
    assert delvis.status_code == 200 and "<html" not in indhold
    assert "<ins>" in indhold and "<del>" in indhold
    assert "HX-Request" in delvis["Vary"]
    fejl = client.get(url("aftale-versioner", udkast), {"a": 1, "b": 7})
    assert fejl.status_code == 200 and fejl.context["form"].errors["b"]


# ---- the list ----------------------------------------------------------------------------------


def test_the_list_filters_by_state_and_answers_htmx_with_the_partial(client, personas, lav_aftale):
    lav_aftale(titel="Udkastet")
    lav_aftale(Status.HOERING, titel="Høringen")
    logget_ind(client, personas["sekretariat"])
    svar = client.get(url("aftale-liste"), {"status": "hoering"})
    assert [a.titel for a in svar.context["aftaler"]] == ["Høringen"]
    assert "<html" in svar.content.decode()
    delvis = client.get(url("aftale-liste"), {"status": "udkast"}, headers={"HX-Request": "true"})
    indhold = delvis.content.decode()
    assert "<html" not in indhold and "Udkastet" in indhold and "Høringen" not in indhold


def test_the_list_groups_by_state_in_the_order_of_the_lifecycle(client, personas, lav_aftale):
    lav_aftale(Status.I_KRAFT, titel="A i kraft")
    lav_aftale(titel="B udkast")
    lav_aftale(Status.HOERING, titel="C høring")
    svar = logget_ind(client, personas["sekretariat"]).get(url("aftale-liste"))
    assert [a.titel for a in svar.context["aftaler"]] == ["B udkast", "C høring", "A i kraft"]


def test_the_list_is_paginated_by_fifty(client, personas):
    for i in range(51):
        Samarbejdsaftale.objects.create(titel=f"Aftale {i:02}", slug=f"aftale-{i}")
    svar = logget_ind(client, personas["sekretariat"]).get(url("aftale-liste"))
    assert len(svar.context["aftaler"]) == 50
    assert "Næste side" in svar.content.decode()
    assert len(client.get(url("aftale-liste"), {"side": 2}).context["aftaler"]) == 1


# ---- Behandling and parties --------------------------------------------------------------------


def test_the_secretariat_records_a_forums_treatment(client, personas, struktur, udkast):
    styregruppe = struktur["fora"]["styregruppe"]
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-behandling", udkast), {"forum": styregruppe.pk, "dato": I_DAG.isoformat(),
                                                          "udfald": Udfald.DROEFTET, "note": "Godt arbejde"})
    assert svar.status_code == 302
    behandling = Behandling.objects.get(aftale=udkast)
    assert (behandling.forum, behandling.udfald, behandling.note) == (styregruppe, Udfald.DROEFTET, "Godt arbejde")


def test_the_committees_recommendation_is_refused_as_a_treatment(client, personas, udkast, udvalg):
    logget_ind(client, personas["sekretariat"])
    svar = client.post(url("aftale-behandling", udkast), {"forum": udvalg.pk, "dato": I_DAG.isoformat(),
                                                          "udfald": Udfald.ANBEFALET})
    assert svar.status_code == 200
    assert "Registrér udvalgets indstilling" in svar.context["form"].errors["udfald"][0]
    assert not Behandling.objects.exists()


def test_the_secretariat_adds_plo_as_a_required_party(client, personas, udkast):
    plo = PartFactory(navn="PLO-Midtjylland", slug="plo-midtjylland", type=PartType.ALMEN_PRAKSIS)
    logget_ind(client, personas["sekretariat"])
    assert "PLO-Midtjylland" in client.get(url("aftale-parter", udkast)).content.decode()
    svar = client.post(url("aftale-parter", udkast), {"parter": [plo.pk]})
    assert svar.status_code == 302
    assert list(udkast.ekstra_parter.all()) == [plo]


def test_parties_cannot_be_changed_once_recommended(client, personas, lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    logget_ind(client, personas["sekretariat"])
    assert client.get(url("aftale-parter", aftale)).status_code == 404


# ---- query counts ------------------------------------------------------------------------------


def _stor(aftale, personas, struktur, antal: int):
    """Give `aftale` `antal` versions, Behandlinger, transitions and attachments."""
    sek = personas["sekretariat"]
    for i in range(antal - 1):
        services.version_opret(aftale=aftale, bruger=sek, tekst=f"<p>Version {i + 2} af teksten.</p>",
                               aendringsnote=f"Runde {i}", grundlag=i + 1)
    for _ in range(antal):
        services.behandling_registrer(aftale=aftale, bruger=sek, forum=struktur["fora"]["styregruppe"], dato=I_DAG,
                                      udfald=Udfald.DROEFTET, note="Drøftet")
    for _ in range(antal // 2):
        services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.SEND_I_HOERING,
                                 hoeringsfrist=OM_EN_MAANED)
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.AFSLUT_HOERING)
    for i in range(antal - 1):
        services.bilag_tilfoej(aftale=_frisk(aftale), bruger=sek,
                               fil=SimpleUploadedFile(f"bilag-{i}.pdf", MINIMAL_PDF))
    return _frisk(aftale)


SIDER_MED_QUERIES = ["oversigt", "rediger", "bilag", "versioner", "version", "sammenlign", "send_i_hoering",
                     "indstil", "behandling", "parter"]


def test_every_page_runs_the_same_number_of_queries_for_a_small_and_a_large_agreement(
        client, personas, struktur, udkast, lav_aftale):
    lille = udkast
    stor = _stor(lav_aftale(titel="Stor aftale"), personas, struktur, 20)
    services.aftale_gem(aftale=stor, bruger=personas["sekretariat"], revision=stor.revision, tekst="<p>Sidst.</p>")
    services.bilag_tilfoej(aftale=stor, bruger=personas["sekretariat"],
                           fil=SimpleUploadedFile("sidste.pdf", MINIMAL_PDF))
    stor = _frisk(stor)
    assert AftaleVersion.objects.filter(aftale=stor).count() >= 20
    assert Behandling.objects.filter(aftale=stor).count() == 20
    assert Overgang.objects.filter(aftale=stor).count() == 20
    logget_ind(client, personas["sekretariat"])
    for side in SIDER_MED_QUERIES:
        assert antal_queries(client, sider(lille)[side]) == antal_queries(client, sider(stor)[side]), side


@pytest.mark.parametrize("persona", ["sekretariat", "temagruppe", "kommune_a"])
def test_the_list_runs_the_same_number_of_queries_for_one_and_thirty_agreements(client, personas, lav_aftale,
                                                                                 struktur, persona):
    gruppe = struktur["fora"]["temagruppe"]
    lav_aftale(Status.HOERING, titel="Den første", ejer_forum=gruppe)
    logget_ind(client, personas[persona])
    en = antal_queries(client, url("aftale-liste"))
    en_htmx = antal_queries(client, url("aftale-liste"), headers={"HX-Request": "true"})
    for i in range(29):
        lav_aftale(Status.HOERING if i % 3 == 0 else Status.UDKAST, titel=f"Aftale nummer {i}", ejer_forum=gruppe)
    tredive = client.get(url("aftale-liste"))
    assert len(tredive.context["aftaler"]) >= (30 if persona != "kommune_a" else 10)
    assert antal_queries(client, url("aftale-liste")) == en
    assert antal_queries(client, url("aftale-liste"), headers={"HX-Request": "true"}) == en_htmx


def test_the_editor_reads_the_servers_allow_list(client, personas, lav_aftale):
    """One allow-list: the page hands the editor the tags and attributes aftaler/sanitize.py keeps."""
    import json

    from aftaler import sanitize

    aftale = lav_aftale()
    side = logget_ind(client, personas["sekretariat"]).get(url("aftale-rediger", aftale)).content.decode()
    start = side.index('<script id="editor-regler" type="application/json">') + len(
        '<script id="editor-regler" type="application/json">')
    regler = json.loads(side[start:side.index("</script>", start)])
    assert set(regler["tags"]) == {t.upper() for t in sanitize.TAGS}
    assert regler["attributter"]["A"] == sorted(sanitize.ATTRIBUTES["a"])
    assert set(regler["skemaer"]) == sanitize.URL_SCHEMES
