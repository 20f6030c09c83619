"""Meetings in the browser-facing pages: who may plan them (the permission matrix over personas x meeting
state x action, every refusal changing nothing), the services' rules, what the public sees (never a
closed item), and constant query counts."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisation import moeder_services as services
from organisation import policies
from organisation.models import Dagsordenpunkt, Moede, MoedeStatus
from organisation.moedeforloeb import OVERGANGE, Handling
from sundhed.exceptions import DomainError, IkkeTilladt
from tests.organisation.moeder.hjaelp import (
    AABENT,
    BESLUTNING,
    LUKKET_TEKST,
    LUKKET_TITEL,
    PERSONAER,
    PLANLAEGGERE,
    TILSTANDE,
    lav_moede,
    oejebliksbillede,
)

pytestmark = pytest.mark.django_db


def klient(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _handlinger(moede: Moede) -> dict:
    """Each staff action as (method, url, data) and whether it can succeed in the meeting's state."""
    punkt = moede.punkter.order_by("nummer").first()
    ikke_aflyst = moede.status != MoedeStatus.AFLYST
    start = timezone.localtime(moede.start)
    handlinger = {
        "rediger": (reverse("arbejde:moede-rediger", args=[moede.pk]),
                    {"titel": "Ny titel", "start": start.strftime("%Y-%m-%dT%H:%M"),
                     "slut": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"), "sted": "Et sted"},
                    ikke_aflyst),
        "punkt_opret": (reverse("arbejde:punkt-ny", args=[moede.pk]), {"titel": "Nyt punkt", "aaben": "on"},
                        ikke_aflyst),
        "punkt_rediger": (reverse("arbejde:punkt", args=[moede.pk, punkt.pk]),
                          {"titel": "Omdøbt punkt", "aaben": "on"}, ikke_aflyst),
        "punkt_flyt": (reverse("arbejde:punkt-flyt", args=[moede.pk, punkt.pk]), {"retning": "ned"}, ikke_aflyst),
        "punkt_slet": (reverse("arbejde:punkt-slet", args=[moede.pk, punkt.pk]), {}, ikke_aflyst),
    }
    for handling, regel in OVERGANGE.items():
        handlinger[handling] = (reverse("arbejde:moede-handling", args=[moede.pk]), {"handling": handling},
                                moede.status in regel.fra)
    return handlinger


@pytest.mark.parametrize("status", TILSTANDE)
@pytest.mark.parametrize("persona", PERSONAER)
def test_only_the_secretariat_and_the_forums_secretary_change_a_meeting_in_html(alle, moedefora, persona, status):
    moede = lav_moede(moedefora["styregruppe"], status)
    c = klient(alle[persona])
    for navn, (url, data, mulig) in _handlinger(moede).items():
        with transaction.atomic():
            foer = oejebliksbillede(moede)
            svar = c.post(url, data)
            efter = oejebliksbillede(moede)
            transaction.set_rollback(True)
        if persona in PLANLAEGGERE:
            assert svar.status_code in {302, 400}, (navn, svar.status_code)
            assert (efter != foer) == mulig, (navn, status)
        else:
            assert svar.status_code == (302 if persona == "anonym" else 404), (navn, svar.status_code)
            if persona == "anonym":
                assert "/log-ind/" in svar["Location"]
            assert efter == foer, navn


@pytest.mark.parametrize("persona", PERSONAER)
def test_staff_pages_are_404_for_everyone_who_may_not_plan_the_meeting(alle, moedefora, persona):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.DAGSORDEN)
    punkt = moede.punkter.first()
    c = klient(alle[persona])
    sider = [reverse("arbejde:moede", args=[moede.pk]), reverse("arbejde:moede-rediger", args=[moede.pk]),
             reverse("arbejde:punkt-ny", args=[moede.pk]), reverse("arbejde:punkt", args=[moede.pk, punkt.pk])]
    for url in sider:
        svar = c.get(url)
        if persona in PLANLAEGGERE:
            assert svar.status_code == 200, url
        else:
            assert svar.status_code == (302 if persona == "anonym" else 404), url


def test_a_forums_secretary_cannot_plan_another_forums_meetings(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.PLANLAGT)
    c = klient(alle["forumsekretaer"])
    foer = oejebliksbillede(moede)

    assert c.get(reverse("arbejde:moede", args=[moede.pk])).status_code == 404
    assert c.post(reverse("arbejde:moede-handling", args=[moede.pk]),
                  {"handling": Handling.OFFENTLIGGOER_DAGSORDEN}).status_code == 404
    assert c.get(reverse("moede-detalje", args=[moede.pk])).status_code == 404
    assert oejebliksbillede(moede) == foer


