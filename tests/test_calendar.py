"""The iCalendar builder (events.calendar), checked with parsers other than the one that writes it."""

import datetime
import zoneinfo
from decimal import Decimal

import icalendar
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from events.calendar import build_calendar, stockholm_timezone
from events.models import Session
from events.services import save_session
from tests.conftest import uid
from tests.factories import ContactFactory, OrganisationFactory, SessionFactory, VenueFactory, local, theme

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def parse_everywhere(body):
    """Parse with vobject (validating), ical and icalendar; return icalendar's VEVENTs by UID."""
    text = body.decode("utf-8")
    vobject.readOne(text, validate=True)
    IcsCalendarStream.calendar_from_ics(text)
    calendar = icalendar.Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def feed_for(*sessions, name="Test"):
    return build_calendar(sessions=Session.objects.filter(pk__in=[s.pk for s in sessions]), name=name)


@pytest.mark.django_db
def test_lines_are_crlf_and_at_most_75_octets_with_swedish_and_emoji_title(edition):
    title = "Åäö ÅÄÖ åäö 🎉🚀 innovation i Sörmland – " + "åäö🙂" * 30
    session = SessionFactory(edition=edition, title=title[:200], description="Ö" * 500 + "\n" + "ä🦄" * 100)
    body = feed_for(session)
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")
    assert lines[-1] == b""
    assert max(len(line) for line in lines) <= 75
    assert sum(1 for line in lines if line.startswith(b" ")) > 10  # it really was folded
    for line in lines:
        line.decode("utf-8")  # no line ends or starts inside a UTF-8 character
    event = parse_everywhere(body)[uid(session)]
    assert str(event["SUMMARY"]) == title[:200]
    assert vobject.readOne(body.decode()).vevent.summary.value == title[:200]


@pytest.mark.django_db
def test_special_characters_are_escaped_and_read_back_by_every_parser(edition):
    title = 'Kommatecken, semikolon; snedstreck \\ och "citat"'
    description = "Rad ett,\nrad två; med \\ och\n\nett nytt stycke."
    session = SessionFactory(edition=edition, title=title, summary="", description=description)
    body = feed_for(session)
    assert b"SUMMARY:Kommatecken\\, semikolon\\; snedstreck \\\\ och \"citat\"\r\n" in body
    assert str(parse_everywhere(body)[uid(session)]["SUMMARY"]) == title
    vevent = vobject.readOne(body.decode()).vevent
    assert vevent.summary.value == title
    assert vevent.description.value.startswith(description + "\n\n")
    ical_event = IcsCalendarStream.calendar_from_ics(body.decode()).events[0]
    assert ical_event.summary == title
    assert ical_event.description.startswith(description + "\n\n")


@pytest.mark.django_db
def test_event_has_every_property_subscribers_need(edition):
    venue = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", postcode="632 20",
                         town="Eskilstuna", latitude=Decimal("59.369800"), longitude=Decimal("16.504900"))
    org = OrganisationFactory(name="Almi Mälardalen", email="info@almi.example")
    session = SessionFactory(
        edition=edition, title="Från idé till affär", venue=venue, start=local(2026, 11, 10, 9, 30),
        end=local(2026, 11, 10, 11), registration_url="https://example.org/anmalan", themes=[theme("smart-industri")],
        organisers=[org],
    )
    session.refresh_from_db()
    body = feed_for(session)
    event = parse_everywhere(body)[uid(session)]
    assert str(event["UID"]) == f"{session.uid}@siv.regionsormland.se"
    assert event["DTSTART"].dt == datetime.datetime(2026, 11, 10, 9, 30, tzinfo=STOCKHOLM)
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event["DTEND"].dt == datetime.datetime(2026, 11, 10, 11, 0, tzinfo=STOCKHOLM)
    changed = max(session.updated, venue.updated, org.updated, theme("smart-industri").updated)
    assert event["DTSTAMP"].dt == changed.replace(microsecond=0)
    assert event["LAST-MODIFIED"].dt == changed.replace(microsecond=0)
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Från idé till affär"
    assert str(event["LOCATION"]) == "Munktell Science Park, Verkstadsgatan 11, 632 20 Eskilstuna"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (59.3698, 16.5049)
    page = f"https://siv.example.org/siv/2026/{session.slug}/"
    assert str(event["URL"]) == page
    assert event["CATEGORIES"].cats == ["Smart industri"]
    assert str(event["ORGANIZER"]) == "mailto:info@almi.example"
    assert event["ORGANIZER"].params["CN"] == "Almi Mälardalen"
    assert str(event["STATUS"]) == "CONFIRMED"
    text = str(event["DESCRIPTION"])
    assert "Anmälan: https://example.org/anmalan" in text
    assert text.endswith(f"Mer information: {page}")
    assert b"\r\nTZID:Europe/Stockholm\r\n" in body
    assert b"DTSTART;TZID=Europe/Stockholm:20261110T093000\r\n" in body


