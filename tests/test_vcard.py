import pytest
import vobject

from organisers.vcard import escape, fold
from tests.factories import ContactFactory, OrganisationFactory


@pytest.fixture
def contact(edition):
    org = OrganisationFactory(name="Almi Företagspartner Mälardalen", slug="almi")
    return ContactFactory(
        organisation=org,
        name="Sara Berg-Öhman (exempel)",
        title="Rådgivare, innovation; finansiering",
        unit="Region Mälardalen",
        email="sara@example.org",
        phones="Mobil: 070-174 06 05\nTelefon: 08-46 50 05 01",
    )


def get_vcard(client, contact):
    return client.get(f"/siv/aktorer/{contact.organisation.slug}/kontakt/{contact.pk}.vcf")


@pytest.mark.django_db
def test_vcard_is_served_as_a_utf8_text_vcard_download(client, contact):
    response = get_vcard(client, contact)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sara-berg-ohman.vcf"'


@pytest.mark.django_db
def test_vcard_parses_with_vobject_and_carries_the_right_fields(client, contact):
    card = vobject.readOne(get_vcard(client, contact).content.decode("utf-8"))
    assert card.version.value == "4.0"
    assert card.fn.value == "Sara Berg-Öhman (exempel)"
    assert (card.n.value.family, card.n.value.given) == ("Berg-Öhman", "Sara")
    assert card.org.value == ["Almi Företagspartner Mälardalen", "Region Mälardalen"]
    assert card.title.value == "Rådgivare, innovation; finansiering"
    assert [(tel.value, tel.params["VALUE"], tel.params["TYPE"]) for tel in card.tel_list] == [
        ("tel:+46701740605", ["uri"], ["cell,voice"]),
        ("tel:+46846500501", ["uri"], ["work,voice"]),
    ]
    assert card.email.value == "sara@example.org"
    assert card.url.value == "https://siv.example.org/siv/aktorer/almi/"


@pytest.mark.django_db
def test_vcard_uses_crlf_line_ends_and_escapes_text(client, contact):
    body = get_vcard(client, contact).content.decode("utf-8")
    assert body.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert body.endswith("END:VCARD\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "TITLE:Rådgivare\\, innovation\\; finansiering\r\n" in body
    assert "N:Berg-Öhman;Sara;;;\r\n" in body
    assert 'TEL;VALUE=uri;TYPE="cell,voice":tel:+46701740605\r\n' in body


@pytest.mark.django_db
def test_vcard_of_a_private_contact_is_404(client, contact):
    contact.is_public = False
    contact.save()
    assert get_vcard(client, contact).status_code == 404


@pytest.mark.django_db
def test_vcard_under_another_organisation_is_404(client, contact):
    other = OrganisationFactory(slug="annan")
    assert client.get(f"/siv/aktorer/{other.slug}/kontakt/{contact.pk}.vcf").status_code == 404
    assert client.get("/siv/aktorer/almi/kontakt/999999.vcf").status_code == 404


@pytest.mark.django_db
def test_vcard_with_a_contact_without_phone_title_or_email(client, edition):
    bare = ContactFactory(organisation=OrganisationFactory(slug="bar"), name="Cher", title="", phones="", email="")
    body = get_vcard(client, bare).content.decode("utf-8")
    card = vobject.readOne(body)
    assert card.fn.value == "Cher"
    assert "TEL" not in body and "TITLE" not in body and "EMAIL" not in body


def test_vcard_escape_covers_backslash_comma_semicolon_and_newlines():
    assert escape("a\\b,c;d\ne\r\nf") == "a\\\\b\\,c\\;d\\ne\\nf"


def test_vcard_fold_keeps_lines_within_75_octets_and_characters_whole():
    line = "NOTE:" + "åäö" * 60
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if i else part for i, part in enumerate(parts)) == line


@pytest.mark.django_db
def test_vcard_with_a_long_unit_folds_and_still_parses(client, contact):
    contact.unit = "Avdelningen för mycket långa enhetsnamn som aldrig tar slut, med å, ä och ö " * 2
    contact.save()
    card = vobject.readOne(get_vcard(client, contact).content.decode("utf-8"))
    assert card.org.value == ["Almi Företagspartner Mälardalen", contact.unit]
