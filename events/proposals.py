"""The public proposal form /siv/foresla/: actors propose a session, which lands as status "proposed".

Spam is kept out without third-party services: a honeypot field that people never see, a minimum time between
loading and sending the form (a signed timestamp in a hidden field), and a per-address limit in the cache.
A rejected post is shown again with everything that was typed and a sentence saying why.
"""

import datetime
import logging
import secrets
import time

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.mail import BadHeaderError, send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from innovationsvecka.client_ip import client_ip
from innovationsvecka.roles import ACTOR_EDITORS, PROGRAMME_EDITORS
from innovationsvecka.seo import PageMeta, absolute
from organisers.models import Organisation

from .models import Audience, Edition, Session, Theme, Venue
from .services import long_date, save_session, session_problems, unique_slug

logger = logging.getLogger(__name__)

SALT = "siv.proposal.started"
MIN_SECONDS = 3  # a person needs longer than this to fill in the form; settings.SIV_PROPOSAL_MIN_SECONDS overrides
MAX_AGE = 24 * 60 * 60
RATE_LIMIT = 5  # proposals and robot-like posts per address and hour
SESSION_KEY = "siv_proposal_id"


def open_edition(today=None):
    """The next edition that has not ended yet, if its deadline has not passed; else None and the reason."""
    today = today or timezone.localdate()
    edition = Edition.objects.filter(end_date__gte=today).order_by("start_date").first()
    if edition is None:
        return None, _("Just nu tar vi inte emot programförslag. Välkommen tillbaka inför nästa innovationsvecka!")
    if edition.proposal_deadline and edition.proposal_deadline < today:
        return None, _(
            "Sista dag för programförslag till %(edition)s var %(deadline)s. Formuläret är stängt, men hör gärna av "
            "dig till oss om du har en idé."
        ) % {"edition": edition.title, "deadline": long_date(edition.proposal_deadline)}
    return edition, ""


def sign_start(moment=None):
    return signing.dumps(moment if moment is not None else time.time(), salt=SALT)


