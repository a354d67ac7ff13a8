"""SEQUENCE only rises and first_published is never cleared, whoever saves: a history revert, a stale second copy,
a save after a venue move. A short name taken by a concurrent proposal gives the next free one, not a 500."""

import datetime

import pytest
from django.db import IntegrityError

from events import services
from events.models import Session
from tests.factories import SessionFactory, local, programme_editor

CHANGELIST = "/admin/events/session/"


@pytest.fixture
def editor_client(client, db):
    client.force_login(programme_editor())
    return client


def revert_data(version):
    """What the revert form posts back unchanged: the old version's own values."""
    start, end = version.start.astimezone(), version.end.astimezone()
    return {
        "edition": version.edition_id, "title": version.title, "slug": version.slug, "status": version.status,
        "start_0": f"{start:%Y-%m-%d}", "start_1": f"{start:%H:%M}", "end_0": f"{end:%Y-%m-%d}",
        "end_1": f"{end:%H:%M}", "format": version.format, "venue": version.venue_id, "language": version.language,
        "summary": version.summary, "cancellation_note": version.cancellation_note,
    }


def move(session, hours):
    session.start += datetime.timedelta(hours=hours)
    session.end += datetime.timedelta(hours=hours)
    return services.save_session(session=session)


def test_revert_to_an_earlier_time_raises_sequence_instead_of_lowering_it(editor_client, edition):
    session = SessionFactory(edition=edition, status="published", start=local(2026, 11, 10, 9),
                             end=local(2026, 11, 10, 10))
    first = session.history.earliest()
    for hours in (1, 1, 1):
        move(session, hours)
    session.refresh_from_db()
    assert session.sequence == 3
    response = editor_client.post(f"{CHANGELIST}{session.pk}/history/{first.history_id}/", revert_data(first))
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.local_start.hour, session.sequence) == (9, 4)


def test_revert_without_calendar_change_keeps_sequence(editor_client, edition):
    session = SessionFactory(edition=edition, status="published", title="Före")
    move(session, 1)
    move(session, -1)  # back where it started: sequence 2
    first = session.history.earliest()  # sequence 0, same time and place
    session.title = "Efter"
    services.save_session(session=session)
    editor_client.post(f"{CHANGELIST}{session.pk}/history/{first.history_id}/", revert_data(first))
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Före", 2)


def test_revert_of_a_withdrawn_session_keeps_first_published(editor_client, edition):
    """Withdrawn = once published, now a draft: feeds keep it as INSTÄLLT and it cannot be deleted."""
    session = SessionFactory(edition=edition, status="draft")
    never_published = session.history.earliest()
    services.publish(session=session)
    services.unpublish(session=session)
    published_at = Session.objects.get(pk=session.pk).first_published
    editor_client.post(f"{CHANGELIST}{session.pk}/history/{never_published.history_id}/",
                       revert_data(never_published))
    session.refresh_from_db()
    assert (session.status, session.first_published) == ("draft", published_at)
    assert published_at is not None
    assert list(Session.objects.in_calendars()) == [session]
    assert editor_client.get(f"{CHANGELIST}{session.pk}/delete/").status_code == 403


def test_two_stale_copies_saved_one_after_the_other_raise_sequence_twice(edition):
    session = SessionFactory(edition=edition, status="published")
    first_tab, second_tab = Session.objects.get(pk=session.pk), Session.objects.get(pk=session.pk)
    move(first_tab, 1)
    move(second_tab, 2)
    session.refresh_from_db()
    assert session.sequence == 2
    assert first_tab.sequence == 1 and second_tab.sequence == 2


def test_saving_a_copy_loaded_before_a_venue_move_keeps_the_venues_increment(edition):
    session = SessionFactory(edition=edition, status="published")
    loaded = Session.objects.get(pk=session.pk)
    venue = session.venue
    venue.street_address = "Kungsgatan 2"
    services.save_venue(venue=venue)
    loaded.title = "Ny rubrik"
    services.save_session(session=loaded)
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("Ny rubrik", 1)


def test_history_records_the_sequence_the_database_gave(edition):
    session = SessionFactory(edition=edition, status="published")
    stale = Session.objects.get(pk=session.pk)
    move(session, 1)
    move(stale, 2)
    assert [h.sequence for h in Session.history.filter(id=session.pk).order_by("history_id")] == [0, 1, 2]


def test_new_session_whose_slug_was_taken_meanwhile_gets_the_next_free_one(edition):
    """unique_slug chose "frukost", then a concurrent proposal saved "frukost" first: the insert fails on the
    unique constraint, and save_session takes the next free short name instead of raising."""
    SessionFactory(edition=edition, slug="frukost")
    late = SessionFactory.build(edition=edition, slug="frukost", venue=SessionFactory(edition=edition).venue)
    services.save_session(session=late)
    assert sorted(Session.objects.filter(title=late.title).values_list("slug", flat=True)) == ["frukost-2"]


def test_other_integrity_errors_are_not_hidden(edition):
    session = SessionFactory.build(edition=edition, venue=SessionFactory(edition=edition).venue)
    session.end = session.start  # breaks session_end_after_start, not the slug
    with pytest.raises(IntegrityError):
        services.save_session(session=session)
