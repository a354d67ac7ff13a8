import datetime

from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import Edition


class DayFilter(admin.SimpleListFilter):
    """The days of the edition being looked at (the filtered one, else the current one), spelled out."""

    title = _("dag")
    parameter_name = "dag"

    def lookups(self, request, model_admin):
        edition_id = request.GET.get("edition__id__exact")
        edition = None
        if edition_id and edition_id.isdigit():
            edition = Edition.objects.filter(pk=edition_id).first()
        edition = edition or Edition.objects.current()
        if edition is None:
            return []
        return [(day.isoformat(), formats.date_format(day, "l j F Y")) for day in edition.days]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        return queryset.on_day(day)
