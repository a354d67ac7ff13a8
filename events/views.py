"""The public pages of the week: the programme with its filters, a session, now and next, the archive, about
the week and the accessibility statement."""

import datetime

from crispy_forms.layout import Hidden
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _

from innovationsvecka.seo import PageMeta
from innovationsvecka.twofactor import passed_second_factor
from organisers.models import Organisation

from . import listing
from .filters import ProgrammeFilter
from .jsonld import event_json_ld
from .models import Edition, Session, Theme

PREVIEW_PARAM = "forhandsvisning"
OTHER_SESSIONS_SHOWN = 8
NEXT_SHOWN = 6

# The accessibility statement (DOS-lagen): who answers, and the supervisory authority's reporting page.
ACCESSIBILITY_CONTACT = {
    "contact_email": "region@regionsormland.se",
    "contact_phone": "0155-24 50 00",
    "contact_phone_href": "tel:+46155245000",
    "digg_url": "https://www.digg.se/tdosanmalan",
    "assessed": datetime.date(2026, 11, 28),
}


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
        context["meta"] = PageMeta(title=edition.title, description=edition.intro)
        response = render(request, "events/coming.html", context)
        return private(response) if is_staff(request) else response

    programme_filter = ProgrammeFilter(request.GET, edition)
    public = Session.objects.public().in_edition(edition)
    sessions = listing.listed_sessions(programme_filter.apply(public))
    total = public.count() if programme_filter.is_filtered else len(sessions)
    if preview:
        programme_filter.form.helper.layout.append(Hidden(PREVIEW_PARAM, "1"))
    context = {
        "edition": edition,
        "sessions": sessions,
        "days": listing.by_day(sessions),
        "filter": programme_filter,
        "total": total,
        "today": timezone.localdate(),
        "preview": preview,
        "preview_query": f"{PREVIEW_PARAM}=1" if preview else "",
        "meta": PageMeta(
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
        "json_ld": event_json_ld(session, request),
        "meta": PageMeta(
            title=session.title,
            description=session.summary or session.description,
            og_type="article",
            noindex=preview,
        ),
    }
    response = render(request, "events/session_detail.html", context)
    return private(response) if preview else response


def now(request):
    """During the week: what is on now and what starts next. Outside it: when the next week starts."""
    moment = timezone.now()
    today = timezone.localdate()
    running = Edition.objects.published().filter(start_date__lte=today, end_date__gte=today).first()
    context = {"today": today, "moment": moment, "running": running}
    if running:
        public = Session.objects.public().in_edition(running)
        context["ongoing"] = listing.listed_sessions(public.filter(start__lte=moment, end__gt=moment))
        context["upcoming"] = listing.listed_sessions(public.filter(start__gt=moment)[:NEXT_SHOWN])
    else:
        context["next_edition"] = Edition.objects.filter(start_date__gt=today).order_by("start_date").first()
        context["last_edition"] = Edition.objects.published().filter(end_date__lt=today).order_by("-year").first()
    context["meta"] = PageMeta(
        title=_("Nu och härnäst"),
        description=_("Det som pågår just nu under innovationsveckan, och det som börjar snart."),
    )
    return render(request, "events/now.html", context)


def archive(request):
    public = Q(sessions__status__in=[Session.Status.PUBLISHED, Session.Status.CANCELLED])
    editions = Edition.objects.annotate(session_count=Count("sessions", filter=public)).order_by("-year")
    context = {
        "editions": editions,
        "today": timezone.localdate(),
        "meta": PageMeta(
            title=_("Tidigare år"), description=_("Alla år av Sörmlands innovationsvecka, med deras program.")
        ),
    }
    return render(request, "events/archive.html", context)


def about(request):
    edition = Edition.objects.current()
    context = {
        "edition": edition,
        "themes": Theme.objects.all(),
        "meta": PageMeta(
            title=_("Om innovationsveckan"),
            description=edition.about
            if edition and edition.about
            else _("Syftet med och bakgrunden till Sörmlands innovationsvecka."),
        ),
    }
    return render(request, "events/about.html", context)


def accessibility(request):
    context = {
        **ACCESSIBILITY_CONTACT,
        "report_subject": _("Tillgänglighetsproblem på innovationsveckans webbplats"),
        "meta": PageMeta(
            title=_("Tillgänglighetsredogörelse"),
            description=_("Hur tillgänglig webbplatsen för Sörmlands innovationsvecka är, och hur du anmäler brister."),
        ),
    }
    return render(request, "events/accessibility.html", context)
