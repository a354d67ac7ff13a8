"""The open data API (events/api.py): what a session carries, the filters shared with the page and the feed,
"changed since", validators, query counts and bad input."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import fragments
from events.models import Edition, Session, Theme, Venue
from innovationsvecka import content, pagecache
from organisers.models import Organisation
from tests import test_feeds
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    audience,
    local,
    municipality,
    support_type,
    theme,
)
from tests.test_feeds import filter_combinations, uid, uids

SITE = "https://siv.example.org"
LONG_AGO = timezone.make_aware(datetime.datetime(2026, 9, 1, 12))
varied_programme = test_feeds.varied_programme  # the fixture the feeds' parity test uses


@pytest.fixture
def no_page_cache(settings):
    settings.PAGE_CACHE = False


def get_json(client, path, query=None, status=200):
    response = client.get(path, query or {})
    assert response.status_code == status, response.content
    assert response["Content-Type"] in ("application/json; charset=utf-8", "application/json")
    return response.json()


def api_ids(client, path, query=None):
    return [item["id"] for item in get_json(client, path, query)["sessions"]]


def age(*querysets):
    """Make everything look unchanged since LONG_AGO (auto_now stamps the test's real time)."""
    for queryset in querysets:
        queryset.update(updated=LONG_AGO)


# ---- what a session carries ----


@pytest.mark.django_db
def test_session_carries_every_field_and_never_a_contact_person(client, edition):
    almi = OrganisationFactory(name="Almi", slug="almi", email="info@almi.example", website="https://almi.se/")
    person = ContactFactory(organisation=almi, name="Anna Andersson", email="anna.andersson@almi.example")
    venue = VenueFactory(name="Munktellstaden", street_address="Verkstadsgatan 1", postcode="633 42",
                         town="Eskilstuna", latitude="59.371200", longitude="16.500500")  # fmt: skip
    session = SessionFactory(
        edition=edition, title="Frukost", slug="frukost", summary="Kort.", description="Lång text.",
        start=local(2026, 11, 10, 8), end=local(2026, 11, 10, 9, 30), format=Session.Format.HYBRID, venue=venue,
        online_url="https://meet.example.org/x", online_note="Länk efter anmälan", language="sv-en",
        registration_url="https://almi.se/anmalan", registration_deadline=local(2026, 11, 9, 12), capacity=40,
        cost="100 kr", contact=person, themes=[theme("smart-industri")], audiences=[audience("idebarare")],
        organisers=[almi], sequence=3,
    )  # fmt: skip
    stamp = timezone.make_aware(datetime.datetime(2026, 10, 20, 14, 30))
    Session.objects.filter(pk=session.pk).update(updated=stamp)
    age(Organisation.objects.all(), Venue.objects.all(), Theme.objects.all())

    response = client.get("/siv/api/v1/2026/sessions.json")
    body = response.content.decode()
    assert "Anna Andersson" not in body and "anna.andersson" not in body
    [item] = response.json()["sessions"]
    assert item == {
        "id": f"{session.uid}@siv.regionsormland.se",
        "sequence": 3,
        "status": "scheduled",
        "cancellation_note": None,
        "edition": 2026,
        "title": "Frukost",
        "url": f"{SITE}/siv/2026/frukost/",
        "summary": "Kort.",
        "description": "Lång text.",
        "start": "2026-11-10T08:00:00+01:00",
        "end": "2026-11-10T09:30:00+01:00",
        "format": "hybrid",
        "language": "sv-en",
        "venue": {
            "name": "Munktellstaden",
            "street_address": "Verkstadsgatan 1",
            "postcode": "633 42",
            "town": "Eskilstuna",
            "municipality": {"slug": "eskilstuna", "name": "Eskilstuna", "name_en": "Eskilstuna"},
            "latitude": 59.3712,
            "longitude": 16.5005,
        },
        "online": {"url": "https://meet.example.org/x", "note": "Länk efter anmälan"},
        "themes": [{"slug": "smart-industri", "name": "Smart industri", "name_en": "Smart industry"}],
        "audiences": [{"slug": "idebarare", "name": "Idébärare", "name_en": "Idea-holders"}],
        "organisers": [
            {"slug": "almi", "name": "Almi", "url": f"{SITE}/siv/aktorer/almi/", "website": "https://almi.se/",
             "email": "info@almi.example"}
        ],  # fmt: skip
        "registration": {
            "state": "closed" if timezone.now() > local(2026, 11, 9, 12) else "open",
            "url": "https://almi.se/anmalan",
            "deadline": "2026-11-09T12:00:00+01:00",
            "capacity": 40,
        },
        "cost": "100 kr",
        "updated": "2026-10-20T14:30:00+02:00",
    }
    assert response["Access-Control-Allow-Origin"] == "*"
    # The stable id is the calendar event's UID.
    assert uids(client.get("/siv/2026/kalender.ics").content) == [item["id"]]


@pytest.mark.django_db
def test_cancelled_and_withdrawn_sessions_stay_with_their_status_as_in_the_feeds(client, edition):
    kept = SessionFactory(edition=edition, start=local(2026, 11, 9, 9))
    cancelled = SessionFactory(edition=edition, status=Session.Status.CANCELLED, cancellation_note="Sjuk talare",
                               start=local(2026, 11, 9, 10))  # fmt: skip
    withdrawn = SessionFactory(edition=edition, status=Session.Status.DRAFT, first_published=LONG_AGO,
                               start=local(2026, 11, 9, 11))  # fmt: skip
    SessionFactory(edition=edition, status=Session.Status.DRAFT, start=local(2026, 11, 9, 12))  # never published
    SessionFactory(edition=edition, status=Session.Status.PROPOSED, start=local(2026, 11, 9, 13))

    items = get_json(client, "/siv/api/v1/2026/sessions.json")["sessions"]
    assert [(item["id"], item["status"], item["cancellation_note"]) for item in items] == [
        (uid(kept), "scheduled", None),
        (uid(cancelled), "cancelled", "Sjuk talare"),
        (uid(withdrawn), "withdrawn", None),
    ]
    assert [item["registration"]["state"] for item in items] == ["none", "cancelled", "cancelled"]
    assert [item["id"] for item in items] == uids(client.get("/siv/2026/kalender.ics").content)


@pytest.mark.django_db
def test_unpublished_edition_has_no_sessions_and_an_unknown_year_is_a_json_404(client):
    edition = EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=edition)
    assert get_json(client, "/siv/api/v1/2027/sessions.json")["sessions"] == []
    assert get_json(client, "/siv/api/v1/1999/sessions.json", status=404) == {"error": "Det finns ingen sådan upplaga."}


