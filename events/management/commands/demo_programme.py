import datetime
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events.models import Audience, Edition, Municipality, Session, Theme, Venue, next_week_year, week46
from organisers.models import Contact, Organisation, SupportType

from . import demo_data

SLOTS = [(8, 30, 90), (10, 0, 60), (12, 0, 60), (13, 30, 120), (15, 0, 90), (18, 0, 120)]
INTRO = (
    "Under innovationsveckan visar aktörerna i Sörmlands innovationsstödsystem hur de kan hjälpa dig som har en "
    "idé eller driver företag. Alla är välkomna, på plats runt om i länet och digitalt. (Exempeldata.)"
)
ABOUT = (
    "Syftet med Sörmlands innovationsvecka är att visa vilket stöd som finns för idébärare och företagare i "
    "Sörmland, och att aktörerna i innovationsstödsystemet ska lära känna varandra.\n\n"
    "Bakgrund: Region Sörmland har det regionala utvecklingsansvaret och samordnar veckan tillsammans med "
    "länets kommuner, Almi, Munktell Science Park, MITC, Mälardalens universitet och många fler.\n\n"
    "Smart specialisering: Östra Mellansverige har fyra gemensamma utmaningsområden – smart industri, hållbar "
    "livsmedelsförsörjning, morgondagens energilösningar samt life science med välfärd och hälsa. "
    "Programmet är ordnat efter dem."
)


def sample_year(today=None):
    """The week a newcomer expects to browse: this year's while it has not ended, otherwise next year's
    (on 2 December 2026 that is week 46 of 2027, still open for proposals)."""
    return next_week_year(today)


