"""Faults: a lost database answers 503 with a plain page; 404 and 500 are branded; tracebacks never leak."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.utils import translation

from innovationsvecka.views import server_error

ROOT = Path(__file__).resolve().parent.parent

REQUEST_IN_SUBPROCESS = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
answers = {}
for path in ["/siv/", "/siv/2026/", "/en/siv/aktorer/", "/siv/kalender.ics", "/siv/2026/punkt/"]:
    response = client.get(path)
    answers[path] = [response.status_code, response.get("Retry-After"), response.content.decode()]
print(json.dumps(answers))
"""


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def requests_with_database(url, cache_url):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_CACHE_URL": cache_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "innovationsvecka.settings",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", REQUEST_IN_SUBPROCESS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_plain_503(answers):
    assert {path: (status, retry) for path, (status, retry, _) in answers.items()} == {
        path: (503, "30") for path in answers
    }
    for _, _, html in answers.values():
        assert "Webbplatsen är tillfälligt otillgänglig" in html or "temporarily unavailable" in html
        assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.parametrize("cache_url", ["locmem://", "db://"])
def test_unreachable_postgresql_answers_503(cache_url):
    answers = requests_with_database(f"postgres://siv:siv@127.0.0.1:{closed_port()}/siv", cache_url)
    assert_plain_503(answers)


def test_missing_sqlite_directory_answers_503(tmp_path):
    answers = requests_with_database(f"sqlite:///{tmp_path}/borta/db.sqlite3", "locmem://")
    assert_plain_503(answers)


@pytest.mark.django_db
def test_unknown_page_gets_branded_404(client, edition):
    response = client.get("/siv/2026/finns-inte/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in html
    assert 'href="/siv/"' in html and 'class="site-header"' in html


@pytest.mark.django_db
def test_unknown_page_in_english_gets_english_404(client, edition):
    response = client.get("/en/siv/2026/finns-inte/")
    assert response.status_code == 404
    assert '<html lang="en">' in response.content.decode()


def test_server_error_page_is_standalone_and_needs_no_database():
    with translation.override("sv"):
        response = server_error(RequestFactory().get("/siv/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Något gick fel</h1>" in html and 'lang="sv"' in html


def test_database_error_in_middleware_becomes_503():
    from django.db import OperationalError

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(RequestFactory().get("/siv/"))
    assert (response.status_code, response["Retry-After"], response["Cache-Control"]) == (503, "30", "no-store")