class OneLineField(forms.CharField):
    """A text that stays on one line wherever it is shown or mailed: line breaks, tabs and other control
    characters become single spaces, so nobody can add lines of their own to the staff's e-mail."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join("".join(" " if not ch.isprintable() else ch for ch in value).split())


class ProposalForm(forms.Form):
    title = OneLineField(label=gettext_lazy("Rubrik"), max_length=200)
    summary = forms.CharField(
        label=gettext_lazy("Kort sammanfattning"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("En eller två meningar som visas i programmet."),
    )
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Vad händer, för vem, och vad tar deltagarna med sig?"),
    )
    day = forms.ChoiceField(label=gettext_lazy("Dag"))
    start_time = forms.TimeField(
        label=gettext_lazy("Börjar"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("Svensk tid, till exempel 09:30."),
    )
    end_time = forms.TimeField(
        label=gettext_lazy("Slutar"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Form"), choices=Session.Format.choices, widget=forms.RadioSelect,
        initial=Session.Format.ON_SITE,
    )
    venue = forms.ModelChoiceField(
        label=gettext_lazy("Plats"), queryset=Venue.objects.select_related("municipality"), required=False,
        empty_label=gettext_lazy("Välj en plats"),
    )
    venue_other = OneLineField(
        label=gettext_lazy("Annan plats"), max_length=300, required=False,
        help_text=gettext_lazy("Om platsen inte finns i listan: namn och adress."),
    )
    online_url = forms.URLField(
        label=gettext_lazy("Länk till den digitala sändningen"), required=False, assume_scheme="https"
    )
    online_note = OneLineField(
        label=gettext_lazy("Eller: om länken"), max_length=200, required=False,
        help_text=gettext_lazy("Till exempel: Länken skickas efter anmälan."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teman"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Målgrupper"), queryset=Audience.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=gettext_lazy("Språk"), choices=Session.Language.choices)
    cost = OneLineField(
        label=gettext_lazy("Kostnad"), max_length=100, required=False,
        help_text=gettext_lazy("Lämna tomt om det är kostnadsfritt."),
    )
    registration_url = forms.URLField(label=gettext_lazy("Länk till anmälan"), required=False, assume_scheme="https")
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Arrangerande organisation"), queryset=Organisation.objects.active(), required=False,
        empty_label=gettext_lazy("Välj i listan"),
    )
    new_organisation = OneLineField(
        label=gettext_lazy("Eller: en arrangör som inte finns i listan"), max_length=200, required=False,
    )
    proposer_name = OneLineField(label=gettext_lazy("Ditt namn"), max_length=200)
    proposer_email = forms.EmailField(
        label=gettext_lazy("Din e-postadress"), help_text=gettext_lazy("Hit skickar vi en bekräftelse."),
    )
    consent = forms.BooleanField(
        error_messages={"required": gettext_lazy("Vi behöver ditt samtycke för att kunna ta emot förslaget.")},
    )
    # Left empty by people, who never see it (the wrapper is hidden); filled in by form-filling robots.
    website = forms.CharField(
        label=gettext_lazy("Lämna det här fältet tomt"), required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["day"].choices = [(day.isoformat(), long_date(day).capitalize()) for day in edition.days]
        self.fields["consent"].label = format_html(
            _("Jag samtycker till att mitt namn och min e-postadress sparas för att hantera förslaget. "
              "{link}Så hanterar vi personuppgifter{end}."),
            link=format_html('<a href="{}">', reverse("privacy")), end=format_html("</a>"),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self.layout_parts())

    def layout_parts(self):
        return [
            Fieldset(_("Programpunkten"), "title", "summary", "description", "themes", "audiences", "language"),
            Fieldset(_("Tid och plats"), "day", "start_time", "end_time", "format", "venue", "venue_other",
                     "online_url", "online_note"),
            Fieldset(_("Anmälan"), "cost", "registration_url"),
            Fieldset(_("Arrangerande organisation"), "organisation", "new_organisation"),
            Fieldset(_("Om dig"), "proposer_name", "proposer_email", "consent"),
            Div("website", hidden="hidden"),
            "started",
            Submit("submit", _("Skicka förslaget")),
        ]

    def clean_new_organisation(self):
        return " ".join(self.cleaned_data["new_organisation"].split())

    def clean_title(self):
        """One line: it becomes an e-mail subject, where a line break is not allowed."""
        return " ".join(self.cleaned_data["title"].split())

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("new_organisation") and "organisation" not in self._errors:
            self.add_error("organisation", _("Välj en arrangör i listan eller skriv namnet på en ny."))
        session = self.build_session()
        if session is not None:
            targets = {"end": "end_time", "start": "day", "venue": "venue", "online_url": "online_url"}
            for field, message in session_problems(session).items():
                if field == "venue" and data.get("venue_other"):
                    continue  # a new place, described in words: staff add it
                target = targets.get(field)
                if target and target not in self._errors:
                    self.add_error(target, message)
        return data

    def build_session(self):
        """The unsaved session the form describes, or None while its times are missing."""
        data = self.cleaned_data
        if not (data.get("day") and data.get("start_time") and data.get("end_time")):
            return None
        day = datetime.date.fromisoformat(data["day"])
        description = data.get("description", "")
        if data.get("venue_other"):
            description = (description + "\n\n" if description else "") + _("Föreslagen plats: %(place)s") % {
                "place": data["venue_other"]
            }
        return Session(
            edition=self.edition,
            title=data.get("title", ""),
            summary=data.get("summary", ""),
            description=description,
            start=timezone.make_aware(datetime.datetime.combine(day, data["start_time"])),
            end=timezone.make_aware(datetime.datetime.combine(day, data["end_time"])),
            format=data.get("format") or Session.Format.ON_SITE,
            venue=data.get("venue"),
            online_url=data.get("online_url", ""),
            online_note=data.get("online_note", ""),
            language=data.get("language") or Session.Language.SWEDISH,
            cost=data.get("cost", ""),
            registration_url=data.get("registration_url", ""),
            status=Session.Status.PROPOSED,
            proposer_name=data.get("proposer_name", ""),
            proposer_email=data.get("proposer_email", ""),
            proposed_organisation=data.get("new_organisation", ""),
        )

    def save(self):
        session = self.build_session()
        session.slug = unique_slug(edition=self.edition, base=session.title)
        session.consent_at = timezone.now()
        session.proposal_token = new_proposal_token()
        session.proposal_language = "en" if translation.get_language() == "en" else "sv"
        save_session(session=session)
        session.themes.set(self.cleaned_data["themes"])
        session.audiences.set(self.cleaned_data["audiences"])
        if self.cleaned_data.get("organisation"):
            session.organisers.set([self.cleaned_data["organisation"]])
        return session


class ProposalCorrectionForm(ProposalForm):
    """The proposer's corrections through the personal link: the same fields and rules as the form, without the
    consent (given already) and the spam checks (the 256-bit link is the key)."""

    CORRECTED = (
        "title", "summary", "description", "start", "end", "format", "venue", "online_url", "online_note",
        "language", "cost", "registration_url", "proposer_name", "proposer_email", "proposed_organisation",
    )

    def __init__(self, *args, session, **kwargs):
        self.session = session
        if not args and "data" not in kwargs:
            kwargs.setdefault("initial", initial_from(session))
        super().__init__(*args, edition=session.edition, **kwargs)
        for name in ("consent", "website", "started"):
            del self.fields[name]

    def layout_parts(self):
        parts = super().layout_parts()
        parts[4] = Fieldset(_("Om dig"), "proposer_name", "proposer_email")
        return parts[:5] + [Submit("submit", _("Spara rättelserna"))]

    def save(self):
        corrected = self.build_session()
        session = self.session
        for name in self.CORRECTED:
            setattr(session, name, getattr(corrected, name))
        save_session(session=session)
        session.themes.set(self.cleaned_data["themes"])
        session.audiences.set(self.cleaned_data["audiences"])
        organisation = self.cleaned_data.get("organisation")
        session.organisers.set([organisation] if organisation else [])
        return session


def initial_from(session):
    """The correction form's values from the saved proposal (the place typed in words is in the description)."""
    start, end = session.local_start, session.local_end
    organisation = session.organisers.first()
    return {
        "title": session.title, "summary": session.summary, "description": session.description,
        "day": start.date().isoformat(), "start_time": start.time(), "end_time": end.time(),
        "format": session.format, "venue": session.venue_id, "online_url": session.online_url,
        "online_note": session.online_note, "themes": list(session.themes.all()),
        "audiences": list(session.audiences.all()), "language": session.language, "cost": session.cost,
        "registration_url": session.registration_url, "organisation": organisation.pk if organisation else None,
        "new_organisation": session.proposed_organisation, "proposer_name": session.proposer_name,
        "proposer_email": session.proposer_email,
    }


