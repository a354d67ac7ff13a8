"""Site-wide pages: the privacy note, which covers the whole site, and error handlers that must work when
little else does."""

import sys

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.defaults import server_error as django_server_error

from .middleware import database_unavailable, is_database_error


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """500, except when the database is unreachable: then a 503 that tells visitors to come back.

    Django calls this while it is still handling the exception, so sys.exc_info() holds it.
    """
    exception = sys.exc_info()[1]
    if is_database_error(exception):
        return database_unavailable(request)
    return django_server_error(request, template_name=template_name)


@require_safe
def privacy(request):
    return render(request, "privacy.html")