@pytest.mark.django_db
def test_organizer_never_carries_a_contact_persons_email(edition):
    org = OrganisationFactory(name="Region Sörmland", email="")
    contact = ContactFactory(organisation=org, email="anna.person@example.org", is_public=True)
    session = SessionFactory(edition=edition, organisers=[org], contact=contact)
    body = feed_for(session)
    event = parse_everywhere(body)[uid(session)]
    assert str(event["ORGANIZER"]) == f"https://siv.example.org/siv/aktorer/{org.slug}/"
    assert event["ORGANIZER"].params["CN"] == "Region Sörmland"
    assert b"anna.person" not in body
    org.email = "info@region.example"
    org.save()
    event = parse_everywhere(feed_for(session))[uid(session)]
    assert str(event["ORGANIZER"]) == "mailto:info@region.example"


@pytest.mark.django_db
def test_digital_and_hybrid_sessions_say_where_to_take_part(edition):
    digital = SessionFactory(edition=edition, format=Session.Format.DIGITAL, venue=None,
                             online_url="https://example.org/live")
    hybrid = SessionFactory(
        edition=edition, format=Session.Format.HYBRID, venue__name="Stadshuset",
        venue__street_address="Fristadstorget 1", venue__postcode="632 20", venue__town="Eskilstuna",
    )
    events = parse_everywhere(feed_for(digital, hybrid))
    assert str(events[uid(digital)]["LOCATION"]) == "Digitalt"
    assert "Digitalt: https://example.org/live" in str(events[uid(digital)]["DESCRIPTION"])
    assert "GEO" not in events[uid(digital)]
    assert str(events[uid(hybrid)]["LOCATION"]) == "Stadshuset, Fristadstorget 1, 632 20 Eskilstuna – även digitalt"


@pytest.mark.django_db
def test_cancelled_session_stays_with_status_cancelled_prefix_and_higher_sequence(edition):
    session = SessionFactory(edition=edition, title="Vätgas i industrin")
    session.status = Session.Status.CANCELLED
    session.cancellation_note = "Föreläsaren är sjuk."
    save_session(session=session)
    event = parse_everywhere(feed_for(session))[uid(session)]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "INSTÄLLT: Vätgas i industrin"
    assert event["SEQUENCE"] == 1
    assert str(event["DESCRIPTION"]).startswith("Programpunkten är inställd. Föreläsaren är sjuk.")