# ---- the page, the feed and the JSON hold the same sessions ----


def page_uids(client, path, query):
    response = client.get(path, query)
    assert response.status_code == 200
    return [uid(session) for session in response.context["sessions"]]


@pytest.mark.django_db
def test_filtered_page_feed_and_json_hold_the_same_sessions(client, varied_programme, edition, no_page_cache):
    # A withdrawn session is in the feed and the JSON (as cancelled) but not on the page.
    withdrawn = SessionFactory(edition=edition, title="Tillbakadragen vätgas", status=Session.Status.DRAFT,
                               first_published=LONG_AGO, themes=[theme("smart-industri")],
                               organisers=list(Organisation.objects.filter(slug="almi")))  # fmt: skip
    non_empty = withdrawn_seen = 0
    for n, combo in enumerate(filter_combinations(45)):
        routes = [("/siv/2026/", "/siv/2026/kalender.ics", "/siv/api/v1/2026/sessions.json")]
        if n % 5 == 0:
            routes.append(("/siv/", "/siv/2026/kalender.ics", "/siv/api/v1/sessions.json"))
        for page, feed, api in routes:
            in_json = api_ids(client, api, combo)
            assert in_json == uids(client.get(feed, combo).content), (api, combo)
            assert [i for i in in_json if i != uid(withdrawn)] == page_uids(client, page, combo), (api, combo)
        non_empty += bool(in_json)
        withdrawn_seen += uid(withdrawn) in in_json
    assert non_empty > 30 and withdrawn_seen > 3  # the combinations really select something


