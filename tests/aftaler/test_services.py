"""The lifecycle through the services: states, records, decisions pinned to versions, lost updates."""

import datetime

import pytest
from django.core import mail
from django.db import DatabaseError, IntegrityError, transaction

from aftaler import selectors, services
from aftaler.choices import Beslutning, ImplementeringStatus, Omfang, Status
from aftaler.models import AftaleVersion, Godkendelse, Implementering, Overgang
from aftaler.workflow import OVERGANGE, Handling
from sundhed.exceptions import DomainError
from tests.aftaler.conftest import I_DAG, OM_EN_MAANED, _frisk

pytestmark = pytest.mark.django_db


def test_a_new_agreement_is_a_draft_with_a_first_version(lav_aftale, personas):
    aftale = lav_aftale()
    assert aftale.status == Status.UDKAST
    assert aftale.slug == "aftale-om-sundhedsvisitationer"
    assert aftale.aktuel_version.nummer == 1
    assert aftale.aktuel_version.forfatter == personas["sekretariat"]


def test_slugs_transliterate_danish_letters_and_stay_unique(lav_aftale):
    a = lav_aftale(titel="Fælles hjælperordninger for borgere på Samsø")
    b = lav_aftale(titel="Fælles hjælperordninger for borgere på Samsø")
    assert a.slug == "faelles-hjaelperordninger-for-borgere-paa-samsoe"
    assert b.slug == a.slug + "-2"


def test_a_local_agreement_needs_its_cluster(personas):
    with pytest.raises(DomainError) as e:
        services.aftale_opret(bruger=personas["sekretariat"], titel="Lokal", omfang=Omfang.LOKAL)
    assert e.value.field == "klynge"


def test_full_lifecycle_writes_one_transition_row_per_step(lav_aftale, struktur):
    aftale = lav_aftale(Status.OPHAEVET)
    trin = list(Overgang.objects.filter(aftale=aftale).values_list("fra_status", "til_status"))
    assert trin == [
        (Status.UDKAST, Status.INDSTILLET),
        (Status.INDSTILLET, Status.GODKENDT),
        (Status.GODKENDT, Status.I_KRAFT),
        (Status.I_KRAFT, Status.OPHAEVET),
    ]
    assert aftale.offentliggjort_version == aftale.aktuel_version
    # Implementation rows for every active cluster concerned (two in the test structure).
    assert Implementering.objects.filter(aftale=aftale).count() == 2


def test_recommending_freezes_the_version_and_records_the_committees_recommendation(lav_aftale, udvalg):
    aftale = lav_aftale(Status.INDSTILLET)
    assert aftale.aktuel_version.frossen
    behandling = aftale.behandlinger.get()
    assert behandling.forum == udvalg and behandling.udfald == "anbefalet"
    assert aftale.beslutningsfrist == OM_EN_MAANED


def test_a_frozen_version_cannot_be_changed_even_directly_in_the_database(lav_aftale):
    aftale = lav_aftale(Status.INDSTILLET)
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        AftaleVersion.objects.filter(pk=aftale.aktuel_version_id).update(tekst="<p>ændret bagefter</p>")
    assert AftaleVersion.objects.get(pk=aftale.aktuel_version_id).tekst == "<p>Første tekst om borgeren.</p>"


@pytest.mark.parametrize("handling", list(OVERGANGE))
def test_an_action_from_the_wrong_state_is_refused_and_changes_nothing(lav_aftale, personas, handling):
    regel = OVERGANGE[handling]
    status = next(s for s in Status.values if s not in regel.fra)
    aftale = lav_aftale(status)
    foer = Overgang.objects.count()
    with pytest.raises(DomainError):
        services.aftale_overgang(aftale=aftale, bruger=personas["sekretariat"], handling=handling,
                                 hoeringsfrist=OM_EN_MAANED, beslutningsfrist=OM_EN_MAANED, ikrafttraedelse=I_DAG)
    assert _frisk(aftale).status == status
    assert Overgang.objects.count() == foer


