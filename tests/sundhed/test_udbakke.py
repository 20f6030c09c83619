"""The outbox (sundhed.udbakke): written in the caller's transaction, delivered once per recipient,
retried with backoff, failures visible, a dead worker's row retried at most once, digests."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sundhed import tasks, udbakke
from sundhed.models import Levering, Notifikationsvalg, Udbakke, UdbakkeTilstand
from sundhed.notifikationer import Modtager
from tests.factories import UserFactory

NU = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _skriv(haendelse="test:1", modtagere=None, slags="til_beslutning", **kw):
    modtagere = modtagere if modtagere is not None else [Modtager(email="a@example.dk", navn="Anne Andersen")]
    return udbakke.skriv(haendelse=haendelse, slags=slags, modtagere=modtagere, skabelon="aftaler/mail/til_beslutning",
                         kontekst={"aftale": {"titel": "Aftale om test"}, "status": "Indstillet", "frist": ""},
                         objekt_type="aftale", objekt_id="1", objekt_navn=kw.pop("objekt_navn", "Aftale om test"),
                         url="https://portal.example.dk/arbejde/aftaler/test/", **kw)


@pytest.fixture
def fejlende_post(monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def fejl(self, beskeder):
        raise OSError("SMTP-serveren svarer ikke")

    monkeypatch.setattr(EmailBackend, "send_messages", fejl)


def test_rows_are_written_in_the_callers_transaction_and_vanish_with_a_rollback(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        _skriv()
        assert Udbakke.objects.count() == 1
        raise RuntimeError("rul tilbage")

    assert not Udbakke.objects.exists()


def test_the_same_event_and_recipient_is_written_once(db):
    assert _skriv() == 1
    assert _skriv() == 0
    assert _skriv(modtagere=[Modtager(email="A@example.dk", navn="Anne")]) == 0, "addresses compare without case"
    assert Udbakke.objects.count() == 1


def test_delivery_sends_one_mail_per_recipient_with_text_html_sender_links_and_list_unsubscribe(db, settings):
    settings.SITE_URL = "https://portal.example.dk"
    _skriv(modtagere=[Modtager(email="a@example.dk", navn="Anne"), Modtager(email="b@example.dk", navn="Bo")])

    assert udbakke.lever() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.dk", "b@example.dk"]
    besked = mail.outbox[0]
    assert len(besked.to) == 1 and not besked.cc and not besked.bcc
    assert besked.from_email == f"{settings.PORTAL_NAVN} <{settings.DEFAULT_FROM_EMAIL}>"
    assert besked.subject == "Til beslutning: Aftale om test"
    indstillinger = "https://portal.example.dk" + reverse("arbejde:notifikationer")
    assert besked.extra_headers["List-Unsubscribe"] == f"<{indstillinger}>"
    assert "https://portal.example.dk/arbejde/aftaler/test/" in besked.body
    assert indstillinger in besked.body
    html, mimetype = besked.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{indstillinger}"' in html and "https://portal.example.dk/arbejde/aftaler/test/" in html
    assert "b@example.dk" not in besked.body + html, "nothing about other recipients"
    assert set(Udbakke.objects.values_list("tilstand", flat=True)) == {UdbakkeTilstand.SENDT}
    # Delivered rows are not delivered again.
    assert udbakke.lever() == 0 and len(mail.outbox) == 2


def test_a_resend_of_the_same_row_carries_the_same_message_id(db):
    _skriv()
    raekke = Udbakke.objects.get()

    assert udbakke.besked_for(raekke).extra_headers["Message-ID"] == udbakke.besked_for(raekke).extra_headers[
        "Message-ID"]


def test_a_failure_is_retried_with_backoff_then_marked_failed_and_retried_by_the_admin(db, fejlende_post):
    _skriv()
    NU = timezone.now() + datetime.timedelta(minutes=1)  # noqa: N806 (the rows are due from now)

    assert udbakke.lever(nu=NU) == 0
    raekke = Udbakke.objects.get()
    assert raekke.tilstand == UdbakkeTilstand.VENTENDE and raekke.forsoeg == 1
    assert raekke.naeste_forsoeg == NU + datetime.timedelta(seconds=60)
    assert "SMTP-serveren svarer ikke" in raekke.sidste_fejl
    # Not due again before its time.
    assert udbakke.lever(nu=NU + datetime.timedelta(seconds=30)) == 0
    assert Udbakke.objects.get().forsoeg == 1
    udbakke.lever(nu=NU + datetime.timedelta(seconds=61))
    assert Udbakke.objects.get().naeste_forsoeg == NU + datetime.timedelta(seconds=61 + 120)

    Udbakke.objects.update(forsoeg=udbakke.MAKS_FORSOEG - 1, naeste_forsoeg=NU)
    udbakke.lever(nu=NU)
    assert Udbakke.objects.get().tilstand == UdbakkeTilstand.FEJLET

    assert udbakke.proev_igen(Udbakke.objects.all()) == 1
    raekke = Udbakke.objects.get()
    assert raekke.tilstand == UdbakkeTilstand.VENTENDE and raekke.forsoeg == 0


def test_a_row_left_sending_by_a_dead_worker_is_retried_once_then_left_for_an_administrator(db, settings):
    settings.UDBAKKE_OPTAGET_SEKUNDER = 60
    _skriv()
    Udbakke.objects.update(tilstand=UdbakkeTilstand.SENDER, optaget=NU, forsoeg=1)

    assert udbakke.genoptag_haengende(nu=NU + datetime.timedelta(seconds=30)) == 0, "still within its time"
    assert udbakke.genoptag_haengende(nu=NU + datetime.timedelta(seconds=61)) == 1
    raekke = Udbakke.objects.get()
    assert raekke.tilstand == UdbakkeTilstand.VENTENDE and raekke.genoptaget

    Udbakke.objects.update(tilstand=UdbakkeTilstand.SENDER, optaget=NU)
    udbakke.genoptag_haengende(nu=NU + datetime.timedelta(seconds=61))
    raekke = Udbakke.objects.get()
    assert raekke.tilstand == UdbakkeTilstand.FEJLET and "kan være sendt" in raekke.sidste_fejl


def test_a_sending_row_is_not_claimed_by_a_second_worker(db):
    _skriv()
    Udbakke.objects.update(tilstand=UdbakkeTilstand.SENDER, optaget=timezone.now())

    assert udbakke.lever() == 0
    assert mail.outbox == []


def test_the_sweeper_delivers_what_is_due(db):
    _skriv()

    assert tasks.udbakke_fej() == 1
    assert len(mail.outbox) == 1


def test_a_broker_that_is_down_does_not_fail_the_committed_write(db, django_capture_on_commit_callbacks,
                                                                  monkeypatch, caplog):
    from sundhed.celery import app

    app.conf.task_always_eager = False

    def nede(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.lever_udbakke, "delay", nede)
    with django_capture_on_commit_callbacks(execute=True):
        _skriv()

    assert Udbakke.objects.get().tilstand == UdbakkeTilstand.VENTENDE, "the row waits for the sweeper"
    assert "udbakkens fejning" in caplog.text


# --- preferences and the digest -----------------------------------------------------------------------


def test_a_choice_of_fra_writes_no_row_and_dagligt_waits_for_the_digest(db):
    anne, bo = UserFactory(username="anne"), UserFactory(username="bo")
    Notifikationsvalg.objects.create(bruger=anne, slags="til_beslutning", valg=Levering.FRA)
    Notifikationsvalg.objects.create(bruger=bo, slags="til_beslutning", valg=Levering.DAGLIGT)

    _skriv(modtagere=[Modtager(email="anne@example.dk", navn="Anne", bruger_id=anne.pk),
                      Modtager(email="bo@example.dk", navn="Bo", bruger_id=bo.pk),
                      Modtager(email="cai@example.dk", navn="Cai")])

    assert sorted(Udbakke.objects.values_list("modtager_email", "levering")) == [
        ("bo@example.dk", "dagligt"), ("cai@example.dk", "straks")]
    assert udbakke.lever() == 1
    assert [m.to for m in mail.outbox] == [["cai@example.dk"]]


def test_defaults_are_straks_for_decisions_awaited_and_dagligt_for_the_rest(db):
    bruger = UserFactory()
    valg = udbakke.alle_valg(bruger)

    assert valg["til_beslutning"] == "straks" and valg["paamindelse"] == "straks"
    assert valg["afvist_udsat"] == "straks", "a rejection stops the decision awaited"
    assert valg["abonnement"] == "dagligt" and valg["hoeringssvar"] == "dagligt" and valg["moede"] == "dagligt"


def test_the_digest_groups_by_agreement_newest_first_and_is_sent_once(db, settings):
    settings.SITE_URL = "https://portal.example.dk"
    bo = UserFactory(username="bo")
    modtager = [Modtager(email="bo@example.dk", navn="Bo", bruger_id=bo.pk)]
    for i, (navn, tid) in enumerate([("Aftale A", NU - datetime.timedelta(hours=5)),
                                     ("Aftale B", NU - datetime.timedelta(hours=3)),
                                     ("Aftale A", NU - datetime.timedelta(hours=1)),
                                     ("Aftale C", NU + datetime.timedelta(hours=1))]):
        _skriv(haendelse=f"test:{i}", modtagere=modtager, slags="hoeringssvar", objekt_navn=navn)
        Udbakke.objects.filter(noegle__contains=f"test:{i}|").update(oprettet=tid)

    assert udbakke.send_sammendrag(nu=NU) == 1
    assert udbakke.send_sammendrag(nu=NU) == 0

    (besked,) = mail.outbox
    assert besked.to == ["bo@example.dk"]
    assert besked.subject.startswith("Dagligt overblik fra ") and besked.subject.endswith("3 nyheder")
    tekst = besked.body
    assert tekst.index("Aftale A") < tekst.index("Aftale B"), "the group with the newest event first"
    assert "Aftale C" not in tekst, "a row written after the digest's time waits for the next one"
    assert besked.extra_headers["List-Unsubscribe"].startswith("<https://portal.example.dk/")
    assert Udbakke.objects.filter(tilstand=UdbakkeTilstand.SENDT).count() == 3
    assert Udbakke.objects.get(objekt_navn="Aftale C").tilstand == UdbakkeTilstand.VENTENDE


def test_the_admin_lists_failed_rows_and_retries_them(admin_client, db):
    _skriv()
    Udbakke.objects.update(tilstand=UdbakkeTilstand.FEJLET, sidste_fejl="OSError: nede")
    url = reverse("admin:sundhed_udbakke_changelist")

    side = admin_client.get(url + "?tilstand__exact=fejlet")
    assert side.status_code == 200 and "OSError: nede" in side.content.decode()

    svar = admin_client.post(url, {"action": "proev_igen", "_selected_action": [Udbakke.objects.get().pk]})
    assert svar.status_code == 302
    assert Udbakke.objects.get().tilstand == UdbakkeTilstand.SENDT, "retried now (run in-process here)"


def test_delivered_refreshes_and_old_mails_are_cleared_but_nothing_undelivered(db):
    _skriv()
    udbakke.skriv_opgave("aftaler.tasks.aftale_aendret", 1)
    Udbakke.objects.update(tilstand=UdbakkeTilstand.SENDT, sendt=timezone.now() - datetime.timedelta(days=2))
    _skriv(haendelse="test:ny")

    assert udbakke.ryd() == 1
    assert sorted(Udbakke.objects.values_list("kanal", "tilstand")) == [("email", "sendt"), ("email", "ventende")]


def test_a_refresh_is_run_by_its_dotted_path_even_when_no_one_imported_its_module(db):
    import sys

    sys.modules.pop("tests.sundhed.udbakke_opgave", None)
    udbakke.skriv_opgave("tests.sundhed.udbakke_opgave.opfrisk", 7)

    udbakke.lever()

    from tests.sundhed import udbakke_opgave

    assert udbakke_opgave.KALD == [(7,)]
    assert Udbakke.objects.get().tilstand == UdbakkeTilstand.SENDT
