"""Who hears what when an agreement changes state (aftaler.notifikationer), and the texts they get."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from aftaler import notifikationer, services
from aftaler.choices import Beslutning, Omfang, Status
from aftaler.models import Overgang
from aftaler.workflow import Handling
from indikatorer import notifikationer as indikator_notifikationer
from indikatorer.models import Halvaarsrapport
from organisation import selectors as org_selectors
from organisation.choices import Rolle
from organisation.models import Person
from sundhed.models import Udbakke
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk, raadssekretaer
from tests.factories import MedlemskabFactory, PersonFactory, UserFactory

KOMMUNE_A, KOMMUNE_B, REGION = "sekretariat@kommune-a.dk", "sekretariat@kommune-b.dk", "sekretariat@rm.dk"
FAELLES = "sekretariat@rm-kl.dk"


@pytest.fixture
def adresser(personas):
    """The council secretaries and the joint secretariat get e-mail addresses; the others have none."""
    for navn, email in (("kommune_a", KOMMUNE_A), ("kommune_b", KOMMUNE_B), ("region", REGION),
                        ("sekretariat", FAELLES)):
        Person.objects.filter(bruger=personas[navn]).update(email=email)


def _overgang(aftale, til_status: str) -> Overgang:
    return Overgang.objects.filter(aftale=aftale, til_status=til_status).latest("pk")


def _adresser(overgang) -> list[str]:
    return [m.email for m in notifikationer.modtagere_for_overgang(overgang)]


# --- who hears what ------------------------------------------------------------------------------


def test_a_recommendation_is_heard_by_the_secretariats_of_the_councils_that_must_decide(lav_aftale, adresser):
    aftale = lav_aftale(Status.INDSTILLET)

    assert _adresser(_overgang(aftale, Status.INDSTILLET)) == [KOMMUNE_A, KOMMUNE_B, REGION]


def test_a_local_recommendation_is_not_heard_by_councils_outside_the_cluster(lav_aftale, struktur, adresser):
    aftale = lav_aftale(Status.INDSTILLET, omfang=Omfang.LOKAL, klynge=struktur["anden_klynge"])

    assert _adresser(_overgang(aftale, Status.INDSTILLET)) == [REGION]


def test_a_consultation_is_heard_by_the_same_council_secretariats(lav_aftale, adresser):
    aftale = lav_aftale(Status.HOERING)

    assert _adresser(_overgang(aftale, Status.HOERING)) == [KOMMUNE_A, KOMMUNE_B, REGION]


def test_an_approval_is_heard_by_the_joint_secretariat_not_the_councils(lav_aftale, adresser):
    aftale = lav_aftale(Status.GODKENDT)

    assert _adresser(_overgang(aftale, Status.GODKENDT)) == [FAELLES]


def test_entry_into_force_is_heard_by_the_joint_secretariat(lav_aftale, adresser):
    aftale = lav_aftale(Status.I_KRAFT)

    assert _adresser(_overgang(aftale, Status.I_KRAFT)) == [FAELLES]


def test_a_rejection_is_heard_by_the_joint_secretariat_with_the_councils_remark(
        lav_aftale, struktur, adresser, django_capture_on_commit_callbacks):
    aftale = lav_aftale(Status.INDSTILLET)
    Udbakke.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"],
                                       bruger=raadssekretaer(struktur["kommune_a"]), beslutning=Beslutning.AFVIST,
                                       dato=I_DAG, bemaerkning="Økonomien hænger ikke sammen.")

    raekker = list(Udbakke.objects.filter(slags="afvist_udsat"))
    assert [r.modtager_email for r in raekker] == [FAELLES]
    assert raekker[0].kontekst["bemaerkning"] == "Økonomien hænger ikke sammen."
    assert raekker[0].kontekst["part"] == "Kommune A"
    # Delivered at once (the default for rejections): the secretariat's mail names the council and its remark.
    (besked,) = [m for m in mail.outbox if m.to == [FAELLES]]
    assert besked.subject == "Kommune A har afvist: Aftale om sundhedsvisitationer"
    assert "Økonomien hænger ikke sammen." in besked.body
    # No transition: the agreement still awaits the other councils.
    assert not Overgang.objects.filter(aftale=aftale).exclude(til_status=Status.INDSTILLET).exists()


def test_sending_an_agreement_back_is_heard_by_no_one(lav_aftale, personas, adresser,
                                                      django_capture_on_commit_callbacks):
    aftale = lav_aftale(Status.INDSTILLET)
    Udbakke.objects.all().delete()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        overgang = services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"],
                                            handling=Handling.SEND_RETUR, note="Mangler økonomi.")

    assert notifikationer.modtagere_for_overgang(overgang) == []
    assert not Udbakke.objects.filter(kanal="email").exists()
    assert mail.outbox == []


def test_only_council_secretaries_with_an_address_and_an_active_membership_hear_it_once(lav_aftale, struktur,
                                                                                        personas, adresser):
    raad = struktur["fora"]["kb_a"]
    # An ordinary council member is not its secretariat.
    MedlemskabFactory(person=PersonFactory(email="medlem@kommune-a.dk"), forum=raad, rolle=Rolle.MEDLEM)
    # A secretary whose membership has ended.
    MedlemskabFactory(person=PersonFactory(email="tidligere@kommune-a.dk"), forum=raad, rolle=Rolle.SEKRETAER,
                      valid_from=datetime.date(2022, 7, 1), valid_to=I_DAG - datetime.timedelta(days=1))
    # A secretary with no address of their own gets the user account's.
    bruger = UserFactory(username="kb-b-2", email="kb-b-2@kommune-b.dk")
    MedlemskabFactory(person=PersonFactory(bruger=bruger), forum=struktur["fora"]["kb_b"], rolle=Rolle.SEKRETAER)
    # Two secretaries sharing one address get one mail.
    MedlemskabFactory(person=PersonFactory(email=REGION), forum=struktur["fora"]["rr"], rolle=Rolle.SEKRETAER)
    # And one with no address at all gets none.
    MedlemskabFactory(person=PersonFactory(), forum=raad, rolle=Rolle.SEKRETAER)
    aftale = lav_aftale(Status.INDSTILLET)

    modtagere = notifikationer.modtagere_for_overgang(_overgang(aftale, Status.INDSTILLET))

    assert [m.email for m in modtagere] == ["kb-b-2@kommune-b.dk", KOMMUNE_A, KOMMUNE_B, REGION]
    assert modtagere[0].bruger_id == bruger.pk and modtagere[0].person_id == bruger.person.pk


def test_the_council_secretariats_selector_narrows_to_the_parties_asked_for(struktur, personas):
    alle = set(org_selectors.raadssekretariater().values_list("person__bruger__username", flat=True))
    kun_a = set(org_selectors.raadssekretariater(parter=[struktur["kommune_a"]])
                .values_list("person__bruger__username", flat=True))

    assert alle == {"kommune-a", "kommune-b", "region"}
    assert kun_a == {"kommune-a"}


def test_the_half_year_report_is_heard_by_every_council_secretariat(personas, adresser):
    rapport = Halvaarsrapport.objects.create(periode="2024H1")

    modtagere = indikator_notifikationer.modtagere_for_rapport(rapport)

    assert [m.email for m in modtagere] == [KOMMUNE_A, KOMMUNE_B, REGION]


# --- the texts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "emne"), [
    (Status.INDSTILLET, "Til beslutning: Aftale om sundhedsvisitationer & hjemtagning"),
    (Status.HOERING, "I høring: Aftale om sundhedsvisitationer & hjemtagning"),
    (Status.GODKENDT, "Godkendt: Aftale om sundhedsvisitationer & hjemtagning"),
    (Status.I_KRAFT, "I kraft: Aftale om sundhedsvisitationer & hjemtagning"),
])
def test_each_transition_that_notifies_has_a_danish_one_line_subject(lav_aftale, status, emne):
    aftale = lav_aftale(status, titel="Aftale om sundhedsvisitationer & hjemtagning")

    with translation.override("en"):
        besked = notifikationer.besked_for_overgang(_overgang(aftale, status))

    assert besked.emne == emne


def test_a_title_with_line_breaks_still_gives_a_one_line_subject(lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    # Titles are made one line when saved; an older row may still hold a line break.
    type(aftale).objects.filter(pk=aftale.pk).update(titel="Aftale om\r\nBcc: alle@example.com\u2028\tmere")

    besked = notifikationer.besked_for_overgang(_overgang(_frisk(aftale), Status.INDSTILLET))

    assert besked.emne == "Til beslutning: Aftale om Bcc: alle@example.com mere"


def test_the_body_names_the_status_the_deadline_in_danish_and_the_link_unescaped(lav_aftale, settings):
    settings.SITE_URL = "https://sundhed.example.dk"
    aftale = lav_aftale(Status.INDSTILLET, titel="Aftale om <akut> & sub-akut")
    type(aftale).objects.filter(pk=aftale.pk).update(beslutningsfrist=datetime.date(2026, 11, 29))

    with translation.override("en"):
        besked = notifikationer.besked_for_overgang(_overgang(_frisk(aftale), Status.INDSTILLET))

    assert besked.tekst == (
        "Samarbejdsaftalen «Aftale om <akut> & sub-akut» har nu status: Indstillet til godkendelse.\n"
        "Frist: 29. november 2026.\n"
        f"\nSe aftalen: https://sundhed.example.dk{reverse('arbejde:aftale', args=[aftale.slug])}\n\n"
        "Venlig hilsen\nFælles sekretariat for sundhedsaftalen"
    )


def test_an_approval_body_gives_no_deadline(lav_aftale):
    aftale = lav_aftale(Status.GODKENDT)

    besked = notifikationer.besked_for_overgang(_overgang(aftale, Status.GODKENDT))

    assert besked.tekst.startswith("Samarbejdsaftalen «Aftale om sundhedsvisitationer» har nu status: Godkendt.\n\n")
    assert "Frist" not in besked.tekst


def test_a_consultation_body_gives_the_consultation_deadline(lav_aftale):
    aftale = lav_aftale(Status.HOERING)

    besked = notifikationer.besked_for_overgang(_overgang(aftale, Status.HOERING))

    assert f"Frist: {OM_EN_MAANED.day}. " in besked.tekst


def test_a_transition_that_notifies_no_one_has_no_text(lav_aftale, personas):
    aftale = lav_aftale(Status.INDSTILLET)
    overgang = services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=Handling.SEND_RETUR,
                                        note="Mangler økonomi.")

    assert notifikationer.besked_for_overgang(overgang) is None


def test_the_report_mail_has_a_danish_one_line_subject_and_links(settings):
    settings.SITE_URL = "https://sundhed.example.dk"
    rapport = Halvaarsrapport(periode="2024H1")

    with translation.override("en"):
        besked = indikator_notifikationer.besked_for_rapport(rapport)

    assert besked.emne == "Halvårsrapport om sundhedsaftalens indikatorer, 1. halvår 2024"
    assert besked.tekst.startswith("Data for 1. halvår 2024 er nu komplette for regionen, alle klynger og alle "
                                   "kommuner.\n\n")
    assert "https://sundhed.example.dk/indikatorer/rapport/2024H1.pdf" in besked.tekst
    assert besked.tekst.endswith("til orientering.\n\nVenlig hilsen\nFælles sekretariat for sundhedsaftalen")
