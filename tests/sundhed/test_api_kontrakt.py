"""The API answers what /api/schema/ says it answers (security review, issue 8, found with schemathesis).

Real responses are validated against the generated OpenAPI schema: field-keyed 400s, nullable
relations, the required `revision` on PATCH, and JSON 404s (with a Danish `detail`) for every
path under /api/, also for a path value that is not a slug."""

import copy
import re

import jsonschema
import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from aftaler import services
from organisation.choices import ForumType
from sundhed import views
from tests.factories import ForumFactory

pytestmark = pytest.mark.django_db


def _som_json_schema(node):
    """OpenAPI 3.0 schema objects -> JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [_som_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _som_json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _skabelon(skema: dict, sti: str, metode: str, status_kode: int) -> dict:
    op = skema["paths"][sti][metode]
    assert str(status_kode) in op["responses"], f"{metode.upper()} {sti}: {status_kode} er ikke dokumenteret"
    return op["responses"][str(status_kode)]["content"]["application/json"]["schema"]


def overholder(skema: dict, sti: str, metode: str, svar) -> None:
    """The response's status is documented for the operation and its JSON body fits that schema."""
    dokument = {"components": _som_json_schema(copy.deepcopy(skema["components"])),
                **_som_json_schema(_skabelon(skema, sti, metode, svar.status_code))}
    jsonschema.Draft7Validator(dokument).validate(svar.json())


@pytest.fixture
def sek(personas) -> APIClient:
    klient = APIClient()
    klient.force_authenticate(personas["sekretariat"])
    return klient


@pytest.fixture
def aftale(personas):
    return services.aftale_opret(bruger=personas["sekretariat"], titel="Aftale om kontrakten", tekst="<p>Et</p>")


# --- 400: keyed by field ------------------------------------------------------------------------

FELTFEJL = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}


def _komponent(skema: dict, ref: dict) -> dict:
    return skema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]


def test_a_400_is_documented_as_messages_keyed_by_field(skema):
    fundet = 0
    for sti, ops in skema["paths"].items():
        if not sti.startswith("/api/v1/aftaler/"):
            continue
        for metode, op in ops.items():
            if "400" not in op.get("responses", {}):
                continue
            fundet += 1
            svar = _komponent(skema, op["responses"]["400"]["content"]["application/json"]["schema"])
            varianter = [_komponent(skema, v) for v in svar.get("oneOf", [])]
            assert any({k: v for k, v in variant.items() if k != "description"} == FELTFEJL
                       for variant in varianter), (metode, sti, svar)
    assert fundet >= 8


@pytest.mark.parametrize("kode", ["401", "403", "404", "409"])
def test_the_other_errors_stay_documented_as_detail(skema, kode):
    svar = skema["paths"]["/api/v1/aftaler/{slug}/"]["patch"]["responses"][kode]

    assert svar["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Fejl"}


def test_a_400_for_missing_fields_fits_the_schema(skema, sek):
    svar = sek.post("/api/v1/aftaler/", {}, format="json")

    assert svar.status_code == 400 and list(svar.json()) == ["titel"]
    overholder(skema, "/api/v1/aftaler/", "post", svar)


def test_a_400_from_a_service_fits_the_schema(skema, sek, aftale):
    svar = sek.post(f"/api/v1/aftaler/{aftale.slug}/overgange/", {"handling": "offentliggoer"}, format="json")

    assert svar.status_code == 400 and list(svar.json()) == ["handling"]
    overholder(skema, "/api/v1/aftaler/{slug}/overgange/", "post", svar)


def test_a_400_from_a_service_without_a_field_fits_the_schema(skema, sek, aftale):
    svar = sek.post(f"/api/v1/aftaler/{aftale.slug}/hoeringssvar/", {"part": "kommune-a", "tekst": "<p>Ja</p>"},
                    format="json")

    assert svar.status_code == 400 and svar.json() == {"detail": ["Aftalen er ikke i høring."]}
    overholder(skema, "/api/v1/aftaler/{slug}/hoeringssvar/", "post", svar)


def test_a_400_for_a_missing_base_version_fits_the_schema(skema, sek, aftale):
    svar = sek.post(f"/api/v1/aftaler/{aftale.slug}/versioner/", {"tekst": "<p>To</p>"}, format="json")

    assert svar.status_code == 400 and list(svar.json()) == ["grundlag"]
    overholder(skema, "/api/v1/aftaler/{slug}/versioner/", "post", svar)


def test_a_400_for_unreadable_json_fits_the_schema(skema, sek):
    svar = sek.post("/api/v1/aftaler/", "{ikke json", content_type="application/json")

    assert svar.status_code == 400 and list(svar.json()) == ["detail"]
    assert isinstance(svar.json()["detail"], str)
    overholder(skema, "/api/v1/aftaler/", "post", svar)


