"""A session's Open Graph image (/siv/<year>/<slug>/og.png): the key visual with its date, time and title, drawn with
Pillow (innovationsvecka/og_image.py) so links in newsletters and social media show a card.

Drawing takes 0.2–0.5 s (a 30–40 KB PNG), so each card is kept in the cache under the session's id, its last
change and the language: a saved session gets a new key, and the old card expires with OG_CACHE_SECONDS (the cache
backend bounds the number of entries). Only what the public may see gets a card; anything else is a 404 like its page.
"""

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.formats import date_format
from django.utils.http import http_date
from django.utils.translation import get_language

from innovationsvecka import og_image, seo

from .models import Session

OG_CACHE_SECONDS = 7 * 24 * 60 * 60
OG_MAX_AGE = 60 * 60
OG_FORMAT = "og1"  # bump when the drawing changes, so no old card is served


def card_text(session):
    start, end = session.local_start, session.local_end
    day = date_format(start, "l j F Y")
    return f"{day[:1].upper()}{day[1:]}, {start:%H:%M}–{end:%H:%M}"


def session_og_image(request, year, slug):
    session = Session.objects.filter(edition__year=year, slug=slug).select_related("edition").first()
    if session is None or not (session.is_public and session.edition.is_published):
        raise Http404("Programpunkten finns inte.")
    key = f"{OG_FORMAT}:{session.pk}:{session.updated.timestamp()}:{get_language()}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    last_modified = int(session.updated.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        cache_key = "siv:og:" + hashlib.sha256(key.encode()).hexdigest()
        body = cache.get(cache_key)
        if body is None:
            image = og_image.session_card(session.title, card_text(session), name=seo.site_name())
            body = og_image.png_bytes(image, optimize=False)
            cache.set(cache_key, body, OG_CACHE_SECONDS)
        response = HttpResponse(body, content_type="image/png")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = f"public, max-age={OG_MAX_AGE}"
    return response
