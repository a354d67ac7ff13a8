"""The programme's other public pages: now and next, the archive, about the week, accessibility."""

import datetime

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import listing, seo
from .models import Edition, Session, Theme

NEXT_SHOWN = 6

# The accessibility statement (DOS-lagen): who answers, and the supervisory authority's reporting page.
ACCESSIBILITY_CONTACT = {
    "contact_email": "region@regionsormland.se",
    "contact_phone": "0155-24 50 00",
    "contact_phone_href": "tel:+46155245000",
    "digg_url": "https://www.digg.se/tdosanmalan",
    "assessed": datetime.date(2026, 11, 28),
}


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
    context["meta"] = seo.PageMeta(
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
        "meta": seo.PageMeta(
            title=_("Tidigare år"), description=_("Alla år av Sörmlands innovationsvecka, med deras program.")
        ),
    }
    return render(request, "events/archive.html", context)


def about(request):
    edition = Edition.objects.current()
    context = {
        "edition": edition,
        "themes": Theme.objects.all(),
        "meta": seo.PageMeta(
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
        "meta": seo.PageMeta(
            title=_("Tillgänglighetsredogörelse"),
            description=_("Hur tillgänglig webbplatsen för Sörmlands innovationsvecka är, och hur du anmäler brister."),
        ),
    }
    return render(request, "events/accessibility.html", context)
