"""Guarding the admin login against password guessing (django-axes)."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Axes' watching backend, except for authentication without a request.

    A web login always comes with a request, so every guess over HTTP is counted. Calls without one (the test
    client's login(), management commands) cannot come from a guesser, and plain axes would refuse them.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
