"""An Atom feed of new and changed sessions, for newsletters and municipal sites (/siv/nyheter.xml).

Newest change first, the same sessions the calendar feeds carry across the published editions: a cancelled
or withdrawn session shows up again, marked, so readers hear that it is off.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from innovationsvecka.seo import absolute, site_name
from organisers.models import Organisation

from .calendar import shows_as_cancelled
from .models import Session

ITEMS = 50


class SessionNews(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Nytt och ändrat i programmet – %(site)s") % {"site": site_name()}

    def subtitle(self):
        return _("Nya programpunkter och ändringar i dem: tid, plats, inställda.")

    def link(self):
        return absolute(reverse("events:programme"))

    def feed_url(self):
        return absolute(reverse("events:news"))

    def items(self):
        return (
            Session.objects.in_calendars()
            .select_related("edition", "venue")
            .prefetch_related(Prefetch("organisers", Organisation.objects.order_by("name")))
            .order_by("-updated", "pk")[:ITEMS]
        )

    def item_title(self, item):
        return (_("INSTÄLLT: ") if shows_as_cancelled(item) else "") + item.title

    def item_description(self, item):
        parts = [item.local_start.strftime("%Y-%m-%d %H:%M") + "–" + item.local_end.strftime("%H:%M")]
        if item.has_place and item.venue is not None:
            parts.append(item.venue.full_address)
        if item.is_online:
            parts.append(_("Digitalt"))
        if item.summary:
            parts.append(item.summary)
        return " · ".join(parts)

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return f"urn:uuid:{item.uid}"

    def item_guid_is_permalink(self, item):
        return False

    def item_updateddate(self, item):
        return item.updated

    def item_pubdate(self, item):
        return item.first_published or item.created

    def item_author_name(self, item):
        return ", ".join(org.name for org in item.organisers.all()) or None

    def item_categories(self, item):
        return [item.edition.title]


news = SessionNews()