def test_a_forums_secretary_is_offered_only_their_own_forum(alle, moedefora):
    c = klient(alle["forumsekretaer"])

    side = c.get(reverse("arbejde:moede-ny")).content.decode()

    assert "Sundhedsstyregruppen" in side
    assert "Sundhedssamarbejdsudvalget" not in side
    assert c.get(reverse("arbejde:moeder")).status_code == 200
    assert klient(alle["styregruppe"]).get(reverse("arbejde:moeder")).status_code == 404


def test_the_secretariat_plans_a_meeting_and_publishes_its_agenda(alle, moedefora):
    c = klient(alle["sekretariat"])
    svar = c.post(reverse("arbejde:moede-ny"), {"forum": moedefora["udvalg"].pk, "titel": "Decembermøde",
                                                 "start": "2026-12-15T14:00", "slut": "2026-12-15T16:00",
                                                 "sted": "Regionshuset Viborg"})
    moede = Moede.objects.get(titel="Decembermøde")
    assert svar.status_code == 302
    assert timezone.localtime(moede.start).hour == 14  # entered in Danish time
    assert c.post(reverse("arbejde:punkt-ny", args=[moede.pk]), {"titel": "Samarbejdsaftale om sår", "aaben": "on",
                                                                   "sagsfremstilling": "Linje 1"}).status_code == 302
    assert klient(None).get(reverse("moede-detalje", args=[moede.pk])).status_code == 404

    c.post(reverse("arbejde:moede-handling", args=[moede.pk]), {"handling": Handling.OFFENTLIGGOER_DAGSORDEN})

    moede.refresh_from_db()
    assert moede.status == MoedeStatus.DAGSORDEN
    assert moede.dagsorden_offentliggjort is not None
    assert "Samarbejdsaftale om sår" in klient(None).get(reverse("moede-detalje", args=[moede.pk])).content.decode()


def test_a_meeting_ending_before_it_starts_is_refused_naming_the_field(alle, moedefora):
    c = klient(alle["sekretariat"])
    svar = c.post(reverse("arbejde:moede-ny"), {"forum": moedefora["udvalg"].pk, "start": "2026-12-15T14:00",
                                                 "slut": "2026-12-15T13:00"})

    assert svar.status_code == 400
    assert svar.context["form"].errors["slut"] == ["Mødet skal slutte efter, det begynder."]
    assert not Moede.objects.exists()


# --- services -------------------------------------------------------------------------------------------


