"""The public pages of the week: the programme with its filters, a session, now and next, the archive, about
the week and the accessibility statement."""

import datetime
import math

from crispy_forms.layout import Hidden
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from icalendar import Calendar
from icalendar import Event as ICalEvent

from innovationsvecka.pagecache import conditional_feed
from innovationsvecka.seo import PageMeta, absolute
from innovationsvecka.twofactor import passed_second_factor
from organisers.models import Organisation

from . import addresses, listing, search
from .calendar import PRODID, UID_DOMAIN
from .filters import ProgrammeFilter
from .jsonld import event_json_ld
from .models import Edition, Session, Theme, next_week_year, week46

PREVIEW_PARAM = "forhandsvisning"
OTHER_SESSIONS_SHOWN = 8
NEXT_SHOWN = 6

# The accessibility statement (DOS-lagen): who answers, and the supervisory authority's reporting page.
# The day of the last assessment (the method and the known gaps are in templates/events/accessibility.html):
# update it, and the statement, after each audit.
ACCESSIBILITY_ASSESSED = datetime.date(2026, 12, 2)
ACCESSIBILITY_CONTACT = {
    "contact_email": "region@regionsormland.se",
    "contact_phone": "0155-24 50 00",
    "contact_phone_href": "tel:+46155245000",
    "digg_url": "https://www.digg.se/tdosanmalan",
    "assessed": ACCESSIBILITY_ASSESSED,
}


def get_edition(year=None, queryset=None):
    """One edition's, or for /siv/ the home edition (EditionQuerySet.home, which "Nu och härnäst" uses too)."""
    queryset = queryset if queryset is not None else Edition.objects.all()
    if year is None:
        edition = queryset.home()
        if edition is None:
            raise Http404("Ingen upplaga finns ännu.")
        return edition
    return get_object_or_404(queryset, year=year)


def is_staff(request):
    """Staff who have also passed the second factor where they have or need one (innovationsvecka.twofactor)."""
    user = request.user
    return user.is_authenticated and user.is_staff and passed_second_factor(user)


def may_view_in_admin(request, session):
    """Whether this user may open the session in the admin: the admin's own rules (SessionAdmin's
    get_queryset and has_view_permission, which hold the actor editors' organisation scope), written once."""
    if not is_staff(request) or not admin.site.has_permission(request):
        return False
    sessions = admin.site.get_model_admin(Session)
    return sessions.has_view_permission(request, session) and (
        sessions.get_queryset(request).filter(pk=session.pk).exists()
    )


def may_preview_programme(request, edition):
    """The programme preview shows the edition's public sessions before the edition is published. Only a
    user who may view the edition and every one of those sessions in the admin gets it: an actor editor
    (limited to their own organisations) therefore gets the page the public sees, unless all are theirs."""
    if not is_staff(request) or not admin.site.has_permission(request):
        return False
    if not admin.site.get_model_admin(Edition).has_view_permission(request, edition):
        return False
    sessions = admin.site.get_model_admin(Session)
    if not sessions.has_view_permission(request):
        return False
    visible = sessions.get_queryset(request).values("pk")
    return not Session.objects.public().in_edition(edition).exclude(pk__in=visible).exists()


def wants_preview(request):
    return request.GET.get(PREVIEW_PARAM) == "1"


