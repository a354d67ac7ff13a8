"""The public programme: the list with its filters and the session page (other pages in events/pages.py)."""

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from innovationsvecka.twofactor import passed_second_factor
from organisers.models import Organisation

from . import listing, seo
from .filters import ProgrammeFilter
from .models import Edition, Session

PREVIEW_PARAM = "forhandsvisning"
OTHER_SESSIONS_SHOWN = 8


def get_edition(year=None, queryset=None):
    queryset = queryset if queryset is not None else Edition.objects.all()
    if year is None:
        edition = queryset.current()
        if edition is None:
            raise Http404("Ingen upplaga finns ännu.")
        return edition
    return get_object_or_404(queryset, year=year)


def is_staff(request):
    """Staff who have also passed the second factor where they have or need one (innovationsvecka.twofactor)."""
    user = request.user
    return user.is_authenticated and user.is_staff and passed_second_factor(user)


def wants_preview(request):
    """Staff may look at an unpublished programme or session exactly as the public will see it."""
    return request.GET.get(PREVIEW_PARAM) == "1" and is_staff(request)


def private(response):
    """A preview (or anything only staff may see) must never be stored by a cache and shown to others."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def programme(request, year=None):
    preview = wants_preview(request)
    edition = get_edition(year, Edition.objects.with_public_contacts())
    if not edition.is_published and not preview:
        context = {"edition": edition, "can_preview": is_staff(request), "preview_param": PREVIEW_PARAM}
        context["meta"] = seo.PageMeta(title=edition.title, description=edition.intro)
        response = render(request, "events/coming.html", context)
        return private(response) if is_staff(request) else response

    programme_filter = ProgrammeFilter(request.GET, edition)
    public = Session.objects.public().in_edition(edition)
    sessions = listing.listed_sessions(programme_filter.apply(public))
    total = public.count() if programme_filter.is_filtered else len(sessions)
    if preview:
        programme_filter.form.helper.layout.append(seo.hidden_preview_field(PREVIEW_PARAM))
    context = {
        "edition": edition,
        "sessions": sessions,
        "days": listing.by_day(sessions),
        "filter": programme_filter,
        "total": total,
        "today": timezone.localdate(),
        "preview": preview,
        "preview_query": f"{PREVIEW_PARAM}=1" if preview else "",
        "meta": seo.PageMeta(
            title=edition.title,
            description=edition.intro,
            noindex=preview or programme_filter.is_filtered,
        ),
    }
    response = render(request, "events/programme.html", context)
    return private(response) if preview else response


def session_detail(request, year, slug):
    organisers = Organisation.objects.with_public_contacts().order_by("name")
    sessions = (
        Session.objects.filter(edition__year=year, slug=slug)
        .select_related("edition", "venue__municipality", "contact__organisation")
        .prefetch_related("themes", "audiences", Prefetch("organisers", queryset=organisers))
    )
    session = get_object_or_404(sessions)
    visible = session.is_public and session.edition.is_published
    preview = is_staff(request) and (not visible or request.GET.get(PREVIEW_PARAM) == "1")
    if not visible and not preview:
        raise Http404("Programpunkten är inte publicerad.")

    organiser_ids = [org.pk for org in session.organisers.all()]
    shared_organiser = Session.organisers.through.objects.filter(
        session=OuterRef("pk"), organisation_id__in=organiser_ids
    )
    others = (
        Session.objects.public()
        .in_edition(session.edition)
        .filter(Exists(shared_organiser))
        .exclude(pk=session.pk)
        .select_related("edition")[:OTHER_SESSIONS_SHOWN]
        if organiser_ids
        else []
    )
    session_contact = session.contact if session.contact and session.contact.is_public else None
    context = {
        "session": session,
        "edition": session.edition,
        "session_contact": session_contact,
        "others": others,
        "today": timezone.localdate(),
        "preview": preview,
        "json_ld": seo.event_json_ld(session, request),
        "meta": seo.PageMeta(
            title=session.title,
            description=session.summary or session.description,
            og_type="article",
            noindex=preview,
        ),
    }
    response = render(request, "events/session_detail.html", context)
    return private(response) if preview else response
