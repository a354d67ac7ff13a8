"""The programme filter: one GET form shared by the programme page and the calendar feeds.

Visitors arrive with shared links, old bookmarks and links mangled by newsletters, so a bad value never
rejects the whole request: each unknown or malformed value is dropped and described in `.ignored`, and the
rest still filters. Several values of one filter widen the result (OR); different filters narrow it (AND).
"""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisers.models import Organisation

from . import search
from .models import Audience, Municipality, Session, Theme

MULTI_PARAMS = ("dag", "tema", "format", "kommun", "aktor", "malgrupp", "sprak")
PARAMS = (*MULTI_PARAMS, "q")
MAX_QUERY_LENGTH = 200
MAX_VALUES = 50  # per parameter; more than every option there is means the link is broken
SHOWN_VALUE_LENGTH = 40

# A value matches the sessions a visitor can follow that way: hybrid is both on site and online,
# and a bilingual session suits both a Swedish and an English speaker.
FORMAT_MATCHES = {"plats": ["plats", "hybrid"], "digitalt": ["digitalt", "hybrid"], "hybrid": ["hybrid"]}
LANGUAGE_MATCHES = {"sv": ["sv", "sv-en"], "en": ["en", "sv-en"], "sv-en": ["sv-en"]}
MAX_WORDS = 10


def shown(value):
    """A value as it may be quoted back to the visitor: short, one line, printable."""
    value = "".join(ch if ch.isprintable() else "?" for ch in value)
    if len(value) > SHOWN_VALUE_LENGTH:
        value = value[:SHOWN_VALUE_LENGTH] + "…"
    return value


def day_label(day):
    return date_format(day, "l j F")


class FacetCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of which some options are disabled (`disabled_values`): those that would give no session."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values = set()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


