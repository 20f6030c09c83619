"""No phantom version 1: the first text fills version 1, and a new version begins only when the current
one is frozen (consultation, recommendation) or when an editor asks for one."""

from rest_framework.test import APIClient

from aftaler import services
from aftaler.choices import Status
from aftaler.models import AftaleVersion, Samarbejdsaftale
from aftaler.workflow import Handling
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED


def _frisk(aftale):
    return Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)


def _numre(aftale) -> list[int]:
    return list(AftaleVersion.objects.filter(aftale=aftale).order_by("nummer").values_list("nummer", flat=True))


def test_an_agreement_created_with_only_a_title_gets_its_first_text_as_version_1(personas, client):
    sek = personas["sekretariat"]
    aftale = services.aftale_opret(bruger=sek, titel="Kun en titel")
    client.force_login(sek)
    aftale = _frisk(aftale)
    svar = client.post(f"/arbejde/aftaler/{aftale.slug}/rediger/", {
        "titel": aftale.titel, "resume": "", "maalgruppe": "", "indsatsomraade": "", "ejer_forum": "",
        "omfang": "regional", "klynge": "", "oprindelse": "bestilling", "oprindelse_reference": "",
        "proevehandling": "", "tekst": "<p>Den første tekst.</p>", "aendringsnote": "Første tekst",
        "revision": aftale.revision,
    })
    assert svar.status_code == 302
    aftale = _frisk(aftale)
    assert _numre(aftale) == [1]
    assert (aftale.aktuel_version.tekst, aftale.aktuel_version.aendringsnote) == ("<p>Den første tekst.</p>",
                                                                                 "Første tekst")


def test_the_first_text_posted_to_the_api_fills_version_1(personas):
    api = APIClient()
    api.force_authenticate(personas["sekretariat"])
    slug = api.post("/api/v1/aftaler/", {"titel": "Kun en titel"}, format="json").json()["slug"]
    svar = api.post(f"/api/v1/aftaler/{slug}/versioner/", {"tekst": "<p>Første tekst.</p>", "grundlag": 1},
                    format="json")
    assert svar.status_code == 201 and svar.json()["nummer"] == 1
    assert api.get(f"/api/v1/aftaler/{slug}/").json()["version"] == 1


def test_the_councils_approve_the_number_the_drafters_saw(lav_aftale, personas, udvalg):
    """Two saves of a draft, a consultation, one save after it, a recommendation: version 2 is decided."""
    sek = personas["sekretariat"]
    aftale = lav_aftale()
    for tekst in ("<p>Rettet en gang.</p>", "<p>Rettet to gange.</p>"):
        aftale = services.aftale_gem(aftale=_frisk(aftale), bruger=sek, revision=_frisk(aftale).revision, tekst=tekst)
    assert _numre(aftale) == [1]
    services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.SEND_I_HOERING,
                             hoeringsfrist=OM_EN_MAANED)
    services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.AFSLUT_HOERING)
    aftale = _frisk(aftale)
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Efter høringen.</p>")
    aftale = _frisk(aftale)
    assert _numre(aftale) == [1, 2]  # the frozen consultation version stays; the change starts version 2
    assert AftaleVersion.objects.get(aftale=aftale, nummer=1).tekst == "<p>Rettet to gange.</p>"
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg, dato=I_DAG,
                             beslutningsfrist=OM_EN_MAANED)
    aftale = _frisk(aftale)
    assert (aftale.status, aftale.aktuel_version.nummer) == (Status.INDSTILLET, 2)


def test_an_editor_can_start_a_new_version_explicitly(lav_aftale, personas):
    sek = personas["sekretariat"]
    aftale = lav_aftale()
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Næste udkast.</p>",
                        aendringsnote="Ny runde", ny_version=True)
    aftale = _frisk(aftale)
    assert _numre(aftale) == [1, 2]
    assert AftaleVersion.objects.get(aftale=aftale, nummer=1).tekst == "<p>Første tekst om borgeren.</p>"
    assert (aftale.aktuel_version.tekst, aftale.aktuel_version.aendringsnote) == ("<p>Næste udkast.</p>", "Ny runde")


def test_a_save_that_changes_nothing_writes_no_version(lav_aftale, personas):
    sek = personas["sekretariat"]
    aftale = lav_aftale()
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision,
                        tekst=aftale.aktuel_version.tekst, ny_version=True)
    assert _numre(aftale) == [1]
