"""The content version: one short string that changes whenever staff change anything the public can see.

Visitors read; a handful of staff write. So every public page and feed is built from one question – "has
anything changed since?" – answered by content_version(): one cache get, and one aggregate query only when the
cache has lost it. Staff edits change the version at once, which changes every page's cache key and ETag, so
nothing stale is ever served and nothing needs to be deleted (innovationsvecka.pagecache).

Why signals here (the house style otherwise avoids them): an edit can arrive through the admin, its bulk
actions, the import, a proposal, `loaddata` or a shell, and every one of them must invalidate. Hooking the
models' post_save/post_delete/m2m_changed is the one place that cannot be forgotten by the next code path.
"""

import datetime
import hashlib
import secrets

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

VERSION_KEY = "content-version"


def watched_models():
    """Everything a public page or feed shows. Visitors' own lists (MyProgramme) are left out on purpose:
    a visitor starring a session must not empty everyone's page cache."""
    from events.models import Audience, Edition, Municipality, Session, Theme, Venue
    from organisers.models import Contact, Organisation, SupportType

    return [Edition, Session, Venue, Theme, Audience, Municipality, Organisation, Contact, SupportType]


# --- The content version ------------------------------------------------------------------------


def state():
    """(version, last modified), from the cache, or worked out from the data when the cache has lost it."""
    value = cache.get(VERSION_KEY)
    if value is None:
        value = _state_from_database()
        cache.add(VERSION_KEY, value, None)  # add: a concurrent bump() wins over this guess
        value = cache.get(VERSION_KEY) or value
    return value


def content_version() -> str:
    """A short string that changes whenever staff save or delete anything the public can see."""
    return state()[0]


def content_last_modified():
    """When the public content last changed (aware datetime), for Last-Modified."""
    return state()[1]


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
