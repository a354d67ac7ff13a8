"""How long a proposer's personal data is kept, and its deletion (manage.py purge_proposer_data, nightly).

A proposal carries its proposer's name, e-mail address and the time of consent (and the personal link, which
is the key to the proposer's page). All of it is deleted SIV_PROPOSER_RETENTION_DAYS (default 90) days after the
last day of the proposal's edition, whatever became of the proposal, from the session and from every row of its
history (simple-history's HistoricalSession), also for sessions deleted since. The proposals themselves stay,
without the personal data, with their language and outcome: the counts for the funder report (proposal_counts)
are the same before and after.

Rows are changed with UPDATE: no new history rows, no signals, no change of the public content version (the
data was never public). Running it again changes nothing.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from .models import Edition, Session

DEFAULT_DAYS = 90
PERSONAL = {"proposer_name": "", "proposer_email": "", "consent_at": None, "proposal_token": None}


def retention_days():
    return int(getattr(settings, "SIV_PROPOSER_RETENTION_DAYS", DEFAULT_DAYS))


def has_personal_data():
    return ~Q(proposer_name="") | ~Q(proposer_email="") | Q(consent_at__isnull=False) | Q(
        proposal_token__isnull=False
    )


def expired_editions(today=None, days=None):
    """Editions whose last day was more than `days` days ago."""
    today = today or timezone.localdate()
    days = retention_days() if days is None else days
    return Edition.objects.filter(end_date__lt=today - datetime.timedelta(days=days))


@transaction.atomic
def purge(today=None, days=None):
    """Delete the proposers' personal data of expired editions; returns (sessions, history rows) changed."""
    editions = expired_editions(today, days).values("pk")
    now = timezone.now()
    sessions = Session.objects.filter(edition__in=editions).filter(has_personal_data())
    changed = sessions.update(**PERSONAL, proposer_data_deleted_at=now)
    History = Session.history.model
    ids = Session.objects.filter(edition__in=editions).values("pk")
    rows = History.objects.filter(Q(edition_id__in=editions) | Q(id__in=ids)).filter(has_personal_data())
    history_changed = rows.update(**PERSONAL)
    return changed, history_changed


def proposal_counts():
    """Per edition year: proposals received through the form, accepted, declined, withdrawn, waiting."""
    Outcome = Session.ProposalOutcome
    rows = (
        Session.objects.exclude(proposal_language="")
        .values("edition__year")
        .annotate(
            received=Count("pk"),
            accepted=Count("pk", filter=Q(proposal_outcome=Outcome.ACCEPTED)),
            declined=Count("pk", filter=Q(proposal_outcome=Outcome.DECLINED)),
            withdrawn=Count("pk", filter=Q(proposal_outcome=Outcome.WITHDRAWN)),
            waiting=Count("pk", filter=Q(proposal_outcome="")),
        )
        .order_by("edition__year")
    )
    return {row.pop("edition__year"): row for row in rows}