def test_approval_needs_every_required_party_on_the_current_version(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    parter = selectors.paakraevede_parter(aftale)
    # Regional: all active municipalities (3 in the test structure) and the region.
    assert {p.slug for p in parter} == {"kommune-a", "kommune-b", "kommune-c", "region-midtjylland"}
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning=Beslutning.GODKENDT, dato=I_DAG, sagsnummer="21/7419")
    fremdrift = selectors.fremdrift(_frisk(aftale))
    assert (fremdrift.godkendt, fremdrift.antal) == (1, 4)
    assert _frisk(aftale).status == Status.INDSTILLET


def test_a_municipality_cannot_record_a_decision_for_another(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    with pytest.raises(services.IkkeTilladt):
        services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_b"], bruger=personas["kommune_a"],
                                       beslutning=Beslutning.GODKENDT, dato=I_DAG)
    assert not Godkendelse.objects.exists()


def test_a_postponement_may_come_first_but_only_one_final_decision(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    kw = {"aftale": aftale, "part": struktur["kommune_a"], "bruger": personas["kommune_a"], "dato": I_DAG}
    services.godkendelse_registrer(beslutning=Beslutning.UDSAT, **kw)
    services.godkendelse_registrer(beslutning=Beslutning.AFVIST, **kw)
    with pytest.raises(DomainError, match="allerede truffet endelig beslutning"):
        services.godkendelse_registrer(beslutning=Beslutning.GODKENDT, **kw)
    assert list(Godkendelse.objects.values_list("beslutning", flat=True)) == ["udsat", "afvist"]


def test_the_database_itself_refuses_a_second_final_decision(lav_aftale, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    kw = {"version": aftale.aktuel_version, "part": struktur["kommune_a"], "dato": I_DAG}
    Godkendelse.objects.create(beslutning="godkendt", **kw)
    with pytest.raises(IntegrityError), transaction.atomic():
        Godkendelse.objects.create(beslutning="afvist", **kw)


def test_decisions_are_refused_in_the_future_and_outside_indstillet(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    with pytest.raises(DomainError) as e:
        services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                       beslutning="godkendt", dato=I_DAG + datetime.timedelta(days=1))
    assert e.value.field == "dato"
    udkast = lav_aftale(titel="Et udkast")
    with pytest.raises(DomainError):
        services.godkendelse_registrer(aftale=udkast, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                       beslutning="godkendt", dato=I_DAG)


def test_rejection_send_back_and_resubmission_start_the_new_version_with_no_decisions(
    lav_aftale, personas, struktur, udvalg
):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.INDSTILLET)
    v1 = aftale.aktuel_version
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_a"], bruger=personas["kommune_a"],
                                   beslutning="godkendt", dato=I_DAG)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_b"], bruger=personas["kommune_b"],
                                   beslutning="afvist", dato=I_DAG, bemaerkning="Økonomien hænger ikke sammen")
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.SEND_RETUR, note="Afvist af B")
    aftale = _frisk(aftale)
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Rettet tekst.</p>",
                        aendringsnote="Økonomi præciseret")
    aftale = _frisk(aftale)
    assert aftale.aktuel_version.nummer == 2
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                             beslutningsfrist=OM_EN_MAANED)
    fremdrift = selectors.fremdrift(_frisk(aftale))
    assert fremdrift.godkendt == 0 and fremdrift.afvist == 0
    # The history of version 1 stays.
    assert Godkendelse.objects.filter(version=v1).count() == 2
    services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur["kommune_b"], bruger=personas["kommune_b"],
                                   beslutning="godkendt", dato=I_DAG)
    assert selectors.fremdrift(_frisk(aftale)).godkendt == 1


