"""Where things happen: Sörmland's nine municipalities as a schematic tile map, with the programme's counts.

The tiles are HTML placed on a CSS grid roughly as the municipalities lie (static/css/map.css gives each
`tile-<slug>` its row and column), drawn by our code: no map tiles, fonts or scripts from other sites.

A tile counts what the programme shows when that municipality is chosen with the visitor's other filters:
its link is the programme filtered to it (kommun replaced, the rest kept), and the number is that list's
length. Sessions followed online are counted apart, as the programme's "Digitalt" filter finds them (digital
and hybrid ones), so a hybrid session counts both in its municipality and there.
"""

import copy
from typing import NamedTuple

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from innovationsvecka.seo import PageMeta

from . import listing
from .filters import FORMAT_MATCHES, ProgrammeFilter
from .models import Session
from .views import get_edition, programme

# The seeded municipalities (events/migrations/0003_seed_lists.py), for the session page's locator, which
# needs no query to draw them.
SORMLAND = ("eskilstuna", "flen", "gnesta", "katrineholm", "nykoping", "oxelosund", "strangnas", "trosa", "vingaker")
ONLINE = "digitalt"


def with_values(programme_filter, **values):
    """The same filter with some values replaced (for a tile's count and link)."""
    changed = copy.copy(programme_filter)
    changed.values = {**programme_filter.values, **values}
    return changed


def tile_query(programme_filter, slug):
    return with_values(programme_filter, kommun=[slug]).querystring()


class Tile(NamedTuple):
    slug: str
    label: str
    count: int
    query: str  # the programme's query string for this tile: the visitor's filters, kommun replaced
    chosen: bool  # the visitor's filter holds this municipality


class CountyMap(NamedTuple):
    tiles: list  # one per municipality, in the list's order (Municipality.Meta.ordering)
    online: int  # sessions one can follow online, under the filters but kommun and format
    online_query: str


def county_map_counts(programme_filter, public):
    """The tiles and the online count for the programme's filters, in two queries (and the municipality
    list, which the filter form shares)."""
    others = with_values(programme_filter, kommun=[])
    counts = dict(
        others.apply(public)
        .filter(venue__isnull=False)
        .order_by()
        .values_list("venue__municipality__slug")
        .annotate(count=Count("pk"))
    )
    chosen = set(programme_filter.values["kommun"])
    tiles = [
        Tile(slug, label, counts.get(slug, 0), tile_query(programme_filter, slug), slug in chosen)
        for slug, label in programme_filter.municipality_choices
    ]
    online = with_values(programme_filter, kommun=[], format=[ONLINE])
    return CountyMap(tiles, online.apply(public).count(), online.querystring())


def listed_counts(sessions, municipality_choices):
    """The same counts for a list already on the page (the programme's sessions from listing.listed_sessions),
    with no query: ([(slug, label, count)] of the municipalities that have sessions, online count)."""
    english = get_language() == "en"
    counts = {}
    online = 0
    for session in sessions:
        if session.municipality is not None:
            name = listing.label(session.municipality, session.municipality_en, english)
            counts[name] = counts.get(name, 0) + 1
        if session.format in FORMAT_MATCHES[ONLINE]:
            online += 1
    return [(slug, label, counts[label]) for slug, label in municipality_choices if label in counts], online


def county_map(request, year=None):
    """/siv/karta/ and /siv/<year>/karta/: the municipalities with their counts under the programme's filters."""
    edition = get_edition(year)
    if not edition.is_published:
        return programme(request, year)  # "kommer att finnas här", or the staff preview of the list
    programme_filter = ProgrammeFilter(request.GET, edition)
    public = Session.objects.public().in_edition(edition)
    county = county_map_counts(programme_filter, public)
    programme_url = (
        reverse("events:edition", kwargs={"year": year}) if year is not None else reverse("events:programme")
    )
    context = {
        "edition": edition,
        "county": county,
        "filter": programme_filter,
        "programme_url": programme_url,
        "today": timezone.localdate(),
        "meta": PageMeta(
            title=_("Programmet på kartan") + f" – {edition.title}",
            description=_("Hur många programpunkter som hålls i var och en av Sörmlands nio kommuner, och digitalt."),
            noindex=programme_filter.is_filtered,
        ),
    }
    return render(request, "events/map.html", context)
