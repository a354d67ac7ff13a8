"""The calendar feeds over HTTP: every kind, both languages, filters, validators and query counts."""

import datetime
import random
import re
import zoneinfo

import icalendar
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import fragments
from events.models import Edition, MyProgramme, Session
from events.services import save_session
from innovationsvecka import content, pagecache
from tests.conftest import uid
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    audience,
    local,
    municipality,
    the_edition,
    theme,
)
from tests.test_calendar import parse_everywhere

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def uids(body):
    return [str(event["UID"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]


@pytest.fixture
def programme(edition):
    """A small programme with something for every kind of feed, and a starred list."""
    almi = OrganisationFactory(name="Almi", slug="almi", email="info@almi.example")
    first = SessionFactory(edition=edition, title="Från idé till affär", themes=[theme("smart-industri")],
                           organisers=[almi], start=local(2026, 11, 9, 9), end=local(2026, 11, 9, 10))
    second = SessionFactory(edition=edition, title="Vätgas", themes=[theme("morgondagens-energilosningar")],
                            start=local(2026, 11, 10, 13), end=local(2026, 11, 10, 15))
    cancelled = SessionFactory(edition=edition, title="Inställd", status=Session.Status.CANCELLED, organisers=[almi],
                               start=local(2026, 11, 11, 10), end=local(2026, 11, 11, 11))
    SessionFactory(edition=edition, title="Utkast", status=Session.Status.DRAFT, organisers=[almi])
    mine = MyProgramme.objects.create()
    mine.sessions.add(first, cancelled)
    return {"edition": edition, "almi": almi, "sessions": [first, second, cancelled], "mine": mine}


def feed_urls(programme):
    first = programme["sessions"][0]
    return {
        "programme": "/siv/kalender.ics",
        "edition": "/siv/2026/kalender.ics",
        "filtered": "/siv/kalender.ics?tema=smart-industri",
        "session": f"/siv/2026/{first.slug}.ics",
        "organiser": "/siv/aktorer/almi/kalender.ics",
        "my_programme": f"/siv/mitt-program/{programme['mine'].token}.ics",
    }


CALENDAR_NAMES = {
    ("programme", "sv"): "Sörmlands innovationsvecka",
    ("programme", "en"): "Sörmland Innovation Week",
    ("edition", "sv"): "Sörmlands innovationsvecka 2026",
    ("edition", "en"): "Sörmland Innovation Week 2026",
    ("filtered", "sv"): "Sörmlands innovationsvecka (urval)",
    ("filtered", "en"): "Sörmland Innovation Week (selection)",
    ("session", "sv"): None,
    ("session", "en"): None,
    ("organiser", "sv"): "Almi – Sörmlands innovationsvecka",
    ("organiser", "en"): "Almi – Sörmland Innovation Week",
    ("my_programme", "sv"): "Mitt program – Sörmlands innovationsvecka",
    ("my_programme", "en"): "My programme – Sörmland Innovation Week",
}

EXPECTED_SESSIONS = {
    "programme": [0, 1, 2],
    "edition": [0, 1, 2],
    "filtered": [0],
    "session": [0],
    "organiser": [0, 2],
    "my_programme": [0, 2],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("kind", list(EXPECTED_SESSIONS))
def test_every_feed_parses_everywhere_in_both_languages(client, programme, kind, language):
    url = feed_urls(programme)[kind]
    if language == "en":
        url = "/en" + url
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_everywhere(response.content)
    lines = response.content.split(b"\r\n")
    assert (lines[-1], b"\n" in b"".join(lines)) == (b"", False)
    assert max(len(line) for line in lines) <= 75
    sessions = programme["sessions"]
    assert list(events) == [uid(sessions[i]) for i in EXPECTED_SESSIONS[kind]]
    calendar = icalendar.Calendar.from_ical(response.content)
    name = CALENDAR_NAMES[(kind, language)]
    assert calendar.get("X-WR-CALNAME") == name
    if name:
        assert (calendar["X-WR-TIMEZONE"], calendar["REFRESH-INTERVAL"].dt) == (
            "Europe/Stockholm", datetime.timedelta(hours=1))
        assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    first = events[uid(sessions[0])]
    prefix = "/en" if language == "en" else ""
    assert str(first["URL"]) == f"https://siv.example.org{prefix}/siv/2026/{sessions[0].slug}/"
    assert str(first["CATEGORIES"].cats[0]) == ("Smart industri" if language == "sv" else "Smart industry")
    if kind in ("programme", "organiser", "my_programme"):
        cancelled = events[uid(sessions[2])]
        assert str(cancelled["SUMMARY"]) == ("INSTÄLLT: " if language == "sv" else "CANCELLED: ") + "Inställd"


@pytest.mark.django_db
def test_feeds_send_the_http_headers_calendar_clients_need(client, programme):
    urls = feed_urls(programme)
    for (kind, url), attempt in [(item, n) for item in urls.items() for n in (1, 2)]:  # built, then maybe cached
        response = client.get(url)
        kind = f"{kind} #{attempt}"
        assert response["Content-Type"] == "text/calendar; charset=utf-8", kind
        assert response["X-Robots-Tag"] == "noindex", kind
        assert response["Access-Control-Allow-Origin"] == "*", kind
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]), kind
        assert response["Last-Modified"].endswith(" GMT"), kind
        expected_cache = "private, max-age=60" if kind.startswith("my_programme") else "public, max-age=600"
        assert response["Cache-Control"] == expected_cache, kind
    download = client.get(urls["session"])
    first = programme["sessions"][0]
    assert download["Content-Disposition"] == f'attachment; filename="{first.slug}.ics"'
    assert b"X-WR-CALNAME" not in download.content and b"METHOD:PUBLISH\r\n" in download.content
    assert client.get(urls["edition"])["Content-Disposition"] == 'inline; filename="kalender.ics"'


@pytest.mark.django_db
def test_two_requests_give_identical_bytes_and_etags_and_a_conditional_request_gets_304(client, programme):
    for kind, url in feed_urls(programme).items():
        one, two = client.get(url), client.get(url)
        assert (one.content, one["ETag"]) == (two.content, two["ETag"]), kind
        by_etag = client.get(url, HTTP_IF_NONE_MATCH=one["ETag"])
        assert (by_etag.status_code, by_etag.content, by_etag["ETag"]) == (304, b"", one["ETag"]), kind
        by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=one["Last-Modified"])
        assert by_date.status_code == 304, kind
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200, kind


