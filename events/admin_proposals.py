"""The proposals inbox in the admin: "Programförslag", a proxy of Session (issue 15).

Proposals from the public form (and those actor editors submit) are listed oldest first with the proposer, the
organisation, when they came in and how long they have waited. A proposal's page opens with who proposed it.
"Godkänn" (to draft, or published at once) and "Avböj" (with a reason, prefilled from a short template) are
actions with a confirmation page; both go through events.proposals, which saves through events.services and
queues the e-mails (in the proposer's language; the organisation's actor editors hear of accepted ones).

Only staff who edit the whole programme use the inbox: the proxy's own permissions are not given to any group,
so the checks below ask for the session permissions instead.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from innovationsvecka.roles import is_actor_editor

from . import proposals
from .admin_actions import confirmation
from .models import Proposal, Session
from .services import session_problems

DRAFT, PUBLISH = "draft", "publish"


class AcceptForm(forms.Form):
    target = forms.ChoiceField(
        label=gettext_lazy("Godkänn som"),
        choices=[
            (DRAFT, gettext_lazy("Utkast: jag kompletterar och publicerar senare")),
            (PUBLISH, gettext_lazy("Publicerad: syns i programmet direkt")),
        ],
        initial=DRAFT,
        widget=forms.RadioSelect,
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Motivering till förslagsställaren"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        max_length=2000,
        help_text=gettext_lazy("Skickas i e-brevet till förslagsställaren. Ändra texten så att den passar."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].initial = str(proposals.DECLINE_TEMPLATE)


class StateFilter(admin.SimpleListFilter):
    """Waiting proposals unless asked otherwise: the inbox opens on what needs a decision."""

    title = gettext_lazy("läge")
    parameter_name = "lage"
    ALL = "alla"

    def lookups(self, request, model_admin):
        return [
            ("godkanda", _("Godkända")),
            ("avbojda", _("Avböjda")),
            ("atertagna", _("Återtagna")),
            (self.ALL, _("Alla")),
        ]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Väntar på beslut"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        outcome = Session.ProposalOutcome
        value = self.value()
        if value is None:
            return queryset.filter(status=Session.Status.PROPOSED, proposal_outcome="")
        if value == self.ALL:
            return queryset
        wanted = {"godkanda": outcome.ACCEPTED, "avbojda": outcome.DECLINED, "atertagna": outcome.WITHDRAWN}
        return queryset.filter(proposal_outcome=wanted.get(value, "-"))


def age_text(moment, now=None):
    days = ((now or timezone.now()) - moment).days
    if days < 1:
        return _("i dag")
    return ngettext("%(days)d dag", "%(days)d dagar", days) % {"days": days}


def local_time(moment):
    return formats.date_format(timezone.localtime(moment), "j F Y H:i") if moment else "–"


def proposal_admin_class(base):
    """The inbox admin on top of the session admin (base), so the form, its checks and the saving are the same."""

    class ProposalAdmin(base):
        change_list_template = "admin/events/proposal/change_list.html"
        list_display = ["title", "proposer", "organisation", "received", "age", "state"]
        list_display_links = ["title"]
        list_filter = [StateFilter, "edition"]
        search_fields = ["title", "proposer_name", "proposer_email", "proposed_organisation", "organisers__name"]
        date_hierarchy = None
        ordering = ["created", "pk"]
        list_per_page = 100
        actions = ["accept_proposals", "decline_proposals"]
        # Plain, labelled widgets on a proposal's page (axe finds the stock select2, dual-list and split
        # date-time widgets unlabelled): selects, checkboxes and one date-and-time field each.
        autocomplete_fields = []
        filter_horizontal = []
        proposer_fields = ["proposer_shown", "organisation_shown", "email_link", "consent_shown", "received_shown",
                           "decision_shown"]

        def formfield_for_dbfield(self, db_field, request, **kwargs):
            if isinstance(db_field, models.DateTimeField) and db_field.editable:
                return forms.DateTimeField(
                    label=capfirst(db_field.verbose_name), required=not db_field.blank, help_text=db_field.help_text,
                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                )
            return super().formfield_for_dbfield(db_field, request, **kwargs)

        def formfield_for_manytomany(self, db_field, request, **kwargs):
            if db_field.name in ("themes", "audiences"):
                kwargs["widget"] = forms.CheckboxSelectMultiple
            return super().formfield_for_manytomany(db_field, request, **kwargs)

        # Who may see the inbox: those who may publish, through the session permissions.

        def _may(self, request, action):
            return request.user.has_perm(f"events.{action}_session") and not is_actor_editor(request.user)

        def has_module_permission(self, request):
            return self._may(request, "view")

        def has_view_permission(self, request, obj=None):
            return self._may(request, "view") or self._may(request, "change")

        def has_change_permission(self, request, obj=None):
            return self._may(request, "change")

        def has_add_permission(self, request):
            return False  # proposals come from the form; staff add sessions under Programpunkter

        def has_delete_permission(self, request, obj=None):
            return self._may(request, "delete") and (obj is None or obj.first_published is None)

        def has_import_permission(self, request):
            return False

        def has_export_permission(self, request):
            return False

        def get_urls(self):
            """The session admin's own named views (deleted sessions, restore, …) stay under Programpunkter: a
            second pattern of the same name here would win reverse() and send those links to the inbox."""
            urls = super().get_urls()
            return [url for url in urls if not (getattr(url, "name", None) or "").startswith("events_session_")]

        def history_view(self, request, object_id, extra_context=None):
            """The history belongs to the session: its own pages show it (simple-history knows no proxies)."""
            return HttpResponseRedirect(reverse("admin:events_session_history", args=[object_id]))

        def history_form_view(self, request, object_id, version_id, extra_context=None):
            return HttpResponseRedirect(
                reverse("admin:events_session_simple_history", args=[object_id, version_id])
            )

        def get_queryset(self, request):
            queryset = super().get_queryset(request)
            came_as_proposal = (
                Q(status=Session.Status.PROPOSED) | ~Q(proposal_outcome="") | ~Q(proposal_language="")
            )
            return queryset.filter(came_as_proposal).select_related("edition")

        def changelist_view(self, request, extra_context=None):
            """With the counts per edition that the funder report asks for (they survive the retention purge)."""
            from .retention import proposal_counts

            extra_context = {**(extra_context or {}), "proposal_counts": sorted(proposal_counts().items(),
                                                                                reverse=True)}
            return super().changelist_view(request, extra_context)

        def get_actions(self, request):
            actions = super().get_actions(request)
            return {name: actions[name] for name in ("accept_proposals", "decline_proposals") if name in actions}

        # The list

        @admin.display(description=gettext_lazy("förslagsställare"), ordering="proposer_name")
        def proposer(self, obj):
            if obj.proposer_data_deleted_at:
                return _("(uppgifterna raderade)")
            return obj.proposer_name or "–"

        @admin.display(description=gettext_lazy("organisation"))
        def organisation(self, obj):
            names = [org.name for org in obj.organisers.all()]
            if obj.proposed_organisation:
                names.append(_("%(name)s (ny)") % {"name": obj.proposed_organisation})
            return ", ".join(names) or "–"

        @admin.display(description=gettext_lazy("inkom"), ordering="created")
        def received(self, obj):
            return formats.date_format(timezone.localtime(obj.created), "j M Y H:i")

        @admin.display(description=gettext_lazy("väntat"), ordering="-created")
        def age(self, obj):
            end = obj.decided_at or timezone.now()
            return age_text(obj.created, end)

        @admin.display(description=gettext_lazy("läge"), ordering="status")
        def state(self, obj):
            if obj.proposal_outcome:
                return f"{obj.get_proposal_outcome_display()} ({obj.get_status_display().lower()})"
            return obj.get_status_display()

        # A proposal's page: who proposed it, first

        def get_fieldsets(self, request, obj=None):
            rest = []
            for name, options in super().get_fieldsets(request, obj):
                fields = [field for field in options.get("fields", ()) if field != "proposal_info"]
                if fields:
                    rest.append((name, {**options, "fields": fields}))
            return [(_("Förslagsställare"), {"fields": self.proposer_fields})] + rest

        def get_readonly_fields(self, request, obj=None):
            return list(super().get_readonly_fields(request, obj)) + self.proposer_fields

        @admin.display(description=gettext_lazy("namn"))
        def proposer_shown(self, obj):
            if obj.proposer_data_deleted_at:
                when = local_time(obj.proposer_data_deleted_at)
                return _("Raderat %(when)s (gallring efter veckan).") % {"when": when}
            return obj.proposer_name or "–"

        @admin.display(description=gettext_lazy("organisation"))
        def organisation_shown(self, obj):
            return self.organisation(obj)

        @admin.display(description=gettext_lazy("e-post"))
        def email_link(self, obj):
            if not obj.proposer_email:
                return "–"
            return format_html('<a href="mailto:{}">{}</a>', obj.proposer_email, obj.proposer_email)

        @admin.display(description=gettext_lazy("samtycke lämnat"))
        def consent_shown(self, obj):
            return local_time(obj.consent_at)

        @admin.display(description=gettext_lazy("inkom"))
        def received_shown(self, obj):
            language = _("engelska") if obj.proposal_language == "en" else _("svenska")
            if not obj.proposal_language:
                return local_time(obj.created)
            when = local_time(obj.created)
            return _("%(when)s, via formuläret på %(language)s") % {"when": when, "language": language}

        @admin.display(description=gettext_lazy("beslut"))
        def decision_shown(self, obj):
            if not obj.proposal_outcome:
                return _("Väntar på beslut")
            text = f"{obj.get_proposal_outcome_display()} {local_time(obj.decided_at)}"
            if obj.decision_reason:
                return format_html("{}<br>{}", text, obj.decision_reason)
            return text

        # Decisions

        def _split(self, queryset):
            rows = list(queryset.select_related("edition").prefetch_related("organisers").order_by("created", "pk"))
            return [s for s in rows if s.is_open_proposal], [s for s in rows if not s.is_open_proposal]

        def _report_skipped(self, request, skipped):
            if skipped:
                self.message_user(
                    request, ngettext("%(count)d var redan behandlat och lämnades orört.",
                                      "%(count)d var redan behandlade och lämnades orörda.", len(skipped))
                    % {"count": len(skipped)}, messages.WARNING,
                )

        @admin.action(description=gettext_lazy("Godkänn valda förslag"), permissions=["change"])
        def accept_proposals(self, request, queryset):
            todo, skipped = self._split(queryset)
            form = AcceptForm(request.POST if request.POST.get("post") == "yes" else None)
            if not form.is_bound or not form.is_valid():
                return confirmation(
                    self, request, todo, action="accept_proposals", skipped=skipped, form=form,
                    title=_("Godkänn programförslag"),
                    question=_("De här förslagen tas med i programmet. Förslagsställaren får ett e-brev, och "
                               "arrangörens aktörsredaktörer får veta det:"),
                    button=_("Ja, godkänn"),
                )
            publish = form.cleaned_data["target"] == PUBLISH
            done = []
            for session in todo:
                problems = session_problems(session) if publish else {}
                if problems:
                    self.message_user(
                        request, _("”%(title)s” godkändes inte: %(problem)s Godkänn den som utkast och rätta den.")
                        % {"title": session.title, "problem": " ".join(problems.values())}, messages.ERROR,
                    )
                    continue
                with transaction.atomic():
                    proposals.accept(session=session, publish=publish, user=request.user)
                done.append(session)
            if done:
                text = (
                    ngettext("%(count)d förslag godkändes och publicerades.",
                             "%(count)d förslag godkändes och publicerades.", len(done)) if publish
                    else ngettext("%(count)d förslag godkändes som utkast.",
                                  "%(count)d förslag godkändes som utkast.", len(done))
                )
                self.message_user(request, text % {"count": len(done)}, messages.SUCCESS)
            self._report_skipped(request, skipped)
            return None

        @admin.action(description=gettext_lazy("Avböj valda förslag"), permissions=["change"])
        def decline_proposals(self, request, queryset):
            todo, skipped = self._split(queryset)
            form = DeclineForm(request.POST if request.POST.get("post") == "yes" else None)
            if not form.is_bound or not form.is_valid():
                return confirmation(
                    self, request, todo, action="decline_proposals", skipped=skipped, form=form,
                    title=_("Avböj programförslag"),
                    question=_("De här förslagen avböjs och visas aldrig publikt. Förslagsställaren får ett "
                               "e-brev med motiveringen:"),
                    button=_("Ja, avböj"),
                )
            published = [session for session in todo if session.first_published is not None]
            for session in published:  # calendars have it: it is unpublished or cancelled instead
                self.message_user(
                    request, _("”%(title)s” har varit publicerad och kan inte avböjas. Ställ in den i stället.")
                    % {"title": session.title}, messages.ERROR,
                )
            todo = [session for session in todo if session.first_published is None]
            for session in todo:
                proposals.decline(session=session, reason=form.cleaned_data["reason"], user=request.user)
            if todo:
                self.message_user(
                    request, ngettext("%(count)d förslag avböjdes.", "%(count)d förslag avböjdes.", len(todo))
                    % {"count": len(todo)}, messages.SUCCESS,
                )
            self._report_skipped(request, skipped)
            return None

    return ProposalAdmin


def register(site, session_admin_class):
    """Called from events/admin.py once SessionAdmin exists."""
    site.register(Proposal, proposal_admin_class(session_admin_class))
