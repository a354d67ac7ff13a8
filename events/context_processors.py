from django.db.models import Max, Prefetch, Q

from organisers.models import Contact

from .models import Edition, Session

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

    def week_contacts():
        edition = (
            Edition.objects.select_related("coordinator")
            .prefetch_related(Prefetch("contacts", queryset=Contact.objects.public(), to_attr="public_contacts"))
            .current()
        )
        return edition

    from django.utils.functional import SimpleLazyObject

    return {
        "current_edition": SimpleLazyObject(week_contacts),
        "last_updated": SimpleLazyObject(newest_published_change),
    }
