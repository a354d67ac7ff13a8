"""Proposers' personal data is deleted a stated time after the week (events/retention.py, purge_proposer_data),
from the proposals and their history rows, whatever became of them; the counts stay; the privacy note says so."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Session
from events.retention import proposal_counts
from tests.conftest import text
from tests.factories import EditionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def proposal(edition, outcome="", status=Session.Status.PROPOSED, **kwargs):
    session = SessionFactory(
        edition=edition, status=status, proposer_name="Saga Lind", proposer_email="saga@example.org",
        consent_at=timezone.now(), proposal_token=f"t{Session.objects.count()}" + "x" * 40,
        proposal_language="sv", proposal_outcome=outcome, **kwargs,
    )
    session.title += " (ändrad)"
    session.save()  # a second history row
    return session


@pytest.fixture
def old_edition(db):
    """An edition whose week ended more than 90 days ago, whatever today is."""
    year = timezone.localdate().year - 1
    edition = EditionFactory(year=year)
    assert edition.end_date < timezone.localdate() - datetime.timedelta(days=90)
    return edition


def purge(*args):
    out = StringIO()
    call_command("purge_proposer_data", *args, stdout=out)
    return out.getvalue()


def personal(session_id):
    rows = [Session.objects.filter(pk=session_id).values(*FIELDS).first()]
    rows += list(Session.history.filter(id=session_id).values(*FIELDS))
    return [row for row in rows if row]


FIELDS = ["proposer_name", "proposer_email", "consent_at", "proposal_token"]
EMPTY = {"proposer_name": "", "proposer_email": "", "consent_at": None, "proposal_token": None}


def test_purge_deletes_personal_data_after_the_stated_time_and_keeps_the_counts(old_edition):
    Outcome = Session.ProposalOutcome
    accepted = proposal(old_edition, Outcome.ACCEPTED, status=Session.Status.PUBLISHED)
    declined = proposal(old_edition, Outcome.DECLINED, status=Session.Status.DECLINED)
    deleted = proposal(old_edition, Outcome.DECLINED, status=Session.Status.DECLINED)
    deleted_id = deleted.pk
    deleted.delete()
    current = EditionFactory(year=timezone.localdate().year + 1)
    fresh = proposal(current)
    counts = proposal_counts()
    assert counts[old_edition.year] == {"received": 2, "accepted": 1, "declined": 1, "withdrawn": 0, "waiting": 0}

    output = purge()
    assert "Raderade förslagsställarens uppgifter i 2 förslag" in output
    for session_id in (accepted.pk, declined.pk, deleted_id):
        rows = personal(session_id)
        assert rows and all(row == EMPTY for row in rows), session_id
    assert all(row["proposer_email"] == "saga@example.org" for row in personal(fresh.pk))
    accepted.refresh_from_db()
    assert accepted.proposer_data_deleted_at is not None and accepted.status == Session.Status.PUBLISHED
    assert proposal_counts() == counts

    again = purge()  # idempotent
    assert "i 0 förslag och 0 historikrader" in again


def test_purge_waits_until_the_stated_days_have_passed(settings):
    today = timezone.localdate()
    edition = EditionFactory(year=today.year - 1)
    days_since = (today - edition.end_date).days
    session = proposal(edition)
    settings.SIV_PROPOSER_RETENTION_DAYS = days_since  # the end date is exactly that long ago: kept
    purge()
    assert all(row["proposer_email"] for row in personal(session.pk))
    purge("--days", str(days_since - 1))
    assert all(row == EMPTY for row in personal(session.pk))


def test_personal_link_stops_working_after_the_purge(client, old_edition):
    session = proposal(old_edition)
    assert client.get(f"/siv/foresla/{session.proposal_token}/").status_code == 200
    purge()
    assert client.get(f"/siv/foresla/{session.proposal_token}/").status_code == 404


def test_privacy_note_states_the_time(client, settings, db):
    settings.PAGE_CACHE = False
    assert "raderas 90 dagar efter innovationsveckans sista dag" in text(client.get("/siv/integritet/"))
    settings.SIV_PROPOSER_RETENTION_DAYS = 60
    assert "raderas 60 dagar efter" in text(client.get("/siv/integritet/"))
    assert "deleted 60 days after the last day" in text(client.get("/en/siv/integritet/"))


def test_the_nightly_job_runs_the_purge():
    from pathlib import Path

    from django.conf import settings

    unit = (Path(settings.BASE_DIR) / "deploy" / "siv-clean-my-programmes.service").read_text()
    assert "manage.py purge_proposer_data" in unit
