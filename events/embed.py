"""The programme as a compact page for actors' own websites to show in an <iframe>.

It is the one page another site may frame. Its answer carries its own Content-Security-Policy, with
settings.EMBED_FRAME_ANCESTORS as frame-ancestors, and no X-Frame-Options: as headers rather than
django-csp's per-response attributes, because the page cache stores and replays headers only (a page served
from memory or the shared cache would otherwise get the site-wide frame-ancestors 'none' and DENY again).
"""

from functools import wraps

from csp.utils import build_policy
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from organisers.models import Organisation

from . import listing
from .filters import ProgrammeFilter
from .models import Edition, Session


def frameable(view):
    """Let any https site frame this view's pages (settings.EMBED_FRAME_ANCESTORS); the rest of the policy
    stays the site's."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = build_policy(replace={"frame-ancestors": settings.EMBED_FRAME_ANCESTORS})
        return response

    return xframe_options_exempt(wrapped)


def heading(selection):
    """Whose sessions these are: the organisers picked, or the whole programme."""
    slugs = selection.cleaned["aktor"]
    if not slugs:
        return ""
    names = list(Organisation.objects.filter(slug__in=slugs).order_by("name").values_list("name", flat=True))
    return _("Programpunkter med %(names)s") % {"names": ", ".join(names)}


@require_safe
@frameable
def embed(request):
    """The current edition's sessions that the programme filter picks (e.g. ?aktor=<slug>), without the
    site's header and footer; every link opens our page in a new tab."""
    edition = Edition.objects.current()
    published = edition is not None and edition.is_published
    selection = ProgrammeFilter(request.GET, edition)
    sessions = []
    if published:
        sessions = listing.listed_sessions(selection.apply(Session.objects.public().in_edition(edition)))
    programme_url = edition.get_absolute_url() if edition else ""
    query = selection.querystring()
    context = {
        "edition": edition if published else None,
        "days": listing.by_day(sessions),
        "heading": heading(selection),
        "programme_url": programme_url + ("?" + query if query and programme_url else ""),
        "site_url": settings.SITE_URL,
    }
    return render(request, "events/embed.html", context)
