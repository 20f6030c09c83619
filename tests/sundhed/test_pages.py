"""Site-wide pages: front page, accessibility statement, log in and out, error pages, the layout."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from sundhed import views
from tests.conftest import totp_kode
from tests.factories import UserFactory


def test_front_page_explains_the_portal_and_links_the_clusters(client, struktur):
    svar = client.get("/")
    assert svar.status_code == 200
    html = svar.content.decode()
    assert '<html lang="da">' in html
    assert "<title>Sundhedssamarbejdet i Region Midtjylland</title>" in html
    assert "<h1>Sundhedssamarbejdet i Region Midtjylland</h1>" in html
    assert "tværsektorielle sundhedssamarbejde" in html
    assert f'href="{reverse("klynge-detalje", args=["klynge-et"])}"' in html
    assert f'href="{reverse("klynge-detalje", args=["klynge-to"])}"' in html
    assert "Kommune A, Kommune B" in html
    assert f'href="{reverse("organisation")}"' in html
    assert f'href="{reverse("klynge-liste")}"' in html


def test_pages_have_a_danish_title_with_the_portal_name(client, struktur):
    html = client.get(reverse("organisation")).content.decode()
    assert "<title>Organisation – Sundhedssamarbejdet i Region Midtjylland</title>" in html


def test_accessibility_statement_names_the_target_the_tests_and_the_complaint_route(client, db):
    svar = client.get("/tilgaengelighed/")
    assert svar.status_code == 200
    html = svar.content.decode()
    for tekst in ["<h1>Tilgængelighedserklæring</h1>", "WCAG 2.1", "AA", "axe-core", "tastatur",
                  "Kendte begrænsninger", "Digitaliseringsstyrelsen", "webtilgængelighedsloven"]:
        assert tekst in html, tekst
    assert 'href="https://digst.dk/"' in html


def test_every_page_links_the_accessibility_statement_in_the_footer(client, db):
    html = client.get("/").content.decode()
    sidefod = html[html.index("<footer>"):]
    assert f'href="{reverse("tilgaengelighed")}"' in sidefod
    assert "Kontakt" in sidefod


# ---- Layout: DKFDS header, navigation, no resources from the web ---------------------------------


def test_layout_has_skip_link_first_and_main_content_target(client, db):
    html = client.get("/").content.decode()
    body = html[html.index("<body"):]
    foerste_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skipnav"' in foerste_link and 'href="#main-content"' in foerste_link
    assert "Gå til sidens indhold" in body
    assert '<main id="main-content"' in body
    assert 'class="header"' in body and 'class="solution-info"' in body and 'class="navigation-menu"' in body
    assert 'aria-label="Hovedmenu"' in body


def test_every_resource_is_served_from_static_and_scripts_are_deferred(client, struktur):
    html = client.get("/").content.decode()
    kilder = re.findall(r'<(?:script|link|img|use)\b[^>]*?\s(?:src|href)="([^"]+)"', html)
    assert kilder, "siden henter ingen filer?"
    for kilde in kilder:
        assert kilde.startswith("/static/") or kilde == "data:,", kilde
    assert "//" not in "".join(kilder)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) >= 2
    assert all(" defer" in s for s in scripts), scripts
    assert "dkfds.min.js" in html and "htmx.min.js" in html and "js/portal.js" in html


def test_current_menu_item_is_marked_for_screen_readers(client, struktur):
    html = client.get(reverse("organisation")).content.decode()
    assert re.search(r'href="/organisation/" class="nav-link" aria-current="page"', html)
    assert not re.search(r'href="/" class="nav-link" aria-current', html)
    html = client.get(reverse("forum-detalje", args=["sundhedsstyregruppen"])).content.decode()
    assert re.search(r'href="/organisation/" class="nav-link" aria-current="true"', html)
    html = client.get("/").content.decode()
    assert re.search(r'href="/" class="nav-link" aria-current="page"', html)


def _url_findes(navn: str) -> bool:
    try:
        reverse(navn)
    except NoReverseMatch:
        return False
    return True


@pytest.mark.parametrize(("navn", "tekst"), [("aftale-liste", "Samarbejdsaftaler"), ("indikator-liste", "Indikatorer")])
def test_menu_links_agreements_and_indicators_only_once_their_pages_exist(client, db, navn, tekst):
    html = client.get("/").content.decode()
    menu = html[html.index('<ul class="mainmenu">'):html.index("</ul>", html.index('<ul class="mainmenu">'))]
    assert (f"<span>{tekst}</span>" in menu) == _url_findes(navn)


def test_anonymous_visitor_sees_log_in_and_no_staff_links(client, db):
    html = client.get("/").content.decode()
    assert f'href="{reverse("login")}' in html and "Log ind" in html
    assert "Mine opgaver" not in html
    assert "Administration" not in html
    assert "Log ud" not in html


def test_signed_in_user_sees_my_tasks_and_a_log_out_form_with_csrf(client, personas):
    client.force_login(personas["sekretariat"])
    html = client.get("/").content.decode()
    assert f'href="{reverse("arbejde:forside")}"' in html and "Mine opgaver" in html
    logud = re.search(r'<form method="post" action="/log-ud/"[^>]*>(.*?)</form>', html, re.S)
    assert logud and "csrfmiddlewaretoken" in logud.group(1) and "Log ud" in logud.group(1)
    assert "Administration" not in html


def test_staff_sees_the_admin_link(client, db):
    client.force_login(UserFactory(username="personale", is_staff=True))
    html = client.get("/").content.decode()
    assert f'href="{reverse("admin:index")}"' in html and "Administration" in html


@pytest.mark.parametrize(("niveau", "variant", "rolle"), [
    ("SUCCESS", "success", "status"), ("INFO", "info", "status"), ("WARNING", "warning", "alert"),
    ("ERROR", "error", "alert"),
])
def test_django_messages_are_shown_as_design_system_alerts(db, niveau, variant, rolle):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string

    html = render_to_string("base.html", {"messages": [Message(getattr(constants, niveau), "Aftalen er gemt.")]})
    assert f'<div class="alert alert-{variant} mt-5" role="{rolle}">' in html
    assert '<p class="alert-text">Aftalen er gemt.</p>' in html


# ---- Log in and out ----------------------------------------------------------------------------


def test_login_page_has_danish_labels_and_button(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<label class="form-label" for="id_username">Brugernavn</label>' in html
    assert '<label class="form-label" for="id_password">Adgangskode</label>' in html
    assert ">Log ind</button>" in html
    assert 'autocomplete="current-password"' in html


def test_login_with_the_right_password_lands_on_my_tasks(client, personas):
    svar = client.post(reverse("login"), {"username": "region", "password": "demo"})
    assert svar.status_code == 302
    assert svar.url == reverse("arbejde:forside")
    assert client.get(reverse("arbejde:forside")).status_code == 200


def test_the_secretariat_lands_on_my_tasks_after_password_and_code(client, personas):
    # The secretariat gives a TOTP code after the password (sundhed.mfa; tests/sundhed/test_totp.py).
    assert client.post(reverse("login"), {"username": "sekretariat", "password": "demo"}).url == reverse("login-kode")
    svar = client.post(reverse("login-kode"), {"kode": totp_kode(personas["sekretariat"])})
    assert svar.status_code == 302
    assert svar.url == reverse("arbejde:forside")
    assert client.get(reverse("arbejde:forside")).status_code == 200


def test_login_with_a_wrong_password_shows_a_danish_error_summary(client, personas):
    svar = client.post(reverse("login"), {"username": "sekretariat", "password": "forkert"})
    assert svar.status_code == 200
    html = svar.content.decode()
    assert 'data-module="error-summary"' in html
    assert "Du blev ikke logget ind" in html
    assert "Indtast venligst korrekt brugernavn og adgangskode" in html
    assert '_auth_user_id' not in client.session


def test_login_with_empty_fields_links_each_error_to_its_field(client, db):
    html = client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Brugernavn: Dette felt er påkrævet.</a>' in html
    assert 'aria-invalid="true" aria-describedby="id_username-fejl"' in html


def test_logout_is_a_post_and_returns_to_the_front_page(client, personas):
    client.force_login(personas["sekretariat"])
    assert client.get(reverse("logout")).status_code == 405
    svar = client.post(reverse("logout"))
    assert svar.status_code == 302 and svar.url == reverse("forside")
    assert "_auth_user_id" not in client.session


# ---- Error pages -------------------------------------------------------------------------------


def test_unknown_page_gives_the_danish_404_page(client, db, settings):
    settings.DEBUG = False
    svar = client.get("/findes-ikke/")
    assert svar.status_code == 404
    html = svar.content.decode()
    assert '<html lang="da">' in html
    assert "Siden findes ikke" in html
    assert 'href="/"' in html


def test_403_page_is_danish_and_helpful(db):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/arbejde/rettigheder/")
    request.user = AnonymousUser()
    svar = views.forbudt(request)
    assert svar.status_code == 403
    html = svar.content.decode()
    assert "Du har ikke adgang til siden" in html and 'href="/"' in html and '<html lang="da">' in html


def test_500_page_renders_without_request_context_or_database(db):
    with CaptureQueriesContext(connection) as ctx:
        svar = views.serverfejl(RequestFactory().get("/"))
    assert svar.status_code == 500
    assert len(ctx.captured_queries) == 0
    html = svar.content.decode()
    assert '<html lang="da">' in html
    assert "Der opstod en fejl" in html
    assert 'href="/"' in html
    assert "Sundhedssamarbejdet i Region Midtjylland" in html



def test_the_start_page_links_the_implementation_overview_only_for_those_who_may_open_it(client, personas):
    for persona, kan in [("sekretariat", True), ("klynge", True), ("kommune_a", False), ("temagruppe", False)]:
        client.force_login(personas[persona])
        side = client.get("/arbejde/").content.decode()
        assert ("/arbejde/implementering/" in side) is kan, persona
        assert client.get("/arbejde/implementering/").status_code == (200 if kan else 404), persona
