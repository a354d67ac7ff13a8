"""Conditional GET and the page cache for the public pages, built on the content version (innovationsvecka.content).

The caching contract, which every public page, feed and export follows:

- **Key.** A cached page is keyed by its view, the view's URL arguments, the language, the view's known
  parameters in a normal form and, for pages with time-dependent text, a time bucket (PAGES). Parameters a
  view does not know (utm_source, fbclid, anything made up) are dropped before the view runs, and the known
  ones are put in one order, so every variant of a link shares one entry. Since the view only ever sees the
  normal form, nothing a cached page echoes from its URL (the star form's `next`, "ignored value" notes)
  can carry one visitor's junk to everyone.
- **Bound.** A view with parameters stores at most MAX_STORED_PER_VIEW new entries per time window (its
  lifetime, or a day for feeds); past that its pages are built and served but not stored. Entries expire
  after their window, the database cache also culls above its MAX_ENTRIES, and each process's own copy of
  pages (PageMemory) is an LRU bounded in bytes.
- **Same for everyone.** Cached public pages are the same for every visitor. Per-visitor bits (the starred
  state, "Mitt program (3)", a registration's state) reach them from one small uncached request or from the
  page after a POST redirect. Only a real staff sign-in bypasses the cache: a signed marker cookie that the
  site sets when staff sign in (StaffMarkerMiddleware), so a made-up session cookie or `?forhandsvisning=1`
  gets the shared page.
- **Cost.** Each entry records the content version it was built from. The version and the entry are read in
  one cache call, so a 304 or a cache hit costs at most one query (with the database cache) and none with
  Redis or locmem.
"""

import gzip
import hashlib
import math
import re
import threading
import time
from typing import NamedTuple
from urllib.parse import urlencode

from cachetools import LRUCache
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from . import content

PROGRAMME_PARAMS = ("dag", "tema", "format", "kommun", "aktor", "malgrupp", "sprak", "q")
DIRECTORY_PARAMS = ("stod", "kommun")


class Page(NamedTuple):
    """How long a cached page may live even without edits, and the query parameters its view reads.

    Pages show time-dependent things (registration closed, "pågår nu"), so a page is rebuilt at least every
    `lifetime` seconds. Feeds (None) depend on content alone.
    """

    lifetime: int | None
    params: tuple = ()
    cors: bool = False  # open data: every answer, a 304 too, may be read from any site


PAGES = {
    "events:programme": Page(300, PROGRAMME_PARAMS),
    "events:edition": Page(300, PROGRAMME_PARAMS),
    "events:week": Page(300, PROGRAMME_PARAMS),
    "events:edition_week": Page(300, PROGRAMME_PARAMS),
    "events:map": Page(300, PROGRAMME_PARAMS),
    "events:edition_map": Page(300, PROGRAMME_PARAMS),
    "events:detail": Page(300),
    "events:archive": Page(300),
    "events:about": Page(300),
    "events:accessibility": Page(300),
    "privacy": Page(300),
    "events:now": Page(60),
    "organisers:directory": Page(300, DIRECTORY_PARAMS),
    "organisers:detail": Page(300),
    "events:feed": Page(None, PROGRAMME_PARAMS),
    "events:edition_feed": Page(None, PROGRAMME_PARAMS),
    "events:session_ics": Page(None),
    "events:save_the_date": Page(None),
    "organisers:feed": Page(None),
    "organisers:vcard": Page(None),
    "events:open_data": Page(300),
    "events:embed": Page(300, PROGRAMME_PARAMS),
    "events:news": Page(300),
    "events:api_sessions": Page(300, (*PROGRAMME_PARAMS, "andrad_efter"), cors=True),
    "events:api_edition_sessions": Page(300, (*PROGRAMME_PARAMS, "andrad_efter"), cors=True),
    "events:api_sessions_jsonld": Page(300, (*PROGRAMME_PARAMS, "andrad_efter"), cors=True),
    "events:api_edition_sessions_jsonld": Page(300, (*PROGRAMME_PARAMS, "andrad_efter"), cors=True),
    "events:api_organisations": Page(300, DIRECTORY_PARAMS, cors=True),
    "events:api_editions": Page(300, cors=True),
    "events:api_openapi": Page(None, cors=True),
}
KNOWN_PARAMS = sorted({name for page in PAGES.values() for name in page.params})
FEED_LIFETIME = 24 * 60 * 60
MAX_STORED_PER_VIEW = 50  # a programme page at 300 sessions is ~400 KB: 50 of them ~20 MB per window
MAX_VALUES = 50  # per parameter, as events.filters accepts
MAX_VALUE_LENGTH = 200
STAFF_COOKIE = "siv_staff"
STAFF_SALT = "innovationsvecka.pagecache.staff"
# Raise when the feeds' bytes change for the same data, so clients' cached copies are replaced.
FEED_FORMAT = "1"
FEED_MAX_AGE = 600
PRIVATE_FEED_MAX_AGE = 60
# A 304 carries the stored headers except those that describe a body it does not have.
BODY_HEADERS = {"content-type", "content-length", "content-disposition", "content-encoding"}
# Stored pages are kept gzip-compressed (store()); level 6 costs ~2 ms for a 300-session feed, and a tenth of it
# to send and to store.
GZIP_LEVEL = 6
# Part of every key: raise when what store() keeps changes shape, so entries an older release stored are not read.
STORE_FORMAT = "gzip-1"
ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)")


