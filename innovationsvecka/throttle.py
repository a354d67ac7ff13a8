"""A limit on admin login posts from one address, counted before any password is checked.

django-axes locks out one user name from one address after five wrong passwords, but a guesser who tries a new
user name with every post is never locked out, and each post costs a password hash (tens of milliseconds of CPU):
four such clients slowed the public pages a hundredfold. So login posts are also counted per visitor address
(innovationsvecka.client_ip, also behind the proxy), in the shared cache, and past settings.LOGIN_POSTS_PER_MINUTE
the post is refused with a 429 page before the login view runs. Only staff log in, so the limit can be strict
even for an address that a whole venue shares.
"""

import time

from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.shortcuts import render

from innovationsvecka.client_ip import client_ip

WINDOW_SECONDS = 60


def current_window():
    """The number of the current minute; a counter belongs to one (and expires in the next)."""
    return int(time.time() // WINDOW_SECONDS)


def count_login_post(request):
    """Count this post against its address in the current minute; returns the count including it."""
    key = f"siv:login-posts:{client_ip(request) or 'unknown'}:{current_window()}"
    if cache.add(key, 1, WINDOW_SECONDS * 2):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS * 2)
        return 1


class LoginThrottleMiddleware:
    """Refuses login posts past the limit per address and minute with 429, before the password is checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match.view_name != "admin:login":
            return None
        if count_login_post(request) <= settings.LOGIN_POSTS_PER_MINUTE:
            return None
        response = render(request, "admin/login_throttled.html", admin.site.each_context(request), status=429)
        response["Retry-After"] = str(WINDOW_SECONDS)
        return response
