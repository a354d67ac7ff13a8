from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import RedirectView

from .mail import healthz
from .sitemaps import SITEMAPS, robots_txt
from .views import privacy

urlpatterns = [
    path("", RedirectView.as_view(url="/siv/", permanent=False)),
    # Before the admin's own pages, whose last pattern catches every address under the admin path.
    path(settings.ADMIN_PATH, include("innovationsvecka.password_reset")),
    path(settings.ADMIN_PATH + "tvastegsverifiering/", include("innovationsvecka.twofactor_views")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots"),
    path("healthz", healthz, name="healthz"),  # for a monitor: the database and the e-mail queue
]

urlpatterns += i18n_patterns(
    path("siv/aktorer/", include("organisers.urls")),
    path("siv/integritet/", privacy, name="privacy"),
    path("siv/", include("events.urls")),
    prefix_default_language=False,
)

# A lost database answers 503 (see innovationsvecka.middleware); everything else gets the branded 500.
handler500 = "innovationsvecka.views.server_error"
