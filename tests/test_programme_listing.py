"""The programme's list items: events.listing prepares plain-text rows, the Jinja2 template
templates/jinja2/includes/session_items.html turns them into <li> items with auto-escaping. These tests read
the items as a browser would (parsed HTML), so the markup may change freely as long as the facts stay."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation.template import templatize

from events import listing
from events.listing import by_day, listed_sessions, render_items
from events.models import Audience, Municipality, Session, Theme
from innovationsvecka import content
from tests.conftest import login_staff
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    local,
    municipality,
    programme_editor,
    theme,
)

PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>' onmouseover='alert(3)' & åäö"
TEMPLATE = Path(settings.BASE_DIR) / "templates" / "jinja2" / listing.ITEMS_TEMPLATE


class Items(HTMLParser):
    """The items of a list as dicts: classes, time texts and datetimes, the title link, the summary, the
    cancellation line, the facts (<dt> text: <dd> text) and the links and classes inside each <dd>."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.items, self.item, self.stack, self.where = [], None, [], None
        self.tags, self.attributes = set(), set()
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.item is None and not (tag == "li" and "session" in attributes.get("class", "").split()):
            return
        self.tags.add(tag)
        self.attributes.update(attributes)
        if tag == "li":
            self.item = {"class": attributes.get("class", ""), "times": [], "datetimes": [], "facts": {},
                         "links": {}, "dd_class": {}, "date": None, "summary": None, "cancelled": None}  # fmt: skip
            self.items.append(self.item)
            return
        self.stack.append((tag, attributes))
        if tag == "time":
            self.item["datetimes"].append(attributes["datetime"])
        if tag == "h3":
            self.where = "title"
        if tag == "a" and self.where == "title":
            self.item["url"] = attributes["href"]
            self.item["title"] = ""
        if tag == "span" and attributes.get("class") == "date":
            self.where, self.item["date"] = "date", ""
        if tag == "p" and attributes.get("class") == "summary":
            self.where, self.item["summary"] = "summary", ""
        if tag == "p" and attributes.get("class") == "status-cancelled":
            self.where, self.item["cancelled"] = "cancelled", ""
        if tag == "dt":
            self.where, self.dt = "dt", ""
        if tag == "dd":
            self.where = "dd"
            self.item["facts"][self.dt] = ""
            self.item["links"][self.dt] = []
            self.item["dd_class"][self.dt] = attributes.get("class")
        if tag == "a" and self.where == "dd":
            self.item["links"][self.dt].append(attributes["href"])

    def handle_endtag(self, tag):
        if self.item is None:
            return
        if tag == "li":
            self.item = None
            return
        self.stack.pop()
        if tag in ("h3", "span", "p", "dd"):
            self.where = None

    def handle_data(self, data):
        if self.item is None:
            return
        tag = self.stack[-1][0] if self.stack else None
        if tag == "time":
            self.item["times"].append(data)
        elif self.where == "title":
            self.item["title"] += data
        elif self.where in ("date", "summary", "cancelled"):
            self.item[self.where] += data
        elif self.where == "dt":
            self.dt += data
        elif self.where == "dd":
            self.item["facts"][self.dt] += data


def items(sessions, preview_query="", show_date=False):
    return {item["title"]: item for item in Items(render_items(sessions, preview_query, show_date)).items}


def public():
    return Session.objects.public().order_by("start", "end", "title")


