from django.urls import path

from . import api, county, embed, feeds, my_programme, news, og, openapi, proposals, registration_views, views, week

app_name = "events"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("nu/", views.now, name="now"),
    path("arkiv/", views.archive, name="archive"),
    path("om/", views.about, name="about"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("foresla/", proposals.propose, name="propose"),
    path("foresla/tack/", proposals.thanks, name="proposal_thanks"),
    path("foresla/<slug:token>/", proposals.personal, name="proposal_personal"),
    path("foresla/<slug:token>/dra-tillbaka/", proposals.withdraw_view, name="proposal_withdraw"),
    # Open data and the embed sit directly under /siv/, before the <int:year>/<slug> patterns.
    path("oppna-data/", api.open_data, name="open_data"),
    path("inbaddning/", embed.embed, name="embed"),
    path("nyheter.xml", news.news, name="news"),
    path("api/v1/openapi.json", openapi.openapi, name="api_openapi"),
    path("api/v1/sessions.json", api.sessions, name="api_sessions"),
    path("api/v1/sessions.jsonld", api.sessions_jsonld, name="api_sessions_jsonld"),
    path("api/v1/organisations.json", api.organisations, name="api_organisations"),
    path("api/v1/editions.json", api.editions, name="api_editions"),
    path("api/v1/<int:year>/sessions.json", api.sessions, name="api_edition_sessions"),
    path("api/v1/<int:year>/sessions.jsonld", api.sessions_jsonld, name="api_edition_sessions_jsonld"),
    path("anmalan/<slug:token>/", registration_views.personal, name="registration"),
    path("anmalan/<slug:token>/avboka/<int:pk>/", registration_views.cancel, name="registration_cancel"),
    path("anmalan/<slug:token>/radera/", registration_views.delete, name="registration_delete"),
    path("<int:year>/", views.programme, name="edition"),
    # The week as a grid and the county map ("vecka" and "karta" are reserved session slugs: events.addresses).
    path("vecka/", week.week, name="week"),
    path("<int:year>/vecka/", week.week, name="edition_week"),
    path("karta/", county.county_map, name="map"),
    path("<int:year>/karta/", county.county_map, name="edition_map"),
    path("<int:year>/<slug:slug>/", views.session_detail, name="detail"),
    path("<int:year>/<slug:slug>/og.png", og.session_og_image, name="session_og_image"),
    path("<int:year>/<slug:slug>/anmalan/", registration_views.register, name="register"),
    path("kalender.ics", feeds.programme_feed, name="feed"),
    path("<int:year>/kalender.ics", feeds.programme_feed, name="edition_feed"),
    path("<int:year>/spara-datumet.ics", views.save_the_date, name="save_the_date"),
    path("<int:year>/<slug:slug>.ics", feeds.session_ics, name="session_ics"),
    path("mitt-program/", my_programme.start, name="my_programme_start"),
    path("mitt-program/stjarna/", my_programme.star, name="star"),
    path("mitt-program/status.json", my_programme.status, name="my_programme_status"),
    path("mitt-program/angra/", my_programme.undo_delete, name="my_programme_undo"),
    path("mitt-program/<slug:token>.ics", feeds.my_programme_feed, name="my_programme_feed"),
    path("mitt-program/<slug:token>/", my_programme.detail, name="my_programme"),
    path("mitt-program/<slug:token>/anvand/", my_programme.adopt, name="my_programme_adopt"),
    path("mitt-program/<slug:token>/ny-adress/", my_programme.new_token, name="my_programme_new_token"),
    path("mitt-program/<slug:token>/radera/", my_programme.delete, name="my_programme_delete"),
    path("mitt-program/<slug:token>/qr.svg", my_programme.qr_code, name="my_programme_qr"),
]
