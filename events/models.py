import datetime
import secrets
import uuid

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def week46(year):
    """Monday and Sunday of ISO week 46, the innovation week. In 2026 it runs 9 to 15 November."""
    monday = datetime.date.fromisocalendar(year, 46, 1)
    return monday, monday + datetime.timedelta(days=6)


def next_week_year(today=None):
    """The year of the next innovation week that has not ended: this year's until its Sunday, then next year's."""
    today = today or timezone.localdate()
    return today.year if today <= week46(today.year)[1] else today.year + 1


class TranslatedName(models.Model):
    """A short fixed list (themes, audiences, municipalities) named in Swedish and English."""

    name = models.CharField(_("namn"), max_length=100)
    name_en = models.CharField(_("namn på engelska"), max_length=100, blank=True)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def label(self):
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Theme(TranslatedName):
    """One of the four shared challenge areas of Östra Mellansverige."""

    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta(TranslatedName.Meta):
        verbose_name = _("tema")
        verbose_name_plural = _("teman")

    def get_absolute_url(self):
        return reverse("events:programme") + f"?tema={self.slug}"

    @property
    def text(self):
        if get_language() == "en" and self.description_en:
            return self.description_en
        return self.description


class Audience(TranslatedName):
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta(TranslatedName.Meta):
        verbose_name = _("målgrupp")
        verbose_name_plural = _("målgrupper")


class Municipality(TranslatedName):
    """One of Sörmland's nine municipalities."""

    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta(TranslatedName.Meta):
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")


class EditionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_public_contacts(self):
        """The week's contact block: the coordinator and the contacts marked public, in two queries."""
        from organisers.models import Contact

        return self.select_related("coordinator").prefetch_related(
            models.Prefetch("contacts", queryset=Contact.objects.public(), to_attr="public_contacts")
        )

    def current(self, today=None):
        """The edition of this year, or else the nearest upcoming one, or else the latest past one."""
        today = today or timezone.localdate()
        return (
            self.filter(year=today.year).first()
            or self.filter(year__gt=today.year).order_by("year").first()
            or self.order_by("-year").first()
        )

    def home(self, today=None):
        """The edition /siv/, "Nu och härnäst" and the footer are about: the first one that has not ended yet
        (published or not: an unpublished one shows its "kommer snart" page), or else the latest past one.

        So after the week, once staff have created next year's edition, visitors see that one coming; until
        then they see the week that has just ended, marked as over.
        """
        today = today or timezone.localdate()
        number = models.IntegerField()
        ended = models.Case(models.When(end_date__lt=today, then=1), default=0, output_field=number)
        order = models.Case(
            models.When(end_date__lt=today, then=models.Value(0) - F("year")), default=F("year"), output_field=number
        )
        return self.alias(ended=ended, order=order).order_by("ended", "order", "start_date").first()


class Edition(models.Model):
    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    start_date = models.DateField(_("första dag"), blank=True, help_text=_("Lämna tomt för måndagen i vecka 46."))
    end_date = models.DateField(_("sista dag"), blank=True, help_text=_("Lämna tomt för söndagen i vecka 46."))
    title = models.CharField(_("rubrik"), max_length=200)
    intro = models.TextField(_("ingress"), blank=True)
    about = models.TextField(
        _("om veckan"), blank=True, help_text=_("Syfte och bakgrund, visas på sidan Om innovationsveckan.")
    )
    is_published = models.BooleanField(_("programmet är publicerat"), default=False)
    proposal_deadline = models.DateField(_("sista dag för programförslag"), null=True, blank=True)
    coordinator = models.ForeignKey(
        "organisers.Organisation",
        verbose_name=_("samordnande organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_editions",
    )
    contacts = models.ManyToManyField(
        "organisers.Contact", verbose_name=_("kontaktpersoner för veckan"), blank=True, related_name="editions"
    )
    is_sample = models.BooleanField(_("exempeldata"), default=False, editable=False)
    # Registration here (events.registrations): when reminders go out, and how long registrants' data is kept.
    reminder_time = models.TimeField(
        _("tid för påminnelser"), default=datetime.time(9, 0),
        help_text=_("Dagen före programpunkten, svensk tid."),
    )
    registration_retention_days = models.PositiveSmallIntegerField(
        _("dagar som anmälningar sparas"), default=90,
        help_text=_("Anmäldas personuppgifter raderas så många dagar efter veckans sista dag."),
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[contacts])

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("upplaga")
        verbose_name_plural = _("upplagor")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="edition_end_not_before_start"),
        ]

    def __str__(self):
        return f"{self.title} {self.year}" if str(self.year) not in self.title else self.title

    def save(self, *args, **kwargs):
        self.fill_week46_dates()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:edition", kwargs={"year": self.year})

    def clean(self):
        self.fill_week46_dates()

    def fill_week46_dates(self):
        """Dates staff leave empty default to ISO week 46 of the edition's year."""
        if self.year:
            monday, sunday = week46(self.year)
            self.start_date = self.start_date or monday
            self.end_date = self.end_date or sunday

    @property
    def days(self):
        day = self.start_date
        while day <= self.end_date:
            yield day
            day += datetime.timedelta(days=1)


