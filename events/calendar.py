"""iCalendar (RFC 5545) for sessions: what subscribed calendars show and how they learn about changes.

Calendar clients fail in familiar ways, and each choice here answers one of them:
- Times carry TZID=Europe/Stockholm with a VTIMEZONE, so nothing shifts by an hour.
- The UID comes from Session.uid, which never changes, and SEQUENCE from Session.sequence, which rises when
  time, place or status change (events.services.save_session), so clients update instead of duplicating.
- Cancelled and withdrawn sessions stay in the feed as STATUS:CANCELLED with "INSTÄLLT: " before the summary,
  because Google Calendar hides the status and a vanished event is never noticed.
- DTSTAMP and LAST-MODIFIED come from the data, not the clock: clients compare UID, SEQUENCE and DTSTAMP.
- A one-session download has no X-WR-CALNAME: with a name, Outlook makes a new calendar instead of adding
  the event to the default one.

icalendar writes every line (escaping, folding at 75 octets). Building its objects is most of a feed's cost,
so each event's bytes are cached under a key made from that event's own data (event_rows): an edit rebuilds
one event, not the feed, and every feed (whole, filtered, an organiser's, a visitor's list) shares the same
cached events. Tests read every feed with three parsers.
"""

import datetime
import functools
import hashlib
import zoneinfo

from django.conf import settings
from django.db.models import CharField, Count, Max, Prefetch, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur, vText

from innovationsvecka.seo import absolute
from organisers.models import Organisation

from .fragments import cached_items
from .models import Session, Theme

UID_DOMAIN = "siv.regionsormland.se"
TZID = "Europe/Stockholm"
STOCKHOLM = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Region Sörmland//Sörmlands innovationsvecka//SV"


# The columns an event shows. A field read but not listed here costs a query per event
# (tests/test_calendar_cache.py counts them).
SESSION_FIELDS = [
    "uid", "sequence", "status", "first_published", "cancellation_note", "updated", "title", "slug", "summary",
    "description", "title_en", "summary_en", "description_en",
    "start", "end", "format", "online_url", "online_note", "registration_url",
    "registration_deadline", "cost", "edition__year", "venue__name", "venue__street_address", "venue__postcode",
    "venue__town", "venue__latitude", "venue__longitude", "venue__updated",
]
THEME_FIELDS = ["name", "name_en", "updated"]
ORGANISER_FIELDS = ["name", "slug", "email", "updated"]


