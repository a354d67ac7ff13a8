"""History staff can read and trust (issue 15): one save is one record, Swedish labels and local times, and a
revert that shows what it changes and reaches the calendars (innovationsvecka/history.py)."""

import icalendar

from events import services
from events.models import Session
from tests.admin_post import posted
from tests.conftest import text
from tests.factories import OrganisationFactory, SessionFactory, audience, local, theme

CHANGELIST = "/admin/events/session/"


def change(client, session, **changes):
    page = client.get(f"{CHANGELIST}{session.pk}/change/")
    return client.post(f"{CHANGELIST}{session.pk}/change/", posted(page, **changes))


def test_one_form_save_is_one_history_record_with_its_relations(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft")
    organisation = OrganisationFactory(name="Almi")
    before = session.history.count()
    response = change(
        editor_client, session, title="Ny rubrik", themes=[str(theme("smart-industri").pk)],
        audiences=[str(audience("idebarare").pk)], organisers=[str(organisation.pk)],
    )
    assert response.status_code == 302
    assert session.history.count() == before + 1
    record = session.history.latest()
    assert record.title == "Ny rubrik"
    assert [row.theme.slug for row in record.themes.all()] == ["smart-industri"]
    assert [row.organisation.name for row in record.organisers.all()] == ["Almi"]
    assert record.history_type == "~"


def test_adding_a_session_is_one_created_record(editor_client, edition):
    add = editor_client.get(f"{CHANGELIST}add/")
    data = posted(add, title="Ny punkt", slug="ny-punkt", status="draft", start_0="2026-11-10", start_1="09:00",
                  end_0="2026-11-10", end_1="10:00", format="digitalt", online_note="Länken skickas.",
                  themes=[str(theme("smart-industri").pk)])
    assert editor_client.post(f"{CHANGELIST}add/", data).status_code == 302
    session = Session.objects.get(slug="ny-punkt")
    assert [(r.history_type, r.themes.count()) for r in session.history.all()] == [("+", 1)]


def test_history_page_speaks_swedish_with_labels_and_local_times(editor_client, editor, edition):
    session = SessionFactory(edition=edition, status="draft", start=local(2026, 11, 12, 17), contact=None,
                             end=local(2026, 11, 12, 19))
    change(editor_client, session, status="published", start_0="2026-11-12", start_1="18:00", _bekraftat="1")
    page = editor_client.get(f"{CHANGELIST}{session.pk}/history/")
    shown = text(page)
    assert "Status: Utkast → Publicerad" in shown
    assert "Börjar: 12 nov 17:00 → 18:00" in shown
    for english in ("None", "Object", "Date/time", "Changed by", "Change reason", "History", "entries"):
        assert english not in shown
    assert "Ändrad av" in shown and "Ändrad" in shown and "Skapad" in shown
    stamp = session.history.latest().history_date
    assert f"{stamp.astimezone(local(2026, 1, 1).tzinfo):%H:%M}" in shown  # local time, no seconds
    assert f"{stamp.astimezone(local(2026, 1, 1).tzinfo):%H:%M:%S}" not in shown


def ics_sequence(client, session):
    response = client.get(f"/siv/{session.edition.year}/{session.slug}.ics")
    assert response.status_code == 200
    events = [c for c in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]
    return events[0]["SEQUENCE"]


def test_revert_page_shows_the_changes_and_raises_the_sequence(editor_client, edition, client):
    session = SessionFactory(edition=edition, status="published", start=local(2026, 11, 12, 17),
                             end=local(2026, 11, 12, 19), title="Första")
    first = session.history.earliest()
    change(editor_client, session, title="Andra", start_0="2026-11-12", start_1="18:00")
    sequence = ics_sequence(client, session)
    url = f"{CHANGELIST}{session.pk}/history/{first.history_id}/"
    revert = editor_client.get(url)
    shown = text(revert)
    assert "Det här ändras om du återställer" in shown
    assert "Rubrik: Andra → Första" in shown
    assert "Börjar: 12 nov 18:00 → 17:00" in shown
    assert 'value="Återställ"' in revert.content.decode()
    assert "Revert" not in shown and "History" not in shown
    assert editor_client.post(url, posted(revert)).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.start) == ("Första", local(2026, 11, 12, 17))
    assert ics_sequence(client, session) == sequence + 1


def test_revert_of_a_title_only_is_one_record(editor_client, edition):
    session = SessionFactory(edition=edition, status="draft", title="Första")
    first = session.history.earliest()
    services.save_session(session=Session.objects.get(pk=session.pk))
    change(editor_client, session, title="Andra")
    count = session.history.count()
    url = f"{CHANGELIST}{session.pk}/history/{first.history_id}/"
    assert editor_client.post(url, posted(editor_client.get(url))).status_code == 302
    assert session.history.count() == count + 1
