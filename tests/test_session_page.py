import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Session
from tests.conftest import login_staff, text
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    VenueFactory,
    audience,
    local,
    programme_editor,
    the_edition,
    theme,
)

pytestmark = pytest.mark.usefixtures("no_page_cache")


def json_ld(response):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def organiser():
    org = OrganisationFactory(name="Almi Företagspartner", slug="almi", email="info@almi.example", phone="019-17 48 00")
    ContactFactory(organisation=org, name="Publik Person", email="publik@almi.example", phones="Mobil: 070-111 22 33")
    ContactFactory(organisation=org, name="Privat Person", email="privat@almi.example", is_public=False)
    return org


@pytest.mark.django_db
def test_session_page_shows_every_field_in_words(client, edition, organiser):
    venue = VenueFactory(
        name="Munktell Science Park",
        street_address="Verkstadsgatan 5",
        postcode="632 20",
        town="Eskilstuna",
        latitude=Decimal("59.371000"),
        longitude=Decimal("16.500000"),
        accessibility="Hiss och hörslinga.",
    )
    session = SessionFactory(
        edition=edition,
        title="Finansiering",
        slug="finansiering",
        summary="Vem finansierar vad?",
        description="Första stycket.\n\nAndra stycket.",
        start=local(2026, 11, 10, 9),
        end=local(2026, 11, 10, 11, 30),
        format=Session.Format.HYBRID,
        venue=venue,
        online_url="https://meet.example.org/abc",
        themes=[theme("smart-industri")],
        audiences=[audience("idebarare")],
        organisers=[organiser],
        language=Session.Language.BOTH,
        cost="200 kr",
        registration_url="https://example.org/anmal",
        registration_deadline=local(2099, 11, 6, 12),
        capacity=40,
    )
    response = client.get("/siv/2026/finansiering/")
    page = text(response)
    html = response.content.decode()
    assert "Tisdag 10 november 2026 , kl. 09:00–11:30" in page
    assert "Form Hybrid (på plats och digitalt)" in page
    assert "Språk Svenska och engelska" in page
    assert "Kostnad 200 kr" in page
    assert "Passar för Idébärare" in page
    theme_link = r'<a class="theme-label theme-smart-industri" href="/siv/2026/\?tema=smart-industri">.*?Smart industri'
    assert re.search(theme_link, html)
    assert "<p>Första stycket.</p>" in html and "<p>Andra stycket.</p>" in html
    assert "Munktell Science Park, Verkstadsgatan 5, 632 20 Eskilstuna (Eskilstuna)" in page
    assert 'href="https://www.openstreetmap.org/?mlat=59.371000&amp;mlon=16.500000#map=17/59.371000/16.500000"' in html
    assert "<p>Hiss och hörslinga.</p>" in html
    assert '<a href="https://meet.example.org/abc" rel="noopener">Länk till den digitala sändningen</a>' in html
    assert "Anmälan öppen till fredag 6 november kl. 12:00." in page
    assert "40 platser." in page
    assert '<a class="button" href="https://example.org/anmal" rel="noopener">Anmäl dig' in html
    assert "<iframe" not in html
    assert session.title in page


@pytest.mark.django_db
def test_session_page_shows_only_public_contacts_as_links(client, edition, organiser):
    SessionFactory(edition=edition, slug="p", organisers=[organiser], contact=ContactFactory(name="Sessionskontakt"))
    html = client.get("/siv/2026/p/").content.decode()
    assert '<a href="/siv/aktorer/almi/">Almi Företagspartner</a>' in html
    assert '<a href="tel:+4619174800">019-17 48 00</a>' in html
    assert '<a href="mailto:info@almi.example">info@almi.example</a>' in html
    assert "Publik Person" in html and '<a href="tel:+46701112233">070-111 22 33</a>' in html
    assert '<a href="mailto:publik@almi.example">publik@almi.example</a>' in html
    assert "Privat Person" not in html and "privat@almi.example" not in html
    assert "Sessionskontakt" in html


@pytest.mark.django_db
def test_session_page_hides_private_session_contact(client, edition):
    SessionFactory(edition=edition, slug="p", contact=ContactFactory(name="Dold", is_public=False))
    assert "Dold" not in client.get("/siv/2026/p/").content.decode()


@pytest.mark.django_db
def test_digital_session_shows_link_note_and_no_place(client, edition):
    SessionFactory(
        edition=edition,
        slug="d",
        format=Session.Format.DIGITAL,
        venue=None,
        online_note="Länken skickas efter anmälan.",
    )
    response = client.get("/siv/2026/d/")
    page = text(response)
    assert "Digitalt Länken skickas efter anmälan." in page
    assert "Plats" not in page.split("Digitalt", 1)[1].split("Fler programpunkter")[0].replace("platser", "")
    assert "openstreetmap" not in response.content.decode()


@pytest.mark.django_db
def test_full_session_has_no_registration_button(client, edition):
    SessionFactory(edition=edition, slug="f", registration_url="https://example.org/a", is_full=True)
    response = client.get("/siv/2026/f/")
    assert "Fullbokat." in text(response)
    assert "Anmäl dig" not in text(response)


@pytest.mark.django_db
def test_cancelled_session_page_stays_up_and_says_so(client, edition, organiser):
    SessionFactory(
        edition=edition,
        slug="c",
        status=Session.Status.CANCELLED,
        cancellation_note="Flyttas till våren.",
        registration_url="https://example.org/a",
        organisers=[organiser],
    )
    response = client.get("/siv/2026/c/")
    assert response.status_code == 200
    page = text(response)
    assert "Inställt – Den här programpunkten blir inte av. Flyttas till våren." in page
    assert "Anmäl dig" not in page
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


