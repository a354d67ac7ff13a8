"""Each event's bytes are cached under a key made from its own data (events.calendar.event_rows)."""

import datetime

import icalendar
import pytest
import vobject
from django.core.cache import cache
from django.utils import timezone, translation
from ical.calendar_stream import IcsCalendarStream
from ical.types.text import TextEncoder
from icalendar.parser import unescape_backslash

from events import calendar
from events.calendar import build_calendar
from events.fragments import TIMEOUT as EVENT_TIMEOUT
from events.models import Session
from events.services import save_session
from tests.factories import OrganisationFactory, SessionFactory, VenueFactory, local, theme
from tests.test_calendar import feed_for, parse_everywhere, uid


@pytest.fixture
def builds(monkeypatch):
    """The sessions whose events were built (not taken from the cache), by pk, in build order."""
    built = []
    build = calendar.session_event

    def counting(session, words):
        built.append(session.pk)
        return build(session, words)

    monkeypatch.setattr(calendar, "session_event", counting)
    return built


def vevents(body):
    """The VEVENT blocks as bytes, in feed order."""
    return [b"BEGIN:VEVENT" + part.split(b"END:VEVENT")[0] for part in body.split(b"BEGIN:VEVENT")[1:]]


def five_sessions(edition):
    almi = OrganisationFactory(name="Almi")
    return [
        SessionFactory(edition=edition, title=f"Punkt {n}", start=local(2026, 11, 9 + n, 10),
                       end=local(2026, 11, 9 + n, 11), themes=[theme("smart-industri")], organisers=[almi])
        for n in range(5)
    ]  # fmt: skip


@pytest.mark.django_db
def test_an_edit_rebuilds_exactly_that_event_and_the_others_come_from_the_cache(edition, builds):
    sessions = five_sessions(edition)
    first = feed_for(*sessions)
    assert sorted(builds) == sorted(s.pk for s in sessions)
    builds.clear()
    assert feed_for(*sessions) == first
    assert builds == []
    edited = sessions[2]
    edited.title = "Ny rubrik, med komma"
    edited.save()
    after = feed_for(*sessions)
    assert builds == [edited.pk]
    before_events, after_events = vevents(first), vevents(after)
    changed = [n for n, (old, new) in enumerate(zip(before_events, after_events, strict=True)) if old != new]
    assert changed == [2]
    assert str(parse_everywhere(after)[uid(edited)]["SUMMARY"]) == "Ny rubrik, med komma"
    builds.clear()
    assert feed_for(sessions[2], sessions[4], name="Urval").count(b"BEGIN:VEVENT") == 2  # a filtered feed
    assert builds == []  # shares the cached events


@pytest.mark.django_db
def test_every_feed_over_http_shares_the_cached_events(client, edition, builds):
    almi = OrganisationFactory(name="Almi", slug="almi")
    for n in range(3):
        SessionFactory(edition=edition, organisers=[almi], themes=[theme("smart-industri")],
                       start=local(2026, 11, 10, 9 + n), end=local(2026, 11, 10, 10 + n))  # fmt: skip
    client.get("/siv/2026/kalender.ics")
    assert len(builds) == 3
    for url in ["/siv/kalender.ics", "/siv/2026/kalender.ics?tema=smart-industri", "/siv/aktorer/almi/kalender.ics"]:
        assert client.get(url).content.count(b"BEGIN:VEVENT") == 3, url
    assert len(builds) == 3
    client.get("/en/siv/2026/kalender.ics")  # another language: other words, other events
    assert len(builds) == 6


def change_title(session, **_):
    session.title = "Ändrad titel"
    session.save()


def cancel(session, **_):
    session.status = Session.Status.CANCELLED
    save_session(session=session)


def withdraw(session, **_):
    session.status = Session.Status.DRAFT
    save_session(session=session)


def rename_venue(session, **_):
    session.venue.name = "Stadshuset"
    session.venue.save()


def rename_theme(session, **_):
    item = session.themes.get()
    item.name = "Industri, smart"
    item.save()


