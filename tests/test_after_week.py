"""The 50 weeks between the weeks: /siv/ and "Nu och härnäst" after the week, the coming-soon page, "Spara
datumet", the proposal link, and the sample programme's year. Every test stands at a fixed moment."""

import datetime
import re

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events.management.commands.demo_programme import sample_year
from events.models import Edition, Session, week46
from tests.conftest import text
from tests.factories import ContactFactory, EditionFactory, OrganisationFactory, SessionFactory, local

BEFORE = (2026, 10, 20, 12)
DURING = (2026, 11, 11, 10, 30)
AFTER = (2026, 12, 2, 12)


@pytest.fixture
def at(monkeypatch):
    """Stand at a local moment: at(2026, 12, 2, 12)."""

    def move(*parts):
        moment = local(*parts) if len(parts) > 3 else local(*parts, 12)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return move


def past_week(**kwargs):
    edition = EditionFactory(year=2026, proposal_deadline=datetime.date(2026, 10, 1), **kwargs)
    SessionFactory(
        edition=edition, title="Energi i Eskilstuna", start=local(2026, 11, 11, 10),
        registration_url="https://example.org/a", registration_deadline=local(2026, 11, 9, 10),
    )
    return edition


@pytest.mark.django_db
def test_after_the_week_the_programme_says_so_first_and_offers_next_years_dates(client, at):
    at(*AFTER)
    past_week()
    response = client.get(reverse("events:programme"))
    assert response.status_code == 200
    page = text(response)
    assert page.index("Innovationsveckan 2026 är över – tack till alla som var med") < page.index("Energi i Eskilstuna")
    monday, sunday = week46(2027)
    assert (monday, sunday) == (datetime.date(2027, 11, 15), datetime.date(2027, 11, 21))
    assert "måndag 15 november till söndag 21 november 2027 (vecka 46)" in page
    assert reverse("events:save_the_date", kwargs={"year": 2027}) in response.content.decode()
    assert "programme-past" in response.content.decode()


@pytest.mark.django_db
def test_after_the_week_in_english(client, at):
    at(*AFTER)
    past_week()
    page = text(client.get("/en/siv/"))
    assert "Innovation Week 2026 is over – thank you to everyone who took part" in page
    assert "Save the date" in page


@pytest.mark.django_db
def test_during_and_before_the_week_the_programme_is_plain(client, at, no_page_cache):
    past_week()
    for moment in (BEFORE, DURING):
        at(*moment)
        page = text(client.get(reverse("events:programme")))
        assert "är över" not in page
        assert "Energi i Eskilstuna" in page


