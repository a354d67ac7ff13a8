"""The iCalendar feeds over HTTP.

Calendar apps poll subscriptions all year, so every feed answers If-None-Match / If-Modified-Since from the
site's content version (events.caching) before touching any session: a 304 costs at most one cheap query.
Bodies use settings.SITE_URL rather than the request's host, so the same data always gives the same bytes.
"""

import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from organisers.models import Organisation

from . import caching
from .calendar import build_calendar
from .filters import ProgrammeFilter
from .models import Edition, MyProgramme, Session

# Raise when the feeds' bytes change for the same data, so clients' cached copies are replaced.
FEED_FORMAT = "1"
MAX_AGE = 600
MY_PROGRAMME_MAX_AGE = 60


def site_name():
    return _("Sörmlands innovationsvecka")


def feed_headers(response, *, etag, last_modified, max_age=MAX_AGE, private=False):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"{'private' if private else 'public'}, max-age={max_age}"
    response["X-Robots-Tag"] = "noindex"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def conditional_feed(request, *, extra="", changed=None, private=False, build):
    """Answer 304 if the client's copy is current, else call build() -> (body, filename, is_download).

    The validators come from the content version (changes with any staff save), the path with its query
    string and language, the year (the current edition can change with it) and `extra` for data that staff
    saves don't cover (a visitor's own list).
    """
    version = caching.content_version()
    last_modified = caching.content_last_modified()
    if changed is not None and changed > last_modified:
        last_modified = changed
    year = str(timezone.localdate().year)
    key = "|".join([FEED_FORMAT, version, request.get_full_path(), get_language(), year, extra])
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    timestamp = int(last_modified.timestamp())
    max_age = MY_PROGRAMME_MAX_AGE if private else MAX_AGE
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return feed_headers(not_modified, etag=etag, last_modified=timestamp, max_age=max_age, private=private)
    body, filename, is_download = build()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if is_download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return feed_headers(response, etag=etag, last_modified=timestamp, max_age=max_age, private=private)


def my_programme_name():
    return _("Mitt program") + f" – {site_name()}"


def organiser_name(organisation):
    return f"{organisation.name} – {site_name()}"


def programme_name(*, edition=None, filtered=False):
    name = f"{site_name()} {edition.year}" if edition else site_name()
    return _("%(name)s (urval)") % {"name": name} if filtered else name


@require_safe
def programme_feed(request, year=None):
    """The whole programme or the part the filter picks: one edition, or the current and upcoming ones."""

    def build():
        if year is not None:
            edition = get_object_or_404(Edition, year=year)
            sessions = Session.objects.in_edition(edition)
        else:
            edition = None
            current = Edition.objects.current()
            sessions = Session.objects.filter(edition__year__gte=current.year) if current else Session.objects.none()
        selection = ProgrammeFilter(request.GET, edition)
        sessions = selection.apply(sessions)
        name = programme_name(edition=edition, filtered=selection.is_filtered)
        description = _("Programmet för Sörmlands innovationsvecka")
        body = build_calendar(sessions=sessions, name=name, description=description)
        return body, "kalender.ics", False

    return conditional_feed(request, build=build)


@require_safe
def session_ics(request, year, slug):
    """One session to add to a calendar once (Outlook puts it in the default calendar: no calendar name)."""

    def build():
        body = build_calendar(sessions=Session.objects.filter(edition__year=year, slug=slug))
        if b"BEGIN:VEVENT" not in body:  # no such session in the calendars: not worth a query of its own
            raise Http404(_("Programpunkten finns inte."))
        return body, f"{slug}.ics", True

    return conditional_feed(request, build=build)


@require_safe
def organiser_feed(request, slug):
    def build():
        organisation = get_object_or_404(Organisation, slug=slug)
        sessions = Session.objects.filter(organisers=organisation)
        return build_calendar(sessions=sessions, name=organiser_name(organisation)), f"{slug}.ics", False

    return conditional_feed(request, build=build)


@require_safe
def my_programme_feed(request, token):
    """A visitor's starred sessions. The list is looked up first: an unknown token is a 404, never a 304."""
    programme = MyProgramme.objects.filter(token=token).only("pk", "updated").first()
    if programme is None:
        raise Http404(_("Det finns inget sådant program. Länken kan ha bytts ut eller raderats."))

    def build():
        return build_calendar(sessions=programme.sessions.all(), name=my_programme_name()), "mitt-program.ics", False

    return conditional_feed(
        request, extra=programme.updated.isoformat(), changed=programme.updated, private=True, build=build
    )