def new_proposal_token():
    """256 random bits: the proposer's personal link is the only key to see, correct and withdraw a proposal."""
    return secrets.token_urlsafe(32)


def personal_url(session):
    """The proposer's personal link, in the language the proposal was sent in."""
    with translation.override(session.proposal_language or "sv"):
        return absolute(reverse("events:proposal_personal", kwargs={"token": session.proposal_token}))


def client_address(request):
    """The visitor's address, also behind the proxy (settings.TRUSTED_PROXY_COUNT)."""
    return client_ip(request) or "unknown"


def rate_key(request):
    return f"siv:proposal-posts:{client_address(request)}"


def count_post(request):
    """Count a proposal or a refused robot-like post against the sender's address for an hour."""
    key = rate_key(request)
    cache.add(key, 0, 60 * 60)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 60 * 60)


def spam_reason(request):
    """(why this post is refused, HTTP status), or ("", 200) when it may go on.

    Only accepted proposals and robot-like posts count towards the limit, so a person correcting mistakes in
    the form is never shut out.
    """
    if cache.get(rate_key(request), 0) >= getattr(settings, "SIV_PROPOSAL_RATE_LIMIT", RATE_LIMIT):
        return _("Många förslag har skickats från din adress den senaste timmen. Vänta en stund och försök igen."), 429
    if request.POST.get("website"):
        count_post(request)
        return _("Formuläret kunde inte skickas. Lämna fältet ”Lämna det här fältet tomt” tomt och försök igen."), 400
    try:
        started = signing.loads(request.POST.get("started", ""), salt=SALT, max_age=MAX_AGE)
        elapsed = time.time() - float(started)
    except (signing.BadSignature, TypeError, ValueError):
        count_post(request)
        return _("Formuläret hade hunnit bli för gammalt. Kontrollera uppgifterna och skicka igen."), 400
    if elapsed < getattr(settings, "SIV_PROPOSAL_MIN_SECONDS", MIN_SECONDS):
        count_post(request)
        return _(
            "Formuläret skickades så snabbt att det såg automatiskt ut. Kontrollera uppgifterna och skicka igen."
        ), 400
    return "", 200