def clock():
    """Seconds since the epoch; tests replace it to stand on either side of a time bucket's edge."""
    return time.time()


def page_of(request):
    match = getattr(request, "resolver_match", None)
    return PAGES.get(match.view_name) if match is not None else None


def is_staff_marked(request):
    """True if the browser carries the marker this site set at a staff sign-in (forging it needs SECRET_KEY)."""
    value = request.COOKIES.get(STAFF_COOKIE)
    if not value:
        return False
    try:
        signing.get_cookie_signer(salt=STAFF_SALT).unsign(value, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:
        return False
    return True


def staff_marker(user):
    """The value of STAFF_COOKIE for a staff user: their id, signed with the site's secret."""
    return signing.get_cookie_signer(salt=STAFF_SALT).sign(str(user.pk))


def is_personal(request):
    """Signed-in staff get pages built for them (previews, their own view), never shared ones."""
    return is_staff_marked(request)


def normal_pairs(query, names):
    """The known parameters of a query in one order: each name's values stripped, without repeats, sorted."""
    pairs = []
    for name in names:
        values = []
        for value in query.getlist(name)[: MAX_VALUES * 2]:
            value = value.replace("\x00", "")
            value = " ".join(value.split()) if name == "q" else value.strip()
            if value and value not in values:
                values.append(value[:MAX_VALUE_LENGTH] if name != "q" else value)
        if name == "q":
            values = values[:1]  # the filter reads the first search text only
        pairs.extend((name, value) for value in sorted(values)[:MAX_VALUES])
    return pairs


def normalise(request, names):
    """Let the view see only its known parameters, in their normal form (query string included)."""
    pairs = normal_pairs(request.GET, names)
    query = urlencode(pairs)
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    return query


def memory_key(request):
    """This process's key for a page: its address with the site's known parameters in normal form.

    Worked out before the URL is resolved, so it uses every view's parameters; the shared key (page_key)
    is exact per view.
    """
    query = urlencode(normal_pairs(request.GET, KNOWN_PARAMS)) if request.META.get("QUERY_STRING") else ""
    return f"{request.scheme}://{request.get_host()}{request.path}" + (f"?{query}" if query else "")


def page_key(request, bucket, query):
    match = request.resolver_match
    arguments = "&".join(f"{name}={value}" for name, value in sorted(match.kwargs.items()))
    raw = "|".join([STORE_FORMAT, request.get_host(), match.view_name, arguments, get_language(), str(bucket), query])
    return f"page:{match.view_name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def may_store(request, page, bucket, query):
    """Count one more stored entry for this view in this window; False once the view's budget is spent."""
    if not page.params or not query:
        return True  # no parameters: entries are bounded by the data (one per session, organiser, …)
    window = bucket if page.lifetime else int(clock() // FEED_LIFETIME)
    key = f"pagecount:{request.resolver_match.view_name}:{window}"
    cache.add(key, 0, (page.lifetime or FEED_LIFETIME) * 2)
    try:
        return cache.incr(key) <= MAX_STORED_PER_VIEW
    except ValueError:  # the counter was culled a moment ago: count from one again
        return True


def page_etag(version, bucket):
    return f'"{version}.{get_language()}.{bucket}"'


class PublicPageCacheMiddleware:
    """Conditional GET and a page cache for anonymous GETs of the public pages in PAGES (see the module).

    Two layers. The shared cache holds every built page, so any app server can reuse what another built.
    Each process also keeps the pages it served in memory (PageMemory), stamped with the content version
    they were built from; this middleware sits near the top of MIDDLEWARE and answers from memory (a 200,
    or a 304 to a current validator) after one read of the content version, before sessions, locale, CSRF
    or URL resolving run. That one read is what keeps every server right at once after a staff edit.

    A response is stored only if it is a plain 200 that sets no cookie, carries no CSRF token and no
    messages, and is not marked private or no-store. DJANGO_PAGE_CACHE=0 turns both layers off (conditional
    GET stays), e.g. to measure the raw cost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = from_memory(request)
        if response is None:
            response = self.process_response(request, self.get_response(request))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        page = page_of(request)
        if page is None or request.method not in ("GET", "HEAD"):
            return None
        if is_personal(request):
            request._siv_personal = True
            return None
        query = normalise(request, page.params)
        bucket = int(clock() // page.lifetime) if page.lifetime else 0
        key = page_key(request, bucket, query)
        found = cache.get_many([content.VERSION_KEY, key]) if settings.PAGE_CACHE else {}
        version, last_modified = found.get(content.VERSION_KEY) or content.state()
        request._siv_state = (version, last_modified)
        request._siv_page = (version, last_modified, bucket, page, key, query)
        if page.lifetime:  # HTML pages: the ETag is known before building anything
            etag = page_etag(version, bucket)
            not_modified = get_conditional_response(
                request, etag=etag, last_modified=int(last_modified.timestamp())
            )
            if not_modified is not None:
                if page.cors:
                    not_modified["Access-Control-Allow-Origin"] = "*"
                return page_headers(not_modified, etag=etag, last_modified=last_modified)
        stored = found.get(key)
        if stored is None or stored[0] != version:
            return None
        response = rebuild(stored[1:], request)
        response._siv_from_cache = True
        return response

    def process_response(self, request, response):
        if getattr(request, "_siv_personal", False):
            add_never_cache_headers(response)  # a staff preview must not linger in any cache
            return response
        page_state = getattr(request, "_siv_page", None)
        if page_state is None or response.status_code != 200:
            return response
        version, last_modified, bucket, page, key, query = page_state
        if page.lifetime and not response.has_header("ETag"):
            page_headers(response, etag=page_etag(version, bucket), last_modified=last_modified)
        if settings.PAGE_CACHE and request.method == "GET" and is_shareable(request, response):
            from_cache = getattr(response, "_siv_from_cache", False)
            stored = response._siv_stored if from_cache else store(response)
            if not from_cache and may_store(request, page, bucket, query):
                cache.set(key, (version, *stored), page.lifetime or FEED_LIFETIME)
            expires = (bucket + 1) * page.lifetime if page.lifetime else math.inf
            url = memory_key(request)
            MEMORY.put(url, PageCopy.of(url, version=version, expires=expires, stored=stored, language=get_language()))
            if not from_cache and accepts_gzip(request):
                response = rebuild(stored, request)  # the first visitor gets the compressed bytes too
        return conditional(request, response)


class StaffMarkerMiddleware:
    """Sets the signed marker (STAFF_COOKIE) for signed-in staff and removes it once they are not.

    Sits after AuthenticationMiddleware. Only responses that were built pass here, and reading request.user
    costs a query only for a browser that has a session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        is_staff = bool(user is not None and user.is_authenticated and user.is_staff)
        if is_staff and not is_staff_marked(request):
            response.set_cookie(
                STAFF_COOKIE,
                staff_marker(user),
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif not is_staff and STAFF_COOKIE in request.COOKIES:
            response.delete_cookie(STAFF_COOKIE, samesite="Lax")
        return response


class PageCopy(NamedTuple):
    """A page as this process served it, with what a 304 needs worked out once."""

    version: str
    expires: float
    stored: tuple  # (status, headers, body), as store() made it
    language: str
    etag: str | None
    last_modified: int | None
    not_modified_headers: list  # the stored headers a 304 repeats (all but those describing the body)
    size: int

    @classmethod
    def of(cls, url, *, version, expires, stored, language):
        status, headers, content = stored
        found = {name.lower(): value for name, value in headers}
        last_modified = parse_http_date_safe(found["last-modified"]) if "last-modified" in found else None
        kept = [(name, value) for name, value in headers if name.lower() not in BODY_HEADERS]
        size = len(url) + len(content) + sum(len(name) + len(value) for name, value in headers)
        return cls(version, expires, stored, language, found.get("etag"), last_modified, kept, size)


class PageMemory:
    """The pages this process served last, up to a size in bytes (least recently used go first)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.entries = LRUCache(maxsize=max_bytes, getsizeof=lambda copy: copy.size)
        self.lock = threading.Lock()

    @property
    def size(self):
        return self.entries.currsize

    def get(self, url):
        with self.lock:
            return self.entries.get(url)

    def put(self, url, copy):
        with self.lock:
            self.entries.pop(url, None)
            if copy.size <= self.max_bytes:
                self.entries[url] = copy

    def discard(self, url):
        with self.lock:
            self.entries.pop(url, None)

    def clear(self):
        with self.lock:
            self.entries.clear()


MEMORY = PageMemory(settings.PAGE_MEMORY_BYTES)


def from_memory(request):
    """The page as this process last served it, if the content has not changed since; else None."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD") or is_personal(request):
        return None
    url = memory_key(request)
    copy = MEMORY.get(url)
    if copy is None:
        return None
    if clock() >= copy.expires or copy.version != content.content_version():
        MEMORY.discard(url)
        return None
    translation.activate(copy.language)  # as LocaleMiddleware would have: code after the response may translate
    if copy.etag is not None or copy.last_modified is not None:
        not_modified = get_conditional_response(request, etag=copy.etag, last_modified=copy.last_modified)
        if not_modified is not None:
            for name, value in copy.not_modified_headers:
                not_modified[name] = value
            return not_modified
    return rebuild(copy.stored, request)


def page_headers(response, *, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified.timestamp())
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, no_cache=True)  # keep a copy, but ask us each time: edits show at once
    return response


def is_shareable(request, response):
    if response.streaming or response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages._queued_messages or getattr(messages, "_loaded_data", None)):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store"))


