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
    state (text and class), the cancellation note, the format (text and value), the place, the themes and the
    organisers (names and links), and any visible label ("Form:", "Tema:") left in the item."""

    FIELDS = {"date": "date", "summary": "summary", "cancellation-note": "note", "place": "place",
              "organisers": "organisers", "visually-hidden": "hidden"}  # fmt: skip

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.items, self.item, self.stack = [], None, []
        self.tags, self.attributes = set(), set()
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = attributes.get("class", "").split()
        if self.item is None and not (tag == "li" and "session" in classes):
            return
        self.tags.add(tag)
        self.attributes.update(attributes)
        if tag == "li" and "session" in classes:
            self.item = {"class": attributes.get("class", ""), "times": [], "datetimes": [], "date": None,
                         "summary": None, "note": None, "state": None, "state_class": None, "format": None,
                         "format_class": None, "place": None, "themes": [], "organisers": None,
                         "organiser_links": [], "hidden": "", "text": ""}  # fmt: skip
            self.items.append(self.item)
            self.stack = []
            return
        where = None
        for name in classes:
            if name in self.FIELDS:
                where = self.FIELDS[name]
                if where != "hidden":
                    self.item[where] = ""
        if "state" in classes:
            where, self.item["state"], self.item["state_class"] = "state", "", attributes["class"]
        if "format" in classes:
            where, self.item["format"], self.item["format_class"] = "format", "", attributes["class"]
        if tag == "h3":
            where = "title"
        if tag == "a" and self.inside("title"):
            self.item["url"], self.item["title"] = attributes["href"], ""
        if tag == "a" and self.inside("organisers"):
            self.item["organiser_links"].append(attributes["href"])
        if tag == "li" and self.inside("themes"):
            self.item["themes"].append("")
            where = "theme"
        if tag == "ul" and "themes" in classes:
            where = "themes"
        if tag == "time":
            self.item["datetimes"].append(attributes["datetime"])
            where = "time"
        self.stack.append((tag, where))

    def inside(self, where):
        return any(w == where for _tag, w in self.stack)

    def handle_endtag(self, tag):
        if self.item is None:
            return
        if tag == "li" and not self.inside("themes"):
            self.item = None
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.item is None:
            return
        if self.inside("hidden"):
            self.item["hidden"] += data
            return
        self.item["text"] += data
        for _tag, where in reversed(self.stack):
            if where == "time":
                self.item["times"].append(data)
                return
            if where == "theme":
                self.item["themes"][-1] += data
                return
            if where in ("title", "date", "summary", "note", "state", "format", "place", "organisers"):
                self.item[where] += data
                return


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


def freeze(monkeypatch, moment):
    """timezone.now() at a fixed moment (events.listing reads it through the module)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


BEFORE_THE_WEEK = local(2026, 11, 9, 7)  # Monday of the week, before its first session
AFTER_THE_WEEK = local(2026, 11, 20, 12)


