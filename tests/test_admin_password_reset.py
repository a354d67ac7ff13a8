"""Forgotten staff passwords (issue 15): Django's reset views under the admin, in Swedish, limited like the login,
and never a way around the second factor."""

import re
import time

import pytest
from django.core import mail
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from innovationsvecka import password_reset
from tests.factories import UserFactory, programme_editor

NEW_PASSWORD = "ett-helt-nytt-lösenord-2026"


@pytest.fixture
def editor(db):
    return programme_editor(username="redaktor", email="redaktor@example.org")


def ask(client, email, **extra):
    return client.post("/admin/password_reset/", {"email": email}, **extra)


def reset_link(message):
    return re.search(r"https://siv\.example\.org(/admin/reset/\S+/)", message.body).group(1)


def test_login_page_links_to_reset(client, db):
    html = client.get("/admin/login/").content.decode()
    assert '<a href="/admin/password_reset/">Har du glömt dina inloggningsuppgifter?</a>' in html


def test_reset_form_is_swedish(client, db):
    html = client.get("/admin/password_reset/").content.decode()
    assert "Har du glömt ditt lösenord? Ange din e-postadress nedan" in html
    assert "Nollställ mitt lösenord" in html


def test_reset_sends_swedish_mail_with_link_to_site_address(client, editor):
    response = ask(client, "REDAKTOR@example.org", HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == "/admin/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["redaktor@example.org"]
    assert message.subject == "Nytt lösenord till Sörmlands innovationsvecka"
    assert message.body.startswith("Hej redaktor!\n")
    assert "Öppna länken för att välja ett nytt lösenord." in message.body
    # The site's configured address, not the Host the request named.
    assert "localhost" not in message.body
    assert reset_link(message).startswith("/admin/reset/")


def test_reset_link_sets_new_password_and_second_factor_is_still_asked(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    ask(client, editor.email)
    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    assert set_url.endswith("/set-password/")
    response = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == "/admin/reset/done/"
    done = client.get("/admin/reset/done/")
    assert done.context["login_url"] == "/admin/login/"
    editor.refresh_from_db()
    assert editor.check_password(NEW_PASSWORD)
    # The reset signed no one in.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # Logging in with the new password still stops at the code page, in either mode.
    for required in (True, False):
        with override_settings(OTP_REQUIRED=required):
            client.post("/admin/logout/")
            client.post("/admin/login/?next=/admin/", {"username": "redaktor", "password": NEW_PASSWORD})
            assert client.get("/admin/")["Location"] == "/admin/tvastegsverifiering/kod/?next=%2Fadmin%2F"
    totp = TOTP(bytes.fromhex(device.key))
    totp.time = time.time()
    assert client.post("/admin/tvastegsverifiering/kod/", {"code": f"{totp.token():06d}"}).status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(OTP_REQUIRED=True)
def test_after_reset_editor_without_device_must_set_it_up(client, editor):
    ask(client, editor.email)
    set_url = client.get(reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.post("/admin/login/?next=/admin/", {"username": "redaktor", "password": NEW_PASSWORD})
    assert client.get("/admin/")["Location"].startswith("/admin/tvastegsverifiering/ny/")


def test_unknown_and_non_staff_addresses_get_the_same_answer_and_no_mail(client, db):
    UserFactory(username="besokare", email="besokare@example.org", is_staff=False)
    for email in ["ingen@example.org", "besokare@example.org"]:
        response = ask(client, email)
        assert response["Location"] == "/admin/password_reset/done/"
    assert mail.outbox == []


def test_reset_is_limited_per_email(client, editor):
    for n in range(password_reset.LIMIT_PER_EMAIL):
        assert ask(client, editor.email, REMOTE_ADDR=f"192.0.2.{n + 1}").status_code == 302
    response = ask(client, editor.email, REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429
    assert response.context["form"].errors["email"] == [
        "För många begäranden om nytt lösenord. Försök igen om en timme."
    ]
    assert len(mail.outbox) == password_reset.LIMIT_PER_EMAIL


def test_reset_is_limited_per_address(client, db):
    for n in range(password_reset.LIMIT_PER_ADDRESS):
        assert ask(client, f"person{n}@example.org").status_code == 302
    assert ask(client, "en-till@example.org").status_code == 429
    assert ask(client, "en-till@example.org", REMOTE_ADDR="198.51.100.7").status_code == 302


def test_bad_reset_link_is_refused_politely(client, editor):
    response = client.get("/admin/reset/MQ/fel-token/")
    assert response.status_code == 200
    assert response.context["validlink"] is False