def staff_recipients():
    if settings.STAFF_EMAILS:
        return list(settings.STAFF_EMAILS)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    editors = users.filter(Q(groups__name=PROGRAMME_EDITORS) | Q(is_superuser=True))
    return list(editors.values_list("email", flat=True).distinct())


def send_proposal_emails(session):
    context = {
        "session": session,
        "admin_url": absolute(reverse("admin:events_proposal_change", args=[session.pk])),
        "site_url": absolute(reverse("events:programme")),
        "personal_url": personal_url(session) if session.proposal_token else "",
    }
    messages = [
        (
            # Only what the site itself wrote: anyone can type anybody's address into the form, so a
            # confirmation must not carry a stranger's words (the title, the name) to that inbox.
            _("Vi har tagit emot ditt programförslag till %(edition)s") % {"edition": session.edition.title},
            render_to_string("events/proposal_email_proposer.txt", context),
            [session.proposer_email],
        )
    ]
    staff = staff_recipients()
    if staff:
        with translation.override("sv"):
            messages.append((
                _("Nytt programförslag: %(title)s") % {"title": session.title},
                render_to_string("events/proposal_email_staff.txt", context),
                staff,
            ))
    else:
        logger.warning("No DJANGO_STAFF_EMAIL and no programme editor with an e-mail: proposal %s", session.pk)
    # send_mail only puts the message in the queue (innovationsvecka.mail); the worker sends it, and retries
    # while the mail server is down.
    for subject, body, recipients in messages:
        try:
            send_mail(subject, body, None, recipients)
        except (OSError, BadHeaderError):  # mail trouble must not lose the saved proposal
            logger.exception("Could not queue the e-mail %r", subject)


@never_cache
def propose(request):
    edition, closed_reason = open_edition()
    if edition is None:
        return render(request, "events/proposal_closed.html", {"reason": closed_reason}, status=200)
    rejection, status = "", 200
    if request.method == "POST":
        form = ProposalForm(request.POST, edition=edition)
        rejection, status = spam_reason(request)
        if not rejection and form.is_valid():
            session = form.save()
            count_post(request)
            send_proposal_emails(session)
            request.session[SESSION_KEY] = session.pk
            return redirect("events:proposal_thanks")
        # The form is shown again with everything typed, a fresh timestamp and the reason.
        data = request.POST.copy()
        data["started"] = sign_start()
        data["website"] = ""
        form = ProposalForm(data, edition=edition)
        form.is_valid()
    else:
        form = ProposalForm(initial={"started": sign_start()}, edition=edition)
    context = {"form": form, "edition": edition, "rejection": rejection}
    return render(request, "events/proposal_form.html", context, status=status)


@never_cache
def thanks(request):
    session = None
    pk = request.session.get(SESSION_KEY)
    if pk:
        session = Session.objects.filter(pk=pk, status=Session.Status.PROPOSED).select_related("edition").first()
    return private_page(render(request, "events/proposal_thanks.html", {"session": session}))


# Decisions: staff accept or decline in the admin's proposals inbox (events.admin_proposals), the proposer may
# withdraw through the personal link. Each saves through save_session and tells the people concerned by e-mail.


def queue_mail(subject, template, context, recipients):
    """Put one e-mail in the queue (innovationsvecka.mail); mail trouble never undoes the decision."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    try:
        send_mail(subject, render_to_string(template, context), None, recipients)
    except (OSError, BadHeaderError):
        logger.exception("Could not queue the e-mail %r", subject)


def actor_editor_emails(session):
    """The e-mail addresses of the actor editors of the session's organisations."""
    users = get_user_model().objects.filter(
        is_active=True, groups__name=ACTOR_EDITORS, edited_organisations__in=session.organisers.all()
    ).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def decision_context(session):
    with translation.override(session.proposal_language or "sv"):
        return {
            "session": session,
            "session_url": absolute(session.get_absolute_url()),
            "site_url": absolute(reverse("events:programme")),
            "personal_url": personal_url(session) if session.proposal_token else "",
        }


