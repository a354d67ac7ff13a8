"""{% places_left session %}: the live free places of a session with registration here (one query), for the
session page; the page cache may keep the figure up to the page's lifetime (300 s)."""

from django import template

from events import registrations

register = template.Library()


@register.simple_tag
def places_left(session):
    return registrations.places_left(session)
