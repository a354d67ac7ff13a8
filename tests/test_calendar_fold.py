"""events.calendar.fold must give exactly icalendar's own folding, only faster."""

from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar, Event

from events.calendar import fold, serialize

TRICKY = [
    "",
    "a" * 74,
    "a" * 75,
    "a" * 149,
    "å" * 80,
    "🙂" * 40,
    "x" + "å" * 37,
    "a" * 73 + "\\n" + "b" * 80,
    "a" * 73 + "^" + "b" * 80,
    "SUMMARY:" + "Öppet hus på MITC – 🚀 idéer, kaffe & samtal; \\n, allt" * 4,
]


def test_fold_matches_icalendar_on_tricky_lines():
    for text in TRICKY:
        event = Event()
        event.add("summary", text)
        assert serialize(event) == event.to_ical(), text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=400))
def test_fold_matches_icalendar_on_any_text(text):
    event = Event()
    event.add("summary", text)
    event.add("description", "\n".join([text, text[::-1]]))
    assert serialize(event) == event.to_ical()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=400))
def test_folded_lines_are_at_most_75_octets_and_valid_utf8(text):
    for line in fold(text).split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")


def test_serialize_keeps_nested_components():
    cal = Calendar()
    cal.add("prodid", "-//test//")
    cal.add("version", "2.0")
    event = Event()
    event.add("summary", "Å" * 100)
    cal.add_component(event)
    assert serialize(cal) == cal.to_ical()
