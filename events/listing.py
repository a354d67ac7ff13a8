"""The programme's lists of sessions: the data in three queries, and rows prepared for the list template.

The programme page lists every session of the week. Rendering a template include per session (about 30
variable lookups, six {% translate %}, date filters, two reverse() calls and a nested include each) cost about
130 ms of a 155 ms page at 300 sessions. So a list is one template with one loop over rows prepared here, and
what is the same for many items is worked out once per list: the labels (in the template, before its loop),
the start of each address, the times and the names of the days. The rows hold plain text; the template
escapes it.

That template, templates/jinja2/includes/session_items.html, is the site's one Jinja2 template (Django's
Jinja2 backend, auto-escaping on, Django's gettext as _()). The same loop in Django's template language
made /siv/ at 300 sessions 1.48 times as slow to build as the Python-built items it replaced; Jinja2, 1.09
times (CPU time per request, same run, bench/compare.py; see docs/benchmarks.md). Rows are NamedTuples
because Jinja2 looks up an attribute before a key.
"""

import datetime
import itertools
from typing import NamedTuple

from django.db.models import F
from django.template import engines
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from jinja2 import Environment

from innovationsvecka.templatetags.site import icon

from .models import Session

# The Session columns a list item shows, and uid (tests match a page's sessions to calendar events by it).
ITEM_FIELDS = (
    "title",
    "title_en",
    "slug",
    "summary",
    "summary_en",
    "start",
    "end",
    "format",
    "status",
    "cancellation_note",
    "registration_url",
    "registration_mode",
    "registration_deadline",
    "is_full",
    "uid",
)


def listed_sessions(sessions):
    """Evaluate a Session queryset for a list: just the columns an item shows, in three queries.

    The edition's year, the venue's name and the municipality come along as plain values (edition_year,
    venue_name, municipality, municipality_en; the same joins, no extra query), and each session's themes
    and organisers as (name, name_en) and (name, slug) pairs in `listed_themes` and `listed_organisers`:
    building model instances for them cost more than the rest.
    """
    sessions = list(
        sessions.only(*ITEM_FIELDS).annotate(
            edition_year=F("edition__year"),
            venue_name=F("venue__name"),
            municipality=F("venue__municipality__name"),
            municipality_en=F("venue__municipality__name_en"),
        )
    )
    if not sessions:
        return sessions
    ids = [session.pk for session in sessions]
    themes = by_session(
        Session.themes.through.objects.filter(session_id__in=ids)
        .order_by("theme__order", "theme__name")
        .values_list("session_id", "theme__name", "theme__name_en")
    )
    organisers = by_session(
        Session.organisers.through.objects.filter(session_id__in=ids)
        .order_by("organisation__name")
        .values_list("session_id", "organisation__name", "organisation__slug")
    )
    for session in sessions:
        session.listed_themes = themes.get(session.pk, [])
        session.listed_organisers = organisers.get(session.pk, [])
    return sessions


def by_session(rows):
    """{session id: [(value, value), ...]} from (session id, value, value) rows, keeping their order."""
    grouped = {}
    for session_id, *values in rows:
        grouped.setdefault(session_id, []).append(tuple(values))
    return grouped


def label(name, name_en, english):
    """As TranslatedName.label: the English name on English pages when there is one."""
    return name_en if english and name_en else name


class Day(NamedTuple):
    date: datetime.date
    sessions: list


def by_day(sessions):
    """Sessions (in start order) grouped by their local (Europe/Stockholm) start date, like {% regroup %}."""
    zone = timezone.get_current_timezone()
    grouped = itertools.groupby(sessions, key=lambda session: session.start.astimezone(zone).date())
    return [Day(date, list(group)) for date, group in grouped]


SLUG = "__slug__"


def url_maker(viewname, **kwargs):
    """reverse() once with a placeholder slug; each address is then the real slug put in its place."""
    head, tail = reverse(viewname, kwargs={**kwargs, "slug": SLUG}).split(SLUG)
    return lambda slug: head + slug + tail


class Row(NamedTuple):
    """One list item, plain text (the template escapes it)."""

    cancelled: bool
    start: str  # local ISO 8601 date-time, for <time datetime>
    start_time: str  # "HH:MM", 24-hour, Europe/Stockholm
    end: str
    end_time: str
    day: str  # the start day as "Måndag 9 november"
    url: str  # the session page's address (with the preview query for staff previews)
    pk: int  # for the star form ("Spara") and the item's anchor
    title: str
    summary: str
    cancellation_note: str
    format: str  # the format's value ("plats", "digitalt", "hybrid"), for the icon's class
    format_label: str  # and its label
    place: str | None  # "venue, municipality" for sessions held at a venue, else None
    themes: list  # [label, ...]
    organisers: list  # [(url, name), ...]
    state: str | None  # what a visitor must know about registration now, or None (see Rows.state)
    deadline_time: str | None  # "HH:MM" for the "last-today" and "last-tomorrow" states


# The registration states an item shows: only those that change what a visitor can do, and none once the
# session is over (a past week's programme is not a wall of "Anmälan har stängt").
CANCELLED, FULL, CLOSED, LAST_TODAY, LAST_TOMORROW = "cancelled", "full", "closed", "last-today", "last-tomorrow"


