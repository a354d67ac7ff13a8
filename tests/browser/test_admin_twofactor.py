"""Setting up the second factor in Chromium: a Programredaktör's first login in production mode, on a phone-width
and a desktop-width window, with the strict CSP and axe watching."""

import time
from base64 import b32encode

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import STAFF_PASSWORD, programme_editor


def watch_csp(page):
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations


def code_now(key_hex, offset_steps=0):
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = time.time() + 30 * offset_steps
    return f"{totp.token():06d}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1366])
@override_settings(OTP_REQUIRED=True)
def test_first_login_sets_up_the_app(live_server, page, axe_violations, tmp_path, width):
    editor = programme_editor(username="redaktor")
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch_csp(page)
    page.goto(f"{live_server.url}/admin/login/")
    assert "loggar in i två steg" in page.locator("#second-factor-notice").inner_text()
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/admin/tvastegsverifiering/ny/?next=%2Fadmin%2F")

    qr = page.get_by_role("img", name="QR-kod för att lägga till kontot i autentiseringsappen")
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["x"] + box["width"] <= width
    # Nothing wider than the window: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    device = TOTPDevice.objects.get(user=editor)
    secret = page.locator(".twofactor-secret code").inner_text()
    assert secret.replace(" ", "") == b32encode(bytes.fromhex(device.key)).decode()
    assert violations == []
    assert axe_violations(page) == []
    violations.clear()  # axe-core itself applies inline styles while it checks contrast
    page.screenshot(path=str(tmp_path / f"setup-{width}.png"), full_page=True)

    page.get_by_label("Skriv koden som appen visar:").fill(code_now(device.key))
    page.get_by_role("button", name="Slå på").click()
    page.wait_for_url(f"{live_server.url}/admin/tvastegsverifiering/reservkoder/?next=%2Fadmin%2F")
    assert page.locator(".twofactor-codes li").count() == 10
    assert violations == []
    assert axe_violations(page) == []
    violations.clear()
    page.screenshot(path=str(tmp_path / f"codes-{width}.png"), full_page=True)
    page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert violations == []

    # The next login asks for a code after the password.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/admin/tvastegsverifiering/kod/?next=%2Fadmin%2F")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert violations == []
    assert axe_violations(page) == []
    violations.clear()
    page.screenshot(path=str(tmp_path / f"verify-{width}.png"), full_page=True)
    page.get_by_label("Kod").fill(code_now(device.key, 1))  # the set-up used this step's code
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert violations == []
