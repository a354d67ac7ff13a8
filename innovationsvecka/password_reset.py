"""Staff reset a forgotten password by e-mail with Django's own views, under the admin (issue 15).

The link only sets a new password; it never signs anyone in, so the next login still asks for the second factor
(innovationsvecka.twofactor). Asking for links is limited like the login: per visitor address and per e-mail.
"""

import hashlib

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.cache import cache
from django.urls import path, reverse
from django.utils.translation import gettext as _

from innovationsvecka.client_ip import client_ip

# At most this many links per hour from one address, and to one e-mail address (whoever asks).
LIMIT_PER_ADDRESS = 5
LIMIT_PER_EMAIL = 3
WINDOW_SECONDS = 60 * 60


def count(key):
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def too_many(request, email):
    """Counts this request against both limits; True when either is exceeded."""
    email_key = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_address = count(f"password-reset:ip:{client_ip(request) or 'unknown'}")
    by_email = count(f"password-reset:email:{email_key}")
    return by_address > LIMIT_PER_ADDRESS or by_email > LIMIT_PER_EMAIL


class StaffPasswordResetForm(PasswordResetForm):
    """Only staff accounts get a link; the site has no other logins."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


class AdminContextMixin:
    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class PasswordResetView(AdminContextMixin, auth_views.PasswordResetView):
    form_class = StaffPasswordResetForm
    email_template_name = "registration/siv_password_reset_email.txt"
    subject_template_name = "registration/siv_password_reset_subject.txt"

    def form_valid(self, form):
        if too_many(self.request, form.cleaned_data["email"]):
            form.add_error("email", _("För många begäranden om nytt lösenord. Försök igen om en timme."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        # The link points at the site's own address, not at whatever Host the request named.
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)


class PasswordResetDoneView(AdminContextMixin, auth_views.PasswordResetDoneView):
    pass


class PasswordResetConfirmView(AdminContextMixin, auth_views.PasswordResetConfirmView):
    post_reset_login = False  # Django's default, stated: the second factor is asked at the next login


class PasswordResetCompleteView(AdminContextMixin, auth_views.PasswordResetCompleteView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "login_url": reverse("admin:login")}


# The names Django's views and the admin login page look for ("admin_password_reset" adds the link there).
urlpatterns = [
    path("password_reset/", PasswordResetView.as_view(), name="admin_password_reset"),
    path("password_reset/done/", PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