def store(response):
    """What a later visitor needs: status, headers and the body, gzip-compressed once here, so a hit costs no
    compression and an entry a tenth of the page. This middleware sits outside the ones that add
    Content-Language, Vary and X-Frame-Options, so those are kept; the security headers are added again by the
    middleware above it.

    Only what is_shareable() lets through is stored, so nothing compressed here carries a CSRF token, a session
    or anything else secret that an attacker could guess byte by byte from the compressed length (BREACH):
    those pages are never stored, so never compressed.
    """
    patch_vary_headers(response, ["Accept-Encoding"])
    return (response.status_code, list(response.items()), gzip.compress(response.content, GZIP_LEVEL, mtime=0))


def accepts_gzip(request):
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def rebuild(stored, request):
    """The stored page as a response: compressed for a client that accepts gzip (with a weak ETag, as one
    representation of the page), else as it was built."""
    status, headers, compressed = stored
    gzipped = accepts_gzip(request)
    response = HttpResponse(compressed if gzipped else gzip.decompress(compressed), status=status)
    for name, value in headers:
        response[name] = value
    if gzipped:
        response["Content-Encoding"] = "gzip"
        etag = response.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = "W/" + etag
    response["Content-Length"] = str(len(response.content))
    response.xframe_options_exempt = True  # the stored headers hold X-Frame-Options if the page had one
    response._siv_stored = stored
    return response


