"""A Programredaktör invites an actor editor from the organisation's admin page (issue 15).

Name and e-mail are enough: the account is made (or found by its e-mail address), put in the Aktörsredaktör group
and tied to the organisation, and the person gets an e-mail in Swedish with a link to choose a password. The link
is signed, holds the account's id and a fingerprint of its password, and is valid INVITATION_DAYS (7) days: once
a password is chosen the fingerprint no longer matches, so the link works once. No superuser is needed. The link
signs no one in; the login asks for the second factor as usual.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import Group
from django.core import signing
from django.core.mail import BadHeaderError, send_mail
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from innovationsvecka.roles import ACTOR_EDITORS, PROGRAMME_EDITORS, is_actor_editor

INVITATION_DAYS = 7
SALT = "siv.invitation"


class InvitationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Namn"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-postadress"))

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is not None and (user.is_superuser or user.groups.filter(name=PROGRAMME_EDITORS).exists()):
            raise forms.ValidationError(
                _("%(email)s har redan ett konto som programredaktör och kan redigera allt.") % {"email": email}
            )
        return email


def may_invite(user):
    return user.is_active and user.has_perm("organisers.change_organisation") and not is_actor_editor(user)


def fingerprint(user):
    return salted_hmac(SALT, f"{user.pk}:{user.password}:{user.is_active}").hexdigest()[:20]


def make_token(user):
    return signing.dumps({"u": user.pk, "f": fingerprint(user)}, salt=SALT)


def user_for(token):
    """The invited account, or None when the link is unknown, used or older than INVITATION_DAYS."""
    try:
        data = signing.loads(token, salt=SALT, max_age=INVITATION_DAYS * 24 * 60 * 60)
    except signing.BadSignature:  # SignatureExpired included
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or data.get("f") != fingerprint(user):
        return None
    return user


def free_username(email):
    User = get_user_model()
    base = (slugify(email.split("@")[0]) or "aktor")[:140]
    name, number = base, 2
    while User.objects.filter(username=name).exists():
        name, number = f"{base}-{number}", number + 1
    return name


@transaction.atomic
def invite(*, organisation, name, email, invited_by):
    """Make or find the account, tie it to the organisation, queue the e-mail. Returns (user, created)."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        first, _sep, last = name.partition(" ")
        user = User(username=free_username(email), email=email, first_name=first[:150], last_name=last[:150])
        user.set_unusable_password()
    user.is_staff = True
    user.is_active = True
    user.save()
    user.groups.add(Group.objects.get(name=ACTOR_EDITORS))
    organisation.editors.add(user)
    expires = timezone.localtime() + datetime.timedelta(days=INVITATION_DAYS)
    path = reverse("admin:organisers_invitation_accept", kwargs={"token": make_token(user)})
    with translation.override("sv"):
        context = {
            "name": name, "organisation": organisation, "invited_by": invited_by, "user": user,
            "link": settings.SITE_URL + path, "expires": expires, "has_password": user.has_usable_password(),
            "login_url": settings.SITE_URL + reverse("admin:login"),
        }
        subject = _("Inbjudan till administrationen för Sörmlands innovationsvecka")
        body = render_to_string("admin/organisers/invitation_email.txt", context)
    try:
        send_mail(subject, body, None, [email])
    except (OSError, BadHeaderError):
        transaction.set_rollback(True)
        raise
    return user, created


def invite_view(modeladmin, request, organisation):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, created = invite(
            organisation=organisation, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
            invited_by=request.user,
        )
        text = (
            _("Inbjudan skickades till %(email)s. Kontot är aktörsredaktör för ”%(organisation)s”; länken gäller i "
              "%(days)d dagar.") if created else
            _("%(email)s hade redan ett konto. Det är nu aktörsredaktör för ”%(organisation)s”, och ett e-brev "
              "om det har skickats.")
        )
        modeladmin.message_user(
            request, text % {"email": user.email, "organisation": organisation.name, "days": INVITATION_DAYS},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:organisers_organisation_change", args=[organisation.pk]))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Bjud in en aktörsredaktör till %(organisation)s") % {"organisation": organisation.name},
        "form": form,
        "organisation": organisation,
        "opts": modeladmin.model._meta,
        "days": INVITATION_DAYS,
    }
    request.current_app = modeladmin.admin_site.name
    return render(request, "admin/organisers/organisation/invite.html", context, status=400 if form.errors else 200)


@never_cache
def accept_view(request, token, admin_site):
    """Choose a password from the invitation link; then log in as usual."""
    user = user_for(token)
    context = {**admin_site.each_context(request), "title": _("Välj ditt lösenord"), "invited": user}
    if user is None:
        context["title"] = _("Inbjudan gäller inte längre")
        return render(request, "admin/organisers/invitation_accept.html", context, status=410)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Lösenordet är sparat. Logga in med användarnamnet %(username)s.")
                         % {"username": user.get_username()})
        return HttpResponseRedirect(reverse("admin:login"))
    context["form"] = form
    response = render(request, "admin/organisers/invitation_accept.html", context, status=400 if form.errors else 200)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response
