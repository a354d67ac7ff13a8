"""Files with secrets and personal data are private from the moment they are created (umask 077, never a chmod
afterwards): the SQLite database that `make run` creates, and `make backup`'s folder and files. Runs the real make
targets on a copy of the repository in a temporary folder, with the test run's own Python."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.slow


def mode(path):
    return oct(path.stat().st_mode & 0o777)


@pytest.fixture
def checkout(tmp_path):
    """The tracked files only, so nothing of this checkout's var/ comes along."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (name.decode() for name in files)):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    return tmp_path


def environment():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    return {**env, "DJANGO_CACHE_URL": "locmem://"}


def usual_umask():
    """What a login shell usually has (files readable by all); the targets must not depend on it."""
    os.umask(0o022)


def make(*args):
    # BIN: the test run's venv; -o: treat it as installed, so the test never runs pip
    return ["make", "-s", "-o", f"{BIN}/.installed", f"BIN={BIN}", *args]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_run_creates_the_database_readable_by_its_owner_only(checkout):
    port = free_port()
    server = subprocess.Popen(make("run", f"PORT={port}"), cwd=checkout, env=environment(), preexec_fn=usual_umask,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        for _ in range(1200):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/siv/", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert server.poll() is None, "make run stopped"
                time.sleep(0.25)
        else:
            pytest.fail("make run did not serve the site")
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make and the gunicorn it started: this test's own group
        server.wait(timeout=40)
    assert (mode(checkout / "var" / "db.sqlite3"), mode(checkout / "var" / "secret_key")) == ("0o600", "0o600")


def test_make_backup_creates_a_private_folder_and_file(checkout):
    env = {**environment(), "DATABASE_URL": f"sqlite:///{checkout}/source.sqlite3", "DJANGO_SECRET_KEY": "k" * 50,
           "DJANGO_SITE_URL": "http://localhost", "DJANGO_EMAIL_BACKEND": "console"}  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=checkout, env=env, check=True, timeout=300)
    for key in ("DJANGO_SITE_URL", "DJANGO_EMAIL_BACKEND"):  # make backup works without them (it sends nothing)
        del env[key]
    result = subprocess.run(make("backup", f"BACKUP_DIR={checkout}/backups"), cwd=checkout, env=env,
                            preexec_fn=usual_umask, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip().splitlines()[-1])
    assert (backup.parent, mode(backup.parent), mode(backup)) == (checkout / "backups", "0o700", "0o600")