class ProgrammeFilterForm(forms.Form):
    """Only ever bound to values that ProgrammeFilter has already checked, so it always validates."""

    q = forms.CharField(
        label=_("Sök"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    dag = forms.MultipleChoiceField(label=_("Dag"), required=False, widget=FacetCheckboxes)
    tema = forms.MultipleChoiceField(label=_("Tema"), required=False, widget=FacetCheckboxes)
    format = forms.MultipleChoiceField(label=_("Form"), required=False, widget=FacetCheckboxes)
    kommun = forms.MultipleChoiceField(label=_("Kommun"), required=False, widget=FacetCheckboxes)
    malgrupp = forms.MultipleChoiceField(label=_("Målgrupp"), required=False, widget=FacetCheckboxes)
    sprak = forms.MultipleChoiceField(label=_("Språk"), required=False, widget=FacetCheckboxes)
    aktor = forms.MultipleChoiceField(label=_("Arrangör"), required=False, widget=FacetCheckboxes)

    def __init__(self, *args, choices, disabled=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices
            self.fields[name].widget.disabled_values = set((disabled or {}).get(name, ()))
        self.fields["q"].help_text = _("Söker i rubrik, beskrivning och arrangörernas namn.")
        self.fields["format"].help_text = _("Hybrid betyder både på plats och digitalt, och visas under båda.")
        self.helper = FormHelper()
        # The organiser list is long: it scrolls in its own box instead of pushing the results down.
        self.helper.layout = Layout(
            *(Field(name, wrapper_class="long-list") if name == "aktor" else name for name in self.fields)
        )
        # The button sits in a bar that stays at the foot of the screen while the panel is open (filters.css);
        # programme.js writes the live count into it ("Visa 8 programpunkter") from the form's data-show-*.
        submit = Submit("", _("Visa programpunkter"), css_class="button", css_id="filter-submit")
        self.helper.layout.append(Div(submit, css_class="filter-bar"))
        self.helper.form_method = "get"
        # A relative address with only a fragment: the same page with the new query, opened at the results.
        self.helper.form_action = "#resultat"
        self.helper.form_id = "programme-filter"
        self.helper.form_class = "programme-filter"
        self.helper.attrs = {
            "role": "search",
            "aria-label": _("Filtrera programmet"),
            "data-show-one": _("Visa 1 programpunkt"),
            "data-show-many": _("Visa {n} programpunkter"),
            "data-show-none": _("Inga programpunkter"),
            "data-updating": _("Uppdaterar …"),  # programme.js's loading state
        }
        self.helper.disable_csrf = True


class ProgrammeFilter:
    """Filters an edition's sessions by the programme's GET parameters (see module docstring).

    `edition` limits which days and organisers are offered; with None any date and any organiser is valid
    (used for feeds across editions).
    """

    def __init__(self, data, edition=None):
        self.data = data
        self.edition = edition
        self.ignored = []
        self.values = {name: self._clean_multi(name) for name in MULTI_PARAMS}
        self.values["q"] = self._clean_query()

    # ---- choices (each one small query, made only when a value or the form needs it) ----

    @cached_property
    def day_choices(self):
        if self.edition is None:
            return []
        return [(day.isoformat(), day_label(day)) for day in self.edition.days]

    @cached_property
    def theme_choices(self):
        return [(t.slug, t.label) for t in Theme.objects.all()]

    @cached_property
    def municipality_choices(self):
        return [(m.slug, m.label) for m in Municipality.objects.all()]

    @cached_property
    def audience_choices(self):
        return [(a.slug, a.label) for a in Audience.objects.all()]

    @cached_property
    def organiser_choices(self):
        organisations = Organisation.objects.order_by("name")
        if self.edition is not None:
            in_edition = Session.objects.public().in_edition(self.edition).filter(organisers=OuterRef("pk"))
            organisations = organisations.filter(Exists(in_edition))
        return list(organisations.values_list("slug", "name"))

    @staticmethod
    def format_choices():
        return [(value, str(label)) for value, label in Session.Format.choices]

    @staticmethod
    def language_choices():
        return [(value, str(label)) for value, label in Session.Language.choices]

    def choices(self, name):
        return {
            "dag": lambda: self.day_choices,
            "tema": lambda: self.theme_choices,
            "format": self.format_choices,
            "kommun": lambda: self.municipality_choices,
            "aktor": lambda: self.organiser_choices,
            "malgrupp": lambda: self.audience_choices,
            "sprak": self.language_choices,
        }[name]()

    # ---- cleaning ----

    def _raw_values(self, name):
        seen = []
        for value in self.data.getlist(name):
            value = value.replace("\x00", "").strip()
            if value and value not in seen:
                seen.append(value)
        if len(seen) > MAX_VALUES:
            message = gettext("Bara de första %(count)d värdena för ”%(name)s” användes.")
            self.ignored.append(message % {"count": MAX_VALUES, "name": name})
            seen = seen[:MAX_VALUES]
        return seen

    def _clean_multi(self, name):
        raw = self._raw_values(name)
        if not raw:
            return []
        if name == "dag":
            return self._clean_days(raw)
        known = {value for value, _label in self.choices(name)}
        if self.edition is None and name == "aktor":
            known = set(Organisation.objects.filter(slug__in=raw).values_list("slug", flat=True))
        valid = []
        for value in raw:
            if value in known:
                valid.append(value)
            else:
                self.ignored.append(self._unknown_message(name, value))
        return valid

    def _clean_days(self, raw):
        allowed = {value for value, _label in self.day_choices}
        days = []
        for value in raw:
            try:
                day = datetime.date.fromisoformat(value) if len(value) == 10 else None
            except ValueError:
                day = None
            if day is None:
                message = gettext("”%(value)s” är inget datum som ÅÅÅÅ-MM-DD och ignorerades.")
                self.ignored.append(message % {"value": shown(value)})
            elif self.edition is not None and value not in allowed:
                message = gettext("%(day)s är inte en dag under veckan och ignorerades.")
                self.ignored.append(message % {"day": date_format(day, "j F Y")})
            else:
                days.append(day.isoformat())
        return days

    def _unknown_message(self, name, value):
        messages = {
            "tema": gettext("Det finns inget tema ”%(value)s”; det ignorerades."),
            "format": gettext("Det finns ingen form ”%(value)s”; den ignorerades."),
            "kommun": gettext("Det finns ingen kommun ”%(value)s”; den ignorerades."),
            "aktor": gettext("Det finns ingen arrangör ”%(value)s” i programmet; den ignorerades."),
            "malgrupp": gettext("Det finns ingen målgrupp ”%(value)s”; den ignorerades."),
            "sprak": gettext("Det finns inget språk ”%(value)s”; det ignorerades."),
        }
        return messages[name] % {"value": shown(value)}

    def _clean_query(self):
        values = [v for v in self.data.getlist("q") if v.strip()]
        if not values:
            return ""
        query = " ".join(values[0].replace("\x00", "").split())
        if len(values) > 1:
            self.ignored.append(gettext("Bara den första söktexten användes."))
        if len(query) > MAX_QUERY_LENGTH:
            self.ignored.append(
                gettext("Söktexten var längre än %(max)d tecken och ignorerades.") % {"max": MAX_QUERY_LENGTH}
            )
            return ""
        words = query.split()
        if len(words) > MAX_WORDS:
            self.ignored.append(gettext("Bara de första %(count)d orden i söktexten användes.") % {"count": MAX_WORDS})
            query = " ".join(words[:MAX_WORDS])
        return query

    # ---- the public interface ----

    @property
    def is_filtered(self):
        return any(self.values[name] for name in PARAMS)

    @property
    def cleaned(self):
        """The accepted values, e.g. for building links: {"tema": ["life-science"], "q": "", ...}."""
        return self.values

    def querystring(self, **drop):
        """The accepted values as a query string, leaving out `drop` (name=value) if given."""
        from urllib.parse import urlencode

        pairs = []
        for name in PARAMS:
            values = self.values[name] if name != "q" else ([self.values["q"]] if self.values["q"] else [])
            pairs.extend((name, v) for v in values if drop.get(name) != v)
        return urlencode(pairs)

    @cached_property
    def active(self):
        """The accepted values as (filter name, value label, query string without it), for "remove" links."""
        labels = {name: dict(self.choices(name)) for name in MULTI_PARAMS if self.values[name]}
        result = []
        for name in MULTI_PARAMS:
            field_label = ProgrammeFilterForm.base_fields[name].label
            for value in self.values[name]:
                label = labels[name].get(value) or day_label(datetime.date.fromisoformat(value))
                result.append((field_label, label, self.querystring(**{name: value})))
        if self.values["q"]:
            result.append(
                (
                    ProgrammeFilterForm.base_fields["q"].label,
                    f"”{self.values['q']}”",
                    self.querystring(q=self.values["q"]),
                )
            )
        return result

    def querystring_without(self, name):
        """The accepted values as a query string, leaving out every value of one filter."""
        from urllib.parse import urlencode

        pairs = []
        for other in PARAMS:
            if other == name:
                continue
            values = self.values[other] if other != "q" else ([self.values["q"]] if self.values["q"] else [])
            pairs.extend((other, v) for v in values)
        return urlencode(pairs)

    @cached_property
    def facets(self):
        """How many of the edition's public sessions each option would give (events.facets.Facets)."""
        from .facets import Facets

        return Facets(self, Session.objects.public().in_edition(self.edition))

    def offered_choices(self, name):
        """The options the form shows, each labelled with its count: only days that have sessions (or are
        chosen), every other option even at zero, which is then disabled unless chosen (so it can be unticked)."""
        counts = self.facets.counts[name]
        choices = self.choices(name)
        if name == "dag":
            offered = self.facets.days
            choices = [(value, label) for value, label in choices if value in offered or value in self.values[name]]
        return [(value, f"{label} ({counts[value]})") for value, label in choices]

    def disabled_values(self, name):
        counts = self.facets.counts[name]
        return [value for value, _label in self.choices(name) if not counts[value] and value not in self.values[name]]

    @cached_property
    def form(self):
        data = {name: self.values[name] for name in MULTI_PARAMS}
        data["q"] = self.values["q"]
        if self.edition is None:
            choices, disabled = {name: self.choices(name) for name in MULTI_PARAMS}, None
        else:
            choices = {name: self.offered_choices(name) for name in MULTI_PARAMS}
            disabled = {name: self.disabled_values(name) for name in MULTI_PARAMS}
        form = ProgrammeFilterForm(data, choices=choices, disabled=disabled, auto_id="filter-%s")
        form.is_valid()
        return form

    def earlier_days(self, days, today):
        """How many of the listed days (events.listing.Day) come before today, when the list should open at
        today: during the week, unless the visitor chose days. The page folds those away, one tap from view."""
        if self.values["dag"] or today not in {day.date for day in days}:
            return 0
        return sum(1 for day in days if day.date < today)

    @cached_property
    def drops(self):
        """For an empty result: each active filter whose removal would give sessions, as (filter label, value
        labels, count, query string without it), most sessions first. Built from the facet data, no query."""
        if not self.is_filtered:
            return []
        labels = {}
        for name, label, _query in self.active:
            labels.setdefault(name, []).append(label)
        result = []
        for name in PARAMS:
            count = self.facets.without.get(name, 0)
            if self.values[name] and count:
                field_label = ProgrammeFilterForm.base_fields[name].label
                values = ", ".join(labels[field_label])
                result.append((field_label, values, count, self.querystring_without(name)))
        result.sort(key=lambda drop: -drop[2])
        return result

    def apply(self, queryset):
        """Narrow a Session queryset. Uses EXISTS subqueries, so rows are never duplicated and order is kept."""
        values = self.values
        if values["dag"]:
            by_day = Q()
            for value in values["dag"]:
                day = datetime.date.fromisoformat(value)
                start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
                by_day |= Q(start__gte=start, start__lt=start + datetime.timedelta(days=1))
            queryset = queryset.filter(by_day)
        if values["tema"]:
            queryset = queryset.filter(
                Exists(Session.themes.through.objects.filter(session=OuterRef("pk"), theme__slug__in=values["tema"]))
            )
        if values["format"]:
            formats = sorted({f for v in values["format"] for f in FORMAT_MATCHES[v]})
            queryset = queryset.filter(format__in=formats)
        if values["kommun"]:
            queryset = queryset.filter(venue__municipality__slug__in=values["kommun"])
        if values["aktor"]:
            queryset = queryset.filter(
                Exists(
                    Session.organisers.through.objects.filter(
                        session=OuterRef("pk"), organisation__slug__in=values["aktor"]
                    )
                )
            )
        if values["malgrupp"]:
            by_audience = Session.audiences.through.objects.filter(
                session=OuterRef("pk"), audience__slug__in=values["malgrupp"]
            )
            queryset = queryset.filter(Exists(by_audience))
        if values["sprak"]:
            languages = sorted({lang for v in values["sprak"] for lang in LANGUAGE_MATCHES[v]})
            queryset = queryset.filter(language__in=languages)
        if values["q"]:
            queryset = search.matching(queryset, values["q"])  # every word, in a Swedish form or as typed
        return queryset
