import datetime

import factory
from django.utils import timezone

from events.models import Audience, Edition, Municipality, Session, Theme, Venue
from organisers.models import Contact, Organisation, SupportType


def local(year, month, day, hour=10, minute=0):
    """An aware datetime in Europe/Stockholm."""
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class EditionFactory(factory.django.DjangoModelFactory):
    """A new edition every call. A year that exists already is an IntegrityError, never that edition handed back
    with the other values (is_published, dates) silently ignored."""

    class Meta:
        model = Edition

    year = 2026
    title = factory.LazyAttribute(lambda o: f"Sörmlands innovationsvecka {o.year}")
    intro = "Välkommen till innovationsveckan."
    is_published = True


def the_edition(year):
    """The edition of `year`, made with the factory's values if there is none yet (sessions made without naming
    their edition share it)."""
    return Edition.objects.filter(year=year).first() or EditionFactory(year=year)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Aktör {n}")
    slug = factory.Sequence(lambda n: f"aktor-{n}")
    kind = Organisation.Kind.ADVISORY
    help_text = "Vi hjälper dig med din idé."


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    title = "Rådgivare"
    phones = "Mobil: 070-123 45 67"
    is_public = True


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Lokal {n}")
    street_address = "Storgatan 1"
    postcode = "632 20"
    town = "Eskilstuna"
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(slug="eskilstuna"))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    edition = factory.LazyFunction(lambda: the_edition(2026))
    title = factory.Sequence(lambda n: f"Programpunkt {n}")
    slug = factory.Sequence(lambda n: f"programpunkt-{n}")
    summary = "En kort sammanfattning."
    start = factory.LazyAttribute(lambda o: local(o.edition.year, 11, o.edition.start_date.day, 10))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1))
    format = Session.Format.ON_SITE
    venue = factory.SubFactory(VenueFactory)
    status = Session.Status.PUBLISHED

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if create and extracted:
            self.audiences.set(extracted)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisers.set(extracted)


def theme(slug):
    return Theme.objects.get(slug=slug)


def audience(slug):
    return Audience.objects.get(slug=slug)


def municipality(slug):
    return Municipality.objects.get(slug=slug)


def support_type(slug):
    return SupportType.objects.get(slug=slug)


# Staff accounts: the groups come from organisers/migrations/0003_staff_groups.py.

STAFF_PASSWORD = "rätt-lösenord-för-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"redaktor{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", STAFF_PASSWORD)

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def programme_editor(**kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Programredaktör"))
    return user


def actor_editor(*organisations, **kwargs):
    from django.contrib.auth.models import Group

    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name="Aktörsredaktör"))
    for organisation in organisations:
        organisation.editors.add(user)
    return user