class Venue(models.Model):
    name = models.CharField(_("namn"), max_length=200)
    street_address = models.CharField(_("gatuadress"), max_length=200, blank=True)
    postcode = models.CharField(_("postnummer"), max_length=10, blank=True)
    town = models.CharField(_("ort"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.PROTECT, related_name="venues"
    )
    latitude = models.DecimalField(_("latitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitud"), max_digits=9, decimal_places=6, null=True, blank=True)
    accessibility = models.TextField(
        _("tillgänglighet"), blank=True, help_text=_("Till exempel hiss, hörslinga, parkering.")
    )
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    # What calendar events show of a venue (LOCATION and GEO); changing any raises its sessions' SEQUENCE.
    CALENDAR_FIELDS = ("name", "street_address", "postcode", "town", "latitude", "longitude")

    class Meta:
        verbose_name = _("plats")
        verbose_name_plural = _("platser")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="venue_coordinates_both_or_none",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.town}" if self.town else self.name

    @property
    def full_address(self):
        postal = " ".join(part for part in [self.postcode, self.town] if part)
        return ", ".join(part for part in [self.name, self.street_address, postal] if part)

    @property
    def map_url(self):
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        from urllib.parse import quote_plus

        return "https://www.openstreetmap.org/search?query=" + quote_plus(
            ", ".join(p for p in [self.street_address, self.postcode, self.town] if p)
        )


class SessionQuerySet(models.QuerySet):
    def public(self):
        """Sessions the public may see: published ones and cancelled ones (which stay listed, marked)."""
        return self.filter(status__in=[Session.Status.PUBLISHED, Session.Status.CANCELLED])

    def published(self):
        return self.filter(status=Session.Status.PUBLISHED)

    def in_edition(self, edition):
        return self.filter(edition=edition)

    def on_day(self, day):
        """Sessions starting on a local (Europe/Stockholm) calendar day."""
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return self.filter(start__gte=start, start__lt=start + datetime.timedelta(days=1))

    def in_calendars(self):
        """Sessions that calendar feeds carry: public ones, plus withdrawn ones (taken back to draft or
        proposal after publication), which feeds publish as cancelled so subscribers' copies go away."""
        return self.filter(edition__is_published=True).filter(
            Q(status__in=[Session.Status.PUBLISHED, Session.Status.CANCELLED])
            | Q(status__in=[Session.Status.DRAFT, Session.Status.PROPOSED], first_published__isnull=False)
        )


class RegistrationMode(models.TextChoices):
    NONE = "none", _("Ingen anmälan")
    EXTERNAL = "external", _("Extern länk")
    HERE = "here", _("Anmälan här på webbplatsen")