def _decide(session, *, status, outcome, reason="", user=None):
    session.status = status
    session.proposal_outcome = outcome
    session.decision_reason = reason.strip()
    session.decided_at = timezone.now()
    if user is not None:
        session._history_user = user
    return save_session(session=session)


@transaction.atomic
def accept(*, session, publish=False, user=None):
    """A proposal into the programme, as a draft or published at once. The proposer and the organisation's
    actor editors hear of it."""
    _decide(session, status=Session.Status.PUBLISHED if publish else Session.Status.DRAFT,
            outcome=Session.ProposalOutcome.ACCEPTED, user=user)
    context = decision_context(session)
    if session.proposer_email:
        with translation.override(session.proposal_language or "sv"):
            queue_mail(
                _("Ditt programförslag till %(edition)s är godkänt") % {"edition": session.edition.title},
                "events/proposal_email_accepted.txt", context, [session.proposer_email],
            )
    editors = actor_editor_emails(session)
    if editors:
        with translation.override("sv"):
            context["admin_url"] = absolute(reverse("admin:events_session_change", args=[session.pk]))
            queue_mail(
                _("Programförslag godkänt: %(title)s") % {"title": session.title},
                "events/proposal_email_actor_editors.txt", context, editors,
            )
    return session


@transaction.atomic
def decline(*, session, reason, user=None):
    """Kept with its reason as status "avböjd", never public; the proposer gets the reason by e-mail."""
    _decide(session, status=Session.Status.DECLINED, outcome=Session.ProposalOutcome.DECLINED, reason=reason,
            user=user)
    if session.proposer_email:
        with translation.override(session.proposal_language or "sv"):
            queue_mail(
                _("Ditt programförslag till %(edition)s") % {"edition": session.edition.title},
                "events/proposal_email_declined.txt", decision_context(session), [session.proposer_email],
            )
    return session


@transaction.atomic
def withdraw(*, session):
    """The proposer takes the proposal back through the personal link; staff are told."""
    _decide(session, status=Session.Status.DECLINED, outcome=Session.ProposalOutcome.WITHDRAWN)
    staff = staff_recipients()
    with translation.override("sv"):
        admin_url = absolute(reverse("admin:events_proposal_change", args=[session.pk]))
        context = {"session": session, "admin_url": admin_url}
        queue_mail(
            _("Programförslag återtaget: %(title)s") % {"title": session.title},
            "events/proposal_email_withdrawn_staff.txt", context, staff,
        )
    return session


DECLINE_TEMPLATE = gettext_lazy(
    "Tack för ditt förslag! Vi har fått in fler förslag än programmet har plats för, och det här passar "
    "tyvärr inte in i årets program. Välkommen med ett nytt förslag nästa år."
)


# The proposer's personal page /siv/foresla/<token>/: not cached, not indexed, unknown tokens are 404.


def private_page(response):
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"  # the address is the key: never send it to other sites
    return response


def proposal_for(token):
    queryset = Session.objects.select_related("edition", "venue__municipality")
    return get_object_or_404(queryset, proposal_token=token)


@never_cache
def personal(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    session = proposal_for(token)
    form, status = None, 200
    if session.is_open_proposal:
        if request.method == "POST":
            form = ProposalCorrectionForm(request.POST, session=session)
            if form.is_valid():
                form.save()
                messages.success(request, _("Rättelserna är sparade."))
                return redirect("events:proposal_personal", token=token)
            status = 400
        else:
            form = ProposalCorrectionForm(session=session)
    elif request.method == "POST":
        status = 409
        messages.error(request, _("Förslaget är redan behandlat och kan inte ändras längre."))
    context = {
        "session": session, "form": form, "organisers": list(session.organisers.all()),
        "themes": list(session.themes.all()), "meta": PageMeta(title=_("Ditt programförslag"), noindex=True),
    }
    return private_page(render(request, "events/proposal_personal.html", context, status=status))


@never_cache
def withdraw_view(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    session = proposal_for(token)
    if not session.is_open_proposal:
        return redirect("events:proposal_personal", token=token)
    if request.method == "POST":
        withdraw(session=session)
        messages.success(request, _("Förslaget är återtaget. Tack för att du hörde av dig."))
        return redirect("events:proposal_personal", token=token)
    context = {"session": session, "meta": PageMeta(title=_("Dra tillbaka förslaget"), noindex=True)}
    return private_page(render(request, "events/proposal_withdraw.html", context))
