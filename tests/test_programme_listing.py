"""The programme's list items are built in Python (events/listing.py), not by a template per item. The same markup
as a template (with includes/registration_state.html inlined) is kept here as the reference, rendered by Django's
template engine, and compared with what events/listing.py builds for the same sessions, byte for byte.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.template import Context, Template
from django.template.loader import get_template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from events.listing import ItemRenderer, by_day, listed_sessions
from events.models import Session
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    UserFactory,
    VenueFactory,
    local,
    municipality,
    theme,
)

REGISTRATION_STATE = (
    '{% load i18n %}{% if session.is_cancelled %}{% translate "Ingen anmälan, programpunkten är inställd" %}'
    '{% elif session.registration_state == "full" %}{% translate "Fullbokat" %}'
    '{% elif session.registration_state == "none" %}{% translate "Ingen anmälan behövs" %}'
    '{% elif session.registration_state == "closed" %}{% translate "Anmälan har stängt" %}'
    "{% elif session.registration_deadline %}{% blocktranslate trimmed with "
    'date=session.registration_deadline|date:"l j F" time=session.registration_deadline|time:"H:i" %}'
    "Anmälan öppen till {{ date }} kl. {{ time }}{% endblocktranslate %}"
    '{% else %}{% translate "Anmälan öppen" %}{% endif %}'
)

# One list item as a template: the reference events/listing.py must match.
SESSION_ITEM = (
    """{% load i18n %}<li class="session{% if session.is_cancelled %} cancelled{% endif %}">
  <p class="time"><time datetime="{{ session.start|date:'c' }}">{{ session.local_start|time:"H:i" }}</time>–"""
    """<time datetime="{{ session.end|date:'c' }}">{{ session.local_end|time:"H:i" }}</time>"""
    """{% if show_date %} <span class="date">{{ session.local_start|date:"l j F"|capfirst }}</span>{% endif %}</p>
  <h3><a href="{{ session.get_absolute_url }}{% if preview_query %}?{{ preview_query }}{% endif %}">"""
    """{{ session.title }}</a></h3>
  {% if session.is_cancelled %}<p class="status-cancelled"><strong>{% translate "Inställt" %}</strong>"""
    """{% if session.cancellation_note %}: {{ session.cancellation_note }}{% endif %}</p>{% endif %}
  {% if session.summary %}<p class="summary">{{ session.summary }}</p>{% endif %}
  <dl class="facts">
    <div><dt>{% translate "Form" %}</dt><dd>{{ session.get_format_display }}</dd></div>
    {% if session.venue and session.has_place %}<div><dt>{% translate "Kommun" %}</dt>"""
    """<dd>{{ session.venue.municipality.label }}</dd></div>{% endif %}
    {% with themes=session.themes.all %}{% if themes %}<div><dt>{% translate "Tema" %}</dt><dd>"""
    """{% for theme in themes %}{{ theme.label }}{% if not forloop.last %}, {% endif %}{% endfor %}</dd></div>"""
    """{% endif %}{% endwith %}
    {% with organisers=session.organisers.all %}{% if organisers %}<div><dt>{% translate "Arrangör" %}</dt><dd>"""
    """{% for org in organisers %}<a href="{{ org.get_absolute_url }}">{{ org.name }}</a>"""
    """{% if not forloop.last %}, {% endif %}{% endfor %}</dd></div>{% endif %}{% endwith %}
    <div><dt>{% translate "Anmälan" %}</dt><dd class="registration registration-{{ session.registration_state }}">"""
    + REGISTRATION_STATE
    + """</dd></div>
  </dl>
