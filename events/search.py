"""The programme's search (the q parameter): forgiving, and never losing what it found before.

A session matches a search when every word matches it (the strict match: the page's list, the calendar feeds
and every export use it, so they hold the same sessions). A word matches when

- title, summary, description or an organiser's name contains it, in any case (as always: "energi" finds
  "solenergi"), or
- on PostgreSQL, the Swedish full-text configuration finds a form of it in title, summary or description
  ("energin" finds "energi", "hållbara" finds "hållbart"). SQLite has no Swedish stemmer: there the
  substring match alone decides.

Two things help a visitor who searched for the wrong thing, and neither adds a query per word or per item:

- `suggestions()`: when words of the search name a theme, a municipality or an organiser in the programme,
  a link that sets that filter instead ("Menar du temat Morgondagens energilösningar?"). It reads the
  filter's choices, which the filter form has loaded already.
- `partial()`: when nothing matches every word of a search of several words, the sessions that match the
  most of them (one query, ranked by how many words match, then on PostgreSQL by SearchRank, then by time),
  shown on the page in a block of their own. Feeds and exports never carry them.
"""

import copy
import string
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Case, Exists, Expression, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from .models import Session

CONFIG = "swedish"
VECTOR_COLUMN = "search_vector"  # of title, summary and description, see StoredVector
PARTIAL_SHOWN = 20  # sessions in the "some of the words" block
SUGGESTED = 3  # filter suggestions at most
NAMING_LENGTH = 4  # a search word names a theme, municipality or organiser from this many letters on
PUNCTUATION = string.punctuation + "”“’«»–—"


def words(query):
    return query.split()


def uses_full_text(queryset):
    return connections[queryset.db].vendor == "postgresql"


def word_condition(word, full_text=False):
    """Any of title, summary, description or an organiser's name contains the word, in any case; with
    full_text, also a Swedish form of the word in title, summary or description.

    SQLite folds case only for ASCII, so "VÄTGAS" would miss "vätgas"; trying the lower, upper and
    capitalised spellings covers Swedish text there (PostgreSQL folds all of them anyway).
    """
    condition = Q()
    for variant in dict.fromkeys([word, word.lower(), word.upper(), word.capitalize()]):
        by_organiser = Session.organisers.through.objects.filter(
            session=OuterRef("pk"), organisation__name__icontains=variant
        )
        condition |= (
            Q(title__icontains=variant)
            | Q(summary__icontains=variant)
            | Q(description__icontains=variant)
            | Exists(by_organiser)
        )
    if full_text:
        from django.contrib.postgres.search import SearchQuery, SearchVectorExact

        condition |= Q(SearchVectorExact(vector(), SearchQuery(word, config=CONFIG, search_type="plain")))
    return condition


class StoredVector(Expression):
    """The session row's search_vector column: to_tsvector('swedish', title, summary, description), kept
    by PostgreSQL itself (migration 0007; not a model field, SQLite has no such column). Refers to the
    query's own alias for the session table, also when the query becomes a subquery."""

    def __init__(self, alias=None):
        super().__init__(output_field=search_vector_field())
        self.alias = alias

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(VECTOR_COLUMN)}", []


def search_vector_field():
    from django.contrib.postgres.search import SearchVectorField

    return SearchVectorField()


def vector():
    return StoredVector()


def matching(queryset, query):
    """The strict match: the sessions of `queryset` that every word of `query` matches (order kept)."""
    full_text = uses_full_text(queryset)
    for word in words(query):
        queryset = queryset.filter(word_condition(word, full_text))
    return queryset


def partial(queryset, query):
    """The sessions of `queryset` (already narrowed by the other filters) that match some but not all words
    of `query`, those matching the most first: at most PARTIAL_SHOWN, for listing.listed_sessions().
    Empty for a search of one word (a session matching it would be in the strict match)."""
    found = words(query)
    if len(found) < 2:
        return queryset.none()
    full_text = uses_full_text(queryset)
    conditions = [word_condition(word, full_text) for word in found]
    one_if = [Case(When(c, then=Value(1)), default=Value(0), output_field=IntegerField()) for c in conditions]
    hits = sum(one_if[1:], one_if[0])
    any_word = Q()
    for condition in conditions:
        any_word |= condition
    queryset = queryset.filter(any_word).alias(word_hits=hits)
    order = ["-word_hits"]
    if full_text:
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query_any = None
        for word in found:
            one = SearchQuery(word, config=CONFIG, search_type="plain")
            query_any = one if query_any is None else query_any | one
        queryset = queryset.alias(rank=Coalesce(SearchRank(vector(), query_any), Value(0.0)))
        order.append("-rank")
    return queryset.order_by(*order, "start", "end", "title")[:PARTIAL_SHOWN]


# ---- suggestions ----


def normal_words(text):
    """Lower-case words without the punctuation around them."""
    return [w for w in (word.strip(PUNCTUATION).casefold() for word in text.split()) if w]


def naming_words(query_words, label):
    """The search words (as typed) that name a word of `label`: a search word of at least NAMING_LENGTH
    letters that begins a word of at least NAMING_LENGTH letters ("energi" names "energilösningar")."""
    label_words = [w for w in normal_words(label) if len(w) >= NAMING_LENGTH]
    named = []
    for typed in query_words:
        word = typed.strip(PUNCTUATION).casefold()
        if len(word) >= NAMING_LENGTH and any(w.startswith(word) for w in label_words):
            named.append(typed)
    return named


KINDS = (
    # filter parameter, the filter's choices, the question
    ("tema", "theme_choices", lambda name: gettext("Menar du temat %(name)s?") % {"name": name}),
    ("kommun", "municipality_choices", lambda name: gettext("Menar du kommunen %(name)s?") % {"name": name}),
    ("aktor", "organiser_choices", lambda name: gettext("Menar du arrangören %(name)s?") % {"name": name}),
)


def suggestions(programme_filter):
    """[(question, query string), ...]: the filters the search words name, each with the query string that
    sets it and searches for the remaining words. At most SUGGESTED; nothing for values already chosen."""
    from .filters import PARAMS

    query = programme_filter.values["q"]
    if not query:
        return []
    query_words = words(query)
    found = []
    for param, choices, question in KINDS:
        chosen = programme_filter.values[param]
        for value, label in getattr(programme_filter, choices):
            if value in chosen:
                continue
            named = naming_words(query_words, label)
            if not named:
                continue
            values = {**programme_filter.values, param: [*chosen, value]}
            values["q"] = " ".join(w for w in query_words if w not in named)
            found.append((question(label), querystring(values, PARAMS)))
            if len(found) == SUGGESTED:
                return found
    return found


def querystring(values, params):
    pairs = []
    for name in params:
        chosen = values[name] if name != "q" else ([values["q"]] if values["q"] else [])
        pairs.extend((name, value) for value in chosen)
    return urlencode(pairs)


# ---- for the programme page ----


def page_context(programme_filter, sessions, unfiltered):
    """What the programme page shows besides the strict match: "suggestions" (see suggestions()) and
    "partial", the listed sessions that match some of the words when `sessions` (the strict match) is
    empty. `unfiltered` is the queryset the filter was applied to. A constant number of queries: none for
    the suggestions (the form has the choices), three for a non-empty partial block, one for an empty one."""
    from . import listing

    context = {"suggestions": suggestions(programme_filter), "partial": []}
    query = programme_filter.values["q"]
    if not sessions and len(words(query)) > 1:
        without_query = copy.copy(programme_filter)
        without_query.values = {**programme_filter.values, "q": ""}
        context["partial"] = listing.listed_sessions(partial(without_query.apply(unfiltered), query))
    return context
