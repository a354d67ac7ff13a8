"""The e-mail queue in the admin (issue 16): what waits, what failed and why, in Swedish. django-mailer's own,
English admin pages are taken down; these show the same tables (innovationsvecka.mail).

Below them, the admin site itself (issue 15): the index with the edition's dashboard, the order of the apps, the
autocomplete's texts, Swedish names for django-axes and the Swedish history pages."""

import mailer.admin  # noqa: F401  registers django-mailer's pages first, so they can be taken down here
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from mailer.models import (
    PRIORITY_DEFERRED,
    PRIORITY_MEDIUM,
    RESULT_DONT_SEND,
    RESULT_FAILURE,
    RESULT_SUCCESS,
    DontSendEntry,
    Message,
    MessageLog,
)

from . import history
from .mail import EmailAttempt, QueuedEmail, status_of

for model in (Message, MessageLog, DontSendEntry):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


def recipients(message):
    return ", ".join(message.to_addresses) if message.email else "–"


def body(message):
    return getattr(message.email, "body", "") or "–"


class ReadOnly:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("waiting", _("Väntar")), ("deferred", _("Misslyckades"))]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.exclude(priority=PRIORITY_DEFERRED)
        if self.value() == "deferred":
            return queryset.filter(priority=PRIORITY_DEFERRED)
        return queryset


RESULTS = {RESULT_SUCCESS: _("Skickat"), RESULT_FAILURE: _("Misslyckades"), RESULT_DONT_SEND: _("Spärrad adress")}


class ResultFilter(admin.SimpleListFilter):
    title = _("resultat")
    parameter_name = "resultat"

    def lookups(self, request, model_admin):
        return list(RESULTS.items())

    def queryset(self, request, queryset):
        return queryset.filter(result=self.value()) if self.value() in RESULTS else queryset


@admin.register(QueuedEmail)
class QueuedEmailAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["shown_added", "shown_recipients", "shown_subject", "shown_status", "shown_tries", "shown_error"]
    list_filter = [StatusFilter]
    ordering = ["when_added"]
    fields = ["shown_added", "shown_recipients", "shown_subject", "shown_status", "shown_tries", "shown_error",
              "shown_body"]  # fmt: skip
    readonly_fields = fields
    actions = ["retry_now"]

    def get_queryset(self, request):
        # A log row copies the message's data and time, so that is how the latest failure is found.
        last_error = MessageLog.objects.filter(
            when_added=OuterRef("when_added"), message_data=OuterRef("message_data"), result=RESULT_FAILURE
        ).order_by("-when_attempted").values("log_message")[:1]
        return super().get_queryset(request).annotate(last_error=Subquery(last_error))

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # a message nobody can deliver (a dead address) may be thrown away

    @admin.display(description=_("köat"), ordering="when_added")
    def shown_added(self, obj):
        return obj.when_added

    @admin.display(description=_("mottagare"))
    def shown_recipients(self, obj):
        return recipients(obj)

    @admin.display(description=_("ämne"))
    def shown_subject(self, obj):
        return obj.subject if obj.email else "–"

    @admin.display(description=_("nya försök"))
    def shown_tries(self, obj):
        return obj.retry_count

    @admin.display(description=_("status"))
    def shown_status(self, obj):
        return status_of(obj)

    @admin.display(description=_("senaste fel"))
    def shown_error(self, obj):
        return obj.last_error or "–"

    @admin.display(description=_("text"))
    def shown_body(self, obj):
        return body(obj)

    @admin.action(description=_("Försök skicka igen"))
    def retry_now(self, request, queryset):
        count = queryset.filter(priority=PRIORITY_DEFERRED).update(priority=PRIORITY_MEDIUM, retry_count=0)
        self.message_user(
            request,
            ngettext("%(count)d e-brev skickas vid nästa försök.", "%(count)d e-brev skickas vid nästa försök.",
                     count) % {"count": count},  # fmt: skip
            messages.SUCCESS,
        )


@admin.register(EmailAttempt)
class EmailAttemptAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["shown_attempted", "shown_recipients", "shown_subject", "shown_result", "shown_error"]
    list_filter = [ResultFilter]
    ordering = ["-when_attempted"]
    fields = ["shown_attempted", "shown_recipients", "shown_subject", "shown_result", "shown_error", "shown_body"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("försök"), ordering="when_attempted")
    def shown_attempted(self, obj):
        return obj.when_attempted

    @admin.display(description=_("resultat"))
    def shown_result(self, obj):
        return RESULTS.get(obj.result, obj.result)

    @admin.display(description=_("fel"))
    def shown_error(self, obj):
        return obj.log_message or "–"

    @admin.display(description=_("mottagare"))
    def shown_recipients(self, obj):
        return recipients(obj)

    @admin.display(description=_("ämne"))
    def shown_subject(self, obj):
        return obj.email.subject if obj.email else "–"

    @admin.display(description=_("text"))
    def shown_body(self, obj):
        return body(obj)


# The admin's title and header (templates/admin/base_site.html draws the mark beside the header).
admin.site.site_title = _("Sörmlands innovationsvecka – administration")
admin.site.site_header = _("Sörmlands innovationsvecka – administration")

# --- The admin's first page and its list of apps (issue 15) --------------------------------------------------

APPS_FIRST = ["events"]  # "Innovationsveckan": what staff came for, before the actors and the technical tables


def _index_with_dashboard(index):
    """The admin index opens with the current edition's dashboard (events.dashboard)."""

    def view(request, extra_context=None):
        from events.dashboard import dashboard

        return index(request, extra_context={**dashboard(request), **(extra_context or {})})

    return view


def _apps_in_order(get_app_list):
    def app_list(request, app_label=None):
        apps = get_app_list(request, app_label)
        return sorted(apps, key=lambda app: APPS_FIRST.index(app["app_label"]) if app["app_label"] in APPS_FIRST
                      else len(APPS_FIRST))  # fmt: skip

    return app_list


# The site is Django's default one (django.contrib.admin in INSTALLED_APPS), so its two methods are wrapped here,
# where autodiscover loads them before the URLs are built.
admin.site.index = _index_with_dashboard(admin.site.index)
admin.site.get_app_list = _apps_in_order(admin.site.get_app_list)

class AutocompleteView(AutocompleteJsonView):
    """An admin may say what its objects look like in an autocomplete box (autocomplete_text), e.g. a venue
    with its street and municipality; otherwise str(obj) as in Django."""

    def serialize_result(self, obj, to_field_name):
        text = getattr(self.model_admin, "autocomplete_text", None)
        result = super().serialize_result(obj, to_field_name)
        return {**result, "text": text(obj)} if text else result


def autocomplete_view(request):
    return AutocompleteView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = autocomplete_view

# django-axes names its tables in English and ships no Swedish; its models' names are translated in locale/sv.
apps.get_app_config("axes").verbose_name = _("Inloggningsspärrar")

# History pages in Swedish, with labels and local times, on every history admin (innovationsvecka/history.py).
history.install()
