"""events.calendar writes its content lines itself; they must be byte for byte what icalendar wrote.

The reference below is the icalendar-based builder as it was before (commit c732fd7), copied unchanged
apart from names. Same bytes keep the feeds' bytes and ETags stable for clients that already subscribe.
"""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vRecur,
    vText,
)

from events.calendar import build_calendar, feed_sessions
from events.models import Session, Theme
from tests.factories import EditionFactory, OrganisationFactory, SessionFactory, VenueFactory, local, theme

# ---- the reference: the icalendar-based builder ----

UID_DOMAIN = "siv.regionsormland.se"
TZID = "Europe/Stockholm"
STOCKHOLM = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Region Sörmland//Sörmlands innovationsvecka//SV"
REFRESH = datetime.timedelta(hours=1)


def absolute(path):
    return settings.SITE_URL + path


def reference_feed_sessions(queryset):
    return (
        queryset.in_calendars()
        .select_related("venue", "edition")
        .prefetch_related("themes", "organisers")
        .order_by("start", "end", "title", "pk")
    )


def stockholm_timezone():
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=1))
    daylight.add("tzoffsetto", datetime.timedelta(hours=2))
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", datetime.timedelta(hours=2))
    standard.add("tzoffsetto", datetime.timedelta(hours=1))
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def is_withdrawn(session):
    return session.status in (session.Status.DRAFT, session.Status.PROPOSED) and session.first_published is not None


def shows_as_cancelled(session):
    return session.is_cancelled or is_withdrawn(session)


def last_change(session):
    moments = [session.updated]
    if session.venue is not None:
        moments.append(session.venue.updated)
    moments += [theme.updated for theme in session.themes.all()]
    moments += [org.updated for org in session.organisers.all()]
    return max(moments).astimezone(datetime.UTC).replace(microsecond=0)


def location(session):
    if session.format == session.Format.DIGITAL or session.venue is None:
        return _("Digitalt")
    if session.format == session.Format.HYBRID:
        return _("%(address)s – även digitalt") % {"address": session.venue.full_address}
    return session.venue.full_address


def local_text(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def description(session):
    parts = []
    if shows_as_cancelled(session):
        note = session.cancellation_note if session.is_cancelled else ""
        parts.append(_("Programpunkten är inställd.") + (f" {note}" if note else ""))
    text = session.description.replace("\r\n", "\n").strip()
    if session.summary and not text.startswith(session.summary):
        parts.append(session.summary)
    if text:
        parts.append(text)
    organisers = [org.name for org in session.organisers.all()]
    if organisers:
        parts.append(_("Arrangörer: %(names)s") % {"names": ", ".join(organisers)})
    if session.is_online and (session.online_url or session.online_note):
        how = " ".join(part for part in [session.online_url, session.online_note] if part)
        parts.append(_("Digitalt: %(how)s") % {"how": how})
    if session.registration_url:
        line = _("Anmälan: %(url)s") % {"url": session.registration_url}
        if session.registration_deadline:
            line += " " + _("(senast %(when)s)") % {"when": local_text(session.registration_deadline)}
        parts.append(line)
    if session.cost:
        parts.append(_("Kostnad: %(cost)s") % {"cost": session.cost})
    parts.append(_("Mer information: %(url)s") % {"url": absolute(session.get_absolute_url())})
    return "\n\n".join(parts)


def organizer(session):
    organisations = list(session.organisers.all())
    if not organisations:
        return None
    org = organisations[0]
    address = vCalAddress(f"mailto:{org.email}" if org.email else absolute(org.get_absolute_url()))
    address.params["cn"] = vText(org.name.replace('"', "'"))
    return address


def session_event(session):
    event = Event()
    cancelled = shows_as_cancelled(session)
    changed = last_change(session)
    event.add("uid", f"{session.uid}@{UID_DOMAIN}")
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.start.astimezone(STOCKHOLM))
    event.add("dtend", session.end.astimezone(STOCKHOLM))
    event.add("summary", (_("INSTÄLLT: ") if cancelled else "") + session.title)
    event.add("description", description(session))
    event.add("location", location(session))
    if session.has_place and session.venue is not None and session.venue.latitude is not None:
        event.add("geo", (float(session.venue.latitude), float(session.venue.longitude)))
    event.add("url", absolute(session.get_absolute_url()))
    themes = [theme.label for theme in session.themes.all()]
    if themes:
        event.add("categories", themes)
    if (org := organizer(session)) is not None:
        event.add("organizer", org)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def reference_build_calendar(*, sessions, name=None, description=None):
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        if description:
            cal.add("x-wr-caldesc", description)
        cal.add("x-wr-timezone", TZID)
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(stockholm_timezone())
    for session in sessions:
        cal.add_component(session_event(session))
    return cal.to_ical()


