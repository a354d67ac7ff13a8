"""Registrations in the admin (issue 16): scoped lists, xlsx export, removing, attendance and walk-ins, and the
"N anmälda får ett meddelande" line before a cancel or withdrawal."""

import io

import openpyxl
import pytest
from django.core import mail

from events import registrations
from events.models import Registration, Session
from tests.conftest import login_staff, text
from tests.factories import OrganisationFactory, actor_editor
from tests.test_registration import YEAR, here_session, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_edition(db):
    from tests.factories import EditionFactory

    return EditionFactory(year=YEAR)

LIST = "/admin/events/registration/"


@pytest.fixture
def two_sessions(next_edition):
    ours, theirs = OrganisationFactory(name="Vår aktör"), OrganisationFactory(name="Deras aktör")
    mine = here_session(next_edition, slug="var", title="Vår punkt", organisers=[ours], ask_needs=True)
    other = here_session(next_edition, slug="deras", title="Deras punkt", organisers=[theirs])
    registrations.register(session_id=mine.pk, name="Anna Ander", email="anna@example.org", needs="Hörslinga",
                           needs_consent=True)
    registrations.register(session_id=other.pk, name="Bertil Berg", email="bertil@example.org")
    return ours, mine, other


def test_staff_see_every_registration(editor_client, two_sessions):
    page = text(editor_client.get(LIST))
    assert "Anna Ander" in page and "Bertil Berg" in page
    assert "Anmälningar per programpunkt och närvaro" in page and "Rapport efter veckan" in page


def test_an_actor_editor_sees_and_exports_only_their_organisations(client, two_sessions):
    ours, mine, other = two_sessions
    login_staff(client, actor_editor(ours))
    page = text(client.get(LIST))
    assert "Anna Ander" in page and "Bertil Berg" not in page
    assert client.get(f"{LIST}narvaro/{other.pk}/").status_code == 404
    assert client.get(f"{LIST}narvaro/{other.pk}/xlsx/").status_code == 404
    theirs = Registration.objects.get(session=other)
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code in (302, 404)
    response = client.get(f"{LIST}narvaro/{mine.pk}/xlsx/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:4] == ("programpunkt", "börjar", "namn", "e-post")
    assert [row[2] for row in rows[1:]] == ["Anna Ander"] and rows[1][8] == "Hörslinga"
    every = [r.pk for r in Registration.objects.all()]
    action = client.post(LIST, {"action": "export_xlsx", "_selected_action": every})
    exported = list(openpyxl.load_workbook(io.BytesIO(action.content)).active.values)
    assert [row[2] for row in exported[1:]] == ["Anna Ander"]  # the other organisation's row is not in it
    overview = text(client.get(f"{LIST}narvaro/"))
    assert "Vår punkt" in overview and "Deras punkt" not in overview


def test_formulas_stay_text_in_the_export(editor_client, next_edition):
    session = here_session(next_edition)
    registrations.register(session_id=session.pk, name="=HYPERLINK(\"x\")", email="f@example.org")
    response = editor_client.get(f"{LIST}narvaro/{session.pk}/xlsx/")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[1][2] == "'=HYPERLINK(\"x\")"


def test_removing_a_registration_moves_the_queue_up(editor_client, next_edition):
    session = here_session(next_edition, capacity=1)
    first, second = register(1, session), register(2, session)
    mail.outbox.clear()
    response = editor_client.post(LIST, {"action": "remove_selected", "_selected_action": [first.pk]})
    assert response.status_code == 302 and not Registration.objects.filter(pk=first.pk).exists()
    second.refresh_from_db()
    assert second.status == "confirmed" and [m.to for m in mail.outbox] == [["p2@example.org"]]


def test_attendance_page_ticks_who_came_and_adds_walk_ins(editor_client, next_edition):
    session = here_session(next_edition)
    register(1, session)
    two = register(2, session)
    url = f"{LIST}narvaro/{session.pk}/"
    page = editor_client.get(url)
    assert page.status_code == 200 and "Person 1" in text(page) and 'name="came"' in page.content.decode()
    assert editor_client.post(url, {"came": [str(two.pk)]}).status_code == 302
    assert list(Registration.objects.filter(attended=True).values_list("pk", flat=True)) == [two.pk]
    assert editor_client.post(url, {"walk_in": "1", "name": "Gunnar Gäst", "organisation": ""}).status_code == 302
    walk_in = Registration.objects.get(walk_in=True)
    assert (walk_in.name, walk_in.attended, walk_in.email) == ("Gunnar Gäst", True, "")
    assert "2 har kommit" in text(editor_client.get(url))


def test_cancel_and_withdraw_confirmations_say_how_many_get_a_message(editor_client, next_edition):
    session = here_session(next_edition)
    for n in range(5):
        register(n, session)
    data = {"action": "cancel_sessions", "_selected_action": [session.pk]}
    assert "5 anmälda får ett meddelande." in text(editor_client.post("/admin/events/session/", data))
    data["action"] = "unpublish_sessions"
    assert "5 anmälda får ett meddelande." in text(editor_client.post("/admin/events/session/", data))


def test_the_session_form_has_the_registration_settings(editor_client, next_edition):
    session = here_session(next_edition)
    page = editor_client.get(f"/admin/events/session/{session.pk}/change/").content.decode()
    for name in ("registration_mode", "join_url", "ask_organisation", "ask_needs"):
        assert f'name="{name}"' in page
    assert Session.objects.get(pk=session.pk).registration_mode == "here"


def test_with_registration_here_a_public_join_link_is_refused(editor_client, next_edition):
    from tests.admin_post import posted

    session = here_session(next_edition, format=Session.Format.DIGITAL, venue=None, slug="digi",
                           online_note="Länken skickas efter anmälan.")
    url = f"/admin/events/session/{session.pk}/change/"
    response = editor_client.post(url, posted(editor_client.get(url), online_url="https://meet.example.org/x"))
    assert response.status_code == 200 and "länk för anmälda" in response.content.decode()
    response = editor_client.post(url, posted(editor_client.get(url), join_url="https://meet.example.org/x"))
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).join_url == "https://meet.example.org/x"
