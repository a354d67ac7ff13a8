"""events.fragments: per-item bytes under keys of their own data, a bounded process memory in front of the cache."""

import pytest
from django.core.cache import cache

from events import fragments


def test_memory_is_bounded_in_bytes_and_drops_the_least_recently_used():
    memory = fragments.Memory(max_bytes=100)
    memory.put_many({"a": b"x" * 40, "b": b"y" * 40})
    assert memory.get_many(["a"]) == {"a": b"x" * 40}  # a is now the most recently used
    memory.put_many({"c": b"z" * 40})
    assert set(memory.get_many(["a", "b", "c"])) == {"a", "c"} and memory.size == 80
    memory.put_many({"huge": b"h" * 101})  # larger than the whole memory: never kept
    assert memory.get_many(["huge"]) == {} and memory.size <= 100


@pytest.mark.django_db
def test_cached_items_builds_only_what_neither_layer_holds_and_keeps_the_order():
    built = []

    def build(ids):
        built.append(sorted(ids))
        return {item: f"item {item}".encode() for item in ids if item != 4}  # 4 was deleted meanwhile

    keys = {item: f"test-item:{item}" for item in (3, 1, 2, 4)}
    assert fragments.cached_items(keys, build) == [b"item 3", b"item 1", b"item 2"]
    assert built == [[1, 2, 3, 4]]
    assert cache.get("test-item:1") == b"item 1"  # in the shared cache for other processes
    fragments.MEMORY.clear()  # another process: from the shared cache, nothing built
    assert fragments.cached_items({1: "test-item:1", 2: "test-item:2"}, build) == [b"item 1", b"item 2"]
    cache.clear()  # the shared cache lost it: this process's memory still has it
    assert fragments.cached_items({2: "test-item:2", 5: "test-item:5"}, build) == [b"item 2", b"item 5"]
    assert built == [[1, 2, 3, 4], [5]]
