from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .services import save_session
from .models import Audience, Edition, Municipality, Session, Theme, Venue


@admin.register(Edition)
class EditionAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "start_date", "end_date", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "intro"]
    filter_horizontal = ["contacts"]
    autocomplete_fields = ["coordinator"]


@admin.register(Theme, Audience, Municipality)
class NamedAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "street_address", "town", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "street_address", "town"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "edition", "start_local", "format", "status"]
    list_filter = ["edition", "status", "format", "themes", "venue__municipality"]
    search_fields = ["title", "summary", "description", "organisers__name"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["themes", "audiences", "organisers"]
    date_hierarchy = "start"
    list_select_related = ["edition"]
    readonly_fields = ["uid", "sequence", "first_published", "created", "updated"]

    @admin.display(description=_("börjar"), ordering="start")
    def start_local(self, obj):
        return obj.local_start

    def save_model(self, request, obj, form, change):
        save_session(session=obj)
