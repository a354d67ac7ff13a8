"""The address a request really came from, for limits keyed on the visitor (admin lockout, proposal rate limit).

Behind a reverse proxy REMOTE_ADDR is the proxy's own address, the same for every visitor. Each proxy appends the
address it got the request from to X-Forwarded-For (nginx: `$proxy_add_x_forwarded_for`), so with N proxies of our
own in front of the app the N-th entry from the right is the visitor's. Everything to the left of it came from the
client and may be made up; it is never used.

django-ipware does the reading; django-axes calls it itself with the AXES_IPWARE_* settings, and client_ip() below
calls it with the same ones, so the lockout and the proposal limit always agree on who a visitor is.
"""

from django.conf import settings


def ipware_settings(proxy_count):
    """The django-axes/ipware settings for `proxy_count` proxies of our own (DJANGO_TRUSTED_PROXY_COUNT).

    ipware counts the proxies *listed* in X-Forwarded-For after the visitor; the innermost proxy is REMOTE_ADDR and
    is never in the list, hence one less. 0 proxies reads REMOTE_ADDR alone and ignores the header.
    """
    if proxy_count == 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
    }


def client_ip(request):
    """The visitor's IP address as a string, or None when it cannot be known.

    None when REMOTE_ADDR is no address (a Unix socket), or behind two or more proxies when the request did not
    come through all of them.
    """
    from ipware.ip import get_client_ip

    address, _routable = get_client_ip(
        request,
        proxy_order=settings.AXES_IPWARE_PROXY_ORDER,
        proxy_count=settings.AXES_IPWARE_PROXY_COUNT,
        request_header_order=settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    )
    return address
