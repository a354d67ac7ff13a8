import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import Session
from tests.conftest import login_staff, text
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    local,
    programme_editor,
    the_edition,
    theme,
)

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def session_titles(response):
    return [s.title for s in response.context["sessions"]]


pytestmark = pytest.mark.usefixtures("no_page_cache")


@pytest.mark.django_db
def test_programme_lists_public_sessions_in_day_and_time_order(client, edition):
    late = SessionFactory(edition=edition, title="Tisdag", start=local(2026, 11, 10, 9), end=local(2026, 11, 10, 10))
    early = SessionFactory(
        edition=edition, title="Måndag sen", start=local(2026, 11, 9, 15), end=local(2026, 11, 9, 16)
    )
    first = SessionFactory(
        edition=edition, title="Måndag tidig", start=local(2026, 11, 9, 8), end=local(2026, 11, 9, 9)
    )
    SessionFactory(edition=edition, title="Utkast", status=Session.Status.DRAFT)
    SessionFactory(edition=edition, title="Förslag", status=Session.Status.PROPOSED)
    response = client.get("/siv/2026/")
    assert response.status_code == 200
    assert session_titles(response) == [first.title, early.title, late.title]
    html = response.content.decode()
    assert "Måndag 9 november" in html and "Tisdag 10 november" in html
    assert "Utkast" not in html and "Förslag" not in html
    assert "<strong>3</strong> programpunkter." in html


@pytest.mark.django_db
def test_programme_item_shows_format_place_themes_organisers_and_registration(client, edition, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 11, 5, 12))
    almi = OrganisationFactory(name="Almi", slug="almi")
    SessionFactory(
        edition=edition,
        title="Punkt",
        start=local(2026, 11, 9, 8, 30),
        end=local(2026, 11, 9, 17, 5),
        format=Session.Format.HYBRID,
        venue__name="Munktellarenan",
        themes=[theme("life-science")],
        organisers=[almi],
        registration_url="https://example.org/anmal",
        registration_deadline=local(2026, 11, 6, 16),
    )
    html = client.get("/siv/2026/").content.decode()
    item = html[html.index('<li class="session') : html.index("</li>\n", html.index('<li class="session'))]
    assert (
        '<time datetime="2026-11-09T08:30:00+01:00">08:30</time>–'
        '<time datetime="2026-11-09T17:05:00+01:00">17:05</time>' in item
    )
    assert '<span class="format format-hybrid">Hybrid</span>' in item
    assert '<span class="place">Munktellarenan, Eskilstuna</span>' in item
    assert "<li>Life science med välfärd och hälsa</li>" in item
    assert '<a href="/siv/aktorer/almi/">Almi</a>' in item
    assert '<strong class="state state-last-tomorrow">Sista anmälan i morgon kl. 16:00</strong>' in item
    assert "<dt>" not in item


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"is_full": True, "registration_url": "https://example.org/a"}, "Fullbokat"),
        ({}, None),
        (
            {"registration_url": "https://example.org/a", "registration_deadline": local(2020, 1, 1)},
            "Anmälan har stängt",
        ),
        ({"registration_url": "https://example.org/a"}, None),
        ({"status": Session.Status.CANCELLED, "registration_url": "https://example.org/a"}, "Inställt"),
    ],
)
def test_programme_item_registration_state_only_when_it_matters(client, edition, fields, expected, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 11, 1, 12))
    SessionFactory(edition=edition, **fields)
    html = client.get("/siv/2026/").content.decode()
    state = re.search(r'<strong class="state state-[\w-]+">(.*?)</strong>', html, re.S)
    assert (state and state.group(1).strip()) == expected


@pytest.mark.django_db
def test_cancelled_session_stays_listed_marked_with_note(client, edition):
    SessionFactory(
        edition=edition,
        title="Inställd punkt",
        status=Session.Status.CANCELLED,
        cancellation_note="Föreläsaren är sjuk.",
    )
    response = client.get("/siv/2026/")
    assert session_titles(response) == ["Inställd punkt"]
    assert '<li class="session cancelled" id="s' in response.content.decode()
    assert "Inställt" in text(response) and "Föreläsaren är sjuk." in text(response)


@pytest.mark.django_db
def test_programme_marks_today_during_the_week(client):
    today = timezone.localdate()
    week = EditionFactory(
        year=2031, start_date=today - datetime.timedelta(days=1), end_date=today + datetime.timedelta(days=1)
    )
    at = lambda day, hour: timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))  # noqa: E731
    SessionFactory(
        edition=week,
        title="Igår",
        start=at(today - datetime.timedelta(days=1), 10),
        end=at(today - datetime.timedelta(days=1), 11),
    )
    SessionFactory(edition=week, title="Idag", start=at(today, 10), end=at(today, 11))
    html = client.get("/siv/2031/").content.decode()
    assert html.count('<span class="today-badge">Idag</span>') == 1
    heading = re.search(r'<h2 id="dag-' + today.isoformat() + r'">(.*?)</h2>', html).group(1)
    assert heading.startswith('<span class="today-badge">Idag</span>, ')
    assert heading.endswith(f' {today.day} {MONTHS[today.month - 1]}')


