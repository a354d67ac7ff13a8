"""What search engines and link previews read: page metadata, the site's public addresses, alternate languages
and inert JSON-LD (the data itself comes from events.jsonld and organisers.jsonld)."""

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

DESCRIPTION_LENGTH = 200
# Django's json_script escapes, and the two line separators JavaScript once read as line ends: no "</script>" or
# "<!--" can end or change the data block.
JSON_SCRIPT_ESCAPES = {
    ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029",
}
OG_LOCALES = {"sv": "sv_SE", "en": "en_GB"}


@dataclass
class PageMeta:
    """Title and description for <title>, meta description and OpenGraph."""

    title: str = ""
    description: str = ""
    og_type: str = "website"
    noindex: bool = False
    image: str = ""  # a path for og:image (1200×630 PNG); otherwise the site's card, static/img/og-default.png

    def __post_init__(self):
        text = " ".join(strip_tags(self.description or "").split())
        self.description = Truncator(text).chars(DESCRIPTION_LENGTH)


def site_name():
    return _("Sörmlands innovationsvecka")


def absolute(path):
    """The public address of a path on this site (DJANGO_SITE_URL), whatever host a request came to."""
    return settings.SITE_URL + path


def og_image_url(meta=None):
    """The absolute address of a page's Open Graph image: its own (a session's card) or the site's."""
    path = getattr(meta, "image", "") or static("img/og-default.png")
    return path if path.startswith(("http://", "https://")) else absolute(path)


def alternate_urls(request):
    """This page in each language (query string dropped), for canonical and hreflang links."""
    path = request.path
    return {code: absolute(urlsplit(translate_url(path, code)).path) for code, _name in settings.LANGUAGES}


def switch_language_url(request, code):
    """This page, with its filters, in another language."""
    return translate_url(request.get_full_path(), code)


def json_ld(data):
    """Inert inside <script type="application/ld+json">, whatever staff or proposers typed."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))