def add_theme_without_saving_the_session(session, **_):
    session.themes.add(theme("life-science"))


def remove_organiser_without_saving_the_session(session, **_):
    session.organisers.remove(session.organisers.order_by("name").first())


def new_organiser_email(session, **_):
    org = session.organisers.order_by("name").first()
    org.email = "info@almi.example"
    org.save()


def other_site_address(session, settings, **_):
    settings.SITE_URL = "https://kalender.example.org"


def other_words(session, monkeypatch, **_):
    words = calendar.phrases
    monkeypatch.setattr(calendar, "phrases", lambda: {**words(), "more": "Läs mer: %(url)s"})


CHANGES = {
    change_title: lambda event: str(event["SUMMARY"]) == "Ändrad titel",
    cancel: lambda event: str(event["STATUS"]) == "CANCELLED",
    withdraw: lambda event: str(event["SUMMARY"]).startswith("INSTÄLLT: "),
    rename_venue: lambda event: str(event["LOCATION"]).startswith("Stadshuset"),
    rename_theme: lambda event: event["CATEGORIES"].cats == ["Industri, smart"],
    add_theme_without_saving_the_session: lambda event: len(event["CATEGORIES"].cats) == 2,
    remove_organiser_without_saving_the_session: lambda event: event["ORGANIZER"].params["CN"] == "Vinnova",
    new_organiser_email: lambda event: str(event["ORGANIZER"]) == "mailto:info@almi.example",
    other_site_address: lambda event: str(event["URL"]).startswith("https://kalender.example.org/"),
    other_words: lambda event: "Läs mer: " in str(event["DESCRIPTION"]),
}


@pytest.mark.django_db
@pytest.mark.parametrize("change", list(CHANGES), ids=lambda change: change.__name__)
def test_the_cached_event_is_rebuilt_whenever_anything_it_shows_changes(edition, builds, change, settings,
                                                                        monkeypatch):
    session = SessionFactory(
        edition=edition, title="Från idé till affär", venue=VenueFactory(name="MITC"),
        first_published=local(2026, 6, 1), themes=[theme("smart-industri")],
        organisers=[OrganisationFactory(name="Almi", email=""), OrganisationFactory(name="Vinnova")],
    )
    untouched = SessionFactory(edition=edition, start=local(2026, 11, 12, 9), end=local(2026, 11, 12, 10))
    before = parse_everywhere(feed_for(session, untouched))[uid(session)]
    assert not CHANGES[change](before)
    builds.clear()
    change(Session.objects.get(pk=session.pk), settings=settings, monkeypatch=monkeypatch)
    after = parse_everywhere(feed_for(session, untouched))[uid(session)]
    assert CHANGES[change](after)
    rebuilt_as_well = change in (other_site_address, other_words)  # these are shared by every event
    assert builds == ([session.pk, untouched.pk] if rebuilt_as_well else [session.pk])


@pytest.mark.django_db
def test_the_language_is_part_of_the_key(edition, builds):
    session = SessionFactory(edition=edition, themes=[theme("smart-industri")])
    swedish = feed_for(session)
    with translation.override("en"):
        english = feed_for(session)
    assert builds == [session.pk, session.pk]
    assert icalendar.Calendar.from_ical(english).walk("VEVENT")[0]["CATEGORIES"].cats == ["Smart industry"]
    assert icalendar.Calendar.from_ical(swedish).walk("VEVENT")[0]["CATEGORIES"].cats == ["Smart industri"]


@pytest.mark.django_db
def test_cached_events_expire_after_a_week(edition):
    SessionFactory(edition=edition)
    build_calendar(sessions=Session.objects.all())
    # Tests use the local-memory cache; its expiry times are what the timeout set.
    expiries = [when for key, when in cache._expire_info.items() if ":ical-event:" in key]
    assert len(expiries) == 1
    now = timezone.now().timestamp()
    assert now + EVENT_TIMEOUT - 60 < expiries[0] <= now + EVENT_TIMEOUT + 1
    assert EVENT_TIMEOUT == datetime.timedelta(days=7).total_seconds()


