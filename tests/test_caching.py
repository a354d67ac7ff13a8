"""Content version, conditional GET and the page cache (events/pagecache.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Session
from events.services import save_session
from innovationsvecka import content, pagecache
from tests.conftest import login_staff
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    theme,
)


@pytest.fixture
def session(edition):
    return SessionFactory(edition=edition, title="Första titeln", themes=[theme("smart-industri")])


def versions_after(change):
    before = content.content_version()
    change()
    return before, content.content_version()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        "session title",
        "session delete",
        "session theme",
        "edition",
        "venue",
        "theme",
        "organisation",
        "contact",
        "contact delete",
    ],
)
def test_content_version_changes_when_staff_change_anything(session, change):
    contact = ContactFactory()

    def act():
        if change == "session title":
            session.title = "Ny titel"
            save_session(session=session)
        elif change == "session delete":
            session.delete()
        elif change == "session theme":
            session.themes.add(theme("life-science"))
        elif change == "edition":
            session.edition.intro = "Ny text"
            session.edition.save()
        elif change == "venue":
            VenueFactory()
        elif change == "theme":
            t = theme("smart-industri")
            t.name_en = "Smart manufacturing"
            t.save()
        elif change == "organisation":
            contact.organisation.name = "Nytt namn"
            contact.organisation.save()
        elif change == "contact":
            contact.phones = "Mobil: 070-000 00 00"
            contact.save()
        elif change == "contact delete":
            contact.delete()

    before, after = versions_after(act)
    assert before != after


@pytest.mark.django_db
def test_content_version_is_stable_without_changes_and_survives_a_cache_flush(session):
    cache.clear()
    first = content.content_version()
    assert content.content_version() == first
    cache.clear()
    assert content.content_version() == first  # read again from its table: the same on every server
    assert content.content_last_modified() >= Session.objects.latest("updated").updated


@pytest.mark.django_db
def test_content_version_from_database_changes_after_a_delete(session):
    SessionFactory(edition=session.edition)
    cache.clear()
    before = content.content_version()
    Session.objects.filter(pk=session.pk).delete()  # a queryset delete still sends post_delete
    cache.clear()
    assert content.content_version() != before


@pytest.mark.django_db
def test_content_version_costs_no_query_when_cached(session):
    content.content_version()
    with CaptureQueriesContext(connection) as queries:
        content.content_version()
        content.content_last_modified()
    assert len(queries) == 0


@pytest.mark.django_db
def test_content_version_from_database_is_one_query(session):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        content.content_version()
    assert len(queries) == 1


@pytest.mark.django_db
def test_visitor_starring_does_not_change_the_content_version(client, session):
    before = content.content_version()
    response = client.post("/siv/mitt-program/stjarna/", {"session": session.pk, "action": "add"},
                           headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code in (302, 303)
    assert content.content_version() == before


@pytest.mark.django_db
def test_programme_answers_304_to_a_current_etag_without_queries(client, session):
    first = client.get("/siv/2026/")
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first.status_code == 200 and etag.startswith('"') and last_modified.endswith("GMT")
    assert "no-cache" in first["Cache-Control"]
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/siv/2026/", headers={"if-none-match": etag})
    assert (second.status_code, second.content, second["ETag"]) == (304, b"", etag)
    assert len(queries) == 0
    since = client.get("/siv/2026/", headers={"if-modified-since": last_modified})
    assert since.status_code == 304


@pytest.mark.django_db
def test_the_etag_moves_on_at_the_five_minute_boundary_and_not_before(client, session, page_clock):
    """The clock stands in the middle of a 5-minute bucket (tests/conftest.py), so tests never straddle one."""
    first = client.get("/siv/2026/")["ETag"]
    page_clock.advance(149)
    assert client.get("/siv/2026/", headers={"if-none-match": first}).status_code == 304
    page_clock.advance(1)
    later = client.get("/siv/2026/", headers={"if-none-match": first})
    assert later.status_code == 200 and later["ETag"] != first


@pytest.mark.django_db
def test_page_cache_serves_the_same_page_without_queries(client, session):
    first = client.get("/siv/2026/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/siv/2026/")
    assert (second.status_code, second.content) == (200, first.content)
    assert len(queries) == 0


@pytest.mark.django_db
def test_staff_edit_shows_at_once_on_cached_pages_and_feeds(client, session):
    page = client.get("/siv/2026/")
    feed = client.get("/siv/kalender.ics")
    assert "Första titeln" in page.content.decode() and "Första titeln" in feed.content.decode()
    session.title = "Andra titeln"
    save_session(session=session)
    page_after = client.get("/siv/2026/", headers={"if-none-match": page["ETag"]})
    feed_after = client.get("/siv/kalender.ics", headers={"if-none-match": feed["ETag"]})
    assert (page_after.status_code, feed_after.status_code) == (200, 200)
    assert "Andra titeln" in page_after.content.decode() and "Första titeln" not in page_after.content.decode()
    assert "Andra titeln" in feed_after.content.decode()


@pytest.mark.django_db
def test_languages_are_cached_apart(client, session):
    swedish = client.get("/siv/2026/")
    english = client.get("/en/siv/2026/")
    assert '<html lang="sv">' in swedish.content.decode() and '<html lang="en">' in english.content.decode()
    assert swedish["ETag"] != english["ETag"]
    # One language's validator never gets a 304 for the other's page (a shared proxy may send either).
    assert client.get("/en/siv/2026/", headers={"if-none-match": swedish["ETag"]}).status_code == 200
    assert client.get("/siv/2026/", headers={"if-none-match": english["ETag"]}).status_code == 200
    # Both stored now: each language gets its own copy back, from this process's memory and from the shared cache.
    for layer in ("memory", "shared cache"):
        if layer == "shared cache":
            pagecache.MEMORY.clear()
        with CaptureQueriesContext(connection) as queries:
            swedish_again, english_again = client.get("/siv/2026/"), client.get("/en/siv/2026/")
        assert len(queries) == 0, layer  # served from the cache, not built again
        assert (swedish_again.content, swedish_again["Content-Language"]) == (swedish.content, "sv"), layer
        assert (english_again.content, english_again["Content-Language"]) == (english.content, "en"), layer


@pytest.mark.django_db
def test_known_filters_are_cached_apart_and_unknown_parameters_share_the_plain_page(client, session):
    assert "Första titeln" in client.get("/siv/2026/?utm_source=nyhetsbrev").content.decode()
    Session.objects.filter(pk=session.pk).update(title="Utan signal")  # changes the data, not the version
    for junk in ("", "?fbclid=abc", "?a=2&utm_medium=x", "?tema=", "?q=%20"):
        assert "Första titeln" in client.get("/siv/2026/" + junk).content.decode(), junk  # one shared entry
    assert "Utan signal" in client.get("/siv/2026/?q=signal").content.decode()  # a real filter: its own entry


def stored_pages():
    """The page entries in the shared cache (the tests' cache is locmem, whose keys end in PAGE_KEY's form)."""
    return [key for key in cache._cache if ":page:" in key]


@pytest.mark.django_db
def test_staff_never_get_the_shared_copy(client, session):
    anonymous = client.get("/siv/2026/")
    Session.objects.filter(pk=session.pk).update(title="Ändrad utan signal")  # the cached copy is now stale
    assert "Första titeln" in client.get("/siv/2026/").content.decode()  # what the public still gets
    login_staff(client, UserFactory(is_superuser=True))
    as_staff = client.get("/siv/2026/", headers={"if-none-match": anonymous["ETag"]})
    assert as_staff.status_code == 200  # never a 304 from the public copy
    assert "Ändrad utan signal" in as_staff.content.decode()  # built for them, not the shared copy


@pytest.mark.django_db
def test_a_staff_preview_is_never_stored_for_others(client):
    upcoming = EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=upcoming, title="Hemlig nyhet")
    login_staff(client, UserFactory(is_superuser=True))
    preview = client.get("/siv/2027/?forhandsvisning=1")
    assert "Hemlig nyhet" in preview.content.decode()  # the preview shows the unpublished programme
    assert "no-store" in preview["Cache-Control"] and not preview.has_header("ETag")
    assert "Hemlig nyhet" not in client.get("/siv/2027/").content.decode()  # staff without the parameter
    assert stored_pages() == []
    for url in ("/siv/2027/?forhandsvisning=1", "/siv/2027/"):
        assert pagecache.MEMORY.get(f"http://testserver{url}") is None, url
    client.logout()
    for url in ("/siv/2027/?forhandsvisning=1", "/siv/2027/"):
        assert "Hemlig nyhet" not in client.get(url).content.decode(), url
    assert len(stored_pages()) == 1  # the public "coming soon" page, which is the same for everyone


@pytest.mark.django_db
def test_pages_with_a_csrf_form_are_not_shared(client, settings):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    request = RequestFactory().get("/siv/")
    request._messages = None
    get_token(request)
    assert pagecache.is_shareable(request, HttpResponse("<form>")) is False
    plain = RequestFactory().get("/siv/")
    assert pagecache.is_shareable(plain, HttpResponse("ok")) is True
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("x", "1")
    assert pagecache.is_shareable(plain, with_cookie) is False
    private = HttpResponse("ok")
    private["Cache-Control"] = "private"
    assert pagecache.is_shareable(plain, private) is False


@pytest.mark.django_db
def test_page_cache_off_still_answers_304(client, session, settings):
    settings.PAGE_CACHE = False
    first = client.get("/siv/2026/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/siv/2026/")
    assert again.status_code == 200 and len(queries) > 0
    assert client.get("/siv/2026/", headers={"if-none-match": first["ETag"]}).status_code == 304


@pytest.mark.django_db
def test_organisers_directory_is_cached_and_invalidated(client):
    organisation = OrganisationFactory(name="Almi Mälardalen")
    assert "Almi Mälardalen" in client.get("/siv/aktorer/").content.decode()
    organisation.name = "Almi Företagspartner"
    organisation.save()
    assert "Almi Företagspartner" in client.get("/siv/aktorer/").content.decode()
