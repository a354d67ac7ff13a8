"""Request bodies (innovationsvecka/request_limits.py, settings.REQUEST_BODY_MAX_BYTES and DATA_UPLOAD_MAX_MEMORY_SIZE):
more than 5 MB is refused with 413 before it is read, a form's fields past 1 MB get the 400 page, and the largest
real forms (a 2 MB logo) still go through to the form's own checks. Never a 500."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from organisers.models import Organisation
from tests.factories import EditionFactory, UserFactory

ADD_ORGANISATION = "/admin/organisers/organisation/add/"
MB = 1024 * 1024


@pytest.fixture
def staff_client(client, db):
    client.force_login(UserFactory(username="chef", is_superuser=True))
    return client


def organisation_post(logo):
    return {"name": "Almi", "slug": "almi", "kind": "finansiar", "is_active": "on", "logo_alt": "Almis logotyp",
            "logo": logo, "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"}  # fmt: skip


def test_upload_over_5_mb_is_refused_with_413_before_it_is_read(staff_client):
    response = staff_client.post(ADD_ORGANISATION, organisation_post(SimpleUploadedFile("logo.png", b"x" * 6 * MB)))
    html = response.content.decode()
    assert (response.status_code, response["Content-Type"]) == (413, "text/html; charset=utf-8")
    assert "<h1>Det du skickade är för stort</h1>" in html and "högst 5 MB i ett formulär" in html
    assert Organisation.objects.count() == 0


def test_declared_length_alone_decides(client, db):
    """A client that announces 60 MB is answered at once; nothing waits for the 60 MB to arrive."""
    response = client.generic("POST", "/siv/foresla/", b"", content_type="text/plain", CONTENT_LENGTH=str(60 * MB))
    assert response.status_code == 413


def test_logo_of_3_mb_reaches_the_forms_own_message(staff_client):
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(buffer, "PNG")  # noise: it stays 3 MB
    assert 2.5 * MB < len(buffer.getvalue()) < 5 * MB
    response = staff_client.post(ADD_ORGANISATION, organisation_post(SimpleUploadedFile("logo.png", buffer.getvalue())))
    assert response.status_code == 200
    assert "En logotyp får vara högst 2 MB" in response.content.decode()


def test_form_fields_over_1_mb_get_the_400_page(client, db):
    year = datetime.date.today().year + 1
    EditionFactory(year=year, proposal_deadline=datetime.date(year, 10, 1), is_published=False)
    response = client.post("/siv/foresla/", {"title": "Lång", "description": "å" * MB})
    assert response.status_code == 400
    assert "<h1>Förfrågan kunde inte tas emot</h1>" in response.content.decode()