@pytest.mark.django_db
def test_unknown_parameters_and_values_are_ignored_as_on_the_page(client, varied_programme):
    everything = api_ids(client, "/siv/api/v1/2026/sessions.json")
    data = get_json(client, "/siv/api/v1/2026/sessions.json", {"sort": "x", "tema": ["nope", "life-science"]})
    assert data["filters"] == {"tema": ["life-science"]}
    assert data["ignored"] == ["Det finns inget tema ”nope”; det ignorerades."]
    assert 0 < data["count"] == len(data["sessions"]) < len(everything)
    assert api_ids(client, "/siv/api/v1/2026/sessions.json", {"sort": "x", "page": "2"}) == everything


# ---- changed since ----


@pytest.fixture
def settled(edition):
    """Three sessions, a venue, a theme and an organiser, all unchanged since LONG_AGO."""
    almi = OrganisationFactory(slug="almi")
    venue = VenueFactory()
    sessions = [
        SessionFactory(edition=edition, venue=venue, start=local(2026, 11, 9, 9)),
        SessionFactory(edition=edition, venue=VenueFactory(), themes=[theme("life-science")],
                       start=local(2026, 11, 9, 10)),  # fmt: skip
        SessionFactory(edition=edition, venue=VenueFactory(), organisers=[almi], start=local(2026, 11, 9, 11)),
    ]
    age(Session.objects.all(), Venue.objects.all(), Theme.objects.all(), Organisation.objects.all())
    return {"sessions": sessions, "venue": venue, "almi": almi}


CHANGED = "/siv/api/v1/2026/sessions.json?andrad_efter=2026-10-01T00:00:00%2B02:00"


@pytest.mark.django_db
def test_changed_since_is_empty_when_nothing_changed(client, settled):
    data = get_json(client, CHANGED)
    assert (data["sessions"], data["changed_since"]) == ([], "2026-10-01T00:00:00+02:00")
    assert len(api_ids(client, "/siv/api/v1/2026/sessions.json?andrad_efter=2026-08-01")) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["session", "cancelled", "withdrawn", "venue", "theme", "organiser"])
def test_changed_since_sees_every_change_a_calendar_event_shows(client, settled, change, no_page_cache):
    first, second, third = settled["sessions"]
    expected = {"session": first, "cancelled": first, "withdrawn": first, "venue": first, "theme": second,
                "organiser": third}[change]  # fmt: skip
    if change == "session":
        first.title = "Ny rubrik"
        first.save()
    elif change == "cancelled":
        first.status = Session.Status.CANCELLED
        first.save()
    elif change == "withdrawn":
        first.status, first.first_published = Session.Status.DRAFT, LONG_AGO
        first.save()
    elif change == "venue":
        settled["venue"].name = "Ny lokal"
        settled["venue"].save()
    elif change == "theme":
        theme("life-science").save()
    else:
        settled["almi"].save()
    assert api_ids(client, CHANGED) == [uid(expected)]


@pytest.mark.django_db
def test_changed_since_without_offset_is_swedish_time(client, settled):
    stamp = timezone.make_aware(datetime.datetime(2026, 10, 5, 12, 0))  # 10:00 UTC
    Session.objects.filter(pk=settled["sessions"][0].pk).update(updated=stamp)
    before, after = "2026-10-05T11:59:59", "2026-10-05T12:00:00"
    assert api_ids(client, f"/siv/api/v1/2026/sessions.json?andrad_efter={before}") == [uid(settled["sessions"][0])]
    assert api_ids(client, f"/siv/api/v1/2026/sessions.json?andrad_efter={after}") == []
    assert api_ids(client, "/siv/api/v1/2026/sessions.json?andrad_efter=2026-10-05T09:59:59Z") == [
        uid(settled["sessions"][0])
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", ["igår", "2026-13-01", "2026-11-01T25:00", "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00",
              "1e309", "2026", "%00"],
)  # fmt: skip
def test_malformed_changed_since_is_a_400_that_says_what_is_wrong(client, settled, value):
    for path in ["/siv/api/v1/sessions.json", "/siv/api/v1/2026/sessions.json", "/siv/api/v1/1999/sessions.json"]:
        response = client.get(path, {"andrad_efter": value})
        assert response.status_code == 400, (path, value)
        assert response.json() == {
            "error": "Ange andrad_efter en gång, som en ISO 8601-tid, till exempel 2026-11-01T12:00:00+01:00."
        }
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db
def test_changed_since_given_twice_is_a_400(client, settled):
    response = client.get("/siv/api/v1/2026/sessions.json?andrad_efter=2026-10-01&andrad_efter=2026-10-02")
    assert response.status_code == 400