# ---- the comparison ----

CALENDAR_ARGUMENTS = [
    {},
    {"name": "Sörmlands innovationsvecka"},
    {"name": 'Mitt program – Sörmlands innovationsvecka, med; allt\\ "här"', "description": "Programmet; 2026 \\n"},
    {"name": "", "description": "ignored without a name"},
]


def assert_same_bytes(queryset, **arguments):
    new = build_calendar(sessions=feed_sessions(queryset), **arguments)
    reference = reference_build_calendar(sessions=reference_feed_sessions(queryset), **arguments)
    if new != reference:  # show the first differing line, not two walls of bytes
        pairs = zip(new.split(b"\r\n"), reference.split(b"\r\n"), strict=False)
        first = next(((n, r) for n, r in pairs if n != r), (new[-200:], reference[-200:]))
        pytest.fail(f"bytes differ: new {first[0]!r} != reference {first[1]!r}")


def make_theme(slug, name, name_en=""):
    return Theme.objects.create(slug=slug, name=name, name_en=name_en, order=99)


@pytest.fixture
def diverse_programme(edition):
    """Every kind of session and every kind of awkward text a feed can meet."""
    odd_theme = make_theme("udda", "Kommatecken, semikolon; och \\ snedstreck", "Comma, semicolon; and \\ backslash")
    emoji_theme = make_theme("emoji", "Åäö 🚀 idéer")
    geo = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", postcode="632 20",
                       town="Eskilstuna", latitude=Decimal("59.369800"), longitude=Decimal("16.504900"))
    geo_round = VenueFactory(name="Näringslivets hus; plan 2", street_address="", postcode="", town="Nyköping",
                             latitude=Decimal("58.750000"), longitude=Decimal("-17.000001"))
    no_geo = VenueFactory(name='Stadshuset "stora salen", Fristadstorget', street_address="Fristadstorget 1")
    orgs = {
        "plain": OrganisationFactory(name="Almi", slug="almi", email="info@almi.example"),
        "space": OrganisationFactory(name="Region Sörmland", slug="region-sormland", email=""),
        "colon": OrganisationFactory(name="MDU: Mälardalens universitet", slug="mdu", email="info@mdu.example"),
        "semicolon": OrganisationFactory(name="Almi;Invest", slug="almi-invest", email=""),
        "comma": OrganisationFactory(name="Företagarna,Sörmland", slug="foretagarna", email=""),
        "quote": OrganisationFactory(name='Stiftelsen "Idé"', slug="stiftelsen", email="hej@stiftelsen.example"),
        "apostrophe": OrganisationFactory(name="Anna's", slug="annas", email=""),
        "typographic": OrganisationFactory(name="Annas’s", slug="annas-2", email=""),
        "caret": OrganisationFactory(name="x^2^innovation", slug="caret", email=""),
        "newline": OrganisationFactory(name="Rad ett\r\nrad två\nrad\rtre", slug="rader", email=""),
        "backslash": OrganisationFactory(name="Back\\slash\\N", slug="backslash_Org-1", email=""),
        "long": OrganisationFactory(name="Mycket långt namn på en aktör 🦄 " * 5, slug="lang", email=""),
    }
    long_text = ("Åäö ÅÄÖ åäö 🎉🚀 innovation i Sörmland – " + "åäö🙂, ; \\ : \"x\" " * 40).strip()
    specs = [
        {"title": "Från idé till affär", "venue": geo, "themes": [theme("smart-industri")],
         "organisers": [orgs["plain"]], "registration_url": "https://example.org/anmalan?a=1,b=2;c",
         "cost": "100 kr; moms, ingår"},
        {"title": 'Kommatecken, semikolon; snedstreck \\ kolon: och "citat"', "summary": "",
         "description": "Rad ett,\r\nrad två; med \\ och\r\n\r\nett nytt stycke.\rEnsam CR.\\N och \\n bokstavligt.",
         "venue": no_geo, "themes": [odd_theme, emoji_theme, theme("life-science")],
         "organisers": [orgs["colon"], orgs["plain"]]},
        {"title": long_text[:200], "summary": long_text[:300], "description": long_text * 3, "venue": geo_round,
         "organisers": [orgs["long"]], "format": Session.Format.HYBRID, "online_url": "https://example.org/live",
         "online_note": "Länken skickas, efter anmälan; tack."},
        {"title": "Digitalt möte", "format": Session.Format.DIGITAL, "venue": None,
         "online_url": "https://x.example/a", "organisers": [orgs["space"]],
         "themes": [theme("morgondagens-energilosningar")]},
        {"title": "Digitalt med lokal", "format": Session.Format.DIGITAL, "venue": geo, "online_note": "Se e-post.",
         "organisers": [orgs["semicolon"]]},
        {"title": "Hybrid", "format": Session.Format.HYBRID, "venue": geo, "organisers": [orgs["comma"]],
         "summary": "Början", "description": "Början av texten, som fortsätter."},
        {"title": "Inställd", "status": Session.Status.CANCELLED, "cancellation_note": "Sjuk; tyvärr,\nvi ses.",
         "organisers": [orgs["quote"]], "sequence": 3},
        {"title": "Inställd utan meddelande", "status": Session.Status.CANCELLED, "organisers": [orgs["apostrophe"]]},
        {"title": "Tillbakadragen", "status": Session.Status.DRAFT, "first_published": local(2026, 6, 1),
         "cancellation_note": "not shown", "organisers": [orgs["typographic"]], "sequence": 2},
        {"title": "Förslag tillbakadraget", "status": Session.Status.PROPOSED, "first_published": local(2026, 6, 1),
         "organisers": [orgs["caret"]]},
        {"title": "Utan arrangör och tema", "summary": "", "description": ""},
        {"title": "Anmälan med sista dag", "registration_url": "https://example.org/anmal",
         "registration_deadline": local(2026, 11, 1, 23, 59), "organisers": [orgs["newline"]]},
        {"title": "Sommartid", "start": local(2026, 6, 15, 9, 5), "end": local(2026, 6, 15, 17, 45),
         "organisers": [orgs["backslash"]], "cost": "Gratis 🙂"},
        {"title": "Mikrosekunder", "start": local(2026, 11, 9, 8) + datetime.timedelta(microseconds=123456),
         "end": local(2026, 11, 9, 9) + datetime.timedelta(seconds=59, microseconds=999999),
         "organisers": [orgs["long"], orgs["plain"]]},
        {"title": "x" * 200, "description": "\\" * 300, "summary": "^" * 300},
        {"title": "Utkast syns inte", "status": Session.Status.DRAFT},
    ]
    sessions = []
    for n, spec in enumerate(specs):
        spec = {"start": local(2026, 11, 9 + n % 5, 8 + n % 9), **spec}
        spec.setdefault("end", spec["start"] + datetime.timedelta(hours=1, minutes=30))
        sequence = spec.pop("sequence", 0)
        session = SessionFactory(edition=edition, slug=f"punkt-{n}", **spec)
        if sequence:
            Session.objects.filter(pk=session.pk).update(sequence=sequence)
        sessions.append(session)
    other_year = SessionFactory(edition=EditionFactory(year=2027), slug="nasta-ar", title="Nästa år",
                                start=local(2027, 11, 16, 10), end=local(2027, 11, 16, 11), organisers=[orgs["space"]])
    # Make the venue, a theme or an organiser the newest change of some events.
    later = timezone.now() + datetime.timedelta(days=3)
    type(geo).objects.filter(pk=geo.pk).update(updated=later)
    Theme.objects.filter(pk=emoji_theme.pk).update(updated=later + datetime.timedelta(hours=1))
    type(orgs["long"]).objects.filter(pk=orgs["long"].pk).update(updated=later + datetime.timedelta(hours=2))
    return sessions + [other_year]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("arguments", CALENDAR_ARGUMENTS)
