"""The admin's small forms; the rules every session obeys are in events.services.session_problems."""

import datetime

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from innovationsvecka.edit_conflicts import EditConflictForm

from .models import Session, Venue
from .services import session_problems

TIME_FORMAT = "%H:%M"  # times without seconds


class DayAndTime(widgets.AdminSplitDateTime):
    """The admin's date and time boxes, the time without seconds, with labels that say which is which."""

    date_label = _("Dag:")
    time_label = _("Klockan:")
    # Django's own template writes the two labels as plain text; this one ties each to its box. It lives in
    # events/templates/: form widgets are drawn by the form renderer, which reads the apps' templates only.
    template_name = "admin/widgets/siv_split_datetime.html"

    def __init__(self, attrs=None):
        forms.MultiWidget.__init__(self, [widgets.AdminDateWidget, widgets.AdminTimeWidget(format=TIME_FORMAT)],
                                   attrs)  # fmt: skip

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["date_label"], context["time_label"] = self.date_label, self.time_label
        return context


class EndWidget(DayAndTime):
    date_label = _("Slutdag, om en annan:")
    time_label = _("Klockan:")


class EndField(forms.MultiValueField):
    """An end time, and a day only for a session that runs past midnight: (day or None, time). The form makes a
    datetime of it on the start's day (SessionAdminForm._compose_end)."""

    widget = EndWidget

    def __init__(self, **kwargs):
        fields = (forms.DateField(required=False), forms.TimeField())
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, time = (list(data_list) + [None, None])[:2]
        return (day, time) if time is not None else None