@pytest.mark.django_db
def test_english_error_message(client, settled):
    response = client.get("/en/siv/api/v1/2026/sessions.json?andrad_efter=yesterday")
    assert response.json() == {
        "error": "Give andrad_efter once, as an ISO 8601 time, for example 2026-11-01T12:00:00+01:00."
    }


# ---- validators, CORS and the page cache ----


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/siv/api/v1/sessions.json", "/siv/api/v1/2026/sessions.json?tema=smart-industri", CHANGED,
             "/siv/api/v1/sessions.jsonld", "/siv/api/v1/organisations.json?stod=finansiering",
             "/siv/api/v1/editions.json"],
)  # fmt: skip
def test_api_answers_304_with_at_most_one_query(client, settled, path, no_page_cache):
    cache.clear()  # the version the data gives, so that it is the same after the cache loses it
    first = client.get(path)
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    for lost_cache in (False, True):
        if lost_cache:
            cache.clear()  # the content version is worked out again from the data: one query
        with CaptureQueriesContext(connection) as queries:
            again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert (again.status_code, len(queries)) == (304, int(lost_cache)), path
        assert again["Access-Control-Allow-Origin"] == "*"
        assert again["ETag"] == first["ETag"]
    shuffled = path + ("&" if "?" in path else "?") + "utm_source=nyhetsbrev"  # unknown: the same answer
    assert client.get(shuffled, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    settled["sessions"][0].save()  # any staff save makes the old copy stale
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.django_db
def test_etag_ignores_unknown_parameters_and_the_order_of_known_ones(client, settled, no_page_cache):
    path = "/siv/api/v1/2026/sessions.json"
    first = client.get(path + "?tema=life-science&kommun=eskilstuna&andrad_efter=2026-08-01")["ETag"]
    same = client.get(path + "?x=1&andrad_efter=2026-08-01&kommun=eskilstuna&tema=life-science")["ETag"]
    other = client.get(path + "?tema=life-science&kommun=eskilstuna&andrad_efter=2026-08-02")["ETag"]
    assert first == same != other


@pytest.mark.django_db
def test_api_is_page_cached_like_the_feeds(client, settled):
    path = "/siv/api/v1/2026/sessions.json?tema=life-science"
    first = client.get(path)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path)
    assert (again.status_code, again.content, len(queries)) == (200, first.content, 0)
    pagecache.MEMORY.clear()  # another server: from the shared cache
    with CaptureQueriesContext(connection) as queries:
        shared = client.get(path)
    assert (shared.content, len(queries)) == (first.content, 0)
    settled["sessions"][1].save()
    assert client.get(path).json()["sessions"][0]["updated"] != first.json()["sessions"][0]["updated"]


# ---- organisations and editions ----


@pytest.mark.django_db
def test_organisations_take_the_directorys_filters_and_carry_no_contact_persons(client, edition):
    almi = OrganisationFactory(name="Almi", slug="almi", kind=Organisation.Kind.FUNDER, email="info@almi.example")
    almi.support_types.set([support_type("finansiering")])
    almi.municipalities.set([municipality("eskilstuna")])
    other = OrganisationFactory(name="Mälardalens universitet", slug="mdu")
    other.municipalities.set([municipality("nykoping")])
    OrganisationFactory(name="Inaktiv", slug="inaktiv", is_active=False)
    ContactFactory(organisation=almi, name="Anna Andersson", email="anna@almi.example")
    SessionFactory(edition=edition, organisers=[almi])

    everyone = client.get("/siv/api/v1/organisations.json")
    assert "Anna" not in everyone.content.decode() and "anna@" not in everyone.content.decode()
    assert [org["slug"] for org in everyone.json()["organisations"]] == ["almi", "mdu"]
    data = get_json(client, "/siv/api/v1/organisations.json", {"stod": "finansiering", "kommun": ["eskilstuna", "x"]})
    assert data["filters"] == {"stod": ["finansiering"], "kommun": ["eskilstuna"]}
    assert data["ignored"] == ["Kommunen ”x” finns inte, så den filtrerar inte listan."]
    [org] = data["organisations"]
    assert (org["slug"], org["email"], org["sessions_in_current_edition"], org["url"]) == (
        "almi", "info@almi.example", 1, f"{SITE}/siv/aktorer/almi/"
    )
    assert org["support_types"] == [{"slug": "finansiering", "name": "Finansiering", "name_en": "Funding"}]