def test_the_last_approval_makes_the_agreement_approved_with_one_automatic_transition(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.INDSTILLET)
    for navn, part in [("kommune_a", "kommune_a"), ("kommune_b", "kommune_b"), ("region", "region")]:
        services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur[part], bruger=personas[navn],
                                       beslutning="godkendt", dato=I_DAG)
    assert _frisk(aftale).status == Status.INDSTILLET  # kommune C is still missing
    from tests.aftaler.conftest import raadssekretaer

    c = raadssekretaer(struktur["kommune_c"], "kommune-c")
    services.godkendelse_registrer(aftale=_frisk(aftale), part=struktur["kommune_c"], bruger=c,
                                   beslutning="godkendt", dato=I_DAG)
    aftale = _frisk(aftale)
    assert aftale.status == Status.GODKENDT and aftale.godkendt_dato == I_DAG
    assert Overgang.objects.filter(aftale=aftale, til_status=Status.GODKENDT).count() == 1


def test_a_local_agreement_needs_its_clusters_municipalities_and_the_region(personas, struktur, udvalg):
    aftale = services.aftale_opret(bruger=personas["sekretariat"], titel="Lokal aftale", omfang=Omfang.LOKAL,
                                   klynge=struktur["klynge"], tekst="<p>x</p>")
    assert {p.slug for p in selectors.paakraevede_parter(aftale)} == {"kommune-a", "kommune-b", "region-midtjylland"}
    assert selectors.berorte_klynger(aftale) == [struktur["klynge"]]


def test_the_secretariat_can_add_plo_as_a_required_party(lav_aftale, personas):
    from organisation.choices import PartType
    from tests.factories import PartFactory

    plo = PartFactory(navn="PLO-Midtjylland", slug="plo-midtjylland", type=PartType.ALMEN_PRAKSIS)
    aftale = lav_aftale()
    services.ekstra_parter_saet(aftale=aftale, bruger=personas["sekretariat"], parter=[plo])
    assert plo in selectors.paakraevede_parter(aftale)
    with pytest.raises(services.IkkeTilladt):
        services.ekstra_parter_saet(aftale=aftale, bruger=personas["kommune_a"], parter=[])


def test_a_stale_save_is_refused_and_writes_nothing(lav_aftale, personas):
    sek = personas["sekretariat"]
    aftale = lav_aftale()
    aabnet = aftale.revision
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aabnet, tekst="<p>Den første redaktørs tekst</p>")
    with pytest.raises(services.ForaeldetGem):
        services.aftale_gem(aftale=aftale, bruger=sek, revision=aabnet, tekst="<p>Den andens tekst</p>",
                            felter={"titel": "Ny titel"})
    aftale = _frisk(aftale)
    assert aftale.aktuel_version.tekst == "<p>Den første redaktørs tekst</p>"
    assert aftale.titel == "Aftale om sundhedsvisitationer"


def test_saving_unchanged_text_makes_no_new_version(lav_aftale, personas):
    aftale = lav_aftale()
    services.aftale_gem(aftale=aftale, bruger=personas["sekretariat"], revision=aftale.revision,
                        tekst=aftale.aktuel_version.tekst, felter={"resume": "Kort"})
    assert _frisk(aftale).versioner.count() == 1


def test_only_the_owning_theme_group_edits_its_drafts(personas, struktur):
    tg = struktur["fora"]["temagruppe"]
    egen = services.aftale_opret(bruger=personas["temagruppe"], titel="Gruppens aftale", ejer_forum=tg)
    services.aftale_gem(aftale=egen, bruger=personas["temagruppe"], revision=egen.revision, tekst="<p>ny</p>")
    anden = services.aftale_opret(bruger=personas["sekretariat"], titel="Sekretariatets aftale")
    with pytest.raises(services.IkkeTilladt):
        services.aftale_gem(aftale=anden, bruger=personas["temagruppe"], revision=anden.revision, tekst="<p>x</p>")
    with pytest.raises(services.IkkeTilladt):
        services.aftale_opret(bruger=personas["temagruppe"], titel="Uden ejer")


