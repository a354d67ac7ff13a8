"""My programme: a visitor stars sessions without an account and follows them in a calendar.

The list lives on the server under a random token (events.models.MyProgramme). The visitor's browser
session remembers which token is theirs, so stars work with plain form posts and no JavaScript. Whoever has
the private page's address may use the list (that is how it moves to a phone by QR code); a new token makes
old addresses stop working.

The star form on session pages carries no CSRF token. A token differs for every visitor, so a page with
one can never be shared, and the session page is what a newsletter links to. Instead star() accepts only
posts that the browser itself says come from this site (the Sec-Fetch-Site header, or else Origin), the
check OWASP lists for forgery protection and Go's net/http uses. Every other form keeps Django's token.

Cached pages are the same for every visitor (innovationsvecka.pagecache), so they never show whether this
browser has starred a session. That comes from status(), a tiny uncached JSON answer that static/js/star.js
reads, or, without JavaScript, from the visitor's own list page, where star() leads after adding.
"""

import datetime
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innovationsvecka.client_ip import client_ip
from innovationsvecka.seo import absolute

from .models import MyProgramme, Session, new_my_programme_token

SESSION_KEY = "my_programme_token"
BACK_KEY = "my_programme_back"  # where the visitor starred from, for the list page's "Tillbaka" link
MAX_SESSIONS = 500  # more than a week's programme; stops a script from growing one list without end
# New lists one address may start in an hour. Generous, since 50 people at one venue may share an address
# behind its router, and small enough that a script cannot fill the database with lists and sessions.
NEW_LISTS_PER_HOUR = 200


class StarForm(forms.Form):
    session = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("add", "add"), ("remove", "remove")])
    next = forms.CharField(required=False, max_length=2000)


def own_token(request):
    """The token of this browser's list, or None. Sets no cookie; costs a query only if the browser has a session."""
    return request.session.get(SESSION_KEY) if hasattr(request, "session") else None


def own_programme(request):
    token = own_token(request)
    return MyProgramme.objects.filter(token=token, deleted_at__isnull=True).first() if token else None


def starred_ids(request):
    """Ids of the sessions in this browser's list (one query, none without a list)."""
    token = own_token(request)
    if not token:
        return set()
    starred = MyProgramme.sessions.through.objects.filter(myprogramme__token=token, myprogramme__deleted_at=None)
    return set(starred.values_list("session_id", flat=True))


def may_start_list(request):
    """Count one new list for this address in this hour; False once it has started NEW_LISTS_PER_HOUR."""
    key = f"new-lists:{client_ip(request)}"
    cache.add(key, 0, 60 * 60)
    try:
        return cache.incr(key) <= NEW_LISTS_PER_HOUR
    except ValueError:  # the counter expired a moment ago
        return True


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def safe_next(request, value, fallback):
    allowed = {request.get_host()}
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts=allowed, require_https=request.is_secure()):
        return value
    return fallback


