"""{% load pictures %}: the small static maps of Sörmland (events.county), drawn without a query."""

from django import template

from events.county import SORMLAND, listed_counts

register = template.Library()


@register.simple_tag
def mini_map(*chosen):
    """The nine tiles as (slug, is it highlighted) for includes/locator.html and includes/map_tiles.html."""
    return [(slug, slug in chosen) for slug in SORMLAND]


@register.simple_tag
def programme_counts(sessions, programme_filter):
    """The programme list's sessions per municipality and online: ([(slug, label, count)], online)."""
    return listed_counts(sessions, programme_filter.municipality_choices)


# Where the long municipality names may break on a phone's narrow tile (at the parts of the compound),
# since Chromium cannot hyphenate Swedish here. A soft hyphen shows only when the line breaks there.
SOFT_HYPHENS = {
    "Eskilstuna": "Eskils\xadtuna",
    "Katrineholm": "Katrine\xadholm",
    "Nyköping": "Ny\xadköping",
    "Oxelösund": "Oxelö\xadsund",
    "Strängnäs": "Sträng\xadnäs",
    "Vingåker": "Ving\xadåker",
}


@register.filter
def soft_hyphens(name):
    return SOFT_HYPHENS.get(name, name)
