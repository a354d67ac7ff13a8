"""The staff second factor (issue 11, item 24) through the real admin login and pages, with real TOTP codes."""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from innovationsvecka import twofactor
from tests.factories import STAFF_PASSWORD, OrganisationFactory, UserFactory, actor_editor, programme_editor

required = override_settings(OTP_REQUIRED=True)
# A minute's wait after one wrong code (production: 1 s, doubling), so a slow test machine can't outlast it.
slow_throttle = override_settings(OTP_TOTP_THROTTLE_FACTOR=60, OTP_STATIC_THROTTLE_FACTOR=60)


def login(client, user, next_url="/admin/"):
    return client.post(
        f"/admin/login/?next={next_url}", {"username": user.username, "password": STAFF_PASSWORD, "next": next_url}
    )


def code_now(key_hex, offset_steps=0):
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * offset_steps
    return f"{totp.token():06d}"


def set_up(client, user):
    """The whole set-up through the pages; returns the confirmed device and the recovery codes shown."""
    client.get("/admin/tvastegsverifiering/ny/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/admin/tvastegsverifiering/ny/", {"code": code_now(device.key)})
    assert response.status_code == 302 and response["Location"] == "/admin/tvastegsverifiering/reservkoder/"
    page = client.get(response["Location"])
    device.refresh_from_db()
    return device, page.context["codes"]


def fresh_login(client, user):
    client.post("/admin/logout/")
    return login(client, user)


@pytest.fixture
def editor(db):
    return programme_editor(username="redaktor")


@required
def test_programme_editor_without_device_is_sent_to_setup_before_any_admin_page(client, editor):
    response = login(client, editor)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    for url in ["/admin/", "/admin/events/session/", "/admin/password_change/", "/admin/tvastegsverifiering/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/tvastegsverifiering/ny/?next="), url
    assert client.post("/admin/events/session/", {}).status_code == 302


@required
def test_superuser_without_device_is_sent_to_setup(client, db):
    boss = UserFactory(username="chef", is_superuser=True)
    login(client, boss)
    assert client.get("/admin/")["Location"] == "/admin/tvastegsverifiering/ny/?next=%2Fadmin%2F"


@required
def test_setup_page_shows_qr_code_and_secret_of_the_same_key(client, editor):
    login(client, editor)
    response = client.get("/admin/tvastegsverifiering/ny/?next=/admin/")
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html
    written = response.context["secret"]
    assert b32decode(written.replace(" ", "")) == bytes.fromhex(device.key)
    assert written in html
    assert "otpauth://totp/S%C3%B6rmlands%20innovationsvecka%3Aredaktor?" in device.config_url
    assert "Ditt konto kan publicera programmet" in html
    # Reloading keeps the same secret until it is confirmed.
    assert client.get("/admin/tvastegsverifiering/ny/").context["secret"] == written


@required
def test_setup_with_real_code_turns_it_on_and_shows_ten_codes_once(client, editor):
    login(client, editor)
    client.get("/admin/tvastegsverifiering/ny/?next=/admin/events/session/")
    device = TOTPDevice.objects.get(user=editor)
    response = client.post("/admin/tvastegsverifiering/ny/?next=/admin/events/session/", {"code": code_now(device.key)})
    assert response["Location"] == "/admin/tvastegsverifiering/reservkoder/?next=%2Fadmin%2Fevents%2Fsession%2F"
    page = client.get(response["Location"])
    codes = page.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert page.context["next"] == "/admin/events/session/"
    assert all(code in page.content.decode() for code in codes)
    # Shown once only.
    assert client.get("/admin/tvastegsverifiering/reservkoder/")["Location"] == "/admin/tvastegsverifiering/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/events/session/").status_code == 200