@pytest.mark.django_db
def test_programme_filtered_shows_hits_chips_and_one_clear_all_link(client, edition):
    SessionFactory(edition=edition, title="A", themes=[theme("smart-industri")])
    SessionFactory(edition=edition, title="B", themes=[theme("life-science")])
    SessionFactory(
        edition=edition, title="C", themes=[theme("smart-industri")], format=Session.Format.DIGITAL, venue=None
    )
    response = client.get("/siv/2026/?tema=smart-industri&format=plats")
    assert session_titles(response) == ["A"]
    html = response.content.decode()
    assert "<strong>1</strong> av 3 programpunkter matchar dina val." in html
    assert html.count('class="clear-all"') == 1
    assert '<a class="clear-all" href="/siv/2026/#resultat">Rensa alla filter</a>' in html
    remove = '#resultat"><span class="visually-hidden">Ta bort </span>'
    assert f'href="/siv/2026/?format=plats{remove}Tema: Smart industri' in html
    assert f'href="/siv/2026/?tema=smart-industri{remove}Form: På plats' in html
    assert '<meta name="robots" content="noindex">' in html
    # the form keeps what was chosen
    assert re.search(r'name="tema" value="smart-industri"\s+id="filter-tema_0" checked', html)


@pytest.mark.django_db
def test_programme_with_no_matches_shows_a_way_out(client, edition):
    SessionFactory(edition=edition, title="A", themes=[theme("smart-industri")])
    response = client.get("/siv/2026/?tema=life-science")
    assert session_titles(response) == []
    page = text(response)
    assert "Inga programpunkter matchar dina val" in page
    assert "0 av 1 programpunkter matchar dina val." in page
    assert '<a class="clear-all" href="/siv/2026/#resultat">' in response.content.decode()


@pytest.mark.django_db
def test_programme_says_which_values_were_ignored(client, edition):
    SessionFactory(edition=edition, title="A")
    response = client.get("/siv/2026/?dag=2026-02-30&kommun=atlantis&q=" + "x" * 5000)
    assert response.status_code == 200
    assert session_titles(response) == ["A"]
    page = text(response)
    assert "En del av adressen kunde inte användas" in page
    assert "”2026-02-30” är inget datum som ÅÅÅÅ-MM-DD och ignorerades." in page
    assert "Det finns ingen kommun ”atlantis”; den ignorerades." in page
    assert "Söktexten var längre än 200 tecken och ignorerades." in page
    assert "x" * 41 not in page


JUNK = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=60)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["dag", "tema", "format", "kommun", "aktor", "malgrupp", "sprak", "q", "sida"]), JUNK
        ),
        max_size=8,
    )
)
def test_programme_never_fails_on_junk_parameters(client, edition, pairs):
    response = client.get("/siv/2026/", pairs and {name: [v for n, v in pairs if n == name] for name, _ in pairs})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "dag=" + "9" * 5000,
        "tema=%00%01%02",
        "q=%F0%9F%92%A9%00",
        "dag=-0001-01-01",
        "dag=2026-11-09T10:00",
        "tema[]=x&format[]=y",
        "&".join(["kommun=flen"] * 200),
        "q=%",
        "q=_",
        "q='; DROP TABLE events_session; --",
    ],
)
def test_programme_junk_query_strings_get_200(client, edition, query):
    SessionFactory(edition=edition, title="Kvar")
    response = client.get("/siv/2026/?" + query)
    assert response.status_code == 200
    assert Session.objects.filter(title="Kvar").exists()


@pytest.mark.django_db
def test_unpublished_programme_shows_coming_soon(client):
    coordinator = OrganisationFactory(name="Region Sörmland", slug="region-sormland")
    edition = EditionFactory(year=2027, is_published=False, intro="Snart kommer programmet.", coordinator=coordinator)
    edition.contacts.add(ContactFactory(name="Anna Andersson", email="anna@example.org", organisation=coordinator))
    edition.contacts.add(ContactFactory(name="Hemlig Person", is_public=False, organisation=coordinator))
    SessionFactory(edition=the_edition(2027), title="Hemlig punkt")
    response = client.get("/siv/2027/")
    html = response.content.decode()
    assert "Programmet för 2027 års innovationsvecka kommer att finnas här." in html
    assert "Snart kommer programmet." in html
    assert "Hemlig punkt" not in html
    assert "Veckan samordnas av Region Sörmland" in text(response)  # once: in the footer (rest13)
    assert '<a href="mailto:anna@example.org">anna@example.org</a>' in html
    assert "Hemlig Person" not in html
    assert 'id="programme-filter"' not in html


