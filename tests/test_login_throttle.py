"""Admin login posts are limited per visitor address (innovationsvecka/throttle.py), whatever the user names, and
refused with a Swedish 429 page before any password is checked. Through the real admin login view."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.test import override_settings

from innovationsvecka import throttle
from innovationsvecka.client_ip import ipware_settings
from tests.factories import UserFactory

LOGIN_URL = "/admin/login/?next=/admin/"
PASSWORD = "ett-langt-losenord-for-test"
ALICE, BOB, PROXY = "203.0.113.7", "198.51.100.23", "127.0.0.1"


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    """What is counted is the posts, not the hashing: a fast hasher keeps 20 logins quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def minute(monkeypatch):
    """The counters' minute, held still so a test never straddles two."""
    now = {"window": 29_000_000}
    monkeypatch.setattr(throttle, "current_window", lambda: now["window"])
    return now


@pytest.fixture
def password_checks():
    """Logins that reached the password check and failed (django.contrib.auth sends this after checking)."""
    failed = []

    def record(sender, credentials, request, **kwargs):
        failed.append(credentials["username"])

    user_login_failed.connect(record)
    yield failed
    user_login_failed.disconnect(record)


def login(client, username, password="fel", address=ALICE, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


@pytest.mark.django_db
def test_new_user_names_from_one_address_are_refused_after_20_posts(client, minute, password_checks):
    for number in range(20):
        response = login(client, f"gissning{number}")
        assert response.status_code == 200  # the login form again, with its error
    assert len(password_checks) == 20

    refused = login(client, "gissning20")
    html = refused.content.decode()
    assert (refused.status_code, refused["Retry-After"]) == (429, "60")
    assert "<h1>För många inloggningsförsök</h1>" in html and "Vänta en minut och försök igen." in html
    assert len(password_checks) == 20  # refused before the password was checked
    assert AccessAttempt.objects.filter(username="gissning20").count() == 0


@pytest.mark.django_db
def test_the_right_password_is_refused_too_until_the_next_minute(client, minute):
    UserFactory(username="redaktor", password=PASSWORD, is_staff=True)
    for number in range(20):
        login(client, f"gissning{number}")
    assert login(client, "redaktor", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    minute["window"] += 1
    response = login(client, "redaktor", PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_another_address_still_logs_in(client, minute):
    UserFactory(username="redaktor", password=PASSWORD, is_staff=True)
    for number in range(21):
        login(client, f"gissning{number}", address=ALICE)
    response = login(client, "redaktor", PASSWORD, address=BOB)
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1, **ipware_settings(1))
def test_behind_the_proxy_each_visitor_is_counted_apart(client, minute, password_checks):
    for number in range(21):
        login(client, f"gissning{number}", address=PROXY, headers={"X-Forwarded-For": ALICE})
    assert login(client, "x", address=PROXY, headers={"X-Forwarded-For": f"{BOB}, {ALICE}"}).status_code == 429
    assert login(client, "x", address=PROXY, headers={"X-Forwarded-For": BOB}).status_code == 200
    assert len(password_checks) == 21


@pytest.mark.django_db
def test_viewing_the_login_page_is_never_counted(client, minute):
    for _ in range(30):
        assert client.get(LOGIN_URL, REMOTE_ADDR=ALICE).status_code == 200
    assert login(client, "redaktor").status_code == 200
