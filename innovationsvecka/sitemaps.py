"""sitemap.xml (every public page in Swedish and English, with hreflang alternates) and robots.txt."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.http import HttpResponse
from django.urls import reverse

from events.models import Edition, Session
from organisers.models import Organisation


class SiteSitemap(Sitemap):
    """Addresses use the public site's own name (DJANGO_SITE_URL), whatever host the request came to."""

    i18n = True
    alternates = True
    x_default = True

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"


class PageSitemap(SiteSitemap):
    changefreq = "weekly"
    names = [
        "events:programme", "events:week", "events:map", "events:now", "events:archive", "events:about",
        "events:accessibility", "events:open_data",
    ]

    def items(self):
        return self.names

    def location(self, item):
        return reverse(item)


class EditionSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Edition.objects.order_by("-year")

    def lastmod(self, edition):
        return edition.updated


class SessionSitemap(SiteSitemap):
    changefreq = "daily"

    def items(self):
        return Session.objects.public().filter(edition__is_published=True).select_related("edition").order_by("pk")

    def lastmod(self, session):
        return session.updated


class OrganisationSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.active().order_by("name")

    def lastmod(self, organisation):
        return organisation.updated


SITEMAPS = {
    "pages": PageSitemap,
    "editions": EditionSitemap,
    "sessions": SessionSitemap,
    "organisations": OrganisationSitemap,
}


def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {settings.SITE_URL}/sitemap.xml", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