@pytest.mark.django_db
def test_withdrawn_session_is_published_as_cancelled_and_drafts_never_appear(edition):
    withdrawn = SessionFactory(edition=edition, title="Tillbakadragen", status=Session.Status.DRAFT)
    withdrawn.status = Session.Status.PUBLISHED
    save_session(session=withdrawn)
    withdrawn.status = Session.Status.DRAFT
    save_session(session=withdrawn)
    draft = SessionFactory(edition=edition, title="Utkast", status=Session.Status.DRAFT)
    proposal = SessionFactory(edition=edition, title="Förslag", status=Session.Status.PROPOSED)
    published = SessionFactory(edition=edition, title="Publicerad")
    events = parse_everywhere(feed_for(withdrawn, draft, proposal, published))
    assert set(events) == {uid(withdrawn), uid(published)}
    assert str(events[uid(withdrawn)]["STATUS"]) == "CANCELLED"
    assert str(events[uid(withdrawn)]["SUMMARY"]) == "INSTÄLLT: Tillbakadragen"
    assert events[uid(withdrawn)]["SEQUENCE"] == 2


@pytest.mark.django_db
def test_moving_a_session_raises_sequence_and_keeps_uid_in_the_feed(edition):
    session = SessionFactory(edition=edition, start=local(2026, 11, 9, 10), end=local(2026, 11, 9, 11))
    before = parse_everywhere(feed_for(session))[uid(session)]
    session.start, session.end = local(2026, 11, 11, 13), local(2026, 11, 11, 14)
    save_session(session=session)
    after = parse_everywhere(feed_for(session))[uid(session)]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert str(after["UID"]) == str(before["UID"]) == uid(session)
    assert after["DTSTART"].dt == datetime.datetime(2026, 11, 11, 13, tzinfo=STOCKHOLM)


@pytest.mark.django_db
def test_same_data_gives_the_same_bytes(edition):
    sessions = [SessionFactory(edition=edition, start=local(2026, 11, 9, 10), end=local(2026, 11, 9, 11))
                for _ in range(3)]
    assert feed_for(*sessions) == feed_for(*reversed(sessions))
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(feed_for(*sessions)).walk("VEVENT")] == [
        uid(s) for s in sorted(sessions, key=lambda s: (s.title, s.pk))
    ]


@pytest.mark.django_db
def test_a_download_has_no_calendar_name_and_a_feed_has_the_refresh_hints(edition):
    session = SessionFactory(edition=edition)
    queryset = Session.objects.filter(pk=session.pk)
    download = build_calendar(sessions=queryset)
    feed = build_calendar(sessions=queryset, name="Sörmlands innovationsvecka")
    for body in (download, feed):
        parse_everywhere(body)
        assert body.startswith(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Region S\xc3\xb6rmland//S\xc3\xb6rmlands innovationsvecka//SV"
            b"\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
        )
    assert b"X-WR-CALNAME" not in download and b"REFRESH-INTERVAL" not in download
    for line in [b"X-WR-CALNAME:S\xc3\xb6rmlands innovationsvecka", b"X-WR-TIMEZONE:Europe/Stockholm",
                 b"REFRESH-INTERVAL;VALUE=DURATION:PT1H", b"X-PUBLISHED-TTL:PT1H"]:
        assert line + b"\r\n" in feed


def test_vtimezone_agrees_with_the_tz_database_for_every_hour_around_each_change():
    """The hand-written EU rule must give the same offsets as zoneinfo, including the hours that repeat."""
    parsed = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + stockholm_timezone().to_ical() + b"END:VCALENDAR\r\n"
    )
    tz = parsed.walk("VTIMEZONE")[0].to_tz()
    vobject_tz = vobject.readOne(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + stockholm_timezone().to_ical().decode() + "END:VCALENDAR\r\n"
    ).vtimezone.gettzinfo()
    checked = 0
    for year in range(2024, 2041):
        for month, day in ((3, 24), (10, 24)):
            start = datetime.datetime(year, month, day, tzinfo=datetime.UTC)
            for hour in range(24 * 9):
                moment = start + datetime.timedelta(hours=hour)
                expected = moment.astimezone(STOCKHOLM).utcoffset()
                assert moment.astimezone(tz).utcoffset() == expected, moment
                assert moment.astimezone(vobject_tz).utcoffset() == expected, moment
                checked += 1
    assert checked == 17 * 2 * 24 * 9