def test_the_whole_feed_is_byte_for_byte_what_icalendar_wrote(diverse_programme, language, arguments):
    with translation.override(language):
        assert_same_bytes(Session.objects.all(), **arguments)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_session_alone_is_byte_for_byte_what_icalendar_wrote(diverse_programme, language):
    with translation.override(language):
        for session in diverse_programme:
            assert_same_bytes(Session.objects.filter(pk=session.pk))
            assert_same_bytes(Session.objects.filter(pk=session.pk), name=session.title)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_kind_of_event_needs_only_the_three_queries(diverse_programme, language, django_assert_num_queries):
    """Sessions, themes, organisers: nothing the events read is left out of feed_sessions' columns."""
    with translation.override(language), django_assert_num_queries(3):
        body = build_calendar(sessions=feed_sessions(Session.objects.all()), name="Alla")
    assert body.count(b"BEGIN:VEVENT") == len(diverse_programme) - 1  # not the draft


@pytest.mark.django_db
def test_a_line_break_in_a_calendar_name_stays_inside_its_line(edition):
    """icalendar refused these names; the writer keeps the feed valid."""
    body = build_calendar(sessions=[], name="Rad ett\nrad två\r\nrad\rtre", description="a\nb")
    assert b"X-WR-CALNAME:Rad ett\\nrad tv\xc3\xa5\\nrad\\ntre\r\n" in body
    assert b"X-WR-CALDESC:a\\nb\r\n" in body
    assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")


