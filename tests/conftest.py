import os
import re
import time

import pytest
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from tests.factories import EditionFactory, programme_editor

# Property tests (Hypothesis). In CI every run tries the same examples (derandomized, no example database; each
# test fixes its own max_examples), so a red CI run fails the same way on any machine: HYPOTHESIS_PROFILE=ci make
# test. Locally ("dev") each run tries new examples and remembers the failing ones in .hypothesis/.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, max_examples=100)
hypothesis_settings.register_profile("dev", max_examples=100)


def hypothesis_profile(environ):
    return environ.get("HYPOTHESIS_PROFILE") or ("ci" if environ.get("CI") == "true" else "dev")


hypothesis_settings.load_profile(hypothesis_profile(os.environ))


@pytest.fixture(scope="session", autouse=True)
def collected_static():
    """Templates use hashed static names (whitenoise's manifest), so collect once per run."""
    call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture
def edition(db):
    return EditionFactory(year=2026)


@pytest.fixture
def editor(db):
    """A member of the Programredaktör group."""
    return programme_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def no_page_cache(settings):
    """For tests that look at what a view builds (response.context), never at a cached copy."""
    settings.PAGE_CACHE = False


def text(response):
    """A page's visible text, whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def uid(session):
    """A session's UID in calendar files."""
    return f"{session.uid}@siv.regionsormland.se"


def is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return "live_server" in request.fixturenames or "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture(autouse=True)
def seeded_lists(request):
    """Put back what the data migrations seed (themes, municipalities, support types, staff groups).

    Transactional tests (browser, live server) end with a flush that empties every table, and Django's
    serialized_rollback cannot restore them here: Playwright's event loop gives the test its own
    database connection object, which lacks the serialized copy. So every RunPython step of the
    migrations runs again when the lists are empty.
    """
    if not is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    from events.models import Municipality

    if Municipality.objects.exists():
        return
    graph = MigrationLoader(connection).graph
    plan = dict.fromkeys(key for leaf in graph.leaf_nodes() for key in graph.forwards_plan(leaf))
    schema_editor = connection.schema_editor(atomic=False)
    for key in plan:
        for operation in graph.nodes[key].operations:
            if isinstance(operation, RunPython):
                operation.code(apps, schema_editor)


@pytest.fixture(autouse=True)
def empty_cache():
    """The page cache and the content version live in the cache; each test starts without either."""
    from django.core.cache import cache

    from events import fragments
    from innovationsvecka import pagecache

    cache.clear()
    pagecache.MEMORY.clear()
    fragments.MEMORY.clear()


class PageClock:
    """Stands in for the page cache's clock (innovationsvecka.pagecache.clock): time() stays where the test puts it."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds

    def __getattr__(self, name):
        return getattr(time, name)


@pytest.fixture(autouse=True)
def page_clock(monkeypatch):
    """The page cache's time buckets (5 minutes, 1 for "now"; they are part of every ETag and cache key), frozen
    in the middle of one, so two requests a test expects to share an ETag never fall on either side of a boundary.
    A test that needs time to pass calls page_clock.advance(seconds)."""
    from innovationsvecka import pagecache

    clock = PageClock(time.time() // 300 * 300 + 150)
    monkeypatch.setattr(pagecache, "clock", clock.time)
    return clock


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Swedish. A request leaves its language active in the thread (LocaleMiddleware
    never deactivates), and not every request reaches LocaleMiddleware: the page memory and a 503 answer
    before it (innovationsvecka.pagecache, innovationsvecka.middleware)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def login_staff(client, user):
    """Sign a staff user in as the admin's login page does: the session and the page cache's staff marker."""
    from innovationsvecka.pagecache import STAFF_COOKIE, staff_marker

    client.force_login(user)
    client.cookies[STAFF_COOKIE] = staff_marker(user)
