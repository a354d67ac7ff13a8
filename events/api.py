"""The read-only open data API: the programme, the actors and the editions as JSON (and schema.org JSON-LD).

Sessions take exactly the programme page's filter parameters (events.filters.ProgrammeFilter), so a filtered
page, feed and JSON hold the same sessions; like the calendar feeds, the JSON also carries cancelled sessions
and withdrawn ones (published once, then taken back), so aggregators learn that they are off.

The data is released under CC0. Contact persons are personal data and must not be under that licence, so
nothing here reads organisers.Contact: an organisation appears with its own general address only.

Every answer is conditional like the feeds: the ETag comes from the content version (one cache read, one
query at most when the cache has lost it) before anything is built.
The page cache (innovationsvecka.pagecache.PAGES) stores
the bodies, and its lifetime, like the pages', lets time-dependent values (a registration closing) refresh.
"""

import datetime
import functools
import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, Sum, Value, When
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innovationsvecka.content import state
from innovationsvecka.pagecache import PAGES, clock, feed_headers
from innovationsvecka.seo import PageMeta, absolute
from organisers.filters import DirectoryFilter
from organisers.models import Organisation

from .calendar import UID_DOMAIN, as_text, event_rows
from .filters import PARAMS, ProgrammeFilter
from .fragments import cached_items
from .jsonld import event_data
from .listing import url_maker
from .models import Edition, Session

