"""Loaded as a pytest plugin (-p tests.environment) before pytest-django reads the settings."""

import os

# Test settings come from the environment, never from a second settings file.
os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SITE_URL", "https://siv.example.org")

# Each test run collects the static files (hashed names, as in production) into its own folder.
if "DJANGO_STATIC_ROOT" not in os.environ:
    import tempfile

    os.environ["DJANGO_STATIC_ROOT"] = tempfile.mkdtemp(prefix="siv-static-")