@pytest.fixture
def varied(edition):
    """Every shape an item can take."""
    eskilstuna = municipality("eskilstuna")
    eskilstuna.name_en = "Eskilstuna & Co (en)"
    eskilstuna.save()
    almi = OrganisationFactory(name="Almi", slug="almi")
    mdu = OrganisationFactory(name="Mälardalens universitet", slug="mdu")
    quoted = OrganisationFactory(name='Ö & "Citat" <AB>', slug="o-citat")
    nykoping = VenueFactory(municipality=municipality("nykoping"))
    all_themes = [theme("smart-industri"), theme("life-science"), theme("hallbar-livsmedelsforsorjning")]
    url = "https://example.org/anmal?a=1&b=2"
    SessionFactory(
        edition=edition,
        title="Öppen med sista dag",
        start=local(2026, 11, 9, 8, 5),
        end=local(2026, 11, 9, 17, 45),
        venue=VenueFactory(municipality=eskilstuna),
        themes=[theme("life-science")],
        organisers=[almi],
        registration_url=url,
        registration_deadline=local(2099, 11, 6, 16),
    )
    SessionFactory(
        edition=edition,
        title="Digital utan allt",
        summary="",
        start=local(2026, 11, 9, 9),
        end=local(2026, 11, 9, 10),
        format=Session.Format.DIGITAL,
        venue=None,
    )
    SessionFactory(
        edition=edition,
        title="Digital med plats",
        start=local(2026, 11, 9, 9),
        end=local(2026, 11, 9, 10),
        format=Session.Format.DIGITAL,
        registration_url=url,
    )
    SessionFactory(
        edition=edition,
        title="Hybrid, fullbokad, många teman och arrangörer",
        summary="Fika & mingel, <b>gratis</b>",
        start=local(2026, 11, 10, 0, 30),
        end=local(2026, 11, 10, 1, 30),
        format=Session.Format.HYBRID,
        venue=nykoping,
        themes=all_themes,
        organisers=[quoted, mdu, almi],
        registration_url=url,
        is_full=True,
    )
    SessionFactory(
        edition=edition,
        title="Inställd med meddelande",
        status=Session.Status.CANCELLED,
        cancellation_note="Föreläsaren är sjuk <script>x</script> & \"borta\" 'idag'",
        start=local(2026, 11, 10, 23, 30),
        end=local(2026, 11, 11, 0, 30),
        registration_url=url,
        registration_deadline=local(2099, 11, 6, 16),
        themes=all_themes[:1],
    )
    SessionFactory(
        edition=edition,
        title="Inställd utan meddelande",
        status=Session.Status.CANCELLED,
        start=local(2026, 11, 11, 10),
        end=local(2026, 11, 11, 11),
    )
    SessionFactory(
        edition=edition,
        title="Stängd anmälan",
        start=local(2026, 11, 12, 13),
        end=local(2026, 11, 12, 14),
        registration_url=url,
        registration_deadline=local(2020, 6, 1, 12, 30),
    )
    SessionFactory(
        edition=edition,
        title="Öppen, sista dag på sommartid",
        start=local(2026, 11, 12, 13),
        end=local(2026, 11, 12, 15),
        registration_url=url,
        registration_deadline=local(2099, 6, 1, 9, 15),
    )
    SessionFactory(
        edition=edition,
        title="Öppen utan sista dag",
        start=local(2026, 11, 13, 13),
        end=local(2026, 11, 13, 15),
        registration_url=url,
    )
    SessionFactory(edition=edition, title="Utkast syns inte", status=Session.Status.DRAFT)
    other_year = EditionFactory(year=2025)
    SessionFactory(edition=other_year, title="Förra året", start=local(2025, 11, 11, 9), end=local(2025, 11, 11, 10))
    return {session.title: session for session in public()}


