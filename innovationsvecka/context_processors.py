from django.db.models import Max, Q
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


def open_for_proposals():
    from events.proposals import open_edition

    return open_edition()[0]


def site(request):
    """The week's contact block shown in every page's footer, from the edition /siv/ shows (Edition.home),
    and the edition the proposal form is open for, if any (includes/proposal_link.html). Both depend on the
    data and the date only, so cached pages stay the same for everyone; the page lifetime covers the date.

    Lazy, so pages that never render the footer (feeds, admin) pay no query.
    """

    return {
        "current_edition": SimpleLazyObject(lambda: Edition.objects.with_public_contacts().home()),
        "proposal_edition": SimpleLazyObject(open_for_proposals),
        "last_updated": SimpleLazyObject(newest_published_change),
    }
