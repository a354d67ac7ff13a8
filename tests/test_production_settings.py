"""With DEBUG off the site refuses to start without its public address or a way to send e-mail, prints e-mails
only when asked to (DJANGO_EMAIL_BACKEND=console), and logs a bad Host header in one line, without a traceback."""

import os
import subprocess
import sys

import pytest

from tests.test_security_headers import ROOT, production_env, run_python

SETTINGS = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'innovationsvecka.settings'; "
            "from django.conf import settings; "
            "print(settings.MAILER_EMAIL_BACKEND, settings.SITE_URL, settings.EMAIL_BACKEND)")  # fmt: skip


def start(**env):
    values = production_env(**env)
    return run_python(SETTINGS, {key: value for key, value in values.items() if value is not None})


def test_production_environment_starts_with_smtp():
    result = start()
    assert (result.returncode, result.stdout.split()) == (
        0, ["django.core.mail.backends.smtp.EmailBackend", "https://example.org", "innovationsvecka.mail.QueueBackend"]
    )  # fmt: skip  the site queues every e-mail; the worker hands it to SMTP


def test_missing_site_url_stops_the_start():
    result = start(DJANGO_SITE_URL=None)
    assert result.returncode == 1
    assert "ImproperlyConfigured: DJANGO_SITE_URL is ''; set it to the site's public address" in result.stderr


def test_site_url_without_scheme_stops_the_start():
    result = start(DJANGO_SITE_URL="siv.example.org")
    assert "ImproperlyConfigured: DJANGO_SITE_URL is 'siv.example.org'" in result.stderr


def test_missing_email_setting_stops_the_start():
    result = start(DJANGO_EMAIL_HOST=None)
    assert result.returncode == 1
    assert "ImproperlyConfigured: No way to send e-mail: set DJANGO_EMAIL_HOST" in result.stderr
    assert "DJANGO_EMAIL_BACKEND=console" in result.stderr


def test_smtp_without_a_sender_stops_the_start():
    result = start(DJANGO_DEFAULT_FROM_EMAIL=None)
    assert "ImproperlyConfigured: DJANGO_DEFAULT_FROM_EMAIL is not set" in result.stderr


def test_console_is_an_explicit_choice():
    result = start(DJANGO_EMAIL_HOST=None, DJANGO_DEFAULT_FROM_EMAIL=None, DJANGO_EMAIL_BACKEND="console")
    assert (result.returncode, result.stdout.split()[0]) == (0, "django.core.mail.backends.console.EmailBackend")
    assert "DJANGO_EMAIL_BACKEND is 'konsol'; set it to smtp or console" in start(DJANGO_EMAIL_BACKEND="konsol").stderr


def test_debug_needs_neither():
    result = start(DJANGO_DEBUG="1", DJANGO_SITE_URL=None, DJANGO_EMAIL_HOST=None)
    assert result.stdout.split()[:2] == ["django.core.mail.backends.console.EmailBackend", "http://127.0.0.1:8000"]


BAD_HOST = """
import django
django.setup()
from django.test import Client
print(Client().get("/siv/", HTTP_HOST="evil.example.net").status_code)
"""


def test_bad_host_header_is_one_line_in_the_log_without_a_traceback():
    env = {**os.environ, **production_env(DJANGO_ALLOWED_HOSTS="siv.example.org", DJANGO_LOCAL_HTTP="1"),
           "DJANGO_SETTINGS_MODULE": "innovationsvecka.settings"}  # fmt: skip
    env.pop("DJANGO_DEBUG_PROPAGATE_EXCEPTIONS", None)
    result = subprocess.run([sys.executable, "-c", BAD_HOST], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.stdout.split() == ["400"]
    assert "Invalid HTTP_HOST header: 'evil.example.net'." in result.stderr
    assert "Traceback" not in result.stderr and "File " not in result.stderr


@pytest.mark.django_db
def test_bad_host_gets_the_plain_400_page(client):
    response = client.get("/siv/", HTTP_HOST="evil.example.net")
    assert response.status_code == 400
    assert "<h1>Förfrågan kunde inte tas emot</h1>" in response.content.decode()
