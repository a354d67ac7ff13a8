"""Changes to sessions that calendars and the public must hear about."""

from django.db import transaction
from django.utils import timezone

from .models import Session


def calendar_fields_changed(session):
    """True if a saved session's time, place, format or status differs from the database row."""
    if session.pk is None:
        return False
    old = Session.objects.filter(pk=session.pk).values(*Session.CALENDAR_FIELDS).first()
    if old is None:
        return False
    return any(old[field] != getattr(session, field) for field in Session.CALENDAR_FIELDS)


@transaction.atomic
def save_session(*, session):
    """Save a session, raising its calendar SEQUENCE if subscribers' copies are now out of date.

    Every path that edits a session (admin, import, proposals) saves through here.
    """
    if calendar_fields_changed(session):
        session.sequence += 1
    if session.status == Session.Status.PUBLISHED and session.first_published is None:
        session.first_published = timezone.now()
    session.save()
    return session
