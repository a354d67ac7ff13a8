from django.db.models import Max, Q
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from events.models import Edition, Session

PUBLIC_STATUSES = [Session.Status.PUBLISHED, Session.Status.CANCELLED]


def newest_published_change():
    """When the public programme last changed: a published edition or one of its public sessions."""
    row = Edition.objects.published().aggregate(
        edition=Max("updated"),
        session=Max("sessions__updated", filter=Q(sessions__status__in=PUBLIC_STATUSES)),
    )
    return max((value for value in row.values() if value), default=None)


def open_for_proposals(home):
    """The edition the proposal form takes proposals for, as events.proposals.open_edition decides, without a
    query: that is the first edition that has not ended, which is the home edition when it has not ended."""
    today = timezone.localdate()
    if home is None or home.end_date < today:
        return None
    if home.proposal_deadline and home.proposal_deadline < today:
        return None
    return home


def site(request):
    """The week's contact block shown in every page's footer, from the edition /siv/ shows (Edition.home),
    and the edition the proposal form is open for, if any (includes/proposal_link.html). Both depend on the
    data and the date only, so cached pages stay the same for everyone; the page lifetime covers the date.

    Lazy, so pages that never render the footer (feeds, admin) pay no query.
    """

    current = SimpleLazyObject(lambda: Edition.objects.with_public_contacts().home())
    return {
        "current_edition": current,
        "proposal_edition": SimpleLazyObject(lambda: open_for_proposals(current or None)),
        "last_updated": SimpleLazyObject(newest_published_change),
    }
