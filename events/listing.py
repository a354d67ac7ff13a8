"""The programme's list items: one <li> per session with its time, title, place, themes and registration state.

The programme page lists every session of the week, hundreds of them, so the items are built in Python rather
than by a template per item (docs/benchmarks.md has the figures). Everything that is the same for every item
(labels, registration texts, day and month names, the start of each address) is worked out once per list, so
an item is a handful of escaped strings joined together.

tests/test_programme_listing.py keeps the same markup as a Django template, the reference, and compares the
two in Swedish and English. Change both together.
"""

import datetime
import itertools
from html import escape
from typing import NamedTuple

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext

from .models import Session

# The Session columns a list item shows, and uid (tests match a page's sessions to calendar events by it).
ITEM_FIELDS = (
    "title",
    "slug",
    "summary",
    "start",
    "end",
    "format",
    "status",
    "cancellation_note",
    "registration_url",
    "registration_deadline",
    "is_full",
    "uid",
)


def listed_sessions(sessions):
    """Evaluate a Session queryset for a list: just the columns an item shows, in three queries.

    The edition's year and the municipality come along as plain values (edition_year, municipality,
    municipality_en), and each session's themes and organisers as (name, name_en) and (name, slug) pairs
    in `listed_themes` and `listed_organisers`: building model instances for them cost more than the rest.
    """
    sessions = list(
        sessions.only(*ITEM_FIELDS).annotate(
            edition_year=F("edition__year"),
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
    return lambda slug: head + escape(slug) + tail


class ItemRenderer:
    """Renders list items. Make one per list: what is the same for every item is worked out here, once."""

    def __init__(self, preview_query="", show_date=False):
        self.query = "?" + escape(preview_query) if preview_query else ""
        self.show_date = show_date
        self.zone = timezone.get_current_timezone()
        self.english = get_language() == "en"
        self.cancelled = escape(gettext("Inställt"))
        self.labels = {
            name: escape(gettext(msgid))
            for name, msgid in [
                ("form", "Form"),
                ("place", "Kommun"),
                ("theme", "Tema"),
                ("organiser", "Arrangör"),
                ("registration", "Anmälan"),
            ]
        }
        self.formats = {value: escape(str(label)) for value, label in Session.Format.choices}
        self.registration = {
            "cancelled": escape(gettext("Ingen anmälan, programpunkten är inställd")),
            "full": escape(gettext("Fullbokat")),
            "none": escape(gettext("Ingen anmälan behövs")),
            "closed": escape(gettext("Anmälan har stängt")),
            "open": escape(gettext("Anmälan öppen")),
        }
        self.open_until = gettext("Anmälan öppen till %(date)s kl. %(time)s")
        self.organiser_url = url_maker("organisers:detail")
        self.session_urls = {}  # edition year: url maker
        self.day_names = {}  # date: "måndag 9 november", escaped
        self.themes = {}  # (name, name_en): label, escaped
        self.organisers = {}  # (name, slug): link

    def render_all(self, sessions):
        return SafeString("".join([self.render(session) for session in sessions]))

    def render(self, session):
        start = session.start.astimezone(self.zone)
        end = session.end.astimezone(self.zone)
        date = f' <span class="date">{capfirst(self.day_name(start))}</span>' if self.show_date else ""
        cancelled = ""
        if session.is_cancelled:
            note = f": {escape(session.cancellation_note)}" if session.cancellation_note else ""
            cancelled = f'<p class="status-cancelled"><strong>{self.cancelled}</strong>{note}</p>'
        summary = f'<p class="summary">{escape(session.summary)}</p>' if session.summary else ""
        labels = self.labels
        place = self.place(session)
        if place is not None:
            place = f"<div><dt>{labels['place']}</dt><dd>{place}</dd></div>"
        themes = ", ".join([self.theme(theme) for theme in session.listed_themes])
        if themes:
            themes = f"<div><dt>{labels['theme']}</dt><dd>{themes}</dd></div>"
        organisers = ", ".join([self.organiser(org) for org in session.listed_organisers])
        if organisers:
            organisers = f"<div><dt>{labels['organiser']}</dt><dd>{organisers}</dd></div>"
        state = session.registration_state
        return (
            f'<li class="session{" cancelled" if session.is_cancelled else ""}">\n'
            f'  <p class="time"><time datetime="{start.isoformat()}">{start:%H:%M}</time>–'
            f'<time datetime="{end.isoformat()}">{end:%H:%M}</time>{date}</p>\n'
            f'  <h3><a href="{self.session_url(session)}{self.query}">{escape(session.title)}</a></h3>\n'
            f"  {cancelled}\n"
            f"  {summary}\n"
            '  <dl class="facts">\n'
            f"    <div><dt>{labels['form']}</dt><dd>{self.format(session)}</dd></div>\n"
            f"    {place or ''}\n"
            f"    {themes}\n"
            f"    {organisers}\n"
            f"    <div><dt>{labels['registration']}</dt>"
            f'<dd class="registration registration-{state}">{self.registration_text(session, state)}</dd></div>\n'
            "  </dl>\n"
            "</li>\n"
        )

    def day_name(self, moment):
        """The date as "måndag 9 november" in Django's translated names, escaped; worked out once per date."""
        day = moment.date()
        if day not in self.day_names:
            self.day_names[day] = escape(date_format(day, "l j F"))
        return self.day_names[day]

    def session_url(self, session):
        year = session.edition_year
        if year not in self.session_urls:
            self.session_urls[year] = url_maker("events:detail", year=year)
        return self.session_urls[year](session.slug)

    def format(self, session):
        return self.formats.get(session.format) or escape(session.format)

    def place(self, session):
        """The municipality's label for sessions held at a venue, else None."""
        if session.municipality is None or not session.has_place:
            return None
        return escape(label(session.municipality, session.municipality_en, self.english))

    def theme(self, names):
        if names not in self.themes:
            self.themes[names] = escape(label(*names, self.english))
        return self.themes[names]

    def organiser(self, name_and_slug):
        if name_and_slug not in self.organisers:
            name, slug = name_and_slug
            self.organisers[name_and_slug] = f'<a href="{self.organiser_url(slug)}">{escape(name)}</a>'
        return self.organisers[name_and_slug]

    def registration_text(self, session, state):
        """As includes/registration_state.html says it (the session page still uses that template)."""
        if session.is_cancelled:
            return self.registration["cancelled"]
        if state == "open" and session.registration_deadline:
            deadline = session.registration_deadline.astimezone(self.zone)
            return self.open_until % {"date": self.day_name(deadline), "time": f"{deadline:%H:%M}"}
        return self.registration[state]
