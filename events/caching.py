"""The content version, conditional GET and the page cache for the public pages.

Visitors read; a handful of staff write. So every public page is built from one question – "has anything
changed since?" – answered by content_version(): one cache get, and one aggregate query only when the cache
has lost it. Staff edits change the version at once, which changes every page's cache key and ETag, so
nothing stale is ever served and nothing needs to be deleted.

Why signals here (the house style otherwise avoids them): an edit can arrive through the admin, its bulk
actions, the import, a proposal, `loaddata` or a shell, and every one of them must invalidate. Hooking the
models' post_save/post_delete/m2m_changed is the one place that cannot be forgotten by the next code path.
"""

import datetime
import hashlib
import math
import secrets
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language

VERSION_KEY = "content-version"
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
    "events:privacy": 300,
    "events:now": 60,
    "organisers:directory": 300,
    "organisers:detail": 300,
    "events:feed": None,
    "events:edition_feed": None,
    "events:session_ics": None,
    "organisers:feed": None,
    "organisers:vcard": None,
}
# A 304 carries the stored headers except those that describe a body it does not have.
BODY_HEADERS = {"content-type", "content-length", "content-disposition"}


def watched_models():
    """Everything a public page or feed shows. Visitors' own lists (MyProgramme) are left out on purpose:
    a visitor starring a session must not empty everyone's page cache."""
    from events.models import Audience, Edition, Municipality, Session, Theme, Venue
    from organisers.models import Contact, Organisation, SupportType

    return [Edition, Session, Venue, Theme, Audience, Municipality, Organisation, Contact, SupportType]


# --- The content version ------------------------------------------------------------------------


def _state():
    state = cache.get(VERSION_KEY)
    if state is None:
        state = _state_from_database()
        cache.add(VERSION_KEY, state, None)  # add: a concurrent bump() wins over this guess
        state = cache.get(VERSION_KEY) or state
    return state


def content_version() -> str:
    """A short string that changes whenever staff save or delete anything the public can see."""
    return _state()[0]


def content_last_modified():
    """When the public content last changed (aware datetime), for Last-Modified."""
    return _state()[1]


def _state_from_database():
    """(version, last modified) from the data itself, in one aggregate query.

    Used only when the cache has lost the version (restart of a local cache, eviction). Deterministic, so
    every app server arrives at the same answer and clients' ETags survive a cache flush. The row counts
    make a deletion change the version even though it leaves no newer timestamp behind.
    """
    quote = connection.ops.quote_name
    models = watched_models()
    dated = [m for m in models if any(f.name == "updated" for f in m._meta.concrete_fields)]
    undated = [m for m in models if m not in dated]
    parts = [f"SELECT MAX({quote('updated')}) AS m, COUNT(*) AS c FROM {quote(m._meta.db_table)}" for m in dated]
    parts += [f"SELECT NULL AS m, COUNT(*) AS c FROM {quote(m._meta.db_table)}" for m in undated]
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(m), SUM(c) FROM (" + " UNION ALL ".join(parts) + ") AS content")
        newest, count = cursor.fetchone()
    if isinstance(newest, str):  # SQLite returns the text it stores, in UTC
        newest = parse_datetime(newest)
    if newest is None:
        newest = timezone.now().replace(microsecond=0)
    elif timezone.is_naive(newest):
        newest = timezone.make_aware(newest, datetime.UTC)
    digest = hashlib.sha256(f"{newest.isoformat()}|{int(count or 0)}".encode()).hexdigest()[:16]
    return f"d{digest}", newest


def bump():
    """Give the content a new version now. Cheap: one cache write."""
    now = timezone.now()
    cache.set(VERSION_KEY, (f"t{now.timestamp():.6f}-{secrets.token_hex(3)}", now), None)


def content_changed(**kwargs):
    """Signal receiver: invalidate at once, and once more when the transaction commits.

    The immediate bump serves the editor's own next request (and tests, which never commit). The bump
    after commit closes a race with a shared cache such as Redis: another server could read the new
    version before the data is committed and cache the old page under it.
    """
    bump()
    if connection.in_atomic_block and not getattr(connection, "_siv_bump_on_commit", False):
        connection._siv_bump_on_commit = True

        def after_commit():
            connection._siv_bump_on_commit = False
            bump()

        transaction.on_commit(after_commit)


def m2m_content_changed(sender, instance, action, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, tuple(watched_models())):
        content_changed()


def connect_signals():
    for model in watched_models():
        post_save.connect(content_changed, sender=model, dispatch_uid=f"siv-content-save-{model._meta.label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"siv-content-delete-{model._meta.label}")
    m2m_changed.connect(m2m_content_changed, dispatch_uid="siv-content-m2m")
    post_migrate.connect(create_cache_table, dispatch_uid="siv-cache-table")


def create_cache_table(sender, using="default", **kwargs):
    """`migrate` also creates the database cache's table, so no deployment can forget it: every staff
    save writes the content version to the cache."""
    if sender.name == "events":
        from django.core.management import call_command

        call_command("createcachetable", database=using, verbosity=0)


# --- Conditional GET and the page cache -----------------------------------------------------------


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
        version, last_modified = _state()
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