@pytest.mark.django_db
def test_editions_lists_the_published_years_newest_first(client, edition):
    EditionFactory(year=2025)
    EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=edition)
    SessionFactory(edition=edition, status=Session.Status.DRAFT)
    data = get_json(client, "/siv/api/v1/editions.json")
    current = Edition.objects.current().year
    assert [(e["year"], e["session_count"], e["is_current"]) for e in data["editions"]] == [
        (2026, 1, current == 2026), (2025, 0, current == 2025)
    ]  # fmt: skip
    assert data["editions"][0]["sessions"] == f"{SITE}/siv/api/v1/2026/sessions.json"
    assert data["editions"][0]["calendar"] == f"{SITE}/siv/2026/kalender.ics"


# ---- schema.org JSON-LD ----


@pytest.mark.django_db
def test_sessions_jsonld_is_the_public_programme_as_schema_org_events(client, edition):
    SessionFactory(edition=edition, title="Öppen", slug="oppen", start=local(2026, 11, 9, 9))
    SessionFactory(edition=edition, title="Inställd", slug="installd", status=Session.Status.CANCELLED,
                   start=local(2026, 11, 9, 10))  # fmt: skip
    SessionFactory(edition=edition, title="Tillbakadragen", status=Session.Status.DRAFT, first_published=LONG_AGO)
    response = client.get("/siv/api/v1/sessions.jsonld")
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    data = response.json()
    assert data["@context"] == "https://schema.org"
    assert [(e["@type"], e["name"], e["@id"], e["eventStatus"]) for e in data["@graph"]] == [
        ("Event", "Öppen", f"{SITE}/siv/2026/oppen/", "https://schema.org/EventScheduled"),
        ("Event", "Inställd", f"{SITE}/siv/2026/installd/", "https://schema.org/EventCancelled"),
    ]
    assert [e["name"] for e in client.get("/siv/api/v1/2026/sessions.jsonld?q=inställd").json()["@graph"]] == [
        "Inställd"
    ]


# ---- query counts and build time ----


def api_queries(client, count):
    year = timezone.localdate().year
    edition = EditionFactory(year=year)
    orgs = [OrganisationFactory(slug="almi", name="Almi"), OrganisationFactory()]
    for org in orgs:
        org.support_types.set([support_type("finansiering")])
    venue = VenueFactory(latitude="59.1", longitude="16.5")
    sessions = Session.objects.bulk_create([
        Session(edition=edition, title=f"Punkt {n}", slug=f"punkt-{n}", venue=venue, status=Session.Status.PUBLISHED,
                start=local(year, 11, 9 + n % 5, 8 + n % 9), end=local(year, 11, 9 + n % 5, 9 + n % 9))
        for n in range(count)
    ])  # fmt: skip
    through = Session.themes.through
    through.objects.bulk_create([through(session=s, theme=theme("smart-industri")) for s in sessions])
    through = Session.audiences.through
    through.objects.bulk_create([through(session=s, audience=audience("idebarare")) for s in sessions])
    through = Session.organisers.through
    through.objects.bulk_create([through(session=s, organisation=o) for s in sessions for o in orgs])
    counts = {}
    for kind, url in {
        "current": "/siv/api/v1/sessions.json",
        "edition": f"/siv/api/v1/{year}/sessions.json",
        "filtered": "/siv/api/v1/sessions.json?tema=smart-industri&kommun=eskilstuna&aktor=almi",
        "changed": "/siv/api/v1/sessions.json?andrad_efter=2020-01-01",
        "jsonld": "/siv/api/v1/sessions.jsonld",
        "organisations": "/siv/api/v1/organisations.json",
        "editions": "/siv/api/v1/editions.json",
    }.items():
        cache.clear()
        fragments.MEMORY.clear()
        counts[kind] = []
        for _ in ("empty cache", "after an edit"):
            with CaptureQueriesContext(connection) as queries:
                data = client.get(url).json()
            items = data.get("sessions") or data.get("@graph") or data.get("organisations") or data.get("editions")
            assert len(items) == {"organisations": 2, "editions": 1}.get(kind, count), kind
            counts[kind].append(len(queries))
            content.bump()
    return counts