@pytest.mark.django_db
def test_each_item_shows_its_sessions_facts_in_swedish(varied):
    with translation.override("sv"):
        shown = items(listed_sessions(public()))
    assert sorted(shown) == sorted(varied)
    open_ = shown["Öppen med sista dag"]
    assert open_["class"] == "session"
    assert open_["url"] == "/siv/2026/" + varied["Öppen med sista dag"].slug + "/"
    assert open_["times"] == ["08:05", "17:45"]
    assert open_["datetimes"] == ["2026-11-09T08:05:00+01:00", "2026-11-09T17:45:00+01:00"]
    assert open_["date"] is None and open_["cancelled"] is None
    assert open_["facts"] == {
        "Form": "På plats",
        "Kommun": "Eskilstuna",
        "Tema": "Life science med välfärd och hälsa",
        "Arrangör": "Almi",
        "Anmälan": "Anmälan öppen till fredag 6 november kl. 16:00",
    }
    assert open_["links"]["Arrangör"] == ["/siv/aktorer/almi/"]
    assert open_["dd_class"]["Anmälan"] == "registration registration-open"

    hybrid = shown["Hybrid, fullbokad, många teman och arrangörer"]
    assert hybrid["summary"] == "Fika & mingel, <b>gratis</b>"
    assert hybrid["times"] == ["00:30", "01:30"]
    assert hybrid["facts"]["Kommun"] == "Nyköping"
    in_order = Theme.objects.filter(slug__in=["smart-industri", "life-science", "hallbar-livsmedelsforsorjning"])
    assert hybrid["facts"]["Tema"] == ", ".join(t.name for t in in_order.order_by("order", "name"))
    assert hybrid["facts"]["Arrangör"] == 'Almi, Mälardalens universitet, Ö & "Citat" <AB>'  # by name
    assert hybrid["links"]["Arrangör"] == ["/siv/aktorer/almi/", "/siv/aktorer/mdu/", "/siv/aktorer/o-citat/"]
    assert hybrid["facts"]["Anmälan"] == "Fullbokat"
    assert hybrid["dd_class"]["Anmälan"] == "registration registration-full"

    # Digital sessions name no municipality, with or without a venue; facts without values are left out.
    assert shown["Digital utan allt"]["facts"] == {"Form": "Digitalt", "Anmälan": "Ingen anmälan behövs"}
    assert shown["Digital utan allt"]["summary"] is None
    assert "Kommun" not in shown["Digital med plats"]["facts"]
    assert shown["Digital med plats"]["facts"]["Anmälan"] == "Anmälan öppen"

    note = shown["Inställd med meddelande"]
    assert note["class"] == "session cancelled"
    assert note["cancelled"] == "Inställt: Föreläsaren är sjuk <script>x</script> & \"borta\" 'idag'"
    assert note["facts"]["Anmälan"] == "Ingen anmälan, programpunkten är inställd"
    assert note["times"] == ["23:30", "00:30"]
    assert shown["Inställd utan meddelande"]["cancelled"] == "Inställt"
    assert shown["Stängd anmälan"]["facts"]["Anmälan"] == "Anmälan har stängt"
    assert shown["Stängd anmälan"]["dd_class"]["Anmälan"] == "registration registration-closed"
    summer = shown["Öppen, sista dag på sommartid"]["facts"]["Anmälan"]
    assert summer == "Anmälan öppen till måndag 1 juni kl. 09:15"  # 07:15 UTC, in summer time
    assert shown["Förra året"]["url"].startswith("/siv/2025/")


@pytest.mark.django_db
def test_english_pages_get_english_labels_names_and_addresses(varied):
    with translation.override("en"):
        shown = items(listed_sessions(public()))
    open_ = shown["Öppen med sista dag"]
    assert open_["url"] == "/en/siv/2026/" + varied["Öppen med sista dag"].slug + "/"
    assert open_["facts"]["Municipality"] == "Eskilstuna & Co (en)"
    assert "Kommun" not in open_["facts"] and "Anmälan" not in open_["facts"]
    assert open_["links"]["Organiser"] == ["/en/siv/aktorer/almi/"]
    registration = open_["facts"]["Registration"]
    assert "Friday 6 November" in registration and "16:00" in registration
    hybrid = shown["Hybrid, fullbokad, många teman och arrangörer"]["facts"]
    assert hybrid["Registration"] == "Fully booked"
    assert hybrid["Format"] == "Hybrid"
    assert shown["Inställd med meddelande"]["cancelled"].startswith("Cancelled: ")


@pytest.mark.django_db
def test_the_date_after_the_time_and_the_preview_query(varied):
    with translation.override("sv"):
        dated = items(listed_sessions(public()), show_date=True)
        preview = items(listed_sessions(public()), preview_query="forhandsvisning=1")
    assert dated["Öppen med sista dag"]["date"] == "Måndag 9 november"
    assert dated["Inställd med meddelande"]["date"] == "Tisdag 10 november"
    for title, session in varied.items():
        assert preview[title]["url"] == session.get_absolute_url() + "?forhandsvisning=1"
        assert preview[title]["date"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "/en"])
