"""The visitor's address behind the reverse proxy (django-ipware through DJANGO_TRUSTED_PROXY_COUNT).

Behind nginx every request has REMOTE_ADDR 127.0.0.1; the visitor is the last entry of X-Forwarded-For, which
nginx appends. The admin lockout and the proposal rate limit must count visitors apart, and must never believe the
entries a client writes into the header itself.
"""

import datetime
import subprocess
import sys

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from events.models import Session
from innovationsvecka.client_ip import client_ip, ipware_settings
from tests.factories import STAFF_PASSWORD, EditionFactory, UserFactory
from tests.test_proposal import URL as PROPOSAL_URL
from tests.test_proposal import valid_post
from tests.test_security_headers import ROOT, production_env, run_python

PROXY = "127.0.0.1"
ALICE = "203.0.113.5"
BOB = "198.51.100.7"


def behind(proxies):
    """The settings DJANGO_TRUSTED_PROXY_COUNT=`proxies` gives (see innovationsvecka/settings.py)."""
    return override_settings(TRUSTED_PROXY_COUNT=proxies, **ipware_settings(proxies))


def ip(forwarded=None, remote=PROXY, proxies=0):
    headers = {} if forwarded is None else {"X-Forwarded-For": forwarded}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)
    with behind(proxies):
        ours = client_ip(request)
        # django-axes asks ipware itself; it must reach the same visitor as the proposal limit.
        assert get_client_ip_address(request) == ours
        return ours


# The function


def test_no_proxy_is_the_default_and_ignores_the_header():
    from django.conf import settings

    assert settings.TRUSTED_PROXY_COUNT == 0
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9", headers={"X-Forwarded-For": ALICE})
    assert client_ip(request) == "192.0.2.9"
    assert ip(ALICE, remote="192.0.2.9", proxies=0) == "192.0.2.9"


def test_one_proxy_takes_the_entry_it_appended():
    assert ip(ALICE, proxies=1) == ALICE
    assert ip(f"{BOB},{ALICE}", proxies=1) == ALICE
    assert ip(f" {BOB} ,  {ALICE} ", proxies=1) == ALICE


def test_spoofed_leftmost_entries_are_never_used():
    # The client sent "X-Forwarded-For: 10.9.9.9, 198.51.100.7"; nginx appended the real peer.
    assert ip(f"10.9.9.9, {BOB}, {ALICE}", proxies=1) == ALICE
    assert ip(f"10.9.9.9, {BOB}, {ALICE}, 10.0.0.2", proxies=2) == ALICE


def test_two_proxies_take_the_second_from_the_right():
    # visitor -> load balancer (10.0.0.2) -> nginx -> app: the balancer wrote ALICE, nginx wrote 10.0.0.2.
    assert ip(f"{ALICE}, 10.0.0.2", proxies=2) == ALICE
    assert ip(f"{BOB}, {ALICE}, 10.0.0.2", proxies=2) == ALICE


def test_no_header_behind_one_proxy_falls_back_to_remote_addr():
    assert ip(None, proxies=1) == PROXY
    assert ip("", proxies=1) == PROXY
    assert ip(" , ", proxies=1) == PROXY


def test_fewer_entries_than_proxies_gives_no_address():
    """Not through all the proxies: the entry there is no visitor's, so there is none (the limits say "unknown")."""
    assert ip(ALICE, proxies=2) is None
    assert ip(None, proxies=2) is None


@pytest.mark.parametrize(
    "junk",
    ["unknown", "999.1.1.1", "<script>", "2001:db8::zz", "1.2.3", "_hidden", "localhost"],
)
def test_an_entry_that_is_no_address_is_skipped(junk):
    """Only the client writes entries left of our proxies' (which are always addresses), so skipping one never
    moves the count onto an entry the client chose."""
    assert ip(f"{junk}, {ALICE}", proxies=1) == ALICE
    assert ip(f"{BOB}, {junk}, {ALICE}, 10.0.0.2", proxies=2) == ALICE
    assert ip(junk, proxies=1) == PROXY  # nothing usable in the header: the peer, as without one
    assert ip(f"{junk}, 10.0.0.2", proxies=2) is None


def test_ipv6_is_written_one_way():
    """One visitor always gets one key."""
    assert ip("2001:DB8:0:0::1", proxies=1) == "2001:db8::1"
    assert ip(f"{ALICE}, 2001:db8::1", proxies=1) == "2001:db8::1"
    assert ip("::ffff:203.0.113.5", proxies=1) == ALICE
    assert ip(None, remote="::1") == "::1"
    assert ip(ALICE, remote="2001:db8::7", proxies=0) == "2001:db8::7"
    assert ip(f"{ALICE}:4711", proxies=1) == ALICE
    assert ip("[2001:db8::1]:4711", proxies=1) == "2001:db8::1"


