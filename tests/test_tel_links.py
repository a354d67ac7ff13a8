"""Phone numbers become tel: links a phone can dial (phonenumbers, Swedish numbers unless a country code says else)."""

import pytest

from organisers.models import tel_href
from organisers.vcard import build_vcard
from tests.factories import ContactFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("070-123 45 67", "tel:+46701234567"),
        ("+46 (0)70-123 45 67", "tel:+46701234567"),  # the bracketed trunk zero is not dialled from abroad
        ("0046 70 123 45 67", "tel:+46701234567"),
        ("016-10 20 30", "tel:+4616102030"),
        ("08-46 50 05 00", "tel:+46846500500"),
        ("0155-24 50 00", "tel:+46155245000"),
        ("+44 20 7946 0958", "tel:+442079460958"),
    ],
)
def test_numbers_become_international_tel_uris(written, href):
    assert tel_href(written) == href


@pytest.mark.parametrize("written", ["ring växeln", "12", "", "växel"])
def test_text_that_is_no_number_gets_no_link(written):
    assert tel_href(written) == ""


@pytest.mark.django_db
def test_a_line_that_is_no_number_is_shown_as_text(client, edition):
    org = OrganisationFactory(slug="almi", phone="se webbplatsen")
    contact = ContactFactory(
        organisation=org, name="Sara Berg", is_public=True, phones="Mobil: 070-174 06 05\nVäxel: fråga i receptionen"
    )
    html = client.get("/siv/aktorer/almi/").content.decode()
    assert "<dd>se webbplatsen</dd>" in html
    assert '<p>Mobil: <a href="tel:+46701740605">070-174 06 05</a></p>' in html
    assert "<p>Växel: fråga i receptionen</p>" in html
    assert 'href="tel:"' not in html
    card = build_vcard(contact=contact, organisation_url="https://example.org/siv/aktorer/almi/")
    assert 'TEL;VALUE=uri;TYPE="cell,voice":tel:+46701740605\r\n' in card
    assert 'TEL;VALUE=text;TYPE="work,voice":fråga i receptionen\r\n' in card
