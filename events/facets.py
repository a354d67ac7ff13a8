"""Faceted counts for the programme filter (events.filters.ProgrammeFilter.facets): what each option would give."""

from collections import Counter

from django.db.models import CharField, Exists, OuterRef, Value
from django.http import QueryDict
from django.utils import timezone

from .filters import FORMAT_MATCHES, LANGUAGE_MATCHES, MULTI_PARAMS, ProgrammeFilter
from .models import Session


class Facets:
    """Faceted counts: for every option of every filter, how many sessions it would give together with the
    other active filters ("Digitalt (4)"); and for every active filter, how many the others give without it.

    Two queries whatever the number of sessions or options: one row per session (with whether it matches the
    search text, as an EXISTS over the filter's own search), and one UNION ALL of its theme, organiser and
    audience links. The counting is done here, once over the rows: a query per option would be 40 queries.
    """

    LINKS = (
        ("tema", Session.themes.through, "theme__slug"),
        ("aktor", Session.organisers.through, "organisation__slug"),
        ("malgrupp", Session.audiences.through, "audience__slug"),
    )

    def __init__(self, programme_filter, queryset):
        values = programme_filter.values
        selected = {name: set(values[name]) for name in MULTI_PARAMS}
        queryset = queryset.order_by()
        columns = ["pk", "start", "format", "language", "venue__municipality__slug"]
        if values["q"]:
            only_search = QueryDict(mutable=True)
            only_search["q"] = values["q"]
            searched = ProgrammeFilter(only_search, programme_filter.edition)
            matching = searched.apply(Session.objects.filter(pk=OuterRef("pk")))
            queryset = queryset.annotate(matches_q=Exists(matching))
            columns.append("matches_q")
        rows = list(queryset.values_list(*columns))
        links = {row[0]: {name: set() for name, _model, _field in self.LINKS} for row in rows}
        if rows:
            ids = queryset.values("pk")
            parts = [
                model.objects.filter(session__in=ids).values_list(
                    "session_id", Value(name, output_field=CharField()), field
                )
                for name, model, field in self.LINKS
            ]
            for session_id, name, slug in parts[0].union(*parts[1:], all=True):
                links[session_id][name].add(slug)

        dimensions = [*MULTI_PARAMS, "q"] if values["q"] else list(MULTI_PARAMS)
        self.total = len(rows)
        self.days = set()  # every day with a session, whatever the filters
        self.matched = 0
        self.counts = {name: Counter() for name in MULTI_PARAMS}
        self.without = dict.fromkeys(dimensions, 0)
        zone = timezone.get_current_timezone()
        for pk, start, session_format, language, municipality, *searched_row in rows:
            day = start.astimezone(zone).date().isoformat()
            self.days.add(day)
            facets = {
                "dag": {day},
                "format": {value for value, formats in FORMAT_MATCHES.items() if session_format in formats},
                "sprak": {value for value, languages in LANGUAGE_MATCHES.items() if language in languages},
                "kommun": {municipality} if municipality else set(),
                **links[pk],
            }
            failing = [name for name in MULTI_PARAMS if selected[name] and not facets[name] & selected[name]]
            if searched_row and not searched_row[0]:
                failing.append("q")
            if not failing:
                self.matched += 1
                for name in dimensions:
                    self.without[name] += 1
                for name in MULTI_PARAMS:
                    self.counts[name].update(facets[name])
            elif len(failing) == 1:
                name = failing[0]
                self.without[name] += 1
                if name != "q":
                    self.counts[name].update(facets[name])

