from django import template

from events.listing import render_items

register = template.Library()


@register.simple_tag(takes_context=True)
def session_items(context, sessions, show_date=False):
    """The <li> items of a programme list, for sessions from events.listing.listed_sessions(): one Jinja2
    template looping over rows prepared once per list (see events/listing.py)."""
    request = context.get("request")
    back = request.get_full_path() if request is not None else ""
    return render_items(sessions, context.get("preview_query", ""), show_date, back)
