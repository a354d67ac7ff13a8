"""Production security settings and the headers every response carries.

The test run sets DJANGO_LOCAL_HTTP=1 (tests/environment.py) so that the test client and the live
server can speak plain HTTP. These tests prove the production values without it: settings.py is
imported in a subprocess with nothing but DJANGO_DEBUG=0, a secret key and the allowed hosts, and
those values are then applied to the running site.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.factories import ContactFactory, SessionFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_NAMES = [
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_PROXY_SSL_HEADER",
]
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def production_env(**extra):
    """Exactly what production needs (README "Deploy"): DEBUG off, a secret key, the allowed hosts, the public
    address, and an SMTP server with a sender (or DJANGO_EMAIL_BACKEND=console)."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "DJANGO_SITE_URL": "https://example.org",
        "DJANGO_EMAIL_HOST": "smtp.example.org",
        "DJANGO_DEFAULT_FROM_EMAIL": "SIV <noreply@example.org>",
    }
    env.update(extra)
    return env


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def settings_in_subprocess(env):
    code = (
        "import json, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'innovationsvecka.settings');"
        "from django.conf import settings;"
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {PRODUCTION_NAMES!r}}}))"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def production_values():
    return settings_in_subprocess(production_env())


@pytest.fixture
def production(settings, production_values):
    """The running site with the values settings.py gives a production server."""
    for name, value in production_values.items():
        if name != "DEBUG":
            setattr(settings, name, value)
    return settings


def test_production_settings_are_the_default_without_debug(production_values):
    assert production_values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_local_http_switch_turns_off_only_https_parts():
    local = settings_in_subprocess(production_env(DJANGO_LOCAL_HTTP="1"))
    assert (local["SECURE_SSL_REDIRECT"], local["SECURE_HSTS_SECONDS"], local["SESSION_COOKIE_SECURE"]) == (
        False,
        0,
        False,
    )
    assert (local["DEBUG"], local["X_FRAME_OPTIONS"], local["CSRF_COOKIE_HTTPONLY"]) == (False, "DENY", True)


def test_proxy_header_is_trusted_only_when_asked():
    behind = settings_in_subprocess(production_env(DJANGO_BEHIND_PROXY="1"))
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_check_deploy_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout.strip(), result.stderr.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
        "",
    )


def test_missing_secret_key_refuses_to_start():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='innovationsvecka.settings'; "
                        "from django.conf import settings; settings.DEBUG", env)
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.fixture
def pages(db, edition):
    session = SessionFactory(edition=edition, title="Säker punkt")
    contact = ContactFactory()
    return {
        "programme": "/siv/",
        "edition": "/siv/2026/",
        "session": session.get_absolute_url(),
        "english": "/en/siv/2026/" + session.slug + "/",
        "organisation": contact.organisation.get_absolute_url(),
        "not found": "/siv/2026/finns-inte/",
        "admin login": "/admin/login/",
    }


def security_headers(response):
    names = [
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "Cross-Origin-Opener-Policy",
    ]
    headers = {name: response.headers.get(name) for name in names}
    if headers["Content-Security-Policy"]:  # django-csp writes the directives in no fixed order
        directives = (part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";"))
        headers["Content-Security-Policy"] = {name: value for name, value in directives}
    return headers


@pytest.mark.django_db
def test_main_pages_carry_every_security_header(client, production, pages):
    from django.conf import settings

    expected = {
        "Content-Security-Policy": CSP,
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": settings.PERMISSIONS_POLICY,
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    seen = {}
    for name, url in pages.items():
        response = client.get(url, secure=True)
        seen[name] = (response.status_code, security_headers(response))
    statuses = {name: status for name, (status, _) in seen.items()}
    assert statuses == {
        "programme": 200,
        "edition": 200,
        "session": 200,
        "english": 200,
        "organisation": 200,
        "not found": 404,
        "admin login": 200,
    }
    for name, (_, headers) in seen.items():
        assert headers == expected, name


def test_csp_allows_nothing_inline_or_evaluated(settings):
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    values = " ".join(" ".join(v) for v in directives.values())
    assert "unsafe" not in values
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(client, production, edition):
    response = client.get("/siv/2026/?dag=2026-11-09")
    assert (response.status_code, response["Location"]) == (301, "https://testserver/siv/2026/?dag=2026-11-09")


@pytest.mark.django_db
def test_cookies_are_secure_and_httponly_in_production(client, production):
    response = client.get("/admin/login/", secure=True)
    csrf = response.cookies["csrftoken"]
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"]) == (True, True, "Lax")
    user = get_user_model().objects.create_superuser("chef", "chef@example.org", "ett-langt-losenord-123")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": user.username, "password": "ett-langt-losenord-123", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")


@pytest.mark.django_db
def test_bad_host_header_gets_400(client, production):
    response = client.get("/siv/", secure=True, headers={"host": "evil.example.com"})
    assert response.status_code == 400
    assert b"Traceback" not in response.content


def test_admin_path_comes_from_the_environment():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='innovationsvecka.settings'; import django; django.setup();"
        "from django.urls import reverse, resolve; print(reverse('admin:index'));"
        "from django.urls import Resolver404\n"
        "try:\n    resolve('/admin/'); print('old path answers')\nexcept Resolver404:\n    print('old path gone')"
    )
    result = run_python(code, production_env(DJANGO_ADMIN_PATH="/personal-siv/"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/personal-siv/", "old", "path", "gone"]
