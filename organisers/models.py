from urllib.parse import quote

import phonenumbers
from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models import TranslatedName


class SupportType(TranslatedName):
    """A kind of help an actor offers: idéutveckling, finansiering, …"""

    class Meta(TranslatedName.Meta):
        verbose_name = _("stödform")
        verbose_name_plural = _("stödformer")


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def offering(self, support_slugs):
        """Actors offering any of these kinds of support (no slugs: no restriction)."""
        if not support_slugs:
            return self
        through = Organisation.support_types.through
        return self.filter(
            Exists(through.objects.filter(organisation=OuterRef("pk"), supporttype__slug__in=support_slugs))
        )

    def serving(self, municipality_slugs):
        """Actors serving any of these municipalities (no slugs: no restriction)."""
        if not municipality_slugs:
            return self
        through = Organisation.municipalities.through
        return self.filter(
            Exists(through.objects.filter(organisation=OuterRef("pk"), municipality__slug__in=municipality_slugs))
        )

    def with_session_count(self, edition):
        """Annotate `session_count`: the actor's published sessions in the edition (0 if it is not published).

        A subquery rather than a join, so that it never multiplies with the filters' rows.
        """
        if edition is None or not edition.is_published:
            return self.annotate(session_count=Value(0, output_field=models.IntegerField()))
        from events.models import Session

        sessions = (
            Session.objects.published()
            .in_edition(edition)
            .filter(organisers=OuterRef("pk"))
            .order_by()
            .values("organisers")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(session_count=Coalesce(Subquery(sessions), 0))

    def with_public_contacts(self):
        return self.prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.public(), to_attr="public_contacts")
        )

    def for_directory(self, *, edition, support_slugs=(), municipality_slugs=()):
        """The public directory: active actors, filtered, with what their cards show, in one query plus prefetches."""
        return (
            self.active()
            .offering(support_slugs)
            .serving(municipality_slugs)
            .with_session_count(edition)
            .prefetch_related("support_types", "municipalities")
            .order_by("name", "pk")
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PUBLIC = "offentlig", _("Region eller kommun")
        UNIVERSITY = "larosate", _("Lärosäte")
        SCIENCE_PARK = "inkubator", _("Science park eller inkubator")
        FUNDER = "finansiar", _("Finansiär eller bank")
        ADVISORY = "radgivning", _("Rådgivande organisation")
        ASSOCIATION = "forening", _("Förening")
        COMPANY = "foretag", _("Företag")

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn i adressen"), max_length=100, unique=True)
    kind = models.CharField(_("typ av aktör"), max_length=20, choices=Kind.choices)
    help_text = models.TextField(_("så kan vi hjälpa dig"), blank=True)
    support_types = models.ManyToManyField(
        SupportType, verbose_name=_("stödformer"), blank=True, related_name="organisations"
    )
    municipalities = models.ManyToManyField(
        "events.Municipality", verbose_name=_("kommuner som betjänas"), blank=True, related_name="organisations"
    )
    website = models.URLField(_("webbplats"), blank=True)
    email = models.EmailField(
        _("e-post"), blank=True, help_text=_("En allmän, opersonlig adress, till exempel info@…. Den visas publikt.")
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    logo = models.ImageField(_("logotyp"), upload_to="logos/", blank=True)
    logo_alt = models.CharField(_("alternativtext för logotypen"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("En inaktiv aktör finns kvar på gamla programpunkter men inte i katalogen."),
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aktörsredaktörer"),
        blank=True,
        related_name="edited_organisations",
    )
    is_sample = models.BooleanField(_("exempeldata"), default=False, editable=False)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[support_types, municipalities])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aktör")
        verbose_name_plural = _("aktörer")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisers:detail", kwargs={"slug": self.slug})

    @property
    def calendar_name(self):
        """The name a subscribed calendar of this organiser's sessions gets."""
        from innovationsvecka.seo import site_name

        return f"{self.name} – {site_name()}"

    @property
    def logo_url(self):
        """The logo through the site's own view; the file name changes with each upload, so caches refresh."""
        if not self.logo:
            return ""
        version = quote(self.logo.name.rsplit("/", 1)[-1])
        return reverse("organisers:logo", kwargs={"slug": self.slug}) + "?v=" + version


class ContactQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Contact(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("aktör"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("namn"), max_length=200)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    unit = models.CharField(_("enhet"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    phones = models.TextField(
        _("telefonnummer"),
        blank=True,
        help_text=_("Ett nummer per rad. Skriv gärna vad det är först: \"Mobil: 070-123 45 67\"."),
    )
    is_public = models.BooleanField(
        _("visas publikt"),
        default=False,
        help_text=_("Bara publika kontakter visas på webbplatsen, i kalendrar och vCard."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    updated = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords()

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")
        ordering = ["organisation", "order", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name

    def get_absolute_url(self):
        return self.organisation.get_absolute_url()

    @property
    def phone_numbers(self):
        """The phone lines as (label, number, tel: href) triples; href is "" for a line that is no number."""
        result = []
        for line in self.phones.splitlines():
            line = line.strip()
            if not line:
                continue
            label, sep, number = line.rpartition(":")
            label, number = (label.strip(), number.strip()) if sep else ("", line)
            result.append((label, number, tel_href(number)))
        return result


def tel_href(number):
    """A tel: URI in international (E.164) form, or "" when `number` is no phone number to link to.

    Numbers without a country code are Swedish: "016-10 20 30" -> "tel:+4616102030", and the trunk zero some write
    in brackets after the country code goes: "+46 (0)70-123 45 67" -> "tel:+46701234567".
    """
    try:
        parsed = phonenumbers.parse(number, "SE")
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
