from django.views.generic import DetailView

from .models import Organisation


class OrganisationDetailView(DetailView):
    template_name = "organisers/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.with_public_contacts().prefetch_related("support_types", "municipalities")
