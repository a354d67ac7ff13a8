import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from events.models import Session
from organisers.admin_forms import OrganisationForm
from organisers.models import Organisation
from tests.factories import (
    ContactFactory,
    EditionFactory,
    OrganisationFactory,
    SessionFactory,
    municipality,
    support_type,
)


def image_file(fmt="PNG", size=(120, 60), name=None):
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 90, 140)).save(buffer, fmt)
    return SimpleUploadedFile(name or f"logo.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def form_data(**extra):
    return {
        "name": "Almi", "slug": "almi", "kind": "finansiar", "is_active": "on", "logo_alt": "Almis logotyp", **extra
    }


@pytest.fixture(autouse=True)
def swedish():
    """Forms outside a request speak the active language, which an earlier /en/ request may have left behind."""
    with translation.override("sv"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
@pytest.mark.django_db
def test_logo_upload_accepts_png_jpeg_webp_and_gif(media, fmt):
    form = OrganisationForm(data=form_data(), files={"logo": image_file(fmt)})
    assert form.is_valid(), form.errors
    org = form.save()
    assert org.logo.name.startswith("logos/logo")
    assert Image.open(org.logo.path).format == fmt


@pytest.mark.django_db
def test_logo_upload_rejects_other_image_formats_by_content_not_name(media):
    form = OrganisationForm(data=form_data(), files={"logo": image_file("BMP", name="logo.png")})
    assert not form.is_valid()
    assert form.errors["logo"] == ["Bilden är i formatet BMP. Ladda upp en PNG, JPEG, WebP eller GIF."]


@pytest.mark.django_db
def test_logo_upload_rejects_a_file_that_is_not_an_image(media):
    fake = SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/png")
    form = OrganisationForm(data=form_data(), files={"logo": fake})
    assert not form.is_valid()
    assert len(form.errors["logo"]) == 1
    assert "bild" in form.errors["logo"][0]


@pytest.mark.django_db
def test_logo_upload_rejects_files_over_2_mb(media):
    big = image_file("PNG")
    big.size = 2 * 1024 * 1024 + 1
    form = OrganisationForm(data=form_data(), files={"logo": big})
    assert not form.is_valid()
    assert form.errors["logo"] == ["Filen är 2,0 MB. En logotyp får vara högst 2 MB; spara den mindre och försök igen."]


@pytest.mark.parametrize(
    ("size", "message"),
    [
        ((4001, 10), "Bilden är 4001 × 10 bildpunkter. En logotyp får vara högst 4000 × 4000."),
        ((20, 20), "Bilden är bara 20 × 20 bildpunkter. Använd minst 32 × 32 så att logotypen blir skarp."),
    ],
)
@pytest.mark.django_db
def test_logo_upload_rejects_odd_dimensions(media, size, message):
    form = OrganisationForm(data=form_data(), files={"logo": image_file("PNG", size=size)})
    assert not form.is_valid()
    assert form.errors["logo"] == [message]


@pytest.mark.django_db
def test_logo_needs_alt_text(media):
    form = OrganisationForm(data=form_data(logo_alt=" "), files={"logo": image_file("PNG")})
    assert not form.is_valid()
    assert form.errors["logo_alt"] == ["Skriv en alternativtext för logotypen, till exempel aktörens namn."]


@pytest.fixture
def staff_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "ett-långt-lösenord-123")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_change_form_shows_sessions_per_edition(staff_client):
    org = OrganisationFactory(name="Almi")
    this_year = EditionFactory(year=2026)
    SessionFactory.create_batch(2, edition=this_year, organisers=[org])
    SessionFactory(edition=this_year, organisers=[org], status=Session.Status.DRAFT)
    SessionFactory(edition=EditionFactory(year=2025), organisers=[org])
    html = staff_client.get(reverse("admin:organisers_organisation_change", args=[org.pk])).content.decode()
    assert (
        "<ul><li>2026: 3 programpunkter, varav 2 publika</li><li>2025: 1 programpunkt, varav 1 publik</li></ul>"
    ) in html


@pytest.mark.django_db
def test_admin_change_form_lists_contacts_inline_in_their_order(staff_client):
    org = OrganisationFactory(name="Almi")
    ContactFactory(organisation=org, name="Zeta Sist", order=2)
    ContactFactory(organisation=org, name="Ypsilon Först", order=1)
    html = staff_client.get(reverse("admin:organisers_organisation_change", args=[org.pk])).content.decode()
    assert 'name="contacts-0-order"' in html
    assert html.index('value="Ypsilon Först"') < html.index('value="Zeta Sist"')


@pytest.mark.django_db
def test_admin_upload_via_the_change_form_shows_a_swedish_error(staff_client, media):
    org = OrganisationFactory(name="Almi", slug="almi")
    data = {
        **form_data(),
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0", "contacts-MAX_NUM_FORMS": "1000",
        "logo": image_file("BMP", name="logo.png"),
    }
    response = staff_client.post(reverse("admin:organisers_organisation_change", args=[org.pk]), data)
    assert response.status_code == 200
    assert "Bilden är i formatet BMP. Ladda upp en PNG, JPEG, WebP eller GIF." in response.content.decode()
    org.refresh_from_db()
    assert not org.logo


@pytest.mark.parametrize(
    "query",
    ["?kind__exact=finansiar", "?support_types__id__exact={finance}", "?municipalities__id__exact={place}", "?q=almi"],
)
@pytest.mark.django_db
def test_admin_changelist_filters_and_search(staff_client, query):
    almi = OrganisationFactory(name="Almi", kind=Organisation.Kind.FUNDER)
    almi.support_types.set([support_type("finansiering")])
    almi.municipalities.set([municipality("eskilstuna")])
    OrganisationFactory(name="Annan", kind=Organisation.Kind.ADVISORY)
    url = reverse("admin:organisers_organisation_changelist") + query.format(
        finance=support_type("finansiering").pk, place=municipality("eskilstuna").pk
    )
    response = staff_client.get(url)
    assert response.status_code == 200
    assert [org.name for org in response.context["cl"].result_list] == ["Almi"]


@pytest.mark.django_db
def test_uploaded_logo_is_named_by_its_real_format_and_served_by_the_site(client, media, edition):
    form = OrganisationForm(data=form_data(), files={"logo": image_file("JPEG", name="Almi Logga.png")})
    assert form.is_valid(), form.errors
    org = form.save()
    assert org.logo.name == "logos/almi-logga.jpg"
    page = client.get("/siv/aktorer/almi/").content.decode()
    assert '<img src="/siv/aktorer/almi/logotyp/?v=almi-logga.jpg" alt="Almis logotyp"' in page
    response = client.get("/siv/aktorer/almi/logotyp/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "JPEG"


@pytest.mark.django_db
def test_logo_view_is_404_without_a_logo(client, edition):
    OrganisationFactory(slug="utan")
    assert client.get("/siv/aktorer/utan/logotyp/").status_code == 404
    assert client.get("/siv/aktorer/finns-inte/logotyp/").status_code == 404