def test_items_are_reordered_with_flyt_op_and_flyt_ned(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"])
    tredje = services.punkt_opret(moede=moede, bruger=alle["sekretariat"], titel="Tredje")
    sekvens = Moede.objects.get(pk=moede.pk).sekvens

    services.punkt_flyt(punkt=tredje, bruger=alle["sekretariat"], retning="op")

    assert list(moede.punkter.order_by("nummer").values_list("titel", flat=True)) == [AABENT, "Tredje", LUKKET_TITEL]
    assert Moede.objects.get(pk=moede.pk).sekvens == sekvens + 1
    with pytest.raises(DomainError) as fejl:
        services.punkt_flyt(punkt=moede.punkter.get(nummer=1), bruger=alle["sekretariat"], retning="op")
    assert fejl.value.field == "retning"


def test_deleting_an_item_moves_the_following_items_up(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"])
    services.punkt_opret(moede=moede, bruger=alle["sekretariat"], titel="Tredje")

    services.punkt_slet(punkt=moede.punkter.get(nummer=1), bruger=alle["sekretariat"])

    assert list(moede.punkter.order_by("nummer").values_list("nummer", "titel")) == [(1, LUKKET_TITEL), (2, "Tredje")]


def test_the_agenda_cannot_be_published_without_items(alle, moedefora):
    moede = services.moede_opret(bruger=alle["sekretariat"], forum=moedefora["udvalg"], start=timezone.now(),
                                 slut=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(DomainError) as fejl:
        services.moede_overgang(moede=moede, bruger=alle["sekretariat"], handling=Handling.OFFENTLIGGOER_DAGSORDEN)
    assert fejl.value.field == "handling"
    assert Moede.objects.get(pk=moede.pk).status == MoedeStatus.PLANLAGT


def test_minutes_wait_for_the_meeting_to_begin(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, dage=3)
    with pytest.raises(DomainError, match="begyndt"):
        services.moede_overgang(moede=moede, bruger=alle["sekretariat"], handling=Handling.OFFENTLIGGOER_REFERAT)


def test_an_unknown_action_is_refused_naming_handling(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"])
    with pytest.raises(DomainError) as fejl:
        services.moede_overgang(moede=moede, bruger=alle["sekretariat"], handling="slet_alt")
    assert fejl.value.field == "handling"


def test_a_transition_writes_its_audit_row(alle, moedefora):
    from sundhed.models import Haendelse

    moede = lav_moede(moedefora["styregruppe"])
    services.moede_overgang(moede=moede, bruger=alle["forumsekretaer"], handling=Handling.AFLYS)

    raekke = Haendelse.objects.filter(objekt_type="organisation.moede", objekt_id=str(moede.pk)).latest("pk")
    assert raekke.handling == "moede_aflys"
    assert raekke.data == {"fra": "planlagt", "til": "aflyst"}
    assert raekke.bruger == alle["forumsekretaer"]


def test_a_cancelled_meeting_cannot_be_edited(alle, moedefora):
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.AFLYST)
    with pytest.raises(DomainError, match="aflyst"):
        services.moede_rediger(moede=moede, bruger=alle["sekretariat"], titel="Igen")


def test_an_outsider_cannot_plan_through_the_service(alle, moedefora):
    with pytest.raises(IkkeTilladt):
        services.moede_opret(bruger=alle["styregruppe"], forum=moedefora["styregruppe"], start=timezone.now(),
                             slut=timezone.now() + datetime.timedelta(hours=1))
    assert not Moede.objects.exists()


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("Bilag til punktet.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _docx() -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("notat.docx", buf.getvalue())


def test_attachments_are_checked_by_content_as_the_agreements_are(alle, moedefora, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    moede = lav_moede(moedefora["udvalg"])
    punkt = moede.punkter.get(nummer=1)

    pdf = services.punktbilag_tilfoej(punkt=punkt, bruger=alle["sekretariat"], fil=_pdf())
    docx = services.punktbilag_tilfoej(punkt=punkt, bruger=alle["sekretariat"], fil=_docx(), navn="Notat")

    assert (pdf.indholdstype, pdf.filnavn) == ("application/pdf", "Bilag til punktet.pdf")
    assert docx.navn == "Notat"
    for fil in [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf"), SimpleUploadedFile("x.docx", b"PK\x03\x04x")]:
        with pytest.raises(DomainError) as fejl:
            services.punktbilag_tilfoej(punkt=punkt, bruger=alle["sekretariat"], fil=fil)
        assert fejl.value.field == "fil"
    assert punkt.bilagsfiler.count() == 2


def test_a_closed_items_attachment_is_never_served_to_the_public(alle, moedefora, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    moede = lav_moede(moedefora["udvalg"], MoedeStatus.REFERAT)
    aaben = services.punktbilag_tilfoej(punkt=moede.punkter.get(aaben=True), bruger=None, fil=_pdf())
    lukket = services.punktbilag_tilfoej(punkt=moede.punkter.get(aaben=False), bruger=None, fil=_pdf())

    assert klient(None).get(reverse("moede-bilag", args=[moede.pk, aaben.pk])).status_code == 200
    assert klient(None).get(reverse("moede-bilag", args=[moede.pk, lukket.pk])).status_code == 404
    assert klient(alle["sekretariat"]).get(reverse("moede-bilag", args=[moede.pk, lukket.pk])).status_code == 200


# --- what the public sees -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", TILSTANDE)
def test_the_public_sees_a_meeting_only_from_its_agenda_and_never_a_closed_item(moedefora, status):
    moede = lav_moede(moedefora["udvalg"], status)
    c = klient(None)
    svar = c.get(reverse("moede-detalje", args=[moede.pk]))
    if status == MoedeStatus.PLANLAGT:
        assert svar.status_code == 404
        return
    side = svar.content.decode()
    assert svar.status_code == 200
    assert LUKKET_TITEL not in side and LUKKET_TEKST not in side and "Lukket beslutning" not in side
    assert "2. Lukket punkt" in side
    assert AABENT in side
    assert (BESLUTNING in side) == (status == MoedeStatus.REFERAT)


@pytest.mark.parametrize("url", ["moede-liste", "feed-moeder"])
def test_lists_and_the_feed_never_show_a_closed_item_or_a_planned_meeting(moedefora, url):
    lav_moede(moedefora["udvalg"], MoedeStatus.REFERAT, dage=-3, titel="Afholdt møde")
    lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, dage=5, titel="Kommende møde")
    lav_moede(moedefora["udvalg"], MoedeStatus.PLANLAGT, dage=9, titel="Hemmeligt planlagt møde")

    side = klient(None).get(reverse(url)).content.decode()

    assert "Kommende møde" in side
    assert "Hemmeligt planlagt møde" not in side
    assert LUKKET_TITEL not in side and LUKKET_TEKST not in side


def test_the_feed_has_text_summaries_for_agendas_and_minutes(moedefora):
    lav_moede(moedefora["udvalg"], MoedeStatus.REFERAT, dage=-3)

    feed = klient(None).get(reverse("feed-moeder")).content.decode()

    assert feed.count('<summary type="text">') == 2
    assert "Dagsorden: Ordinært møde" in feed and "Referat: Ordinært møde" in feed


def test_the_list_filters_by_forum_and_cluster(moedefora, struktur):
    lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, dage=5, titel="Udvalgsmøde")
    lav_moede(struktur["fora"]["klynge_adm"], MoedeStatus.DAGSORDEN, dage=5, titel="Klyngemøde")
    c = klient(None)

    efter_forum = c.get(reverse("moede-liste"), {"forum": "sundhedssamarbejdsudvalget"}).content.decode()
    efter_klynge = c.get(reverse("moede-liste"), {"klynge": struktur["klynge"].slug}).content.decode()

    assert "Udvalgsmøde" in efter_forum and "Klyngemøde" not in efter_forum
    assert "Klyngemøde" in efter_klynge and "Udvalgsmøde" not in efter_klynge


def test_the_forum_page_links_its_meetings(moedefora):
    lav_moede(moedefora["udvalg"], MoedeStatus.REFERAT, titel="Afholdt udvalgsmøde")
    c = klient(None)

    assert reverse("forum-moeder", args=["sundhedssamarbejdsudvalget"]) in c.get(
        reverse("forum-detalje", args=["sundhedssamarbejdsudvalget"])).content.decode()
    assert "Afholdt udvalgsmøde" in c.get(reverse("forum-moeder", args=["sundhedssamarbejdsudvalget"])).content.decode()


def test_a_planner_sees_the_closed_item_and_the_planned_meeting(alle, moedefora):
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT)

    side = klient(alle["forumsekretaer"]).get(reverse("moede-detalje", args=[moede.pk])).content.decode()

    assert LUKKET_TITEL in side and LUKKET_TEKST in side
    assert policies.kan_planlaegge_moeder(alle["forumsekretaer"], moedefora["styregruppe"])


# --- query counts ---------------------------------------------------------------------------------------------


def _antal(c: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200, url
    return len(ctx)


def test_every_new_page_runs_a_constant_number_of_queries(alle, moedefora, struktur, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    forum = moedefora["styregruppe"]
    moede = lav_moede(forum, MoedeStatus.REFERAT, dage=2)
    services.punktbilag_tilfoej(punkt=moede.punkter.get(nummer=1), bruger=None, fil=_pdf())
    punkt = moede.punkter.get(nummer=1)
    offentlige = [reverse("moede-liste"), reverse("moede-detalje", args=[moede.pk]),
                  reverse("forum-moeder", args=[forum.slug]), reverse("forum-moeder-ical", args=[forum.slug]),
                  reverse("moede-ical", args=[moede.pk]), reverse("feed-moeder")]
    arbejde = [reverse("arbejde:moeder"), reverse("arbejde:moede", args=[moede.pk]),
               reverse("arbejde:punkt", args=[moede.pk, punkt.pk]), reverse("arbejde:moede-ny")]
    personer = [(klient(None), offentlige), (klient(alle["forumsekretaer"]), offentlige + arbejde),
                (klient(alle["sekretariat"]), offentlige + arbejde)]
    foer = [{url: _antal(c, url) for url in urls} for c, urls in personer]

    for i in range(6):
        m = lav_moede(forum if i % 2 else struktur["fora"]["klynge_adm"], TILSTANDE[i % 3], dage=i - 3)
        services.punktbilag_tilfoej(punkt=m.punkter.get(nummer=1), bruger=None, fil=_pdf())
    lav_moede(forum, MoedeStatus.AFLYST, dage=4)
    for i in range(5):
        p = services.punkt_opret(moede=moede, bruger=None, titel=f"Ekstra {i}", aaben=bool(i % 2))
        services.punktbilag_tilfoej(punkt=p, bruger=None, fil=_pdf())
    efter = [{url: _antal(c, url) for url in urls} for c, urls in personer]

    assert efter == foer


def test_items_keep_unique_numbers(moedefora):
    moede = lav_moede(moedefora["udvalg"])
    assert sorted(Dagsordenpunkt.objects.filter(moede=moede).values_list("nummer", flat=True)) == [1, 2]
