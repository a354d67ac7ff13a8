"""iCalendar (RFC 5545) for sessions: what subscribed calendars show and how they learn about changes.

Calendar clients fail in familiar ways, and each choice here answers one of them:
- Times carry TZID=Europe/Stockholm with a VTIMEZONE, so nothing shifts by an hour.
- The UID comes from Session.uid, which never changes, and SEQUENCE from Session.sequence, which rises when
  time, place or status change (events.services.save_session), so clients update instead of duplicating.
- Cancelled and withdrawn sessions stay in the feed as STATUS:CANCELLED with "INSTÄLLT: " before the summary,
  because Google Calendar hides the status and a vanished event is never noticed.
- DTSTAMP and LAST-MODIFIED come from the data, not the clock, so the same data gives the same bytes
  (and the same ETag).
- The content lines are written here rather than through icalendar's objects (quicker for large feeds; see
  docs/benchmarks.md), but byte for byte as icalendar writes them (tests/test_calendar_writer.py compares):
  TEXT escaped as RFC 5545 says, lines folded at 75 octets without splitting a UTF-8 character. Tests read
  every feed with three parsers.
- A one-session download has no X-WR-CALNAME: with a name, Outlook makes a new calendar instead of adding
  the event to the default one.
"""

import datetime
import functools
import re
import zoneinfo

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from organisers.models import Organisation

from .models import Theme

UID_DOMAIN = "siv.regionsormland.se"
TZID = "Europe/Stockholm"
STOCKHOLM = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Region Sörmland//Sörmlands innovationsvecka//SV"


# The columns an event shows. A field read but not listed here costs a query per event
# (tests/test_calendar_writer.py counts them).
SESSION_FIELDS = [
    "uid", "sequence", "status", "first_published", "cancellation_note", "updated", "title", "slug", "summary",
    "description", "start", "end", "format", "online_url", "online_note", "registration_url",
    "registration_deadline", "cost", "edition__year", "venue__name", "venue__street_address", "venue__postcode",
    "venue__town", "venue__latitude", "venue__longitude", "venue__updated",
]
THEME_FIELDS = ["name", "name_en", "updated"]
ORGANISER_FIELDS = ["name", "slug", "email", "updated"]


def absolute(path):
    return settings.SITE_URL + path


def feed_sessions(queryset):
    """The sessions of a feed in a stable order, with everything an event needs in three queries.

    Themes and organisers come as plain lists (calendar_themes, calendar_organisers), and only the columns
    an event shows are read: related managers and model instances were much of a feed's build time.
    """
    return (
        queryset.in_calendars()
        .select_related("venue", "edition")
        .only(*SESSION_FIELDS)
        .prefetch_related(
            Prefetch("themes", Theme.objects.only(*THEME_FIELDS), to_attr="calendar_themes"),
            Prefetch("organisers", Organisation.objects.only(*ORGANISER_FIELDS), to_attr="calendar_organisers"),
        )
        .order_by("start", "end", "title", "pk")
    )


def stockholm_timezone():
    """VTIMEZONE for Sweden's rules since 1996 (the EU's: last Sunday of March and of October).

    Written as RRULEs rather than a list of dates, so it is short, the same every year and right for any
    future edition.
    """
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=1))
    daylight.add("tzoffsetto", datetime.timedelta(hours=2))
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", datetime.timedelta(hours=2))
    standard.add("tzoffsetto", datetime.timedelta(hours=1))
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def is_withdrawn(session):
    return session.status in (session.Status.DRAFT, session.Status.PROPOSED) and session.first_published is not None


def shows_as_cancelled(session):
    return session.is_cancelled or is_withdrawn(session)


def last_change(session, themes, organisers):
    """When anything shown in this session's event last changed: the session, its venue, themes or organisers.

    Uses only rows feed_sessions loaded, so it costs no query.
    """
    moments = [session.updated]
    if session.venue is not None:
        moments.append(session.venue.updated)
    moments += [theme.updated for theme in themes]
    moments += [org.updated for org in organisers]
    return max(moments).astimezone(datetime.UTC)


def location(session):
    if session.format == session.Format.DIGITAL or session.venue is None:
        return _("Digitalt")
    if session.format == session.Format.HYBRID:
        return _("%(address)s – även digitalt") % {"address": session.venue.full_address}
    return session.venue.full_address


