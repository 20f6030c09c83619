"""The OpenAPI schema (/api/schema/) and Swagger UI (/api/docs/): complete, in Danish, nothing from the web."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# The API part of the contract in DESIGN.md ("URL and API contract"); path parameters are compared
# without their names, so `{slug}` and `{aftale_slug}` both match `{}`.
KONTRAKT = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/parter/": {"get"},
    "/api/v1/parter/{}/": {"get"},
    "/api/v1/klynger/": {"get"},
    "/api/v1/klynger/{}/": {"get"},
    "/api/v1/fora/": {"get"},
    "/api/v1/fora/{}/": {"get"},
    "/api/v1/aftaler/": {"get", "post"},
    "/api/v1/aftaler/{}/": {"get", "patch"},
    "/api/v1/aftaler/{}/versioner/": {"get", "post"},
    "/api/v1/aftaler/{}/overgange/": {"post"},
    "/api/v1/aftaler/{}/godkendelser/": {"get", "post"},
    "/api/v1/aftaler/{}/implementering/{}/": {"get", "put"},
    "/api/v1/indikatorer/": {"get"},
    "/api/v1/indikatorer/{}/maalinger/": {"get"},
    "/api/v1/indikatorer/import/": {"post"},
}
STRUKTUR = ["/api/v1/auth/token/", "/api/v1/parter/", "/api/v1/parter/{}/", "/api/v1/klynger/",
            "/api/v1/klynger/{}/", "/api/v1/fora/", "/api/v1/fora/{}/"]


def normaliser(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def operationer(skema: dict) -> dict[str, dict]:
    return {normaliser(path): ops for path, ops in skema["paths"].items()}


@pytest.mark.parametrize("path", sorted(KONTRAKT))
def test_schema_lists_every_path_and_method_of_the_contract(skema, path):
    ops = operationer(skema)

    assert path in ops, f"{path} mangler i /api/schema/"
    assert KONTRAKT[path] <= set(ops[path]), f"{path}: {sorted(KONTRAKT[path] - set(ops[path]))} mangler"


@pytest.mark.parametrize("path", STRUKTUR)
def test_structure_and_token_endpoints_have_danish_summaries_and_descriptions(skema, path):
    for metode, op in operationer(skema)[path].items():
        if metode not in {"get", "post", "put", "patch", "delete"}:
            continue
        assert op.get("summary"), (path, metode)
        assert op.get("description"), (path, metode)
        tekst = op["summary"] + " " + op["description"]
        assert re.search(r"[æøå]|\b(en|et|og|med|på|sin)\b", tekst), f"ikke dansk? {tekst!r}"


def test_structure_lists_document_their_filters(skema):
    parametre = {
        path: {p["name"] for p in skema["paths"][path]["get"].get("parameters", [])}
        for path in ["/api/v1/parter/", "/api/v1/fora/"]
    }

    assert {"type", "aktiv", "limit", "offset"} <= parametre["/api/v1/parter/"]
    assert {"type", "klynge", "aktiv", "limit", "offset"} <= parametre["/api/v1/fora/"]


def test_structure_detail_documents_the_danish_404(skema):
    svar = skema["paths"]["/api/v1/klynger/{slug}/"]["get"]["responses"]

    assert set(svar) >= {"200", "404"}
    assert svar["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Fejl"}


def test_schema_generates_without_warnings(tmp_path):
    # The same check as `manage.py spectacular --validate --fail-on-warn`: a warning raises.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))

    assert "/api/v1/parter/" in (tmp_path / "schema.yml").read_text(encoding="utf-8")


def test_swagger_ui_loads_nothing_from_another_host(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    eksterne = [url for url in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html)
                if not re.match(r"(?:https?:)?//(testserver|localhost|127\.0\.0\.1)(?::\d+)?(/|$)", url)]
    assert eksterne == []
    # The start-up script is a file of its own (no inline script under the Content-Security-Policy).
    assert "<script>" not in html and "<style>" not in html
    assert '<script src="/api/docs/?script=">' in html
    assert 'url: "/api/schema/"' in client.get("/api/docs/?script=").content.decode()


def test_swagger_ui_assets_are_served_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()
    kilder = re.findall(r"(?:src|href)=\"([^\"]+)\"", html)

    assert kilder, html
    for kilde in kilder:
        if kilde == "/api/docs/?script=":  # Swagger UI's start-up script, served by the view itself
            continue
        assert kilde.startswith("/static/"), kilde
        assert finders.find(kilde.removeprefix("/static/")), f"{kilde} findes ikke blandt de statiske filer"
