"""My programme: stars by plain form posts, a private page and a feed under a random token."""

import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import MyProgramme, Session
from events.my_programme import SESSION_KEY
from events.services import save_session
from tests.conftest import uid
from tests.factories import EditionFactory, SessionFactory, local
from tests.test_calendar import parse_everywhere

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}  # what a browser sends with a form on this site


def star(client, session, action="add", next_url=None):
    return client.post("/siv/mitt-program/stjarna/",
                       {"session": session.pk, "action": action, "next": next_url or session.get_absolute_url()},
                       headers=SAME_ORIGIN)  # fmt: skip


def own_list(client):
    return MyProgramme.objects.get(token=client.session[SESSION_KEY])


@pytest.mark.django_db
def test_starring_without_javascript_creates_a_list_under_a_long_random_token(client, edition):
    session = SessionFactory(edition=edition, title="Från idé till affär")
    response = star(client, session)
    programme = own_list(client)
    # The session page is the same for everyone (cached), so the list's own page says what happened
    assert (response.status_code, response["Location"]) == (302, programme.get_absolute_url())
    assert len(programme.token) >= 43  # 32 random bytes, base64: 256 bits
    assert list(programme.sessions.all()) == [session]
    page = client.get(response["Location"]).content.decode()
    assert "”Från idé till affär” finns nu i ditt program." in page
    assert f'<a href="{session.get_absolute_url()}">Tillbaka dit du var</a>' in page
    other = Client()
    star(other, session)
    assert own_list(other).token != programme.token


@pytest.mark.django_db
def test_unstarring_removes_the_session_and_keeps_the_list(client, edition):
    one, two = SessionFactory(edition=edition), SessionFactory(edition=edition)
    star(client, one)
    star(client, two)
    token = own_list(client).token
    response = star(client, one, action="remove", next_url=f"/siv/mitt-program/{token}/")
    assert response["Location"] == f"/siv/mitt-program/{token}/"
    assert list(own_list(client).sessions.all()) == [two]
    assert f"”{one.title}” är borttagen ur ditt program." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_start_page_explains_or_leads_to_your_own_list(client, edition):
    response = client.get("/siv/mitt-program/")
    assert response.status_code == 200
    assert "Du behöver inget konto." in response.content.decode()
    star(client, SessionFactory(edition=edition))
    response = client.get("/siv/mitt-program/")
    assert response["Location"] == f"/siv/mitt-program/{own_list(client).token}/"
    assert client.get("/en/siv/mitt-program/")["Location"] == f"/en/siv/mitt-program/{own_list(client).token}/"


@pytest.mark.django_db
def test_private_page_lists_sessions_with_share_link_qr_code_and_feed(client, edition):
    session = SessionFactory(edition=edition, title="Vätgas i industrin")
    star(client, session)
    token = own_list(client).token
    response = client.get(f"/siv/mitt-program/{token}/")
    html = response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in html
    assert "Vätgas i industrin" in html
    assert f'value="https://siv.example.org/siv/mitt-program/{token}/"' in html
    assert f'src="/siv/mitt-program/{token}/qr.svg"' in html
    assert f'href="webcal://siv.example.org/siv/mitt-program/{token}.ics"' in html
    assert "style=" not in html and "<style" not in html


@pytest.mark.django_db
def test_qr_code_is_an_svg_without_style_attributes(client, edition):
    star(client, SessionFactory(edition=edition))
    token = own_list(client).token
    response = client.get(f"/siv/mitt-program/{token}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"style" not in response.content
    assert len(root.findall("{http://www.w3.org/2000/svg}path")) == 1
    assert client.get("/siv/mitt-program/" + "x" * 43 + "/qr.svg").status_code == 404


@pytest.mark.django_db
def test_feed_follows_later_changes_to_starred_sessions(client, edition):
    session = SessionFactory(edition=edition, start=local(2026, 11, 9, 10), end=local(2026, 11, 9, 11))
    star(client, session)
    url = f"/siv/mitt-program/{own_list(client).token}.ics"
    before = client.get(url)
    session.start, session.end = local(2026, 11, 10, 14), local(2026, 11, 10, 15)
    save_session(session=session)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    event = parse_everywhere(after.content)[uid(session)]
    assert (event["SEQUENCE"], event["DTSTART"].dt.hour, event["DTSTART"].dt.day) == (1, 14, 10)
    session.status = Session.Status.CANCELLED
    save_session(session=session)
    event = parse_everywhere(client.get(url).content)[uid(session)]
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 2)


@pytest.mark.django_db
def test_starring_changes_the_feeds_etag(client, edition):
    one, two = SessionFactory(edition=edition), SessionFactory(edition=edition)
    star(client, one)
    url = f"/siv/mitt-program/{own_list(client).token}.ics"
    before = client.get(url)
    star(client, two)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert list(parse_everywhere(after.content)) == [uid(one), uid(two)]


