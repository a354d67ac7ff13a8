"""Per-item bytes (a feed's VEVENTs, the open data API's session objects) cached one by one.

Each item's bytes are stored under a key made from that item's own data (its `updated`, its venue's, themes'
and organisers' `updated`, …), so a key never names two different texts: after an edit the edited item gets a
new key and every other item is found again, and every feed or answer that holds an item shares its entry.

Two layers, as for the pages (innovationsvecka.pagecache): the shared cache (one get_many, one set_many) and,
in front of it, this process's own copy of the items it used last, an LRU bounded in bytes. Since keys never
repeat with other contents, the process copy needs no invalidation; it only spares the shared cache's read of
hundreds of entries, which was most of what a feed cost the first visitor after an edit.
"""

import threading

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# Cached items live a week at most. Old keys are never overwritten (an edit makes a new key), so the
# timeout is what removes them, and the cache's MAX_ENTRIES culling keeps the rest bounded in between.
TIMEOUT = 7 * 24 * 60 * 60


class Memory:
    """This process's recently used items: key -> bytes, least recently used dropped past max_bytes."""

    def __init__(self, max_bytes):
        self.entries = LRUCache(maxsize=max_bytes, getsizeof=len)
        self.lock = threading.Lock()

    def get_many(self, keys):
        with self.lock:
            return {key: value for key in keys if (value := self.entries.get(key)) is not None}

    def put_many(self, items):
        with self.lock:
            for key, value in items.items():
                if len(value) <= self.entries.maxsize:
                    self.entries[key] = value

    @property
    def size(self):
        return self.entries.currsize

    def clear(self):
        with self.lock:
            self.entries.clear()


MEMORY = Memory(settings.FRAGMENT_MEMORY_BYTES)


def cached_items(keys, build):
    """The bytes of every item in `keys` (item id -> cache key), in that order.

    Found in this process's memory, else in the shared cache (one get_many), else made by build(ids) ->
    {id: bytes} for the missing ones only and stored (one set_many). An item build() does not return (deleted
    meanwhile) is left out.
    """
    found = MEMORY.get_many(keys.values())
    wanted = [key for key in keys.values() if key not in found]
    if wanted:
        shared = cache.get_many(wanted)
        MEMORY.put_many(shared)
        found.update(shared)
    missing = [item for item, key in keys.items() if key not in found]
    if missing:
        built = {keys[item]: value for item, value in build(missing).items()}
        # The database cache commits each entry on its own otherwise: one commit, not hundreds (no savepoint
        # of its own inside a request's transaction).
        with transaction.atomic(savepoint=False):
            cache.set_many(built, TIMEOUT)
        MEMORY.put_many(built)
        found.update(built)
    return [found[key] for key in keys.values() if key in found]
