"""Registrations in the admin (issue 16): the list per session, the xlsx export, removing one, and the attendance
page for the door (works on a phone: tick who came, add walk-ins).

Staff see every registration; an actor editor (innovationsvecka.roles) only those of their own organisations'
sessions, in the list, the export and the attendance page alike. Needs for accessibility or food (health data) are
shown only here, so only to staff and the session's organisers. Imported by events/admin.py.
"""

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innovationsvecka.roles import is_actor_editor, own_organisation_ids

from . import registrations, report
from .models import Edition, Registration, RegistrationMode, RegistrationTotals, Session
from .resources import escape_formula

# The session form gets the registration settings (SessionAdmin's fieldsets live in events/admin.py).
REGISTRATION_FIELDSET = (gettext_lazy("Anmälan här på webbplatsen"), {
    "classes": ["collapse"],
    "fields": ["join_url", "ask_organisation", "ask_org_number", "ask_municipality", "ask_audience", "ask_needs"],
    "description": gettext_lazy(
        "Gäller när ”anmälan” är ”Anmälan här på webbplatsen”: antal platser och sista anmälningsdag ovan. Vid "
        "digital sändning: lägg länken i ”länk för anmälda” (inte i den publika länken) och skriv till exempel "
        "”Länken skickas efter anmälan.” i fältet om länken."
    ),
})


def add_session_fields(session_admin):
    fieldsets = []
    for name, options in session_admin.fieldsets:
        fields = list(options["fields"])
        if "registration_url" in fields and "registration_mode" not in fields:
            fields.insert(fields.index("registration_url"), "registration_mode")
            fieldsets.append((name, {**options, "fields": fields}))
            fieldsets.append(REGISTRATION_FIELDSET)
        else:
            fieldsets.append((name, options))
    session_admin.fieldsets = fieldsets


def scoped_sessions(request):
    """The sessions whose registrations this user may see: all for staff, their organisations' for actor editors."""
    sessions = Session.objects.all()
    if is_actor_editor(request.user):
        sessions = sessions.filter(pk__in=Session.objects.filter(
            organisers__in=own_organisation_ids(request.user)
        ).values("pk"))
    return sessions


EXPORT_COLUMNS = [
    ("session", gettext_lazy("programpunkt")), ("start", gettext_lazy("börjar")),
    ("name", gettext_lazy("namn")), ("email", gettext_lazy("e-post")),
    ("organisation", gettext_lazy("organisation")), ("org_number", gettext_lazy("organisationsnummer")),
    ("municipality", gettext_lazy("kommun")), ("audience", gettext_lazy("målgrupp")),
    ("needs", gettext_lazy("behov (tillgänglighet, mat)")), ("status", gettext_lazy("status")),
    ("attended", gettext_lazy("kom")), ("walk_in", gettext_lazy("anmäld på plats")),
    ("created", gettext_lazy("anmäld")),
]


