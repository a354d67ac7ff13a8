"""iCalendar (RFC 5545) for sessions: what subscribed calendars show and how they learn about changes.

Calendar clients fail in familiar ways, and each choice here answers one of them:
- Times carry TZID=Europe/Stockholm with a VTIMEZONE, so nothing shifts by an hour.
- The UID comes from Session.uid, which never changes, and SEQUENCE from Session.sequence, which rises when
  time, place or status change (events.services.save_session), so clients update instead of duplicating.
- Cancelled and withdrawn sessions stay in the feed as STATUS:CANCELLED with "INSTÄLLT: " before the summary,
  because Google Calendar hides the status and a vanished event is never noticed.
- DTSTAMP and LAST-MODIFIED come from the data, not the clock, so the same data gives the same bytes
  (and the same ETag).
- icalendar folds lines at 75 octets without splitting a UTF-8 character; tests check it with other parsers.
- A one-session download has no X-WR-CALNAME: with a name, Outlook makes a new calendar instead of adding
  the event to the default one.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vRecur,
    vText,
)

UID_DOMAIN = "siv.regionsormland.se"
TZID = "Europe/Stockholm"
STOCKHOLM = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Region Sörmland//Sörmlands innovationsvecka//SV"
REFRESH = datetime.timedelta(hours=1)


def absolute(path):
    return settings.SITE_URL + path


def feed_sessions(queryset):
    """The sessions of a feed in a stable order, with everything an event needs in three queries."""
    return (
        queryset.in_calendars()
        .select_related("venue", "edition")
        .prefetch_related("themes", "organisers")
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


def last_change(session):
    """When anything shown in this session's event last changed: the session, its venue, themes or organisers.

    Uses only loaded rows (see feed_sessions), so it costs no query.
    """
    moments = [session.updated]
    if session.venue is not None:
        moments.append(session.venue.updated)
    moments += [theme.updated for theme in session.themes.all()]
    moments += [org.updated for org in session.organisers.all()]
    return max(moments).astimezone(datetime.UTC).replace(microsecond=0)


def location(session):
    if session.format == session.Format.DIGITAL or session.venue is None:
        return _("Digitalt")
    if session.format == session.Format.HYBRID:
        return _("%(address)s – även digitalt") % {"address": session.venue.full_address}
    return session.venue.full_address


def local_text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def description(session):
    """Plain text: what it is, how to take part, and the page with everything else."""
    parts = []
    if shows_as_cancelled(session):
        note = session.cancellation_note if session.is_cancelled else ""
        parts.append(_("Programpunkten är inställd.") + (f" {note}" if note else ""))
    text = session.description.replace("\r\n", "\n").strip()
    if session.summary and not text.startswith(session.summary):
        parts.append(session.summary)
    if text:
        parts.append(text)
    organisers = [org.name for org in session.organisers.all()]
    if organisers:
        parts.append(_("Arrangörer: %(names)s") % {"names": ", ".join(organisers)})
    if session.is_online and (session.online_url or session.online_note):
        how = " ".join(part for part in [session.online_url, session.online_note] if part)
        parts.append(_("Digitalt: %(how)s") % {"how": how})
    if session.registration_url:
        line = _("Anmälan: %(url)s") % {"url": session.registration_url}
        if session.registration_deadline:
            line += " " + _("(senast %(when)s)") % {"when": local_text(session.registration_deadline)}
        parts.append(line)
    if session.cost:
        parts.append(_("Kostnad: %(cost)s") % {"cost": session.cost})
    parts.append(_("Mer information: %(url)s") % {"url": absolute(session.get_absolute_url())})
    return "\n\n".join(parts)


def organizer(session):
    """The first organiser, with its general address if it has one.

    Only Organisation.email, which staff are told is a general, non-personal address; never a contact
    person's e-mail. Without an address the organiser's page serves as the required URI.
    """
    organisations = list(session.organisers.all())
    if not organisations:
        return None
    org = organisations[0]
    address = vCalAddress(f"mailto:{org.email}" if org.email else absolute(org.get_absolute_url()))
    # Quotes in a parameter need RFC 6868 escapes that some clients show raw; a name reads the same without.
    address.params["cn"] = vText(org.name.replace('"', "'"))
    return address


def session_event(session):
    event = Event()
    cancelled = shows_as_cancelled(session)
    changed = last_change(session)
    event.add("uid", f"{session.uid}@{UID_DOMAIN}")
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.start.astimezone(STOCKHOLM))
    event.add("dtend", session.end.astimezone(STOCKHOLM))
    event.add("summary", (_("INSTÄLLT: ") if cancelled else "") + session.title)
    event.add("description", description(session))
    event.add("location", location(session))
    if session.has_place and session.venue is not None and session.venue.latitude is not None:
        event.add("geo", (float(session.venue.latitude), float(session.venue.longitude)))
    event.add("url", absolute(session.get_absolute_url()))
    themes = [theme.label for theme in session.themes.all()]
    if themes:
        event.add("categories", themes)
    if (org := organizer(session)) is not None:
        event.add("organizer", org)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def build_calendar(*, sessions, name=None, description=None):
    """The bytes of an iCalendar object holding these sessions.

    With a name it is a subscription feed (X-WR-CALNAME and the refresh hints); without, a one-off download.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        if description:
            cal.add("x-wr-caldesc", description)
        cal.add("x-wr-timezone", TZID)
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(stockholm_timezone())
    for session in sessions:
        cal.add_component(session_event(session))
    return serialize(cal)


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


def serialize(component):
    """The same bytes as component.to_ical(): icalendar's content lines, folded by fold()."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)
