from django.urls import path

from . import views

app_name = "organisers"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<slug:slug>/kalender.ics", views.feed, name="feed"),
    path("<slug:slug>/kontakt/<int:pk>.vcf", views.vcard, name="vcard"),
    path("<slug:slug>/logotyp/", views.logo, name="logo"),
]