def xlsx(queryset):
    """The registrations as an .xlsx workbook (bytes); text that looks like a formula stays text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Anmälningar"))
    sheet.append([str(label) for _key, label in EXPORT_COLUMNS])
    rows = queryset.select_related("session", "municipality", "audience").order_by("session__start", "created", "pk")
    for r in rows:
        values = {
            "session": r.session.title, "start": timezone.localtime(r.session.start).strftime("%Y-%m-%d %H:%M"),
            "name": r.name, "email": r.email, "organisation": r.organisation, "org_number": r.org_number,
            "municipality": r.municipality.name if r.municipality else "", "audience": r.audience.name if r.audience
            else "", "needs": r.needs, "status": r.get_status_display(), "attended": _("ja") if r.attended else "",
            "walk_in": _("ja") if r.walk_in else "",
            "created": timezone.localtime(r.created).strftime("%Y-%m-%d %H:%M"),
        }
        sheet.append([escape_formula(str(values[key])) for key, _label in EXPORT_COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@admin.action(description=gettext_lazy("Exportera valda till Excel (xlsx)"), permissions=["view"])
def export_xlsx(modeladmin, request, queryset):
    response = HttpResponse(
        xlsx(queryset), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="anmalningar.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response


@admin.action(description=gettext_lazy("Ta bort valda anmälningar (kön flyttar fram)"), permissions=["delete"])
def remove_selected(modeladmin, request, queryset):
    removed = 0
    for registration in queryset.order_by("pk"):
        registrations.remove(registration=registration)
        removed += 1
    modeladmin.message_user(request, _("%(count)d anmälningar togs bort.") % {"count": removed}, messages.SUCCESS)


class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "session_link", "status", "attended", "walk_in", "has_needs", "created"]
    list_filter = ["status", "attended", "walk_in", "session__edition", ("session", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "email", "organisation", "session__title"]
    list_select_related = ["session__edition"]
    list_per_page = 200
    actions = [export_xlsx, remove_selected]
    fields = ["session", "name", "email", "organisation", "org_number", "municipality", "audience", "needs",
              "needs_consent_at", "status", "attended", "walk_in", "promoted_at", "reminded_at", "cancelled_at",
              "created", "language"]
    readonly_fields = [f for f in fields if f != "attended"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(session__in=scoped_sessions(request))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "is_actor_editor": is_actor_editor(request.user)}
        return super().changelist_view(request, extra_context=extra_context)

    def has_add_permission(self, request):
        return False  # walk-ins are added on the attendance page

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        registrations.remove(registration=obj)

    @admin.display(description=gettext_lazy("programpunkt"), ordering="session__start")
    def session_link(self, obj):
        return format_html(
            '{} · <a href="{}">{}</a>', obj.session.title,
            reverse("admin:events_registration_attendance", args=[obj.session_id]), _("närvaro"),
        )

    @admin.display(description=gettext_lazy("behov"), boolean=True)
    def has_needs(self, obj):
        return bool(obj.needs)

    def get_urls(self):
        return [
            path("narvaro/", self.admin_site.admin_view(self.sessions_view), name="events_registration_sessions"),
            path("narvaro/<int:session_id>/", self.admin_site.admin_view(self.attendance_view),
                 name="events_registration_attendance"),
            path("rapport/", self.admin_site.admin_view(self.report_index_view),
                 name="events_registration_reports"),
            path("rapport/<int:year>/", self.admin_site.admin_view(self.report_view),
                 name="events_registration_report"),
            path("narvaro/<int:session_id>/xlsx/", self.admin_site.admin_view(self.session_xlsx_view),
                 name="events_registration_xlsx"),
        ] + super().get_urls()

    def _session(self, request, session_id, *, change=False):
        allowed = self.has_change_permission(request) if change else self.has_view_permission(request)
        if not allowed:
            raise PermissionDenied
        return get_object_or_404(scoped_sessions(request).select_related("edition", "venue"), pk=session_id)

    def sessions_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        sessions = (
            scoped_sessions(request).filter(registration_mode=RegistrationMode.HERE)
            .select_related("edition").order_by("-edition__year", "start")
            .annotate(
                confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
                waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
                came=Count("registrations", filter=Q(registrations__attended=True)),
            )[:500]
        )
        context = {**self.admin_site.each_context(request), "title": _("Anmälningar per programpunkt"),
                   "sessions": sessions, "opts": self.model._meta}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/events/registration/sessions.html", context)

    def _may_report(self, request):
        if not self.has_view_permission(request) or is_actor_editor(request.user):
            raise PermissionDenied

    def report_index_view(self, request):
        self._may_report(request)
        context = {**self.admin_site.each_context(request), "title": _("Rapport efter veckan"),
                   "editions": Edition.objects.order_by("-year"), "opts": self.model._meta}
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/events/registration/report_index.html", context)

    def report_view(self, request, year):
        self._may_report(request)
        edition = get_object_or_404(Edition, year=year)
        columns = report.report(edition)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                report.xlsx(columns), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
            response["Content-Disposition"] = f'attachment; filename="rapport-{year}.xlsx"'
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Rapport efter veckan %(year)s") % {"year": year},
            "edition": edition,
            "columns": columns,
            "summary": report.comparison_rows(columns),
            "sections": report.sections(columns),
            "per_session": report.per_session_rows(columns[0]),
            "opts": self.model._meta,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/events/registration/report.html", context)

    def session_xlsx_view(self, request, session_id):
        session = self._session(request, session_id)
        response = export_xlsx(self, request, Registration.objects.filter(session=session))
        response["Content-Disposition"] = f'attachment; filename="anmalningar-{session.slug}.xlsx"'
        return response

    def attendance_view(self, request, session_id):
        session = self._session(request, session_id)
        can_change = self.has_change_permission(request)
        walk_in = WalkInForm(request.POST if request.POST.get("walk_in") else None)
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            shown = Registration.objects.filter(session=session).exclude(status=Registration.Status.CANCELLED)
            if request.POST.get("walk_in"):
                if walk_in.is_valid():
                    Registration.objects.create(
                        session=session, name=walk_in.cleaned_data["name"],
                        organisation=walk_in.cleaned_data["organisation"], walk_in=True, attended=True,
                    )
                    self.message_user(request, _("Lades till som anmäld på plats."), messages.SUCCESS)
                    return HttpResponseRedirect(request.path)
            else:
                came = {int(pk) for pk in request.POST.getlist("came") if pk.isdigit()}
                shown.filter(pk__in=came).update(attended=True)
                shown.exclude(pk__in=came).update(attended=False)
                self.message_user(request, _("Närvaron är sparad."), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
        rows = list(
            Registration.objects.filter(session=session)
            .exclude(status=Registration.Status.CANCELLED)
            .select_related("municipality")
            .order_by("status", "name", "pk")
        )
        start = timezone.localtime(session.start)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Närvaro: %(title)s") % {"title": session.title},
            "subtitle": f"{formats.date_format(start, 'l j F Y')} {start:%H:%M}",
            "session": session,
            "rows": rows,
            "came": sum(1 for row in rows if row.attended),
            "walk_in": walk_in,
            "can_change": can_change,
            "opts": self.model._meta,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/events/registration/attendance.html", context)


class WalkInForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=200, required=False)


class RegistrationTotalsAdmin(admin.ModelAdmin):
    list_display = ["edition", "created"]
    readonly_fields = ["edition", "data", "created"]

    def has_add_permission(self, request):
        return False


def install(site):
    site.register(Registration, RegistrationAdmin)
    site.register(RegistrationTotals, RegistrationTotalsAdmin)
    add_session_fields(site._registry[Session])


install(admin.site)