def test_several_header_lines_count_as_one_list():
    # WSGI servers join repeated header lines with commas, in order.
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY)
    request.META["HTTP_X_FORWARDED_FOR"] = f"{BOB},{ALICE}"
    with behind(1):
        assert client_ip(request) == ALICE


def test_remote_addr_that_is_no_address_gives_none():
    assert ip(None, remote="", proxies=0) is None
    assert ip("junk", remote="unix:/run/siv.sock", proxies=1) is None


# The setting, read from the environment


def settings_values(**env):
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'innovationsvecka.settings');"
        "from django.conf import settings;"
        "print(settings.TRUSTED_PROXY_COUNT, settings.AXES_IPWARE_PROXY_COUNT,"
        " getattr(settings, 'AXES_CLIENT_IP_CALLABLE', None), ','.join(settings.AXES_IPWARE_META_PRECEDENCE_ORDER))"
    )
    return run_python(code, production_env(**env))


def test_setting_comes_from_the_environment_and_defaults_to_zero():
    assert settings_values().stdout.split() == ["0", "None", "None", "REMOTE_ADDR"]
    assert settings_values(DJANGO_TRUSTED_PROXY_COUNT="").stdout.split()[0] == "0"
    behind_nginx = ["1", "0", "None", "HTTP_X_FORWARDED_FOR,REMOTE_ADDR"]
    assert settings_values(DJANGO_TRUSTED_PROXY_COUNT="1").stdout.split() == behind_nginx
    assert settings_values(DJANGO_TRUSTED_PROXY_COUNT="2").stdout.split()[:2] == ["2", "1"]


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_setting_that_is_no_count_stops_the_start(value):
    result = settings_values(DJANGO_TRUSTED_PROXY_COUNT=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_TRUSTED_PROXY_COUNT is" in result.stderr


def test_check_deploy_stays_clean_behind_the_proxy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_env(DJANGO_BEHIND_PROXY="1", DJANGO_TRUSTED_PROXY_COUNT="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "System check identified no issues (0 silenced).")


# The admin login lockout (django-axes), through the real login view


def login(client, password, forwarded):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "redaktor", "password": password},
        REMOTE_ADDR=PROXY,
        headers={"X-Forwarded-For": forwarded},
    )


@behind(1)
def test_lockout_behind_proxy_locks_out_only_the_guessing_visitor(client, db):
    UserFactory(username="redaktor")
    for _ in range(4):
        assert login(client, "fel", ALICE).status_code == 200
    assert login(client, "fel", ALICE).status_code == 429
    assert login(client, "fel", f"{BOB}, {ALICE}").status_code == 429  # a made-up entry on the left changes nothing
    assert login(client, STAFF_PASSWORD, ALICE).status_code == 429
    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("redaktor", ALICE)]

    someone_else = login(client, STAFF_PASSWORD, BOB)  # same proxy, same REMOTE_ADDR, another visitor
    assert (someone_else.status_code, someone_else["Location"]) == (302, "/admin/")
    assert "_auth_user_id" in client.session


def test_lockout_without_proxy_setting_ignores_the_header(client, db):
    """Reached directly (the default 0), a guesser cannot escape the lockout by writing new X-Forwarded-For values."""
    UserFactory(username="redaktor")
    for number in range(5):
        login(client, "fel", f"192.0.2.{number}")
    assert login(client, STAFF_PASSWORD, BOB).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [PROXY]


# The proposal form's rate limit


@pytest.fixture
def open_edition(db):
    year = datetime.date.today().year + 1
    return EditionFactory(year=year, proposal_deadline=datetime.date(year, 10, 1), is_published=False)


def propose(client, edition, forwarded, title):
    return client.post(
        PROPOSAL_URL, valid_post(edition, title=title), REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": forwarded}
    )


@behind(1)
def test_rate_limit_behind_proxy_counts_visitors_apart(client, open_edition):
    for number in range(5):
        assert propose(client, open_edition, ALICE, f"Förslag {number}").status_code == 302
    assert propose(client, open_edition, ALICE, "Ett till").status_code == 429
    assert propose(client, open_edition, f"10.1.1.1, {ALICE}", "Med påhittad adress").status_code == 429
    assert propose(client, open_edition, BOB, "Från en annan besökare").status_code == 302
    assert Session.objects.count() == 6


def test_rate_limit_without_proxy_setting_ignores_the_header(client, open_edition):
    for number in range(5):
        assert propose(client, open_edition, f"192.0.2.{number}", f"Förslag {number}").status_code == 302
    assert propose(client, open_edition, BOB, "Ett till").status_code == 429
    assert Session.objects.count() == 5
