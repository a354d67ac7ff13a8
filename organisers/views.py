from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from events.calendar import build_calendar
from events.models import Edition, Municipality, Session
from innovationsvecka.pagecache import conditional_feed
from innovationsvecka.seo import absolute, json_ld

from .filters import DirectoryFilter
from .jsonld import organisation_data
from .models import Contact, Organisation
from .vcard import build_vcard, filename


def directory(request):
    """All active actors, answering "Vad behöver du hjälp med?" by support type and municipality."""
    edition = Edition.objects.current()
    directory_filter = DirectoryFilter(request.GET)
    organisations = Organisation.objects.for_directory(
        edition=edition,
        support_slugs=directory_filter.support_slugs,
        municipality_slugs=directory_filter.municipality_slugs,
    )
    return render(
        request,
        "organisers/directory.html",
        {
            "organisations": organisations,
            "filter": directory_filter,
            "form": directory_filter.form,
            "edition": edition if edition and edition.is_published else None,
            "coordinator": edition.coordinator if edition and edition.coordinator_id else None,
        },
    )


class OrganisationDetailView(DetailView):
    """An actor's page. Inactive actors keep their page, since past sessions link to it, but leave the directory."""

    template_name = "organisers/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.with_public_contacts().prefetch_related("support_types", "municipalities")

    def get_context_data(self, **kwargs):
        organisation = self.object
        edition = Edition.objects.current()
        sessions = (
            Session.objects.public()
            .filter(organisers=organisation, edition__is_published=True)
            .select_related("edition", "venue")
        )
        current = sessions.in_edition(edition) if edition and edition.is_published else sessions.none()
        archive = sessions.filter(edition__year__lt=edition.year) if edition else sessions.none()
        url = absolute(organisation.get_absolute_url())
        logo_url = absolute(organisation.logo_url) if organisation.logo else ""
        jsonld = organisation_data(
            organisation=organisation, url=url, logo_url=logo_url, contacts=organisation.public_contacts
        )
        return super().get_context_data(
            edition=edition,
            current_sessions=current.order_by("start", "end", "title"),
            archive_sessions=archive.order_by("-edition__year", "start", "title"),
            jsonld=json_ld(jsonld),
            all_municipality_count=Municipality.objects.count(),
            **kwargs,
        )


def vcard(request, slug, pk):
    """A public contact as a vCard 4.0 file. A private contact does not exist here (404), whatever its number."""
    contact = get_object_or_404(
        Contact.objects.public().select_related("organisation"), pk=pk, organisation__slug=slug
    )
    body = build_vcard(contact=contact, organisation_url=absolute(contact.organisation.get_absolute_url()))
    response = HttpResponse(body.encode("utf-8"), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename(contact)}"'
    return response


LOGO_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp", ".gif": "image/gif"
}


def logo(request, slug):
    """An actor's logo, served by the site itself so that uploads work without separate media hosting.

    The upload form checked the image with Pillow and named the file after its real format.
    """
    organisation = get_object_or_404(Organisation.objects.only("logo"), slug=slug)
    content_type = LOGO_TYPES.get(Path(organisation.logo.name).suffix.lower()) if organisation.logo else None
    if content_type is None:
        raise Http404
    try:
        handle = organisation.logo.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def feed(request, slug):
    """One organiser's sessions as a calendar to subscribe to."""

    def build():
        organisation = get_object_or_404(Organisation, slug=slug)
        sessions = Session.objects.filter(organisers=organisation)
        return build_calendar(sessions=sessions, name=organisation.calendar_name), f"{slug}.ics", False

    return conditional_feed(request, build=build)