</li>
"""
)

# The day sections of templates/events/programme.html as they were (without the {% empty %} state).
DAY_SECTIONS = (
    """{% load i18n %}    {% regroup sessions by local_start.date as days %}
    {% if days|length > 1 %}
    <nav class="day-links" aria-label="{% translate "Dagar" %}">
      <ul>{% for day in days %}<li><a href="#dag-{{ day.grouper|date:'Y-m-d' }}">"""
    """{{ day.grouper|date:"l j/n"|capfirst }}{% if day.grouper == today %} ({% translate "idag" %}){% endif %}"""
    """</a></li>{% endfor %}</ul>
    </nav>
    {% endif %}
    {% for day in days %}
    <section class="day{% if day.grouper == today %} today{% endif %}" """
    """aria-labelledby="dag-{{ day.grouper|date:'Y-m-d' }}">
      <h2 id="dag-{{ day.grouper|date:'Y-m-d' }}">{{ day.grouper|date:"l j F"|capfirst }}"""
    """{% if day.grouper == today %} <span class="today-badge">{% translate "idag" %}</span>{% endif %}</h2>
      <ol class="sessions">
        {% for session in day.list %}{% include item %}{% endfor %}
      </ol>
    </section>
    {% endfor %}"""
)

PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>' onmouseover='alert(3)' & åäö"


def old_queryset():
    """The programme view's queryset before events.listing."""
    return (
        Session.objects.public()
        .select_related("venue__municipality", "edition")
        .prefetch_related("themes", "organisers")
        .order_by("start", "end", "title")
    )


def reference(sessions, show_date=False, preview_query=""):
    item = Template(SESSION_ITEM)
    return "".join(
        item.render(Context({"session": s, "show_date": show_date, "preview_query": preview_query})) for s in sessions
    )


def rendered(sessions, show_date=False, preview_query=""):
    return ItemRenderer(preview_query, show_date).render_all(sessions)


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
    SessionFactory(
        edition=edition,
        title="<script>alert(\"x\")</script> & 'citat' åäö ÅÄÖ",
        summary=PAYLOAD,
        start=local(2026, 11, 15, 18),
        end=local(2026, 11, 15, 19),
        organisers=[quoted],
    )
    SessionFactory(edition=edition, title="Utkast syns inte", status=Session.Status.DRAFT)
    other_year = EditionFactory(year=2025)
    SessionFactory(edition=other_year, title="Förra året", start=local(2025, 11, 11, 9), end=local(2025, 11, 11, 10))
    return list(old_queryset())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize(("show_date", "preview_query"), [(False, ""), (True, ""), (False, "forhandsvisning=1")])
def test_items_equal_what_the_template_rendered(varied, language, show_date, preview_query):
    with translation.override(language):
        expected = reference(varied, show_date, preview_query)
        actual = rendered(
            listed_sessions(Session.objects.public().order_by("start", "end", "title")), show_date, preview_query
        )
    assert len(varied) == 11
    assert actual == expected
    assert ("Eskilstuna &amp; Co (en)" in actual) == (language == "en")
    assert ("Fully booked" in actual) == (language == "en")


@pytest.mark.django_db
def test_the_reference_registration_text_is_the_session_pages(varied):
    """The session page still includes registration_state.html; the list must say the same."""
    copy, real = Template(REGISTRATION_STATE), get_template("includes/registration_state.html")
    for language in ["sv", "en"]:
        with translation.override(language):
            for session in varied:
                assert copy.render(Context({"session": session})) == real.render({"session": session})


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["sv", "en"])
def test_addresses_equal_get_absolute_url(varied, language):
    with translation.override(language):
        html = str(rendered(listed_sessions(Session.objects.public().order_by("start", "end", "title"))))
        for session in varied:
            assert f'<a href="{session.get_absolute_url()}">' in html
            for org in session.organisers.all():
                assert f'<a href="{org.get_absolute_url()}">' in html
    assert ('href="/en/siv/2026/' in html) == (language == "en")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["", "/en"])
