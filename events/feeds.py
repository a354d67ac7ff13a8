"""The iCalendar feeds over HTTP.

Calendar apps poll subscriptions all year, so every feed answers If-None-Match / If-Modified-Since from the
site's content version (innovationsvecka.pagecache.conditional_feed) before touching any session: a 304
costs at most one cheap query.
Bodies use settings.SITE_URL rather than the request's host, so the same data always gives the same bytes.
"""


from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innovationsvecka.pagecache import conditional_feed
from innovationsvecka.seo import site_name

from . import addresses
from .calendar import build_calendar
from .filters import ProgrammeFilter
from .models import Edition, MyProgramme, Session


def my_programme_name():
    return _("Mitt program") + f" – {site_name()}"


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


class Moved(Exception):
    def __init__(self, session):
        self.session = session


@require_safe
def session_ics(request, year, slug):
    """One session to add to a calendar once (Outlook puts it in the default calendar: no calendar name).

    An old address of a session that has moved redirects (301) to its .ics now, if a calendar may carry it."""

    def build():
        body = build_calendar(sessions=Session.objects.filter(edition__year=year, slug=slug))
        if b"BEGIN:VEVENT" not in body:  # no such session in the calendars: not worth a query of its own
            moved = None
            if not Session.objects.filter(edition__year=year, slug=slug).exists():
                moved = addresses.moved_session(year, slug)
            if moved is not None and Session.objects.in_calendars().filter(pk=moved.pk).exists():
                raise Moved(moved)
            raise Http404(_("Programpunkten finns inte."))
        return body, f"{slug}.ics", True

    try:
        return conditional_feed(request, build=build)
    except Moved as moved:
        return addresses.permanent_redirect(request, "events:session_ics", moved.session)


@require_safe
def my_programme_feed(request, token):
    """A visitor's starred sessions. The list is looked up first: an unknown token is a 404, never a 304."""
    programme = MyProgramme.objects.filter(token=token, deleted_at=None).only("pk", "updated").first()
    if programme is None:
        raise Http404(_("Det finns inget sådant program. Länken kan ha bytts ut eller raderats."))

    def build():
        return build_calendar(sessions=programme.sessions.all(), name=my_programme_name()), "mitt-program.ics", False

    return conditional_feed(
        request, extra=programme.updated.isoformat(), changed=programme.updated, private=True, build=build
    )