@pytest.mark.django_db
def test_a_change_gives_a_new_etag_and_the_new_time(client, programme):
    first = programme["sessions"][0]
    url = feed_urls(programme)["edition"]
    before = client.get(url)
    first.start, first.end = local(2026, 11, 12, 14), local(2026, 11, 12, 15)
    save_session(session=first)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    event = parse_everywhere(after.content)[uid(first)]
    assert (event["DTSTART"].dt, event["SEQUENCE"]) == (datetime.datetime(2026, 11, 12, 14, tzinfo=STOCKHOLM), 1)


@pytest.mark.django_db
@pytest.mark.parametrize("page_cache", [True, False])
def test_the_304_answer_costs_at_most_one_query(client, programme, django_assert_max_num_queries, settings,
                                               page_cache):
    """With the content version in the cache a 304 needs no query; a personal list needs its one lookup."""
    settings.PAGE_CACHE = page_cache
    for url in feed_urls(programme).values():
        etag = client.get(url)["ETag"]
        with django_assert_max_num_queries(1 if "mitt-program" in url else 0):
            assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.django_db
def test_unknown_things_give_404_and_other_methods_405(client, programme):
    for url in ["/siv/1999/kalender.ics", "/siv/2026/finns-inte.ics", "/siv/aktorer/finns-inte/kalender.ics",
                "/siv/mitt-program/" + "x" * 43 + ".ics", "/en/siv/mitt-program/nej.ics"]:
        assert client.get(url).status_code == 404, url
    draft = Session.objects.get(title="Utkast")
    assert client.get(f"/siv/2026/{draft.slug}.ics").status_code == 404
    assert client.post("/siv/kalender.ics").status_code == 405


@pytest.mark.django_db
def test_odd_filter_values_are_ignored_like_on_the_page(client, programme):
    response = client.get("/siv/kalender.ics?tema=finns-inte&tema=smart-industri&dag=igår&q=" + "x" * 500)
    assert response.status_code == 200
    assert uids(response.content) == [uid(programme["sessions"][0])]


@pytest.mark.django_db
def test_the_calendar_event_is_the_time_on_the_session_page(client, programme):
    for session in programme["sessions"][:2]:
        body = client.get(f"/siv/2026/{session.slug}.ics").content
        events = icalendar.Calendar.from_ical(body).walk("VEVENT")
        assert len(events) == 1
        assert not {"RRULE", "RDATE", "EXDATE"} & set(events[0])  # one occurrence: exactly DTSTART to DTEND
        start, end = events[0]["DTSTART"].dt, events[0]["DTEND"].dt
        page = client.get(session.get_absolute_url()).content.decode()
        when = re.search(r"<dt>När</dt>\s*<dd>(.*?)</dd>", page, re.S).group(1)
        shown = " ".join(re.sub(r"<[^>]+>", " ", when).split()).replace(" ,", ",")
        weekday = ["Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag", "Lördag", "Söndag"][start.weekday()]
        assert shown == f"{weekday} {start.day} november {start.year}, kl. {start:%H:%M}–{end:%H:%M}"
        machine = re.search(r'<time datetime="([^"]+)"', when).group(1)
        assert datetime.datetime.fromisoformat(machine) == start
        assert start.utcoffset() == datetime.timedelta(hours=1)


