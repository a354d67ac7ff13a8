"""Loaded as a pytest plugin (-p tests.environment) before pytest-django reads the settings."""

import os

# Test settings come from the environment, never from a second settings file.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SITE_URL", "https://siv.example.org")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "console")  # pytest-django swaps in its locmem outbox anyway
# The test client and the browser tests' live server speak plain HTTP. tests/test_security*.py and
# tests/test_headers*.py prove the production values (HTTPS redirect, HSTS, secure cookies) without it.
os.environ.setdefault("DJANGO_LOCAL_HTTP", "1")
# One process-local cache per run, emptied before each test (tests/conftest.py); the multi-server test
# sets its own shared cache for the servers it starts.
os.environ.setdefault("DJANGO_CACHE_URL", "locmem://")
# The site gives up on a database answer after 2 s (1.5 s statement timeout) and answers 503. On a CI machine
# running two test workers, PostgreSQL and the concurrency test's fifty connections at once, an ordinary query
# was once cancelled that way. Tests wait longer; tests/test_database_hang.py proves the 2 s default with a
# server of its own (it drops these variables).
os.environ.setdefault("DJANGO_DB_TIMEOUT", "10")

# Each test process collects the static files (hashed names, as in production) into its own folder. pytest-xdist's
# workers inherit the environment of the process that started them, so a folder made for another process (marked
# by its pid) is not reused: two collectstatic runs writing one manifest at once could read each other's half.
_pid = str(os.getpid())
if "DJANGO_STATIC_ROOT" not in os.environ or os.environ.get("SIV_TEST_STATIC_PID", _pid) != _pid:
    import tempfile

    os.environ["DJANGO_STATIC_ROOT"] = tempfile.mkdtemp(prefix="siv-static-")
    os.environ["SIV_TEST_STATIC_PID"] = _pid
