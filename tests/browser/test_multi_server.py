"""Two gunicorn app servers on one PostgreSQL database: an edit is served by both at once.

The servers share nothing but the database, which also holds the sessions and the cache (the content
version and the page cache), as it would behind a load balancer. Needs PostgreSQL: SIV_POSTGRES_URL (set by
.ci/run) or a postgres:// DATABASE_URL. Skipped without it, except under CI=true where that is a failure.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.slow
PASSWORD = "ett-langt-losenord-for-test"


def postgres_admin_url():
    for name in ("SIV_POSTGRES_URL", "DATABASE_URL"):
        url = os.environ.get(name, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    if os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL is required in CI: set SIV_POSTGRES_URL (see .ci/run)")
    pytest.skip("no PostgreSQL configured (SIV_POSTGRES_URL or a postgres:// DATABASE_URL)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def shared_database():
    import psycopg

    admin_url = postgres_admin_url()
    config = dj_database_url.parse(admin_url)
    name = f"siv_multi_{secrets.token_hex(4)}"
    connect = dict(host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"],
                   password=config["PASSWORD"], dbname=config["NAME"], autocommit=True)  # fmt: skip
    with psycopg.connect(**connect) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**connect) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_CACHE_URL"}  # the database cache
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_LOCAL_HTTP="1",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECRET_KEY="multi-server-test-" + "k" * 40,
        DJANGO_SETTINGS_MODULE="innovationsvecka.settings",
    )
    return env


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def two_servers(shared_database):
    env = server_env(shared_database)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", "from tests.factories import SessionFactory; "
           "SessionFactory(title='Före ändringen', slug='delad-punkt'); from django.contrib.auth.models import User; "
           f"User.objects.create_superuser('redaktor', 'r@example.org', '{PASSWORD}')")  # fmt: skip
    servers, urls = [], []
    try:
        for _ in range(2):
            port = free_port()
            servers.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "innovationsvecka.wsgi", "--bind", f"127.0.0.1:{port}",
                 "--workers", "1", "--config", "gunicorn.conf.py"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            for _ in range(200):
                try:
                    if get(url + "/siv/2026/")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                pytest.fail(f"gunicorn at {url} did not start")
        yield env, urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


def test_edit_through_one_server_is_served_by_the_other_at_once(two_servers, page):
    env, (first, second) = two_servers
    status, headers, html = get(second + "/siv/2026/delad-punkt/")
    programme = get(second + "/siv/2026/")
    assert (status, "Före ändringen" in html, "Före ändringen" in programme[2]) == (200, True, True)
    assert get(second + "/siv/2026/")[2] == programme[2]  # served from the shared page cache

    # A staff member edits the title in the admin of the first server.
    page.goto(first + "/admin/login/?next=/admin/events/session/")
    page.get_by_label("Användarnamn").fill("redaktor")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Före ändringen").click()
    page.locator("#id_title").fill("Efter ändringen")
    page.locator("input[name=_save]").click()
    assert page.locator(".messagelist .success").count() == 1

    # The second server answers with the edit at once, also to a client revalidating its earlier copy.
    for server in (second, first):
        status, _, html = get(server + "/siv/2026/", {"If-None-Match": programme[1]["ETag"]})
        assert (status, "Efter ändringen" in html, "Före ändringen" in html) == (200, True, False)
        status, _, html = get(server + "/siv/2026/delad-punkt/")
        assert (status, "Efter ändringen" in html) == (200, True)