def test_programme_page_groups_items_by_day_under_headings(client, varied, settings, language):
    settings.PAGE_CACHE = False
    html = client.get(f"{language}/siv/2026/").content.decode()
    sections = re.findall(r'<section class="day[^"]*" aria-labelledby="dag-([\d-]+)">(.*?)</section>', html, re.S)
    per_day = {day: [item["title"] for item in Items(body).items] for day, body in sections}
    assert per_day == {
        "2026-11-09": ["Öppen med sista dag", "Digital med plats", "Digital utan allt"],
        "2026-11-10": ["Hybrid, fullbokad, många teman och arrangörer", "Inställd med meddelande"],
        "2026-11-11": ["Inställd utan meddelande"],
        "2026-11-12": ["Stängd anmälan", "Öppen, sista dag på sommartid"],
        "2026-11-13": ["Öppen utan sista dag"],
    }
    assert ("Fully booked" in html) == (language == "/en")
    filtered = client.get(f"{language}/siv/2026/?format=digitalt").content.decode()
    shown = [item["title"] for item in Items(filtered).items]
    assert shown == ["Digital med plats", "Digital utan allt", "Hybrid, fullbokad, många teman och arrangörer"]


@pytest.mark.django_db
def test_programme_marks_today_and_staff_preview_links(client, settings):
    settings.PAGE_CACHE = False
    today = timezone.localdate()
    week = EditionFactory(
        year=2031,
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=1),
        is_published=False,
    )
    for n, day in enumerate([today - datetime.timedelta(days=1), today, today]):
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9 + n)))
        SessionFactory(edition=week, start=start, end=start + datetime.timedelta(hours=1))
    login_staff(client, programme_editor())
    html = client.get("/siv/2031/?forhandsvisning=1").content.decode()
    assert html.count('<span class="today-badge">Idag</span>') == 1
    assert len(re.findall(r'<h3><a href="/siv/2031/[\w-]+/\?forhandsvisning=1">', html)) == 3


@pytest.mark.django_db
def test_now_page_lists_ongoing_and_upcoming_items(client, settings):
    settings.PAGE_CACHE = False
    today = timezone.localdate()
    now = timezone.now()
    week = EditionFactory(
        year=2031, start_date=today - datetime.timedelta(days=1), end_date=today + datetime.timedelta(days=2)
    )
    SessionFactory(edition=week, title="Pågår", start=now - datetime.timedelta(minutes=30),
                   end=now + datetime.timedelta(hours=1))  # fmt: skip
    for hours in [1, 2, 30]:
        SessionFactory(
            edition=week,
            title=f"Om {hours} timmar",
            start=now + datetime.timedelta(hours=hours),
            end=now + datetime.timedelta(hours=hours + 1),
            themes=[theme("smart-industri")],
            organisers=[OrganisationFactory()],
        )
    for language in ["", "/en"]:
        html = client.get(f"{language}/siv/nu/").content.decode()
        lists = [Items(body).items for body in re.findall(r'<ol class="sessions">(.*?)</ol>', html, re.S)]
        assert [[item["title"] for item in found] for found in lists] == [
            ["Pågår"],
            ["Om 1 timmar", "Om 2 timmar", "Om 30 timmar"],
        ]
        assert lists[0][0]["date"] is None
        assert all(item["date"] for item in lists[1])  # upcoming items say which day


@pytest.mark.django_db
def test_by_day_groups_by_local_date_like_regroup(varied):
    days = by_day(listed_sessions(public()))
    assert [(day.date, len(day.sessions)) for day in days] == [
        (datetime.date(2025, 11, 11), 1),
        (datetime.date(2026, 11, 9), 3),
        (datetime.date(2026, 11, 10), 2),  # 00:30 local is 23:30 UTC on the 9th
        (datetime.date(2026, 11, 11), 1),
        (datetime.date(2026, 11, 12), 2),
        (datetime.date(2026, 11, 13), 1),
    ]


@pytest.mark.django_db
def test_listed_sessions_takes_three_queries_whatever_the_number(edition):
    for count in [3, 30]:
        SessionFactory.create_batch(
            count - Session.objects.count(),
            edition=edition,
            themes=[theme("smart-industri")],
            organisers=[OrganisationFactory()],
        )
        with CaptureQueriesContext(connection) as queries:
            sessions = listed_sessions(Session.objects.public())
            html = render_items(sessions)
        assert (len(sessions), len(queries), html.count("<li ")) == (count, 3, count)
    with CaptureQueriesContext(connection) as queries:
        assert listed_sessions(Session.objects.none()) == []
    assert len(queries) == 0


