"""Who hears what: every event kind written to the outbox reaches exactly the people the issue names,
and no one else (a matrix over the personas, including a council that has already decided)."""

import datetime

import pytest

from aftaler import notifikationer, services
from aftaler.choices import Beslutning, ImplementeringStatus, Status
from aftaler.workflow import Handling
from organisation.models import Person
from sundhed import abonnementer
from sundhed.models import Udbakke, UdbakkeTilstand
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk, godkend_alle

ALLE = ("sekretariat", "temagruppe", "styregruppe", "klynge", "kommune_a", "kommune_b", "region")


@pytest.fixture
def adresser(personas):
    """Every persona has an address: <persona>@example.dk."""
    for navn in ALLE:
        Person.objects.filter(bruger=personas[navn]).update(email=f"{navn}@example.dk")


def _mails():
    """The outbox's mails (its other rows refresh derived data)."""
    return Udbakke.objects.filter(kanal="email")


def _hvem(slags: str) -> set[str]:
    return {r.modtager_email.split("@")[0] for r in _mails().filter(slags=slags)}


def _alle_slags() -> set[str]:
    return set(_mails().values_list("slags", flat=True))


def _nulstil():
    Udbakke.objects.all().delete()


def test_a_decision_awaited_reaches_the_council_secretariats_only(lav_aftale, adresser):
    lav_aftale(Status.INDSTILLET)

    assert _hvem("til_beslutning") == {"kommune_a", "kommune_b", "region"}
    assert _alle_slags() == {"til_beslutning"}


def test_a_consultation_reaches_the_parties_and_the_clusters_asked(lav_aftale, adresser):
    lav_aftale(Status.HOERING)

    assert _hvem("i_hoering") == {"kommune_a", "kommune_b", "region", "klynge"}
    assert _alle_slags() == {"i_hoering"}


@pytest.mark.parametrize("beslutning", [Beslutning.AFVIST, Beslutning.UDSAT])
def test_a_rejection_or_postponement_reaches_the_secretariat_with_the_remark(lav_aftale, struktur, personas,
                                                                             adresser, beslutning):
    aftale = lav_aftale(Status.INDSTILLET)
    _nulstil()

    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=beslutning, dato=I_DAG, bemaerkning="Sagen skal belyses bedre.")

    assert _hvem("afvist_udsat") == {"sekretariat"}
    assert _alle_slags() == {"afvist_udsat"}
    raekke = _mails().get()
    assert raekke.kontekst["bemaerkning"] == "Sagen skal belyses bedre."
    assert raekke.kontekst["beslutning"] == Beslutning(beslutning).label.lower()


def test_an_approval_by_one_council_reaches_no_one(lav_aftale, struktur, personas, adresser):
    aftale = lav_aftale(Status.INDSTILLET)
    _nulstil()

    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG)

    assert not _mails().exists()


def test_the_last_approval_reaches_the_secretariat(lav_aftale, adresser):
    aftale = lav_aftale(Status.INDSTILLET)
    _nulstil()

    godkend_alle(aftale)

    assert _alle_slags() == {"ny_status"}
    assert _hvem("ny_status") == {"sekretariat"}


def test_a_consultation_answer_reaches_the_secretariat(lav_aftale, struktur, personas, adresser):
    aftale = lav_aftale(Status.HOERING)
    _nulstil()

    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["klynge"], afsender=struktur["klynge"],
                                tekst="<p>Vi bakker op.</p>")

    assert _alle_slags() == {"hoeringssvar"}
    assert _hvem("hoeringssvar") == {"sekretariat"}
    assert _mails().get().kontekst["afsender"] == "Klynge Et"


def test_an_implementation_status_reaches_the_secretariat(lav_aftale, struktur, personas, adresser):
    aftale = lav_aftale(Status.I_KRAFT)
    _nulstil()

    services.implementering_opdater(aftale=aftale, klynge=struktur["klynge"], bruger=personas["klynge"],
                                    status=ImplementeringStatus.I_GANG)

    assert _alle_slags() == {"implementering"}
    assert _hvem("implementering") == {"sekretariat"}


def test_a_refused_decision_writes_nothing(lav_aftale, struktur, personas, adresser):
    aftale = lav_aftale(Status.INDSTILLET)
    _nulstil()

    with pytest.raises(services.IkkeTilladt):
        services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_b"],
                                       beslutning=Beslutning.AFVIST, dato=I_DAG)

    assert not _mails().exists()


# --- reminders ---------------------------------------------------------------------------------------


