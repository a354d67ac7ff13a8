"""DJANGO_CACHE_URL=redis://… selects Django's built-in Redis backend, and other processes read the content
version's copy from it (the version itself is a row in the database, innovationsvecka.content)."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server not found: apt-get install redis-server")
        pytest.skip("redis-server not installed")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_redis_cache_url_shares_the_content_version_between_processes(redis_url, tmp_path):
    database = f"sqlite:///{tmp_path / 'siv.sqlite3'}"
    env = {**os.environ, "DJANGO_CACHE_URL": redis_url, "DJANGO_SETTINGS_MODULE": "innovationsvecka.settings",
           "DATABASE_URL": database}  # fmt: skip
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)  # fmt: skip
    assert migrate.returncode == 0, migrate.stderr
    bump = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.cache import cache; from innovationsvecka import content;"
        "print(settings.CACHES['default']['BACKEND']); content.bump(); print(content.content_version())"
    )
    read = "import django; django.setup(); from innovationsvecka import content; print(content.content_version())"
    first = subprocess.run([sys.executable, "-c", bump], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    backend, version = first.stdout.split()
    assert backend == "django.core.cache.backends.redis.RedisCache"
    # A process whose database cannot even be opened still gets the version: it came from Redis
    elsewhere = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'no-such-folder' / 'x.sqlite3'}"}
    second = subprocess.run([sys.executable, "-c", read], cwd=ROOT, env=elsewhere, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert (second.returncode, second.stdout.strip()) == (0, version)
