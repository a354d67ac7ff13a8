"""A hung PostgreSQL (frozen, not stopped: connections stay open and nothing answers) gives visitors the 503 page
within 5 seconds, and the site serves again by itself once the database wakes up.

The test starts its own throwaway cluster (initdb on a free port) and a real gunicorn in front of it, and freezes only
that cluster's processes with SIGSTOP. Needs PostgreSQL's binaries (/usr/lib/postgresql/*/bin); skipped without them,
except under CI=true where that is a failure.
"""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def postgres_bin():
    found = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    if found:
        return max(found, key=lambda bindir: int(bindir.parent.name))  # the newest major version
    if os.environ.get("CI") == "true":
        pytest.fail("PostgreSQL's binaries are required in CI (/usr/lib/postgresql/*/bin; see .ci/run)")
    pytest.skip("no PostgreSQL binaries in /usr/lib/postgresql/*/bin")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args):
    """initdb and pg_ctl refuse to run as root: then run them as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture
def own_cluster():
    bindir = postgres_bin()
    data = Path(tempfile.mkdtemp(prefix="siv-hang-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    port = free_port()
    run = dict(check=True, capture_output=True, timeout=120)
    subprocess.run(as_postgres([bindir / "initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]), **run)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"
    log = data / "server.log"
    subprocess.run(as_postgres([bindir / "pg_ctl", "-D", data, "-w", "-l", log, "-o", options, "start"]), **run)
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    try:
        subprocess.run([bindir / "psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-q",
                        "-c", "CREATE DATABASE siv"], **run)  # fmt: skip
        yield f"postgres://postgres@127.0.0.1:{port}/siv", postmaster
    finally:
        freeze(postmaster, signal.SIGCONT)
        subprocess.run(as_postgres([bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def cluster_processes(postmaster):
    """The postmaster and its children (backends, checkpointer, ...): this test's cluster only."""
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster, *map(int, children)]


def freeze(postmaster, how):
    for pid in cluster_processes(postmaster):
        try:
            os.kill(pid, how)
        except ProcessLookupError:
            pass


def get(url):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=40) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    return status, body, time.monotonic() - started


@pytest.fixture
def site(own_cluster):
    database_url, postmaster = own_cluster
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_DEBUG="0", DJANGO_LOCAL_HTTP="1", DJANGO_ALLOWED_HOSTS="127.0.0.1",
               DJANGO_SECRET_KEY="hang-test-" + "h" * 40, DJANGO_SITE_URL="http://127.0.0.1",
               DJANGO_EMAIL_BACKEND="console", DJANGO_SETTINGS_MODULE="innovationsvecka.settings",
               DJANGO_STATIC_ROOT=os.environ["DJANGO_STATIC_ROOT"], DJANGO_LOG_LEVEL="CRITICAL")  # fmt: skip
    for args in (["migrate", "--noinput", "-v0"], ["createcachetable"], ["demo_programme", "--sessions", "5"]):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                       timeout=300)  # fmt: skip
    port = free_port()
    # One worker, so the second request below reuses the connection the first one left behind.
    command = [sys.executable, "-m", "gunicorn", "innovationsvecka.wsgi", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--workers", "1"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if get(url + "/siv/")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield url, postmaster
    finally:
        server.terminate()
        server.wait(timeout=40)


def test_frozen_database_gives_the_503_page_within_5_seconds_and_the_site_recovers(site):
    url, postmaster = site
    pages = ["/siv/", "/siv/arkiv/", "/siv/om/"]
    for path in pages:  # the worker now holds an open connection and the pages are in its memory
        assert get(url + path)[0] == 200

    freeze(postmaster, signal.SIGSTOP)
    try:
        answers = [get(url + path) for path in pages]
    finally:
        freeze(postmaster, signal.SIGCONT)
    print("seconds to the 503 page with the database frozen:", [round(seconds, 2) for *_, seconds in answers])
    for status, body, seconds in answers:
        assert (status, "Webbplatsen är tillfälligt otillgänglig" in body) == (503, True)
        assert seconds < 5

    # Thawed: the very next requests are served again, without restarting anything.
    for path in pages:
        status, body, seconds = get(url + path)
        assert (status, seconds < 5) == (200, True)
