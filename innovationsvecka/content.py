"""The content version: one short string that changes whenever staff change anything the public can see.

Visitors read; a handful of staff write. So every public page and feed is built from one question – "has
anything changed since?" – answered by content_version(): one cache get, and one aggregate query only when the
cache has lost it. Staff edits change the version at once, which changes every page's cache key and ETag, so
nothing stale is ever served and nothing needs to be deleted (innovationsvecka.pagecache). The version
lives in a one-row table (innovationsvecka.models.ContentVersion), changed in the editing transaction; the
cache only keeps a copy of it, so a cull or a flush costs one query, never a stale page.

Why signals here (the house style otherwise avoids them): an edit can arrive through the admin, its bulk
actions, the import, a proposal, `loaddata` or a shell, and every one of them must invalidate. Hooking the
models' post_save/post_delete/m2m_changed is the one place that cannot be forgotten by the next code path.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

VERSION_KEY = "content-version"
# The cache's copy of the version is only a copy (the table is the truth): a server that died between a
# commit and updating the copy can leave it old for at most this long.
CACHED_FOR = 60


def watched_models():
    """Everything a public page or feed shows. Visitors' own lists (MyProgramme) are left out on purpose:
    a visitor starring a session must not empty everyone's page cache."""
    from events.models import Audience, Edition, Municipality, Session, Theme, Venue
    from organisers.models import Contact, Organisation, SupportType

    return [Edition, Session, Venue, Theme, Audience, Municipality, Organisation, Contact, SupportType]


# --- The content version ------------------------------------------------------------------------


def state():
    """(version, last modified): from the cache when it has them, else from the table (one query)."""
    value = cache.get(VERSION_KEY)
    if value is None:
        value = _state_from_database()
        cache.add(VERSION_KEY, value, CACHED_FOR)  # add: a bump that commits meanwhile wins over this read
    return value


def content_version() -> str:
    """A short string that changes whenever staff save or delete anything the public can see."""
    return state()[0]


def content_last_modified():
    """When the public content last changed (aware datetime), for Last-Modified."""
    return state()[1]


def _state_from_database():
    from .models import ContentVersion

    row = ContentVersion.objects.filter(pk=1).values_list("version", "changed").first()
    if row is None:  # a database emptied by hand (flush): start a version, the same way on every server
        now = timezone.now().replace(microsecond=0)
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": _new_version(now), "changed": now})
        row = ContentVersion.objects.filter(pk=1).values_list("version", "changed").get()
    return row


def _new_version(now):
    return f"v{now.timestamp():.0f}-{secrets.token_hex(4)}"


def bump():
    """Give the content a new version, in the current transaction, and once more when it commits.

    The row changes with the edit, so a rolled-back edit (an import preview) leaves the table as it was, and
    the cache's copy, set at once for this server's next request, runs out within CACHED_FOR. The second
    version after the commit closes a race with a shared cache: another server could read the first version
    before the data is committed and store the old page under it.
    """
    _write_version()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        func is _write_version for _sids, func, _robust in connection.run_on_commit
    ):
        transaction.on_commit(_write_version)  # once per transaction, however many rows it changes


def _write_version():
    from .models import ContentVersion

    now = timezone.now()
    version = _new_version(now)
    if not ContentVersion.objects.filter(pk=1).update(version=version, changed=now):
        ContentVersion.objects.create(pk=1, version=version, changed=now)
    cache.set(VERSION_KEY, (version, now), CACHED_FOR)


def content_changed(**kwargs):
    """Signal receiver for every watched model's save and delete (loaddata's raw saves included)."""
    bump()


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
