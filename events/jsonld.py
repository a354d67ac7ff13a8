"""schema.org Event data for a session's page (made inert by innovationsvecka.seo.json_ld)."""

from django.utils.text import Truncator

from innovationsvecka.seo import absolute, json_ld

from .models import Session

REGION = "Södermanlands län"


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
    """schema.org Event for a session page, made inert for its <script> block."""
    return json_ld(event_data(session))


def event_data(session):
    """schema.org Event of a session (also the API's sessions.jsonld); organisers and place come from the
    already loaded relations."""
    url = absolute(session.get_absolute_url())
    locations = []
    if session.has_place and session.venue:
        locations.append(place(session.venue))
    if session.is_online:
        locations.append({"@type": "VirtualLocation", "url": session.online_url or url})
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title_shown,  # English under /en/ when staff gave one
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
    description = session.summary_shown or session.description_shown
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
    return data
