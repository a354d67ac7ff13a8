from django.urls import include, path

from organisers.views import PrivacyView

from . import feeds, my_programme, pages, proposals, views

app_name = "events"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("nu/", pages.now, name="now"),
    path("arkiv/", pages.archive, name="archive"),
    path("om/", pages.about, name="about"),
    path("tillganglighet/", pages.accessibility, name="accessibility"),
    path("integritet/", PrivacyView.as_view(), name="privacy"),
    path("foresla/", proposals.propose, name="propose"),
    path("foresla/tack/", proposals.thanks, name="proposal_thanks"),
    path("<int:year>/", views.programme, name="edition"),
    path("<int:year>/<slug:slug>/", views.session_detail, name="detail"),
    path("kalender.ics", feeds.programme_feed, name="feed"),
    path("<int:year>/kalender.ics", feeds.programme_feed, name="edition_feed"),
    path("<int:year>/<slug:slug>.ics", feeds.session_ics, name="session_ics"),
    path("mitt-program/", include(my_programme.urlpatterns)),
]
