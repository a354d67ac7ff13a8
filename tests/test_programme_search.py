"""The programme's forgiving search (events/search.py): every word as before ("energi" still finds
"solenergi"), Swedish word forms on PostgreSQL, filter suggestions when the words name a theme, municipality or
organiser, and a separate block with the sessions matching some of the words when none matches all of them. The
feeds keep the strict match, so a page's list and its feed hold the same sessions.

The tests marked `postgres` run when DATABASE_URL points to PostgreSQL (CI runs the suite there too)."""

import re

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from events import search
from events.filters import ProgrammeFilter
from events.models import Session
from organisers.models import Organisation
from tests.conftest import uid
from tests.factories import OrganisationFactory, SessionFactory, VenueFactory, local, municipality, theme
from tests.test_feeds import uids

pytestmark = pytest.mark.usefixtures("no_page_cache")

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")


@pytest.fixture
def week(edition):
    almi = OrganisationFactory(name="Almi Mälardalen", slug="almi")
    mdu = OrganisationFactory(name="Mälardalens universitet", slug="mdu")
    eskilstuna = VenueFactory(name="Munktell Science Park", municipality=municipality("eskilstuna"))
    nykoping = VenueFactory(name="Stadsbiblioteket", municipality=municipality("nykoping"))
    energy = theme("morgondagens-energilosningar")
    food = theme("hallbar-livsmedelsforsorjning")
    rows = [
        ("Solenergi för bostadsrättsföreningar", 9, eskilstuna, [energy], [almi], "Sol på taket."),
        ("Hållbar mat i skolan", 10, nykoping, [food], [mdu], "Från jord till bord."),
        ("Vätgas i industrin", 11, eskilstuna, [energy], [mdu], "Vätgas som bränsle för tung industri."),
        ("Stöd för nya företag", 12, None, [], [almi], "Vem hjälper dig att starta?"),
        ("Smart industri i praktiken", 13, eskilstuna, [theme("smart-industri")], [mdu], "Automation och AI."),
    ]
    for title, day, venue, themes, organisers, summary in rows:
        SessionFactory(
            edition=edition, title=title, summary=summary, start=local(2026, 11, day, 9), end=local(2026, 11, day, 10),
            format=Session.Format.DIGITAL if venue is None else Session.Format.ON_SITE, venue=venue, themes=themes,
            organisers=organisers,
        )  # fmt: skip
    return edition


def titles(sessions):
    return [session.title for session in sessions]


def page(client, query, path="/siv/2026/"):
    response = client.get(path, query)
    assert response.status_code == 200
    return response


def partial_titles(response):
    html = response.content.decode()
    block = re.search(r'<section class="partial-matches".*?</section>', html, re.S)
    return re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", block.group(0)) if block else []


@pytest.mark.django_db
def test_every_word_as_typed_still_matches_inside_words(client, week):
    response = page(client, {"q": "energi"})
    assert titles(response.context["sessions"]) == ["Solenergi för bostadsrättsföreningar"]
    assert titles(page(client, {"q": "VÄTGAS industri"}).context["sessions"]) == ["Vätgas i industrin"]
    assert titles(page(client, {"q": "mälardalens"}).context["sessions"]) == [  # an organiser's name
        "Hållbar mat i skolan",
        "Vätgas i industrin",
        "Smart industri i praktiken",
    ]
    assert partial_titles(response) == []


@pytest.mark.django_db
def test_when_no_session_has_every_word_a_labelled_block_shows_those_with_the_most(client, week):
    response = page(client, {"q": "vätgas industrin mat"})
    assert response.context["sessions"] == []
    html = response.content.decode()
    assert "Inga programpunkter innehåller alla orden. Dessa innehåller några av dem:" in html
    # "Vätgas i industrin" has two of the words, the others one; equal ones in time order.
    # ("mat" is in "Automation": a word matches inside words, as always.)
    assert partial_titles(response) == ["Vätgas i industrin", "Hållbar mat i skolan", "Smart industri i praktiken"]
    # The feed follows the strict match: no session.
    assert uids(page(client, {"q": "vätgas industrin mat"}, "/siv/2026/kalender.ics").content) == []


