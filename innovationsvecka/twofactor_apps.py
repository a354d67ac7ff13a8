"""django-otp's two device apps under Swedish names in the admin, where a superuser deletes the device of someone who
has lost both phone and recovery codes (innovationsvecka.twofactor)."""

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.apps import DefaultConfig as StaticDefault
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPDefault


class AppDevicesConfig(TOTPDefault):
    verbose_name = _("Tvåstegsverifiering: autentiseringsappar")


class RecoveryCodesConfig(StaticDefault):
    verbose_name = _("Tvåstegsverifiering: reservkoder")
