"""Bulk actions in the session and edition lists.

Publish, unpublish and cancel first show what will happen (an intermediate page); the change is made only when
that page is posted back with post=yes. Every session is saved through events.services, so calendars hear of it.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import registrations, services
from .admin_forms import CancelForm, CopyEditionForm
from .models import Session
from .services import session_problems


def confirmation(modeladmin, request, queryset, *, action, title, question, button, form=None, skipped=(),
                 danger=False, notify=False):
    """The page that asks before a bulk action. `danger` (unpublish, cancel) keeps Django's red button; a
    confirmation that builds something (publish) has the ordinary one. `notify`: the page says how many
    registrants will be told of the change (events.registrations)."""
    context = {
        "registrants_notified": registrations.recipients_count(queryset) if notify and queryset else 0,
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "question": question,
        "button": button,
        "action": action,
        "queryset": queryset,
        "skipped": skipped,
        "form": form,
        "danger": danger,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/events/confirm_action.html", context)


def _split(queryset, allowed_statuses):
    """The selected sessions the action applies to, and the ones it leaves alone (with their titles shown)."""
    rows = list(queryset.select_related("edition").order_by("start", "pk"))
    return [s for s in rows if s.status in allowed_statuses], [s for s in rows if s.status not in allowed_statuses]


def _report(modeladmin, request, done, skipped, done_text, skipped_text):
    if done:
        modeladmin.message_user(request, done_text % {"count": len(done)}, messages.SUCCESS)
    if skipped:
        modeladmin.message_user(request, skipped_text % {"count": len(skipped)}, messages.WARNING)


@admin.action(description=gettext_lazy("Publicera valda programpunkter"), permissions=["publish"])
def publish_sessions(modeladmin, request, queryset):
    S = Session.Status
    todo, skipped = _split(queryset, {S.DRAFT, S.PROPOSED, S.CANCELLED})
    if request.POST.get("post") != "yes":
        return confirmation(
            modeladmin, request, todo, action="publish_sessions", skipped=skipped,
            title=_("Publicera programpunkter"),
            question=_("De här programpunkterna blir synliga för alla, i programmet och i kalendrarna:"),
            button=_("Ja, publicera"),
        )
    ready = []
    for session in todo:
        problems = session_problems(session)
        if problems:
            modeladmin.message_user(
                request,
                _("”%(title)s” publicerades inte: %(problem)s") % {
                    "title": session.title, "problem": " ".join(problems.values())
                },
                messages.ERROR,
            )
        else:
            ready.append(session)
    todo = ready
    with transaction.atomic():
        for session in todo:
            services.publish(session=session)
    _report(modeladmin, request, todo, skipped,
            ngettext("%(count)d programpunkt publicerades.", "%(count)d programpunkter publicerades.", len(todo)),
            ngettext("%(count)d var redan publicerad.", "%(count)d var redan publicerade.", len(skipped)))
    return None


@admin.action(description=gettext_lazy("Avpublicera (dra tillbaka) valda programpunkter"), permissions=["publish"])
def unpublish_sessions(modeladmin, request, queryset):
    S = Session.Status
    todo, skipped = _split(queryset, {S.PUBLISHED, S.CANCELLED})
    if request.POST.get("post") != "yes":
        return confirmation(
            modeladmin, request, todo, action="unpublish_sessions", skipped=skipped,
            title=_("Avpublicera programpunkter"), notify=True,
            question=_(
                "De här programpunkterna blir utkast och försvinner ur programmet. Den som har dem i sin kalender "
                "får se dem som inställda:"
            ),
            button=_("Ja, avpublicera"), danger=True,
        )
    with transaction.atomic():
        for session in todo:
            services.unpublish(session=session)
    _report(modeladmin, request, todo, skipped,
            ngettext("%(count)d programpunkt avpublicerades.", "%(count)d programpunkter avpublicerades.", len(todo)),
            ngettext("%(count)d var inte publicerad och lämnades orörd.",
                     "%(count)d var inte publicerade och lämnades orörda.", len(skipped)))
    return None


@admin.action(description=gettext_lazy("Ställ in valda programpunkter"), permissions=["publish"])
def cancel_sessions(modeladmin, request, queryset):
    """Only published (or already cancelled) sessions: a never-published one is simply unpublished or deleted."""
    S = Session.Status
    todo, skipped = _split(queryset, {S.PUBLISHED, S.CANCELLED})
    form = CancelForm(request.POST if request.POST.get("post") == "yes" else None)
    if not form.is_bound or not form.is_valid():
        return confirmation(
            modeladmin, request, todo, action="cancel_sessions", skipped=skipped, form=form,
            title=_("Ställ in programpunkter"), notify=True,
            question=_(
                "De här programpunkterna visas som inställda i programmet och i kalendrarna, med ditt meddelande:"
            ),
            button=_("Ja, ställ in"), danger=True,
        )
    note = form.cleaned_data["note"]
    with transaction.atomic():
        for session in todo:
            services.cancel(session=session, note=note)
    _report(modeladmin, request, todo, skipped,
            ngettext("%(count)d programpunkt ställdes in.", "%(count)d programpunkter ställdes in.", len(todo)),
            ngettext("%(count)d var inte publicerad och ställdes inte in.",
                     "%(count)d var inte publicerade och ställdes inte in.", len(skipped)))
    return None


@admin.action(description=gettext_lazy("Duplicera valda programpunkter (som utkast)"), permissions=["add"])
def duplicate_sessions(modeladmin, request, queryset):
    sources = list(queryset.prefetch_related("themes", "audiences", "organisers").order_by("start", "pk"))
    copies = [services.duplicate(session=session) for session in sources]
    if len(copies) == 1:
        copy = copies[0]
        modeladmin.message_user(
            request, _("Kopian ”%(title)s” är sparad som utkast. Ändra det som ska skilja.") % {"title": copy.title},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:events_session_change", args=[copy.pk]))
    modeladmin.message_user(
        request,
        ngettext("%(count)d kopia sparades som utkast.", "%(count)d kopior sparades som utkast.", len(copies))
        % {"count": len(copies)},
        messages.SUCCESS,
    )
    return None


@admin.action(
    description=gettext_lazy("Radera valda programpunkter som aldrig har publicerats"), permissions=["delete"]
)
def delete_unpublished(modeladmin, request, queryset):
    """Django's bulk delete, minus every session that has ever been published: those are cancelled or withdrawn,
    so that subscribed calendars hear about it."""
    from django.contrib.admin.actions import delete_selected

    published = queryset.filter(first_published__isnull=False).count()
    if published and request.POST.get("post") != "yes":
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d av de valda har varit publicerad och kan inte raderas. "
                "Ställ in eller avpublicera den i stället.",
                "%(count)d av de valda har varit publicerade och kan inte raderas. "
                "Ställ in eller avpublicera dem i stället.",
                published,
            ) % {"count": published},
            messages.WARNING,
        )
    deletable = queryset.filter(first_published__isnull=True)
    if not deletable.exists():
        return None
    return delete_selected(modeladmin, request, deletable)


# Editions


@admin.action(description=gettext_lazy("Publicera programmet för vald upplaga"), permissions=["change"])
def publish_programme(modeladmin, request, queryset):
    count = 0
    for edition in queryset:  # saved one by one so history and the site's content version hear of it
        edition.is_published = True
        edition.save()
        count += 1
    modeladmin.message_user(
        request, ngettext("%(count)d programs publicerades.", "%(count)d program publicerades.", count)
        % {"count": count}, messages.SUCCESS,
    )


@admin.action(description=gettext_lazy("Avpublicera programmet för vald upplaga"), permissions=["change"])
def unpublish_programme(modeladmin, request, queryset):
    count = 0
    for edition in queryset:
        edition.is_published = False
        edition.save()
        count += 1
    modeladmin.message_user(
        request, ngettext("%(count)d program avpublicerades.", "%(count)d program avpublicerades.", count)
        % {"count": count}, messages.SUCCESS,
    )


@admin.action(description=gettext_lazy("Kopiera vald upplaga till nästa år"), permissions=["add"])
def copy_to_next_year(modeladmin, request, queryset):
    editions = list(queryset)
    if len(editions) != 1:
        modeladmin.message_user(request, _("Välj exakt en upplaga att kopiera."), messages.ERROR)
        return None
    edition = editions[0]
    form = CopyEditionForm(request.POST if request.POST.get("post") == "yes" else None)
    if not form.is_bound or not form.is_valid():
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Kopiera %(edition)s till %(year)s") % {"edition": edition, "year": edition.year + 1},
            "question": _(
                "En ny, opublicerad upplaga skapas med samma ingress, texter, samordnare och kontaktpersoner. "
                "Teman och platser delas av alla upplagor."
            ),
            "button": _("Ja, kopiera"),
            "action": "copy_to_next_year",
            "queryset": editions,
            "skipped": (),
            "form": form,
            "opts": modeladmin.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": modeladmin.media,
        }
        return TemplateResponse(request, "admin/events/confirm_action.html", context)
    try:
        new = services.copy_edition(edition=edition, with_sessions=form.cleaned_data["with_sessions"])
    except services.EditionExists as error:
        modeladmin.message_user(request, str(error), messages.ERROR)
        return None
    modeladmin.message_user(
        request,
        ngettext(
            "Upplagan %(year)s skapades, med %(count)d programpunkt som utkast.",
            "Upplagan %(year)s skapades, med %(count)d programpunkter som utkast.",
            new.sessions.count(),
        ) % {"year": new.year, "count": new.sessions.count()},
        messages.SUCCESS,
    )
    return HttpResponseRedirect(reverse("admin:events_edition_change", args=[new.pk]))


# The session form: a status changed to published or cancelled, or a new address for a public session, is asked
# first on the same kind of page as the bulk actions, and saved through the same services (SessionAdmin.save_model).

CONFIRMED = "_bekraftat"
NOT_RESENT = {"csrfmiddlewaretoken", CONFIRMED}


def form_save_consequences(stored, cleaned):
    """What saving the form will do that deserves a question, in Swedish; [] when it can simply be saved."""
    S = Session.Status
    old_status = stored.status if stored is not None else None
    new_status = cleaned.get("status")
    said = []
    if new_status != old_status and new_status == S.PUBLISHED:
        said.append(_("Programpunkten blir synlig för alla, i programmet och i kalendrarna."))
    if new_status != old_status and new_status == S.CANCELLED:
        said.append(
            _("Programpunkten visas som inställd i programmet och i kalendrarna, med meddelandet: ”%(note)s”")
            % {"note": cleaned.get("cancellation_note", "").strip()}
        )
    new_slug = cleaned.get("slug")
    if stored is not None and stored.is_public and new_slug and new_slug != stored.slug:
        edition = cleaned.get("edition") or stored.edition
        old_url = stored.get_absolute_url()
        new_url = reverse("events:detail", kwargs={"year": edition.year, "slug": new_slug})
        said.append(
            _("Adressen ändras från %(old)s till %(new)s. Den gamla adressen leder vidare, men länkar som "
              "redan har delats visar den gamla.") % {"old": old_url, "new": new_url}
        )
    return said


def confirm_form_save(modeladmin, request, object_id):
    """The confirmation page for a valid session form whose save needs one, else None (the admin saves or shows
    the form's errors as usual)."""
    stored = None
    if object_id:
        stored = modeladmin.get_object(request, unquote(object_id))
        if stored is None or not modeladmin.has_change_permission(request, stored):
            return None
        before = Session(pk=stored.pk, edition=stored.edition, slug=stored.slug, status=stored.status)
    elif not modeladmin.has_add_permission(request):
        return None
    else:
        before = None
    fieldsets = modeladmin.get_fieldsets(request, stored)
    Form = modeladmin.get_form(request, stored, change=stored is not None, fields=flatten_fieldsets(fieldsets))
    form = Form(request.POST, request.FILES, instance=stored)
    if not form.is_valid():
        return None
    consequences = form_save_consequences(before, form.cleaned_data)
    if not consequences:
        return None
    title = form.cleaned_data.get("title") or ""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Spara ”%(title)s”?") % {"title": title},
        "consequences": consequences,
        "resent": [(name, value) for name, values in request.POST.lists() if name not in NOT_RESENT
                   for value in values],  # fmt: skip
        "confirmed_name": CONFIRMED,
        "back_url": request.get_full_path(),
        "opts": modeladmin.model._meta,
        "original": stored,
        "danger": form.cleaned_data.get("status") == Session.Status.CANCELLED,
        "button": _("Ja, spara"),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/events/session/confirm_save.html", context)
