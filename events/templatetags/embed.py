"""The "Bädda in på din webbplats" box (templates/includes/embed_snippet.html): the code an actor copies."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from innovationsvecka.seo import site_name

register = template.Library()


@register.simple_tag
def embed_code(query=""):
    """The iframe for the embed page with these programme filters, and the optional script that lets the
    frame take the height of its content. Both are text to copy, written by templates."""
    src = settings.SITE_URL + reverse("events:embed") + (f"?{query}" if query else "")
    context = {"src": src, "title": _("Program – %(site)s") % {"site": site_name()}, "origin": settings.SITE_URL}
    return {
        "iframe": render_to_string("events/embed_iframe.txt", context).strip(),
        "script": render_to_string("events/embed_script.txt", context).strip(),
    }
