"""The site's identity without a browser: icons and card in every page's head, the admin's branding, each
session's Open Graph card (/siv/<year>/<slug>/og.png) and the cheap 404 page."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from events import og
from events.models import Session
from innovationsvecka import og_image
from tests.factories import EditionFactory, SessionFactory, local

pytestmark = pytest.mark.usefixtures("no_page_cache")
STATIC = Path(__file__).resolve().parent.parent / "static" / "img"
ADMIN_NAME = "Sörmlands innovationsvecka – administration"


def meta(html, prop):
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)">', html)
    return found.group(1) if found else None


@pytest.mark.django_db
def test_every_page_has_icons_manifest_and_the_site_card(client, edition):
    html = client.get("/siv/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.[0-9a-f]+\.svg" type="image/svg\+xml">', html)
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.[0-9a-f]+\.ico" sizes="32x32">', html)
    assert re.search(r'<link rel="apple-touch-icon" href="/static/img/apple-touch-icon\.[0-9a-f]+\.png">', html)
    assert re.search(r'<link rel="manifest" href="/static/img/site\.[0-9a-f]+\.webmanifest">', html)
    assert re.fullmatch(settings.SITE_URL + r"/static/img/og-default\.[0-9a-f]+\.png", meta(html, "og:image"))
    assert '<img class="brand-mark" src="/static/img/mark.' in html


def test_the_static_images_have_their_sizes():
    assert Image.open(STATIC / "og-default.png").size == (1200, 630)
    assert Image.open(STATIC / "apple-touch-icon.png").size == (180, 180)
    assert Image.open(STATIC / "icon-512.png").size == (512, 512)
    assert {(16, 16), (32, 32), (48, 48)} <= set(Image.open(STATIC / "favicon.ico").info["sizes"])
    for name in ("og-default.png", "apple-touch-icon.png", "icon-192.png", "icon-512.png"):
        assert (STATIC / name).stat().st_size < 150_000


@pytest.mark.django_db
def test_the_admin_login_page_is_branded(client):
    html = client.get(f"/{settings.ADMIN_PATH}login/").content.decode()
    assert f"<title>Logga in | {ADMIN_NAME}</title>" in html or f"| {ADMIN_NAME}</title>" in html
    assert f'<span>{ADMIN_NAME}</span>' in html
    assert re.search(r'<img src="/static/img/mark\.[0-9a-f]+\.svg" alt=""', html)
    assert re.search(r'href="/static/css/admin-brand\.[0-9a-f]+\.css"', html)
    # After Django's dark mode, so its variables win.
    assert html.index("admin/css/dark_mode.") < html.index("css/admin-brand.")


def test_the_admin_name_is_translated():
    from django.contrib import admin
    from django.utils import translation

    with translation.override("en"):
        assert str(admin.site.site_header) == str(admin.site.site_title) == "Sörmland Innovation Week – administration"
    with translation.override("sv"):
        assert str(admin.site.site_header) == ADMIN_NAME


@pytest.fixture
def session(edition):
    return SessionFactory(title="Från idé till affär", slug="fran-ide", start=local(2026, 11, 11, 9),
                          end=local(2026, 11, 11, 11, 30))


@pytest.mark.django_db
def test_the_session_page_names_its_own_card(client, session):
    html = client.get(session.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == settings.SITE_URL + "/siv/2026/fran-ide/og.png"
    assert meta(html, "og:image:alt") == "Från idé till affär – Sörmlands innovationsvecka"
    html = client.get("/en" + session.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == settings.SITE_URL + "/en/siv/2026/fran-ide/og.png"


@pytest.mark.django_db
def test_the_card_is_a_1200_by_630_png(client, session):
    response = client.get("/siv/2026/fran-ide/og.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert og.card_text(session) == "Onsdag 11 november 2026, 09:00–11:30"
    again = client.get("/siv/2026/fran-ide/og.png", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_card_is_drawn_once_per_change(client, session, monkeypatch):
    drawn = []
    real = og_image.session_card
    monkeypatch.setattr(og_image, "session_card", lambda *a, **k: drawn.append(a) or real(*a, **k))
    for _ in range(3):
        assert client.get("/siv/2026/fran-ide/og.png").status_code == 200
    assert len(drawn) == 1
    assert client.get("/en/siv/2026/fran-ide/og.png").status_code == 200  # English date: its own card
    assert len(drawn) == 2
    Session.objects.filter(pk=session.pk).update(title="Nytt namn", updated=session.updated.replace(year=2030))
    client.get("/siv/2026/fran-ide/og.png")
    assert drawn[-1][0] == "Nytt namn"


@pytest.mark.django_db
def test_no_card_for_what_the_public_cannot_see(client, edition):
    SessionFactory(slug="utkast", status=Session.Status.DRAFT)
    hidden = EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=hidden, slug="snart")
    for path in ("/siv/2026/finns-inte/og.png", "/siv/2026/utkast/og.png", "/siv/2027/snart/og.png",
                 "/siv/1999/finns-inte/og.png"):
        assert client.get(path).status_code == 404, path


def test_a_long_title_ends_in_an_ellipsis():
    image = og_image.session_card("Ord " * 80, "Onsdag 11 november 2026, 09:00–11:30")
    assert image.size == (1200, 630)


@pytest.mark.django_db
@pytest.mark.parametrize("sessions", [3, 30])
def test_the_404_page_offers_search_and_the_way_on_cheaply(client, edition, django_assert_num_queries, sessions):
    SessionFactory.create_batch(sessions)
    # The footer's three (the edition, its contacts, the last change); nothing of the programme, at any size.
    with django_assert_num_queries(3):
        response = client.get("/siv/finns-inte/alls/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<form class="not-found-search" method="get" action="/siv/" role="search">' in html
    assert 'name="q"' in html
    assert '<a href="/siv/">' in html and '<a href="/siv/nu/">' in html
    english = client.get("/en/siv/finns-inte/").content.decode()
    assert 'action="/en/siv/"' in english and "Search the programme" in english
