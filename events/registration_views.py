"""The registration form /siv/<year>/<slug>/anmalan/ and the personal page /siv/anmalan/<token>/ (issue 16).

Neither is page-cached (the form has a CSRF token, the personal page is one person's), both are noindex. The
session page itself stays cached and the same for everyone: it links here. Abuse is kept out as on the proposal
form: a honeypot, a minimum fill time (a signed timestamp), at most SIV_REGISTRATIONS_PER_EMAIL registrations
per e-mail address and hour, and a generous SIV_REGISTRATIONS_PER_ADDRESS per visitor address and hour (a whole
venue may share one address).
"""

import hashlib
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from innovationsvecka.client_ip import client_ip
from innovationsvecka.seo import PageMeta

from . import registrations
from .models import Audience, Municipality, Registration, RegistrationMode, Session
from .proposals import OneLineField

SALT = "siv.registration.started"
MIN_SECONDS = 3
MAX_AGE = 24 * 60 * 60
PER_EMAIL = 10  # registrations per e-mail address and hour
PER_ADDRESS = 300  # registrations and refused posts per visitor address and hour: a venue may share one
HOUR = 60 * 60


def luhn_ok(digits):
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normal_org_number(value):
    """'NNNNNN-NNNN' for a Swedish organisation number with a right check digit, else None."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) != 10 or any(ch not in "0123456789- " for ch in value) or not luhn_ok(digits):
        return None
    return f"{digits[:6]}-{digits[6:]}"


class RegistrationForm(forms.Form):
    name = OneLineField(label=gettext_lazy("Namn"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("E-postadress"),
        help_text=gettext_lazy("Hit skickar vi bekräftelsen och din personliga länk."),
    )
    organisation = OneLineField(label=gettext_lazy("Organisation"), max_length=200, required=False)
    org_number = forms.CharField(
        label=gettext_lazy("Organisationsnummer"), max_length=20, required=False,
        help_text=gettext_lazy("Tio siffror, till exempel 556016-0680."),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Kommun"), queryset=Municipality.objects.all(), required=False,
        empty_label=gettext_lazy("Välj kommun"),
    )
    audience = forms.ModelChoiceField(
        label=gettext_lazy("Vilken av målgrupperna beskriver dig bäst?"), queryset=Audience.objects.all(),
        required=False, empty_label=gettext_lazy("Välj målgrupp"),
    )
    needs = forms.CharField(
        label=gettext_lazy("Behov av anpassning eller specialkost"), max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Frivilligt. Bara arrangörerna och innovationsveckans personal ser det."),
    )
    needs_consent = forms.BooleanField(
        label=gettext_lazy(
            "Jag samtycker till att uppgiften om mina behov sparas och visas för arrangörerna, för att de ska kunna "
            "ordna det. Uppgiften raderas med resten av anmälan."
        ),
        required=False,
    )
    consent = forms.BooleanField(
        error_messages={"required": gettext_lazy("Vi behöver ditt samtycke för att kunna spara anmälan.")},
    )
    website = forms.CharField(
        label=gettext_lazy("Lämna det här fältet tomt"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    QUESTIONS = {
        "organisation": "ask_organisation", "org_number": "ask_org_number", "municipality": "ask_municipality",
        "audience": "ask_audience", "needs": "ask_needs", "needs_consent": "ask_needs",
    }

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        for field, flag in self.QUESTIONS.items():
            if not getattr(session, flag):
                del self.fields[field]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if "organisation" in self.fields:
            self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["consent"].label = format_html(
            _("Jag samtycker till att mitt namn och min e-postadress sparas för att hantera anmälan, och att "
              "arrangörerna ser dem. {link}Så hanterar vi personuppgifter{end}."),
            link=format_html('<a href="{}">', reverse("privacy")), end=format_html("</a>"),
        )
        asked = [name for name in ("organisation", "org_number", "municipality", "audience") if name in self.fields]
        needs = [name for name in ("needs", "needs_consent") if name in self.fields]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        parts = [Fieldset(_("Om dig"), "name", "email", *asked)]
        if needs:
            parts.append(Fieldset(_("Behov"), *needs))
        self.helper.layout = Layout(
            *parts, "consent", Div("website", hidden="hidden"), "started",
            Submit("submit", _("Skicka anmälan")),
        )

    def clean_org_number(self):
        value = self.cleaned_data["org_number"].strip()
        if not value:
            return ""
        number = normal_org_number(value)
        if number is None:
            raise forms.ValidationError(
                _("Organisationsnumret stämmer inte. Skriv tio siffror, NNNNNN-NNNN, och kontrollera sista siffran.")
            )
        return number

    def clean(self):
        data = super().clean()
        if data.get("needs", "").strip() and not data.get("needs_consent"):
            self.add_error("needs_consent", _(
                "Kryssa i samtycket om vi ska spara dina behov, eller töm fältet."
            ))
        return data


def sign_start(moment=None):
    return signing.dumps(moment if moment is not None else time.time(), salt=SALT)


def counter(key):
    if cache.add(key, 1, HOUR):
        return 1
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, HOUR)
        return 1


def address_key(request):
    return f"siv:registration-posts:{client_ip(request) or 'unknown'}"


def email_key(email):
    return "siv:registration-email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def spam_reason(request):
    """(reason, status) for a refused post, ("", 200) when it may go on."""
    if (cache.get(address_key(request)) or 0) >= getattr(settings, "SIV_REGISTRATIONS_PER_ADDRESS", PER_ADDRESS):
        return _("Många anmälningar har skickats från din adress den senaste timmen. Vänta en stund och försök "
                 "igen."), 429
    email = request.POST.get("email", "")
    if email and (cache.get(email_key(email)) or 0) >= getattr(settings, "SIV_REGISTRATIONS_PER_EMAIL", PER_EMAIL):
        return _("Många anmälningar har gjorts med den här e-postadressen den senaste timmen. Vänta en stund och "
                 "försök igen."), 429
    if request.POST.get("website"):
        counter(address_key(request))
        return _("Anmälan kunde inte skickas. Lämna fältet ”Lämna det här fältet tomt” tomt och försök igen."), 400
    try:
        elapsed = time.time() - float(signing.loads(request.POST.get("started", ""), salt=SALT, max_age=MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        counter(address_key(request))
        return _("Formuläret hade hunnit bli för gammalt. Kontrollera uppgifterna och skicka igen."), 400
    if elapsed < getattr(settings, "SIV_REGISTRATION_MIN_SECONDS", MIN_SECONDS):
        counter(address_key(request))
        return _("Formuläret skickades så snabbt att det såg automatiskt ut. Kontrollera uppgifterna och skicka "
                 "igen."), 400
    return "", 200


def noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


def public_session(year, slug):
    session = (
        Session.objects.filter(edition__year=year, slug=slug, registration_mode=RegistrationMode.HERE)
        .select_related("edition", "venue")
        .first()
    )
    if session is None or not session.is_public or not session.edition.is_published:
        raise Http404(_("Det går inte att anmäla sig till den här programpunkten här."))
    return session


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def register(request, year, slug):
    session = public_session(year, slug)
    open_now = registrations.is_open(session)
    rejection, status = "", 200
    if request.method == "POST" and open_now:
        form = RegistrationForm(request.POST, session=session)
        rejection, status = spam_reason(request)
        if not rejection and form.is_valid():
            data = form.cleaned_data
            try:
                registration = registrations.register(
                    session_id=session.pk, name=data["name"], email=data["email"], language=get_language() or "sv",
                    organisation=data.get("organisation", ""), org_number=data.get("org_number", ""),
                    municipality=data.get("municipality"), audience=data.get("audience"),
                    needs=data.get("needs", ""), needs_consent=bool(data.get("needs_consent")),
                )
            except registrations.RegistrationClosed:
                open_now = False
            else:
                counter(address_key(request))
                counter(email_key(data["email"]))
                return redirect(registration.get_receipt_url())
        if open_now:
            data = request.POST.copy()
            data["started"], data["website"] = sign_start(), ""
            form = RegistrationForm(data, session=session)
            form.is_valid()
    elif open_now:
        form = RegistrationForm(initial={"started": sign_start()}, session=session)
    if not open_now:
        form, status = None, 200 if request.method != "POST" else 409
    left = registrations.places_left(session) if open_now else None
    context = {
        "session": session,
        "edition": session.edition,
        "form": form,
        "rejection": rejection,
        "places_left": left,
        "full": left == 0,
        "meta": PageMeta(title=_("Anmälan: %(title)s") % {"title": session.title}, noindex=True),
    }
    return noindex(render(request, "events/registration_form.html", context, status=status))


def find(token):
    """(the registration the link belongs to, the registrations it shows). The personal link (mailed) shows every
    registration of its address; the receipt link (shown after the form) only its own."""
    registration = (
        Registration.objects.filter(Q(token=token) | Q(receipt=token))
        .select_related("session__edition", "session__venue").first()
    )
    if registration is None:
        raise Http404(_("Det finns ingen sådan anmälan. Den kan ha raderats."))
    if registration.token == token:
        shown = (
            Registration.objects.filter(email=registration.email).select_related("session__edition", "session__venue")
            .order_by("session__start", "pk")
            if registration.email else [registration]
        )
        return registration, list(shown)
    return registration, [registration]


def private(response):
    """One person's page: never stored, and its address (the key) is sent to no other site as a referrer.

    "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" with the page's own forms
    (cancel, delete), which fails the CSRF check."""
    response["Cache-Control"] = "no-store, private"
    response["Referrer-Policy"] = "same-origin"
    return noindex(response)


def personal_meta():
    return PageMeta(title=_("Dina anmälningar"), noindex=True)


@never_cache
@require_http_methods(["GET", "HEAD"])
def personal(request, token):
    registration, shown = find(token)
    for item in shown:
        item.join = registrations.join_link(item.session) if item.status == Registration.Status.CONFIRMED else ""
        item.when = registrations.when_text(item.session)
        item.place = registrations.place_text(item.session)
    context = {
        "token": token,
        "registration": registration,
        "registrations": shown,
        "is_receipt": token == registration.receipt,
        "meta": personal_meta(),
    }
    return private(render(request, "events/registration_personal.html", context))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def cancel(request, token, pk):
    registration, shown = find(token)
    target = next((item for item in shown if item.pk == pk), None)
    if target is None:
        raise Http404(_("Det finns ingen sådan anmälan."))
    if request.method == "POST":
        if target.status != Registration.Status.CANCELLED:
            registrations.cancel(registration=target)
            target.status = Registration.Status.CANCELLED
            registrations.send(target, "cancelled_by_you")
        return redirect(reverse("events:registration", kwargs={"token": token}) + "?avbokad=1")
    context = {"token": token, "target": target, "when": registrations.when_text(target.session),
               "meta": personal_meta()}
    return private(render(request, "events/registration_cancel.html", context))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, token):
    registration, shown = find(token)
    if request.method == "POST":
        with transaction.atomic():
            registrations.delete_person(registrations=shown)
        return private(render(request, "events/registration_deleted.html", {"meta": personal_meta()}))
    context = {"token": token, "registrations": shown, "meta": personal_meta()}
    return private(render(request, "events/registration_delete.html", context))