def test_consultation_answers_from_parties_and_clusters(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.HOERING)
    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["kommune_a"], afsender=struktur["kommune_a"],
                                tekst="<p>Vi støtter aftalen.</p>")
    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["klynge"], afsender=struktur["klynge"],
                                tekst="<p>Klyngen har bemærkninger.</p>")
    # A second answer replaces the first.
    services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["kommune_a"], afsender=struktur["kommune_a"],
                                tekst="<p>Vi støtter aftalen med en bemærkning.</p>")
    assert aftale.aktuel_version.hoeringssvar.count() == 2
    with pytest.raises(services.IkkeTilladt):
        services.hoeringssvar_afgiv(aftale=aftale, bruger=personas["kommune_a"], afsender=struktur["kommune_b"],
                                    tekst="<p>Forfalsket</p>")


def test_implementation_rows_are_edited_only_by_their_cluster(lav_aftale, personas, struktur):
    aftale = lav_aftale(Status.I_KRAFT)
    services.implementering_opdater(aftale=aftale, klynge=struktur["klynge"], bruger=personas["klynge"],
                                    status=ImplementeringStatus.I_GANG, note="Startet i januar")
    assert Implementering.objects.get(aftale=aftale, klynge=struktur["klynge"]).status == "i_gang"
    with pytest.raises(services.IkkeTilladt):
        services.implementering_opdater(aftale=aftale, klynge=struktur["anden_klynge"], bruger=personas["klynge"],
                                        status=ImplementeringStatus.IMPLEMENTERET)
    assert Implementering.objects.get(aftale=aftale, klynge=struktur["anden_klynge"]).status == "ikke_startet"


def test_revision_of_an_agreement_in_force_keeps_the_published_version(lav_aftale, personas):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.I_KRAFT)
    publiceret = aftale.offentliggjort_version
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.REVIDER)
    aftale = _frisk(aftale)
    services.aftale_gem(aftale=aftale, bruger=sek, revision=aftale.revision, tekst="<p>Revideret</p>")
    aftale = _frisk(aftale)
    assert aftale.status == Status.UDKAST and aftale.er_offentlig
    assert aftale.offentliggjort_version == publiceret and aftale.aktuel_version.nummer == 2


def test_pilot_presented_to_the_committee_starts_an_agreement_linked_both_ways(personas, struktur):
    ph = services.proevehandling_gem(bruger=personas["klynge"], klynge=struktur["klynge"],
                                     titel="Fremskudt visitation", resultater="Færre genindlæggelser")
    with pytest.raises(DomainError):
        services.aftale_fra_proevehandling(proevehandling=ph, bruger=personas["sekretariat"])
    services.proevehandling_praesenteret(proevehandling=ph, bruger=personas["sekretariat"], dato=I_DAG)
    aftale = services.aftale_fra_proevehandling(proevehandling=ph, bruger=personas["sekretariat"])
    assert aftale.proevehandling == ph and aftale.oprindelse == "proevehandling"
    assert list(ph.aftaler.all()) == [aftale]
    with pytest.raises(services.IkkeTilladt):
        services.proevehandling_gem(bruger=personas["klynge"], klynge=struktur["anden_klynge"], titel="Ikke min")


def test_recommending_emails_the_council_secretariats_after_commit(lav_aftale, personas,
                                                                   django_capture_on_commit_callbacks):
    from organisation.models import Person

    Person.objects.filter(bruger=personas["kommune_a"]).update(email="sekretariat@kommune-a.dk")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lav_aftale(Status.INDSTILLET)
    assert callbacks, "the e-mail is sent after commit, not inside the transaction"
    assert [m.to for m in mail.outbox] == [["sekretariat@kommune-a.dk"]]
    assert "Til beslutning" in mail.outbox[0].subject


