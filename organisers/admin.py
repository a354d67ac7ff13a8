from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from events.models import Session
from innovationsvecka.roles import OrganisationScopedAdminMixin

from .admin_forms import OrganisationForm
from .models import Contact, Organisation, SupportType


class ContactInline(admin.TabularInline):
    """Contacts in the order they are shown publicly: lowest "ordning" first."""

    model = Contact
    extra = 0
    fields = ["order", "name", "title", "unit", "email", "phones", "is_public"]
    ordering = ["order", "name"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdminMixin, SimpleHistoryAdmin):
    organisation_lookup = "pk"  # actor editors see only their own organisations
    form = OrganisationForm
    list_display = ["name", "kind", "is_active", "public_contact_count"]
    list_filter = ["kind", "is_active", "support_types", "municipalities"]
    search_fields = ["name", "help_text", "website", "email", "contacts__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["support_types", "municipalities", "editors"]
    readonly_fields = ["sessions_per_edition"]
    inlines = [ContactInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_active"]}),
        (_("Stöd"), {"fields": ["help_text", "support_types", "municipalities"]}),
        (_("Kontaktuppgifter"), {"fields": ["website", "email", "phone"]}),
        (_("Logotyp"), {"fields": ["logo", "logo_alt"]}),
        (_("Programmet"), {"fields": ["sessions_per_edition"]}),
        (_("Behörighet"), {"fields": ["editors"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(public_contact_total=Count("contacts", filter=Q(contacts__is_public=True), distinct=True))
        )

    @admin.display(description=_("publika kontakter"), ordering="public_contact_total")
    def public_contact_count(self, obj):
        return obj.public_contact_total

    @admin.display(description=_("programpunkter per upplaga"))
    def sessions_per_edition(self, obj):
        if obj.pk is None:
            return _("Visas när aktören är sparad.")
        rows = (
            Session.objects.filter(organisers=obj)
            .values("edition__year")
            .annotate(
                total=Count("pk"),
                public=Count("pk", filter=Q(status__in=[Session.Status.PUBLISHED, Session.Status.CANCELLED])),
            )
            .order_by("-edition__year")
        )
        if not rows:
            return _("Inga programpunkter ännu.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {}</li>",
                (
                    (
                        row["edition__year"],
                        ngettext(
                            "%(total)d programpunkt, varav %(public)d publik",
                            "%(total)d programpunkter, varav %(public)d publika",
                            row["total"],
                        )
                        % row,
                    )
                    for row in rows
                ),
            ),
        )


@admin.register(Contact)
class ContactAdmin(OrganisationScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "title", "is_public", "order"]
    list_editable = ["order"]
    list_filter = ["is_public", "organisation__kind", "organisation"]
    search_fields = ["name", "title", "unit", "email", "organisation__name"]
    list_select_related = ["organisation"]
    ordering = ["organisation__name", "order", "name"]
    autocomplete_fields = ["organisation"]


@admin.register(SupportType)
class SupportTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}
