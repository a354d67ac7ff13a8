from django.db.models import Prefetch

from organisers.models import Contact

from .models import Edition


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

    return {"current_edition": SimpleLazyObject(week_contacts)}
