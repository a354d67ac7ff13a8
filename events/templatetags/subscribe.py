"""Links that put a feed into the calendar apps people already use (templates/includes/subscribe.html)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone

from innovationsvecka.seo import absolute
from organisers.models import Organisation

from ..calendar import TZID, location
from ..feeds import my_programme_name, programme_name
from ..filters import PARAMS
from ..models import Edition, MyProgramme, Session

register = template.Library()

GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r"
GOOGLE_EVENT = "https://calendar.google.com/calendar/render"
OUTLOOK_LIVE = "https://outlook.live.com/calendar/0/addfromweb"
OUTLOOK_OFFICE = "https://outlook.office.com/calendar/0/addfromweb"
GOOGLE_DETAILS_LENGTH = 600  # Google's link gets too long for some browsers with the whole description


def filter_query(request):
    """The programme filter exactly as the visitor set it, so the feed holds what the page shows."""
    pairs = [(name, value) for name in PARAMS for value in request.GET.getlist(name) if value.strip()]
    return urlencode(pairs)


def programme_feed(request, edition):
    match = getattr(request, "resolver_match", None)
    year = match.kwargs.get("year") if match else None
    query = filter_query(request)
    if year:
        path = reverse("events:edition_feed", kwargs={"year": edition.year})
    else:
        path = reverse("events:feed")
    name = programme_name(edition=edition if year else None, filtered=bool(query))
    return path + ("?" + query if query else ""), name, bool(query)


def google_event_url(session):
    """Google's "add this event" form, prefilled. A copy: it never hears about later changes."""
    text = session.summary or ""
    page = absolute(session.get_absolute_url())
    details = (text[:GOOGLE_DETAILS_LENGTH] + "\n\n" if text else "") + page
    fmt = "%Y%m%dT%H%M%S"
    params = {
        "action": "TEMPLATE",
        "text": session.title,
        "dates": f"{timezone.localtime(session.start):{fmt}}/{timezone.localtime(session.end):{fmt}}",
        "ctz": TZID,
        "details": details,
        "location": location(session),
    }
    return GOOGLE_EVENT + "?" + urlencode(params)


OUTLOOK_LIVE_EVENT = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_OFFICE_EVENT = "https://outlook.office.com/calendar/0/deeplink/compose"


def outlook_event_url(session, base):
    """Outlook on the web's "new event" form, prefilled: like Google's, a copy that never hears of changes."""
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": session.title,
        "startdt": timezone.localtime(session.start).isoformat(),
        "enddt": timezone.localtime(session.end).isoformat(),
        "location": location(session),
        "body": ((session.summary or "") + "\n\n" + absolute(session.get_absolute_url())).strip(),
    }
    return base + "?" + urlencode(params)


@register.simple_tag
def session_calendar_links(session):
    """The session page's "Fler sätt" (templates/includes/calendar_action.html): one-off copies only. A
    subscription to one session adds a calendar per session in most apps, so there is none."""
    if not (session.is_public and session.edition.is_published):
        return None
    return {
        "session": session,
        "ics_path": reverse("events:session_ics", kwargs={"year": session.edition.year, "slug": session.slug}),
        "google_event_url": google_event_url(session),
        "outlook_live_event_url": outlook_event_url(session, OUTLOOK_LIVE_EVENT),
        "outlook_office_event_url": outlook_event_url(session, OUTLOOK_OFFICE_EVENT),
        "page_url": absolute(session.get_absolute_url()),
    }


@register.simple_tag(takes_context=True)
def calendar_links(context, target):
    """Everything subscribe.html shows for a programme (Edition), Session, Organisation or MyProgramme."""
    request = context["request"]
    links = {"session": None, "filtered": False}
    if isinstance(target, Session):
        if not (target.is_public and target.edition.is_published):
            return None  # a staff preview of a draft: nothing to subscribe to yet
        path = reverse("events:session_ics", kwargs={"year": target.edition.year, "slug": target.slug})
        name = target.title
        links.update(
            session=target,
            ics_path=path,
            google_event_url=google_event_url(target),
        )
    elif isinstance(target, Organisation):
        path = reverse("organisers:feed", kwargs={"slug": target.slug})
        name = target.calendar_name
    elif isinstance(target, MyProgramme):
        path = reverse("events:my_programme_feed", kwargs={"token": target.token})
        name = my_programme_name()
    elif isinstance(target, Edition):
        path, name, links["filtered"] = programme_feed(request, target)
    else:
        raise template.TemplateSyntaxError("calendar_links needs an Edition, Session, Organisation or MyProgramme")
    feed_url = absolute(path)
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    links.update(
        name=name,
        feed_url=feed_url,
        webcal_url=webcal_url,
        google_url=GOOGLE_SUBSCRIBE + "?" + urlencode({"cid": webcal_url}),
        outlook_live_url=OUTLOOK_LIVE + "?" + urlencode({"url": feed_url, "name": name}),
        outlook_office_url=OUTLOOK_OFFICE + "?" + urlencode({"url": feed_url, "name": name}),
    )
    return links