@pytest.mark.django_db
def test_save_the_date_is_one_all_day_event_for_next_years_week(client, at):
    at(*AFTER)
    response = client.get(reverse("events:save_the_date", kwargs={"year": 2027}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert "X-WR-CALNAME" not in calendar
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == datetime.date(2027, 11, 15)
    assert event.decoded("dtend") == datetime.date(2027, 11, 22)
    assert "2027" in str(event["summary"])
    assert str(event["uid"]) == "vecka46-2027@siv.regionsormland.se"
    again = client.get(reverse("events:save_the_date", kwargs={"year": 2027}), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_save_the_date_takes_the_editions_dates_once_staff_set_them(client):
    EditionFactory(year=2027, start_date=datetime.date(2027, 11, 16), end_date=datetime.date(2027, 11, 19))
    response = client.get(reverse("events:save_the_date", kwargs={"year": 2027}))
    event = next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime.date(2027, 11, 16)
    assert event.decoded("dtend") == datetime.date(2027, 11, 20)


@pytest.mark.django_db
def test_save_the_date_refuses_a_silly_year(client):
    assert client.get("/siv/1900/spara-datumet.ics").status_code == 404


@pytest.mark.django_db
def test_an_unpublished_next_edition_shows_its_coming_page_with_last_years_link(client, at):
    at(*AFTER)
    past_week()
    EditionFactory(year=2027, is_published=False, proposal_deadline=datetime.date(2027, 10, 1))
    response = client.get(reverse("events:programme"))
    assert response.templates[0].name == "events/coming.html"
    html = response.content.decode()
    assert 'href="/siv/2026/"' in html
    assert reverse("events:propose") in html
    assert reverse("events:save_the_date", kwargs={"year": 2027}) in html
    now_page = client.get(reverse("events:now"))
    assert now_page.context["next_edition"].year == 2027
    assert "/siv/2027/" in now_page.content.decode()


@pytest.mark.django_db
def test_now_and_the_programme_agree_after_the_week(client, at):
    at(*AFTER)
    past_week()
    response = client.get(reverse("events:now"))
    page = text(response)
    assert response.context["last_edition"].year == 2026
    assert "Innovationsveckan 2026 är över" in page
    assert "måndag 15 november till söndag 21 november 2027" in page
    assert Edition.objects.home().year == 2026


@pytest.mark.django_db
def test_the_coming_page_shows_the_weeks_contacts_once(client, at):
    at(*AFTER)
    organisation = OrganisationFactory(name="Region Sörmland (test)")
    contact = ContactFactory(organisation=organisation, name="Kim Kontakt", is_public=True)
    edition = EditionFactory(year=2027, is_published=False, coordinator=organisation)
    edition.contacts.set([contact])
    page = text(client.get(reverse("events:programme")))
    assert page.count("Kim Kontakt") == 1
    other = text(client.get(reverse("events:edition", kwargs={"year": 2027})))
    assert other.count("Kim Kontakt") == 1


@pytest.mark.django_db
def test_the_proposal_form_is_linked_while_open_and_not_after(client, at, no_page_cache):
    at(*AFTER)
    past_week()
    EditionFactory(year=2027, proposal_deadline=datetime.date(2027, 10, 1))
    SessionFactory(edition=Edition.objects.get(year=2027), start=local(2027, 11, 16, 10))
    for path in (reverse("events:programme"), reverse("organisers:directory"), reverse("events:about")):
        assert f'href="{reverse("events:propose")}"' in client.get(path).content.decode(), path
    at(2027, 10, 5, 12)
    for path in (reverse("events:programme"), reverse("events:about")):
        assert f'href="{reverse("events:propose")}"' not in client.get(path).content.decode(), path


@pytest.mark.django_db
def test_home_edition_before_during_and_after(at):
    past_week()
    EditionFactory(year=2025)
    for moment, year in ((BEFORE, 2026), (DURING, 2026), (AFTER, 2026)):
        at(*moment)
        assert Edition.objects.home().year == year
    EditionFactory(year=2027, is_published=False)
    assert Edition.objects.home().year == 2027
    at(*DURING)
    assert Edition.objects.home().year == 2026


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2026, 1, 5), 2026),
        (datetime.date(2026, 11, 11), 2026),
        (datetime.date(2026, 11, 15), 2026),
        (datetime.date(2026, 11, 16), 2027),
        (datetime.date(2026, 12, 2), 2027),
    ],
)
def test_the_sample_year(today, year):
    assert sample_year(today) == year


@pytest.mark.django_db
@pytest.mark.parametrize(("moment", "year"), [(BEFORE, 2026), (DURING, 2026), (AFTER, 2027)])
def test_demo_programme_without_a_year_builds_the_week_a_newcomer_expects(at, moment, year):
    at(*moment)
    call_command("demo_programme", "--sessions", "10", stdout=open("/dev/null", "w"))
    assert set(Edition.objects.values_list("year", flat=True)) == {year, year - 1}
    edition = Edition.objects.get(year=year)
    assert edition.is_published and edition.sessions.exists()
    assert Session.objects.filter(edition__year=year - 1).exists()
    if moment == AFTER:
        from events.proposals import open_edition

        assert open_edition()[0] == edition  # open for proposals on 2 December 2026


@pytest.mark.django_db
def test_english_texts_of_a_session_on_en_pages_feeds_and_json_falling_back_to_swedish(client, edition):
    SessionFactory(edition=edition, title="Frukostmöte", title_en="Breakfast meeting",
                             summary="Om pengar.", summary_en="About money.", description="Lång text.",
                             description_en="Long text.", slug="frukost")
    swedish = SessionFactory(edition=edition, title="Bara svenska", slug="bara-svenska")
    assert swedish.get_absolute_url() == "/siv/2026/bara-svenska/"
    page = text(client.get("/en/siv/2026/frukost/"))
    assert "Breakfast meeting" in page and "About money." in page and "Long text." in page
    assert "Frukostmöte" in text(client.get("/siv/2026/frukost/"))
    assert "Bara svenska" in text(client.get("/en/siv/2026/bara-svenska/"))
    feed = icalendar.Calendar.from_ical(client.get("/en/siv/2026/kalender.ics").content)
    summaries = {str(event["summary"]) for event in feed.walk("VEVENT")}
    assert summaries == {"Breakfast meeting", "Bara svenska"}
    assert "Frukostmöte" in {str(e["summary"]) for e in icalendar.Calendar.from_ical(
        client.get("/siv/2026/kalender.ics").content).walk("VEVENT")}
    data = client.get("/en/siv/api/v1/2026/sessions.json").json()
    rows = data["sessions"] if isinstance(data, dict) else data
    assert {row["title"] for row in rows} == {"Breakfast meeting", "Bara svenska"}
    assert {row["summary"] for row in rows} >= {"About money."}


