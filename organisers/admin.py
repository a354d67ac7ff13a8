from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from events.models import Session
from innovationsvecka.edit_conflicts import EditConflictAdminMixin, EditConflictForm
from innovationsvecka.roles import OrganisationScopedAdminMixin

from . import invitations
from .admin_forms import OrganisationForm
from .models import Contact, Organisation, SupportType

SESSIONS_NAMED = 10


class OrganisationAdminForm(EditConflictForm, OrganisationForm):
    class Meta(OrganisationForm.Meta):
        pass


class ContactAdminForm(EditConflictForm):
    class Meta:
        model = Contact
        fields = "__all__"  # noqa: DJ007 -- unused: the ModelAdmin chooses the fields


def deletion_refusal(organisation):
    """Why an organisation with sessions cannot be deleted (None if it has none).

    Deleting it would leave its sessions, published ones too, with no organiser and no contact, and nothing in
    their history would say so. An organisation that has stopped is made inactive instead."""
    sessions = list(
        Session.objects.filter(organisers=organisation)
        .select_related("edition")
        .order_by("-edition__year", "start", "title", "pk")
    )
    if not sessions:
        return None
    named = "; ".join(f"{session.title} ({session.edition.year})" for session in sessions[:SESSIONS_NAMED])
    if len(sessions) > SESSIONS_NAMED:
        named += " " + gettext("och %(count)d till") % {"count": len(sessions) - SESSIONS_NAMED}
    return ngettext(
        "”%(name)s” kan inte raderas: aktören är arrangör av %(count)d programpunkt: %(sessions)s. "
        "Avaktivera aktören i stället (bocka ur ”aktiv”): då försvinner den ur katalogen men finns kvar på "
        "programpunkten.",
        "”%(name)s” kan inte raderas: aktören är arrangör av %(count)d programpunkter: %(sessions)s. "
        "Avaktivera aktören i stället (bocka ur ”aktiv”): då försvinner den ur katalogen men finns kvar på "
        "programpunkterna.",
        len(sessions),
    ) % {"name": organisation.name, "count": len(sessions), "sessions": named}


@admin.action(description=_("Radera valda aktörer som inte har några programpunkter"), permissions=["delete"])
def delete_without_sessions(modeladmin, request, queryset):
    """Django's bulk delete (with its confirmation page), minus every organisation that has sessions."""
    refused = queryset.filter(sessions__isnull=False).distinct()
    if request.POST.get("post") != "yes":
        for organisation in refused:
            modeladmin.message_user(request, deletion_refusal(organisation), messages.ERROR)
    deletable = queryset.exclude(pk__in=refused.values("pk"))
    if not deletable.exists():
        return None
    return delete_selected(modeladmin, request, deletable)


class ContactInline(admin.TabularInline):
    """Contacts in the order they are shown publicly: lowest "ordning" first."""

    model = Contact
    extra = 0
    fields = ["order", "name", "title", "unit", "email", "phones", "is_public"]
    ordering = ["order", "name"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(EditConflictAdminMixin, OrganisationScopedAdminMixin, SimpleHistoryAdmin):
    organisation_lookup = "pk"  # actor editors see only their own organisations
    form = OrganisationAdminForm
    list_display = ["name", "kind", "is_active", "public_contact_count"]
    list_filter = ["kind", "is_active", "support_types", "municipalities"]
    search_fields = ["name", "help_text", "website", "email", "contacts__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["support_types", "municipalities", "editors"]
    readonly_fields = ["sessions_per_edition"]
    inlines = [ContactInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_active", "version"]}),
        (_("Stöd"), {"fields": ["help_text", "support_types", "municipalities"]}),
        (_("Kontaktuppgifter"), {"fields": ["website", "email", "phone"]}),
        (_("Logotyp"), {"fields": ["logo", "logo_alt"]}),
        (_("Programmet"), {"fields": ["sessions_per_edition"]}),
        (_("Behörighet"), {"fields": ["editors"], "classes": ["collapse"]}),
    ]

    change_form_template = "admin/organisers/organisation/change_form.html"

    # Invitations (organisers/invitations.py): a Programredaktör invites an actor editor from this page.

    def get_urls(self):
        return [
            path("<int:organisation_id>/bjud-in/", self.admin_site.admin_view(self.invite_view),
                 name="organisers_organisation_invite"),
            path("inbjudan/<str:token>/", self.accept_invitation_view, name="organisers_invitation_accept"),
        ] + super().get_urls()

    def invite_view(self, request, organisation_id):
        if not invitations.may_invite(request.user):
            raise PermissionDenied
        organisation = get_object_or_404(Organisation, pk=organisation_id)
        return invitations.invite_view(self, request, organisation)

    def accept_invitation_view(self, request, token):
        return invitations.accept_view(request, token, self.admin_site)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["may_invite"] = bool(obj and obj.pk and invitations.may_invite(request.user))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(public_contact_total=Count("contacts", filter=Q(contacts__is_public=True), distinct=True))
        )

    def get_actions(self, request):
        """The bulk delete keeps Django's name (its confirmation page posts it back) but refuses organisations
        that have sessions."""
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                delete_without_sessions, "delete_selected", delete_without_sessions.short_description
            )
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        organisation = self.get_object(request, unquote(object_id))
        if organisation is not None and self.has_delete_permission(request, organisation):
            refusal = deletion_refusal(organisation)
            if refusal:
                self.message_user(request, refusal, messages.ERROR)
                return HttpResponseRedirect(reverse("admin:organisers_organisation_change", args=[organisation.pk]))
        return super().delete_view(request, object_id, extra_context=extra_context)

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
class ContactAdmin(EditConflictAdminMixin, OrganisationScopedAdminMixin, SimpleHistoryAdmin):
    form = ContactAdminForm
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