@pytest.mark.django_db
def test_the_partial_block_keeps_the_other_filters_and_one_word_gets_none(client, week):
    # (one word each: by time on SQLite, by SearchRank on PostgreSQL)
    found = partial_titles(page(client, {"q": "solenergi vätgas", "kommun": "eskilstuna"}))
    assert sorted(found) == ["Solenergi för bostadsrättsföreningar", "Vätgas i industrin"]
    assert partial_titles(page(client, {"q": "solenergi vätgas", "kommun": "nykoping"})) == []
    assert partial_titles(page(client, {"q": "solenergi vätgas", "dag": "2026-11-11"})) == ["Vätgas i industrin"]
    assert partial_titles(page(client, {"q": "nothing"})) == []
    assert partial_titles(page(client, {"q": "solenergi"})) == []  # a full match: no block


@pytest.mark.django_db
def test_words_naming_a_theme_municipality_or_organiser_offer_that_filter(client, week):
    html = page(client, {"q": "energi"}).content.decode()
    assert (
        '<a href="/siv/2026/?tema=morgondagens-energilosningar">Menar du temat Morgondagens energilösningar?</a>'
        in html
    )
    html = page(client, {"q": "vätgas eskilstuna"}).content.decode()
    assert '<a href="/siv/2026/?kommun=eskilstuna&amp;q=v%C3%A4tgas">Menar du kommunen Eskilstuna?</a>' in html
    html = page(client, {"q": "almi"}).content.decode()
    assert '<a href="/siv/2026/?aktor=almi">Menar du arrangören Almi Mälardalen?</a>' in html
    # A filter already chosen is not offered again; short words name nothing.
    html = page(client, {"q": "energi", "tema": "morgondagens-energilosningar"}).content.decode()
    assert "Menar du" not in html
    assert "Menar du" not in page(client, {"q": "sol"}).content.decode()
    # English pages ask in English.
    html = page(client, {"q": "eskilstuna"}, "/en/siv/2026/").content.decode()
    assert "Did you mean the municipality Eskilstuna?" in html


@pytest.mark.django_db
def test_a_suggestion_link_gives_the_filtered_programme(client, week):
    programme_filter = ProgrammeFilter(QueryDict("q=v%C3%A4tgas+eskilstuna"), week)
    [(question, query)] = [s for s in search.suggestions(programme_filter) if "kommun" in s[1]]
    response = client.get("/siv/2026/?" + query)
    assert titles(response.context["sessions"]) == ["Vätgas i industrin"]


@pytest.mark.django_db
def test_at_most_three_suggestions(week):
    found = search.suggestions(ProgrammeFilter(QueryDict("q=m%C3%A4lardalens+morgondagens+smart+eskilstuna"), week))
    assert len(found) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"q": "vätgas industrin mat"},
        {"q": "solenergi vätgas"},
        {"q": "energi"},
        {"q": "hållbar energi", "format": "plats"},
        {"q": "industri mälardalens"},
        {"q": "företag", "kommun": "eskilstuna"},
        {"q": "%"},
        {"q": "_ !!! ”"},
    ],
)
def test_the_feed_holds_exactly_the_pages_list(client, week, query):
    for path, feed in [("/siv/2026/", "/siv/2026/kalender.ics"), ("/siv/", "/siv/kalender.ics")]:
        expected = [uid(session) for session in page(client, query, path).context["sessions"]]
        assert uids(page(client, query, feed).content) == expected, query


def count_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/siv/2026/", query)
    assert response.status_code == 200
    return len(queries), response


