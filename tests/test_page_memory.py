"""The per-process page memory in front of the page cache (innovationsvecka.pagecache.PageMemory, from_memory)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from events.models import Session
from events.services import save_session
from innovationsvecka import content, pagecache
from tests.conftest import login_staff
from tests.factories import SessionFactory, theme


@pytest.fixture
def session(edition):
    return SessionFactory(edition=edition, title="Första titeln", themes=[theme("smart-industri")])


def without_date(response):
    return {name: value for name, value in response.items() if name != "Date"}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/siv/2026/", "/en/siv/2026/", "/siv/kalender.ics", "/siv/aktorer/"])
def test_a_page_from_memory_has_the_same_body_and_headers_as_the_built_one(client, session, url):
    built = client.get(url)
    assert pagecache.MEMORY.get("http://testserver" + url) is not None
    remembered = client.get(url)
    assert remembered.status_code == 200 and remembered.content == built.content
    assert without_date(remembered) == without_date(built)
    assert "frame-ancestors 'none'" in remembered["Content-Security-Policy"]
    assert translation.get_language() == ("en" if url.startswith("/en/") else "sv")


@pytest.mark.django_db
def test_memory_answers_before_the_views_and_the_shared_cache(client, session):
    first = client.get("/siv/2026/").content.decode()
    state = cache.get(content.VERSION_KEY)
    cache.clear()  # the shared cache loses the page; only the content version is put back
    cache.set(content.VERSION_KEY, state, None)
    Session.objects.filter(pk=session.pk).update(title="Utan signal")  # no signal: the version stays
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/siv/2026/").content.decode()
    assert again == first and "Första titeln" in again
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_staff_edit_makes_every_remembered_page_and_feed_stale_at_once(client, session):
    page, feed = client.get("/siv/2026/"), client.get("/siv/kalender.ics")
    session.title = "Andra titeln"
    save_session(session=session)
    assert "Andra titeln" in client.get("/siv/2026/").content.decode()
    fresh_feed = client.get("/siv/kalender.ics", headers={"if-none-match": feed["ETag"]})
    assert fresh_feed.status_code == 200 and "Andra titeln" in fresh_feed.content.decode()
    assert client.get("/siv/2026/", headers={"if-none-match": page["ETag"]}).status_code == 200


@pytest.mark.django_db
def test_a_remembered_feed_answers_304_with_the_headers_calendar_clients_need(client, session):
    feed = client.get("/siv/kalender.ics")
    with CaptureQueriesContext(connection) as queries:
        not_modified = client.get("/siv/kalender.ics", headers={"if-none-match": feed["ETag"]})
    assert (not_modified.status_code, not_modified.content, len(queries)) == (304, b"", 0)
    for name in ("ETag", "Last-Modified", "Cache-Control", "X-Robots-Tag", "Access-Control-Allow-Origin"):
        assert not_modified[name] == feed[name]
    assert not not_modified.has_header("Content-Type") and not not_modified.has_header("Content-Disposition")


@pytest.mark.django_db
def test_only_signed_in_staff_bypass_the_remembered_page(client, session):
    from django.contrib.auth import get_user_model

    client.get("/siv/2026/")
    Session.objects.filter(pk=session.pk).update(title="Ändrad utan signal")
    client.cookies["sessionid"] = "något"  # made up: the shared page, not a build
    assert "Första titeln" in client.get("/siv/2026/?forhandsvisning=1").content.decode()
    client.cookies[pagecache.STAFF_COOKIE] = "1:forged:signature"
    assert "Första titeln" in client.get("/siv/2026/").content.decode()
    login_staff(client, get_user_model().objects.create_user("r", is_staff=True))
    assert "Ändrad utan signal" in client.get("/siv/2026/").content.decode()


@pytest.mark.django_db
def test_page_cache_off_turns_the_memory_off_too(client, session, settings):
    settings.PAGE_CACHE = False
    client.get("/siv/2026/")
    assert pagecache.MEMORY.entries == {}
    Session.objects.filter(pk=session.pk).update(title="Byggd på nytt")
    assert "Byggd på nytt" in client.get("/siv/2026/").content.decode()


@pytest.mark.django_db
def test_a_page_past_its_time_bucket_is_built_again(client, session):
    client.get("/siv/2026/")
    url = "http://testserver/siv/2026/"
    copy = pagecache.MEMORY.get(url)
    pagecache.MEMORY.put(url, copy._replace(expires=0))  # expired long ago
    Session.objects.filter(pk=session.pk).update(title="Efter tidsgränsen")
    cache.clear()
    assert "Efter tidsgränsen" in client.get("/siv/2026/").content.decode()


def copy_of(url, body, version="v"):
    page = (200, [("Content-Type", "text/html"), ("ETag", '"e"')], body)
    return pagecache.PageCopy.of(url, version=version, expires=10**12, stored=page, language="sv")


def test_memory_keeps_to_its_size_and_drops_the_least_recently_used():
    memory = pagecache.PageMemory(max_bytes=1000)
    for name in "abc":
        memory.put(name, copy_of(name, b"x" * 300))
    memory.get("a")  # used lately: kept
    memory.put("d", copy_of("d", b"x" * 300))
    assert set(memory.entries) == {"a", "c", "d"}
    assert memory.size <= 1000 and memory.size == sum(copy.size for copy in memory.entries.values())
    memory.put("huge", copy_of("huge", b"x" * 2000))
    assert "huge" not in memory.entries and set(memory.entries) == {"a", "c", "d"}
    memory.put("a", copy_of("a", b"x" * 300, version="w"))  # replacing an entry does not count it twice
    assert memory.get("a").version == "w" and memory.size == sum(copy.size for copy in memory.entries.values())
