"""gunicorn.conf.py, with a real gunicorn serving a tiny WSGI module from a temporary folder: the documented upgrade
(`systemctl reload siv`, i.e. SIGHUP to the master, deploy/siv.service) really loads the new code; forwarded scheme
headers count only behind a proxy (DJANGO_BEHIND_PROXY); the access log never holds a "my programme" token."""

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
pytestmark = pytest.mark.slow
TOKEN = "Hemlig7Token_abc-123"

APP = '''
VERSION = "{version}"


def application(environ, start_response):
    body = f"{{VERSION}} {{environ['wsgi.url_scheme']}}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, headers=None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as response:
        return response.read().decode()


def start(folder, **env):
    """gunicorn with the project's gunicorn.conf.py, run from `folder` as deploy/siv.service runs it."""
    shutil.copy(ROOT / "gunicorn.conf.py", folder / "gunicorn.conf.py")
    port = free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    environment.update(PYTHONDONTWRITEBYTECODE="1", WEB_CONCURRENCY="2", GUNICORN_BIND=f"127.0.0.1:{port}",
                       GUNICORN_ACCESS_LOG=str(folder / "access.log"), **env)  # fmt: skip
    command = [sys.executable, "-m", "gunicorn", "tinyapp:application", "--config", "gunicorn.conf.py"]
    quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen(command, cwd=folder, env=environment, **quiet)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            get(url)
            return server, url
        except OSError:
            time.sleep(0.1)
    server.kill()
    pytest.fail("gunicorn did not start")


@pytest.fixture
def app_folder(tmp_path):
    (tmp_path / "tinyapp.py").write_text(APP.format(version="old"))
    return tmp_path


@pytest.fixture
def servers():
    started = []
    yield started
    for server in started:
        server.terminate()
        server.wait(timeout=40)


def test_reload_as_documented_serves_the_new_code(app_folder, servers):
    server, url = start(app_folder)
    servers.append(server)
    assert get(url) == "old http"

    (app_folder / "tinyapp.py").write_text(APP.format(version="new"))  # the upgrade: new code on disk
    os.kill(server.pid, signal.SIGHUP)  # systemctl reload siv (ExecReload in deploy/siv.service)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        answers = {get(url) for _ in range(6)}  # both workers
        if answers == {"new http"}:
            break
        time.sleep(0.2)
    assert answers == {"new http"}
    assert server.poll() is None  # the same master: a reload, not a restart


def test_forwarded_scheme_counts_only_behind_a_proxy(app_folder, servers):
    https = {"X-Forwarded-Proto": "https"}
    direct, direct_url = start(app_folder)
    servers.append(direct)
    assert get(direct_url, https) == "old http"

    behind, behind_url = start(app_folder, DJANGO_BEHIND_PROXY="1")
    servers.append(behind)
    assert get(behind_url, https) == "old https"


def test_access_log_holds_no_my_programme_token(app_folder, servers):
    server, url = start(app_folder)
    servers.append(server)
    referer = {"Referer": f"https://siv.example.org/siv/mitt-program/{TOKEN}/"}
    for path in (f"/siv/mitt-program/{TOKEN}/", f"/en/siv/mitt-program/{TOKEN}.ics", "/siv/mitt-program/stjarna/"):
        get(url + path, referer)
    server.terminate()
    server.wait(timeout=40)
    log = (app_folder / "access.log").read_text()
    assert TOKEN not in log
    assert log.count('"GET /siv/mitt-program/[token]/ HTTP/1.1" 200') == 1
    assert log.count('"GET /en/siv/mitt-program/[token].ics HTTP/1.1" 200') == 1
    assert log.count('"GET /siv/mitt-program/stjarna/ HTTP/1.1" 200') == 1
    assert log.count('"https://siv.example.org/siv/mitt-program/[token]/"') == 3
