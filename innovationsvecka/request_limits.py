"""The largest request the site takes, checked before anything reads the body.

Django's own DATA_UPLOAD_MAX_MEMORY_SIZE counts only the fields of a form, never its files, so without nginx in
front a 60 MB upload would be read in full (to a temporary file) before any form could say it is too large. The
largest bodies the forms need are an organisation's logo (at most 2 MB, organisers/admin_forms.py) and an import
spreadsheet, both well under settings.REQUEST_BODY_MAX_BYTES, which is also nginx's client_max_body_size.
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django then reads no body at all


class RequestBodyLimitMiddleware:
    """Answers 413 with a plain page to a request whose declared body is larger than the site takes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_length(request) > settings.REQUEST_BODY_MAX_BYTES:
            return too_large()
        return self.get_response(request)


def too_large():
    """Rendered without the request, like the 503 page: nothing about this request is read or trusted."""
    limit_mb = settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)
    html = loader.render_to_string("413.html", {"limit_mb": limit_mb})
    response = HttpResponse(html, status=413, content_type="text/html; charset=utf-8")
    response["Connection"] = "close"
    return response
