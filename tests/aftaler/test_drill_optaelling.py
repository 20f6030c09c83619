"""How the drills count deliveries (aftaler.drill._optael), on mails written as Django's file backend
writes them: a claimed row's second copy with the same Message-ID is the crash's documented cost;
any other extra copy is a duplicate."""

from pathlib import Path

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend

from aftaler import drill


def _send(mappe: Path, noegle: str, message_id: str) -> None:
    with EmailBackend(file_path=str(mappe)) as forbindelse:
        forbindelse.send_messages([EmailMessage(
            subject="Øvelse", body="Tekst", from_email="portal@example.dk", to=["a@example.dk"],
            headers={"X-Udbakke-Noegle": noegle, "Message-ID": message_id})])


def test_one_copy_each_is_delivered_and_nothing_else(tmp_path):
    _send(tmp_path, "k1", "<1@x>")
    _send(tmp_path, "k2", "<2@x>")

    tal = drill._optael("t", ["k1", "k2", "k3"], tmp_path)

    assert (tal.haendelser, tal.leveret, tal.tabt, tal.dubletter, tal.gensendt) == (3, 2, 1, 0, 0)


def test_a_second_copy_of_a_row_not_claimed_at_the_kill_is_a_duplicate(tmp_path):
    _send(tmp_path, "k1", "<1@x>")
    _send(tmp_path, "k1", "<1@x>")

    tal = drill._optael("t", ["k1"], tmp_path, i_flugten=frozenset({"k2"}))

    assert (tal.dubletter, tal.gensendt) == (1, 0)


def test_the_claimed_rows_second_copy_with_the_same_message_id_is_counted_as_resent(tmp_path):
    _send(tmp_path, "k1", "<1@x>")
    _send(tmp_path, "k1", "<1@x>")

    tal = drill._optael("t", ["k1"], tmp_path, i_flugten=frozenset({"k1"}))

    assert (tal.leveret, tal.dubletter, tal.gensendt) == (1, 0, 1)
    assert "gensendt efter nedbrud 1" in tal.linje()


def test_a_third_copy_or_a_new_message_id_is_still_a_duplicate(tmp_path):
    for _ in range(3):
        _send(tmp_path, "k1", "<1@x>")
    _send(tmp_path, "k2", "<2@x>")
    _send(tmp_path, "k2", "<2b@x>")

    tal = drill._optael("t", ["k1", "k2"], tmp_path, i_flugten=frozenset({"k1", "k2"}))

    assert (tal.dubletter, tal.gensendt) == (2, 1)
