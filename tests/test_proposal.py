"""The public proposal form /siv/foresla/: valid, invalid, spam, closed, and the e-mails it sends."""

import datetime
import re
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import formats

from events.models import Session
from events.proposals import sign_start
from tests.factories import EditionFactory, OrganisationFactory, UserFactory, VenueFactory, programme_editor, theme

URL = "/siv/foresla/"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_edition(db):
    """Next year's edition, with its deadline ahead, whatever today's date is."""
    year = datetime.date.today().year + 1
    return EditionFactory(year=year, proposal_deadline=datetime.date(year, 10, 1), is_published=False)


def the_day(edition):
    return edition.start_date.isoformat()


def valid_post(edition, **overrides):
    venue = VenueFactory(name="MITC")
    data = {
        "title": "Idéverkstad för unga", "summary": "Testa din idé på en kväll.", "description": "Vi bjuder på fika.",
        "day": the_day(edition), "start_time": "17:00", "end_time": "19:00", "format": "plats", "venue": venue.pk,
        "themes": [theme("smart-industri").pk], "language": "sv", "organisation": "",
        "new_organisation": "Ungt Företagande Sörmland", "proposer_name": "Saga Lind",
        "proposer_email": "saga@example.org", "consent": "on", "website": "",
        "started": sign_start(time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_errors(response):
    return {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()}


def test_form_page_shows_fields_and_privacy_link(client, open_edition):
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="/siv/integritet/">Så hanterar vi personuppgifter</a>' in page
    assert re.search(r'<div\s+hidden="hidden">\s*<div id="div_id_website"', page)  # people never see the honeypot
    assert response.context["form"]["started"].value()


def test_form_page_in_english(client, open_edition):
    page = client.get("/en" + URL).content.decode()
    assert '<a href="/en/siv/integritet/">' in page


def test_valid_proposal_lands_as_proposed_and_redirects(client, open_edition):
    organisation = OrganisationFactory(name="Almi")
    response = client.post(URL, valid_post(open_edition, organisation=organisation.pk, new_organisation=""))
    assert (response.status_code, response["Location"]) == (302, "/siv/foresla/tack/")
    session = Session.objects.get()
    assert (session.status, session.title, session.slug, session.proposer_email) == (
        "proposed", "Idéverkstad för unga", "ideverkstad-for-unga", "saga@example.org"
    )
    assert (session.local_start.time(), session.local_end.time()) == (datetime.time(17), datetime.time(19))
    assert list(session.organisers.all()) == [organisation]
    assert session.consent_at is not None and session.first_published is None


def test_valid_proposal_with_new_organisation_keeps_its_name(client, open_edition):
    client.post(URL, valid_post(open_edition))
    session = Session.objects.get()
    assert (session.proposed_organisation, session.organisers.count()) == ("Ungt Företagande Sörmland", 0)


def test_valid_proposal_confirmation_page_after_redirect(client, open_edition):
    response = client.post(URL, valid_post(open_edition), follow=True)
    page = response.content.decode()
    assert "Vi har tagit emot ”Idéverkstad för unga”." in page
    assert "En bekräftelse har skickats till saga@example.org." in page


def test_confirmation_page_without_proposal_is_generic(client, open_edition):
    page = client.get("/siv/foresla/tack/").content.decode()
    assert "Vi har tagit emot ditt förslag" in page


def test_valid_proposal_sends_confirmation_and_staff_emails(client, open_edition, settings):
    settings.STAFF_EMAILS = ["program@example.org"]
    client.post(URL, valid_post(open_edition))
    session = Session.objects.get()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["saga@example.org"], f"Vi har tagit emot ditt programförslag till {open_edition.title}"),
        (["program@example.org"], "Nytt programförslag: Idéverkstad för unga"),
    ]
    # anyone can type anybody's address: the confirmation carries nothing the sender wrote
    assert "Saga" not in mail.outbox[0].body and "Idéverkstad" not in mail.outbox[0].body
    assert f"https://siv.example.org/admin/events/proposal/{session.pk}/change/" in mail.outbox[1].body
    assert "Ungt Företagande Sörmland (ny)" in mail.outbox[1].body


def test_staff_email_goes_to_programme_editors_when_no_address_is_set(client, open_edition, settings):
    settings.STAFF_EMAILS = []
    programme_editor(username="anna")
    UserFactory(username="utan-grupp")
    client.post(URL, valid_post(open_edition))
    assert mail.outbox[1].to == ["anna@example.org"]


def test_english_proposal_gets_english_confirmation(client, open_edition):
    response = client.post("/en" + URL, valid_post(open_edition))
    assert response["Location"] == "/en/siv/foresla/tack/"
    assert mail.outbox[0].subject == f"We have received your programme proposal for {open_edition.title}"
    assert "Thank you for your programme proposal" in mail.outbox[0].body


# Invalid posts keep what was typed and say why, next to the field


def test_missing_fields_are_reported_next_to_them_and_input_kept(client, open_edition):
    response = client.post(URL, valid_post(open_edition, title="", proposer_email="inte-en-adress", consent=None))
    assert response.status_code == 200
    assert field_errors(response) == {
        "title": ["Detta fält måste fyllas i."],
        "proposer_email": ["Fyll i en giltig e-postadress."],
        "consent": ["Vi behöver ditt samtycke för att kunna ta emot förslaget."],
    }
    page = response.content.decode()
    assert 'value="Saga Lind"' in page and "Testa din idé på en kväll." in page
    assert 'id="error_1_id_title"' in page  # crispy puts the message by the field
    assert not Session.objects.exists() and mail.outbox == []


