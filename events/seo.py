"""What search engines and link previews read: page metadata, alternate languages and Event JSON-LD."""

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from crispy_forms.layout import Hidden
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .models import Session

DESCRIPTION_LENGTH = 200
# The same escapes as Django's json_script: no "</script>" or "<!--" can end or change the data block.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}
REGION = "Södermanlands län"


@dataclass
class PageMeta:
    """Title and description for <title>, meta description and OpenGraph."""

    title: str = ""
    description: str = ""
    og_type: str = "website"
    noindex: bool = False

    def __post_init__(self):
        text = " ".join(strip_tags(self.description or "").split())
        self.description = Truncator(text).chars(DESCRIPTION_LENGTH)


def absolute(path):
    return settings.SITE_URL + path


def alternate_urls(request):
    """This page in each language (query string dropped), for canonical and hreflang links."""
    path = request.path
    return {code: absolute(urlsplit(translate_url(path, code)).path) for code, _name in settings.LANGUAGES}


def switch_language_url(request, code):
    """This page, with its filters, in another language."""
    return translate_url(request.get_full_path(), code)


def hidden_preview_field(name):
    return Hidden(name, "1")


def json_ld(data):
    """Inert inside <script type="application/ld+json">, whatever staff or proposers typed."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def place(venue):
    address = {"@type": "PostalAddress", "addressRegion": REGION, "addressCountry": "SE"}
    for key, value in (
        ("streetAddress", venue.street_address),
        ("postalCode", venue.postcode),
        ("addressLocality", venue.town or venue.municipality.name),
    ):
        if value:
            address[key] = value
    data = {"@type": "Place", "name": venue.name, "address": address}
    if venue.latitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return data


ATTENDANCE_MODES = {
    Session.Format.ON_SITE: "https://schema.org/OfflineEventAttendanceMode",
    Session.Format.DIGITAL: "https://schema.org/OnlineEventAttendanceMode",
    Session.Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_json_ld(session, request):
    """schema.org Event for a session page; organisers and place come from the already loaded relations."""
    url = absolute(session.get_absolute_url())
    locations = []
    if session.has_place and session.venue:
        locations.append(place(session.venue))
    if session.is_online:
        locations.append({"@type": "VirtualLocation", "url": session.online_url or url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title,
        "url": url,
        "startDate": session.local_start.isoformat(),
        "endDate": session.local_end.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if session.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES.get(session.format, ATTENDANCE_MODES[Session.Format.ON_SITE]),
        "inLanguage": {"sv": "sv", "en": "en", "sv-en": ["sv", "en"]}.get(session.language, "sv"),
        "isAccessibleForFree": not session.cost,
        "organizer": [
            {"@type": "Organization", "name": org.name, "url": absolute(org.get_absolute_url())}
            for org in session.organisers.all()
        ],
        "superEvent": {
            "@type": "EventSeries",
            "name": session.edition.title,
            "url": absolute(session.edition.get_absolute_url()),
        },
    }
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    description = session.summary or session.description
    if description:
        data["description"] = Truncator(" ".join(description.split())).chars(500)
    if session.registration_url:
        offer = {
            "@type": "Offer",
            "url": session.registration_url,
            "availability": "https://schema.org/SoldOut" if session.is_full else "https://schema.org/InStock",
        }
        if not session.cost:
            offer.update(price="0", priceCurrency="SEK")
        if session.registration_deadline:
            offer["validThrough"] = session.registration_deadline.isoformat()
        data["offers"] = offer
    if session.capacity:
        data["maximumAttendeeCapacity"] = session.capacity
    return json_ld(data)
