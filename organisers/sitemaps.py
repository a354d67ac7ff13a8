from django.contrib.sitemaps import Sitemap

from .models import Organisation


class OrganisationSitemap(Sitemap):
    """Active actors' pages in both languages. Inactive actors keep their page but are not offered to search engines."""

    changefreq = "monthly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return Organisation.objects.active().only("slug", "updated").order_by("name", "pk")

    def lastmod(self, organisation):
        return organisation.updated
