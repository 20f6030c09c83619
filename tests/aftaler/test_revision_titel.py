"""Title, summary and target group belong to the version: a revision's new title stays with its draft
readers until the revision is published, everywhere the public reads (pages, API, feeds, open data,
search), and then becomes the public's."""

import pytest
from rest_framework.test import APIClient

from aftaler import services
from aftaler.choices import Status
from aftaler.models import Samarbejdsaftale
from aftaler.workflow import Handling
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, godkend_alle

NY_TITEL = "Revideret titel under udarbejdelse"
NYT_RESUME = "Nyt resumé, ikke vedtaget"


def _frisk(aftale):
    return Samarbejdsaftale.objects.select_related("aktuel_version").get(pk=aftale.pk)


@pytest.fixture
def revision(lav_aftale, personas):
    """An agreement in force whose revision draft has a new title and summary, saved through the API."""
    aftale = lav_aftale(Status.I_KRAFT)
    sek = personas["sekretariat"]
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.REVIDER)
    aftale = _frisk(aftale)
    api = APIClient()
    api.force_authenticate(sek)
    svar = api.patch(f"/api/v1/aftaler/{aftale.slug}/", {"titel": NY_TITEL, "resume": NYT_RESUME,
                                                        "revision": aftale.revision}, format="json")
    assert svar.status_code == 200, svar.content
    assert (svar.json()["titel"], svar.json()["resume"]) == (NY_TITEL, NYT_RESUME)  # the editor sees the draft's
    return _frisk(aftale)


def _tekst(svar) -> str:
    return b"".join(svar.streaming_content if svar.streaming else [svar.content]).decode()


def _offentlige_svar(client, aftale) -> dict[str, str]:
    return {url: _tekst(client.get(url)) for url in (
        f"/aftaler/{aftale.slug}/", "/aftaler/", "/aftaler.csv", "/aftaler.json", "/feeds/aftaler/",
        f"/api/v1/aftaler/{aftale.slug}/", "/api/v1/aftaler/", f"/aftaler/?q={aftale.titel.split()[0]}",
    )}


def test_a_revision_title_is_not_public_before_the_revision_is_published(revision, client, personas):
    for url, tekst in _offentlige_svar(client, revision).items():
        assert NY_TITEL not in tekst and NYT_RESUME not in tekst, url
    assert revision.titel != NY_TITEL  # the public face of the agreement is unchanged
    # Nor to a council secretariat, which reads what the public reads until the revision is recommended.
    client.force_login(personas["kommune_a"])
    side = client.get(f"/arbejde/aftaler/{revision.slug}/").content.decode()
    assert NY_TITEL not in side and revision.titel in side


def test_draft_readers_see_and_edit_the_revision_title(revision, client, personas):
    client.force_login(personas["sekretariat"])
    side = client.get(f"/arbejde/aftaler/{revision.slug}/").content.decode()
    assert NY_TITEL in side and NYT_RESUME in side
    redigering = client.get(f"/arbejde/aftaler/{revision.slug}/rediger/").content.decode()
    assert f'value="{NY_TITEL}"' in redigering


def test_the_revision_title_becomes_public_when_the_revision_is_published(revision, client, personas, udvalg):
    sek = personas["sekretariat"]
    services.aftale_gem(aftale=revision, bruger=sek, revision=revision.revision, tekst="<p>Revideret tekst.</p>")
    services.aftale_overgang(aftale=_frisk(revision), bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                             dato=I_DAG, beslutningsfrist=OM_EN_MAANED)
    assert NY_TITEL not in client.get(f"/aftaler/{revision.slug}/").content.decode()  # recommended, not published
    godkend_alle(_frisk(revision))
    services.aftale_overgang(aftale=_frisk(revision), bruger=sek, handling=Handling.OFFENTLIGGOER,
                             ikrafttraedelse=I_DAG)
    aftale = _frisk(revision)
    assert (aftale.titel, aftale.resume) == (NY_TITEL, NYT_RESUME)
    assert NY_TITEL in client.get(f"/aftaler/{aftale.slug}/").content.decode()
    assert APIClient().get(f"/api/v1/aftaler/{aftale.slug}/").json()["titel"] == NY_TITEL


def test_a_title_change_on_a_frozen_version_starts_a_new_version(lav_aftale, personas):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.HOERING)
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.AFSLUT_HOERING)
    aftale = _frisk(aftale)
    frossen = aftale.aktuel_version
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, felter={"titel": "Efter høringen"})
    aftale = _frisk(aftale)
    assert aftale.aktuel_version.nummer == frossen.nummer + 1
    assert (aftale.aktuel_version.titel, aftale.aktuel_version.tekst) == ("Efter høringen", frossen.tekst)
    frossen.refresh_from_db()
    assert frossen.titel != "Efter høringen"