def feed_sessions(queryset):
    """Sessions with everything an event needs, in three queries: build_calendar() loads the sessions whose
    events are not in the cache this way.

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


def location(session, words=None):
    words = words or phrases()
    if session.format == session.Format.DIGITAL or session.venue is None:
        return words["digital"]
    if session.format == session.Format.HYBRID:
        return words["hybrid"] % {"address": session.venue.full_address}
    return session.venue.full_address


def local_text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def phrases():
    """Every word events show, in the active language: translated once per feed rather than once per event.

    They are part of each event's cache key, so a changed translation gives new events after a deploy.
    """
    return {
        "digital": _("Digitalt"),
        "hybrid": _("%(address)s – även digitalt"),
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
    body = session.description_shown.replace("\r\n", "\n").strip()  # English in English feeds, if given
    summary = session.summary_shown
    if summary and not body.startswith(summary):
        parts.append(summary)
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



# ---- the events, built with icalendar and cached one by one ----

# Raise when an event's bytes change for the same data (a code change), so cached events are rebuilt.
EVENT_FORMAT = "2"


def event_rows(selection):
    """For each session of a feed, in the feed's order: its pk and what its event's cache key is made of.

    One query, however many sessions: the session's `updated`, `sequence`, status and first_published
    (cancelled and withdrawn events look different), the edition's year (in the URL), its venue's
    `updated`, and for its themes and for its organisers the newest `updated`, their number and the sum of
    their ids. Every save sets `updated` to now, later than any before, so the newest one changes whenever
    any of them is saved; the number and ids change when one is added or removed without a save of the
    session. Municipalities and audiences are not shown in an event, so they are not in the key.
    A change made with QuerySet.update() must set `updated` too (services.py does for a venue's sessions),
    or the cached events keep the old text (and the feeds' ETags would not change either).

    The selection is taken as a subquery, so the aggregates see all of a session's themes even when a
    filter (?tema=) joined the themes. Times are read as text, as the database prints them: the key needs
    them only to differ, and turning 1,500 of them into datetimes was a third of a cached feed's cost.
    """
    return (
        Session.objects.filter(pk__in=selection.in_calendars().values("pk"))
        .values("pk")  # group by these columns only, not by every column of a session
        .annotate(
            changed=as_text("updated"), published=as_text("first_published"), venue_changed=as_text("venue__updated"),
            themes_changed=as_text(Max("themes__updated")), themes_count=Count("themes", distinct=True),
            themes_sum=Sum("themes__pk", distinct=True), organisers_changed=as_text(Max("organisers__updated")),
            organisers_count=Count("organisers", distinct=True), organisers_sum=Sum("organisers__pk", distinct=True),
        )
        .order_by("start", "end", "title", "pk")
        .values_list(
            "pk", "changed", "sequence", "status", "published", "edition__year", "venue_changed", "themes_changed",
            "themes_count", "themes_sum", "organisers_changed", "organisers_count", "organisers_sum",
        )
    )  # fmt: skip


def as_text(expression):
    return Cast(expression, output_field=CharField())


def event_key(row, feed_part):
    """The cache key of one session's VEVENT: its row from event_rows(), and `feed_part`, what all events
    of a feed share (EVENT_FORMAT, SITE_URL, the language and its words)."""
    digest = hashlib.sha256("|".join(map(str, (feed_part, *row))).encode()).hexdigest()[:32]
    return f"ical-event:{row[0]}:{digest}"


# Control characters other than tab are not allowed in TEXT (RFC 5545 3.3.11); text pasted from a word
# processor brings some (a vertical tab for a soft line break), and parsers such as ical refuse the feed.
CONTROLS = dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


class Text(vText):
    """A TEXT value escaped as RFC 5545 3.3.11 says: backslash, semicolon, comma, and any line end as \\n;
    other control characters than tab are left out.

    icalendar's vText first reads a literal backslash-N as a line break ("C:\\Nyheter" would lose its
    backslash) and passes control characters through; this does neither.
    """

    def to_ical(self):
        value = self.translate(CONTROLS).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n").encode()


def organizer(organisations):
    """The first organiser, with its general address if it has one.

    Only Organisation.email, which staff are told is a general, non-personal address; never a contact
    person's e-mail. Without an address the organiser's page serves as the required URI. A double quote
    can't be in a parameter, and RFC 6868's escape for it (^') shows raw in some clients; a name reads
    the same with a single quote.
    """
    org = organisations[0]
    address = vCalAddress(f"mailto:{org.email}" if org.email else absolute(org.get_absolute_url()))
    address.params["cn"] = vText(org.name.replace('"', "'"))
    return address


def session_event(session, words):
    """One session's VEVENT as bytes, written by icalendar."""
    themes, organisers = session.calendar_themes, session.calendar_organisers
    cancelled = shows_as_cancelled(session)
    changed = last_change(session, themes, organisers).replace(microsecond=0)
    page = absolute(session.get_absolute_url())
    event = Event()
    event.add("uid", f"{session.uid}@{UID_DOMAIN}")
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.start.astimezone(STOCKHOLM).replace(microsecond=0))
    event.add("dtend", session.end.astimezone(STOCKHOLM).replace(microsecond=0))
    event.add("summary", Text((words["cancelled"] if cancelled else "") + session.title_shown))
    event.add("description", Text(description(session, organisers, page, words)))
    event.add("location", Text(location(session, words)))
    venue = session.venue
    if session.has_place and venue is not None and venue.latitude is not None:
        event.add("geo", (float(venue.latitude), float(venue.longitude)))
    event.add("url", page)
    if themes:
        event.add("categories", [theme.label for theme in themes])
    if organisers:
        event.add("organizer", organizer(organisers))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event.to_ical()


def events(selection, words):
    """The VEVENTs' bytes in the feed's order (events.fragments): warm, that is one query (event_rows) and no
    more than one cache read; the missing sessions are loaded with feed_sessions (three more queries)."""
    feed_part = "|".join([EVENT_FORMAT, settings.SITE_URL, get_language(), words_digest(words)])
    keys = {row[0]: event_key(row, feed_part) for row in event_rows(selection)}

    def build(missing):
        return {s.pk: session_event(s, words) for s in feed_sessions(Session.objects.filter(pk__in=missing))}

    return cached_items(keys, build)


def words_digest(words):
    return hashlib.sha256(repr(sorted(words.items())).encode()).hexdigest()[:16]


@functools.cache
def vtimezone():
    """The VTIMEZONE block as bytes; the same in every feed, so made once."""
    return stockholm_timezone().to_ical()


END = b"END:VCALENDAR\r\n"


def calendar_head(name, description):
    """The calendar's own lines, up to its first event.

    X-WR-CALNAME and X-WR-CALDESC are non-standard properties, whose default value type is TEXT (RFC 5545
    3.8.8.2), so they are escaped as TEXT: a comma or semicolon in a name ("Almi, Mälardalen") stays in it.
    icalendar would write them raw unless given a TEXT value.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", Text(name))
        if description:
            cal.add("x-wr-caldesc", Text(description))
        cal.add("x-wr-timezone", TZID)
        cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vText("PT1H"))
    return cal.to_ical().removesuffix(END)


def build_calendar(*, sessions, name=None, description=None):
    """The bytes of an iCalendar object holding the feed's share of `sessions` (a Session queryset; feeds
    carry Session.objects.in_calendars() of it, in start order).

    With a name it is a subscription feed (X-WR-CALNAME and the refresh hints); without, a one-off download.
    """
    body = events(sessions, phrases())
    return b"".join([calendar_head(name, description), vtimezone(), *body, END])
