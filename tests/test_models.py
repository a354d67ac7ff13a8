import datetime

import pytest
from django.db import IntegrityError

from events.models import Edition, Session, week46
from events.services import save_session
from tests.factories import EditionFactory, SessionFactory, local


@pytest.mark.parametrize(
    ("year", "monday", "sunday"),
    [
        (2020, datetime.date(2020, 11, 9), datetime.date(2020, 11, 15)),
        (2026, datetime.date(2026, 11, 9), datetime.date(2026, 11, 15)),
        (2027, datetime.date(2027, 11, 15), datetime.date(2027, 11, 21)),
    ],
)
def test_week46_is_the_iso_week(year, monday, sunday):
    assert week46(year) == (monday, sunday)


@pytest.mark.django_db
def test_edition_dates_default_to_week46():
    edition = Edition.objects.create(year=2027, title="SIV 2027")
    edition.refresh_from_db()
    assert (edition.start_date, edition.end_date) == (datetime.date(2027, 11, 15), datetime.date(2027, 11, 21))


@pytest.mark.django_db
def test_edition_dates_can_be_overridden():
    edition = Edition.objects.create(
        year=2028, title="SIV 2028", start_date=datetime.date(2028, 11, 14), end_date=datetime.date(2028, 11, 17)
    )
    edition.refresh_from_db()
    assert (edition.start_date, edition.end_date) == (datetime.date(2028, 11, 14), datetime.date(2028, 11, 17))


@pytest.mark.django_db
def test_session_end_before_start_is_rejected_by_the_database(edition):
    with pytest.raises(IntegrityError):
        SessionFactory(edition=edition, start=local(2026, 11, 9, 12), end=local(2026, 11, 9, 11))


@pytest.mark.django_db
def test_session_slug_is_unique_within_an_edition(edition):
    SessionFactory(edition=edition, slug="samma")
    SessionFactory(edition=EditionFactory(year=2025), slug="samma")
    with pytest.raises(IntegrityError):
        SessionFactory(edition=edition, slug="samma")


@pytest.mark.django_db
def test_drafts_and_proposals_are_never_public(edition):
    published = SessionFactory(edition=edition, status=Session.Status.PUBLISHED)
    cancelled = SessionFactory(edition=edition, status=Session.Status.CANCELLED)
    SessionFactory(edition=edition, status=Session.Status.DRAFT)
    SessionFactory(edition=edition, status=Session.Status.PROPOSED)
    assert set(Session.objects.public()) == {published, cancelled}
    assert list(Session.objects.published()) == [published]


@pytest.mark.django_db
def test_on_day_uses_stockholm_days(edition):
    late = SessionFactory(edition=edition, start=local(2026, 11, 9, 23, 30), end=local(2026, 11, 10, 0, 30))
    SessionFactory(edition=edition, start=local(2026, 11, 10, 0, 15), end=local(2026, 11, 10, 1))
    assert list(Session.objects.on_day(datetime.date(2026, 11, 9))) == [late]


@pytest.mark.django_db
def test_moving_a_session_raises_its_sequence_and_keeps_its_uid(edition):
    session = SessionFactory(edition=edition)
    uid = session.uid
    session.title = "Ny rubrik"
    save_session(session=session)
    assert session.sequence == 0
    session.start += datetime.timedelta(hours=1)
    session.end += datetime.timedelta(hours=1)
    save_session(session=session)
    session.refresh_from_db()
    assert (session.sequence, session.uid) == (1, uid)


@pytest.mark.django_db
def test_publishing_records_first_publication(edition):
    session = SessionFactory(edition=edition, status=Session.Status.DRAFT)
    assert session.first_published is None
    session.status = Session.Status.PUBLISHED
    save_session(session=session)
    assert session.first_published is not None
