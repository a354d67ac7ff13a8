"""A session's address, /siv/<year>/<slug>/ (and .ics): the slugs it may not take, and the old addresses
that keep working after its slug or edition changes.

events.services.save_session, which every save path goes through (admin, import, proposals, copies),
calls address_before() and remember(). Every old address points at the session itself, never at the next
address, so a chain A → B → C redirects A straight to C. A session that lives at an address wins over an
old address row for it.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from .models import OldSessionAddress, Session

# Pages under /siv/<year>/ whose names a session must not take: the edition's calendar (kalender.ics would
# shadow the session's .ics) and the week view, map, open data, embedding and registration pages.
RESERVED_SLUGS = frozenset({"kalender", "vecka", "karta", "api", "inbaddning", "anmalan"})


def is_reserved(slug):
    return slug in RESERVED_SLUGS


def address_before(session):
    """The saved session's (edition id, slug) as the database has it, or None for a session not yet saved."""
    if session.pk is None or session._state.adding:
        return None
    return Session.objects.filter(pk=session.pk).values_list("edition_id", "slug").first()


def remember(session, before):
    """After a save: if the session left the address it had, the old address now leads to it."""
    if before is None or before == (session.edition_id, session.slug):
        return
    edition_id, slug = before
    OldSessionAddress.objects.update_or_create(edition_id=edition_id, slug=slug, defaults={"session": session})


def moved_session(year, slug):
    """The session that once lived at (year, slug) and has moved, with its edition; or None.

    Only for an address no session lives at now: callers look for the live session first.
    """
    old = (
        OldSessionAddress.objects.filter(edition__year=year, slug=slug)
        .select_related("session__edition")
        .first()
    )
    return old.session if old is not None else None


def permanent_redirect(request, view_name, session):
    """301 to the session's current page or .ics, in the request's language, with its query string."""
    url = reverse(view_name, kwargs={"year": session.edition.year, "slug": session.slug})
    query = request.META.get("QUERY_STRING", "")
    if query:
        url += "?" + iri_to_uri(query)
    return HttpResponsePermanentRedirect(url)