def test_a_409_fits_the_schema(skema, sek, aftale):
    svar = sek.post(f"/api/v1/aftaler/{aftale.slug}/versioner/", {"tekst": "<p>To</p>", "grundlag": 7},
                    format="json")

    assert svar.status_code == 409
    overholder(skema, "/api/v1/aftaler/{slug}/versioner/", "post", svar)


# --- PATCH: `revision` is required --------------------------------------------------------------


def test_patch_documents_revision_as_required(skema):
    krop = skema["paths"]["/api/v1/aftaler/{slug}/"]["patch"]["requestBody"]
    komponent = _komponent(skema, krop["content"]["application/json"]["schema"])

    assert komponent.get("required") == ["revision"]
    assert krop.get("required") is True


def test_patch_without_revision_is_the_documented_400(skema, sek, aftale):
    svar = sek.patch(f"/api/v1/aftaler/{aftale.slug}/", {"titel": "Ny titel"}, format="json")

    assert svar.status_code == 400 and list(svar.json()) == ["revision"]
    overholder(skema, "/api/v1/aftaler/{slug}/", "patch", svar)


# --- nullable relations -------------------------------------------------------------------------


@pytest.mark.parametrize("felt", ["klynge", "part", "overordnet"])
def test_a_forums_missing_relations_are_documented_as_null(skema, felt):
    assert skema["components"]["schemas"]["Forum"]["properties"][felt].get("nullable") is True


def test_a_forum_without_cluster_part_or_parent_fits_the_schema(skema, db):
    forum = ForumFactory(navn="Temagruppe uden noget", slug="temagruppe-uden-noget", type=ForumType.TEMAGRUPPE)

    liste = APIClient().get("/api/v1/fora/")
    detalje = APIClient().get(f"/api/v1/fora/{forum.slug}/")

    assert (detalje.json()["klynge"], detalje.json()["part"], detalje.json()["overordnet"]) == (None, None, None)
    overholder(skema, "/api/v1/fora/", "get", liste)
    overholder(skema, "/api/v1/fora/{slug}/", "get", detalje)


def test_an_agreement_list_fits_the_schema(skema, sek, aftale):
    overholder(skema, "/api/v1/aftaler/", "get", sek.get("/api/v1/aftaler/"))
    overholder(skema, "/api/v1/aftaler/{slug}/", "get", sek.get(f"/api/v1/aftaler/{aftale.slug}/"))


# --- JSON 404 everywhere under /api/ ------------------------------------------------------------


@pytest.mark.parametrize("adresse", [
    "/api/v1/aftaler/ÆØÅ%20x/", "/api/v1/aftaler/a.b/", "/api/v1/aftaler/a.b/versioner/",
    "/api/v1/aftaler/findes-ikke/versioner/x/", "/api/v1/fora/%F0%9F%98%80/", "/api/v1/findes-ikke/", "/api/",
    "/api/v1/aftaler/ÆØÅ%20x",
])
def test_every_404_under_the_api_is_json_with_a_danish_detail(adresse, db):
    svar = APIClient().get(adresse)

    assert svar.status_code == 404
    assert svar["Content-Type"].startswith("application/json")
    assert svar.json() == {"detail": "Findes ikke."}


def test_a_path_value_that_is_not_a_slug_gets_the_documented_404(skema, db):
    svar = APIClient().get("/api/v1/aftaler/a.b/")

    overholder(skema, "/api/v1/aftaler/{slug}/", "get", svar)


@pytest.mark.parametrize(("metode", "adresse"), [("delete", "/api/v1/aftaler/"), ("put", "/api/v1/parter/")])
def test_a_method_the_api_does_not_allow_is_json_405(sek, metode, adresse):
    svar = getattr(sek, metode)(adresse)

    assert svar.status_code == 405
    assert svar.json() == {"detail": "Metoden er ikke tilladt her."}


def test_a_404_outside_the_api_is_still_the_html_page(client, db):
    svar = client.get("/aftaler/a.b/findes-ikke/")

    assert svar.status_code == 404
    assert svar["Content-Type"].startswith("text/html")
    assert "Siden findes ikke" in svar.content.decode()


@pytest.mark.parametrize(("handler", "kode"), [("ikke_fundet", 404), ("forbudt", 403), ("ugyldig_forespoergsel", 400)])
def test_the_error_handlers_answer_json_under_the_api(handler, kode):
    svar = getattr(views, handler)(RequestFactory().get("/api/v1/aftaler/x/"), Exception("intern besked"))

    assert svar.status_code == kode
    assert svar["Content-Type"].startswith("application/json")
    assert re.search(r"[æøå]|ikke", svar.content.decode("utf-8")), svar.content
    assert b"intern besked" not in svar.content


def test_a_server_error_under_the_api_is_json():
    svar = views.serverfejl(RequestFactory().get("/api/v1/aftaler/"))

    assert svar.status_code == 500
    assert svar["Content-Type"].startswith("application/json")
    assert "detail" in svar.content.decode()