@pytest.mark.django_db
def test_each_item_shows_its_sessions_facts_in_swedish(varied, monkeypatch):
    freeze(monkeypatch, BEFORE_THE_WEEK)
    with translation.override("sv"):
        shown = items(listed_sessions(public()))
    assert sorted(shown) == sorted(varied)
    open_ = shown["Öppen med sista dag"]
    assert open_["class"] == "session"
    assert open_["url"] == "/siv/2026/" + varied["Öppen med sista dag"].slug + "/"
    assert open_["times"] == ["08:05", "17:45"]
    assert open_["datetimes"] == ["2026-11-09T08:05:00+01:00", "2026-11-09T17:45:00+01:00"]
    assert open_["date"] is None and open_["note"] is None
    # The venue's name and the municipality, the format with its value for the icon, themes, organisers.
    assert open_["place"] == varied["Öppen med sista dag"].venue.name + ", Eskilstuna"
    assert (open_["format"], open_["format_class"]) == ("På plats", "format format-plats")
    assert open_["themes"] == ["Life science med välfärd och hälsa"]
    assert open_["organisers"] == "Almi" and open_["organiser_links"] == ["/siv/aktorer/almi/"]
    assert open_["state"] is None  # open registration with a last day far off: nothing to say in the list

    hybrid = shown["Hybrid, fullbokad, många teman och arrangörer"]
    assert hybrid["summary"] == "Fika & mingel, <b>gratis</b>"
    assert hybrid["times"] == ["00:30", "01:30"]
    assert hybrid["place"] == varied[hybrid["title"]].venue.name + ", Nyköping"
    assert hybrid["format_class"] == "format format-hybrid"
    in_order = Theme.objects.filter(slug__in=["smart-industri", "life-science", "hallbar-livsmedelsforsorjning"])
    assert hybrid["themes"] == [t.name for t in in_order.order_by("order", "name")]
    assert hybrid["organisers"] == 'Almi, Mälardalens universitet, Ö & "Citat" <AB>'  # by name
    assert hybrid["organiser_links"] == ["/siv/aktorer/almi/", "/siv/aktorer/mdu/", "/siv/aktorer/o-citat/"]
    assert (hybrid["state"], hybrid["state_class"]) == ("Fullbokat", "state state-full")

    # Digital sessions name no place, with or without a venue: the format says "Digitalt".
    digital = shown["Digital utan allt"]
    assert (digital["format"], digital["format_class"]) == ("Digitalt", "format format-digitalt")
    assert digital["place"] is None
    assert digital["summary"] is None and digital["themes"] == [] and digital["organisers"] is None
    assert digital["state"] is None  # no registration needed: not worth a line
    assert shown["Digital med plats"]["place"] is None and shown["Digital med plats"]["state"] is None

    note = shown["Inställd med meddelande"]
    assert note["class"] == "session cancelled"
    assert (note["state"], note["state_class"]) == ("Inställt", "state state-cancelled")
    assert note["note"] == "Föreläsaren är sjuk <script>x</script> & \"borta\" 'idag'"
    assert note["times"] == ["23:30", "00:30"]
    assert shown["Inställd utan meddelande"]["state"] == "Inställt"
    assert shown["Inställd utan meddelande"]["note"] is None
    assert shown["Stängd anmälan"]["state"] == "Anmälan har stängt"
    assert shown["Stängd anmälan"]["state_class"] == "state state-closed"
    assert shown["Öppen, sista dag på sommartid"]["state"] is None
    assert shown["Förra året"]["url"].startswith("/siv/2025/")
    assert shown["Förra året"]["state"] is None


@pytest.mark.django_db
def test_no_label_rows_only_hidden_words_for_screen_readers(varied, monkeypatch):
    freeze(monkeypatch, BEFORE_THE_WEEK)
    html = str(render_items(listed_sessions(public())))
    for label in ("Form:", "Kommun:", "Tema:", "Anmälan:", "<dt>", "<dl"):
        assert label not in html
    for item in Items(html).items:
        visible = " ".join(item["text"].split())
        assert not re.search(r"\b(Form|Kommun|Tema|Arrangör|Anmälan)\b\s*:", visible), visible
    hybrid = items(listed_sessions(public()))["Hybrid, fullbokad, många teman och arrangörer"]
    assert hybrid["hidden"] == "Var: Arrangörer: "


@pytest.mark.django_db
def test_after_the_week_only_cancelled_is_said(varied, monkeypatch):
    """A past edition (or this one after its week) is no wall of "Anmälan har stängt" and "Fullbokat"."""
    freeze(monkeypatch, AFTER_THE_WEEK)
    shown = items(listed_sessions(public()))
    states = {title: item["state"] for title, item in shown.items() if item["state"]}
    assert states == {"Inställd med meddelande": "Inställt", "Inställd utan meddelande": "Inställt"}
    html = str(render_items(listed_sessions(public())))
    assert "Anmälan har stängt" not in html and "Fullbokat" not in html


@pytest.mark.django_db
def test_last_day_to_register_today_or_tomorrow_is_said(edition, monkeypatch):
    freeze(monkeypatch, local(2026, 11, 9, 7))
    url = "https://example.org/anmal"
    for title, deadline in [("Idag", local(2026, 11, 9, 12)), ("I morgon", local(2026, 11, 10, 16, 30)),
                            ("Om två dagar", local(2026, 11, 11, 9)), ("Passerad", local(2026, 11, 9, 6))]:
        SessionFactory(edition=edition, title=title, start=local(2026, 11, 12, 9), end=local(2026, 11, 12, 10),
                       registration_url=url, registration_deadline=deadline)  # fmt: skip
    SessionFactory(edition=edition, title="Ingen länk", start=local(2026, 11, 12, 9), end=local(2026, 11, 12, 10),
                   registration_deadline=local(2026, 11, 9, 12))  # fmt: skip
    shown = items(listed_sessions(public()))
    assert {title: (item["state"], item["state_class"]) for title, item in shown.items()} == {
        "Idag": ("Sista anmälan idag kl. 12:00", "state state-last-today"),
        "I morgon": ("Sista anmälan i morgon kl. 16:30", "state state-last-tomorrow"),
        "Om två dagar": (None, None),
        "Passerad": ("Anmälan har stängt", "state state-closed"),
        "Ingen länk": (None, None),
    }
    with translation.override("en"):
        english = items(listed_sessions(public()))
    assert english["I morgon"]["state"] == "Last day to register tomorrow, 16:30"


