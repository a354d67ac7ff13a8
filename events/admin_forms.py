"""The checks every session passes before it is saved (admin, import, proposals), and the admin's small forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Session


def long_date(day):
    """'måndag 9 november 2026': dates are spelled out, never 'vecka 46'."""
    return formats.date_format(day, "l j F Y")


def session_problems(session):
    """Field name -> message for every rule the session breaks. Reads only the session's own values."""
    problems = {}
    start, end = session.start, session.end
    if start and end and end <= start:
        problems["end"] = gettext("Sluttiden måste vara efter starttiden.")
    edition = session.edition if session.edition_id else None
    if edition and start and end:
        first, last = timezone.localdate(start), timezone.localdate(end)
        if first < edition.start_date or last > edition.end_date:
            problems.setdefault("start", gettext(
                "Programpunkten måste ligga inom upplagans datum, %(first)s till %(last)s."
            ) % {"first": long_date(edition.start_date), "last": long_date(edition.end_date)})
    if session.format in (Session.Format.ON_SITE, Session.Format.HYBRID) and not session.venue_id:
        problems["venue"] = gettext("En programpunkt på plats eller hybrid behöver en plats.")
    if session.format in (Session.Format.DIGITAL, Session.Format.HYBRID) and not (
        session.online_url or session.online_note
    ):
        problems["online_url"] = gettext(
            "En digital programpunkt eller hybrid behöver en länk eller en rad om länken "
            "(till exempel: Länken skickas efter anmälan)."
        )
    if session.registration_deadline and start and session.registration_deadline >= start:
        problems["registration_deadline"] = gettext("Sista anmälningsdag måste vara före starten.")
    if edition and session.slug:
        taken = Session.objects.filter(edition=edition, slug=session.slug).exclude(pk=session.pk)
        if taken.exists():
            problems["slug"] = gettext(
                "Det finns redan en programpunkt med kortnamnet ”%(slug)s” i upplagan %(year)s. Välj ett annat."
            ) % {"slug": session.slug, "year": edition.year}
    if session.status == Session.Status.CANCELLED and not session.cancellation_note.strip():
        problems["cancellation_note"] = gettext(
            "Skriv ett kort meddelande till besökarna om varför programpunkten är inställd."
        )
    return problems


class SessionAdminForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = "__all__"  # noqa: DJ007 -- unused: the ModelAdmin's fieldsets choose the fields

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
