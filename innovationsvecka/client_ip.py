"""The address a request really came from, for limits keyed on the visitor (admin lockout, proposal rate limit).

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, the same for every visitor. Each proxy appends the
address it got the request from to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`), so with N proxies of our
own in front of the app the N-th entry from the right was written by the outermost of them and is the visitor's
address. Everything to the left of it came from the client and may be made up; it is never used.

settings.TRUSTED_PROXY_COUNT (environment DJANGO_TRUSTED_PROXY_COUNT) says how many proxies that is. The default 0
ignores X-Forwarded-For altogether, the only safe value when the app can be reached without a proxy.
"""

import ipaddress

from django.conf import settings


def normalised_ip(value):
    """`value` as a canonical IP address string, or None when it is not one.

    IPv6 is written in its short lower-case form, and an IPv4 address wrapped in IPv6 (::ffff:192.0.2.1) as plain
    IPv4, so one visitor always gets one key.
    """
    try:
        address = ipaddress.ip_address(value.strip())
    except (AttributeError, ValueError):
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def trusted_proxy_count():
    return max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)


def client_ip(request):
    """The visitor's IP address as a string, or None when not even REMOTE_ADDR is one (e.g. a Unix socket).

    Also django-axes' AXES_CLIENT_IP_CALLABLE, which calls it with the request.
    """
    remote = normalised_ip(request.META.get("REMOTE_ADDR", ""))
    count = trusted_proxy_count()
    if count == 0:
        return remote
    # Several X-Forwarded-For header lines reach Django joined by commas, in order.
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if len(forwarded) < count:  # not through all our proxies (or misconfigured): only the peer is known
        return remote
    return normalised_ip(forwarded[-count]) or remote
