"""The caching contract (innovationsvecka/pagecache.py): keys from normalised parameters, a bound per view, a
version no cull can reach, and no way for a visitor to make a page personal."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from events.models import Audience, Session
from innovationsvecka import content, pagecache
from innovationsvecka.models import ContentVersion
from tests.factories import SessionFactory, theme

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "siv_cache",
        "KEY_PREFIX": "siv",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}


@pytest.fixture
def session(edition):
    return SessionFactory(edition=edition, title="Första titeln", slug="forsta", themes=[theme("smart-industri")])


@pytest.fixture
def database_cache(settings):
    from django.core.management import call_command

    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    cache.clear()
    pagecache.MEMORY.clear()
    yield
    cache.clear()


def cache_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM siv_cache WHERE cache_key LIKE %s", ["%page:%"])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_flood_of_junk_query_strings_fills_one_entry_per_page(client, session, database_cache):
    for number in range(200):
        junk = f"?utm_source=n{number}&fbclid={number}&x{number}=1&tema=&q=%20"
        assert client.get("/siv/2026/" + junk).status_code == 200
        assert client.get("/siv/2026/forsta/" + junk).status_code == 200
        assert client.get("/siv/kalender.ics" + junk).status_code == 200
    assert cache_rows() == 3


@pytest.mark.django_db
def test_a_view_stores_at_most_its_budget_of_entries(client, session, database_cache, monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_STORED_PER_VIEW", 5)
    for number in range(12):
        page = client.get(f"/siv/2026/?q=ord{number}")
        assert page.status_code == 200 and "Inga programpunkter" in page.content.decode()  # built and served
    assert cache_rows() == 5


@pytest.mark.django_db
def test_values_are_put_in_one_order_so_equal_filters_share_an_entry(client, session):
    first = client.get("/siv/2026/?tema=smart-industri&dag=2026-11-10&tema=smart-industri")
    Session.objects.filter(pk=session.pk).update(title="Utan signal")  # no new version: only the key decides
    again = client.get("/siv/2026/?dag=2026-11-10&tema=smart-industri&utm_campaign=nov")
    assert again.content == first.content


@pytest.mark.django_db
def test_what_a_cached_page_echoes_comes_from_the_normalised_parameters(client, session):
    hostile = client.get('/siv/2026/forsta/?utm_source="><b>ELAK</b>&fbclid=ELAK').content.decode()
    assert "ELAK" not in hostile
    assert 'name="next" value="/siv/2026/forsta/#kalender"' in hostile
    assert client.get("/siv/2026/forsta/").content.decode() == hostile
    noted = client.get("/siv/2026/?tema=finns-inte&spam=ELAK").content.decode()
    assert "finns-inte" in noted and "ELAK" not in noted


@pytest.mark.django_db
def test_a_cache_hit_costs_one_query_with_the_database_cache_and_a_304_as_well(client, session, database_cache):
    built = client.get("/siv/2026/forsta/")
    pagecache.MEMORY.clear()  # not this process's memory: the shared cache
    with CaptureQueriesContext(connection) as hit:
        again = client.get("/siv/2026/forsta/")
    assert (again.content, len(hit)) == (built.content, 1)
    with CaptureQueriesContext(connection) as revalidated:
        not_modified = client.get("/siv/2026/forsta/", headers={"if-none-match": built["ETag"]})
    assert (not_modified.status_code, len(revalidated)) == (304, 1)


@pytest.mark.django_db
def test_the_version_outlives_a_culled_cache_and_keeps_every_etag(client, session, database_cache):
    page = client.get("/siv/2026/")
    with connection.cursor() as cursor:  # what a cull does to the first keys in sort order
        cursor.execute("DELETE FROM siv_cache WHERE cache_key LIKE %s", ["%content-version%"])
    assert client.get("/siv/2026/", headers={"if-none-match": page["ETag"]}).status_code == 304
    cache.clear()
    assert client.get("/siv/2026/", headers={"if-none-match": page["ETag"]}).status_code == 304


def rename(audience):
    audience.name = "Nytt namn"
    audience.save()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        lambda session: session.themes.add(theme("hallbar-livsmedelsforsorjning")),
        lambda session: session.themes.clear(),
        lambda session: rename(Audience.objects.first()),
    ],
    ids=["theme added", "themes cleared", "audience renamed"],
)
def test_every_public_change_moves_the_version_and_the_page(client, session, change):
    before = client.get("/siv/2026/forsta/")
    version = content.content_version()
    change(session)
    assert content.content_version() != version
    assert client.get("/siv/2026/forsta/", headers={"if-none-match": before["ETag"]}).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_edit_leaves_the_version_and_the_next_commit_still_bumps(edition):
    session = SessionFactory(edition=edition)
    committed = ContentVersion.objects.get(pk=1).version
    with pytest.raises(RuntimeError), transaction.atomic():  # as every import preview does
        session.title = "Aldrig sparad"
        session.save()
        raise RuntimeError
    assert ContentVersion.objects.get(pk=1).version == committed
    for _ in range(3):  # the bump after commit runs every time, not only before the first rollback
        with transaction.atomic():
            session.title = "Sparad"
            session.save()
            inside = ContentVersion.objects.get(pk=1).version
        after = ContentVersion.objects.get(pk=1).version
        assert committed != inside != after  # a second version once the data is committed
        assert content.content_version() == after
        committed = after


@pytest.mark.django_db
def test_made_up_cookies_and_the_preview_parameter_get_the_shared_page(client, session):
    client.get("/siv/2026/forsta/")
    attempts = [
        {"cookies": {"sessionid": "påhittad"}, "query": ""},
        {"cookies": {}, "query": "?forhandsvisning=1"},
        {"cookies": {"sessionid": "x", "messages": "y", pagecache.STAFF_COOKIE: "7:falsk"}, "query": ""},
    ]
    for attempt in attempts:
        client.cookies.clear()
        for name, value in attempt["cookies"].items():
            client.cookies[name] = value
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/siv/2026/forsta/" + attempt["query"])
        assert (response.status_code, len(queries)) == (200, 0), attempt


@pytest.mark.django_db
def test_signing_in_to_the_admin_sets_the_staff_marker_and_signing_out_removes_it(client):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("redaktor", password="ett-langt-losenord-123", is_staff=True)
    client.post("/admin/login/", {"username": "redaktor", "password": "ett-langt-losenord-123"})
    assert pagecache.is_staff_marked(type("R", (), {"COOKIES": {k: v.value for k, v in client.cookies.items()}}))
    client.post("/admin/logout/")
    assert client.cookies[pagecache.STAFF_COOKIE].value == ""


@pytest.mark.django_db
def test_an_open_data_304_from_the_page_cache_can_be_read_from_any_site(client, session):
    first = client.get("/siv/api/v1/sessions.json")
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get("/siv/api/v1/sessions.json", headers={"if-modified-since": first["Last-Modified"]})
    assert (again.status_code, again["Access-Control-Allow-Origin"]) == (304, "*")


@pytest.mark.django_db
def test_polls_with_new_changed_since_times_are_bounded_like_any_filter(client, session, database_cache, monkeypatch):
    monkeypatch.setattr(pagecache, "MAX_STORED_PER_VIEW", 3)
    for minute in range(10):
        assert client.get(f"/siv/api/v1/sessions.json?andrad_efter=2026-11-01T12:{minute:02d}:00").status_code == 200
    assert cache_rows() == 3
