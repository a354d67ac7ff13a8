"""Where things happen (events/county.py, /siv/karta/): counts equal the programme's, the online count, the
text list, the programme's panel and the session page's locator."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Session
from tests.conftest import text
from tests.factories import SessionFactory, VenueFactory, local, municipality, theme
from tests.test_programme_page import batch_programme


@pytest.fixture
def spread(edition):
    """Sessions in three municipalities and online, with two themes."""
    nykoping = VenueFactory(municipality=municipality("nykoping"), town="Nyköping")
    trosa = VenueFactory(municipality=municipality("trosa"), town="Trosa")
    smart, food = theme("smart-industri"), theme("hallbar-livsmedelsforsorjning")
    SessionFactory(edition=edition, title="E1", themes=[smart])
    SessionFactory(edition=edition, title="E2", themes=[food], start=local(2026, 11, 10, 9))
    SessionFactory(edition=edition, title="N1", venue=nykoping, themes=[smart])
    SessionFactory(edition=edition, title="N2", venue=nykoping, themes=[smart], format="hybrid")
    SessionFactory(edition=edition, title="T1", venue=trosa, themes=[food])
    SessionFactory(edition=edition, title="D1", venue=None, format="digitalt", themes=[smart])
    SessionFactory(edition=edition, title="D2", venue=None, format="digitalt", themes=[food])
    SessionFactory(edition=edition, title="Utkast", status=Session.Status.DRAFT)
    return edition


def tiles(html):
    """{slug: (count, link or None)} from the map's tiles."""
    found = {}
    for slug, body in re.findall(r'<li class="tile tile-([a-z]+)[^"]*">(.*?)</li>', html):
        link = re.search(r'href="([^"]+)"', body)
        count = int(re.search(r'<span class="tile-count">(\d+)', body).group(1))
        found[slug] = (count, link.group(1).replace("&amp;", "&") if link else None)
    return found


def online(html):
    match = re.search(r'<a class="county-online" href="([^"]+)">Digitalt: (\d+)', html)
    return int(match.group(2)), match.group(1).replace("&amp;", "&")


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "?tema=smart-industri", "?tema=smart-industri&kommun=trosa", "?dag=2026-11-09"])
def test_map_counts_equal_the_programme_counts_under_the_filters(client, spread, no_page_cache, query):
    html = client.get("/siv/karta/" + query).content.decode()
    found = tiles(html)
    assert sorted(found) == sorted(m.slug for m in municipality("eskilstuna").__class__.objects.all())
    for slug, (count, link) in found.items():
        if link is None:
            assert count == 0
            continue
        assert f"kommun={slug}" in link
        assert len(client.get(link).context["sessions"]) == count, (slug, link)
    count, link = online(html)
    assert len(client.get(link).context["sessions"]) == count


@pytest.mark.django_db
def test_map_numbers_under_a_theme(client, spread):
    html = client.get("/siv/karta/?tema=smart-industri").content.decode()
    found = tiles(html)
    assert found["eskilstuna"] == (1, "/siv/?tema=smart-industri&kommun=eskilstuna")
    assert found["nykoping"] == (2, "/siv/?tema=smart-industri&kommun=nykoping")
    assert found["trosa"] == (0, None)
    assert online(html) == (2, "/siv/?tema=smart-industri&format=digitalt")  # D1 and the hybrid N2


@pytest.mark.django_db
def test_map_has_the_same_numbers_as_a_list_of_links(client, spread):
    response = client.get("/siv/karta/")
    html = response.content.decode()
    listed = html[html.index('<ul class="county-list">') :]
    assert '<li><a href="/siv/?kommun=nykoping">Nyköping</a>: 2 programpunkter</li>' in listed
    assert '<li><a href="/siv/?kommun=trosa">Trosa</a>: 1 programpunkt</li>' in listed
    assert "<li>Flen: 0 programpunkter</li>" in listed
    assert '<li><a href="/siv/?format=digitalt">Digitalt</a>: 3 programpunkter</li>' in listed
    assert "Digitalt: 3" in text(response)


@pytest.mark.django_db
def test_map_marks_the_chosen_municipality_and_handles_junk(client, spread):
    html = client.get("/siv/karta/?kommun=trosa&kommun=atlantis&fbclid=1").content.decode()
    assert '<li class="tile tile-trosa chosen">' in html
    assert "Det finns ingen kommun ”atlantis”; den ignorerades." in html
    assert '<a href="/siv/karta/?kommun=trosa" aria-current="page">Karta</a>' in html


@pytest.mark.django_db
def test_map_of_a_past_edition_links_to_that_year(client, spread):
    html = client.get("/siv/2026/karta/").content.decode()
    assert tiles(html)["trosa"] == (1, "/siv/2026/?kommun=trosa")
    assert client.get("/siv/2019/karta/").status_code == 404


@pytest.mark.django_db
def test_map_in_english(client, spread):
    response = client.get("/en/siv/karta/")
    assert response.status_code == 200
    assert "The programme on the map" in text(response)
    assert tiles(response.content.decode())["trosa"] == (1, "/en/siv/?kommun=trosa")


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "expected"), [("/siv/2026/karta/", 12), ("/siv/2026/karta/?tema=smart-industri", 12)])
def test_map_query_count_is_the_same_for_3_and_30_sessions(client, no_page_cache, url, expected):
    batch_programme(3)
    small, response = count_queries(client, url)
    assert tiles(response.content.decode())["eskilstuna"][0] > 0
    Session.objects.all().delete()
    batch_programme(30)
    large, response = count_queries(client, url)
    assert tiles(response.content.decode())["eskilstuna"][0] > 5
    assert small == large == expected


@pytest.mark.django_db
def test_programme_panel_counts_the_list_and_links_to_the_map(client, spread):
    response = client.get("/siv/?tema=smart-industri")
    html = response.content.decode()
    panel = html[html.index('<section class="map-panel"') : html.index("</section>", html.index('class="map-panel"'))]
    assert re.findall(r"<li>([^<]+)</li>", panel) == ["Eskilstuna: 1", "Nyköping: 2", "Digitalt: 2"]
    assert '<a href="/siv/karta/?tema=smart-industri">Visa på kartan</a>' in panel
    assert '<span class="tile-nykoping on"></span>' in panel


@pytest.mark.django_db
def test_locator_on_an_on_site_session_and_not_on_a_digital_one(client, edition):
    venue = VenueFactory(municipality=municipality("nykoping"), town="Nyköping")
    SessionFactory(edition=edition, slug="pa-plats", venue=venue)
    SessionFactory(edition=edition, slug="pa-natet", venue=None, format="digitalt")
    on_site = client.get("/siv/2026/pa-plats/")
    html = on_site.content.decode()
    assert '<span class="tile-nykoping on"></span>' in html
    assert html.count(" on\"></span>") == 1
    assert "Nyköping i Sörmland" in text(on_site)
    assert "Visa på karta (OpenStreetMap)" in text(on_site)
    digital = client.get("/siv/2026/pa-natet/").content.decode()
    assert 'class="locator"' not in digital
    english = client.get("/en/siv/2026/pa-plats/")
    assert "Nyköping in Sörmland" in text(english)