@pytest.mark.django_db
def test_an_empty_feed_is_byte_for_byte_what_icalendar_wrote(edition):
    assert_same_bytes(Session.objects.none(), name="Tomt")
    assert_same_bytes(Session.objects.none())


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=120)
LINE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=60)


def loaded(session, relation):
    """The prefetched themes or organisers, whether feed_sessions or the reference loaded them."""
    name = f"calendar_{relation}"
    return getattr(session, name) if hasattr(session, name) else getattr(session, relation).all()


@pytest.mark.django_db
def test_any_text_in_any_field_gives_icalendars_bytes(edition):
    """Random text, loaded sessions changed in memory only: the reference and the writer see the same objects."""
    org = OrganisationFactory(name="Almi", email="")
    venue = VenueFactory(latitude=Decimal("59.1"), longitude=Decimal("16.2"))
    SessionFactory(edition=edition, venue=venue, themes=[theme("smart-industri"), theme("life-science")],
                   organisers=[org, OrganisationFactory()], registration_url="https://example.org/a",
                   registration_deadline=local(2026, 11, 1))
    SessionFactory(edition=edition, status=Session.Status.CANCELLED, format=Session.Format.HYBRID, venue=venue,
                   organisers=[org])
    queryset = Session.objects.all()
    new_sessions, reference_sessions = list(feed_sessions(queryset)), list(reference_feed_sessions(queryset))

    @hypothesis_settings(max_examples=150, deadline=None)
    @given(title=TEXT, summary=TEXT, text=TEXT, note=TEXT, cost=LINE, online=LINE, org_name=TEXT, email=LINE,
           theme_name=TEXT, venue_name=TEXT, calendar_name=LINE, calendar_text=LINE,
           language=st.sampled_from(["sv", "en"]))
    def check(title, summary, text, note, cost, online, org_name, email, theme_name, venue_name, calendar_name,
              calendar_text, language):
        for sessions in (new_sessions, reference_sessions):
            for session in sessions:
                session.title, session.summary, session.description = title, summary, text
                session.cancellation_note, session.cost, session.online_note = note, cost, online
                session.venue.name = venue_name
                for organisation in loaded(session, "organisers"):
                    organisation.name, organisation.email = org_name, email
                for item in loaded(session, "themes"):
                    item.name = item.name_en = theme_name
        with translation.override(language):
            arguments = {"name": calendar_name, "description": calendar_text}
            new = build_calendar(sessions=new_sessions, **arguments)
            assert new == reference_build_calendar(sessions=reference_sessions, **arguments)

    check()
