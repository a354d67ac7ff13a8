"""Response headers Django has no setting for, and a calm answer when the database is away."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger("innovationsvecka.database")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def database_unavailable(request=None):
    """A plain 503 page that needs neither the database nor the session.

    Rendered without a request on purpose: context processors would reach for the session,
    the user and the current edition, all of which live in the unreachable database.
    """
    html = loader.render_to_string("503.html")
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection into 503 Service Unavailable instead of a 500 and a traceback.

    Errors raised by views arrive in process_exception. Errors raised later (the session middleware
    saving, the messages storage) are caught by innovationsvecka.views.server_error, which asks
    is_database_error() about the exception being handled.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_error(exception):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
            return database_unavailable(request)
        return None


def is_database_error(exception):
    return isinstance(exception, DATABASE_ERRORS)