class Command(BaseCommand):
    help = "Loads a sample programme (clearly marked as sample data). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--year", type=int, default=None,
            help="Default: this year's week while it has not ended, otherwise next year's (sample_year()).",
        )
        parser.add_argument("--sessions", type=int, default=40)
        parser.add_argument("--past-year", type=int, default=None, help="Smaller past edition (default: year - 1).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any edition exists.")

    @transaction.atomic
    def handle(self, *args, year, sessions, past_year, if_empty, **options):
        if if_empty and Edition.objects.exists():
            self.stdout.write("Databasen har redan innehåll; inget exempelprogram laddades.")
            return
        year = year if year is not None else sample_year()
        if not 2000 <= year <= 2100 or sessions < 0:
            raise CommandError("--year must be 2000–2100 and --sessions 0 or more.")
        organisations = self.load_organisations()
        venues = self.load_venues()
        edition = self.load_edition(year, organisations, published=True)
        self.load_sessions(edition, sessions, organisations, venues, with_specials=True)
        past = self.load_edition(past_year or year - 1, organisations, published=True)
        self.load_sessions(past, min(8, sessions), organisations, venues, with_specials=False)
        self.stdout.write(
            f"Exempelprogram: {edition} med {edition.sessions.count()} programpunkter, "
            f"{past} med {past.sessions.count()}."
        )

    def load_organisations(self):
        municipalities = list(Municipality.objects.all())
        by_slug = {m.slug: m for m in municipalities}
        support = {s.slug: s for s in SupportType.objects.all()}
        result = []
        for slug, name, kind, served, support_slugs, website, help_text in demo_data.ORGANISATIONS:
            org, _ = Organisation.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "kind": kind, "website": website, "help_text": help_text,
                          "logo_alt": f"{name}s logotyp", "is_sample": True, "is_active": True},
            )
            org.municipalities.set(municipalities if served == "*" else [by_slug[m] for m in served])
            org.support_types.set([support[s] for s in support_slugs])
            result.append(org)
        by_org = {org.slug: org for org in result}
        for order, (org_slug, name, title, unit, phones, public) in enumerate(demo_data.CONTACTS):
            # Invented people (marked "(exempel)") with reserved fictional numbers; see demo_data.
            Contact.objects.update_or_create(
                organisation=by_org[org_slug], name=name,
                defaults={"title": title, "unit": unit, "phones": phones, "is_public": public, "order": order * 10,
                          "email": slugify(name.split(" (")[0]).replace("-", ".") + "@example.org"},
            )
        return result

    def load_venues(self):
        municipalities = {m.slug: m for m in Municipality.objects.all()}
        venues = []
        for _slug, name, street, postcode, town, municipality, lat, lon, access in demo_data.VENUES:
            venue, _ = Venue.objects.update_or_create(
                name=name,
                defaults={"street_address": street, "postcode": postcode, "town": town,
                          "municipality": municipalities[municipality], "accessibility": access,
                          "latitude": Decimal(lat) if lat else None, "longitude": Decimal(lon) if lon else None},
            )
            venues.append(venue)
        return venues

    def load_edition(self, year, organisations, published):
        monday, sunday = week46(year)
        edition, _ = Edition.objects.update_or_create(
            year=year,
            defaults={"title": f"Sörmlands innovationsvecka {year}", "intro": INTRO, "about": ABOUT,
                      "start_date": monday, "end_date": sunday, "is_published": published, "is_sample": True,
                      "proposal_deadline": datetime.date(year, 10, 1), "coordinator": organisations[0]},
        )
        edition.contacts.set(Contact.objects.filter(organisation=organisations[0], is_public=True))
        return edition

    def load_sessions(self, edition, count, organisations, venues, with_specials):
        themes = {t.slug: t for t in Theme.objects.all()}
        audiences = {a.slug: a for a in Audience.objects.all()}
        monday = edition.start_date
        formats = [Session.Format.ON_SITE, Session.Format.ON_SITE, Session.Format.DIGITAL, Session.Format.HYBRID]
        for i in range(count):
            title, summary, theme_slugs, audience_slugs = demo_data.SESSION_IDEAS[i % len(demo_data.SESSION_IDEAS)]
            if i >= len(demo_data.SESSION_IDEAS):
                title = f"{title} ({i // len(demo_data.SESSION_IDEAS) + 1})"
            day = monday + datetime.timedelta(days=i % 5)
            hour, minute, minutes = SLOTS[(i // 5) % len(SLOTS)]
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
            fmt = formats[i % len(formats)]
            online = fmt != Session.Format.ON_SITE
            venue = None if fmt == Session.Format.DIGITAL else venues[i % len(venues)]
            org = organisations[i % len(organisations)]
            status = Session.Status.PUBLISHED
            note = ""
            if with_specials and i == 5:
                status, note = Session.Status.CANCELLED, "Inställt på grund av sjukdom. Vi återkommer med nytt datum."
            elif with_specials and i == 7:
                status = Session.Status.DRAFT
            registration = i % 3 != 2
            session, _ = Session.objects.update_or_create(
                edition=edition,
                slug=slugify(title)[:100],
                defaults={
                    "title": title, "summary": summary,
                    "description": demo_data.DESCRIPTION.format(summary=summary, org=org.name),
                    "start": start, "end": start + datetime.timedelta(minutes=minutes), "format": fmt,
                    "venue": venue,
                    "online_url": f"https://meet.example.org/siv-{i}" if online and i % 2 else "",
                    "online_note": "Länken skickas efter anmälan." if online and not i % 2 else "",
                    "language": Session.Language.ENGLISH if i % 11 == 10 else Session.Language.SWEDISH,
                    "registration_url": f"https://example.org/anmalan/{edition.year}/{i}" if registration else "",
                    "registration_deadline": start - datetime.timedelta(days=2) if registration else None,
                    "capacity": 30 + (i % 4) * 10 if registration else None,
                    "is_full": with_specials and i == 3,
                    "status": status, "cancellation_note": note,
                    "first_published": start - datetime.timedelta(days=30) if status != Session.Status.DRAFT else None,
                    "contact": org.contacts.filter(is_public=True).first(),
                },
            )
            session.themes.set([themes[s] for s in theme_slugs] or [themes["smart-industri"]])
            session.audiences.set([audiences[s] for s in audience_slugs])
            session.organisers.set([org] + ([organisations[0]] if i % 6 == 0 and org != organisations[0] else []))