@pytest.mark.parametrize("payload", [
    '<script>alert(1)</script><p>tekst</p>',
    '<p onmouseover="alert(1)">tekst</p>',
    '<a href="javascript:alert(1)">tekst</a>',
    '<img src=x onerror=alert(1)><p>tekst</p>',
    '<iframe src="https://evil.example"></iframe><p>tekst</p>',
    '<svg onload=alert(1)><p>tekst</p></svg>',
    '<p style="background:url(javascript:alert(1))">tekst</p>',
    '<a href="data:text/html,<script>alert(1)</script>">tekst</a>',
])
def test_rich_text_keeps_nothing_script_capable(lav_aftale, personas, payload):
    aftale = lav_aftale()
    services.aftale_gem(aftale=aftale, bruger=personas["sekretariat"], revision=aftale.revision, tekst=payload)
    tekst = _frisk(aftale).aktuel_version.tekst.lower()
    for farligt in ("<script", "onerror", "onload", "onmouseover", "javascript:", "<iframe", "<svg", "style=",
                    "data:", "<img"):
        assert farligt not in tekst
    assert "tekst" in tekst


def test_a_decided_version_cannot_be_recommended_again_without_a_new_version(lav_aftale, personas, struktur, udvalg):
    sek = personas["sekretariat"]
    aftale = lav_aftale(Status.INDSTILLET)
    services.godkendelse_registrer(aftale=aftale, part=struktur["kommune_b"], bruger=personas["kommune_b"],
                                   beslutning="afvist", dato=I_DAG)
    services.aftale_overgang(aftale=aftale, bruger=sek, handling=Handling.SEND_RETUR)
    with pytest.raises(DomainError, match="Skriv en ny version"):
        services.aftale_overgang(aftale=_frisk(aftale), bruger=sek, handling=Handling.INDSTIL, forum=udvalg,
                                 beslutningsfrist=OM_EN_MAANED)
    assert _frisk(aftale).status == Status.UDKAST


def test_a_theme_group_cannot_move_its_agreement_out_of_its_reach(personas, struktur):
    tg = struktur["fora"]["temagruppe"]
    aftale = services.aftale_opret(bruger=personas["temagruppe"], titel="Gruppens aftale", ejer_forum=tg)
    with pytest.raises(services.IkkeTilladt):
        services.aftale_gem(aftale=aftale, bruger=personas["temagruppe"], revision=aftale.revision,
                            felter={"ejer_forum": None})
    assert _frisk(aftale).ejer_forum == tg


def test_the_filter_for_one_party_agrees_with_the_required_parties_of_each_agreement(personas, struktur):
    from aftaler.models import Samarbejdsaftale
    from organisation.choices import PartType
    from organisation.models import Part
    from tests.factories import PartFactory

    plo = PartFactory(navn="PLO-Midtjylland", slug="plo-midtjylland", type=PartType.ALMEN_PRAKSIS)
    sek = personas["sekretariat"]
    regional = services.aftale_opret(bruger=sek, titel="Regional")
    lokal = services.aftale_opret(bruger=sek, titel="Lokal", omfang=Omfang.LOKAL, klynge=struktur["klynge"])
    med_plo = services.aftale_opret(bruger=sek, titel="Med PLO", omfang=Omfang.LOKAL, klynge=struktur["anden_klynge"])
    services.ekstra_parter_saet(aftale=med_plo, bruger=sek, parter=[plo])
    aftaler = [regional, lokal, med_plo]
    samlet = selectors.paakraevede_parter_for_mange(aftaler)
    for part in Part.objects.all():
        ifoelge_filter = set(Samarbejdsaftale.objects.filter(selectors.kraevet_af(part)).values_list("pk", flat=True))
        ifoelge_listen = {a.pk for a in aftaler if part in samlet[a.pk]}
        assert ifoelge_filter & {a.pk for a in aftaler} == ifoelge_listen, part.slug
