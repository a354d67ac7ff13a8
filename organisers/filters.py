"""The directory's "Vad behöver du hjälp med?" filter: GET parameters `stod` and `kommun`, both multi-valued slugs."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Municipality

from .models import SupportType


def choice_label(item):
    return f"{item.label} ({item.actor_count})"


class DirectoryForm(forms.Form):
    stod = forms.MultipleChoiceField(
        label=_("Typ av stöd"), required=False, widget=forms.CheckboxSelectMultiple
    )
    kommun = forms.MultipleChoiceField(
        label=_("Var finns du eller ditt företag?"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, support_types, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stod"].choices = [(s.slug, choice_label(s)) for s in support_types]
        self.fields["kommun"].choices = [(m.slug, choice_label(m)) for m in municipalities]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DirectoryFilter:
    """Reads the query string, keeps the values it knows and says which ones it ignored (never an error page)."""

    PARAMETERS = ("stod", "kommun")
    MAX_MESSAGES = 5

    def __init__(self, data):
        # Each choice carries how many active actors it would show, so nobody picks a dead end unawares.
        active = Q(organisations__is_active=True)
        counted = {"actor_count": Count("organisations", filter=active)}
        self.support_types = list(SupportType.objects.annotate(**counted).order_by("order", "name"))
        self.municipalities = list(Municipality.objects.annotate(**counted).order_by("order", "name"))
        known = {
            "stod": {s.slug: s for s in self.support_types},
            "kommun": {m.slug: m for m in self.municipalities},
        }
        self.ignored = []
        self.selected = {}
        for name in self.PARAMETERS:
            values, unknown = [], []
            for raw in data.getlist(name):
                value = raw.strip().lower()
                if value in known[name]:
                    if known[name][value] not in values:
                        values.append(known[name][value])
                elif value and value not in unknown:
                    unknown.append(value)
            self.selected[name] = values
            self.ignored += [self.ignored_message(name, value) for value in unknown[: self.MAX_MESSAGES]]
            if len(unknown) > self.MAX_MESSAGES:
                self.ignored.append(
                    gettext("… och %(count)d okända värden till.") % {"count": len(unknown) - self.MAX_MESSAGES}
                )
        self.form = DirectoryForm(
            {name: [item.slug for item in self.selected[name]] for name in self.PARAMETERS},
            support_types=self.support_types,
            municipalities=self.municipalities,
        )
        self.form.is_valid()

    @staticmethod
    def ignored_message(name, value):
        value = value[:60]
        if name == "stod":
            return gettext("Stödformen ”%(value)s” finns inte, så den filtrerar inte listan.") % {"value": value}
        return gettext("Kommunen ”%(value)s” finns inte, så den filtrerar inte listan.") % {"value": value}

    @property
    def is_filtered(self):
        return any(self.selected.values())

    @property
    def support_slugs(self):
        return [s.slug for s in self.selected["stod"]]

    @property
    def municipality_slugs(self):
        return [m.slug for m in self.selected["kommun"]]

    @property
    def all_municipality_count(self):
        return len(self.municipalities)
