import json
import re

import pytest

from tests.factories import ContactFactory, OrganisationFactory, SessionFactory

SECRET_NAME = "Hemlig Hemligsson"
SECRET_PHONE = "070-174 06 98"
SECRET_EMAIL = "hemlig.hemligsson@example.org"
# The private phone in every form it could leak in: as typed, as a tel: URI, as digits.
SECRETS = [SECRET_NAME, SECRET_PHONE, "701740698", "70 174 06 98", SECRET_EMAIL, "Hemligsson"]


@pytest.fixture
def world(edition):
    """A private contact wired into every place a contact can appear: organisation, session, edition."""
    org = OrganisationFactory(name="Almi", slug="almi", help_text="Lån och råd.")
    public = ContactFactory(organisation=org, name="Publik Person", phones="Mobil: 070-174 06 05")
    private = ContactFactory(
        organisation=org, name=SECRET_NAME, title="Hemlig titel", phones=f"Mobil: {SECRET_PHONE}",
        email=SECRET_EMAIL, is_public=False,
    )
    session = SessionFactory(edition=edition, title="Fika med Almi", slug="fika", organisers=[org], contact=private)
    edition.coordinator = org
    edition.save()
    edition.contacts.set([public, private])
    return {"org": org, "public": public, "private": private, "session": session}


def assert_no_secret(text, where):
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked in {where}"


PAGES = [
    "/siv/",
    "/siv/2026/",
    "/siv/2026/fika/",
    "/siv/aktorer/",
    "/siv/aktorer/?stod=finansiering",
    "/siv/aktorer/almi/",
    "/siv/integritet/",
    "/en/siv/2026/fika/",
    "/en/siv/aktorer/",
    "/en/siv/aktorer/almi/",
]
FEEDS = ["/siv/kalender.ics", "/siv/2026/kalender.ics", "/siv/kalender.ics?aktor=almi", "/siv/2026/fika.ics"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.django_db
def test_private_contact_never_appears_on_public_pages(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    assert_no_secret(response.content.decode(), url)


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.django_db
def test_private_contact_never_appears_in_calendar_feeds(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "Fika med Almi" in text
    assert_no_secret(text.replace("\r\n ", ""), url)


@pytest.mark.django_db
def test_private_contact_never_appears_in_jsonld(client, world):
    html = client.get("/siv/aktorer/almi/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert [point["name"] for point in data["contactPoint"]] == ["Publik Person"]
    assert_no_secret(json.dumps(data, ensure_ascii=False), "JSON-LD")


@pytest.mark.django_db
def test_private_contact_has_no_vcard_and_public_vcards_do_not_mention_it(client, world):
    private, public = world["private"], world["public"]
    assert client.get(f"/siv/aktorer/almi/kontakt/{private.pk}.vcf").status_code == 404
    card = client.get(f"/siv/aktorer/almi/kontakt/{public.pk}.vcf").content.decode()
    assert "FN:Publik Person" in card
    assert_no_secret(card, "vCard")


@pytest.mark.django_db
def test_contact_made_private_disappears_everywhere_at_once(client, world):
    public = world["public"]
    urls = ["/siv/aktorer/almi/", "/siv/aktorer/", "/siv/kalender.ics?aktor=almi"]
    before = [client.get(url) for url in urls]
    assert "Publik Person" in before[0].content.decode()
    assert client.get(f"/siv/aktorer/almi/kontakt/{public.pk}.vcf").status_code == 200
    public.is_public = False
    public.save()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert "Publik Person" not in response.content.decode(), url
    assert client.get(f"/siv/aktorer/almi/kontakt/{public.pk}.vcf").status_code == 404


@pytest.mark.django_db
def test_privacy_note_says_what_why_how_long_and_whom_to_ask(client, world):
    html = client.get("/siv/integritet/").content.decode()
    assert "<h1>Integritet och personuppgifter</h1>" in html
    for heading in [
        "Vilka personuppgifter visas?",
        "Varför visar vi dem?",
        "Förslag till programmet",
        "Hur länge sparas uppgifterna?",
        "Dina rättigheter och vem du frågar",
    ]:
        assert f"<h2>{heading}</h2>" in html
    assert "allmänt intresse (artikel 6.1 e i dataskyddsförordningen)" in html
    assert '<li><a href="/siv/aktorer/almi/">Almi</a></li>' in html


@pytest.mark.django_db
def test_privacy_note_in_english(client, world):
    html = client.get("/en/siv/integritet/").content.decode()
    assert "<h1>Privacy and personal data</h1>" in html
    assert "<h2>Which personal data are shown?</h2>" in html
    assert "a task in the public interest (Article 6(1)(e) of the General Data Protection Regulation)" in html


@pytest.mark.django_db
def test_privacy_note_is_linked_from_every_footer(client, world):
    for url in ["/siv/2026/", "/siv/aktorer/", "/siv/aktorer/almi/"]:
        html = client.get(url).content.decode()
        footer = html[html.index("<footer"):]
        assert 'href="/siv/integritet/"' in footer, url
    html = client.get("/en/siv/aktorer/").content.decode()
    assert 'href="/en/siv/integritet/"' in html[html.index("<footer"):]