def private(response):
    """A preview (or anything only staff may see) must never be stored by a cache and shown to others."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def programme(request, year=None):
    edition = get_edition(year, Edition.objects.with_public_contacts())
    can_preview = (wants_preview(request) or not edition.is_published) and may_preview_programme(request, edition)
    preview = can_preview and wants_preview(request)
    today = timezone.localdate()
    if not edition.is_published and not preview:
        context = {"edition": edition, "can_preview": can_preview, "preview_param": PREVIEW_PARAM}
        context["last_edition"] = (
            Edition.objects.published().filter(end_date__lt=today, year__lt=edition.year).order_by("-year").first()
        )
        context["meta"] = PageMeta(title=edition.title, description=edition.intro)
        response = render(request, "events/coming.html", context)
        return private(response) if is_staff(request) else response

    programme_filter = ProgrammeFilter(request.GET, edition)
    public = Session.objects.public().in_edition(edition)
    sessions = listing.listed_sessions(programme_filter.apply(public))
    # The facet rows are all the edition's public sessions: the unfiltered total comes with them.
    total = programme_filter.facets.total
    if preview:
        programme_filter.form.helper.layout.append(Hidden(PREVIEW_PARAM, "1"))
    days = listing.by_day(sessions)
    earlier_days = programme_filter.earlier_days(days, timezone.localdate())
    context = {
        "edition": edition,
        "sessions": sessions,
        "days": days,
        "earlier_days": earlier_days,
        "first_day": days[earlier_days].date if days else None,
        "filter": programme_filter,
        "total": total,
        "today": today,
        "past": edition.end_date < today,
        "preview": preview,
        "preview_query": f"{PREVIEW_PARAM}=1" if preview else "",
        "meta": PageMeta(
            title=edition.title,
            description=edition.intro,
            noindex=preview or programme_filter.is_filtered,
        ),
    }
    context.update(search.page_context(programme_filter, sessions, public))
    if context["past"]:
        # The 50 weeks between the weeks. The template says the week is over and when the next one is if this
        # is the edition /siv/ is about (current_edition, Edition.home): then no later edition exists yet.
        context["next_week"] = next_week(today)
    response = render(request, "events/programme.html", context)
    return private(response) if preview else response


def next_week(today):
    """The next innovation week's year and dates while no edition for it exists: ISO week 46 (no query)."""
    year = next_week_year(today)
    start, end = week46(year)
    return {"year": year, "start": start, "end": end}


# What a session's address shows this visitor.
VISIBLE, PREVIEW, GONE, HIDDEN = "visible", "preview", "gone", "hidden"


def page_state(request, session):
    """VISIBLE to everyone; PREVIEW for staff who may view it in the admin (always for what the public
    cannot see, on request for the rest); GONE (410) for a withdrawn session, one published once and taken
    back to draft or proposal; HIDDEN (404) for what was never public, so nothing reveals it."""
    visible = session.is_public and session.edition.is_published
    if (not visible or wants_preview(request)) and may_view_in_admin(request, session):
        return PREVIEW
    if visible:
        return VISIBLE
    if session.first_published is not None and session.edition.is_published:
        return GONE
    return HIDDEN


def session_gone(request, session):
    """410 for a withdrawn session. It shows nothing of the session (its title may have changed as a draft
    since), only that it is no longer in the programme and the way to the programme. Not marked private:
    it is the same for every visitor. The page cache keeps only 200s, so it is built each time, from the
    one query that found the session; no-cache lets no browser keep it should the session come back."""
    context = {
        "edition": session.edition,
        "meta": PageMeta(
            title=_("Programpunkten är inte längre med i programmet"),
            description=_("Programpunkten har tagits bort ur programmet."),
            noindex=True,
        ),
    }
    response = render(request, "events/session_gone.html", context, status=410)
    patch_cache_control(response, no_cache=True)
    return response


def session_detail(request, year, slug):
    session = (
        Session.objects.filter(edition__year=year, slug=slug)
        .select_related("edition", "venue__municipality", "contact__organisation")
        .first()
    )
    if session is None:
        moved = addresses.moved_session(year, slug)
        if moved is None or page_state(request, moved) == HIDDEN:
            raise Http404("Programpunkten finns inte.")
        return addresses.permanent_redirect(request, "events:detail", moved)
    state = page_state(request, session)
    if state == HIDDEN:
        raise Http404("Programpunkten är inte publicerad.")
    if state == GONE:
        return session_gone(request, session)
    preview = state == PREVIEW
    organisers = Organisation.objects.with_public_contacts().order_by("name")
    prefetch_related_objects([session], "themes", "audiences", Prefetch("organisers", queryset=organisers))

    organiser_ids = [org.pk for org in session.organisers.all()]
    shared_organiser = Session.organisers.through.objects.filter(
        session=OuterRef("pk"), organisation_id__in=organiser_ids
    )
    others = (
        Session.objects.public()
        .in_edition(session.edition)
        .filter(Exists(shared_organiser))
        .exclude(pk=session.pk)
        .select_related("edition")
        if organiser_ids
        else Session.objects.none()
    )
    if preview and not session.edition.is_published:
        # Before the edition is out, its other sessions are not public either: only those this user may view.
        others = others.filter(pk__in=admin.site.get_model_admin(Session).get_queryset(request).values("pk"))
    session_contact = session.contact if session.contact and session.contact.is_public else None
    context = {
        "session": session,
        "edition": session.edition,
        "session_contact": session_contact,
        "others": others[:OTHER_SESSIONS_SHOWN],
        "today": timezone.localdate(),
        "preview": preview,
        "json_ld": event_json_ld(session, request),
        "page_url": absolute(session.get_absolute_url()),  # printed at the foot of the page
        "meta": PageMeta(
            title=session.title,
            description=session.summary or session.description,
            og_type="article",
            noindex=preview,
            image="" if preview else reverse("events:session_og_image", args=[session.edition.year, session.slug]),
        ),
    }
    response = render(request, "events/session_detail.html", context)
    return private(response) if preview else response


