"""What icalendar writes for our events follows RFC 5545 whatever the text: CRLF line ends, lines of at most
75 octets, folds that never split a UTF-8 character, and TEXT that three parsers read back unchanged."""

import icalendar
import pytest
import vobject
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from events.calendar import END, calendar_head, feed_sessions, phrases, session_event, vtimezone
from events.models import Session
from tests.factories import OrganisationFactory, SessionFactory, VenueFactory, theme

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120)
TRICKY = ["a" * 74, "a" * 75, "å" * 80, "🙂" * 40, "x" + "å" * 37, "a" * 73 + "\\n" + "b" * 80,
          "C:\\Nyheter\\nya, 1;2", "Rad ett\r\nrad två\rrad\ntre", "\\" * 100]  # fmt: skip


def assert_rfc_lines(body):
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert b"\r" not in b"".join(lines) and b"\n" not in b"".join(lines)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character


def normalised(text):
    """TEXT has one line end, \\n: the ones a parser gives back."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_back(body, title, name):
    text = body.decode()
    summary = {
        "icalendar": str(icalendar.Calendar.from_ical(body).walk("VEVENT")[0]["SUMMARY"]),
        "vobject": vobject.readOne(text).vevent.summary.value,
        "ical": IcsCalendarStream.calendar_from_ics(text).events[0].summary,
    }
    assert summary == dict.fromkeys(summary, normalised(title))
    assert vobject.readOne(text).contents["x-wr-calname"][0].value == normalised(name)


@pytest.fixture
def loaded(edition):
    """One session as a feed loads it, to change in memory only (no query per example)."""
    SessionFactory(edition=edition, venue=VenueFactory(latitude="59.1", longitude="16.2"),
                   themes=[theme("smart-industri")], organisers=[OrganisationFactory(email="")])  # fmt: skip
    return feed_sessions(Session.objects.all())[0]


def body_for(session, *, title, text, org_name, venue_name, name):
    session.title, session.description, session.summary = title, text, ""
    session.venue.name = venue_name
    session.calendar_organisers[0].name = org_name
    with translation.override("sv"):
        return calendar_head(name, text) + vtimezone() + session_event(session, phrases()) + END


@pytest.mark.django_db
def test_tricky_texts_fold_within_75_octets_and_read_back(loaded):
    for value in TRICKY:
        body = body_for(loaded, title=value, text=value * 3, org_name=value, venue_name=value, name=value)
        assert_rfc_lines(body)
        read_back(body, value, value)
    assert sum(line.startswith(b" ") for line in body.split(b"\r\n")) > 3  # it really was folded


@pytest.mark.django_db
def test_any_text_gives_rfc_lines_that_three_parsers_read_back(loaded):
    @settings(max_examples=100, deadline=None)
    @given(title=LINE, text=TEXT, org_name=LINE, venue_name=LINE, name=LINE)
    def check(title, text, org_name, venue_name, name):
        body = body_for(loaded, title=title, text=text, org_name=org_name, venue_name=venue_name, name=name)
        assert_rfc_lines(body)
        read_back(body, title, name)

    check()


@pytest.mark.django_db
def test_control_characters_from_a_word_processor_are_left_out(loaded):
    body = body_for(loaded, title="Mjuk\x0bradbrytning", text="Sida\x0cbrytning\x00", org_name="A", venue_name="B",
                    name="C\x07")  # fmt: skip
    assert_rfc_lines(body)
    read_back(body, "Mjukradbrytning", "C")
    assert IcsCalendarStream.calendar_from_ics(body.decode()).events[0].description.startswith("Sidabrytning\n\n")
