"""The second factor for staff: an authenticator app (TOTP) with ten one-time recovery codes (django-otp).

Everyone who can publish (superusers, Programredaktör, and any other staff account with the right to change
sessions that is not an actor editor) must pass it in production before the admin serves a page; the first time
they are sent to set the app up. Actor editors may turn it on. With settings.OTP_REQUIRED off (`make run`, the
tests, DEBUG) it is offered to everyone and forced on no one, and the login page says so.

A user who has turned it on is always asked for a code, whatever the setting: a device nobody asks for adds
nothing. The password alone (also a freshly reset one) only ever gets as far as the code page.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import PROGRAMME_EDITORS, is_actor_editor

RECOVERY_CODE_COUNT = 10

# Admin pages a signed-in user may reach before passing the second factor: the ways out (log out, log in as
# someone else), the code page itself and the password-reset pages (which never sign anyone in).
ALWAYS_OPEN = {
    "admin:login",
    "admin:logout",
    "twofactor:verify",
    "admin_password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# Open only to a user who has no device yet, so the password alone can never replace an existing one.
OPEN_WITHOUT_DEVICE = {"twofactor:setup"}


def must_use_second_factor(user):
    """True when this staff account may not use the admin without the second factor (in production)."""
    if not settings.OTP_REQUIRED or not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser or user.groups.filter(name=PROGRAMME_EDITORS).exists():
        return True
    return user.has_perm("events.change_session") and not is_actor_editor(user)


def has_second_factor(user):
    """On once an app is confirmed. Recovery codes alone don't count: a superuser who deletes a lost phone's
    device in the admin sends its owner back to the set-up page."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def passed_second_factor(user):
    """False for a signed-in user who still owes the code (or the set-up) that the admin would ask for, so the
    password alone shows no drafts on the public site either (events.views.is_staff)."""
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's OTPMiddleware
    if is_verified is not None and is_verified():
        return True
    return not has_second_factor(user) and not must_use_second_factor(user)


class SecondFactorMiddleware:
    """Sends a staff user who has signed in with a password, but not yet with a code, to the code page (or the
    set-up page) before any admin page. Installed after django_otp's OTPMiddleware, which says who is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path_info.startswith("/" + settings.ADMIN_PATH):
            return None
        user = request.user
        if not (user.is_authenticated and user.is_staff) or user.is_verified():
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in ALWAYS_OPEN:
            return None
        if has_second_factor(user):
            return redirect_with_next("twofactor:verify", request)
        if name in OPEN_WITHOUT_DEVICE or not must_use_second_factor(user):
            return None
        return redirect_with_next("twofactor:setup", request)


def redirect_with_next(view_name, request):
    url = reverse(view_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


def second_factor_context(request):
    """For the admin login page: whether the second factor is forced here or only offered."""
    return {"second_factor_required": settings.OTP_REQUIRED}


def sign_in(request, device):
    """The code was right: this session has passed the second factor. A new session key, as at the password
    step, so a key seen before the code (e.g. on a shared computer) is worth nothing after it."""
    request.session.cycle_key()
    otp_login(request, device)


# Devices


def unconfirmed_app(user):
    """The app being set up: the same secret on every visit of the set-up page until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)


@transaction.atomic
def confirm_app(request, device):
    """The user typed a right code from the app: it becomes their only app, and they are verified for this
    session. Returns fresh recovery codes, to be shown once."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    sign_in(request, device)
    return new_recovery_codes(device.user)


@transaction.atomic
def new_recovery_codes(user):
    """Ten new one-time codes; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Reservkoder", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remaining_recovery_codes(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def turn_off(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def normalised_code(value):
    """Codes as people type them: spaces, hyphens and capitals are ignored."""
    return "".join(value.split()).replace("-", "").lower()


def verify(user, code):
    """(device, locked_until): the device that accepted the code, or None; and, when that device refuses every
    try for now after too many wrong ones, until when. Six digits are an app code, anything else a recovery code.

    Each device counts its wrong tries itself and makes the next one wait 1, 2, 4, 8 … seconds (django-otp's
    ThrottlingMixin), so guessing either kind of code is just as slow.
    """
    code = normalised_code(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            return None, None
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return None, why.get("locked_until")
        if device.verify_token(code):
            return device, None
    return None, None