def test_a_reminder_7_days_before_reaches_only_the_councils_that_have_not_decided(lav_aftale, struktur, personas,
                                                                                  adresser):
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG)
    _nulstil()
    dag = OM_EN_MAANED - datetime.timedelta(days=7)

    assert notifikationer.paamindelser(idag=dag) == 2
    assert notifikationer.paamindelser(idag=dag) == 0, "twice on one day writes nothing twice"
    assert _hvem("paamindelse") == {"kommune_b", "region"}
    # Not on other days.
    assert notifikationer.paamindelser(idag=dag - datetime.timedelta(days=1)) == 0


def test_the_day_after_the_deadline_the_secretariat_hears_who_is_missing(lav_aftale, struktur, personas, adresser):
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG)
    _nulstil()

    assert notifikationer.paamindelser(idag=OM_EN_MAANED + datetime.timedelta(days=1)) == 1
    raekke = _mails().get()
    assert raekke.slags == "frist_overskredet" and raekke.modtager_email == "sekretariat@example.dk"
    assert raekke.kontekst["mangler"] == ["Kommune B", "Kommune C", "Region Midtjylland"]


def test_no_reminder_for_an_agreement_every_council_has_decided(lav_aftale, adresser):
    aftale = lav_aftale(Status.GODKENDT)
    _nulstil()

    assert notifikationer.paamindelser(idag=aftale.beslutningsfrist - datetime.timedelta(days=7)) == 0


# --- unreachable people and followers ----------------------------------------------------------------


def test_a_secretary_without_an_address_is_listed_as_unreachable(lav_aftale, personas, adresser):
    Person.objects.filter(bruger=personas["kommune_b"]).update(email="")
    personas["kommune_b"].email = ""
    personas["kommune_b"].save()

    lav_aftale(Status.INDSTILLET)

    uden = _mails().get(tilstand=UdbakkeTilstand.UDEN_ADRESSE)
    assert uden.modtager_navn == "kommune-b" and uden.slags == "til_beslutning"


def test_a_follower_hears_of_changes_and_a_follower_who_may_not_read_a_draft_does_not(lav_aftale, personas,
                                                                                      adresser):
    aftale = lav_aftale(Status.UDKAST)
    personas["styregruppe"].email = "styregruppe@example.dk"
    personas["styregruppe"].save()
    personas["udenforstaaende"].email = "ude@example.dk"
    personas["udenforstaaende"].save()
    abonnementer.abonnement_opret(bruger=personas["styregruppe"], objekt_type="aftale", slug=aftale.slug)
    # Following what one cannot see is refused as if it did not exist.
    with pytest.raises(abonnementer.IkkeTilladt):
        abonnementer.abonnement_opret(bruger=personas["udenforstaaende"], objekt_type="aftale", slug=aftale.slug)
    _nulstil()

    services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.SEND_I_HOERING,
                             hoeringsfrist=OM_EN_MAANED)

    assert _hvem("abonnement") == {"styregruppe"}
    assert "ude@example.dk" not in set(_mails().values_list("modtager_email", flat=True))


def test_a_follower_who_is_also_a_direct_recipient_gets_one_mail(lav_aftale, personas, adresser):
    aftale = lav_aftale(Status.INDSTILLET)
    abonnementer.abonnement_opret(bruger=personas["sekretariat"], objekt_type="aftale", slug=aftale.slug)
    _nulstil()

    godkend_alle(_frisk(aftale))

    assert list(_mails().filter(modtager_email="sekretariat@example.dk").values_list("slags", flat=True)) == [
        "ny_status"]


# --- meetings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("handling", "fra", "hvad"), [
    ("offentliggoer_dagsorden", "planlagt", "Dagsordenen"),
    ("offentliggoer_referat", "dagsorden", "Referatet"),
])
def test_a_published_agenda_or_minutes_reaches_the_forums_members_and_followers(struktur, personas, adresser,
                                                                               handling, fra, hvad):
    from organisation import moeder_services
    from tests.organisation.moeder.hjaelp import lav_moede

    forum = struktur["fora"]["temagruppe"]
    personas["udenforstaaende"].email = "ude@example.dk"
    personas["udenforstaaende"].save()
    abonnementer.abonnement_opret(bruger=personas["udenforstaaende"], objekt_type="forum", slug=forum.slug)
    moede = lav_moede(forum, fra)
    _nulstil()

    moeder_services.moede_overgang(moede=moede, bruger=personas["sekretariat"], handling=handling)

    assert {r.modtager_email for r in _mails()} == {"temagruppe@example.dk", "ude@example.dk"}
    assert _alle_slags() == {"moede"}
    assert {r.kontekst["hvad"] for r in _mails()} == {hvad}