class Session(models.Model):
    RegistrationMode = RegistrationMode

    class Format(models.TextChoices):
        ON_SITE = "plats", _("På plats")
        DIGITAL = "digitalt", _("Digitalt")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PROPOSED = "proposed", _("Förslag")
        PUBLISHED = "published", _("Publicerad")
        CANCELLED = "cancelled", _("Inställd")
        DECLINED = "declined", _("Avböjd")

    class ProposalOutcome(models.TextChoices):
        ACCEPTED = "accepted", _("Godkänt")
        DECLINED = "declined", _("Avböjt")
        WITHDRAWN = "withdrawn", _("Återtaget av förslagsställaren")

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Svenska")
        ENGLISH = "en", _("Engelska")
        BOTH = "sv-en", _("Svenska och engelska")

    edition = models.ForeignKey(Edition, verbose_name=_("upplaga"), on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(_("rubrik"), max_length=200)
    title_en = models.CharField(_("rubrik på engelska"), max_length=200, blank=True)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=120)
    summary = models.CharField(_("sammanfattning"), max_length=300, blank=True)
    summary_en = models.CharField(_("sammanfattning på engelska"), max_length=300, blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    description_en = models.TextField(_("beskrivning på engelska"), blank=True)
    start = models.DateTimeField(_("börjar"))
    end = models.DateTimeField(_("slutar"))
    # When save_session moves a session, where it was: pages say "Ändrad: flyttad från 10.00" for a week.
    moved_from = models.DateTimeField(_("flyttad från"), null=True, blank=True, editable=False)
    moved_at = models.DateTimeField(_("flyttad"), null=True, blank=True, editable=False)
    format = models.CharField(_("form"), max_length=10, choices=Format.choices, default=Format.ON_SITE)
    venue = models.ForeignKey(
        Venue, verbose_name=_("plats"), null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    online_url = models.URLField(_("länk till digital sändning"), blank=True)
    online_note = models.CharField(
        _("om den digitala länken"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel: Länken skickas efter anmälan."),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("teman"), blank=True, related_name="sessions")
    audiences = models.ManyToManyField(Audience, verbose_name=_("målgrupper"), blank=True, related_name="sessions")
    language = models.CharField(_("språk"), max_length=5, choices=Language.choices, default=Language.SWEDISH)
    cost = models.CharField(
        _("kostnad"), max_length=100, blank=True, help_text=_("Lämna tomt om det är kostnadsfritt.")
    )
    registration_url = models.URLField(_("länk till anmälan"), blank=True)
    registration_deadline = models.DateTimeField(_("sista anmälningsdag"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("antal platser"), null=True, blank=True)
    is_full = models.BooleanField(_("fullbokat"), default=False)
    # Registration here (events.registrations): the mode, the join link for registrants only, and the questions.
    registration_mode = models.CharField(
        _("anmälan"), max_length=10, choices=RegistrationMode.choices, default=RegistrationMode.EXTERNAL, blank=True,
        help_text=_("Extern länk använder fältet ”länk till anmälan”. Här: besökarna anmäler sig på webbplatsen."),
    )
    join_url = models.URLField(
        _("länk för anmälda"), blank=True,
        help_text=_("Länken till den digitala sändningen som bara de anmälda får, i e-post och på sin sida. "
                    "Visas aldrig publikt."),
    )
    ask_organisation = models.BooleanField(_("fråga efter organisation"), default=False)
    ask_org_number = models.BooleanField(_("fråga efter organisationsnummer"), default=False)
    ask_municipality = models.BooleanField(_("fråga efter kommun"), default=False)
    ask_audience = models.BooleanField(_("fråga vilken målgrupp man tillhör"), default=False)
    ask_needs = models.BooleanField(_("fråga om behov (tillgänglighet, mat)"), default=False)
    organisers = models.ManyToManyField(
        "organisers.Organisation", verbose_name=_("arrangörer"), blank=True, related_name="sessions"
    )
    contact = models.ForeignKey(
        "organisers.Contact",
        verbose_name=_("kontaktperson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    cancellation_note = models.TextField(_("meddelande om inställt"), blank=True)
    first_published = models.DateTimeField(
        _("först publicerad"), null=True, blank=True, editable=False,
        help_text=_("Sätts när sessionen publiceras första gången. Den kan sedan inte raderas, bara ställas in."),
    )
    # Calendar identity: the UID never changes; SEQUENCE rises when time, place or status changes.
    uid = models.UUIDField(_("kalender-id"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("kalenderversion"), default=0, editable=False)
    # Who proposed it through the public form, kept only for proposals.
    proposer_name = models.CharField(_("förslagsställarens namn"), max_length=200, blank=True)
    proposer_email = models.EmailField(_("förslagsställarens e-post"), blank=True)
    proposed_organisation = models.CharField(_("föreslagen ny arrangör"), max_length=200, blank=True)
    consent_at = models.DateTimeField(_("samtycke lämnat"), null=True, blank=True, editable=False)
    # The proposal's own bookkeeping (events.proposals). The language and the outcome stay after the proposer's
    # personal data is deleted (purge_proposer_data), so the counts for the funder report survive.
    proposal_token = models.CharField(
        _("förslagsställarens nyckel"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    proposal_language = models.CharField(
        _("förslagets språk"), max_length=5, blank=True, editable=False,
        help_text=_("Språket på sidan förslaget skickades från; svaren skickas på det språket."),
    )
    proposal_outcome = models.CharField(
        _("beslut om förslaget"), max_length=10, choices=ProposalOutcome.choices, blank=True, editable=False
    )
    decision_reason = models.TextField(_("motivering"), blank=True, editable=False)
    decided_at = models.DateTimeField(_("beslutat"), null=True, blank=True, editable=False)
    proposer_data_deleted_at = models.DateTimeField(
        _("förslagsställarens uppgifter raderade"), null=True, blank=True, editable=False
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes, audiences, organisers])

    objects = SessionQuerySet.as_manager()

    # Changing any of these must reach subscribed calendars as a new SEQUENCE.
    CALENDAR_FIELDS = ("start", "end", "format", "venue_id", "online_url", "status")

    class Meta:
        verbose_name = _("programpunkt")
        verbose_name_plural = _("programpunkter")
        ordering = ["start", "end", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_end_after_start"),
            models.UniqueConstraint(fields=["edition", "slug"], name="session_slug_unique_in_edition"),
        ]
        indexes = [models.Index(fields=["edition", "status", "start"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"year": self.edition.year, "slug": self.slug})

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    MOVED_SHOWN_DAYS = 7

    @property
    def recently_moved_from(self):
        """The local start the session had before it was moved, if that was within the last week; else None."""
        if self.moved_from is None or self.moved_at is None:
            return None
        if self.moved_at < timezone.now() - datetime.timedelta(days=self.MOVED_SHOWN_DAYS):
            return None
        return timezone.localtime(self.moved_from)

    @property
    def moved_note(self):
        """ "Ändrad: flyttad från 10.00" (the same day) or "… från tisdag 10 november 10.00", for a week."""
        moved = self.recently_moved_from
        if moved is None:
            return ""
        english = get_language() == "en"
        clock = moved.strftime("%H:%M" if english else "%H.%M")
        if moved.date() == self.local_start.date():
            return gettext("Ändrad: flyttad från %(time)s") % {"time": clock}
        day = formats.date_format(moved, "l j F")
        day = day if english else day.lower()
        return gettext("Ändrad: flyttad från %(day)s %(time)s") % {"day": day, "time": clock}

    @property
    def title_shown(self):
        """The title in the page's language: English on /en/ when staff gave one, else the Swedish."""
        return self.title_en if self.title_en and get_language() == "en" else self.title

    @property
    def summary_shown(self):
        return self.summary_en if self.summary_en and get_language() == "en" else self.summary

    @property
    def description_shown(self):
        return self.description_en if self.description_en and get_language() == "en" else self.description

    @property
    def is_public(self):
        return self.status in (self.Status.PUBLISHED, self.Status.CANCELLED)

    @property
    def is_open_proposal(self):
        """A proposal nobody has decided on yet: the proposer may still correct or withdraw it."""
        return self.status == self.Status.PROPOSED and not self.proposal_outcome

    @property
    def has_place(self):
        return self.format in (self.Format.ON_SITE, self.Format.HYBRID)

    @property
    def is_online(self):
        return self.format in (self.Format.DIGITAL, self.Format.HYBRID)

    @property
    def local_start(self):
        return timezone.localtime(self.start)

    @property
    def local_end(self):
        return timezone.localtime(self.end)

    @property
    def registration_state(self):
        """'full', 'open', 'closed' or 'none' (no registration needed)."""
        if self.is_full:
            return "full"
        if self.registration_mode == RegistrationMode.HERE:
            closes = self.registration_deadline or self.start
            return "closed" if closes < timezone.now() else "open"
        if self.registration_mode == RegistrationMode.NONE or not self.registration_url:
            return "none"
        if self.registration_deadline and self.registration_deadline < timezone.now():
            return "closed"
        return "open"


    def clean(self):
        """With registration here, a join link goes to registrants only (Session.join_url), never public."""
        from django.core.exceptions import ValidationError

        super().clean()
        if self.registration_mode == RegistrationMode.HERE and self.online_url:
            raise ValidationError({"online_url": _(
                "Med anmälan här går länken bara till de anmälda: flytta den till fältet ”länk för anmälda” och "
                "skriv till exempel ”Länken skickas efter anmälan.” i fältet om länken."
            )})


class Proposal(Session):
    """Sessions proposed through the public form or by actor editors, as the admin's proposals inbox."""

    class Meta:
        proxy = True
        verbose_name = _("programförslag")
        verbose_name_plural = _("programförslag")


class OldSessionAddress(models.Model):
    """An address a session had before its slug or edition changed (events.addresses): the old page and
    its .ics redirect to wherever the session is now. A session living at the address wins over the row."""

    edition = models.ForeignKey(Edition, verbose_name=_("upplaga"), on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("kortnamn i adressen"), max_length=120)
    session = models.ForeignKey(
        Session, verbose_name=_("programpunkt"), on_delete=models.CASCADE, related_name="old_addresses"
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("tidigare adress")
        verbose_name_plural = _("tidigare adresser")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="old_session_address_unique_in_edition"),
        ]

    def __str__(self):
        return f"{self.edition.year}/{self.slug}"


def new_my_programme_token():
    """256 random bits: the token is the only key to a visitor's list and its feed."""
    return secrets.token_urlsafe(32)


class MyProgrammeQuerySet(models.QuerySet):
    RETENTION_DAYS = 400  # about 13 months; the privacy note (templates/privacy.html) promises it
    EMPTY_RETENTION_DAYS = 30

    def stale(self, now, days=RETENTION_DAYS, empty_days=EMPTY_RETENTION_DAYS):
        """Lists unchanged for `days`, and empty lists unchanged for `empty_days` (see clean_my_programmes)."""
        links = MyProgramme.sessions.through.objects.filter(myprogramme=models.OuterRef("pk"))
        idle = Q(updated__lt=now - datetime.timedelta(days=days))
        empty = Q(updated__lt=now - datetime.timedelta(days=empty_days)) & ~models.Exists(links)
        return self.filter(idle | empty)


class MyProgramme(models.Model):
    """A visitor's starred sessions, kept without an account under a random token.

    Whoever knows the token (it is in the private page's address and the feed's) can see and change the
    list, so the visitor can get a new token, which makes the old addresses stop working.
    """

    token = models.CharField(_("nyckel"), max_length=64, unique=True, default=new_my_programme_token, editable=False)
    sessions = models.ManyToManyField(Session, verbose_name=_("programpunkter"), blank=True, related_name="starred_in")
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)
    # "Radera mitt program" marks the list; it can be undone from the same browser for UNDO_MINUTES, then
    # clean_my_programmes (or the next delete) removes it for good.
    deleted_at = models.DateTimeField(_("raderad"), null=True, blank=True, editable=False)

    objects = MyProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("mitt program")
        verbose_name_plural = _("personliga program")
        ordering = ["-updated"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.created:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("events:my_programme", kwargs={"token": self.token})


# ---- Registration here (issue 16; services in events.registrations) ----


def new_registration_token():
    """256 random bits: the personal link is the only key to a registration."""
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    """One person's place (or place in the queue) at one session. Personal data: kept until
    Edition.registration_retention_days after the week, then deleted by purge_registrations; no history table.

    `token` is the personal link mailed to the address (it shows every registration of that address);
    `receipt` is the link the form redirects to, which shows only this registration, since whoever fills in
    the form may have typed someone else's address."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekräftad")
        WAITING = "waiting", _("I kö")
        CANCELLED = "cancelled", _("Avbokad")

    session = models.ForeignKey(
        Session, verbose_name=_("programpunkt"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.ForeignKey(
        Audience, verbose_name=_("målgrupp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    needs = models.TextField(_("behov (tillgänglighet, mat)"), blank=True)
    needs_consent_at = models.DateTimeField(_("samtycke till behov"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    token = models.CharField(_("personlig nyckel"), max_length=64, unique=True, default=new_registration_token,
                             editable=False)
    receipt = models.CharField(_("kvittonyckel"), max_length=64, unique=True, default=new_registration_token,
                               editable=False)
    language = models.CharField(_("språk"), max_length=5, default="sv")
    attended = models.BooleanField(_("kom"), default=False)
    walk_in = models.BooleanField(_("anmäld på plats"), default=False)
    promoted_at = models.DateTimeField(_("fick plats från kön"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påmind"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avbokad"), null=True, blank=True)
    created = models.DateTimeField(_("anmäld"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        ordering = ["created", "pk"]  # also the queue's order
        indexes = [models.Index(fields=["session", "status", "created"]), models.Index(fields=["email"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(needs="") | Q(needs_consent_at__isnull=False), name="registration_needs_need_consent"
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.session_id}"

    def get_absolute_url(self):
        return reverse("events:registration", kwargs={"token": self.token})

    def get_receipt_url(self):
        return reverse("events:registration", kwargs={"token": self.receipt})


class RegistrationTotals(models.Model):
    """An edition's registration figures, written before its registrants' data is deleted (purge_registrations),
    so the report of an earlier edition still works. Holds counts only, no personal data."""

    edition = models.OneToOneField(
        Edition, verbose_name=_("upplaga"), on_delete=models.CASCADE, related_name="registration_totals"
    )
    data = models.JSONField(_("siffror"), default=dict)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("anmälningssiffror")
        verbose_name_plural = _("anmälningssiffror")

    def __str__(self):
        return str(self.edition)