class SessionAdminForm(EditConflictForm):
    # An actor editor's organisation ids (set by SessionAdmin.get_form); None for everyone else.
    limited_to = None

    start = forms.SplitDateTimeField(label=_("Börjar"), widget=DayAndTime)
    end = EndField(label=_("Slutar"), help_text=_("Samma dag som den börjar, om du inte anger en slutdag."))

    class Meta:
        model = Session
        fields = "__all__"  # noqa: DJ007 -- unused: the ModelAdmin's fieldsets choose the fields
        widgets = {
            "themes": forms.CheckboxSelectMultiple(attrs={"class": "siv-checkboxes"}),
            "audiences": forms.CheckboxSelectMultiple(attrs={"class": "siv-checkboxes"}),
            "registration_deadline": DayAndTime,
        }
        help_texts = {
            "status": _(
                "Utkast och förslag syns bara här i administrationen; ett förslag har skickats in av en aktör och "
                "väntar på beslut. Publicerad syns i programmet och i kalendrarna. Inställd syns kvar, markerad, "
                "med meddelandet till besökarna."
            ),
            "slug": _(
                "Blir sista delen av adressen, till exempel /siv/2026/innovationsfrukost/. Ändrar du den ändras "
                "adressen; den gamla leder vidare till den nya."
            ),
            "summary": _(
                "Högst 300 tecken, en eller två meningar. Visas i programmets lista, i kalendrarna och när sidan "
                "delas i sociala medier."
            ),
            "capacity": _("Hur många som får plats. Lämna tomt om det inte finns någon gräns."),
            "is_full": _(
                "Kryssa i när anmälan (på den externa sidan) är full: programmet visar då ”Fullbokat” i stället "
                "för länken till anmälan."
            ),
            "cancellation_note": _(
                "Bara för en inställd programpunkt: varför, eller vad som gäller i stället. Visas på sidan och i "
                "kalendrarna."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if not self.is_bound and instance.start and instance.end and "end" in self.fields:
            start, end = timezone.localtime(instance.start), timezone.localtime(instance.end)
            day = None if end.date() == start.date() else end.date()
            self.initial["end"] = [day, end.time().replace(tzinfo=None)]

    def clean(self):
        self._compose_end()
        self._keep_what_the_editor_cannot_see()
        return super().clean()

    def _compose_end(self):
        value = self.cleaned_data.get("end")
        if not isinstance(value, tuple):
            return
        day, time = value
        start = self.cleaned_data.get("start")
        if day is None and start is None:
            del self.cleaned_data["end"]  # the start has its own error
            return
        on_start_day = day is None
        day = day or timezone.localtime(start).date()
        end = timezone.make_aware(datetime.datetime.combine(day, time))
        if on_start_day and start is not None and end <= start:
            self.add_error("end", _(
                "Sluttiden måste vara efter starttiden. Pågår programpunkten över midnatt, ange slutdagen."
            ))
            return
        self.cleaned_data["end"] = end

    def _keep_what_the_editor_cannot_see(self):
        """An actor editor is offered only their own organisations and contacts. A session shared with another
        organisation keeps that organisation, and that organisation's contact unless the editor picks one."""
        if self.limited_to is None or self.instance.pk is None:
            return
        stored = Session.objects.filter(pk=self.instance.pk).select_related("contact").first()
        if stored is None:
            return
        if "organisers" in self.cleaned_data:
            others = stored.organisers.exclude(pk__in=self.limited_to)
            chosen = list(self.cleaned_data["organisers"] or ())
            self.cleaned_data["organisers"] = chosen + [org for org in others if org not in chosen]
        contact = stored.contact
        hidden_contact = contact is not None and contact.organisation_id not in self.limited_to
        if "contact" in self.fields and hidden_contact and self.cleaned_data.get("contact") is None:
            self.cleaned_data["contact"] = contact

    def _post_clean(self):
        """The model is built from the form's values here; check it before Django checks constraints."""
        super()._post_clean()
        for field, message in session_problems(self.instance).items():
            target = field if field in self.fields else None
            if target is None or target not in self._errors:
                self.add_error(target, ValidationError(message))

    def _get_validation_exclusions(self):
        """Leave end-after-start and slug-per-edition to session_problems, which says it in plain Swedish."""
        exclude = super()._get_validation_exclusions()
        exclude.update({"end", "slug"})
        return exclude


class CancelForm(forms.Form):
    note = forms.CharField(
        label=_("Meddelande till besökarna"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text=_(
            "Visas på programpunkten och i kalendrarna, till exempel: Flyttas till våren, vi återkommer med datum."
        ),
        error_messages={"required": _("Skriv ett meddelande till besökarna innan du ställer in.")},
    )


class CopyEditionForm(forms.Form):
    with_sessions = forms.BooleanField(
        label=_("Ta med programpunkterna som utkast"),
        required=False,
        help_text=_("De flyttas till samma veckodag i nästa års vecka 46, på samma klockslag. Inställda tas inte med."),
    )


def overlapping_sessions(session):
    """Other live sessions at the same venue whose time overlaps this one's: worth a warning, not an error."""
    if not session.venue_id or not session.start or not session.end:
        return Session.objects.none()
    return (
        Session.objects.filter(venue_id=session.venue_id, start__lt=session.end, end__gt=session.start)
        .exclude(pk=session.pk)
        .exclude(status=Session.Status.CANCELLED)
        .order_by("start")
    )


class VenueAdminForm(forms.ModelForm):
    """A venue is shared by every edition, so a second one with the same name in the same municipality is most
    likely a duplicate: the first save says so and links the existing one; ticking the box saves it anyway."""

    same_name_ok = forms.BooleanField(
        label=_("Det är en annan plats med samma namn"), required=False,
        help_text=_("Kryssa bara i om den befintliga platsen inte är samma plats."),
    )

    class Meta:
        model = Venue
        fields = "__all__"  # noqa: DJ007 -- unused: the ModelAdmin's fieldsets choose the fields
        help_texts = {
            "latitude": _(
                "Högerklicka på platsen i OpenStreetMap (”Visa adress”) eller Google Maps; det första talet, till "
                "exempel 59.369800, är latituden. Fyll i båda eller ingen."
            ),
            "longitude": _("Det andra talet, till exempel 16.504900."),
        }

    def clean(self):
        cleaned = super().clean()
        name, municipality = cleaned.get("name"), cleaned.get("municipality")
        if name and municipality and not cleaned.get("same_name_ok"):
            existing = (
                Venue.objects.filter(name__iexact=name.strip(), municipality=municipality)
                .exclude(pk=self.instance.pk).order_by("pk").first()
            )
            if existing is not None:
                raise ValidationError(format_html(
                    _("Det finns redan en plats som heter ”{name}” i {municipality}: <a href=\"{url}\">{venue}</a>. "
                      "Använd den, eller kryssa i ”Det är en annan plats med samma namn” och spara igen."),
                    name=existing.name, municipality=municipality, venue=existing.full_address,
                    url=reverse("admin:events_venue_change", args=[existing.pk]),
                ))
        return cleaned


def venue_label(venue):
    """A venue as the session form offers it: name, street and municipality ("Munktell, Verkstadsgatan 11,
    Eskilstuna"), so two venues with one name can be told apart."""
    return ", ".join(part for part in [venue.name, venue.street_address, venue.municipality.name] if part)