@pytest.mark.django_db
def test_new_token_makes_the_old_addresses_404(client, edition):
    session = SessionFactory(edition=edition)
    star(client, session)
    old = own_list(client).token
    response = client.post(f"/siv/mitt-program/{old}/ny-adress/")
    new = own_list(client).token
    assert new != old and len(new) >= 43
    assert response["Location"] == f"/siv/mitt-program/{new}/"
    for path in [f"/siv/mitt-program/{old}/", f"/siv/mitt-program/{old}.ics", f"/siv/mitt-program/{old}/qr.svg"]:
        assert client.get(path).status_code == 404, path
    assert client.get(f"/siv/mitt-program/{new}.ics").status_code == 200
    assert list(own_list(client).sessions.all()) == [session]


@pytest.mark.django_db
def test_deleting_removes_the_list_and_its_feed(client, edition):
    star(client, SessionFactory(edition=edition))
    token = own_list(client).token
    response = client.post(f"/siv/mitt-program/{token}/radera/")
    assert response["Location"] == "/siv/mitt-program/"
    assert not MyProgramme.objects.filter(token=token, deleted_at=None).exists()  # undoable for 10 minutes
    assert client.get(f"/siv/mitt-program/{token}.ics").status_code == 404
    assert SESSION_KEY not in client.session
    assert "Ditt program är raderat." in client.get("/siv/mitt-program/").content.decode()


@pytest.mark.django_db
def test_a_shared_list_can_be_adopted_on_another_device(client, edition):
    one, two = SessionFactory(edition=edition), SessionFactory(edition=edition)
    star(client, one)
    token = own_list(client).token
    phone = Client()
    page = phone.get(f"/siv/mitt-program/{token}/").content.decode()
    assert "Använd det här programmet på den här enheten" in page
    assert 'value="remove"' not in page
    phone.post(f"/siv/mitt-program/{token}/anvand/")
    star(phone, two)
    assert list(own_list(client).sessions.all()) == [one, two]


@pytest.mark.django_db
def test_unknown_tokens_give_404_everywhere(client):
    token = "A" * 43
    for path in [f"/siv/mitt-program/{token}/", f"/siv/mitt-program/{token}.ics", f"/siv/mitt-program/{token}/qr.svg"]:
        assert client.get(path).status_code == 404, path
    for action in ["anvand", "ny-adress", "radera"]:
        assert client.post(f"/siv/mitt-program/{token}/{action}/").status_code == 404, action


@pytest.mark.django_db
def test_broken_or_hostile_star_posts_get_4xx_or_a_safe_redirect(client, edition):
    session = SessionFactory(edition=edition)
    draft = SessionFactory(edition=edition, status=Session.Status.DRAFT)
    hidden = SessionFactory(edition=EditionFactory(year=2027, is_published=False))

    def post(data):
        return client.post("/siv/mitt-program/stjarna/", data, headers=SAME_ORIGIN).status_code

    assert post({"action": "add"}) == 400
    assert post({"session": "abc", "action": "add"}) == 400
    assert post({"session": session.pk, "action": "x"}) == 400
    assert star(client, draft).status_code == 404
    assert star(client, hidden).status_code == 404
    assert post({"session": 10**9, "action": "add"}) == 404
    response = star(client, session, next_url="https://evil.example/")
    page = client.get(response["Location"]).content.decode()
    assert "evil.example" not in page and f'<a href="{session.get_absolute_url()}">Tillbaka dit du var</a>' in page
    assert client.get("/siv/mitt-program/stjarna/").status_code == 405
    assert not MyProgramme.objects.filter(sessions=draft).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, 302),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-site"}, 403),  # a neighbouring subdomain is another site too
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://testserver"}, 403),  # the browser's word wins
        ({"Origin": "http://testserver"}, 302),  # an older browser: Origin only
        ({"Origin": "https://siv.example.org.evil.test"}, 403),
        ({"Origin": "null"}, 403),
        ({}, 403),  # neither: not a browser form
    ],
)
def test_the_star_form_takes_posts_only_from_this_sites_own_pages(client, edition, headers, status):
    session = SessionFactory(edition=edition)
    response = client.post("/siv/mitt-program/stjarna/", {"session": session.pk, "action": "add"}, headers=headers)
    assert response.status_code == status
    assert MyProgramme.objects.filter(sessions=session).exists() is (status == 302)
    if status == 403:
        assert "Ditt program ändrades inte" in response.content.decode()


def page_queries(client, edition, count):
    sessions = SessionFactory.create_batch(count, edition=edition)
    for session in sessions:
        star(client, session)
    token = own_list(client).token
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/siv/mitt-program/{token}/")
    assert len(response.context["sessions"]) == count
    return len(queries)


