"""The directory's "Vad behöver du hjälp med?" filter: GET parameters `stod` and `kommun`, both multi-valued slugs."""

from collections import Counter

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import CharField, Value
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Municipality

from .models import Organisation, SupportType


def choice_label(item):
    return f"{item.label} ({item.actor_count})"


class FacetCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of which the options in `disabled_values` are disabled (as events.filters.FacetCheckboxes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class DirectoryForm(forms.Form):
    stod = forms.MultipleChoiceField(label=_("Typ av stöd"), required=False, widget=FacetCheckboxes)
    kommun = forms.MultipleChoiceField(
        label=_("Var finns du eller ditt företag?"), required=False, widget=FacetCheckboxes
    )

    def __init__(self, *args, support_types, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = {name: set(self.data.getlist(name) if hasattr(self.data, "getlist") else self.data.get(name, []))
                  for name in ("stod", "kommun")}
        for name, items in (("stod", support_types), ("kommun", municipalities)):
            self.fields[name].choices = [(item.slug, choice_label(item)) for item in items]
            # An option that would show no actor is disabled, unless it is chosen (so it can be unticked).
            self.fields[name].widget.disabled_values = {
                item.slug for item in items if not item.actor_count and item.slug not in chosen[name]
            }
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class DirectoryFilter:
    """Reads the query string, keeps the values it knows and says which ones it ignored (never an error page)."""

    PARAMETERS = ("stod", "kommun")
    MAX_MESSAGES = 5

    def __init__(self, data):
        self.support_types = list(SupportType.objects.order_by("order", "name"))
        self.municipalities = list(Municipality.objects.order_by("order", "name"))
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

    @cached_property
    def form(self):
        """The form with each option's faceted count: built only for the page (the API needs no counts)."""
        self.count_actors()
        form = DirectoryForm(
            {name: [item.slug for item in self.selected[name]] for name in self.PARAMETERS},
            support_types=self.support_types,
            municipalities=self.municipalities,
        )
        form.is_valid()
        return form

    def count_actors(self):
        """Give each choice `actor_count`: how many active actors it would show together with the other
        filter's choices (faceted counts), so nobody picks a dead end unawares. One query whatever the number
        of actors: every active actor's support types and municipalities, counted here."""
        links = [
            Organisation.support_types.through.objects.filter(organisation__is_active=True).values_list(
                "organisation_id", Value("stod", output_field=CharField()), "supporttype__slug"
            ),
            Organisation.municipalities.through.objects.filter(organisation__is_active=True).values_list(
                "organisation_id", Value("kommun", output_field=CharField()), "municipality__slug"
            ),
        ]
        actors = {}
        for organisation_id, name, slug in links[0].union(links[1], all=True):
            actors.setdefault(organisation_id, {"stod": set(), "kommun": set()})[name].add(slug)
        chosen = {name: {item.slug for item in self.selected[name]} for name in self.PARAMETERS}
        counts = {name: Counter() for name in self.PARAMETERS}
        for offers in actors.values():
            passes = {name: not chosen[name] or bool(offers[name] & chosen[name]) for name in self.PARAMETERS}
            if passes["kommun"]:
                counts["stod"].update(offers["stod"])
            if passes["stod"]:
                counts["kommun"].update(offers["kommun"])
        for name, items in (("stod", self.support_types), ("kommun", self.municipalities)):
            for item in items:
                item.actor_count = counts[name][item.slug]

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