class Rows:
    """Turns listed sessions into the rows the list template loops over. Make one per list: what is the
    same for many items (address prefixes, day names, times, theme labels, organiser links) is worked out
    once."""

    def __init__(self, preview_query=""):
        self.query = "?" + preview_query if preview_query else ""
        self.zone = timezone.get_current_timezone()
        self.english = get_language() == "en"
        self.formats = {value: str(name) for value, name in Session.Format.choices}
        self.now = timezone.now()
        today = timezone.localdate(self.now)
        self.today, self.tomorrow = today, today + datetime.timedelta(days=1)
        self.places = {}  # (venue name, municipality, municipality_en): "venue, municipality"
        self.organiser_url = url_maker("organisers:detail")
        self.session_urls = {}  # edition year: url maker
        self.moments = {}  # datetime: (ISO 8601, "HH:MM", "måndag 9 november"), local
        self.day_names = {}  # date: "måndag 9 november"
        self.days = {}  # "måndag 9 november": "Måndag 9 november"
        self.themes = {}  # (name, name_en): label
        self.organisers = {}  # (name, slug): (url, name)

    def __call__(self, sessions):
        return [self.row(session) for session in sessions]

    def row(self, session):
        start, start_time, start_day = self.moment(session.start)
        end, end_time, _ = self.moment(session.end)
        cancelled = session.is_cancelled
        state, deadline_time = self.state(session, cancelled)
        return Row(
            cancelled=cancelled,
            start=start,
            start_time=start_time,
            end=end,
            end_time=end_time,
            day=self.days.get(start_day) or self.days.setdefault(start_day, capfirst(start_day)),
            url=self.session_url(session),
            pk=session.pk,
            title=session.title_shown,
            summary=session.summary_shown,
            cancellation_note=session.cancellation_note,
            format=session.format,
            format_label=self.formats.get(session.format, session.format),
            place=self.place(session),
            themes=[self.theme(names) for names in session.listed_themes],
            organisers=[self.organiser(names) for names in session.listed_organisers],
            state=state,
            deadline_time=deadline_time,
        )

    def state(self, session, cancelled):
        """(state, "HH:MM" or None): CANCELLED always; for a session not yet over, FULL, CLOSED, or the last
        day to register when that is today or tomorrow; otherwise None (open, or no registration needed:
        the session page says how)."""
        if cancelled:
            return CANCELLED, None
        if session.end <= self.now:
            return None, None
        if session.is_full:
            return FULL, None
        deadline = session.registration_deadline
        if not session.registration_url or deadline is None:
            return None, None
        if deadline < self.now:
            return CLOSED, None
        local = deadline.astimezone(self.zone)
        day = local.date()
        if day == self.today:
            return LAST_TODAY, f"{local:%H:%M}"
        if day == self.tomorrow:
            return LAST_TOMORROW, f"{local:%H:%M}"
        return None, None

    def moment(self, value):
        """(ISO 8601, "HH:MM", "måndag 9 november" in Django's translated names), local; once per moment."""
        if value not in self.moments:
            local = value.astimezone(self.zone)
            self.moments[value] = (local.isoformat(), f"{local:%H:%M}", self.day_name(local.date()))
        return self.moments[value]

    def day_name(self, day):
        if day not in self.day_names:
            self.day_names[day] = date_format(day, "l j F")
        return self.day_names[day]

    def session_url(self, session):
        year = session.edition_year
        if year not in self.session_urls:
            self.session_urls[year] = url_maker("events:detail", year=year)
        return self.session_urls[year](session.slug) + self.query

    def place(self, session):
        """"Venue, Municipality" (the venue's name alone when it already names the municipality)."""
        if session.municipality is None or not session.has_place:
            return None
        key = (session.venue_name, session.municipality, session.municipality_en)
        if key not in self.places:
            municipality = label(session.municipality, session.municipality_en, self.english)
            venue = session.venue_name or ""
            if municipality.casefold() in venue.casefold():
                self.places[key] = venue
            else:
                self.places[key] = f"{venue}, {municipality}" if venue else municipality
        return self.places[key]

    def theme(self, names):
        if names not in self.themes:
            self.themes[names] = label(*names, self.english)
        return self.themes[names]

    def organiser(self, name_and_slug):
        if name_and_slug not in self.organisers:
            name, slug = name_and_slug
            self.organisers[name_and_slug] = (self.organiser_url(slug), name)
        return self.organisers[name_and_slug]


ITEMS_TEMPLATE = "includes/session_items.html"  # in templates/jinja2/


def render_items(sessions, preview_query="", show_date=False, back=""):
    """The <li> items of a list of sessions from listed_sessions(), as safe HTML: the template escapes what
    it shows (Jinja2 auto-escaping), and Django's Jinja2 backend returns a plain str.

    `back` is the list's own address (the page cache's normal form, so the same for every visitor), where the
    star form ("Spara") returns to without JavaScript, at the item (#s<pk>).
    """
    template = engines["jinja2"].get_template(ITEMS_TEMPLATE)
    context = {
        "rows": Rows(preview_query)(sessions), "show_date": show_date, "back": back,
        "star_url": reverse("events:star"), "status_url": reverse("events:my_programme_status"),
    }  # fmt: skip
    return mark_safe(template.render(context))


def jinja2_environment(**options):
    """The Jinja2 environment of templates/jinja2/: Django's gettext as _() (plain text, escaped on output)."""
    environment = Environment(**options)
    environment.globals["_"] = gettext
    environment.globals["icon"] = icon  # {{ icon("digitalt") }}, as {% icon %} in Django templates
    return environment
