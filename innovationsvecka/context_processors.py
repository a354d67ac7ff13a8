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


def site(request):
    """The week's contact block shown in every page's footer, from the current edition.

    Lazy, so pages that never render the footer (feeds, admin) pay no query.
    """

    return {
        "current_edition": SimpleLazyObject(lambda: Edition.objects.with_public_contacts().current()),
        "last_updated": SimpleLazyObject(newest_published_change),
    }