# ---- a filtered feed holds exactly the filtered page's sessions ----

FILTER_VALUES = {
    "dag": ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-13"],
    "tema": ["smart-industri", "life-science", "morgondagens-energilosningar", "hallbar-livsmedelsforsorjning"],
    "format": ["plats", "digitalt", "hybrid"],
    "kommun": ["eskilstuna", "nykoping", "katrineholm"],
    "aktor": ["almi", "mdu", "region-sormland"],
    "malgrupp": ["idebarare", "nyforetagare", "studenter-och-unga"],
    "sprak": ["sv", "en", "sv-en"],
    "q": ["vätgas", "IDÉ", "industri"],
}


def filter_combinations(count):
    rng = random.Random(46)
    combos = [{name: [value]} for name, values in FILTER_VALUES.items() for value in values]
    while len(combos) < count:
        names = rng.sample(sorted(FILTER_VALUES), rng.randint(1, 3))
        combo = {}
        for name in names:
            values = FILTER_VALUES[name]
            combo[name] = [rng.choice(values)] if name == "q" else rng.sample(values, rng.randint(1, 2))
        combos.append(combo)
    return combos


@pytest.fixture
def varied_programme(edition):
    orgs = [OrganisationFactory(name=name, slug=slug) for slug, name in
            [("almi", "Almi"), ("mdu", "Mälardalens universitet"), ("region-sormland", "Region Sörmland")]]
    venues = [VenueFactory(municipality=municipality(slug)) for slug in ["eskilstuna", "nykoping", "katrineholm"]]
    themes = [theme(slug) for slug in FILTER_VALUES["tema"]]
    audiences = [audience(slug) for slug in FILTER_VALUES["malgrupp"]]
    words = ["Vätgas i industrin", "Från idé till affär", "Smart industri i praktiken", "Mat och klimat"]
    rng = random.Random(9)
    for n in range(36):
        fmt = [Session.Format.ON_SITE, Session.Format.DIGITAL, Session.Format.HYBRID][n % 3]
        day = 9 + n % 5
        SessionFactory(
            edition=edition, title=f"{words[n % 4]} {n}", start=local(2026, 11, day, 8 + n % 9),
            end=local(2026, 11, day, 9 + n % 9), format=fmt,
            venue=None if fmt == Session.Format.DIGITAL else venues[n % 3],
            language=["sv", "en", "sv-en"][n % 3], status=Session.Status.CANCELLED if n % 11 == 0 else "published",
            themes=rng.sample(themes, 1 + n % 2), audiences=rng.sample(audiences, 1 + n % 3 // 2),
            organisers=rng.sample(orgs, 1 + n % 2),
        )
    SessionFactory(edition=edition, title="Vätgas utkast", status=Session.Status.DRAFT, themes=themes)


def page_uids(client, path, query):
    response = client.get(path, query)
    assert response.status_code == 200
    return [uid(session) for session in response.context["sessions"]]


@pytest.mark.django_db
def test_filtered_feed_holds_exactly_the_filtered_pages_sessions(client, varied_programme, no_page_cache):
    combos = filter_combinations(45)
    non_empty = 0
    for n, combo in enumerate(combos):
        pairs = [("/siv/2026/", "/siv/2026/kalender.ics")] + ([("/siv/", "/siv/kalender.ics")] if n % 5 == 0 else [])
        for page, feed in pairs:
            expected = page_uids(client, page, combo)
            assert uids(client.get(feed, combo).content) == expected, (feed, combo)
        non_empty += bool(expected)
    assert non_empty > 30  # the combinations really select something


@pytest.mark.django_db
def test_the_subscribe_links_on_a_filtered_page_lead_to_the_same_sessions(client, varied_programme, no_page_cache):
    response = client.get("/siv/2026/?tema=smart-industri&kommun=eskilstuna&kommun=nykoping&sida=2")
    html = response.content.decode()
    feed_url = (
        "https://siv.example.org/siv/2026/kalender.ics?tema=smart-industri&amp;kommun=eskilstuna&amp;kommun=nykoping"
    )
    assert f'value="{feed_url}"' in html
    assert f'href="webcal://{feed_url.removeprefix("https://")}"' in html
    path = feed_url.removeprefix("https://siv.example.org").replace("&amp;", "&")
    assert uids(client.get(path).content) == [uid(s) for s in response.context["sessions"]]


@pytest.mark.django_db
def test_sample_site_smart_industri_subscription_gives_exactly_those_sessions(client):
    call_command("demo_programme", verbosity=0)
    current = Edition.objects.current()
    expected = (
        Session.objects.in_calendars()
        .filter(edition__year__gte=current.year, themes__slug="smart-industri")
        .order_by("start", "end", "title", "pk")
    )
    body = client.get("/siv/kalender.ics?tema=smart-industri").content
    events = parse_everywhere(body)
    assert list(events) == [uid(s) for s in expected]
    assert len(events) >= 5
    assert all("Smart industri" in event["CATEGORIES"].cats for event in events.values())


# ---- query counts do not grow with the number of sessions ----


def feed_queries(client, count):
    """Feeds' query counts for `count` sessions in this year's edition (so the current edition is found at once,
    whatever year the tests run in): with an empty cache, and right after an edit elsewhere (a new content
    version, every event still cached)."""
    year = timezone.localdate().year
    edition = the_edition(year)
    orgs = [OrganisationFactory(slug="almi", name="Almi"), OrganisationFactory()]
    venue = VenueFactory()
    sessions = Session.objects.bulk_create([
        Session(edition=edition, title=f"Punkt {n}", slug=f"punkt-{n}", venue=venue, status=Session.Status.PUBLISHED,
                start=local(year, 11, 9 + n % 5, 8 + n % 9), end=local(year, 11, 9 + n % 5, 9 + n % 9))
        for n in range(count)
    ])
    themes = [theme("smart-industri"), theme("life-science")]
    Session.themes.through.objects.bulk_create(
        [Session.themes.through(session=s, theme=t) for s in sessions for t in themes])
    Session.organisers.through.objects.bulk_create(
        [Session.organisers.through(session=s, organisation=o) for s in sessions for o in orgs])
    mine = MyProgramme.objects.create()
    mine.sessions.add(*sessions)
    counts = {}
    for kind, url in {
        "programme": "/siv/kalender.ics", "edition": f"/siv/{year}/kalender.ics",
        "filtered": "/siv/kalender.ics?tema=smart-industri&kommun=eskilstuna&aktor=almi",
        "session": f"/siv/{year}/{sessions[0].slug}.ics", "organiser": "/siv/aktorer/almi/kalender.ics",
        "my_programme": f"/siv/mitt-program/{mine.token}.ics",
    }.items():
        cache.clear()
        pagecache.MEMORY.clear()
        fragments.MEMORY.clear()
        counts[kind] = []
        for _ in ("empty cache", "after an edit"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            body = response.content
            assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8"), (
                kind, url, body[:2000])
            assert len(uids(body)) == (1 if kind == "session" else count), kind
            counts[kind].append(len(queries))
            content.bump()
    return counts


# Empty cache: the content version from the database, the edition, organiser or list the feed is for (the
# current edition for /siv/kalender.ics; a filter adds the lists that check its values: themes,
# municipalities, organisers), the events' keys (events.calendar.event_rows), then sessions, themes and
# organisers of the events to build. After an edit the events come from the cache: the keys are the one
# query about sessions.
PINNED_QUERIES = {
    "programme": [6, 2], "edition": [6, 2], "filtered": [10, 6], "session": [5, 1], "organiser": [6, 2],
    "my_programme": [6, 2],
}


@pytest.mark.django_db
def test_feed_query_counts_are_pinned_and_do_not_grow_with_sessions(client):
    small = feed_queries(client, 3)
    Session.objects.all().delete()
    MyProgramme.objects.all().delete()
    Edition.objects.all().delete()
    from organisers.models import Organisation

    Organisation.objects.all().delete()
    assert feed_queries(client, 300) == small == PINNED_QUERIES


@pytest.mark.django_db
def test_empty_feeds_are_valid_calendars_to_subscribe_to_ahead_of_time(client):
    mine = MyProgramme.objects.create()
    EditionFactory(year=2027, is_published=False)
    for url in ["/siv/kalender.ics", "/siv/2027/kalender.ics", f"/siv/mitt-program/{mine.token}.ics"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert parse_everywhere(response.content) == {}, url
    Edition.objects.all().delete()
    assert parse_everywhere(client.get("/siv/kalender.ics").content) == {}
