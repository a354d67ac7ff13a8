"""Mitt program: "Radera" and "Ge en ny länk" ask first (a page without JavaScript), deleting can be undone for
10 minutes from the same browser, and the list links every session and shows a cancelled one's note."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import MyProgramme, Session
from events.my_programme import SESSION_KEY, UNDO_COOKIE
from events.services import save_session
from tests.conftest import text
from tests.factories import SessionFactory, local

STAR = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def star(client, session):
    return client.post("/siv/mitt-program/stjarna/", {"session": session.pk, "action": "add"}, **STAR)


def own(client):
    return MyProgramme.objects.get(token=client.session[SESSION_KEY])


@pytest.fixture
def listed(client, edition):
    session = SessionFactory(edition=edition, title="Från idé till affär")
    star(client, session)
    return own(client)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "heading", "button"), [
    ("radera", "Radera mitt program?", "Ja, radera mitt program"),
    ("ny-adress", "Ge mitt program en ny länk?", "Ja, ge mitt program en ny länk"),
])
def test_the_list_page_links_to_a_confirmation_page_with_a_plain_form(client, listed, action, heading, button):
    page = client.get(listed.get_absolute_url()).content.decode()
    url = f"/siv/mitt-program/{listed.token}/{action}/"
    assert f'href="{url}"' in page
    assert f'action="{url}"' not in page  # the list page itself acts on nothing
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert f'<form method="post" action="{url}"' in html and "csrfmiddlewaretoken" in html
    assert button in html
    assert f'href="{listed.get_absolute_url()}"' in html  # "Nej, behåll …"
    MyProgramme.objects.get(pk=listed.pk, token=listed.token, deleted_at=None)  # a GET changed nothing


@pytest.mark.django_db
def test_confirmation_pages_in_english(client, listed):
    assert "Delete my programme?" in text(client.get(f"/en/siv/mitt-program/{listed.token}/radera/"))
    assert "Give my programme a new link?" in text(client.get(f"/en/siv/mitt-program/{listed.token}/ny-adress/"))


@pytest.mark.django_db
def test_deleting_can_be_undone_from_the_same_browser_within_ten_minutes(client, listed, edition):
    token = listed.token
    response = client.post(f"/siv/mitt-program/{token}/radera/")
    assert response["Location"] == "/siv/mitt-program/"
    assert UNDO_COOKIE in response.cookies and response.cookies[UNDO_COOKIE]["max-age"] == 600
    assert client.get(f"/siv/mitt-program/{token}/").status_code == 404
    assert client.get(f"/siv/mitt-program/{token}.ics").status_code == 404
    start = client.get("/siv/mitt-program/").content.decode()
    assert "Ångra, ta tillbaka mitt program" in start
    # Another browser cannot undo it.
    from django.test import Client

    other = Client()
    assert "Ångra" not in other.get("/siv/mitt-program/").content.decode()
    other.post("/siv/mitt-program/angra/")
    assert MyProgramme.objects.get(token=token).deleted_at is not None
    # This one can, and gets the same list, address and feed back.
    response = client.post("/siv/mitt-program/angra/")
    assert response["Location"] == f"/siv/mitt-program/{token}/"
    assert own(client).token == token and own(client).sessions.count() == 1
    assert client.get(f"/siv/mitt-program/{token}.ics").status_code == 200
    assert "Ångra" not in client.get("/siv/mitt-program/").content.decode()


@pytest.mark.django_db
def test_after_ten_minutes_the_list_is_gone_for_good(client, listed, monkeypatch):
    token = listed.token
    client.post(f"/siv/mitt-program/{token}/radera/")
    later = timezone.now() + datetime.timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Ångra" not in client.get("/siv/mitt-program/").content.decode()
    client.post("/siv/mitt-program/angra/")
    assert MyProgramme.objects.get(token=token).deleted_at is not None
    call_command("clean_my_programmes", stdout=open("/dev/null", "w"))
    assert not MyProgramme.objects.filter(token=token).exists()
    assert not MyProgramme.sessions.through.objects.filter(myprogramme__token=token).exists()


@pytest.mark.django_db
def test_a_new_link_happens_only_after_the_confirmation_post(client, listed):
    old = listed.token
    client.get(f"/siv/mitt-program/{old}/ny-adress/")
    assert own(client).token == old
    client.post(f"/siv/mitt-program/{old}/ny-adress/")
    assert own(client).token != old


@pytest.mark.django_db
def test_the_privacy_note_tells_about_the_ten_minutes(client):
    assert "10 minuter" in text(client.get("/siv/integritet/"))
    assert "10 minutes" in text(client.get("/en/siv/integritet/"))


@pytest.mark.django_db
def test_my_programme_links_every_session_and_shows_a_cancelled_ones_note(client, edition):
    kept = SessionFactory(edition=edition, title="Kvar")
    cancelled = SessionFactory(edition=edition, title="Blir inte av")
    withdrawn = SessionFactory(edition=edition, title="Tillbakadragen")
    for session in (kept, cancelled, withdrawn):
        star(client, session)
    cancelled.status, cancelled.cancellation_note = Session.Status.CANCELLED, "Föreläsaren är sjuk."
    save_session(session=cancelled)
    withdrawn.status = Session.Status.DRAFT
    save_session(session=withdrawn)
    html = client.get(own(client).get_absolute_url()).content.decode()
    for session in (kept, cancelled, withdrawn):
        assert f'href="{session.get_absolute_url()}"' in html, session.title
    assert "Föreläsaren är sjuk." in html


@pytest.mark.django_db
def test_a_moved_session_says_so_in_my_programme_and_on_its_page_for_a_week(client, edition, monkeypatch):
    session = SessionFactory(edition=edition, start=local(2026, 11, 10, 10), end=local(2026, 11, 10, 11))
    star(client, session)
    session.start, session.end = local(2026, 11, 10, 13), local(2026, 11, 10, 14)
    save_session(session=session)
    session.refresh_from_db()
    assert session.moved_from == local(2026, 11, 10, 10)
    mine = text(client.get(own(client).get_absolute_url()))
    assert "Ändrad: flyttad från 10.00" in mine
    assert "Ändrad: flyttad från 10.00" in text(client.get(session.get_absolute_url()))
    # To another day: the day is named.
    session.start, session.end = local(2026, 11, 12, 9), local(2026, 11, 12, 10)
    save_session(session=session)
    assert "Ändrad: flyttad från tisdag 10 november 10.00" in text(client.get(own(client).get_absolute_url()))
    # A week later it is no news any more.
    later = timezone.now() + datetime.timedelta(days=8)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Ändrad: flyttad" not in text(client.get(own(client).get_absolute_url()))
