from django import template

from events.listing import ItemRenderer

register = template.Library()


@register.simple_tag(takes_context=True)
def session_items(context, sessions, show_date=False):
    """The <li> items of a programme list, for sessions from events.listing.listed_sessions().

    Built in Python, not by an include per session: see events/listing.py.
    """
    return ItemRenderer(context.get("preview_query", ""), show_date).render_all(sessions)
