import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from innovationsvecka.edit_conflicts import EditConflictAdminMixin
from innovationsvecka.history import OneRecordPerSave
from innovationsvecka.roles import RevertNeedsChangeMixin, is_actor_editor, own_organisation_ids

from . import admin_actions, admin_proposals, services
from .admin_forms import SessionAdminForm, VenueAdminForm, overlapping_sessions, venue_label
from .models import Audience, Edition, Municipality, Session, Theme, Venue
from .resources import SessionResource
from .spreadsheets import SpreadsheetAdminMixin

PREVIEW = "?forhandsvisning=1"


class DayFilter(admin.SimpleListFilter):
    """The days of the edition being looked at (the filtered one, else the current one), spelled out."""

    title = gettext_lazy("dag")
    parameter_name = "dag"

    def lookups(self, request, model_admin):
        edition_id = request.GET.get("edition__id__exact")
        edition = None
        if edition_id and edition_id.isdigit():
            edition = Edition.objects.filter(pk=edition_id).first()
        edition = edition or Edition.objects.current()
        if edition is None:
            return []
        return [(day.isoformat(), services.long_date(day)) for day in edition.days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        return queryset.on_day(day)


@admin.register(Edition)
class EditionAdmin(OneRecordPerSave, RevertNeedsChangeMixin, SimpleHistoryAdmin):
    list_display = ["year", "title", "start_date", "end_date", "is_published", "proposal_deadline", "preview_link"]
    list_filter = ["is_published"]
    search_fields = ["title", "intro"]
    filter_horizontal = ["contacts"]
    autocomplete_fields = ["coordinator"]
    readonly_fields = ["preview_link"]
    actions = [admin_actions.publish_programme, admin_actions.unpublish_programme, admin_actions.copy_to_next_year]
    fieldsets = [
        (None, {"fields": ["year", "title", "is_published", "preview_link"]}),
        (gettext_lazy("Datum"), {"fields": ["start_date", "end_date", "proposal_deadline"]}),
        (gettext_lazy("Texter"), {"fields": ["intro", "about"]}),
        (gettext_lazy("Kontakt"), {"fields": ["coordinator", "contacts"]}),
    ]

    @admin.display(description=gettext_lazy("förhandsvisning"))
    def preview_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html(
            '<a href="{}{}">{}</a>', obj.get_absolute_url(), PREVIEW, _("Se programmet som besökarna kommer att se det")
        )

    def view_on_site(self, obj):
        return obj.get_absolute_url() + ("" if obj.is_published else PREVIEW)


@admin.register(Theme, Audience, Municipality)
class NamedAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    form = VenueAdminForm
    list_display = ["name", "street_address", "town", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["name", "street_address", "town"]
    list_select_related = ["municipality"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("municipality")

    def autocomplete_text(self, venue):
        """What the session form's venue box shows: name, street and municipality."""
        return venue_label(venue)

    def save_model(self, request, obj, form, change):
        services.save_venue(venue=obj)


@admin.register(Session)
class SessionAdmin(
    SpreadsheetAdminMixin, OneRecordPerSave, EditConflictAdminMixin, RevertNeedsChangeMixin, ImportExportModelAdmin,
    SimpleHistoryAdmin
):
    form = SessionAdminForm
    resource_classes = [SessionResource]
    change_list_template = "admin/events/session/change_list.html"
    import_template_name = "admin/events/session/import.html"
    list_display = ["day_and_time", "title", "status", "format", "municipality", "organiser_names", "preview_link"]
    list_display_links = ["title"]
    list_filter = [
        "edition", DayFilter, "status", "format", "themes", "venue__municipality",
        ("organisers", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "summary", "organisers__name", "venue__name", "venue__town"]
    date_hierarchy = "start"
    autocomplete_fields = ["organisers", "venue", "contact"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["edition", "venue__municipality"]
    list_per_page = 100
    readonly_fields = ["uid", "sequence", "first_published", "created", "updated", "proposal_info"]
    actions = [
        admin_actions.publish_sessions, admin_actions.unpublish_sessions, admin_actions.cancel_sessions,
        admin_actions.duplicate_sessions, admin_actions.delete_unpublished,
    ]
    # In the order staff think: what, when, where, who, registration, and then whether it is out.
    fieldsets = [
        (gettext_lazy("Vad"), {"fields": ["title", "slug", "summary", "description", "themes", "audiences",
                                          "language"]}),  # fmt: skip
        (gettext_lazy("På engelska"), {
            "classes": ["collapse"],
            "description": gettext_lazy(
                "Valfritt. Visas på de engelska sidorna och i engelska flöden; tomt ger svenskan."
            ),
            "fields": ["title_en", "summary_en", "description_en"],
        }),
        (gettext_lazy("När"), {"fields": ["edition", "start", "end"]}),
        (gettext_lazy("Var"), {"fields": ["format", "venue", "online_url", "online_note"]}),
        (gettext_lazy("Vilka"), {"fields": ["organisers", "contact"]}),
        (gettext_lazy("Anmälan"), {
            "fields": ["registration_url", "registration_deadline", "capacity", "is_full", "cost"]
        }),
        (gettext_lazy("Status"), {"fields": ["status", "cancellation_note", "version"]}),
        (gettext_lazy("Förslag och kalender"), {
            "classes": ["collapse"],
            "fields": ["proposal_info", "uid", "sequence", "first_published", "created", "updated"],
        }),
    ]

    class Media:
        css = {"all": ["css/admin-forms.css"]}
        js = ["js/admin-session-form.js"]

    # The list

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("organisers")
        if is_actor_editor(request.user):
            mine = Session.objects.filter(organisers__in=own_organisation_ids(request.user)).values("pk")
            queryset = queryset.filter(pk__in=mine)
        return queryset

    @admin.display(description=gettext_lazy("dag och tid"), ordering="start")
    def day_and_time(self, obj):
        start, end = timezone.localtime(obj.start), timezone.localtime(obj.end)
        return f"{formats.date_format(start, 'D j b')} {start:%H:%M}–{end:%H:%M}"

    @admin.display(description=gettext_lazy("kommun"), ordering="venue__municipality__name")
    def municipality(self, obj):
        if obj.venue_id:
            return obj.venue.municipality.name
        return _("Digitalt") if obj.format == Session.Format.DIGITAL else "–"

    @admin.display(description=gettext_lazy("arrangörer"))
    def organiser_names(self, obj):
        return ", ".join(org.name for org in obj.organisers.all()) or "–"

    @admin.display(description=gettext_lazy("visa"))
    def preview_link(self, obj):
        url = self.view_on_site(obj)
        label = _("Visa") if obj.is_public and obj.edition.is_published else _("Förhandsvisa")
        return format_html('<a href="{}">{}</a>', url, label)

    def view_on_site(self, obj):
        url = obj.get_absolute_url()
        return url if obj.is_public and obj.edition.is_published else url + PREVIEW

    @admin.display(description=gettext_lazy("föreslagen av"))
    def proposal_info(self, obj):
        if not obj.proposer_email:
            return "–"
        parts = [f"{obj.proposer_name} <{obj.proposer_email}>"]
        if obj.proposed_organisation:
            parts.append(_("ny arrangör: %(name)s") % {"name": obj.proposed_organisation})
        if obj.consent_at:
            when = formats.date_format(timezone.localtime(obj.consent_at), "j F Y H:i")
            parts.append(_("samtycke %(when)s") % {"when": when})
        return " · ".join(parts)

    # Who may do what

    def _own(self, request, obj):
        if obj is None or not is_actor_editor(request.user):
            return True
        organisation_ids = {org.pk for org in obj.organisers.all()}
        return bool(organisation_ids & own_organisation_ids(request.user))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._own(request, obj)

    def has_change_permission(self, request, obj=None):
        if not (super().has_change_permission(request, obj) and self._own(request, obj)):
            return False
        if obj is not None and is_actor_editor(request.user):
            return obj.status in (Session.Status.DRAFT, Session.Status.PROPOSED)
        return True

    def has_delete_permission(self, request, obj=None):
        """A session that has ever been published is cancelled or withdrawn instead, so calendars hear of it."""
        if obj is not None and obj.first_published is not None:
            return False
        return super().has_delete_permission(request, obj) and self._own(request, obj)

    def has_publish_permission(self, request):
        return self.has_change_permission(request) and not is_actor_editor(request.user)

    def has_import_permission(self, request):
        """Importing creates and changes sessions, so it needs both rights, and the whole programme."""
        return (
            self.has_add_permission(request) and self.has_change_permission(request)
            and not is_actor_editor(request.user)
        )

    def has_export_permission(self, request):
        return self.has_view_permission(request) and not is_actor_editor(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        if is_actor_editor(request.user):
            actions.pop("delete_unpublished", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if is_actor_editor(request.user):
            fields.append("cancellation_note")
        return fields

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("edition", Edition.objects.current())
        if is_actor_editor(request.user):
            initial.setdefault("status", Session.Status.PROPOSED)
            initial.setdefault("organisers", list(own_organisation_ids(request.user)))
        return initial

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status" and is_actor_editor(request.user):
            kwargs["choices"] = [
                (value, label) for value, label in Session.Status.choices
                if value in (Session.Status.DRAFT, Session.Status.PROPOSED)
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organisers" and is_actor_editor(request.user):
            from organisers.models import Organisation

            kwargs["queryset"] = Organisation.objects.filter(pk__in=own_organisation_ids(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contact" and is_actor_editor(request.user):
            from organisers.models import Contact

            kwargs["queryset"] = Contact.objects.filter(organisation__in=own_organisation_ids(request.user))
        if db_field.name == "venue":
            kwargs["queryset"] = Venue.objects.select_related("municipality")
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "venue" and field is not None:
            field.label_from_instance = venue_label
        return field

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if is_actor_editor(request.user):
            form.limited_to = own_organisation_ids(request.user)
        if is_actor_editor(request.user) and "organisers" in form.base_fields:
            form.base_fields["organisers"].required = True
            form.base_fields["organisers"].help_text = _("Minst en av dina egna organisationer.")
        return form

    # Saving

    def save_model(self, request, obj, form, change):
        """A status changed to published or cancelled in the form is the bulk actions' publish or cancel (asked
        first, by changeform_view)."""
        obj._history_user = request.user
        status_changed = not change or "status" in form.changed_data
        if status_changed and obj.status == Session.Status.PUBLISHED:
            services.publish(session=obj)
        elif status_changed and obj.status == Session.Status.CANCELLED:
            services.cancel(session=obj, note=obj.cancellation_note)
        else:
            services.save_session(session=obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and admin_actions.CONFIRMED not in request.POST:
            confirmation = admin_actions.confirm_form_save(self, request, object_id)
            if confirmation is not None:
                return confirmation
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        session = form.instance
        for other in overlapping_sessions(session).select_related("venue"):
            start, end = timezone.localtime(other.start), timezone.localtime(other.end)
            self.message_user(
                request,
                _("Obs: ”%(other)s” är på samma plats (%(venue)s) samtidigt, %(day)s %(start)s–%(end)s. "
                  "Programpunkten sparades ändå.") % {
                    "other": other.title, "venue": other.venue, "day": formats.date_format(start, "l j F"),
                    "start": f"{start:%H:%M}", "end": f"{end:%H:%M}",
                },
                messages.WARNING,
            )

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.filter(first_published__isnull=True))

    def get_import_data_kwargs(self, **kwargs):
        """Nothing is written unless every row of the file is valid."""
        data_kwargs = super().get_import_data_kwargs(**kwargs)
        data_kwargs["rollback_on_validation_errors"] = True
        data_kwargs["use_transactions"] = True
        return data_kwargs

    # Deleted sessions: found in the history, brought back from it

    def get_urls(self):
        return [
            path("raderade/", self.admin_site.admin_view(self.deleted_view), name="events_session_deleted"),
            path(
                "raderade/<int:session_id>/aterstall/",
                self.admin_site.admin_view(self.restore_view),
                name="events_session_restore",
            ),
        ] + super().get_urls()

    def deleted_view(self, request):
        if not self.has_add_permission(request) or is_actor_editor(request.user):
            raise PermissionDenied
        History = Session.history.model
        last_deletion = History.objects.filter(id=OuterRef("id"), history_type="-").order_by("-history_date")
        records = (
            History.objects.filter(history_type="-", history_id=Subquery(last_deletion.values("history_id")[:1]))
            .exclude(id__in=Session.objects.values("pk"))
            .select_related("history_user", "edition")
            .order_by("-history_date")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Raderade programpunkter"),
            "records": records,
            "opts": self.model._meta,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/events/session/deleted.html", context)

    def restore_view(self, request, session_id):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:events_session_deleted"))
        if not self.has_add_permission(request) or is_actor_editor(request.user):
            raise PermissionDenied
        session = services.restore_session(session_id=session_id)
        if session is None:
            get_object_or_404(Session, pk=session_id)  # already back: show it
            return HttpResponseRedirect(reverse("admin:events_session_change", args=[session_id]))
        self.message_user(
            request, _("”%(title)s” är återställd som utkast. Kontrollera den och publicera igen om den ska synas.")
            % {"title": session.title}, messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:events_session_change", args=[session.pk]))



# The proposals inbox (issue 15): its own admin class, on top of SessionAdmin, in events/admin_proposals.py.
admin_proposals.register(admin.site, SessionAdmin)

from . import admin_registrations  # noqa: E402,F401 -- registrations in the admin (issue 16)
