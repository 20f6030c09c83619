"""Every admin on the site mirrors its bulk deletions into the audit log (sundhed.admin_base)."""

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse

from sundhed.admin_base import RevisionMixin
from sundhed.models import Abonnement, Haendelse
from tests.factories import UserFactory


def test_every_admin_on_the_site_has_the_mixin_first_among_its_hooks():
    registrerede = [m for m in apps.get_models() if admin.site.is_registered(m)]
    assert registrerede
    for model in registrerede:
        klasse = type(admin.site.get_model_admin(model))
        assert issubclass(klasse, RevisionMixin), model._meta.label
        # No base before the mixin logs deletions its own way (and Django's deprecated log_deletion, which
        # saves each entry and so would be mirrored twice, is overridden nowhere).
        assert [k for k in klasse.__mro__ if "log_deletions" in vars(k)][0] is RevisionMixin, model._meta.label
        assert klasse.log_deletion is admin.ModelAdmin.log_deletion, model._meta.label


@pytest.fixture
def admin_klient(admin_user):
    klient = Client(REMOTE_ADDR="192.0.2.60")
    klient.force_login(admin_user)
    return klient


def _slet_valgte(klient, model, pks):
    opts = model._meta
    return klient.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"), {
        "action": "delete_selected", "_selected_action": list(pks), "post": "yes"})


def _slettet(model) -> list[Haendelse]:
    return list(Haendelse.objects.filter(handling="admin_slettet", objekt_type=model._meta.label_lower))


@pytest.mark.django_db
def test_a_bulk_deletion_in_a_project_admin_is_mirrored_once_per_object(admin_klient, admin_user):
    bruger = UserFactory()
    abonnementer = [Abonnement.objects.create(bruger=bruger, objekt_type="aftale", slug=f"a-{n}") for n in range(3)]

    assert _slet_valgte(admin_klient, Abonnement, [a.pk for a in abonnementer]).status_code == 302

    assert not Abonnement.objects.exists()
    raekker = _slettet(Abonnement)
    assert sorted(h.objekt_id for h in raekker) == sorted(str(a.pk) for a in abonnementer)
    assert {(h.bruger, h.ip) for h in raekker} == {(admin_user, "192.0.2.60")}
    assert sorted(h.data["logentry"] for h in raekker) == sorted(
        LogEntry.objects.filter(action_flag=3).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_single_deletion_through_the_action_is_mirrored_once(admin_klient):
    abonnement = Abonnement.objects.create(bruger=UserFactory(), objekt_type="klynge", slug="k")

    assert _slet_valgte(admin_klient, Abonnement, [abonnement.pk]).status_code == 302

    assert [h.objekt_id for h in _slettet(Abonnement)] == [str(abonnement.pk)]


@pytest.mark.django_db
def test_a_bulk_deletion_in_a_third_party_admin_is_mirrored(admin_klient):
    # Unlocking accounts in django-axes' admin ("Adgangsforsøg") is an administrator's act worth keeping.
    forsoeg = [AccessAttempt.objects.create(username=f"bruger-{n}", ip_address="192.0.2.1", user_agent="test",
                                            failures_since_start=5) for n in range(2)]

    assert _slet_valgte(admin_klient, AccessAttempt, [f.pk for f in forsoeg]).status_code == 302

    assert not AccessAttempt.objects.exists()
    assert sorted(h.objekt_id for h in _slettet(AccessAttempt)) == sorted(str(f.pk) for f in forsoeg)
