"""The admin's small forms; the rules every session obeys are in events.services.session_problems."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from innovationsvecka.edit_conflicts import EditConflictForm

from .models import Session
from .services import session_problems


class SessionAdminForm(EditConflictForm):
    # An actor editor's organisation ids (set by SessionAdmin.get_form); None for everyone else.
    limited_to = None

    class Meta:
        model = Session
        fields = "__all__"  # noqa: DJ007 -- unused: the ModelAdmin's fieldsets choose the fields

    def clean(self):
        self._keep_what_the_editor_cannot_see()
        return super().clean()

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
