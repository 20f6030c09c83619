"""The personal calendar: a secret address per user (only its hash stored) with the meetings of the fora the
user sat in on each meeting's day, fetched without a session; renewing or revoking it makes the old address
404; closed items never reach it."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from organisation import moeder_services as services
from organisation.choices import Rolle
from organisation.models import Kalenderadgang, Medlemskab, MoedeStatus
from organisation.moeder_selectors import noegle_hash
from organisation.services import medlemskab_opret
from sundhed.models import Haendelse
from tests.conftest import medlem
from tests.factories import ForumFactory
from tests.organisation.moeder.hjaelp import AABENT, LUKKET_TEKST, LUKKET_TITEL, lav_moede

pytestmark = pytest.mark.django_db

UID = "moede-{}@sundhedssamarbejdet"


def klient(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def ny_adresse(user) -> str:
    """Make the user's address on the page, as a user would, and read it from the page it lands on."""
    c = klient(user)
    svar = c.post(reverse("arbejde:kalender"), {"handling": "forny" if hasattr(user, "kalenderadgang") else "opret"},
                  follow=True)
    assert svar.status_code == 200
    fund = re.search(r'id="kalender-adresse" value="([^"]+)"', svar.content.decode())
    assert fund, "the new address is shown once, on the page after it was made"
    return fund[1]


def hent(adresse: str):
    return Client().get(adresse.replace("http://testserver", ""))


def uids(adresse: str) -> set[str]:
    svar = hent(adresse)
    assert svar.status_code == 200
    assert svar["Content-Type"].startswith("text/calendar")
    return {str(ev["UID"]) for ev in Calendar.from_ical(svar.content).walk("VEVENT")}


def test_a_member_gets_the_meetings_of_their_fora_in_every_state_and_no_others(personas, moedefora):
    styregruppen = moedefora["styregruppe"]
    planlagt = lav_moede(styregruppen, MoedeStatus.PLANLAGT, dage=10)
    dagsorden = lav_moede(styregruppen, MoedeStatus.DAGSORDEN, dage=5)
    aflyst = lav_moede(styregruppen, MoedeStatus.AFLYST, dage=6)
    udvalgets = lav_moede(moedefora["udvalg"], MoedeStatus.DAGSORDEN, dage=5)

    adresse = ny_adresse(personas["styregruppe"])

    assert uids(adresse) == {UID.format(m.pk) for m in (planlagt, dagsorden, aflyst)}
    assert UID.format(udvalgets.pk) not in uids(ny_adresse(personas["kommune_a"]))


def test_the_feed_is_fetched_without_a_session_and_parsed_with_status_sequence_and_copenhagen_times(
        personas, moedefora):
    aflyst = lav_moede(moedefora["styregruppe"], MoedeStatus.AFLYST, dage=6)
    moede = lav_moede(moedefora["styregruppe"], MoedeStatus.DAGSORDEN, dage=5)
    services.moede_rediger(moede=moede, bruger=None, sted="Et andet sted")
    moede.refresh_from_db()

    svar = hent(ny_adresse(personas["styregruppe"]))

    assert svar["Cache-Control"] == "private, no-store"
    cal = Calendar.from_ical(svar.content)
    events = {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}
    assert str(events[UID.format(aflyst.pk)]["STATUS"]) == "CANCELLED"
    ev = events[UID.format(moede.pk)]
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert int(ev["SEQUENCE"]) == moede.sekvens > 0
    assert str(ev["LOCATION"]) == "Et andet sted"
    assert ev["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert ev.decoded("DTSTART") == moede.start


def test_a_planned_meeting_has_no_link_the_member_could_not_open(personas, moedefora):
    planlagt = lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT, dage=10)
    offentligt = lav_moede(moedefora["styregruppe"], MoedeStatus.DAGSORDEN, dage=5)

    cal = Calendar.from_ical(hent(ny_adresse(personas["styregruppe"])).content)

    events = {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}
    assert "URL" not in events[UID.format(planlagt.pk)]
    assert str(events[UID.format(offentligt.pk)]["URL"]).endswith(f"/moeder/{offentligt.pk}/")


def test_closed_items_never_reach_the_feed(personas, moedefora):
    for status in (MoedeStatus.PLANLAGT, MoedeStatus.DAGSORDEN, MoedeStatus.REFERAT, MoedeStatus.AFLYST):
        lav_moede(moedefora["styregruppe"], status, dage=3)

    indhold = hent(ny_adresse(personas["styregruppe"])).content

    for tekst in (LUKKET_TITEL, LUKKET_TEKST, "Lukket beslutning", AABENT):
        assert tekst.encode() not in indhold


def test_membership_counts_on_the_meetings_day(struktur, moedefora):
    """A seat that ended takes the later meetings with it; one that starts later brings only those after."""
    forum = ForumFactory(navn="Arbejdsgruppe", slug="arbejdsgruppe")
    bruger = medlem("tidligere", forum)
    seat = Medlemskab.objects.get(person__bruger=bruger)
    foer = lav_moede(forum, MoedeStatus.REFERAT, dage=-20)
    efter = lav_moede(forum, MoedeStatus.DAGSORDEN, dage=20)
    Medlemskab.objects.filter(pk=seat.pk).update(valid_to=datetime.date.today())

    assert uids(ny_adresse(bruger)) == {UID.format(foer.pk)}
    assert UID.format(efter.pk) not in uids(ny_adresse(bruger))


