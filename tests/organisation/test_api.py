"""The public structure API (/api/v1/parter|klynger|fora/) and the token endpoint."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from organisation.choices import ForumType, PartType, Rolle
from sundhed.api import exception_handler
from sundhed.exceptions import DomainError
from tests.conftest import totp_kode
from tests.factories import (
    ForumFactory,
    HospitalFactory,
    KlyngeFactory,
    MedlemskabFactory,
    PartFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

I_GAAR = timezone.localdate() - datetime.timedelta(days=1)
I_MORGEN = timezone.localdate() + datetime.timedelta(days=1)
SIDSTE_AAR = timezone.localdate() - datetime.timedelta(days=365)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def antal_queries(api: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def klynge_med_niveauer(slug: str, medlemmer_pr_niveau: int = 1):
    """A cluster with a political and an administrative level, each with active members."""
    klynge = KlyngeFactory(slug=slug, navn=f"Klynge {slug}", kommuner=[PartFactory(), PartFactory()])
    for type_ in (ForumType.KLYNGE_POLITISK, ForumType.KLYNGE_ADMINISTRATIV):
        forum = ForumFactory(slug=f"{slug}-{type_}", type=type_, klynge=klynge)
        for _ in range(medlemmer_pr_niveau):
            MedlemskabFactory(forum=forum, repraesenterer=klynge.kommuner.first())
    return klynge


# --- token ---------------------------------------------------------------------------------------


def test_token_is_issued_for_correct_username_and_password(api, personas):
    # The secretariat gives its TOTP code too (sundhed.mfa; tests/sundhed/test_totp.py).
    response = api.post("/api/v1/auth/token/", {"username": "sekretariat", "password": "demo",
                                                "kode": totp_kode(personas["sekretariat"])}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=personas["sekretariat"]).key}


def test_the_same_user_gets_the_same_token_twice(api, personas):
    forste = api.post("/api/v1/auth/token/", {"username": "region", "password": "demo"}, format="json").json()
    anden = api.post("/api/v1/auth/token/", {"username": "region", "password": "demo"}).json()  # form-encoded

    assert forste == anden


def test_wrong_password_is_refused_with_a_danish_message(api, personas):
    response = api.post("/api/v1/auth/token/", {"username": "sekretariat", "password": "forkert"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Brugernavn eller adgangskode er forkert."}
    assert not Token.objects.exists()


def test_unknown_user_gets_the_same_message_as_a_wrong_password(api, db):
    response = api.post("/api/v1/auth/token/", {"username": "findes-ikke", "password": "demo"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Brugernavn eller adgangskode er forkert."}


def test_inactive_user_gets_no_token(api, db):
    UserFactory(username="stoppet", is_active=False)

    response = api.post("/api/v1/auth/token/", {"username": "stoppet", "password": "demo"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Brugernavn eller adgangskode er forkert."}


def test_missing_fields_are_named_in_danish(api, db):
    response = api.post("/api/v1/auth/token/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"username": ["Dette felt er påkrævet."], "password": ["Dette felt er påkrævet."]}


def test_token_needs_no_csrf_token_even_with_a_session(personas):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(personas["sekretariat"])

    response = api.post("/api/v1/auth/token/", {"username": "sekretariat", "password": "demo",
                                                "kode": totp_kode(personas["sekretariat"])}, format="json")

    assert response.status_code == 200


def test_token_authenticates_later_requests(api, personas):
    key = api.post("/api/v1/auth/token/", {"username": "klynge", "password": "demo"}, format="json").json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = api.get("/api/v1/parter/")

    assert response.status_code == 200
    assert response.wsgi_request.user == personas["klynge"]


def test_an_invalid_token_is_refused_with_401_in_danish(api, db):
    api.credentials(HTTP_AUTHORIZATION="Token ikke-en-gyldig-noegle")

    response = api.get("/api/v1/parter/")

    assert response.status_code == 401
    assert response.json() == {"detail": "API-nøglen er ugyldig, eller brugeren er deaktiveret."}
    assert response["WWW-Authenticate"] == "Token"


def test_malformed_json_is_refused_in_danish(api, db):
    response = api.post("/api/v1/auth/token/", "{ikke json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Forespørgslens indhold kunne ikke læses (fx ugyldig JSON)."}


# --- parter ---------------------------------------------------------------------------------------


def test_parter_lists_every_party_with_type_label_and_validity(api, struktur):
    response = api.get("/api/v1/parter/")

    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 6  # region, three municipalities, two hospitals of the clusters
    region = next(p for p in data["results"] if p["slug"] == "region-midtjylland")
    assert region == {
        "slug": "region-midtjylland", "navn": "Region Midtjylland", "kortnavn": "", "type": "region",
        "type_navn": "Region", "valid_from": "2022-07-01", "valid_to": None, "arkiveret": False, "aktiv": True,
    }


def test_parter_is_public_and_needs_no_login(api, struktur):
    assert api.get("/api/v1/parter/").status_code == 200
    assert api.get("/api/v1/parter/kommune-a/").status_code == 200


def test_parter_filters_by_type(api, struktur):
    response = api.get("/api/v1/parter/", {"type": PartType.KOMMUNE})

    assert sorted(p["slug"] for p in response.json()["results"]) == ["kommune-a", "kommune-b", "kommune-c"]


def test_an_unknown_type_filter_is_refused_naming_the_field(api, struktur):
    response = api.get("/api/v1/parter/", {"type": "planet"})

    assert response.status_code == 400
    assert list(response.json()) == ["type"]
    assert "planet" in response.json()["type"][0]
    assert "gyldig valgmulighed" in response.json()["type"][0]


def test_archived_party_is_marked_and_filtered_by_aktiv(api, struktur):
    PartFactory(slug="gammel-kommune", valid_from=datetime.date(2007, 1, 1), valid_to=I_GAAR)

    alle = {p["slug"]: p for p in api.get("/api/v1/parter/").json()["results"]}
    aktive = [p["slug"] for p in api.get("/api/v1/parter/", {"aktiv": "true"}).json()["results"]]
    inaktive = [p["slug"] for p in api.get("/api/v1/parter/", {"aktiv": "false"}).json()["results"]]

    assert alle["gammel-kommune"]["arkiveret"] is True
    assert alle["gammel-kommune"]["valid_to"] == I_GAAR.isoformat()
    assert "gammel-kommune" not in aktive
    assert inaktive == ["gammel-kommune"]


def test_party_detail_by_slug(api, struktur):
    response = api.get("/api/v1/parter/kommune-a/")

    assert response.status_code == 200
    assert response.json()["navn"] == "Kommune A"
    assert response.json()["type_navn"] == "Kommune"


@pytest.mark.parametrize("url", ["/api/v1/parter/findes-ikke/", "/api/v1/klynger/findes-ikke/",
                                 "/api/v1/fora/findes-ikke/"])
def test_unknown_slug_gives_404_with_danish_message(api, struktur, url):
    response = api.get(url)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Findes ikke."}


@pytest.mark.parametrize("metode", ["post", "put", "patch", "delete"])
def test_structure_api_is_read_only(api, personas, metode):
    api.force_authenticate(personas["sekretariat"])
    url = "/api/v1/parter/" if metode == "post" else "/api/v1/parter/kommune-a/"

    response = getattr(api, metode)(url, {"navn": "Ny"}, format="json")

    assert response.status_code == 405
    assert response.json() == {"detail": "Metoden er ikke tilladt her."}


def test_list_is_paginated_with_limit_and_offset(api, struktur):
    forste = api.get("/api/v1/parter/", {"type": "kommune", "limit": 2}).json()
    rest = api.get("/api/v1/parter/", {"type": "kommune", "limit": 2, "offset": 2}).json()

    assert forste["count"] == 3
    assert [p["slug"] for p in forste["results"]] == ["kommune-a", "kommune-b"]
    assert "offset=2" in forste["next"] and "type=kommune" in forste["next"]
    assert [p["slug"] for p in rest["results"]] == ["kommune-c"]
    assert rest["next"] is None


# --- klynger --------------------------------------------------------------------------------------


def test_cluster_detail_has_hospital_municipalities_and_levels_with_active_members(api, struktur):
    klynge = struktur["klynge"]
    politisk = ForumFactory(slug="klynge-et-pol", navn="Klynge Et, politisk", type=ForumType.KLYNGE_POLITISK,
                            klynge=klynge)
    adm = struktur["fora"]["klynge_adm"]
    MedlemskabFactory(forum=politisk, person=PersonFactory(navn="Borgmester, Kommune A"), rolle=Rolle.FORMAND,
                      repraesenterer=struktur["kommune_a"])
    MedlemskabFactory(forum=politisk, person=PersonFactory(navn="Regionsrådsformand"), rolle=Rolle.NAESTFORMAND,
                      repraesenterer=struktur["region"])
    MedlemskabFactory(forum=politisk, person=PersonFactory(navn="Tidligere borgmester"), rolle=Rolle.MEDLEM,
                      valid_from=datetime.date(2020, 1, 1), valid_to=I_GAAR)
    MedlemskabFactory(forum=politisk, person=PersonFactory(navn="Kommende borgmester"), rolle=Rolle.MEDLEM,
                      valid_from=I_MORGEN)
    MedlemskabFactory(forum=adm, person=PersonFactory(navn="Sundhedschef, Kommune B"), rolle=Rolle.MEDLEM)
    # A level that has ended is not one of the cluster's levels any more.
    ForumFactory(slug="klynge-et-gammel", type=ForumType.KLYNGE_POLITISK, klynge=klynge,
                 valid_from=datetime.date(2019, 1, 1), valid_to=SIDSTE_AAR)
    # Other kinds of forum in the cluster are not levels.
    ForumFactory(slug="klynge-et-arbejdsgruppe", type=ForumType.ARBEJDSGRUPPE, klynge=klynge)

    response = api.get("/api/v1/klynger/klynge-et/")

    assert response.status_code == 200
    data = response.json()
    assert data["slug"] == "klynge-et"
    assert data["navn"] == "Klynge Et"
    assert data["akuthospital"] == {"slug": klynge.akuthospital.slug, "navn": klynge.akuthospital.navn}
    assert data["kommuner"] == [{"slug": "kommune-a", "navn": "Kommune A"}, {"slug": "kommune-b", "navn": "Kommune B"}]
    assert data["arkiveret"] is False
    assert [(n["forum"], n["type"]) for n in data["niveauer"]] == [
        ("klynge-et-pol", "klynge_politisk"), ("klynge-et-adm", "klynge_administrativ"),
    ]
    assert data["niveauer"][0]["type_navn"] == "Sundhedsklynge, politisk niveau"
    assert data["niveauer"][0]["medlemmer"] == [
        {"navn": "Borgmester, Kommune A", "titel": "", "rolle": "formand", "rolle_navn": "Formand",
         "repraesenterer": {"slug": "kommune-a", "navn": "Kommune A"}},
        {"navn": "Regionsrådsformand", "titel": "", "rolle": "naestformand", "rolle_navn": "Næstformand",
         "repraesenterer": {"slug": "region-midtjylland", "navn": "Region Midtjylland"}},
    ]
    assert [m["navn"] for m in data["niveauer"][1]["medlemmer"]] == ["Sundhedschef, Kommune B"]
    assert data["niveauer"][1]["medlemmer"][0]["repraesenterer"] is None


def test_cluster_list_shows_every_cluster(api, struktur):
    response = api.get("/api/v1/klynger/")

    assert [k["slug"] for k in response.json()["results"]] == ["klynge-et", "klynge-to"]
    assert response.json()["results"][1]["kommuner"] == [{"slug": "kommune-c", "navn": "Kommune C"}]


def test_archived_cluster_is_marked_and_left_out_by_aktiv(api, struktur):
    KlyngeFactory(slug="gammel-klynge", navn="Gammel klynge", valid_from=datetime.date(2010, 1, 1),
                  valid_to=SIDSTE_AAR)

    alle = {k["slug"]: k for k in api.get("/api/v1/klynger/").json()["results"]}
    aktive = [k["slug"] for k in api.get("/api/v1/klynger/", {"aktiv": "true"}).json()["results"]]

    assert alle["gammel-klynge"]["arkiveret"] is True
    assert aktive == ["klynge-et", "klynge-to"]


# --- fora -----------------------------------------------------------------------------------------


def test_forum_detail_has_cluster_party_purpose_tasks_parent_and_active_members(api, struktur):
    udvalg = ForumFactory(slug="sundhedssamarbejdsudvalget", type=ForumType.SUNDHEDSSAMARBEJDSUDVALG)
    forum = ForumFactory(
        slug="temagruppe-demens", navn="Temagruppe Demens", type=ForumType.TEMAGRUPPE, overordnet=udvalg,
        formaal="Bedre forløb for borgere med demens.",
        opgaver="- Udarbejde samarbejdsaftaler\n\n• Følge indikatorer\n",
    )
    MedlemskabFactory(forum=forum, person=PersonFactory(navn="Formand for gruppen"), rolle=Rolle.FORMAND,
                      repraesenterer=struktur["region"])
    MedlemskabFactory(forum=forum, person=PersonFactory(navn="Udtrådt medlem"),
                      valid_from=datetime.date(2020, 1, 1), valid_to=I_GAAR)

    response = api.get("/api/v1/fora/temagruppe-demens/")

    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "temagruppe"
    assert data["type_navn"] == "Temagruppe"
    assert data["klynge"] is None
    assert data["part"] is None
    assert data["overordnet"] == "sundhedssamarbejdsudvalget"
    assert data["formaal"] == "Bedre forløb for borgere med demens."
    assert data["opgaver"] == ["Udarbejde samarbejdsaftaler", "Følge indikatorer"]
    assert [m["navn"] for m in data["medlemmer"]] == ["Formand for gruppen"]
    assert data["medlemmer"][0]["rolle"] == "formand"


def test_forum_of_a_cluster_and_a_council_name_them_by_slug(api, struktur):
    assert api.get("/api/v1/fora/klynge-et-adm/").json()["klynge"] == "klynge-et"
    assert api.get("/api/v1/fora/kb-a/").json()["part"] == "kommune-a"


def test_fora_filter_by_type_cluster_and_aktiv(api, struktur):
    ForumFactory(slug="temagruppe-nedlagt", type=ForumType.TEMAGRUPPE, valid_from=datetime.date(2019, 1, 1),
                 valid_to=SIDSTE_AAR)
    ForumFactory(slug="klynge-et-pol", type=ForumType.KLYNGE_POLITISK, klynge=struktur["klynge"])
    ForumFactory(slug="klynge-to-adm", type=ForumType.KLYNGE_ADMINISTRATIV, klynge=struktur["anden_klynge"])

    def slugs(**params) -> list[str]:
        response = api.get("/api/v1/fora/", params)
        assert response.status_code == 200, response.content
        return sorted(f["slug"] for f in response.json()["results"])

    assert slugs(type="temagruppe") == ["temagruppe-forebyggelse", "temagruppe-nedlagt"]
    assert slugs(type="temagruppe", aktiv="true") == ["temagruppe-forebyggelse"]
    assert slugs(klynge="klynge-et") == ["klynge-et-adm", "klynge-et-pol"]
    assert slugs(klynge="klynge-et", type="klynge_politisk", aktiv="true") == ["klynge-et-pol"]
    assert slugs(part="kommune-a") == ["kb-a"]
    assert slugs(klynge="findes-ikke") == []


# --- constant number of queries -------------------------------------------------------------------


def _fyld_op(n: int) -> None:
    """n more clusters with members on both levels, and n more fora with members."""
    for i in range(n):
        klynge_med_niveauer(f"ekstra-{i}", medlemmer_pr_niveau=3)
        forum = ForumFactory(overordnet=ForumFactory(), klynge=KlyngeFactory(), part=PartFactory())
        for _ in range(3):
            MedlemskabFactory(forum=forum, repraesenterer=HospitalFactory())


@pytest.mark.parametrize(("url", "loft"), [
    ("/api/v1/parter/", 2),  # count + page
    # count + page (with hospital) + municipalities + levels + members + successors + predecessors
    ("/api/v1/klynger/", 7),
    ("/api/v1/fora/", 5),  # count + page (with cluster, party, parent) + members + successors + predecessors
    ("/api/v1/fora/?type=temagruppe&aktiv=true", 5),
])
def test_list_runs_the_same_number_of_queries_for_one_row_and_many(api, db, url, loft):
    klynge_med_niveauer("foerste")
    MedlemskabFactory(forum=ForumFactory(type=ForumType.TEMAGRUPPE))
    lille = antal_queries(api, url)

    _fyld_op(8)
    stor = antal_queries(api, url)

    assert stor == lille <= loft


def test_cluster_detail_runs_the_same_number_of_queries_for_few_and_many_members(api, db):
    klynge_med_niveauer("lille", medlemmer_pr_niveau=1)
    klynge_med_niveauer("stor", medlemmer_pr_niveau=25)

    assert antal_queries(api, "/api/v1/klynger/stor/") == antal_queries(api, "/api/v1/klynger/lille/") <= 6


def test_forum_detail_runs_the_same_number_of_queries_for_few_and_many_members(api, db):
    lille = ForumFactory(slug="lille-forum", overordnet=ForumFactory(), klynge=KlyngeFactory())
    MedlemskabFactory(forum=lille)
    stor = ForumFactory(slug="stort-forum", overordnet=ForumFactory(), klynge=KlyngeFactory())
    for _ in range(30):
        MedlemskabFactory(forum=stor, repraesenterer=PartFactory())

    assert antal_queries(api, "/api/v1/fora/stort-forum/") == antal_queries(api, "/api/v1/fora/lille-forum/") <= 4


# --- the shared error handler (sundhed/api.py) -----------------------------------------------------


@pytest.mark.parametrize(("fejl", "status", "forventet"), [
    (exceptions.PermissionDenied(), 403, {"detail": "Du har ikke adgang til at gøre dette."}),
    (exceptions.PermissionDenied("Kun sekretariatet kan offentliggøre."), 403,
     {"detail": "Kun sekretariatet kan offentliggøre."}),
    (DjangoPermissionDenied("English text from Django"), 403, {"detail": "Du har ikke adgang til at gøre dette."}),
    (Http404("No Aftale matches the given query."), 404, {"detail": "Findes ikke."}),
    (DomainError("Aftalen er ikke i udkast.", field="status"), 400, {"status": ["Aftalen er ikke i udkast."]}),
    (DomainError("Aftalen er ikke i udkast."), 400, {"detail": ["Aftalen er ikke i udkast."]}),
])
def test_errors_are_json_with_a_danish_message(fejl, status, forventet):
    response = exception_handler(fejl, {})

    assert response.status_code == status
    assert response.data == forventet


def test_an_unexpected_error_is_left_to_django():
    assert exception_handler(ValueError("fejl i koden"), {}) is None
