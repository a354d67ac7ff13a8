from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView

from .models import Edition, Session


def get_edition(year=None):
    if year is None:
        edition = Edition.objects.current()
        if edition is None:
            raise Http404("Ingen upplaga finns ännu.")
        return edition
    return get_object_or_404(Edition, year=year)


def programme(request, year=None):
    edition = get_edition(year)
    if not edition.is_published:
        return render(request, "events/coming.html", {"edition": edition})
    sessions = Session.objects.public().in_edition(edition).with_listing_relations()
    return render(request, "events/programme.html", {"edition": edition, "sessions": sessions})


class SessionDetailView(DetailView):
    template_name = "events/session_detail.html"
    context_object_name = "session"

    def get_queryset(self):
        return (
            Session.objects.public()
            .filter(edition__year=self.kwargs["year"], edition__is_published=True)
            .select_related("edition", "venue__municipality", "contact__organisation")
            .prefetch_related("themes", "audiences", "organisers")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(edition=self.object.edition, **kwargs)