def test_a_wrong_token_is_404(personas, moedefora):
    ny_adresse(personas["styregruppe"])

    assert Client().get(reverse("arbejde:kalender-ics", args=["x" * 43])).status_code == 404


def test_renewing_makes_the_old_address_404_and_the_new_one_work(personas, moedefora):
    lav_moede(moedefora["styregruppe"], MoedeStatus.DAGSORDEN, dage=5)
    bruger = personas["styregruppe"]
    gammel = ny_adresse(bruger)
    bruger.refresh_from_db()

    ny = ny_adresse(bruger)

    assert ny != gammel
    assert hent(gammel).status_code == 404
    assert hent(ny).status_code == 200
    handlinger = list(Haendelse.objects.filter(objekt_type="organisation.kalenderadgang")
                      .order_by("pk").values_list("handling", flat=True))
    assert handlinger == ["kalender_oprettet", "kalender_fornyet"]


def test_only_the_hash_is_stored_and_the_address_is_shown_once(personas):
    bruger = personas["styregruppe"]
    adresse = ny_adresse(bruger)
    noegle = adresse.rsplit("/", 1)[1].removesuffix(".ics")

    adgang = Kalenderadgang.objects.get(bruger=bruger)
    assert adgang.noegle_hash == noegle_hash(noegle) != noegle
    igen = klient(bruger).get(reverse("arbejde:kalender")).content.decode()
    assert noegle not in igen
    assert "Forny adressen" in igen


def test_revoking_makes_the_address_404_with_an_audit_row(personas):
    bruger = personas["styregruppe"]
    adresse = ny_adresse(bruger)

    svar = klient(bruger).post(reverse("arbejde:kalender"), {"handling": "slet"})

    assert svar.status_code == 302
    assert hent(adresse).status_code == 404
    assert not Kalenderadgang.objects.filter(bruger=bruger).exists()
    assert Haendelse.objects.filter(handling="kalender_slettet", bruger=bruger).exists()


def test_revoking_without_an_address_is_refused_and_changes_nothing(personas):
    bruger = personas["styregruppe"]
    foer = Haendelse.objects.count()

    svar = klient(bruger).post(reverse("arbejde:kalender"), {"handling": "slet"})

    assert svar.status_code == 400
    assert "Du har ingen kalenderadresse at slette." in svar.content.decode()
    assert Haendelse.objects.count() == foer


def test_a_closed_account_loses_its_feed(personas, moedefora):
    bruger = personas["styregruppe"]
    adresse = ny_adresse(bruger)
    bruger.is_active = False
    bruger.save()

    assert hent(adresse).status_code == 404


def test_the_page_is_for_signed_in_users_only(personas):
    svar = Client().get(reverse("arbejde:kalender"))
    assert svar.status_code == 302 and "/log-ind/" in svar["Location"]

    foer = Kalenderadgang.objects.count()
    svar = Client().post(reverse("arbejde:kalender"), {"handling": "opret"})
    assert svar.status_code == 302 and Kalenderadgang.objects.count() == foer


def test_the_page_names_the_fora_and_explains_subscribing(personas):
    side = klient(personas["styregruppe"]).get(reverse("arbejde:kalender")).content.decode()

    assert "Sundhedsstyregruppen" in side
    assert "Sådan abonnerer du" in side
    assert "Opret en kalenderadresse" in side


def test_an_unknown_action_is_refused_with_a_message_and_changes_nothing(personas):
    svar = klient(personas["styregruppe"]).post(reverse("arbejde:kalender"), {"handling": "alt"})

    assert svar.status_code == 400
    assert "Vælg at oprette, forny eller slette adressen." in svar.content.decode()
    assert not Kalenderadgang.objects.exists()


@pytest.mark.parametrize("antal", [1, 8])
def test_the_feed_runs_a_constant_number_of_queries(personas, moedefora, django_assert_num_queries, antal):
    for i in range(antal):
        lav_moede(moedefora["styregruppe"], MoedeStatus.DAGSORDEN, dage=5 + i)
        lav_moede(moedefora["styregruppe"], MoedeStatus.PLANLAGT, dage=30 + i)
    adresse = ny_adresse(personas["styregruppe"]).replace("http://testserver", "")

    with django_assert_num_queries(NUM_QUERIES_FEED):
        assert Client().get(adresse).status_code == 200


@pytest.mark.parametrize("antal", [1, 8])
def test_the_page_runs_a_constant_number_of_queries(personas, moedefora, django_assert_num_queries, antal):
    bruger = personas["styregruppe"]
    services.kalenderadgang_opret(bruger=bruger)
    for i in range(antal):
        medlemskab_opret(person=bruger.person, forum=ForumFactory(navn=f"Gruppe {i}", slug=f"gruppe-{i}"),
                         rolle=Rolle.MEDLEM, bruger=None)
    c = klient(bruger)
    c.get(reverse("arbejde:kalender"))  # the session is loaded and the first page shown

    with django_assert_num_queries(NUM_QUERIES_SIDE):
        assert c.get(reverse("arbejde:kalender")).status_code == 200


NUM_QUERIES_FEED = 5
NUM_QUERIES_SIDE = 4