def now(request):
    """During the week: what is on now and what starts next. Outside it: when the next week starts."""
    moment = timezone.now()
    today = timezone.localdate()
    edition = Edition.objects.home(today)  # the same edition /siv/ shows
    running = edition if edition and edition.is_published and edition.start_date <= today <= edition.end_date else None
    context = {"today": today, "moment": moment, "running": running}
    if running:
        public = Session.objects.public().in_edition(running).select_related("venue__municipality", "edition")
        context["ongoing"] = list(public.filter(start__lte=moment, end__gt=moment))
        for session in context["ongoing"]:
            session.time_left = time_left(session.end - moment)
        context["upcoming"] = list(public.filter(start__gt=moment)[:NEXT_SHOWN])
    elif edition is not None and edition.end_date >= today:
        context["next_edition"] = edition
    else:
        context["last_edition"] = edition
        context["next_week"] = next_week(today)
    context["meta"] = PageMeta(
        title=_("Nu och härnäst"),
        description=_("Det som pågår just nu under innovationsveckan, och det som börjar snart."),
    )
    return render(request, "events/now.html", context)


def time_left(delta):
    """ "30 minuter kvar", "1 tim 15 min kvar": what is left of an ongoing session, in whole minutes up."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    if minutes < 60:
        return ngettext("%(count)s minut kvar", "%(count)s minuter kvar", minutes) % {"count": minutes}
    hours, rest = divmod(minutes, 60)
    if not rest:
        return ngettext("%(count)s timme kvar", "%(count)s timmar kvar", hours) % {"count": hours}
    return _("%(hours)s tim %(minutes)s min kvar") % {"hours": hours, "minutes": rest}


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


@require_safe
def save_the_date(request, year):
    """"Spara datumet": the innovation week of `year` as one all-day event, to add once (no calendar name, so
    Outlook puts it in the default calendar). The dates are the edition's if staff have created it, else ISO
    week 46. A feed-like page (innovationsvecka.pagecache.PAGES): its bytes depend on the year and the data."""
    if not 2000 <= year <= 2100:
        raise Http404(_("Det året finns inte."))

    def build():
        edition = Edition.objects.filter(year=year).first()
        start, end = (edition.start_date, edition.end_date) if edition else week46(year)
        event = ICalEvent()
        event.add("uid", f"vecka46-{year}@{UID_DOMAIN}")
        event.add("dtstamp", datetime.datetime(year - 1, 12, 1, tzinfo=datetime.UTC))
        event.add("dtstart", start)
        event.add("dtend", end + datetime.timedelta(days=1))  # all-day events end the day after (RFC 5545)
        event.add("summary", _("Sörmlands innovationsvecka %(year)s") % {"year": year})
        page = absolute(reverse("events:edition", kwargs={"year": year}) if edition else reverse("events:programme"))
        event.add("description", _("Innovationsveckan i Sörmland, på plats runt om i länet och digitalt. "
                                   "Programmet kommer på %(url)s") % {"url": page})
        event.add("url", page)
        event.add("transp", "TRANSPARENT")  # a reminder of the week, not a busy week
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("method", "PUBLISH")
        cal.add_component(event)
        return cal.to_ical(), f"innovationsveckan-{year}.ics", True

    return conditional_feed(request, build=build)
