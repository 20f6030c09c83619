"""`manage.py demo`: the real structure of Region Midtjylland, as the seeds describe it, loaded idempotently.

The demo runs once for the whole module (inside a transaction rolled back at the end, so no other
test module sees its rows); each test runs inside its own savepoint on top of it.
"""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from guardian.models import GroupObjectPermission

from organisation.choices import ForumType, KlyngeArt, PartType, Rolle
from organisation.models import Forum, Klynge, Medlemskab, Part, Person
from sundhed import permissions
from sundhed.models import Haendelse

# seeds/README.md, restated here on purpose: the test must not read the loader's own table.
KLYNGETABEL = {
    "horsensklyngen": ("regionshospitalet-horsens", {"hedensted", "horsens", "odder", "skanderborg"}),
    "midtklyngen": ("hospitalsenheden-midt", {"silkeborg", "skive", "viborg"}),
    "randersklyngen": ("regionshospitalet-randers", {"favrskov", "norddjurs", "randers", "syddjurs"}),
    "goedstrupklyngen": (
        "regionshospitalet-goedstrup",
        {"herning", "holstebro", "ikast-brande", "lemvig", "ringkoebing-skjern", "struer"},
    ),
    "aarhusklyngen": ("aarhus-universitetshospital", {"aarhus", "samsoe"}),
}
KOMMUNE_SLUGS = set().union(*(kommuner for _, kommuner in KLYNGETABEL.values()))
REGIONSRAADSFORMAND = "Regionsrådsformand, Region Midtjylland"
# The 2022 structure's last year: the demo ends it on 31 December 2026 (issue 10), so the tests of the
# 2022 structure read it as of a day in 2026, whatever today is.
I_2026 = datetime.date(2026, 6, 1)
I_2027 = datetime.date(2027, 2, 1)
# The five sundhedsråd of 1 January 2027 (DESIGN.md, issue 10): slug -> (the cluster it succeeds, municipalities).
SUNDHEDSRAAD = {
    "sundhedsraad-horsens": ("horsensklyngen", {"hedensted", "horsens", "odder", "skanderborg"}),
    "sundhedsraad-kronjylland": ("randersklyngen", {"favrskov", "norddjurs", "randers", "syddjurs"}),
    "sundhedsraad-midt": ("midtklyngen", {"silkeborg", "skive", "viborg"}),
    "sundhedsraad-vestjylland": ("goedstrupklyngen", {"herning", "holstebro", "ikast-brande", "lemvig",
                                                      "ringkoebing-skjern", "struer"}),
    "sundhedsraad-aarhus": ("aarhusklyngen", {"aarhus", "samsoe"}),
}

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demodata(django_db_setup, django_db_blocker):
    # The same fast hasher tests/conftest.py sets for each test, so a second run finds the passwords valid.
    hashers = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        call_command("demo", "--force", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _medlemmer(slug: str) -> list[Medlemskab]:
    return list(Medlemskab.objects.aktive(I_2026).filter(forum__slug=slug).select_related("person", "repraesenterer"))


def _af_type(medlemskaber: list[Medlemskab], *typer: str) -> list[Medlemskab]:
    return [m for m in medlemskaber if m.repraesenterer is not None and m.repraesenterer.type in typer]


def _kommune_til_klynge() -> dict[int, str]:
    klynger = Klynge.objects.aktive(I_2026).prefetch_related("kommuner")
    return {part.pk: k.slug for k in klynger for part in k.kommuner.all()}


# --- geography ---------------------------------------------------------------------------------


def test_there_are_19_municipalities_with_transliterated_slugs():
    kommuner = Part.objects.filter(type=PartType.KOMMUNE)
    assert set(kommuner.values_list("slug", flat=True)) == KOMMUNE_SLUGS
    assert len(KOMMUNE_SLUGS) == 19
    assert kommuner.get(slug="ringkoebing-skjern").navn == "Ringkøbing-Skjern Kommune"
    assert kommuner.get(slug="samsoe").kortnavn == "Samsø"


def test_the_cluster_table_matches_the_seeds_exactly():
    klynger = Klynge.objects.aktive(I_2026).select_related("akuthospital").prefetch_related("kommuner")
    faktisk = {k.slug: (k.akuthospital.slug, {p.slug for p in k.kommuner.all()}) for k in klynger}
    assert faktisk == KLYNGETABEL
    goedstrup = Klynge.objects.get(slug="goedstrupklyngen")
    assert (goedstrup.navn, goedstrup.tidligere_navn) == ("Gødstrupklyngen", "Vestklyngen")
    assert {k.valid_from for k in klynger} == {datetime.date(2022, 7, 1)}


def test_every_municipality_is_in_exactly_one_active_cluster():
    for kommune in Part.objects.filter(type=PartType.KOMMUNE):
        assert Klynge.objects.aktive(I_2026).filter(kommuner=kommune).count() == 1, kommune.navn


def test_geography_slugs_are_unique_across_parties_and_clusters():
    parter = list(Part.objects.values_list("slug", flat=True))
    klynger = list(Klynge.objects.values_list("slug", flat=True))  # clusters and sundhedsråd areas
    assert len(set(parter) | set(klynger)) == len(parter) + len(klynger)
    assert {"region-midtjylland", "plo-midtjylland", "psykiatrien-region-midtjylland"} <= set(parter)
    assert Part.objects.filter(type=PartType.HOSPITAL).count() == 5


# --- composition -------------------------------------------------------------------------------


@pytest.mark.parametrize("klynge_slug", sorted(KLYNGETABEL))
def test_political_level_is_composed_as_the_seeds_say(klynge_slug):
    klynge = Klynge.objects.get(slug=klynge_slug)
    # The seeds' composition; the level's secretary (demo user politisk-horsens) holds no seat in it.
    medlemmer = [m for m in _medlemmer(f"{klynge_slug}-politisk") if m.rolle != Rolle.SEKRETAER]
    regionale = _af_type(medlemmer, PartType.REGION)
    kommunale = _af_type(medlemmer, PartType.KOMMUNE)
    plo = _af_type(medlemmer, PartType.ALMEN_PRAKSIS)

    assert len(medlemmer) == len(regionale) + len(kommunale) + len(plo)
    # The regional chair plus 2-3 regional council members.
    assert REGIONSRAADSFORMAND in {m.person.navn for m in regionale}
    assert 3 <= len(regionale) <= 4
    # One mayor (or health alderman) per municipality of the cluster, exactly one of them chair.
    assert sorted(m.repraesenterer_id for m in kommunale) == sorted(klynge.kommuner.values_list("pk", flat=True))
    assert {m.person.titel for m in kommunale} <= {"Borgmester", "Rådmand"}
    assert [m.rolle for m in kommunale].count(Rolle.FORMAND) == 1
    assert [m.rolle for m in medlemmer].count(Rolle.FORMAND) == 1
    assert [m.rolle for m in regionale if m.person.navn == REGIONSRAADSFORMAND] == [Rolle.NAESTFORMAND]
    # Two members from PLO-Midtjylland.
    assert len(plo) == 2


@pytest.mark.parametrize("klynge_slug", sorted(KLYNGETABEL))
def test_administrative_level_has_three_regional_one_general_practice_and_one_per_municipality(klynge_slug):
    klynge = Klynge.objects.get(slug=klynge_slug)
    medlemmer = _medlemmer(f"{klynge_slug}-administrativ")
    regionale = _af_type(medlemmer, PartType.REGION, PartType.HOSPITAL, PartType.PSYKIATRI)
    kommunale = _af_type(medlemmer, PartType.KOMMUNE)

    assert len(regionale) == 3
    assert {m.repraesenterer for m in regionale} >= {klynge.akuthospital}
    assert len(_af_type(medlemmer, PartType.ALMEN_PRAKSIS)) == 1
    assert sorted(m.repraesenterer_id for m in kommunale) == sorted(klynge.kommuner.values_list("pk", flat=True))
    assert len(medlemmer) == 4 + klynge.kommuner.count()


def test_committee_has_three_regional_members_and_one_municipal_representative_per_cluster():
    medlemmer = _medlemmer("sundhedssamarbejdsudvalget")
    regionale = _af_type(medlemmer, PartType.REGION)
    kommunale = _af_type(medlemmer, PartType.KOMMUNE)

    assert len(medlemmer) == 8
    assert len(regionale) == 3
    assert [m.person.navn for m in medlemmer if m.rolle == Rolle.FORMAND] == [REGIONSRAADSFORMAND]
    klynge_af = _kommune_til_klynge()
    assert sorted(klynge_af[m.repraesenterer_id] for m in kommunale) == sorted(KLYNGETABEL)


def test_the_chair_of_each_cluster_is_the_same_person_in_every_body():
    formand = Person.objects.get(navn=REGIONSRAADSFORMAND)
    fora = set(formand.medlemskaber.values_list("forum__slug", flat=True))
    assert {f"{k}-politisk" for k in KLYNGETABEL} | {"sundhedssamarbejdsudvalget", "regionsraadet"} == fora
    assert Person.objects.filter(navn__startswith="Regionsrådsformand").count() == 1


def test_steering_group_members_are_those_seed_001_lists():
    medlemmer = _medlemmer("sundhedsstyregruppen")

    def antal(rolle, *typer):
        return len([m for m in _af_type(medlemmer, *typer) if m.rolle == rolle])

    kosu = [m for m in _af_type(medlemmer, PartType.KOMMUNE) if m.rolle == Rolle.MEDLEM]
    assert len(kosu) == 7 and {m.person.titel for m in kosu} == {"Sundhedsdirektør"}
    medformand_kommune = [m for m in _af_type(medlemmer, PartType.KOMMUNE) if m.rolle == Rolle.NAESTFORMAND]
    assert [m.person.navn.split(",")[0] for m in medformand_kommune] == ["Kommunaldirektør"]
    assert antal(Rolle.MEDLEM, PartType.HOSPITAL, PartType.PSYKIATRI) == 6
    assert sorted(m.person.navn for m in _af_type(medlemmer, PartType.ALMEN_PRAKSIS)) == [
        "Formand, PLO-Midtjylland", "Næstformand, PLO-Midtjylland",
    ]
    assert [m.person.navn for m in medlemmer if m.rolle == Rolle.FORMAND] == ["Koncerndirektør, Region Midtjylland"]
    assert [m.person.navn for m in medlemmer if m.rolle == Rolle.MEDLEM and m.repraesenterer.type == PartType.REGION] \
        == ["Vicedirektør, Nære Sundhedstilbud, Region Midtjylland"]
    sekretaerer = [m for m in medlemmer if m.rolle == Rolle.SEKRETAER]
    assert len(sekretaerer) == 2
    assert len(medlemmer) == 7 + 1 + 6 + 2 + 1 + 1 + 2
    # Every cluster, psychiatry included, is represented.
    klynge_af = _kommune_til_klynge()
    assert {klynge_af[m.repraesenterer_id] for m in kosu} == set(KLYNGETABEL)
    assert any(m.repraesenterer.type == PartType.PSYKIATRI for m in medlemmer)
    assert Forum.objects.get(slug="sundhedsstyregruppen").moedefrekvens == "4-5 gange om året"


def test_joint_secretariat_is_led_by_a_municipal_director_and_a_regional_chief():
    medlemmer = _medlemmer("faelles-sekretariat")
    ledelse = {m.rolle: m.person.navn for m in medlemmer if m.rolle != Rolle.MEDLEM}
    assert ledelse[Rolle.FORMAND].startswith("Sundhedsdirektør, ")
    assert ledelse[Rolle.NAESTFORMAND].endswith("Region Midtjylland")
    konsulenter = sorted(m.person.navn.split(", ", 1)[1] for m in medlemmer if m.rolle == Rolle.MEDLEM)
    assert konsulenter == [
        "KKR Midtjylland", "KOSU-sekretariatet", "KOSU-sekretariatet",
        "Nære Sundhedstilbud, Region Midtjylland", "Nære Sundhedstilbud, Region Midtjylland",
    ]


def test_each_theme_group_has_a_municipal_chair_a_regional_co_chair_and_every_cluster():
    temagrupper = Forum.objects.filter(type=ForumType.TEMAGRUPPE)
    assert {"temagruppe-forebyggelse", "oekonomi-og-opfoelgningsgruppe", "kvalitetsgruppe"} <= {
        f.slug for f in temagrupper
    }
    assert temagrupper.count() == 9
    klynger = list(Klynge.objects.filter(art=KlyngeArt.KLYNGE).values_list("navn", flat=True))
    for forum in temagrupper:
        medlemmer = _medlemmer(forum.slug)
        formaend = [m for m in medlemmer if m.rolle == Rolle.FORMAND]
        assert [m.repraesenterer.type for m in formaend] == [PartType.KOMMUNE], forum.slug
        medformaend = [m for m in medlemmer if m.rolle == Rolle.NAESTFORMAND]
        assert [m.repraesenterer.type in {PartType.REGION, PartType.PSYKIATRI} for m in medformaend] == [True]
        for klynge in klynger:
            assert len([m for m in medlemmer if m.person.navn.startswith(f"Repræsentant for {klynge} ")]) == 1
        assert forum.overordnet.slug == "sundhedsstyregruppen"
        assert len(forum.opgaveliste) >= 5


def test_other_bodies_of_the_seeds_are_there_and_placed_in_the_diagram():
    fora = {f.slug: f for f in Forum.objects.select_related("overordnet")}
    for slug in ("kol", "diabetes", "hjertekar", "depression", "laende-ryg"):
        assert fora[f"forloebsprogramgruppe-{slug}"].type == ForumType.FORLOEBSPROGRAMGRUPPE
    assert Forum.objects.filter(type=ForumType.ARBEJDSGRUPPE).count() == 3
    assert fora["sundhedsstyregruppen"].overordnet.slug == "sundhedssamarbejdsudvalget"
    assert fora["formandskab"].overordnet.slug == "sundhedsstyregruppen"
    assert fora["formandskab"].moedefrekvens == "Ca. 4 gange om året"
    for klynge in KLYNGETABEL:
        assert fora[f"{klynge}-politisk"].overordnet.slug == "sundhedssamarbejdsudvalget"
        assert fora[f"{klynge}-administrativ"].overordnet.slug == "sundhedssamarbejdsudvalget"
    assert "slået sammen" in fora["sundhedssamarbejdsudvalget"].formaal
    assert len(fora["sundhedssamarbejdsudvalget"].opgaveliste) == 8


def test_bodies_merged_in_2022_are_archived_not_deleted():
    idag = datetime.date.today()
    for slug in ("praksisplanudvalget", "sundhedskoordinationsudvalget"):
        forum = Forum.objects.get(slug=slug)
        assert (forum.valid_from, forum.valid_to) == (datetime.date(2019, 1, 1), datetime.date(2022, 6, 30))
        assert not forum.er_aktiv(idag)
        assert "Sundhedssamarbejdsudvalget" in forum.formaal
    assert Forum.objects.get(slug="patientinddragelsesudvalget").er_aktiv(idag)


def test_every_council_has_its_authority_a_chair_and_a_secretariat():
    raad = Forum.objects.filter(type=ForumType.KOMMUNALBESTYRELSE).select_related("part")
    assert {f.part.slug for f in raad} == KOMMUNE_SLUGS
    assert Forum.objects.get(slug="kommunalbestyrelsen-aarhus").navn == "Aarhus Byråd"
    for forum in [*raad, Forum.objects.get(slug="regionsraadet", part__slug="region-midtjylland")]:
        roller = [m.rolle for m in _medlemmer(forum.slug)]
        assert roller.count(Rolle.FORMAND) == 1 and roller.count(Rolle.SEKRETAER) == 1, forum.slug
    assert Person.objects.get(navn="Borgmester, Horsens Kommune").medlemskaber.get(
        forum__slug="kommunalbestyrelsen-horsens").rolle == Rolle.FORMAND


def test_no_person_has_an_invented_name_only_a_role_and_an_organisation():
    organisationer = set(Part.objects.values_list("navn", flat=True)) | {"KOSU-sekretariatet", "KKR Midtjylland"}
    for navn in Person.objects.values_list("navn", flat=True):
        assert "," in navn, navn
        assert navn.rsplit(",", 1)[1].strip() in organisationer, navn


# --- idempotence and the guard -----------------------------------------------------------------


def _antal() -> dict[str, int]:
    modeller = [Part, Klynge, Forum, Person, Medlemskab, Haendelse, Group, GroupObjectPermission, get_user_model()]
    return {m.__name__: m.objects.count() for m in modeller}


def test_running_demo_twice_creates_and_changes_nothing():
    foer = _antal()
    ud = StringIO()
    call_command("demo", "--force", stdout=ud)
    assert _antal() == foer
    assert "Intet at ændre" in ud.getvalue()


def test_running_demo_again_repairs_a_changed_row_with_one_audit_row():
    forum = Forum.objects.get(slug="temagruppe-forebyggelse")
    Forum.objects.filter(pk=forum.pk).update(navn="Forkert navn")
    foer = Haendelse.objects.count()
    call_command("demo", "--force", stdout=StringIO())
    forum.refresh_from_db()
    assert forum.navn == "Temagruppe Forebyggelse"
    assert Haendelse.objects.count() == foer + 1


def test_demo_is_refused_without_debug_and_without_force(settings):
    settings.DEBUG = False
    foer = _antal()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo", stdout=StringIO())
    assert _antal() == foer


# --- demo users --------------------------------------------------------------------------------


def _bruger(navn: str):
    return get_user_model().objects.get(username=navn)


def test_demo_users_exist_and_log_in_with_password_demo():
    brugernavne = {
        "sekretariat", "temagruppe-forebyggelse", "styregruppe", "region", "admin",
        *(f"kommune-{slug}" for slug in KOMMUNE_SLUGS),
        *(f"klynge-{k}" for k in ("aarhus", "horsens", "midt", "randers", "goedstrup")),
    }
    brugere = get_user_model().objects.filter(username__in=brugernavne)
    assert brugere.count() == len(brugernavne) == 29
    # Each distinct stored hash is checked once (hashing is slow on purpose).
    assert all(check_password("demo", kodet) for kodet in set(brugere.values_list("password", flat=True)))
    assert authenticate(username="kommune-ringkoebing-skjern", password="demo") is not None
    assert authenticate(username="sekretariat", password="forkert") is None
    admin = _bruger("admin")
    assert admin.is_superuser and admin.is_staff
    assert _bruger("sekretariat").is_staff
    assert not _bruger("kommune-aarhus").is_staff


def test_every_demo_user_but_admin_is_a_person_with_a_membership():
    for user in get_user_model().objects.filter(person__isnull=False):
        assert user.person.medlemskaber.aktive(I_2026).exists(), user.username
    assert get_user_model().objects.filter(person__isnull=False).count() == 29


def test_municipal_secretariat_records_decisions_for_its_own_municipality_only():
    user = _bruger("kommune-aarhus")
    assert permissions.har(user, "registrere_beslutning", Part.objects.get(slug="aarhus"))
    assert not permissions.har(user, "registrere_beslutning", Part.objects.get(slug="horsens"))
    assert not permissions.har(user, "redigere_alle_aftaler")


def test_region_secretariat_records_decisions_for_the_region():
    user = _bruger("region")
    assert permissions.har(user, "registrere_beslutning", Part.objects.get(slug="region-midtjylland"))
    assert not permissions.har(user, "registrere_beslutning", Part.objects.get(slug="aarhus"))


def test_cluster_member_records_implementation_for_its_own_cluster_only():
    user = _bruger("klynge-horsens")
    permissions.synkroniser_bruger(user, I_2026)
    assert permissions.har(user, "registrere_implementering", Klynge.objects.get(slug="horsensklyngen"))
    assert not permissions.har(user, "registrere_implementering", Klynge.objects.get(slug="aarhusklyngen"))


def test_secretariat_edits_all_agreements_and_theme_group_its_own():
    assert permissions.har(_bruger("sekretariat"), "redigere_alle_aftaler")
    temagruppe = _bruger("temagruppe-forebyggelse")
    assert permissions.har(temagruppe, "redigere_gruppens_aftaler", Forum.objects.get(slug="temagruppe-forebyggelse"))
    assert not permissions.har(temagruppe, "redigere_gruppens_aftaler", Forum.objects.get(slug="kvalitetsgruppe"))
    assert not permissions.har(temagruppe, "redigere_alle_aftaler")


def test_steering_group_member_reads_internal_material_but_does_not_edit():
    user = _bruger("styregruppe")
    assert permissions.har(user, "laese_internt")
    assert not permissions.har(user, "redigere_alle_aftaler")


# --- the structure of 1 January 2027 ---------------------------------------------------------------


@pytest.mark.parametrize("slug", sorted(SUNDHEDSRAAD))
def test_each_sundhedsraad_is_an_area_and_a_council_succeeding_its_cluster(slug):
    klynge_slug, kommuner = SUNDHEDSRAAD[slug]
    raad = Forum.objects.select_related("klynge").get(slug=slug)
    assert raad.type == ForumType.SUNDHEDSRAAD
    assert (raad.forberedende_fra, raad.valid_from, raad.valid_to) == (
        datetime.date(2026, 1, 1), datetime.date(2027, 1, 1), None)
    omraade = raad.klynge
    assert omraade.art == KlyngeArt.SUNDHEDSRAAD and omraade.slug == slug
    assert {p.slug for p in omraade.kommuner.all()} == kommuner
    klynge = Klynge.objects.get(slug=klynge_slug)
    assert list(klynge.efterfoelgere.all()) == [omraade]
    assert {f.slug for f in raad.forgaengere.all()} == {f"{klynge_slug}-politisk", f"{klynge_slug}-administrativ"}


@pytest.mark.parametrize("slug", sorted(SUNDHEDSRAAD))
def test_each_sundhedsraad_has_one_more_regional_member_than_municipal_and_a_regional_chair(slug):
    medlemmer = list(Medlemskab.objects.aktive(I_2027).filter(forum__slug=slug).exclude(rolle=Rolle.SEKRETAER)
                     .select_related("person", "repraesenterer"))
    kommunale = [m for m in medlemmer if m.repraesenterer.type == PartType.KOMMUNE]
    regionale = [m for m in medlemmer if m.repraesenterer.type == PartType.REGION]
    assert {m.repraesenterer.slug for m in kommunale} == SUNDHEDSRAAD[slug][1]
    assert len(kommunale) == len(SUNDHEDSRAAD[slug][1])
    assert len(regionale) == len(kommunale) + 1
    for rolle in (Rolle.FORMAND, Rolle.NAESTFORMAND):
        (m,) = [m for m in medlemmer if m.rolle == rolle]
        assert m.repraesenterer.type == PartType.REGION and m.person.titel == "Regionsrådsmedlem"
    # Named by role, never by person; they sit there as a preparatory body in 2026.
    assert all("," in m.person.navn for m in medlemmer)
    assert len(Medlemskab.objects.aktive(I_2026).filter(forum__slug=slug)) == len(medlemmer)


def test_the_clusters_their_levels_and_the_committee_end_on_31_december_2026_and_stay_readable():
    slut = datetime.date(2026, 12, 31)
    for slug in KLYNGETABEL:
        assert Klynge.objects.get(slug=slug).valid_to == slut
        for niveau in ("politisk", "administrativ"):
            assert Forum.objects.get(slug=f"{slug}-{niveau}").valid_to == slut
    assert Forum.objects.get(slug="sundhedssamarbejdsudvalget").valid_to == slut
    assert not Medlemskab.objects.aktive(I_2027).filter(
        forum__type__in=[ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV,
                         ForumType.SUNDHEDSSAMARBEJDSUDVALG]).exists()
    assert {k.slug for k in Klynge.objects.aktive(I_2027)} == set(SUNDHEDSRAAD)


def test_the_2027_change_ran_once_and_the_implementation_rows_continue_under_the_sundhedsraad():
    from aftaler.models import Implementering
    from organisation.models import Strukturaendring

    (aendring,) = Strukturaendring.objects.all()
    assert aendring.dato == datetime.date(2027, 1, 1) and aendring.ophoer.count() == 16
    gamle = Implementering.objects.filter(klynge__art=KlyngeArt.KLYNGE).exclude(aftale__status="ophaevet")
    assert gamle.exists()
    for impl in gamle.select_related("klynge"):
        (ny,) = impl.efterfoelgere.select_related("klynge")
        assert ny.klynge.forgaengere.get() == impl.klynge and ny.status == impl.status


def test_the_demo_leaves_the_recommending_body_after_2027_to_the_administrator():
    from organisation import selectors

    assert [f.slug for f in selectors.indstillende_fora(I_2026)] == ["sundhedssamarbejdsudvalget"]
    assert not selectors.indstillende_fora(I_2027).exists()


def test_cluster_demo_users_serve_their_sundhedsraad_from_2027():
    user = _bruger("klynge-horsens")
    permissions.synkroniser_bruger(user, I_2027)
    raad = Klynge.objects.get(slug="sundhedsraad-horsens")
    assert permissions.har(user, "registrere_implementering", raad)
    assert not permissions.har(user, "registrere_implementering", Klynge.objects.get(slug="horsensklyngen"))
    permissions.synkroniser_bruger(user, I_2026)
