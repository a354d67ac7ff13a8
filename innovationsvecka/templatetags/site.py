"""Template tags every page uses (`{% load site %}`): canonical and language links, query strings, icons."""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language_info

from innovationsvecka import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def page_links(context):
    """Canonical, hreflang and language-switch addresses of the page being rendered.

    A view may set `canonical_path`; otherwise the page's own path without its query string is canonical.
    """
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return {"canonical": "", "alternates": [], "switch": [], "og_image": seo.og_image_url(context.get("meta"))}
    urls = seo.alternate_urls(request)
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    canonical_path = context.get("canonical_path")
    switch = []
    for code, _name in settings.LANGUAGES:
        if code != current:
            info = get_language_info(code)
            switch.append({"code": code, "name": info["name_local"], "url": seo.switch_language_url(request, code)})
    return {
        "canonical": seo.absolute(canonical_path) if canonical_path else urls.get(current, ""),
        "alternates": list(urls.items()),
        "x_default": urls.get(settings.LANGUAGE_CODE, ""),
        "switch": switch,
        "og_locale": seo.OG_LOCALES.get(current, "sv_SE"),
        "og_locale_alternate": [seo.OG_LOCALES[code] for code, _n in settings.LANGUAGES if code != current],
        "og_image": seo.og_image_url(context.get("meta")),
    }


@register.filter
def with_query(url, query):
    """Append a query string (possibly empty) to a path."""
    return f"{url}?{query}" if query else url


# The symbols of templates/includes/icons.svg (included once in base.html). Formats and themes go by their stored
# values and slugs, so `{% icon session.format %}` and `{% icon theme.slug %}` work.
ICONS = frozenset({
    "plats", "digitalt", "hybrid",
    "smart-industri", "hallbar-livsmedelsforsorjning", "morgondagens-energilosningar", "life-science",
    "time", "place", "registration", "calendar", "star", "phone", "email", "menu", "search",
})
ICON_ALIASES = {"on-site": "plats", "onsite": "plats", "digital": "digitalt", "e-mail": "email"}


@register.simple_tag(name="icon")
def icon(name, css_class=""):
    """An icon from the sprite, hidden from screen readers: the text beside it says what it means.

    An unknown name gives nothing (a theme added later simply has no icon), never an error.
    Also a Jinja2 global of the same name (events.listing.jinja2_environment).
    """
    name = ICON_ALIASES.get(name, name)
    if name not in ICONS:
        return ""
    classes = f"icon icon-{name} {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false" width="24" height="24"><use href="#icon-{}"></use></svg>',
        classes, name,
    )


SOFT_HYPHEN = "\u00ad"
VOWELS = set("aeiouyåäöéüAEIOUYÅÄÖÉÜ")
LONG_WORD = 16


def _hyphenate(word):
    """Break opportunities in one long word (LONG_WORD letters or more): where a lower-case letter meets a capital
    ("Nyföretagar|Centrum"), and after the linking s of a Swedish compound, an s before another consonant
    ("Sparbanks|stiftelsen", "närings|livsenheten"), at least four letters from either end and the last break."""
    if len(word) < LONG_WORD or not word.isalpha():
        return word
    out, since = [], 0
    for i, char in enumerate(word):
        if since >= 4 and len(word) - i >= 4:
            camel = word[i - 1].islower() and char.isupper()
            linking_s = word[i - 1] == "s" and char.islower() and char not in VOWELS and word[i - 2] != "s"
            if camel or linking_s:
                out.append(SOFT_HYPHEN)
                since = 0
        out.append(char)
        since += 1
    return "".join(out)


@register.filter(is_safe=False)
def soft_hyphens(text):
    """A name with soft hyphens in its long words, so a narrow screen breaks "Sparbanks-stiftelsen" with a hyphen
    where a syllable starts, never in mid-syllable (Chromium's automatic hyphenation needs dictionaries it cannot
    fetch here). Plain text in, plain text out: the template escapes it as usual; copying the name keeps it whole
    in most programs, and search engines ignore U+00AD."""
    return " ".join(_hyphenate(word) for word in str(text).split(" "))