def test_end_before_start_is_reported_at_end_time(client, open_edition):
    response = client.post(URL, valid_post(open_edition, end_time="16:00"))
    assert field_errors(response) == {"end_time": ["Sluttiden måste vara efter starttiden."]}


def test_no_organisation_asks_for_one(client, open_edition):
    response = client.post(URL, valid_post(open_edition, new_organisation=""))
    assert field_errors(response) == {"organisation": ["Välj en arrangör i listan eller skriv namnet på en ny."]}


def test_digital_without_link_or_note_asks_for_one(client, open_edition):
    response = client.post(URL, valid_post(open_edition, format="digitalt", venue=""))
    assert list(field_errors(response)) == ["online_url"]


def test_on_site_with_new_place_in_words_is_accepted(client, open_edition):
    client.post(URL, valid_post(open_edition, venue="", venue_other="Ladan, Storgatan 2, Trosa"))
    assert Session.objects.get().description == "Vi bjuder på fika.\n\nFöreslagen plats: Ladan, Storgatan 2, Trosa"


def test_on_site_without_any_place_asks_for_one(client, open_edition):
    response = client.post(URL, valid_post(open_edition, venue=""))
    assert field_errors(response) == {"venue": ["En programpunkt på plats eller hybrid behöver en plats."]}


def test_day_outside_edition_is_refused(client, open_edition):
    response = client.post(URL, valid_post(open_edition, day="2030-01-01"))
    assert list(field_errors(response)) == ["day"]


# Spam: honeypot, too fast, too many; each refusal keeps the text


def test_honeypot_filled_is_refused_and_input_kept(client, open_edition):
    response = client.post(URL, valid_post(open_edition, website="https://spam.example"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Formuläret kunde inte skickas." in page and 'value="Idéverkstad för unga"' in page
    assert not Session.objects.exists()


def test_too_fast_is_refused_with_fresh_timestamp(client, open_edition):
    data = valid_post(open_edition, started=sign_start())
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Formuläret skickades så snabbt att det såg automatiskt ut." in response.content.decode()
    assert response.context["form"]["started"].value() != data["started"]
    assert not Session.objects.exists()


def test_tampered_timestamp_is_refused(client, open_edition):
    response = client.post(URL, valid_post(open_edition, started="12345:fel"))
    assert response.status_code == 400
    assert "Formuläret hade hunnit bli för gammalt." in response.content.decode()


def test_rate_limit_per_address(client, open_edition):
    for number in range(5):
        assert client.post(URL, valid_post(open_edition, title=f"Förslag {number}")).status_code == 302
    response = client.post(URL, valid_post(open_edition, title="Ett till"))
    assert response.status_code == 429
    assert "Många förslag har skickats från din adress den senaste timmen." in response.content.decode()
    other = client.post(URL, valid_post(open_edition, title="Från annan adress"), REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302
    assert Session.objects.count() == 6


# Closed


def test_form_closed_after_deadline(client, open_edition):
    edition = open_edition
    edition.proposal_deadline = datetime.date.today() - datetime.timedelta(days=1)
    edition.save()
    response = client.get(URL)
    page = response.content.decode()
    deadline = formats.date_format(edition.proposal_deadline, "l j F Y")
    assert f"Sista dag för programförslag till {edition.title} var {deadline}. Formuläret är stängt" in page
    assert 'name="title"' not in page
    post = client.post(URL, valid_post(edition))
    assert "Formuläret är stängt" in post.content.decode()
    assert not Session.objects.exists()


def test_form_closed_when_every_edition_has_ended(client, db):
    EditionFactory(year=datetime.date.today().year - 1)
    assert "Just nu tar vi inte emot programförslag." in client.get(URL).content.decode()


def test_title_with_line_break_becomes_one_line(client, open_edition, settings):
    settings.STAFF_EMAILS = ["program@example.org"]
    client.post(URL, valid_post(open_edition, title="Idéverkstad\r\nBcc: spam@example.org"))
    assert Session.objects.get().title == "Idéverkstad Bcc: spam@example.org"
    assert mail.outbox[1].subject == "Nytt programförslag: Idéverkstad Bcc: spam@example.org"


def test_one_line_fields_cannot_forge_lines_in_the_staff_email(client, open_edition, settings):
    settings.STAFF_EMAILS = ["program@example.org"]
    forged = "Saga\n\nGranska och publicera i admin:\r\nhttps://evil.example/\u2028x\tz"
    client.post(URL, valid_post(open_edition, proposer_name=forged, new_organisation="Ny\nArrangör"))
    session = Session.objects.get()
    assert session.proposer_name == "Saga Granska och publicera i admin: https://evil.example/ x z"
    body = mail.outbox[1].body.splitlines()
    assert [line for line in body if line.startswith("Granska")] == ["Granska och publicera i admin:"]
    assert body[body.index("Granska och publicera i admin:") + 1].startswith("https://siv.example.org/")
    assert "Arrangör: Ny Arrangör (ny)" in body


def test_form_and_thanks_pages_are_never_cached(client, open_edition):
    assert "no-cache" in client.get(URL)["Cache-Control"]
    assert "no-cache" in client.get("/siv/foresla/tack/")["Cache-Control"]


def test_mistakes_do_not_count_towards_the_rate_limit(client, open_edition):
    for _ in range(6):
        assert client.post(URL, valid_post(open_edition, title="")).status_code == 200
    assert client.post(URL, valid_post(open_edition)).status_code == 302


def test_robot_like_posts_count_towards_the_rate_limit(client, open_edition):
    for _ in range(5):
        assert client.post(URL, valid_post(open_edition, website="x")).status_code == 400
    assert client.post(URL, valid_post(open_edition)).status_code == 429
    assert not Session.objects.exists()