@pytest.mark.django_db
def test_unpublished_programme_preview_only_for_staff(client):
    EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=the_edition(2027), title="Hemlig punkt")
    assert "Hemlig punkt" not in client.get("/siv/2027/?forhandsvisning=1").content.decode()
    login_staff(client, programme_editor())
    response = client.get("/siv/2027/?forhandsvisning=1")
    html = response.content.decode()
    assert session_titles(response) == ["Hemlig punkt"]
    assert "Förhandsvisning" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert re.search(r'<input type="hidden"\s+name="forhandsvisning"\s+value="1"', html)
    # without the parameter, staff see what the public sees, with a link to the preview
    plain = client.get("/siv/2027/").content.decode()
    assert "kommer att finnas här" in plain and 'href="?forhandsvisning=1"' in plain


@pytest.mark.django_db
def test_root_redirects_to_programme(client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/siv/")


@pytest.mark.django_db
def test_unknown_year_and_slug_give_404(client, edition):
    assert client.get("/siv/1999/").status_code == 404
    assert client.get("/siv/2026/finns-inte/").status_code == 404


@pytest.mark.django_db
def test_draft_session_page_is_not_public(client, edition):
    draft = SessionFactory(edition=edition, status=Session.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_programme_in_english_has_english_dates_and_links(client, edition):
    SessionFactory(edition=edition, title="A", start=local(2026, 11, 9, 13), end=local(2026, 11, 9, 14))
    response = client.get("/en/siv/2026/?format=plats&tema=nope")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Monday 9 November" in html
    assert "13:00" in html
    assert '<a href="/siv/2026/?tema=nope&amp;format=plats" lang="sv" hreflang="sv">Svenska</a>' in html
    assert "There is no theme “nope”; it was ignored." in text(response)


@pytest.mark.django_db
def test_programme_has_canonical_hreflang_and_opengraph(client, edition):
    html = client.get("/siv/2026/?tema=smart-industri").content.decode()
    assert '<link rel="canonical" href="https://siv.example.org/siv/2026/">' in html
    assert '<link rel="alternate" hreflang="sv" href="https://siv.example.org/siv/2026/">' in html
    assert '<link rel="alternate" hreflang="en" href="https://siv.example.org/en/siv/2026/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="https://siv.example.org/siv/2026/">' in html
    assert '<meta property="og:title" content="Sörmlands innovationsvecka 2026">' in html
    assert '<meta property="og:url" content="https://siv.example.org/siv/2026/">' in html
    assert '<meta property="og:locale" content="sv_SE">' in html


def batch_programme(count):
    """`count` public sessions spread over the week, each with a theme, an audience and two organisers."""
    edition = the_edition(2026)
    orgs = OrganisationFactory.create_batch(2)
    venue = SessionFactory(edition=edition, status=Session.Status.DRAFT).venue
    sessions = Session.objects.bulk_create(
        Session(
            edition=edition,
            title=f"Punkt {n}",
            slug=f"punkt-{n}",
            venue=venue,
            start=local(2026, 11, 9 + n % 5, 8 + n % 9),
            end=local(2026, 11, 9 + n % 5, 18),
            status=Session.Status.CANCELLED if n % 7 == 0 else Session.Status.PUBLISHED,
            registration_url="https://example.org/" if n % 2 else "",
        )
        for n in range(count)
    )
    smart = theme("smart-industri")
    Session.themes.through.objects.bulk_create(Session.themes.through(session=s, theme=smart) for s in sessions)
    Session.organisers.through.objects.bulk_create(
        Session.organisers.through(session=s, organisation=org) for s in sessions for org in orgs
    )
    return edition, sessions


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # two of them the faceted counts (events.filters.Facets: the sessions' rows, their links), which
        # also give the unfiltered total for "n av m programpunkter"
        ("/siv/2026/", 14),
        ("/siv/2026/?tema=smart-industri&dag=2026-11-10&dag=2026-11-11&kommun=eskilstuna&q=punkt&aktor=aktor-0", 14),
    ],
)
def test_programme_query_count_is_the_same_for_3_and_300_sessions(client, url, expected):
    batch_programme(3)
    small, response = count_queries(client, url)
    assert len(response.context["sessions"]) > 0
    Session.objects.all().delete()
    batch_programme(300)
    large, response = count_queries(client, url)
    assert len(response.context["sessions"]) > 50
    assert small == large == expected


@pytest.mark.django_db
def test_sitemap_lists_public_pages_in_both_languages(client, edition):
    public = SessionFactory(edition=edition, slug="offentlig")
    SessionFactory(edition=edition, slug="utkast", status=Session.Status.DRAFT)
    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200
    assert "<loc>https://siv.example.org/siv/2026/offentlig/</loc>" in xml
    assert "<loc>https://siv.example.org/en/siv/2026/offentlig/</loc>" in xml
    assert 'hreflang="en" href="https://siv.example.org/en/siv/2026/offentlig/"' in xml
    assert "utkast" not in xml
    for path in ["/siv/", "/siv/vecka/", "/siv/karta/", "/siv/oppna-data/", "/siv/om/", "/siv/tillganglighet/",
                 "/siv/arkiv/", "/siv/2026/"]:
        assert f"<loc>https://siv.example.org{path}</loc>" in xml
    assert public.title not in xml


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.content.decode() == "User-agent: *\nAllow: /\nSitemap: https://siv.example.org/sitemap.xml\n"