def test_programme_page_days_and_items_equal_the_regroup_template(client, varied, settings, language):
    settings.PAGE_CACHE = False
    for query in ["", "?tema=smart-industri", "?format=digitalt"]:
        response = client.get(f"{language}/siv/2026/{query}")
        with translation.override(language.strip("/") or "sv"):
            sessions = [s for s in old_queryset() if s.pk in {listed.pk for listed in response.context["sessions"]}]
            expected = Template(DAY_SECTIONS).render(
                Context({"sessions": sessions, "today": response.context["today"], "item": Template(SESSION_ITEM)})
            )
        assert sessions
        assert expected in response.content.decode()


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
    client.force_login(UserFactory())
    response = client.get("/siv/2031/?forhandsvisning=1")
    sessions = [s for s in old_queryset() if s.edition_id == week.pk]
    expected = Template(DAY_SECTIONS).render(
        Context(
            {
                "sessions": sessions,
                "today": today,
                "preview_query": "forhandsvisning=1",
                "item": Template(SESSION_ITEM),
            }
        )
    )
    html = response.content.decode()
    assert expected in html
    assert html.count('<span class="today-badge">idag</span>') == 1
    assert len(re.findall(r'<h3><a href="/siv/2031/[\w-]+/\?forhandsvisning=1">', html)) == 3


@pytest.mark.django_db
def test_now_page_items_equal_the_template(client, settings):
    settings.PAGE_CACHE = False
    today = timezone.localdate()
    now = timezone.now()
    week = EditionFactory(
        year=2031, start_date=today - datetime.timedelta(days=1), end_date=today + datetime.timedelta(days=2)
    )
    SessionFactory(edition=week, start=now - datetime.timedelta(minutes=30), end=now + datetime.timedelta(hours=1))
    for hours in [1, 2, 30]:
        SessionFactory(
            edition=week,
            start=now + datetime.timedelta(hours=hours),
            end=now + datetime.timedelta(hours=hours + 1),
            themes=[theme("smart-industri")],
            organisers=[OrganisationFactory()],
        )
    for language in ["", "/en"]:
        response = client.get(f"{language}/siv/nu/")
        html = response.content.decode()
        with translation.override(language.strip("/") or "sv"):
            old = {s.pk: s for s in old_queryset()}
            ongoing = reference([old[s.pk] for s in response.context["ongoing"]])
            upcoming = reference([old[s.pk] for s in response.context["upcoming"]], show_date=True)
        assert len(response.context["ongoing"]) == 1 and len(response.context["upcoming"]) == 3
        assert f'<ol class="sessions">{ongoing}</ol>' in html
        assert f'<ol class="sessions">{upcoming}</ol>' in html


@pytest.mark.django_db
def test_by_day_groups_by_local_date_like_regroup(varied):
    days = by_day(listed_sessions(Session.objects.public().order_by("start", "end", "title")))
    assert [(day.date, len(day.sessions)) for day in days] == [
        (datetime.date(2025, 11, 11), 1),
        (datetime.date(2026, 11, 9), 3),
        (datetime.date(2026, 11, 10), 2),  # 00:30 local is 23:30 UTC on the 9th
        (datetime.date(2026, 11, 11), 1),
        (datetime.date(2026, 11, 12), 2),
        (datetime.date(2026, 11, 13), 1),
        (datetime.date(2026, 11, 15), 1),
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
            rendered(sessions)
        assert (len(sessions), len(queries)) == (count, 3)
    with CaptureQueriesContext(connection) as queries:
        assert listed_sessions(Session.objects.none()) == []
    assert len(queries) == 0


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text = set(), set(), []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _value in attrs)

    def handle_data(self, data):
        self.text.append(data)


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
        themes=[smart],
        organisers=[OrganisationFactory(name=PAYLOAD)],
    )
    with translation.override(language):
        html = str(rendered(listed_sessions(Session.objects.all()), show_date=True))
    parser = Elements()
    parser.feed(html)
    assert parser.tags == {"li", "p", "time", "span", "h3", "a", "strong", "dl", "div", "dt", "dd"}
    assert parser.attributes == {"class", "datetime", "href"}
    assert "".join(parser.text).count(PAYLOAD) == 6
    assert "<script" not in html and "<img" not in html and "&lt;script&gt;" in html