@pytest.mark.django_db
def test_session_page_lists_other_sessions_by_the_same_organisers(client, edition, organiser):
    other_org = OrganisationFactory()
    SessionFactory(edition=edition, slug="main", organisers=[organiser, other_org])
    SessionFactory(edition=edition, slug="same", title="Samma arrangör", organisers=[organiser])
    SessionFactory(edition=edition, slug="second", title="Andra arrangören", organisers=[other_org])
    SessionFactory(edition=edition, slug="draft", title="Utkast", organisers=[organiser], status=Session.Status.DRAFT)
    SessionFactory(edition=edition, slug="x", title="Någon annan", organisers=[OrganisationFactory()])
    response = client.get("/siv/2026/main/")
    assert [s.title for s in response.context["others"]] == ["Andra arrangören", "Samma arrangör"] or [
        s.title for s in response.context["others"]
    ] == ["Samma arrangör", "Andra arrangören"]
    assert "Utkast" not in text(response) and "Någon annan" not in text(response)


@pytest.mark.django_db
def test_session_json_ld_describes_the_event(client, edition, organiser):
    venue = VenueFactory(name="Lokalen", street_address="Storgatan 1", postcode="611 30", town="Nyköping")
    SessionFactory(
        edition=edition,
        slug="j",
        title="Händelse",
        start=local(2026, 11, 11, 13),
        end=local(2026, 11, 11, 15),
        format=Session.Format.HYBRID,
        venue=venue,
        online_url="https://meet.example.org/x",
        organisers=[organiser],
        registration_url="https://example.org/a",
    )
    data = json_ld(client.get("/siv/2026/j/"))
    assert data["@type"] == "Event"
    assert data["name"] == "Händelse"
    assert data["url"] == "https://siv.example.org/siv/2026/j/"
    assert data["startDate"] == "2026-11-11T13:00:00+01:00"
    assert data["endDate"] == "2026-11-11T15:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"] == [
        {
            "@type": "Place",
            "name": "Lokalen",
            "address": {
                "@type": "PostalAddress",
                "addressRegion": "Södermanlands län",
                "addressCountry": "SE",
                "streetAddress": "Storgatan 1",
                "postalCode": "611 30",
                "addressLocality": "Nyköping",
            },
        },
        {"@type": "VirtualLocation", "url": "https://meet.example.org/x"},
    ]
    assert data["organizer"] == [
        {"@type": "Organization", "name": "Almi Företagspartner", "url": "https://siv.example.org/siv/aktorer/almi/"}
    ]
    assert data["offers"]["availability"] == "https://schema.org/InStock"


@pytest.mark.django_db
def test_session_json_ld_is_inert_against_script_injection(client, edition):
    evil = "</script><script>alert(1)</script><!--"
    SessionFactory(edition=edition, slug="evil", title=evil, summary=evil, format=Session.Format.DIGITAL, venue=None)
    response = client.get("/siv/2026/evil/")
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(response)["name"] == evil
    assert json_ld(response)["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert html.count("</script>") == html.count("<script")


@pytest.mark.django_db
def test_draft_session_preview_for_staff_only(client, edition):
    SessionFactory(edition=edition, slug="draft", title="Utkastet", status=Session.Status.DRAFT)
    assert client.get("/siv/2026/draft/").status_code == 404
    login_staff(client, programme_editor())
    response = client.get("/siv/2026/draft/?forhandsvisning=1")
    assert response.status_code == 200
    assert "Förhandsvisning – Så här ser programpunkten ut för besökarna. Den har status ”utkast”." in text(response)
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.django_db
def test_session_in_unpublished_edition_is_hidden_from_public(client):
    EditionFactory(year=2027, is_published=False)
    SessionFactory(edition=the_edition(2027), slug="s")
    assert client.get("/siv/2027/s/").status_code == 404


@pytest.mark.django_db
def test_session_page_in_english(client, edition):
    SessionFactory(edition=edition, slug="e", start=local(2026, 11, 12, 14), end=local(2026, 11, 12, 15))
    response = client.get("/en/siv/2026/e/")
    assert '<html lang="en">' in response.content.decode()
    assert "Thursday 12 November 2026 , 14:00–15:00" in text(response)


def session_page_queries(client, count):
    organisers = OrganisationFactory.create_batch(2)
    for org in organisers:
        ContactFactory.create_batch(2, organisation=org)
    main = SessionFactory(slug="main", organisers=organisers, themes=[theme("life-science")])
    venue = main.venue
    others = Session.objects.bulk_create(
        Session(
            edition=main.edition,
            title=f"Annan {n}",
            slug=f"annan-{n}",
            venue=venue,
            status=Session.Status.PUBLISHED,
            start=local(2026, 11, 9, 8),
            end=local(2026, 11, 9, 9),
        )
        for n in range(count)
    )
    Session.organisers.through.objects.bulk_create(
        Session.organisers.through(session=s, organisation=org) for s in others for org in organisers
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/siv/2026/main/")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_session_page_query_count_is_the_same_for_3_and_300_sessions(client, edition):
    small = session_page_queries(client, 3)
    Session.objects.all().delete()
    large = session_page_queries(client, 300)
    assert small == large == 9


@pytest.mark.django_db
def test_session_contact_is_shown_once_even_if_also_an_organiser_contact(client, edition, organiser):
    person = organiser.contacts.get(name="Publik Person")
    SessionFactory(edition=edition, slug="k", organisers=[organiser], contact=person)
    html = client.get("/siv/2026/k/").content.decode()
    assert html.count("Publik Person") == 1
    assert html.index("Kontaktperson för programpunkten") < html.index("Publik Person")