def local_text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def phrases():
    """The words events repeat, in the active language: translated once per feed rather than once per event."""
    return {
        "cancelled": _("INSTÄLLT: "),
        "is_cancelled": _("Programpunkten är inställd."),
        "organisers": _("Arrangörer: %(names)s"),
        "online": _("Digitalt: %(how)s"),
        "registration": _("Anmälan: %(url)s"),
        "deadline": _("(senast %(when)s)"),
        "cost": _("Kostnad: %(cost)s"),
        "more": _("Mer information: %(url)s"),
    }


def description(session, organisers, page, words):
    """Plain text: what it is, how to take part, and the page with everything else."""
    parts = []
    if shows_as_cancelled(session):
        note = session.cancellation_note if session.is_cancelled else ""
        parts.append(words["is_cancelled"] + (f" {note}" if note else ""))
    body = session.description.replace("\r\n", "\n").strip()
    if session.summary and not body.startswith(session.summary):
        parts.append(session.summary)
    if body:
        parts.append(body)
    if organisers:
        parts.append(words["organisers"] % {"names": ", ".join(org.name for org in organisers)})
    if session.is_online and (session.online_url or session.online_note):
        how = " ".join(part for part in [session.online_url, session.online_note] if part)
        parts.append(words["online"] % {"how": how})
    if session.registration_url:
        line = words["registration"] % {"url": session.registration_url}
        if session.registration_deadline:
            line += " " + words["deadline"] % {"when": local_text(session.registration_deadline)}
        parts.append(line)
    if session.cost:
        parts.append(words["cost"] % {"cost": session.cost})
    parts.append(words["more"] % {"url": page})
    return "\n\n".join(parts)


# ---- the content lines, written as icalendar wrote them ----
#
# Building icalendar Event objects (properties, parameters, content lines) was most of a feed's build time, so
# the lines are written directly, by icalendar's rules. Same bytes as before for the same data keep the bytes
# and ETags clients have; icalendar remains the reference in tests/test_calendar_writer.py and the parser in
# the other tests.


def text(value):
    """A TEXT value escaped as icalendar's vText escapes it (RFC 5545 3.3.11): any line end becomes \\n.

    Like icalendar, a literal backslash-N is first read as a line break.
    """
    return (
        value.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


CN_QUOTED = re.compile("[,;:’ ']")  # icalendar quotes a CN on these, the typographic apostrophe included


def common_name(name):
    """The CN parameter of ORGANIZER, quoted exactly when icalendar quotes it.

    Double quotes can't be in a parameter, and RFC 6868's escape for them (^') shows raw in some clients;
    a name reads the same with a single quote. Carets and line ends get RFC 6868's escapes, as in icalendar.
    """
    value = (
        name.replace('"', "'").replace("^", "^^").replace("\r\n", "^n").replace("\r", "^n").replace("\n", "^n")
    )
    return f'"{value}"' if CN_QUOTED.search(value) else value


def date_time(moment):
    """A DATE-TIME value as the moment's own clock shows it, to the second."""
    return f"{moment.year:04}{moment.month:02}{moment.day:02}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what the slug path converter takes
STAND_IN = "slug-stand-in"


class Pages:
    """Absolute addresses of session and organiser pages with one reverse() per edition, not two per event.

    reverse() with a stand-in slug gives the path around the slug. reverse() never quotes a slug the
    pattern takes, so putting the real slug in its place gives exactly get_absolute_url(), in the active
    language (English pages under /en/). Make one per feed: it keeps what it reversed in that language.
    """

    def __init__(self):
        self.around = {}

    def address(self, viewname, slug, **kwargs):
        if not SLUG.fullmatch(slug):
            return absolute(reverse(viewname, kwargs={**kwargs, "slug": slug}))
        key = (viewname, *kwargs.values())
        if key not in self.around:
            self.around[key] = reverse(viewname, kwargs={**kwargs, "slug": STAND_IN}).split(STAND_IN)
        before, after = self.around[key]
        return f"{settings.SITE_URL}{before}{slug}{after}"

    def session(self, session):
        return self.address("events:detail", session.slug, year=session.edition.year)

    def organiser(self, organisation):
        return self.address("organisers:detail", organisation.slug)


def organizer(organisations, pages):
    """The first organiser, with its general address if it has one.

    Only Organisation.email, which staff are told is a general, non-personal address; never a contact
    person's e-mail. Without an address the organiser's page serves as the required URI.
    """
    org = organisations[0]
    address = f"mailto:{org.email}" if org.email else pages.organiser(org)
    return f"ORGANIZER;CN={common_name(org.name)}:{address}"


def session_lines(session, pages, words):
    """The VEVENT's content lines, unfolded, in icalendar's order: its canonical ones, then alphabetical."""
    themes, organisers = session.calendar_themes, session.calendar_organisers
    cancelled = shows_as_cancelled(session)
    changed = date_time(last_change(session, themes, organisers)) + "Z"
    page = pages.session(session)
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + text((words["cancelled"] if cancelled else "") + session.title),
        f"DTSTART;TZID={TZID}:{date_time(session.start.astimezone(STOCKHOLM))}",
        f"DTEND;TZID={TZID}:{date_time(session.end.astimezone(STOCKHOLM))}",
        f"DTSTAMP:{changed}",
        f"UID:{session.uid}@{UID_DOMAIN}",
        f"SEQUENCE:{session.sequence}",
    ]
    if themes:
        lines.append("CATEGORIES:" + ",".join(text(theme.label) for theme in themes))
    lines.append("DESCRIPTION:" + text(description(session, organisers, page, words)))
    venue = session.venue
    if session.has_place and venue is not None and venue.latitude is not None:
        lines.append(f"GEO:{float(venue.latitude)};{float(venue.longitude)}")
    lines += [f"LAST-MODIFIED:{changed}", "LOCATION:" + text(location(session))]
    if organisers:
        lines.append(organizer(organisers, pages))
    lines += [
        "STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED",
        "TRANSP:TRANSPARENT" if cancelled else "TRANSP:OPAQUE",
        f"URL:{page}",
        "END:VEVENT",
    ]
    return lines