@pytest.mark.django_db
def test_the_admin_and_the_import_know_the_english_fields(editor_client, edition):
    from events.resources import SessionResource

    session = SessionFactory(edition=edition, title_en="Breakfast")
    html = editor_client.get(f"/admin/events/session/{session.pk}/change/").content.decode()
    for name in ("title_en", "summary_en", "description_en"):
        assert f'name="{name}"' in html
    headers = [field.column_name for field in SessionResource().get_export_fields()]
    assert {"rubrik på engelska", "sammanfattning på engelska", "beskrivning på engelska"} <= set(headers)
    exported = SessionResource().export(Session.objects.filter(pk=session.pk))
    assert dict(zip(exported.headers, exported[0], strict=True))["rubrik på engelska"] == "Breakfast"


@pytest.mark.django_db
def test_english_contact_cards_label_phones_in_english_and_numbers_internationally(client, at):
    at(*AFTER)
    organisation = OrganisationFactory(name="Region Sörmland (test)")
    contact = ContactFactory(organisation=organisation, name="Kim Kontakt", is_public=True,
                             phones="Mobil: 070-123 45 67\nTelefon: 016-10 20 30")
    edition = EditionFactory(year=2027, is_published=False, coordinator=organisation)
    edition.contacts.set([contact])
    english = text(client.get("/en/siv/"))
    assert "Mobile: +46 70 123 45 67" in english and "Phone: +46 16 10 20 30" in english
    swedish = text(client.get("/siv/"))
    assert "Mobil: 070-123 45 67" in swedish and "Telefon: 016-10 20 30" in swedish


@pytest.mark.django_db
def test_now_shows_where_each_session_is_how_long_is_left_and_the_join_link(client, at, edition):
    from tests.factories import VenueFactory

    at(2026, 11, 10, 10, 30)
    venue = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", town="Eskilstuna")
    SessionFactory(edition=edition, title="På plats", venue=venue, start=local(2026, 11, 10, 10),
                   end=local(2026, 11, 10, 11))
    SessionFactory(edition=edition, title="Webbinarium", venue=None, format=Session.Format.DIGITAL,
                   online_url="https://meet.example.org/x", start=local(2026, 11, 10, 9),
                   end=local(2026, 11, 10, 12, 15))
    SessionFactory(edition=edition, title="Sen", venue=None, format=Session.Format.DIGITAL,
                   online_note="Länken skickas efter anmälan.", start=local(2026, 11, 10, 14),
                   end=local(2026, 11, 10, 15))
    response = client.get(reverse("events:now"))
    html = response.content.decode()
    page = text(response)
    assert "30 minuter kvar" in page
    assert "1 tim 45 min kvar" in page
    assert "Munktell Science Park" in page and venue.map_url.replace("&", "&amp;") in html
    assert 'href="https://meet.example.org/x"' in html
    assert "Länken skickas efter anmälan." in page
    assert "30 minutes left" in text(client.get("/en/siv/nu/"))


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_now_costs_the_same_queries_for_3_or_30_sessions(client, at, edition, count, django_assert_num_queries,
                                                         no_page_cache):
    from tests.factories import VenueFactory

    at(2026, 11, 10, 10, 30)
    venue = VenueFactory()
    for n in range(count):
        SessionFactory(edition=edition, venue=venue, start=local(2026, 11, 10 + n % 3, 10),
                       end=local(2026, 11, 10 + n % 3, 11))
    # the edition, what is on now, what comes next; the footer's edition with its contacts and "Uppdaterad"
    with django_assert_num_queries(6):
        response = client.get(reverse("events:now"))
    assert response.status_code == 200 and response.context["ongoing"]


@pytest.mark.django_db
def test_a_session_page_writes_out_its_addresses_for_print(client, edition):
    session = SessionFactory(edition=edition, slug="tryck", format=Session.Format.HYBRID,
                             online_url="https://meet.example.org/siv-1", registration_url="https://example.org/a")
    html = client.get(session.get_absolute_url()).content.decode()
    assert '<p class="print-only">Anmälan: https://example.org/a</p>' in html
    assert '<span class="print-only">: https://meet.example.org/siv-1</span>' in html
    assert "Sörmlands innovationsvecka – https://siv.example.org/siv/2026/tryck/" in html
    assert re.search(r'href="/static/css/print[.\w]*\.css" media="print"', html)