@pytest.mark.django_db
def test_a_venue_named_after_its_municipality_is_not_said_twice(edition):
    SessionFactory(edition=edition, title="I parken", venue=VenueFactory(name="Eskilstuna stadspark"))
    assert items(listed_sessions(public()))["I parken"]["place"] == "Eskilstuna stadspark"


@pytest.mark.django_db
def test_english_pages_get_english_labels_names_and_addresses(varied, monkeypatch):
    freeze(monkeypatch, BEFORE_THE_WEEK)
    with translation.override("en"):
        shown = items(listed_sessions(public()))
    open_ = shown["Öppen med sista dag"]
    assert open_["url"] == "/en/siv/2026/" + varied["Öppen med sista dag"].slug + "/"
    assert open_["place"] == varied["Öppen med sista dag"].venue.name + ", Eskilstuna & Co (en)"
    assert open_["format"] == "On site"
    assert open_["organiser_links"] == ["/en/siv/aktorer/almi/"]
    hybrid = shown["Hybrid, fullbokad, många teman och arrangörer"]
    assert hybrid["state"] == "Fully booked"
    assert hybrid["format"] == "Hybrid"
    assert hybrid["hidden"] == "Where: Organisers: "
    assert shown["Inställd med meddelande"]["state"] == "Cancelled"
    assert shown["Stängd anmälan"]["state"] == "Registration has closed"


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
    assert ("On site" in html) == (language == "/en")
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
        lists = [Items(body).items for body in re.findall(r'<ol class="sessions[^"]*">(.*?)</ol>', html, re.S)]
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
    assert len(written) == 10
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
    assert parser.tags == {"li", "p", "time", "span", "h3", "a", "strong", "ul"}
    assert parser.attributes == {"class", "datetime", "href", "aria-label", "id"}
    [item] = parser.items
    assert item["title"] == item["summary"] == PAYLOAD
    assert item["note"] == PAYLOAD
    assert item["place"].endswith(", " + PAYLOAD)
    assert item["themes"] == [PAYLOAD] and item["organisers"] == PAYLOAD
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html


@pytest.mark.django_db
def test_a_slug_cannot_break_out_of_the_address(edition):
    """Slugs are validated, but the template escapes addresses anyway."""
    SessionFactory(edition=edition, slug='x"><script>1</script>', organisers=[OrganisationFactory(slug='y"onclick=1')])
    html = str(render_items(listed_sessions(Session.objects.all())))
    parser = Items(html)
    assert parser.attributes == {"class", "datetime", "href", "id"}
    assert parser.items[0]["url"] == '/siv/2026/x"><script>1</script>/'
    assert parser.items[0]["organiser_links"] == ['/siv/aktorer/y"onclick=1/']


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
    assert Items(client.get("/siv/2026/").content.decode()).items[0]["place"].endswith(", Flen")
    place.name = "Flens kommun"
    place.save()
    assert Items(client.get("/siv/2026/").content.decode()).items[0]["place"].endswith(", Flens kommun")


@pytest.mark.django_db
def test_english_list_shows_the_english_title_and_summary_falling_back_to_swedish(client, edition):
    from tests.factories import SessionFactory

    SessionFactory(edition=edition, title="Frukostmöte om finansiering", title_en="Breakfast on funding",
                   summary="Kort på svenska.", summary_en="Short in English.")  # fmt: skip
    SessionFactory(edition=edition, title="Bara svensk rubrik", summary="Bara svensk text.")
    english = client.get("/en/siv/2026/").content.decode()
    assert "Breakfast on funding" in english and "Short in English." in english
    assert "Frukostmöte om finansiering" not in english
    assert "Bara svensk rubrik" in english and "Bara svensk text." in english
    swedish = client.get("/siv/2026/").content.decode()
    assert "Frukostmöte om finansiering" in swedish and "Breakfast on funding" not in swedish
