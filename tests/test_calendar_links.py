"""The subscribe block (templates/includes/subscribe.html) on session, programme, organiser and my-programme pages."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from events.models import Session
from tests.conftest import login_staff
from tests.factories import OrganisationFactory, SessionFactory, VenueFactory, local


def links(response):
    """The block's links by their visible text."""
    block = re.search(r'<section class="subscribe".*?</section>', response.content.decode(), re.S).group(0)
    found = {}
    for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', block, re.S):
        found[" ".join(re.sub(r"<[^>]+>", "", text).split())] = html.unescape(href)
    field = re.search(r'id="calendar-link" class="copy-link" type="url" readonly value="([^"]+)"', block)
    found["copy"] = html.unescape(field.group(1))
    return found


def query(url):
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def action_links(response):
    """The session page's calendar action (templates/includes/calendar_action.html): links by visible text."""
    block = re.search(r'<section class="calendar-action".*?</section>', response.content.decode(), re.S).group(0)
    found = {}
    for href, text in re.findall(r'<a [^>]*?href="([^"]+)"[^>]*>(.*?)</a>', block, re.S):
        found[" ".join(re.sub(r"<[^>]+>", "", text).split())] = html.unescape(href)
    field = re.search(r'id="session-link" class="copy-link" type="url" readonly value="([^"]+)"', block)
    found["copy"] = html.unescape(field.group(1))
    return block, found


@pytest.mark.django_db
def test_session_page_has_one_calendar_action_and_one_off_copies_under_more_ways(client, edition):
    venue = VenueFactory(name="Munktell Science Park", street_address="Verkstadsgatan 11", postcode="632 20",
                         town="Eskilstuna")
    session = SessionFactory(edition=edition, title="Från idé till affär", slug="fran-ide", venue=venue,
                             summary="Testa din idé.", start=local(2026, 11, 10, 9, 30), end=local(2026, 11, 10, 11))
    response = client.get(session.get_absolute_url())
    block, found = action_links(response)
    # One primary action, a POST that adds the session to my programme (as the star does).
    assert block.count('type="submit"') == 1
    assert 'action="/siv/mitt-program/stjarna/"' in block and 'name="action" value="add"' in block
    assert "Lägg till i min kalender" in block
    assert found["Prenumerera på mitt program"] == "/siv/mitt-program/#kalender"
    # The other ways sit in a <details>, each with one sentence; no subscription to a single session.
    assert '<details class="calendar-more">' in block and "<summary>Fler sätt</summary>" in block
    assert "webcal:" not in response.content.decode()
    assert "addfromweb" not in response.content.decode()
    assert found["copy"] == "https://siv.example.org/siv/2026/fran-ide/"
    assert found["Ladda ner kalenderfilen (.ics)"] == "/siv/2026/fran-ide.ics"
    google = found["Lägg till i Google Kalender"]
    assert google.startswith("https://calendar.google.com/calendar/render?")
    assert query(google) == {
        "action": "TEMPLATE",
        "text": "Från idé till affär",
        "dates": "20261110T093000/20261110T110000",
        "ctz": "Europe/Stockholm",
        "details": "Testa din idé.\n\nhttps://siv.example.org/siv/2026/fran-ide/",
        "location": "Munktell Science Park, Verkstadsgatan 11, 632 20 Eskilstuna",
    }
    for label, host in [("Lägg till i Outlook.com", "outlook.live.com"),
                        ("Outlook i Microsoft 365", "outlook.office.com")]:
        assert found[label].startswith(f"https://{host}/calendar/0/deeplink/compose?")
        outlook = query(found[label])
        assert outlook["subject"] == "Från idé till affär"
        assert outlook["startdt"] == "2026-11-10T09:30:00+01:00"
        assert outlook["enddt"] == "2026-11-10T11:00:00+01:00"
        assert outlook["location"] == "Munktell Science Park, Verkstadsgatan 11, 632 20 Eskilstuna"
    more = block[block.index("<details"):]
    assert more.count("<li") == 4 and more.count("<p>") == 4


@pytest.mark.django_db
def test_the_calendar_action_without_javascript_adds_and_offers_the_subscription(client, edition):
    session = SessionFactory(edition=edition, title="Från idé till affär", slug="fran-ide")
    response = client.post(
        "/siv/mitt-program/stjarna/",
        {"session": session.pk, "action": "add", "next": session.get_absolute_url() + "#kalender"},
        HTTP_SEC_FETCH_SITE="same-origin", follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "”Från idé till affär” finns nu i ditt program." in page
    assert 'href="#kalender"' in page and "Prenumerera på ditt program" in page
    assert 'id="kalender"' in page and "webcal://" in page


@pytest.mark.django_db
def test_english_pages_subscribe_to_english_feeds(client, edition):
    session = SessionFactory(edition=edition, slug="fran-ide")
    _block, found = action_links(client.get("/en" + session.get_absolute_url()))
    assert found["copy"] == "https://siv.example.org/en/siv/2026/fran-ide/"
    assert found["Download the calendar file (.ics)"] == "/en/siv/2026/fran-ide.ics"
    found = links(client.get("/en/siv/2026/?tema=life-science"))
    assert found["copy"] == "https://siv.example.org/en/siv/2026/kalender.ics?tema=life-science"
    assert query(found["Outlook.com"])["name"] == "Sörmland Innovation Week 2026 (selection)"


@pytest.mark.django_db
def test_programme_block_subscribes_to_exactly_the_filters_on_screen(client, edition):
    SessionFactory(edition=edition)
    assert links(client.get("/siv/"))["copy"] == "https://siv.example.org/siv/kalender.ics"
    assert links(client.get("/siv/2026/"))["copy"] == "https://siv.example.org/siv/2026/kalender.ics"
    found = links(client.get("/siv/?tema=smart-industri&q=v%C3%A4tgas&forhandsvisning=0&utm_source=nyhetsbrev"))
    assert found["copy"] == "https://siv.example.org/siv/kalender.ics?tema=smart-industri&q=v%C3%A4tgas"
    assert query(found["Outlook i Microsoft 365"])["name"] == "Sörmlands innovationsvecka (urval)"


@pytest.mark.django_db
def test_organiser_block_subscribes_to_the_organisers_feed(client, edition):
    org = OrganisationFactory(slug="almi", name="Almi")
    SessionFactory(edition=edition, organisers=[org])
    found = links(client.get("/siv/aktorer/almi/"))
    assert found["copy"] == "https://siv.example.org/siv/aktorer/almi/kalender.ics"
    assert query(found["Outlook.com"])["name"] == "Almi – Sörmlands innovationsvecka"


@pytest.mark.django_db
def test_staff_preview_of_a_draft_offers_no_calendar(client, edition, django_user_model):
    draft = SessionFactory(edition=edition, status=Session.Status.DRAFT)
    staff = django_user_model.objects.create_user("redaktor", password="x" * 16, is_staff=True, is_superuser=True)
    login_staff(client, staff)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert 'class="subscribe"' not in response.content.decode()
