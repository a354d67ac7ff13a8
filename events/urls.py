from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.programme, name="programme"),
    path("<int:year>/", views.programme, name="edition"),
    path("<int:year>/<slug:slug>/", views.SessionDetailView.as_view(), name="detail"),
]
