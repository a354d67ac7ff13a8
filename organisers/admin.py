from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Contact, Organisation, SupportType


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active", "support_types", "municipalities"]
    search_fields = ["name", "help_text"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["support_types", "municipalities", "editors"]
    inlines = [ContactInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "title", "is_public"]
    list_filter = ["is_public", "organisation"]
    search_fields = ["name", "title", "unit", "email", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(SupportType)
class SupportTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "order"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}
