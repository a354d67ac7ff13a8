"""Conditional GET and the page cache for the public pages, built on the content version (innovationsvecka.content)."""

import hashlib
import math
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

from .content import content_last_modified, content_version, state

PAGE_KEY = "page:{version}:{language}:{bucket}:{url}"
# How long a cached page may live even without edits: pages show time-dependent things (registration
# closed, "pågår nu"), so a page is rebuilt at least this often. Feeds (None) depend on content alone.
PAGE_LIFETIMES = {
    "events:programme": 300,
    "events:edition": 300,
    "events:detail": 300,
    "events:archive": 300,
    "events:about": 300,
    "events:accessibility": 300,
    "privacy": 300,
    "events:now": 60,
    "organisers:directory": 300,
    "organisers:detail": 300,
    "events:feed": None,
    "events:edition_feed": None,
    "events:session_ics": None,
    "organisers:feed": None,
    "organisers:vcard": None,
    "events:open_data": 300,
    "events:embed": 300,
    "events:news": 300,
    "events:api_sessions": 300,
    "events:api_edition_sessions": 300,
    "events:api_sessions_jsonld": 300,
    "events:api_edition_sessions_jsonld": 300,
    "events:api_organisations": 300,
    "events:api_editions": 300,
    "events:api_openapi": None,
}
# A 304 carries the stored headers except those that describe a body it does not have.
# Raise when the feeds' bytes change for the same data, so clients' cached copies are replaced.
FEED_FORMAT = "1"
FEED_MAX_AGE = 600
PRIVATE_FEED_MAX_AGE = 60
BODY_HEADERS = {"content-type", "content-length", "content-disposition"}


def page_lifetime(request):
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in PAGE_LIFETIMES:
        return False, None
    return True, PAGE_LIFETIMES[match.view_name]


def is_personal(request):
    """Staff (and anyone with a session or pending messages) get pages built for them, never shared ones."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
        or "forhandsvisning" in request.GET
    )


def page_etag(version, bucket):
    return f'"{version}.{get_language()}.{bucket}"'


class PublicPageCacheMiddleware:
    """Conditional GET and a page cache for anonymous GETs of the public pages in PAGE_LIFETIMES.

    Two layers. The shared cache holds every built page, so any app server can reuse what another built.
    Each process also keeps the pages it served in memory (PageMemory), keyed by URL and stamped with the
    content version they were built from; this middleware sits near the top of MIDDLEWARE and answers
    from memory (a 200, or a 304 to a current validator) after one read of the content version, before
    sessions, locale, CSRF or URL resolving run. That one read is what keeps every server right at once
    after a staff edit.

    Shared keys hold the content version, the language, a time bucket (see PAGE_LIFETIMES) and the full URL,
    so a staff edit makes every old entry unreachable at once. A response is stored only if it is a plain 200
    that sets no cookie, carries no CSRF token and no messages, and is not marked private or no-store.
    DJANGO_PAGE_CACHE=0 turns both layers off (conditional GET stays), e.g. to measure the raw cost.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = from_memory(request)
        if response is None:
            response = self.process_response(request, self.get_response(request))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        listed, lifetime = page_lifetime(request)
        if not listed or request.method not in ("GET", "HEAD"):
            return None
        if is_personal(request):
            request._siv_personal = True
            return None
        version, last_modified = state()
        bucket = int(time.time() // lifetime) if lifetime else 0
        request._siv_page = (version, last_modified, bucket, lifetime)
        request._siv_page_key = page_key(request)
        if lifetime:  # HTML pages: the ETag is known before building anything
            etag = page_etag(version, bucket)
            not_modified = get_conditional_response(
                request, etag=etag, last_modified=int(last_modified.timestamp())
            )
            if not_modified is not None:
                return page_headers(not_modified, etag=etag, last_modified=last_modified)
        if not settings.PAGE_CACHE:
            return None
        stored = cache.get(request._siv_page_key)
        if stored is None:
            return None
        response = rebuild(stored)
        response._siv_from_cache = True
        return response

    def process_response(self, request, response):
        if getattr(request, "_siv_personal", False):
            add_never_cache_headers(response)  # a staff preview must not linger in any cache
            return response
        page = getattr(request, "_siv_page", None)
        if page is None or response.status_code != 200:
            return response
        version, last_modified, bucket, lifetime = page
        if lifetime and not response.has_header("ETag"):
            page_headers(response, etag=page_etag(version, bucket), last_modified=last_modified)
        if settings.PAGE_CACHE and request.method == "GET" and is_shareable(request, response):
            stored = store(response)
            if not getattr(response, "_siv_from_cache", False):
                cache.set(request._siv_page_key, stored, lifetime or 24 * 60 * 60)
            expires = (bucket + 1) * lifetime if lifetime else math.inf
            url = request.build_absolute_uri()
            MEMORY.put(url, PageCopy.of(url, version=version, expires=expires, stored=stored, language=get_language()))
        return conditional(request, response)


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
        self.entries = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, url):
        with self.lock:
            copy = self.entries.get(url)
            if copy is not None:
                self.entries.move_to_end(url)
            return copy

    def put(self, url, copy):
        with self.lock:
            self._drop(url)
            if copy.size > self.max_bytes:
                return
            self.entries[url] = copy
            self.size += copy.size
            while self.size > self.max_bytes:
                self._drop(next(iter(self.entries)))

    def discard(self, url):
        with self.lock:
            self._drop(url)

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, url):
        copy = self.entries.pop(url, None)
        if copy is not None:
            self.size -= copy.size


MEMORY = PageMemory(settings.PAGE_MEMORY_BYTES)


def from_memory(request):
    """The page as this process last served it, if the content has not changed since; else None."""
    if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD") or is_personal(request):
        return None
    url = request.build_absolute_uri()
    copy = MEMORY.get(url)
    if copy is None:
        return None
    if time.time() >= copy.expires or copy.version != content_version():
        MEMORY.discard(url)
        return None
    translation.activate(copy.language)  # as LocaleMiddleware would have: code after the response may translate
    if copy.etag is not None or copy.last_modified is not None:
        not_modified = get_conditional_response(request, etag=copy.etag, last_modified=copy.last_modified)
        if not_modified is not None:
            for name, value in copy.not_modified_headers:
                not_modified[name] = value
            return not_modified
    return rebuild(copy.stored)


def page_key(request):
    version, _, bucket, _ = request._siv_page
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
    return PAGE_KEY.format(version=version, language=get_language(), bucket=bucket, url=url)


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
    """What a later visitor needs: status, headers and body. This middleware sits outside the ones that
    add Content-Language, Vary and X-Frame-Options, so those are kept; the security headers are added
    again by the middleware above it."""
    return (response.status_code, list(response.items()), response.content)


def rebuild(stored):
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response.xframe_options_exempt = True  # the stored headers hold X-Frame-Options if the page had one
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
    version = content_version()
    last_modified = content_last_modified()
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
