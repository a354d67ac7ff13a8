"""The second factor's pages under the admin: the code page, setting up the app, recovery codes, and the overview
where a user turns it on or off. See innovationsvecka.twofactor for who must use it."""

import base64
import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from innovationsvecka import twofactor

SESSION_CODES = "twofactor_new_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )


def next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("admin:index")


def page(request, template, title, status=200, **context):
    context = {**admin.site.each_context(request), "title": title, "next": next_url(request), **context}
    return render(request, template, context, status=status)


def locked_message(locked_until):
    return _("För många felaktiga koder. Vänta till %(time)s och försök igen.") % {
        "time": localtime(locked_until).strftime("%H:%M:%S")
    }


def verify(request):
    """Asked after the password, of everyone who has the second factor turned on."""
    if request.user.is_verified():
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        device, locked_until = twofactor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            twofactor.sign_in(request, device)
            if isinstance(device, StaticDevice):
                left = twofactor.remaining_recovery_codes(request.user)
                messages.warning(request, _("Du loggade in med en reservkod. Du har %(count)d kvar.") % {"count": left})
            return redirect(next_url(request))
        if locked_until is not None:
            form.add_error("code", locked_message(locked_until))
            status = 429
        else:
            form.add_error("code", _("Koden stämmer inte. Skriv den kod som appen visar just nu, eller en reservkod."))
    return page(request, "admin/twofactor/verify.html", _("Tvåstegsverifiering"), status=status, form=form)


def qr_data_uri(text):
    """The app's set-up address as an SVG QR code inside a data: address (the policy allows data: images)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=4)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def spaced(secret):
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup(request):
    """Scan the code (or type the secret), then prove it with one code from the app; shows recovery codes next."""
    device = twofactor.unconfirmed_app(request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if form.is_valid():
        allowed, why = device.verify_is_allowed()
        if not allowed:
            form.add_error("code", locked_message(why["locked_until"]))
            status = 429
        elif device.verify_token(twofactor.normalised_code(form.cleaned_data["code"])):
            request.session[SESSION_CODES] = twofactor.confirm_app(request, device)
            messages.success(request, _("Tvåstegsverifieringen är påslagen."))
            query = request.GET.urlencode()
            return redirect(reverse("twofactor:recovery_codes") + (f"?{query}" if query else ""))
        else:
            form.add_error("code", _("Koden stämmer inte. Kontrollera att telefonens klocka går rätt och försök igen."))
    secret = b32encode(device.bin_key).decode("ascii")
    return page(
        request,
        "admin/twofactor/setup.html",
        _("Slå på tvåstegsverifiering"),
        status=status,
        form=form,
        qr_code=qr_data_uri(device.config_url),
        secret=spaced(secret),
        required=twofactor.must_use_second_factor(request.user),
    )


def recovery_codes(request):
    """New recovery codes, shown once: a reload finds none left in the session."""
    codes = request.session.pop(SESSION_CODES, None)
    if not codes:
        return redirect("twofactor:overview")
    return page(request, "admin/twofactor/recovery_codes.html", _("Dina reservkoder"), codes=codes)


def overview(request):
    user = request.user
    return page(
        request,
        "admin/twofactor/overview.html",
        _("Tvåstegsverifiering"),
        enabled=twofactor.has_second_factor(user),
        required=twofactor.must_use_second_factor(user),
        remaining=twofactor.remaining_recovery_codes(user),
    )


@require_POST
def new_codes(request):
    if not twofactor.has_second_factor(request.user):
        return redirect("twofactor:overview")
    request.session[SESSION_CODES] = twofactor.new_recovery_codes(request.user)
    return redirect("twofactor:recovery_codes")


@require_POST
def turn_off(request):
    if twofactor.must_use_second_factor(request.user):
        messages.error(request, _("Ditt konto måste använda tvåstegsverifiering, så den kan inte stängas av."))
        return redirect("twofactor:overview")
    twofactor.turn_off(request.user)
    messages.success(request, _("Tvåstegsverifieringen är avstängd."))
    return redirect("twofactor:overview")


def staff_only(view):
    """Through the admin's own guard: staff only (others go to the login page), never cached, CSRF-checked."""
    return admin.site.admin_view(view)


app_name = "twofactor"
urlpatterns = [
    path("", staff_only(overview), name="overview"),
    path("kod/", staff_only(verify), name="verify"),
    path("ny/", staff_only(setup), name="setup"),
    path("reservkoder/", staff_only(recovery_codes), name="recovery_codes"),
    path("reservkoder/nya/", staff_only(new_codes), name="new_codes"),
    path("stang-av/", staff_only(turn_off), name="turn_off"),
]