API_FORMAT = "1"  # raise when the bodies change for the same data, so clients' copies are replaced
CHANGED_SINCE = "andrad_efter"
# The parameters that make one answer differ from another (the normalised cache-key parameters); anything else in
# a query string is ignored, and their order does not matter.
SESSION_PARAMS = (*PARAMS, CHANGED_SINCE)
DIRECTORY_PARAMS = DirectoryFilter.PARAMETERS
LICENCE = {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
JSON = "application/json"
JSON_LD = "application/ld+json"


class BadRequest(Exception):
    """A parameter the API cannot read; answered as a 400 with a JSON body that says what is wrong."""


def changed_since(request):
    """The `andrad_efter` moment, aware; a time without an offset is Swedish time. None when not given."""
    values = [value.strip() for value in request.GET.getlist(CHANGED_SINCE) if value.strip()]
    if not values:
        return None
    value = values[0]
    try:
        moment = datetime.datetime.fromisoformat(value) if len(value) >= 10 else None
    except ValueError:
        moment = None
    if moment is None or len(values) > 1:
        raise BadRequest(changed_since_problem())
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(datetime.UTC)  # as the database will compare it
    except (OverflowError, ValueError) as problem:
        raise BadRequest(changed_since_problem()) from problem
    return moment


def changed_since_problem():
    problem = _("Ange %(name)s en gång, som en ISO 8601-tid, till exempel 2026-11-01T12:00:00+01:00.")
    return problem % {"name": CHANGED_SINCE}


def json_bytes(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()


def error(status, message):
    response = HttpResponse(json_bytes({"error": message}), status=status, content_type=JSON)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-store"
    return response


def normalised_query(request, params):
    """The query string cut down to the parameters that change the answer, in a fixed order."""
    pairs = sorted((name, value.strip()) for name in params for value in request.GET.getlist(name) if value.strip())
    return urlencode(pairs)


def conditional_api(request, *, build, params=(), content_type=JSON):
    """Answer 304 when the client's copy is current, else build() -> data, as JSON.

    The ETag holds the content version, the path, the normalised query (`params` only, sorted), the language and
    a time bucket of the page cache's lifetime for this route, so time-dependent values (registration closed)
    refresh as on the pages.
    """
    version, last_modified = getattr(request, "_siv_state", None) or state()
    page = PAGES.get(request.resolver_match.view_name)
    lifetime = page.lifetime if page is not None and page.lifetime else 0
    bucket = str(int(clock() // lifetime)) if lifetime else ""
    year = str(timezone.localdate().year)  # the current edition can change with it
    query = normalised_query(request, params)
    key = "|".join([API_FORMAT, version, request.path, query, get_language(), year, bucket])
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    timestamp = int(last_modified.timestamp())
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return feed_headers(not_modified, etag=etag, last_modified=timestamp, max_age=lifetime or 600)
    try:
        data = build()
    except BadRequest as problem:
        return error(400, str(problem))
    if data is None:
        return error(404, _("Det finns ingen sådan upplaga."))
    body = data if isinstance(data, bytes) else json_bytes(data)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    return feed_headers(response, etag=etag, last_modified=timestamp, max_age=lifetime or 600)


# ---- sessions ----


def changed_after(moment):
    """Sessions with any change a calendar event would show after `moment`: the session itself (its status
    too, so withdrawn and cancelled ones are included), its venue, its themes or its organisers."""
    themes = Session.themes.through.objects.filter(session=OuterRef("pk"), theme__updated__gt=moment)
    organisers = Session.organisers.through.objects.filter(
        session=OuterRef("pk"), organisation__updated__gt=moment
    )
    return Q(updated__gt=moment) | Q(venue__updated__gt=moment) | Exists(themes) | Exists(organisers)


# The columns a session's JSON shows, read as plain values: model instances for 300 sessions and their venues,
# municipalities, themes, audiences and organisers were most of the build time.
SESSION_COLUMNS = (
    "pk", "uid", "sequence", "status", "first_published", "cancellation_note", "edition__year", "title", "slug",
    "summary", "description", "title_en", "summary_en", "description_en", "start", "end", "format", "language",
    "online_url", "online_note", "registration_mode",
    "registration_url", "registration_deadline", "capacity", "is_full", "cost", "updated", "venue_id",
    "venue__name", "venue__street_address", "venue__postcode", "venue__town", "venue__latitude",
    "venue__longitude", "venue__updated", "venue__municipality__slug", "venue__municipality__name",
    "venue__municipality__name_en",
)  # fmt: skip
THEME_COLUMNS = ("slug", "name", "name_en", "updated")
AUDIENCE_COLUMNS = ("slug", "name", "name_en")
ORGANISER_COLUMNS = ("slug", "name", "website", "email", "updated")
WITHDRAWN_STATUSES = (Session.Status.DRAFT, Session.Status.PROPOSED)


def api_sessions(queryset):
    """The sessions the feeds carry, in the feeds' order, as value dicts with `themes`, `audiences` and
    `organisers` lists of value tuples: four queries."""
    sessions = queryset.in_calendars().order_by("start", "end", "title", "pk")
    rows = list(sessions.values(*SESSION_COLUMNS))
    if not rows:
        return rows
    chosen = sessions.values("pk")
    related = {
        "themes": (Session.themes.through, "theme", ("theme__order", "theme__name"), THEME_COLUMNS),
        "audiences": (Session.audiences.through, "audience", ("audience__order", "audience__name"), AUDIENCE_COLUMNS),
        "organisers": (Session.organisers.through, "organisation", ("organisation__name",), ORGANISER_COLUMNS),
    }
    for key, (through, name, order, columns) in related.items():
        grouped = {}
        links = through.objects.filter(session__in=chosen).order_by(*order, "pk")
        for session_id, *values in links.values_list("session_id", *(f"{name}__{c}" for c in columns)):
            grouped.setdefault(session_id, []).append(tuple(values))
        for row in rows:
            row[key] = grouped.get(row["pk"], [])
    return rows


def status(row):
    """As the feeds show it: withdrawn is events.calendar.is_withdrawn (taken back after publication)."""
    if row["status"] in WITHDRAWN_STATUSES and row["first_published"] is not None:
        return "withdrawn"
    return "cancelled" if row["status"] == Session.Status.CANCELLED else "scheduled"


def last_change(row):
    """When anything shown of the session last changed (as its calendar event's LAST-MODIFIED): the session,
    its venue, themes or organisers."""
    moments = [row["updated"]]
    if row["venue__updated"] is not None:
        moments.append(row["venue__updated"])
    moments += [values[-1] for values in (*row["themes"], *row["organisers"])]
    return max(moments)


def named(item):
    return {"slug": item.slug, "name": item.name, "name_en": item.name_en or None}


def named_values(slug, name, name_en, *_updated):
    return {"slug": slug, "name": name, "name_en": name_en or None}


class Addresses:
    """Absolute addresses of session and organiser pages, reversing once per edition (not once per item)."""

    def __init__(self):
        self.makers = {}
        self.organisations = {}

    def __call__(self, viewname, slug, **kwargs):
        key = (viewname, *kwargs.values())
        if key not in self.makers:
            self.makers[key] = url_maker(viewname, **kwargs)
        return absolute(self.makers[key](slug))

    def organisation(self, values):
        """An organiser as a session shows it; the same few organisers recur, so each is made once."""
        if values not in self.organisations:
            slug, name, website, email, _updated = values
            self.organisations[values] = {
                "slug": slug,
                "name": name,
                "url": self("organisers:detail", slug),
                "website": website or None,
                "email": email or None,
            }
        return self.organisations[values]


HAS_PLACE = (Session.Format.ON_SITE, Session.Format.HYBRID)
IS_ONLINE = (Session.Format.DIGITAL, Session.Format.HYBRID)


def venue_data(row):
    if row["venue_id"] is None or row["format"] not in HAS_PLACE:
        return None
    latitude, longitude = row["venue__latitude"], row["venue__longitude"]
    return {
        "name": row["venue__name"],
        "street_address": row["venue__street_address"] or None,
        "postcode": row["venue__postcode"] or None,
        "town": row["venue__town"] or None,
        "municipality": named_values(
            row["venue__municipality__slug"], row["venue__municipality__name"], row["venue__municipality__name_en"]
        ),
        "latitude": float(latitude) if latitude is not None else None,
        "longitude": float(longitude) if longitude is not None else None,
    }




class Moments:
    """ISO 8601 in Swedish time, worked out once per distinct moment (many sessions share their times)."""

    def __init__(self):
        self.zone = timezone.get_current_timezone()
        self.seen = {}

    def __call__(self, moment):
        if moment is None:
            return None
        if moment not in self.seen:
            self.seen[moment] = moment.astimezone(self.zone).isoformat()
        return self.seen[moment]


def in_language(row, name):
    """The English text under /en/ when staff gave one (title_en …), else the Swedish."""
    return (row[f"{name}_en"] or row[name]) if get_language() == "en" else row[name]


def session_data(row, addresses, moments, now):
    shown_status = status(row)
    online = None
    if row["format"] in IS_ONLINE:
        online = {"url": row["online_url"] or None, "note": row["online_note"] or None}
    year = row["edition__year"]
    return {
        "id": f"{row['uid']}@{UID_DOMAIN}",
        "sequence": row["sequence"],
        "status": shown_status,
        "cancellation_note": (row["cancellation_note"] or None) if shown_status == "cancelled" else None,
        "edition": year,
        "title": in_language(row, "title"),
        "url": addresses("events:detail", row["slug"], year=year),
        "summary": in_language(row, "summary") or None,
        "description": in_language(row, "description") or None,
        "start": moments(row["start"]),
        "end": moments(row["end"]),
        "format": row["format"],
        "language": row["language"],
        "venue": venue_data(row),
        "online": online,
        "themes": [named_values(*values) for values in row["themes"]],
        "audiences": [named_values(*values) for values in row["audiences"]],
        "organisers": [addresses.organisation(values) for values in row["organisers"]],
        "registration": {
            "state": registration_state(row, shown_status, now),
            "url": (addresses("events:register", row["slug"], year=year) if row["registration_mode"] == "here"
                    else row["registration_url"] or None),
            "deadline": moments(row["registration_deadline"]),
            "capacity": row["capacity"],
        },
        "cost": row["cost"] or None,
        "updated": moments(last_change(row)),
    }


def registration_state(row, shown_status, now):
    """As Session.registration_state, against one `now` for the whole answer; 'cancelled' when it is off."""
    if shown_status != "scheduled":
        return "cancelled"
    if row["is_full"]:
        return "full"
    if row["registration_mode"] == "here":  # places left are never shown here: the form counts them live
        closes = row["registration_deadline"] or row["start"]
        return "closed" if closes < now else "open"
    if row["registration_mode"] == "none" or not row["registration_url"]:
        return "none"
    if row["registration_deadline"] and row["registration_deadline"] < now:
        return "closed"
    return "open"


def edition_for(year):
    """The edition asked for, or the current one (None when there is no such edition)."""
    if year is None:
        return Edition.objects.current()
    return Edition.objects.filter(year=year).first()


def selected_sessions(request, edition, queryset):
    """The edition's sessions that the programme filter and `andrad_efter` pick, and the filter."""
    moment = changed_since(request)
    selection = ProgrammeFilter(request.GET, edition)
    sessions = selection.apply(queryset.in_edition(edition))
    if moment is not None:
        sessions = sessions.filter(changed_after(moment))
    return sessions, selection, moment


def item_rows(selection, now):
    """For each session of an answer, in the answer's order: its pk and what its item's cache key is made of.

    The calendar event's key (events.calendar.event_rows: the session's, venue's, themes' and organisers'
    `updated`, number and ids), and in a second query what only the JSON shows: the audiences, the venue's
    municipality and whether the registration deadline has passed at `now` (the one time-dependent value of an
    item). Two queries rather than one: a single query joining themes, audiences and organisers at once
    multiplies the rows it aggregates and cost three times as much.
    """
    extra = {
        pk: rest
        for pk, *rest in Session.objects.filter(pk__in=selection.in_calendars().values("pk"))
        .values("pk")
        .annotate(
            municipality_changed=as_text("venue__municipality__updated"),
            closed=Case(When(registration_deadline__lt=now, then=Value(1)), default=Value(0)),
            audiences_changed=as_text(Max("audiences__updated")), audiences_count=Count("audiences", distinct=True),
            audiences_sum=Sum("audiences__pk", distinct=True),
        )
        .values_list("pk", "municipality_changed", "closed", "audiences_changed", "audiences_count", "audiences_sum")
    }  # fmt: skip
    return [(*row, *extra.get(row[0], ())) for row in event_rows(selection)]


def session_items(sessions, now):
    """The JSON of each session in `sessions`, in order, one cached item each (events.fragments)."""
    part = "|".join([API_FORMAT, settings.SITE_URL, get_language()])
    keys = {}
    for row in item_rows(sessions, now):
        digest = hashlib.sha256("|".join(map(str, (part, *row))).encode()).hexdigest()[:32]
        keys[row[0]] = f"api-session:{row[0]}:{digest}"

    def build(missing):
        addresses, moments = Addresses(), Moments()
        rows = api_sessions(Session.objects.filter(pk__in=missing))
        return {row["pk"]: json_bytes(session_data(row, addresses, moments, now)) for row in rows}

    return cached_items(keys, build)


def sessions_document(request, year=None):
    """The answer's bytes: the document's head, then the sessions' cached items joined into its last member."""
    edition = edition_for(year)
    if edition is None:
        changed_since(request)  # a malformed parameter is still the client's first problem
        return None
    sessions, selection, moment = selected_sessions(request, edition, Session.objects.all())
    items = session_items(sessions, timezone.now())
    head = {
        "licence": LICENCE,
        "edition": edition.year,
        "filters": {name: selection.cleaned[name] for name in PARAMS if selection.cleaned[name]},
        "ignored": selection.ignored,
        "changed_since": moment.isoformat() if moment else None,
        "count": len(items),
    }
    return json_bytes(head)[:-1] + b',"sessions":[' + b",".join(items) + b"]}"


@require_safe
def sessions(request, year=None):
    return conditional_api(request, build=lambda: sessions_document(request, year), params=SESSION_PARAMS)


def sessions_json_ld(request, year=None):
    """schema.org Events of the public programme (published and cancelled sessions), as pages carry them."""
    edition = edition_for(year)
    if edition is None:
        changed_since(request)
        return None
    sessions, _selection, _moment = selected_sessions(request, edition, Session.objects.public())
    if not edition.is_published:
        sessions = sessions.none()
    sessions = sessions.select_related("edition", "venue__municipality").prefetch_related(
        Prefetch("organisers", Organisation.objects.order_by("name"))
    )
    events = []
    for session in sessions.order_by("start", "end", "title", "pk"):
        data = event_data(session)
        del data["@context"]
        data["@id"] = data["url"]
        events.append(data)
    return {"@context": "https://schema.org", "@graph": events}


@require_safe
def sessions_jsonld(request, year=None):
    build = functools.partial(sessions_json_ld, request, year)
    return conditional_api(request, build=build, params=SESSION_PARAMS, content_type=JSON_LD)


# ---- organisations and editions ----


def organisation_data(org, addresses):
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "url": addresses("organisers:detail", org.slug),
        "help_text": org.help_text or None,
        "website": org.website or None,
        "email": org.email or None,
        "phone": org.phone or None,
        "logo": absolute(org.logo_url) if org.logo else None,
        "support_types": [named(item) for item in org.support_types.all()],
        "municipalities": [named(item) for item in org.municipalities.all()],
        "sessions_in_current_edition": org.session_count,
        "updated": timezone.localtime(org.updated).isoformat(),
    }


def organisations_document(request):
    edition = Edition.objects.current()
    selection = DirectoryFilter(request.GET)
    organisations = Organisation.objects.for_directory(
        edition=edition,
        support_slugs=selection.support_slugs,
        municipality_slugs=selection.municipality_slugs,
    )
    addresses = Addresses()
    items = [organisation_data(org, addresses) for org in organisations]
    filters = {"stod": selection.support_slugs, "kommun": selection.municipality_slugs}
    return {
        "licence": LICENCE,
        "filters": {name: values for name, values in filters.items() if values},
        "ignored": selection.ignored,
        "count": len(items),
        "organisations": items,
    }


@require_safe
def organisations(request):
    return conditional_api(request, build=lambda: organisations_document(request), params=DIRECTORY_PARAMS)


def editions_document(request):
    public = Q(sessions__status__in=[Session.Status.PUBLISHED, Session.Status.CANCELLED])
    editions = Edition.objects.published().annotate(session_count=Count("sessions", filter=public))
    current = Edition.objects.current()
    items = [
        {
            "year": edition.year,
            "title": edition.title,
            "start_date": edition.start_date.isoformat(),
            "end_date": edition.end_date.isoformat(),
            "is_current": current is not None and edition.pk == current.pk,
            "url": absolute(edition.get_absolute_url()),
            "sessions": absolute(reverse("events:api_edition_sessions", kwargs={"year": edition.year})),
            "calendar": absolute(reverse("events:edition_feed", kwargs={"year": edition.year})),
            "session_count": edition.session_count,
        }
        for edition in editions.order_by("-year")
    ]
    return {"licence": LICENCE, "count": len(items), "editions": items}


@require_safe
def editions(request):
    return conditional_api(request, build=lambda: editions_document(request))


# ---- the human page ----


def open_data(request):
    """/siv/oppna-data/: the API, its licence and the feeds explained, for developers and aggregators."""
    meta = PageMeta(
        title=_("Öppna data"),
        description=_("Programmet för Sörmlands innovationsvecka som öppna data: API, flöden och licens."),
    )
    return render(request, "events/open_data.html", {"meta": meta, "licence": LICENCE})