@required
@slow_throttle
def test_setup_refuses_wrong_code_and_throttles(client, editor):
    login(client, editor)
    client.get("/admin/tvastegsverifiering/ny/")
    device = TOTPDevice.objects.get(user=editor)
    wrong = f"{(int(code_now(device.key)) + 1) % 1000000:06d}"
    response = client.post("/admin/tvastegsverifiering/ny/", {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Koden stämmer inte. Kontrollera att telefonens klocka går rätt och försök igen."
    ]
    # Straight after a wrong try even the right code must wait.
    response = client.post("/admin/tvastegsverifiering/ny/", {"code": code_now(device.key)})
    assert response.status_code == 429
    assert response.context["form"].errors["code"][0].startswith("För många felaktiga koder. Vänta till ")
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/")["Location"].startswith("/admin/tvastegsverifiering/ny/")


@required
def test_user_with_device_is_asked_for_code_after_password(client, editor):
    login(client, editor)
    device, _ = set_up(client, editor)
    response = fresh_login(client, editor)
    assert response["Location"] == "/admin/"
    assert client.get("/admin/")["Location"] == "/admin/tvastegsverifiering/kod/?next=%2Fadmin%2F"
    # The password alone can't replace the device or reach the overview.
    assert client.get("/admin/tvastegsverifiering/ny/")["Location"].startswith("/admin/tvastegsverifiering/kod/")
    assert client.post("/admin/tvastegsverifiering/stang-av/")["Location"].startswith("/admin/tvastegsverifiering/kod/")
    key_before = client.session.session_key
    # The next time step's code: the set-up used the current one, and a code is never accepted twice.
    response = client.post("/admin/tvastegsverifiering/kod/?next=/admin/", {"code": code_now(device.key, 1)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.session.session_key != key_before
    assert client.get("/admin/").status_code == 200
    assert TOTPDevice.objects.filter(user=editor).count() == 1


@required
@slow_throttle
def test_wrong_codes_are_refused_and_throttled(client, editor):
    login(client, editor)
    device, _ = set_up(client, editor)
    fresh_login(client, editor)
    wrong = f"{(int(code_now(device.key)) + 500000) % 1000000:06d}"
    response = client.post("/admin/tvastegsverifiering/kod/", {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "Koden stämmer inte. Skriv den kod som appen visar just nu, eller en reservkod."
    ]
    response = client.post("/admin/tvastegsverifiering/kod/", {"code": code_now(device.key, 1)})
    assert response.status_code == 429
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get("/admin/").status_code == 302
    # After the wait (here: the failure moved back in time) the right code works again.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=61)
    )
    assert client.post("/admin/tvastegsverifiering/kod/", {"code": code_now(device.key, 1)}).status_code == 302
    assert client.get("/admin/").status_code == 200


@required
@slow_throttle
def test_recovery_code_works_once_and_is_throttled(client, editor):
    login(client, editor)
    _, codes = set_up(client, editor)
    fresh_login(client, editor)
    typed = " ".join([codes[0][:4].upper(), codes[0][4:]])  # as people type it
    response = client.post("/admin/tvastegsverifiering/kod/", {"code": typed})
    assert response["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]] == ["Du loggade in med en reservkod. Du har 9 kvar."]

    fresh_login(client, editor)
    response = client.post("/admin/tvastegsverifiering/kod/", {"code": codes[0]})
    assert response.status_code == 200 and response.context["form"].errors["code"]
    # The failure makes the recovery codes wait too, even for a good one.
    response = client.post("/admin/tvastegsverifiering/kod/", {"code": codes[1]})
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302
    assert twofactor.remaining_recovery_codes(editor) == 9


@required
def test_new_recovery_codes_replace_the_old(client, editor):
    login(client, editor)
    _, old = set_up(client, editor)
    response = client.post("/admin/tvastegsverifiering/reservkoder/nya/")
    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    fresh_login(client, editor)
    assert client.post("/admin/tvastegsverifiering/kod/", {"code": old[0]}).status_code == 200
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert client.post("/admin/tvastegsverifiering/kod/", {"code": new[0]}).status_code == 302


@required
def test_required_user_cannot_turn_it_off(client, editor):
    login(client, editor)
    set_up(client, editor)
    response = client.post("/admin/tvastegsverifiering/stang-av/")
    assert response["Location"] == "/admin/tvastegsverifiering/"
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).exists()


@required
def test_actor_editor_is_not_forced_but_may_turn_it_on_and_off(client, db):
    user = actor_editor(OrganisationFactory(), username="aktor")
    login(client, user)
    assert client.get("/admin/").status_code == 200
    overview = client.get("/admin/tvastegsverifiering/")
    assert overview.context["enabled"] is False and overview.context["required"] is False
    device, _ = set_up(client, user)
    fresh_login(client, user)
    assert client.get("/admin/")["Location"].startswith("/admin/tvastegsverifiering/kod/")
    client.post("/admin/tvastegsverifiering/kod/", {"code": code_now(device.key, 1)})
    assert client.post("/admin/tvastegsverifiering/stang-av/")["Location"] == "/admin/tvastegsverifiering/"
    assert not TOTPDevice.objects.filter(user=user).exists()
    fresh_login(client, user)
    assert client.get("/admin/").status_code == 200


@override_settings(OTP_REQUIRED=False)
def test_local_mode_only_offers_it(client, editor):
    login_page = client.get("/admin/login/")
    notice = re.search(r'<p class="second-factor-notice"[^>]*>(.*?)</p>', login_page.content.decode(), re.S)
    assert " ".join(notice.group(1).split()) == (
        "Tvåstegsverifiering erbjuds men krävs inte här, eftersom webbplatsen körs lokalt (DJANGO_LOCAL_HTTP=1). "
        "Du kan slå på den under \"Tvåstegsverifiering\" när du har loggat in. I produktion krävs den av "
        "programredaktörer och superanvändare."
    )
    login(client, editor)
    index = client.get("/admin/")
    assert index.status_code == 200
    assert '<a href="/admin/tvastegsverifiering/">Tvåstegsverifiering</a>' in index.content.decode()
    overview = client.get("/admin/tvastegsverifiering/")
    assert overview.context["required"] is False
    assert "Här är den frivillig." in overview.content.decode()


@required
def test_required_mode_login_page_says_so(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "Programredaktörer och superanvändare loggar in i två steg" in html
    assert "erbjuds men krävs inte" not in html


def test_required_follows_the_environment_by_default(settings):
    # The tests run with DJANGO_LOCAL_HTTP=1 (tests/environment.py), as `make run` does.
    assert settings.OTP_REQUIRED is False


@required
def test_who_must_use_it(db):
    assert twofactor.must_use_second_factor(programme_editor())
    assert twofactor.must_use_second_factor(UserFactory(is_superuser=True))
    assert not twofactor.must_use_second_factor(actor_editor())
    assert not twofactor.must_use_second_factor(UserFactory())  # staff with no rights can't publish


@required
def test_next_must_stay_on_this_site(client, editor):
    login(client, editor)
    client.get("/admin/tvastegsverifiering/ny/")
    device = TOTPDevice.objects.get(user=editor)
    response = client.post("/admin/tvastegsverifiering/ny/?next=https://evil.example/", {"code": code_now(device.key)})
    page = client.get(response["Location"])
    assert page.context["next"] == "/admin/"


def test_anonymous_visitor_goes_to_login(client, db):
    assert client.get("/admin/tvastegsverifiering/ny/")["Location"] == (
        "/admin/login/?next=/admin/tvastegsverifiering/ny/"
    )


@required
def test_lost_phone_superuser_deletes_the_device_and_owner_sets_up_anew(client, editor):
    login(client, editor)
    device, _ = set_up(client, editor)
    boss = UserFactory(username="chef", is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(boss)
    with override_settings(OTP_REQUIRED=False):
        index = admin_client.get("/admin/").content.decode()
        assert "Tvåstegsverifiering: autentiseringsappar" in index
        response = admin_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    fresh_login(client, editor)
    assert client.get("/admin/")["Location"].startswith("/admin/tvastegsverifiering/ny/")


@required
def test_password_alone_shows_no_drafts_on_the_public_site(client, editor, edition):
    from events.models import Session
    from tests.factories import SessionFactory

    SessionFactory(edition=edition, slug="utkast", title="Utkastet", status=Session.Status.DRAFT)
    login(client, editor)
    assert client.get("/siv/2026/utkast/?forhandsvisning=1").status_code == 404
    device, _ = set_up(client, editor)
    assert client.get("/siv/2026/utkast/?forhandsvisning=1").status_code == 200
    fresh_login(client, editor)  # the device is on: the password alone is not enough
    assert client.get("/siv/2026/utkast/?forhandsvisning=1").status_code == 404
    client.post("/admin/tvastegsverifiering/kod/", {"code": code_now(device.key, 1)})
    assert client.get("/siv/2026/utkast/?forhandsvisning=1").status_code == 200