@functools.cache
def vtimezone():
    """The VTIMEZONE block as bytes; the same in every feed, so made once."""
    return serialize(stockholm_timezone())


def calendar_properties(name, description):
    """The calendar's own lines.

    icalendar wrote the X-WR- names as properties of unknown type, that is unescaped, and so they still are
    (same bytes); only a line break, which icalendar refused (a newline) or wrote raw (a lone CR), is \\n.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + text(PRODID), "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        if description:
            lines.append("X-WR-CALDESC:" + one_line(description))
        lines += [
            "X-WR-CALNAME:" + one_line(name),
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
            f"X-WR-TIMEZONE:{TZID}",
        ]
    return lines


def one_line(value):
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def build_calendar(*, sessions, name=None, description=None):
    """The bytes of an iCalendar object holding these sessions.

    With a name it is a subscription feed (X-WR-CALNAME and the refresh hints); without, a one-off download.
    """
    pages, words = Pages(), phrases()
    chunks = [fold_lines(calendar_properties(name, description)), vtimezone()]
    chunks += [fold_lines(session_lines(session, pages, words)) for session in sessions]
    chunks.append(b"END:VCALENDAR\r\n")
    return b"".join(chunks)


FOLD_OCTETS = 74  # plus the leading space of a continuation line: 75, RFC 5545's limit


def fold(line):
    """One content line as UTF-8 bytes, folded exactly as icalendar folds it, but a slice at a time.

    icalendar's own to_ical() folds character by character, which was a quarter of a feed's build time.
    Like icalendar, a fold never splits a UTF-8 sequence, and never leaves a backslash or caret (the
    start of an escape) at the end of a line. tests/test_calendar_fold.py proves the bytes are identical.
    """
    data = line.encode("utf-8")
    if len(data) <= FOLD_OCTETS:
        return data
    parts = []
    start = 0
    while len(data) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: fold before its character instead
            end -= 1
        if end - start > 1 and data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def fold_lines(lines):
    return b"".join(fold(line) + b"\r\n" for line in lines)


def serialize(component):
    """The same bytes as component.to_ical(): icalendar's content lines, folded by fold()."""
    return fold_lines(line for line in component.content_lines() if line)