def test_makemessages_finds_every_label_of_the_jinja2_template():
    """The template is Jinja2, but `make messages` reads it as a Django template: it must still find the
    labels, or the English catalogue would lose them."""
    source = TEMPLATE.read_text()
    written = set(re.findall(r'_\("([^"]+)"\)', source))
    extracted = set(re.findall(r'_\("([^"]+)"\)', templatize(source, origin=str(TEMPLATE))))
    assert len(written) == 12
    assert extracted == written
    with translation.override("en"):
        assert all(translation.gettext(msgid) != msgid for msgid in written)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_payloads_come_out_as_text(edition, language):
    """Every text field of an item, and the names shown in it, carry markup only as escaped text."""
    place = municipality("eskilstuna")
    place.name, place.name_en = PAYLOAD, PAYLOAD
    place.save()
    smart = theme("smart-industri")
    smart.name, smart.name_en = PAYLOAD, PAYLOAD
    smart.save()
    SessionFactory(
        edition=edition,
        title=PAYLOAD,
        summary=PAYLOAD,
        status=Session.Status.CANCELLED,
        cancellation_note=PAYLOAD,
        venue=VenueFactory(municipality=place),
        themes=[smart],
        organisers=[OrganisationFactory(name=PAYLOAD)],
    )
    with translation.override(language):
        html = str(render_items(listed_sessions(Session.objects.all()), show_date=True))
    parser = Items(html)
    assert parser.tags == {"li", "p", "time", "span", "h3", "a", "strong", "dl", "div", "dt", "dd"}
    assert parser.attributes == {"class", "datetime", "href"}
    [item] = parser.items
    assert item["title"] == item["summary"] == PAYLOAD
    assert item["cancelled"].endswith(": " + PAYLOAD)
    assert list(item["facts"].values())[1:4] == [PAYLOAD, PAYLOAD, PAYLOAD]  # place, theme, organiser
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html


@pytest.mark.django_db
def test_a_slug_cannot_break_out_of_the_address(edition):
    """Slugs are validated, but the template escapes addresses anyway."""
    SessionFactory(edition=edition, slug='x"><script>1</script>', organisers=[OrganisationFactory(slug='y"onclick=1')])
    html = str(render_items(listed_sessions(Session.objects.all())))
    parser = Items(html)
    assert parser.attributes == {"class", "datetime", "href"}
    assert parser.items[0]["url"] == '/siv/2026/x"><script>1</script>/'
    assert parser.items[0]["links"]["Arrangör"] == ['/siv/aktorer/y"onclick=1/']


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Municipality, Audience])
def test_a_rename_stamps_updated_and_moves_the_content_version_rebuilt_from_the_database(model):
    """Renames of municipalities and audiences reach every key built on `updated`, among them the content
    version when the cache has lost it (which before this column only counted their rows)."""
    row = model.objects.order_by("pk").first()
    assert row.updated is not None  # the seeded rows got a value when the column was added
    stamped = row.updated
    cache.clear()
    before = content.content_version()
    row.name_en = "Renamed"
    row.save()
    assert row.updated > stamped
    cache.clear()
    assert content.content_version() != before


@pytest.mark.django_db
def test_every_existing_municipality_and_audience_has_updated():
    """The migration gives the rows that exist when it runs (the seeded lists) a value."""
    assert Municipality.objects.count() == 9 and Audience.objects.exists()
    assert not Municipality.objects.filter(updated__isnull=True).exists()
    assert not Audience.objects.filter(updated__isnull=True).exists()


@pytest.mark.django_db
def test_a_renamed_municipality_shows_at_once_with_the_page_cache_on(client, edition, settings):
    settings.PAGE_CACHE = True
    place = municipality("flen")
    SessionFactory(edition=edition, title="I Flen", venue=VenueFactory(municipality=place))
    assert Items(client.get("/siv/2026/").content.decode()).items[0]["facts"]["Kommun"] == "Flen"
    place.name = "Flens kommun"
    place.save()
    assert Items(client.get("/siv/2026/").content.decode()).items[0]["facts"]["Kommun"] == "Flens kommun"