def private(response):
    """The private page's address is the key to the list: send it in Referer headers only to this site.

    (Not "no-referrer": with it browsers send "Origin: null" on the page's own forms, which fails the CSRF check.)
    """
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def sent_from_this_site(request):
    """True if the browser says this post comes from one of this site's own pages.

    Browsers since 2023 send Sec-Fetch-Site with every request and cannot be made to lie in it; older ones
    send Origin with every POST. A post with neither did not come from a browser form and is refused too.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    return origin is not None and origin in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


@csrf_exempt  # see the module docstring: sent_from_this_site() takes the token's place
@require_POST
def star(request):
    """Add a session to this browser's list, or take it out.

    With JavaScript (Accept: application/json) the answer is the new state, and the page stays. Without it,
    adding leads to the visitor's own list, which says what happened and links back; a cached session page
    cannot show that.
    """
    if not sent_from_this_site(request):
        return render(request, "events/star_refused.html", status=403)
    form = StarForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Formuläret var ofullständigt. Gå tillbaka och försök igen."))
    session = get_object_or_404(
        Session.objects.public().filter(edition__is_published=True).select_related("edition"),
        pk=form.cleaned_data["session"],
    )
    adding = form.cleaned_data["action"] == "add"
    done = None
    with transaction.atomic():
        programme = own_programme(request)
        if adding:
            if programme is None:
                if not may_start_list(request):
                    return render(request, "events/star_refused.html", {"too_many": True}, status=429)
                programme = MyProgramme.objects.create()
                request.session[SESSION_KEY] = programme.token
            if programme.sessions.count() >= MAX_SESSIONS:
                messages.error(request, _("Ditt program är fullt. Ta bort något först."))
            else:
                programme.sessions.add(session)
                programme.save(update_fields=["updated"])
                done = _("”%(title)s” finns nu i ditt program.")
        elif programme is not None:
            programme.sessions.remove(session)
            programme.save(update_fields=["updated"])
            done = _("”%(title)s” är borttagen ur ditt program.")
    if wants_json(request):
        starred = programme is not None and programme.sessions.filter(pk=session.pk).exists()
        count = programme.sessions.count() if programme is not None else 0
        return no_store(JsonResponse({"session": session.pk, "starred": starred, "count": count}))
    target = safe_next(request, form.cleaned_data["next"], session.get_absolute_url())
    if done and adding and programme is not None:
        messages.success(request, done % {"title": session.title})
        request.session[BACK_KEY] = target
        return redirect(programme)
    if done and target.startswith(reverse("events:my_programme_start")):
        messages.success(request, done % {"title": session.title})
    return redirect(target)


def no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def status(request):
    """This browser's list as the cached pages' script needs it: {"count": 3, "starred": [12, 40]}.

    Never cached. Costs no query for a browser without a session, two for one with a list.
    """
    token = own_token(request)
    starred = sorted(starred_ids(request)) if token else []
    return no_store(JsonResponse({"count": len(starred), "starred": starred}))


@never_cache
@require_safe
def start(request):
    """Where "Mitt program" in the menu leads: your own list if this browser has one, else how it works."""
    programme = own_programme(request)
    if programme is not None:
        return redirect(programme)
    context = {"undoable": undoable(request), "undo_minutes": UNDO_MINUTES}
    return private(render(request, "events/my_programme_start.html", context))


def get_programme(token):
    return get_object_or_404(MyProgramme, token=token, deleted_at__isnull=True)


@never_cache
@require_safe
def detail(request, token):
    programme = get_programme(token)
    sessions = programme.sessions.in_calendars().select_related("edition", "venue__municipality").order_by(
        "start", "end", "title", "pk"
    )
    context = {
        "programme": programme,
        "sessions": sessions,
        "is_own": own_token(request) == programme.token,
        "back": request.session.pop(BACK_KEY, None) if own_token(request) == programme.token else None,
        "page_url": absolute(programme.get_absolute_url()),
    }
    return private(render(request, "events/my_programme.html", context))


@require_POST
def adopt(request, token):
    """Use a shared list on this device too, so stars made here go into it."""
    programme = get_programme(token)
    request.session[SESSION_KEY] = programme.token
    messages.success(request, _("Den här listan är nu ditt program på den här enheten."))
    return redirect(programme)


def confirm(request, programme, action):
    """The confirmation page for a new address or deleting: a plain form, no JavaScript needed."""
    context = {"programme": programme, "action": action, "undo_minutes": UNDO_MINUTES}
    return private(render(request, "events/my_programme_confirm.html", context))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new_token(request, token):
    """GET asks "Ge mitt program en ny länk?"; the POST from that page does it."""
    programme = get_programme(token)
    if request.method != "POST":
        return confirm(request, programme, "new_token")
    programme.token = new_my_programme_token()
    programme.save(update_fields=["token", "updated"])
    if own_token(request) == token:
        request.session[SESSION_KEY] = programme.token
    messages.success(
        request,
        _("Ditt program har fått en ny adress. Den gamla adressen och den gamla kalenderprenumerationen "
          "fungerar inte längre, så prenumerera på nytt med adressen nedan."),
    )
    return redirect(programme)


UNDO_MINUTES = 10  # the privacy note (templates/privacy.html) says so
UNDO_COOKIE = "siv_mitt_program_angra"
UNDO_SALT = "events.my_programme.undo"


def purge_deleted(now=None):
    """Remove for good the lists deleted more than UNDO_MINUTES ago (also run by clean_my_programmes)."""
    now = now or timezone.now()
    gone = MyProgramme.objects.filter(deleted_at__lt=now - datetime.timedelta(minutes=UNDO_MINUTES))
    MyProgramme.sessions.through.objects.filter(myprogramme__in=gone.values("pk")).delete()
    return gone._raw_delete(gone.db)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, token):
    """GET asks "Radera mitt program?"; the POST deletes. For UNDO_MINUTES the list is only marked deleted
    (its page and feed answer 404 at once) and this browser can take it back; then it is removed for good."""
    programme = get_programme(token)
    if request.method != "POST":
        return confirm(request, programme, "delete")
    now = timezone.now()
    purge_deleted(now)
    programme.deleted_at = now
    programme.save(update_fields=["deleted_at"])
    if own_token(request) == token:
        del request.session[SESSION_KEY]
    messages.success(
        request, _("Ditt program är raderat. Kalendrar som prenumererade på det får inga fler uppdateringar.")
    )
    response = redirect("events:my_programme_start")
    response.set_signed_cookie(
        UNDO_COOKIE, programme.token, salt=UNDO_SALT, max_age=UNDO_MINUTES * 60, httponly=True,
        secure=request.is_secure(), samesite="Lax",
    )
    return response


def undoable(request):
    """The list this browser deleted in the last UNDO_MINUTES, or None."""
    try:
        token = request.get_signed_cookie(UNDO_COOKIE, salt=UNDO_SALT, max_age=UNDO_MINUTES * 60)
    except (KeyError, signing.BadSignature):
        return None
    since = timezone.now() - datetime.timedelta(minutes=UNDO_MINUTES)
    return MyProgramme.objects.filter(token=token, deleted_at__gte=since).first()


@require_POST
def undo_delete(request):
    """"Ångra": bring back the list this browser deleted, if it is still within UNDO_MINUTES."""
    programme = undoable(request)
    if programme is None:
        messages.error(request, _("Det går inte längre att ångra. Listan är borta för gott."))
        response = redirect("events:my_programme_start")
    else:
        programme.deleted_at = None
        programme.save(update_fields=["deleted_at", "updated"])
        request.session[SESSION_KEY] = programme.token
        messages.success(request, _("Ditt program är tillbaka, med samma adress och prenumeration som förut."))
        response = redirect(programme)
    response.delete_cookie(UNDO_COOKIE)
    return response


@require_safe
def qr_code(request, token):
    """The private page's address as a QR code, to open the list on a phone."""
    programme = get_programme(token)
    image = qrcode.make(
        absolute(programme.get_absolute_url()),
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=4,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return private(response)