def batch(edition, count):
    Session.objects.all().delete()
    almi = OrganisationFactory()
    energy = theme("morgondagens-energilosningar")
    for n in range(count):
        SessionFactory(
            edition=edition, title=["Solenergi", "Vätgas", "Mat"][n % 3] + f" {n}", start=local(2026, 11, 9 + n % 5, 9),
            end=local(2026, 11, 9 + n % 5, 10), themes=[energy], organisers=[almi],
        )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # As any filtered page (14, see test_programme_page), a suggestion adding no query (the form has
        # the choices); with no full match the list takes one query instead of three, and the partial block
        # three (one when it is empty).
        ({"q": "energi"}, 14),
        ({"q": "solenergi vätgas"}, 15),
        ({"q": "ingenting alls"}, 13),
        ({"q": "solenergi vätgas", "kommun": "eskilstuna", "dag": "2026-11-09"}, 15),
    ],
)
def test_query_counts_are_pinned_for_3_and_30_sessions(client, edition, query, expected):
    batch(edition, 3)
    small, response = count_queries(client, query)
    assert response.context["sessions"] or response.context["partial"] or "ingenting" in query["q"]
    batch(edition, 30)
    large, response = count_queries(client, query)
    if "vätgas" in query["q"] and "dag" not in query:
        assert len(response.context["partial"]) >= 10
    assert (small, large) == (expected, expected)


@pytest.mark.django_db
def test_sqlite_matches_the_words_as_typed_only(week):
    """On SQLite (no Swedish stemmer) "företagens" does not find "företag"; on PostgreSQL it does."""
    found = titles(search.matching(Session.objects.all(), "företagens"))
    assert found == ([] if connection.vendor != "postgresql" else ["Stöd för nya företag"])


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_postgresql_finds_swedish_word_forms(client, week):
    assert titles(page(client, {"q": "företagens"}).context["sessions"]) == ["Stöd för nya företag"]
    assert titles(page(client, {"q": "industrier"}).context["sessions"]) == [
        "Vätgas i industrin",  # "tung industri" in its summary
        "Smart industri i praktiken",
    ]
    # ... and still everything the words find as typed.
    assert titles(page(client, {"q": "energi"}).context["sessions"]) == ["Solenergi för bostadsrättsföreningar"]
    uids_page = [uid(s) for s in page(client, {"q": "företagens"}).context["sessions"]]
    assert uids(page(client, {"q": "företagens"}, "/siv/2026/kalender.ics").content) == uids_page


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_postgresql_ranks_the_partial_block(week):
    """Equal word counts are ranked by SearchRank: the session naming "vätgas" three times comes first."""
    SessionFactory(edition=week, title="Vätgas, vätgas och vätgas", summary="Vätgas.", start=local(2026, 11, 13, 15),
                   end=local(2026, 11, 13, 16))  # fmt: skip
    ranked = titles(search.partial(Session.objects.public(), "vätgas sockerbetor"))
    assert ranked[:2] == ["Vätgas, vätgas och vätgas", "Vätgas i industrin"]


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_postgresql_keeps_the_stored_vector_current_and_it_works_in_subqueries(week):
    """The search_vector column (migration 0007) follows every edit, and the search may be a subquery (the
    session table then has another alias)."""
    session = Session.objects.get(title="Hållbar mat i skolan")
    assert titles(search.matching(Session.objects.all(), "måltiderna")) == []
    session.description = "Om skolornas måltider."
    session.save()
    assert titles(search.matching(Session.objects.all(), "måltiderna")) == ["Hållbar mat i skolan"]  # "måltid"
    session.description = "Om förskolor."
    session.save()
    assert titles(search.matching(Session.objects.all(), "måltiderna")) == []
    inner = search.matching(Session.objects.all(), "företagens").values("pk")
    assert titles(Session.objects.filter(pk__in=inner)) == ["Stöd för nya företag"]
    by_search = search.matching(Session.objects.filter(organisers=OuterRef("pk")), "företagens")
    assert list(Organisation.objects.filter(Exists(by_search)).values_list("slug", flat=True)) == ["almi"]