@pytest.mark.django_db
def test_private_page_query_count_does_not_grow_with_sessions(edition):
    small = page_queries(Client(), edition, 3)
    assert page_queries(Client(), edition, 30) == small


@pytest.mark.django_db
def test_the_session_page_is_one_shared_copy_and_its_star_form_works_from_it(edition):
    """No per-visitor token on the page: the cached copy serves everyone, and starring from it works."""
    session = SessionFactory(edition=edition, title="Från idé till affär")
    first = Client(enforce_csrf_checks=True).get(session.get_absolute_url())
    assert "csrfmiddlewaretoken" not in first.content.decode() and "csrftoken" not in first.cookies
    newcomer = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as queries:
        page = newcomer.get(session.get_absolute_url())
    assert (page.content, len(queries)) == (first.content, 0)
    response = newcomer.post("/siv/mitt-program/stjarna/", {"session": session.pk, "action": "add"},
                             headers={"Origin": "http://testserver"})  # fmt: skip
    assert response.status_code == 302 and list(own_list(newcomer).sessions.all()) == [session]
    # the cached page stays the shared copy; the starred state comes from the small uncached answer
    assert newcomer.get(session.get_absolute_url()).content == first.content
    status = newcomer.get("/siv/mitt-program/status.json")
    assert (status.json(), status["Cache-Control"]) == ({"count": 1, "starred": [session.pk]}, "private, no-store")


@pytest.mark.django_db
def test_starring_with_javascript_answers_the_new_state_and_the_page_stays(client, edition):
    session = SessionFactory(edition=edition)
    json = {"Accept": "application/json", **SAME_ORIGIN}
    data = {"session": session.pk, "next": session.get_absolute_url()}
    added = client.post("/siv/mitt-program/stjarna/", {**data, "action": "add"}, headers=json)
    assert (added.status_code, added.json()) == (200, {"session": session.pk, "starred": True, "count": 1})
    assert added["Cache-Control"] == "private, no-store"
    removed = client.post("/siv/mitt-program/stjarna/", {**data, "action": "remove"}, headers=json)
    assert removed.json() == {"session": session.pk, "starred": False, "count": 0}
    assert client.get("/siv/mitt-program/status.json").json() == {"count": 0, "starred": []}


@pytest.mark.django_db
def test_status_costs_no_query_without_a_session(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/siv/mitt-program/status.json")
    assert (response.json(), len(queries)) == ({"count": 0, "starred": []}, 0)


@pytest.mark.django_db
def test_new_lists_from_one_address_are_limited_per_hour(edition, settings):
    from events import my_programme

    session = SessionFactory(edition=edition)
    settings.ALLOWED_HOSTS = ["testserver"]
    statuses = []
    for _ in range(my_programme.NEW_LISTS_PER_HOUR + 2):
        statuses.append(star(Client(), session).status_code)  # a new browser each time: a new list each time
    assert statuses.count(302) == my_programme.NEW_LISTS_PER_HOUR
    assert statuses[-2:] == [429, 429]
    assert MyProgramme.objects.count() == my_programme.NEW_LISTS_PER_HOUR
    refused = star(Client(), session)
    assert "väldigt många nya program" in refused.content.decode()
    other = Client(REMOTE_ADDR="192.0.2.9")  # another address is not affected
    assert star(other, session).status_code == 302


@pytest.mark.django_db
def test_every_programme_item_has_a_save_star_that_returns_to_the_item_without_javascript(client, edition):
    import re

    first, second = SessionFactory(edition=edition), SessionFactory(edition=edition)
    html = client.get("/siv/2026/").content.decode()
    forms = re.findall(r'<form method="post" action="/siv/mitt-program/stjarna/" class="star-form star-compact" '
                       r'data-session="(\d+)".*?name="next" value="([^"]+)"', html)  # fmt: skip
    assert forms == [(str(first.pk), f"/siv/2026/#s{first.pk}"), (str(second.pk), f"/siv/2026/#s{second.pk}")]
    assert f'<li class="session" id="s{first.pk}">' in html and "csrfmiddlewaretoken" not in html
    response = star(client, second, next_url=f"/siv/2026/#s{second.pk}")
    # Without JavaScript the visitor's own list says what happened (and offers the calendar), and links back to
    # the item they starred.
    assert response.status_code == 302 and response["Location"].startswith("/siv/mitt-program/")
    assert f'href="/siv/2026/#s{second.pk}"' in client.get(response["Location"]).content.decode()
    assert client.get("/siv/mitt-program/status.json").json()["starred"] == [second.pk]
    assert client.get("/siv/2026/").content.decode() == html  # the cached list stays the same for everyone