# Each answer twice: with an empty cache, then after an edit (the content version, read from the database,
# changed). Sessions: the version, the edition, the items' keys (events.api.item_rows), then sessions, themes,
# audiences and organisers of the items to build, and the cache's read and write of the items; after an edit
# the items come from this process's memory (events.fragments), so the keys are the two queries about sessions
# (the calendar event's key and what only the JSON shows).
# A filter adds the lists that check its values (themes, municipalities, organisers). JSON-LD: the edition,
# sessions and organisers. Organisations: support types and municipalities for the filter, the current edition,
# the actors with their session counts, and their support types and municipalities. Editions: the editions with
# their counts, and the current one.
PINNED_QUERIES = {"current": [8, 3], "edition": [8, 3], "filtered": [11, 6], "changed": [8, 3], "jsonld": [4, 3],
                  "organisations": [7, 6], "editions": [3, 2]}  # fmt: skip


@pytest.mark.django_db
def test_cached_items_follow_every_rename_and_the_deadline_passing(client, edition, no_page_cache, monkeypatch):
    """Each session's JSON is cached under a key of its own data (events.fragments): a rename of its
    municipality, audience, theme or organiser, and its registration deadline passing, give a new item."""
    almi = OrganisationFactory(slug="almi", name="Almi")
    venue = VenueFactory()
    deadline = timezone.now() + datetime.timedelta(hours=1)
    SessionFactory(edition=edition, venue=venue, organisers=[almi], themes=[theme("life-science")],
                   audiences=[audience("idebarare")], registration_url="https://example.org/anmalan",
                   registration_deadline=deadline)  # fmt: skip
    url = f"/siv/api/v1/{edition.year}/sessions.json"

    def item():
        return get_json(client, url)["sessions"][0]

    assert item()["registration"]["state"] == "open"
    venue.municipality.name = "Nytt kommunnamn"
    venue.municipality.save()
    assert item()["venue"]["municipality"]["name"] == "Nytt kommunnamn"
    for named, attribute in [(audience("idebarare"), "audiences"), (theme("life-science"), "themes")]:
        named.name = f"Nytt namn {attribute}"
        named.save()
        assert item()[attribute][0]["name"] == f"Nytt namn {attribute}"
    almi.name = "Almi Mälardalen"
    almi.save()
    assert item()["organisers"][0]["name"] == "Almi Mälardalen"
    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert item()["registration"]["state"] == "closed"
    assert fragments.MEMORY.size > 0


@pytest.mark.django_db
def test_api_query_counts_are_pinned_and_do_not_grow_with_sessions(client, no_page_cache):
    small = api_queries(client, 3)
    Session.objects.all().delete()
    Edition.objects.all().delete()
    Organisation.objects.all().delete()
    cache.clear()
    assert api_queries(client, 300) == small == PINNED_QUERIES


# ---- the human page ----


@pytest.mark.django_db
@pytest.mark.parametrize("prefix, heading, licence_text", [
    ("", "<h1>Öppna data</h1>", "Kontaktpersoner är personuppgifter och ingår inte i de öppna datan."),
    ("/en", "<h1>Open data</h1>", "Contact persons are personal data and are not part of the open data."),
])  # fmt: skip
def test_open_data_page_explains_the_api_licence_and_feeds_and_the_footer_links_it(
    client, edition, prefix, heading, licence_text
):
    html = client.get(f"{prefix}/siv/oppna-data/").content.decode()
    assert heading in html and licence_text in html
    assert '<a href="https://creativecommons.org/publicdomain/zero/1.0/">CC0 1.0</a>' in html
    for address in ["api/v1/sessions.json", "api/v1/&lt;", "api/v1/organisations.json", "api/v1/editions.json",
                    "api/v1/sessions.jsonld", "api/v1/openapi.json", "kalender.ics", "nyheter.xml"]:  # fmt: skip
        assert f"{prefix}/siv/{address}" in html, address
    footer = client.get(f"{prefix}/siv/").content.decode().split('<footer class="site-footer">')[1]
    assert f'<a href="{prefix}/siv/oppna-data/">' in footer