def conditional(request, response):
    """Answer 304 when the client's copy (If-None-Match / If-Modified-Since) is still current."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    etag = response.get("ETag")
    last_modified = parse_http_date_safe(response["Last-Modified"]) if response.has_header("Last-Modified") else None
    if etag is None and last_modified is None:
        return response
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
    if not_modified is response:
        return response
    for name, value in response.items():
        if name.lower() not in BODY_HEADERS:
            not_modified[name] = value
    return not_modified


# --- Calendar feeds ----------------------------------------------------------------------------------


def feed_headers(response, *, etag, last_modified, max_age=FEED_MAX_AGE, private=False):
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
    version, last_modified = getattr(request, "_siv_state", None) or content.state()
    if changed is not None and changed > last_modified:
        last_modified = changed
    year = str(timezone.localdate().year)
    key = "|".join([FEED_FORMAT, version, request.get_full_path(), get_language(), year, extra])
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    timestamp = int(last_modified.timestamp())
    max_age = PRIVATE_FEED_MAX_AGE if private else FEED_MAX_AGE
    not_modified = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if not_modified is not None:
        return feed_headers(not_modified, etag=etag, last_modified=timestamp, max_age=max_age, private=private)
    body, filename, is_download = build()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if is_download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return feed_headers(response, etag=etag, last_modified=timestamp, max_age=max_age, private=private)