def kinds_of_session(edition, count):
    """`count` sessions cycling through every kind of event: cancelled, withdrawn, digital, hybrid, with and
    without coordinates, themes and organisers."""
    venue = VenueFactory(latitude="59.369800", longitude="16.504900")
    orgs = [OrganisationFactory(email="info@example.org"), OrganisationFactory(email="")]
    kinds = [
        {"themes": [theme("smart-industri"), theme("life-science")], "organisers": orgs, "venue": venue},
        {"status": Session.Status.CANCELLED, "cancellation_note": "Sjuk.", "organisers": orgs[1:]},
        {"status": Session.Status.DRAFT, "first_published": local(2026, 6, 1)},
        {"format": Session.Format.DIGITAL, "venue": None, "online_url": "https://example.org/live"},
        {"format": Session.Format.HYBRID, "venue": venue, "registration_url": "https://example.org/anmal",
         "registration_deadline": local(2026, 11, 1), "cost": "100 kr"},
    ]  # fmt: skip
    return [SessionFactory(edition=edition, start=local(2026, 11, 9 + n % 5, 8 + n % 9),
                           end=local(2026, 11, 9 + n % 5, 9 + n % 9), **kinds[n % len(kinds)])
            for n in range(count)]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 25])
def test_a_feed_takes_one_query_from_the_cache_and_four_to_build(edition, count, django_assert_num_queries):
    """Warm: event_rows. Cold: event_rows, then sessions, themes and organisers of the missing ones; nothing an
    event reads is left out of feed_sessions' columns (that would be a query per event)."""
    kinds_of_session(edition, count)
    with translation.override("en"), django_assert_num_queries(4):
        body = build_calendar(sessions=Session.objects.all(), name="Alla")
    assert body.count(b"BEGIN:VEVENT") == count
    with translation.override("en"), django_assert_num_queries(1):
        assert build_calendar(sessions=Session.objects.all(), name="Alla") == body
    parse_everywhere(body)


NAME = "Almi, Mälardalen – Sörmlands innovationsvecka"


def calendar_text(body, name):
    """The value of a calendar property as icalendar, vobject and ical each read it (RFC 5545 TEXT)."""
    text = body.decode()
    parsed = icalendar.Calendar.from_ical(body)
    extras = {extra.name: extra for extra in IcsCalendarStream.calendar_from_ics(text).extras}
    return {
        # icalendar and ical keep an X- property's value as written; their own TEXT unescaping reads it.
        "icalendar": unescape_backslash(str(parsed[name])),
        "vobject": vobject.readOne(text, validate=True).contents[name.lower()][0].value,
        "ical": TextEncoder.__parse_property_value__(extras[name.lower()]),
    }


@pytest.mark.django_db
def test_an_organisers_name_with_a_comma_stays_whole_in_x_wr_calname(client, edition):
    org = OrganisationFactory(name="Almi, Mälardalen", slug="almi")
    SessionFactory(edition=edition, organisers=[org])
    body = client.get("/siv/aktorer/almi/kalender.ics").content
    assert "X-WR-CALNAME:Almi\\, Mälardalen – Sörmlands innovationsvecka\r\n".encode() in body
    assert calendar_text(body, "X-WR-CALNAME") == {"icalendar": NAME, "vobject": NAME, "ical": NAME}


@pytest.mark.django_db
def test_x_wr_caldesc_escapes_commas_semicolons_backslashes_and_line_ends(edition):
    description = "Almi, Mälardalen; med \\ och\nen ny rad"
    body = build_calendar(sessions=Session.objects.none(), name="Almi, Mälardalen", description=description)
    assert b"X-WR-CALDESC:Almi\\, M\xc3\xa4lardalen\\; med \\\\ och\\nen ny rad\r\n" in body
    assert calendar_text(body, "X-WR-CALDESC") == {"icalendar": description, "vobject": description,
                                                   "ical": description}  # fmt: skip
    assert set(calendar_text(body, "X-WR-CALNAME").values()) == {"Almi, Mälardalen"}
