"""Benchmark: build programmes of 300 and 3,000 sessions, serve them with gunicorn and measure.

    python bench/run.py [--sizes 300 3000] [--duration 5] [--cache db|locmem|redis] [--output docs/benchmarks.md]

For each size it builds a separate SQLite database under var/bench/ (or PostgreSQL with --database-url, a
database that will be emptied), serves it with gunicorn (2 workers, DEBUG off, 127.0.0.1) and, for every
URL, with the page cache off and on, measures:
- latency (median and p95) with one connection: the time one worker needs for one request;
- requests per second with 16 connections (wrk, 2 threads); any non-2xx/3xx answer fails the run;
- SQL queries per request (Django's test client in a separate process, same database).
A static file of the same size as /siv/, served by whitenoise, is the ceiling of this stack.

Then, with one gunicorn worker and the page cache on, the full feed /siv/kalender.ics right after a staff
edit of one session (each event comes from the per-event cache but the edited one), and with an empty
cache, as after a deploy (every event built). These need a cache the bench process shares with gunicorn
(db or redis); --feed-rebuilds-only measures just these.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
PYTHON = sys.executable
LUA_PERCENTILES = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %d\\n", latency:percentile(50), latency:percentile(95), summary.requests))
end
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(database_url, cache_url, page_cache):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_LOCAL_HTTP="1",
        DJANGO_SECRET_KEY="bench-" + "s" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SITE_URL="http://127.0.0.1",
        DJANGO_EMAIL_BACKEND="console",
        DJANGO_STATIC_ROOT=str(WORK / "static"),
        DJANGO_PAGE_CACHE="1" if page_cache else "0",
        DJANGO_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="innovationsvecka.settings",
    )
    if cache_url:
        env["DJANGO_CACHE_URL"] = cache_url
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def build_database(size, database_url, env):
    """A fresh database with the sample programme at the given size (demo_programme --sessions N)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        manage(env, "flush", "--noinput")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    started = time.monotonic()
    # One transaction: SQLite would otherwise wait for the disk after every single row.
    code = "from django.db import transaction\nfrom django.core.management import call_command\n"
    code += f"with transaction.atomic():\n    call_command('demo_programme', year=2026, sessions={size})\n"
    manage({**env, "DJANGO_CACHE_URL": "locmem://"}, "shell", "-c", code)
    return time.monotonic() - started


MEASURE = r"""
import json, sys, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from events.models import Session

paths = json.loads(sys.argv[1])
client = Client()
first = Session.objects.public().filter(edition__year=2026).order_by("start", "pk").first()
out = {"session": first.get_absolute_url()}
for name, (path, headers) in paths.items():
    path = path.replace("{session}", out["session"])
    counts = []
    for page_cache in (False, True):
        settings.PAGE_CACHE = page_cache
        cache.clear()
        client.get(path)  # warm: the content version, and the page cache when it is on
        hdrs = dict(headers)
        if hdrs.get("If-None-Match") == "{etag}":
            hdrs["If-None-Match"] = client.get(path)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=hdrs)
        counts.append(len(queries))
    out[name] = {"path": path, "queries": counts, "status": response.status_code, "size": len(response.content),
                 "etag": response.get("ETag")}
print("RESULT " + json.dumps(out))
"""


# What a staff edit costs the next visitor of /siv/: the page cache on and warm, one session saved (which
# changes the content version, so every cached page is out of date), then /siv/ again, in-process. The
# median of 5 edits, wall-clock ms, next to a page-cache hit for scale.
EDIT_COST = r"""
import json, statistics, time, django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from events.models import Session

settings.PAGE_CACHE = True
client = Client()
session = Session.objects.public().filter(edition__year=2026).order_by("start", "pk").first()
cache.clear()
after_edit, hit = [], []
for _ in range(5):
    client.get("/siv/")
    started = time.perf_counter()
    client.get("/siv/")
    hit.append((time.perf_counter() - started) * 1000)
    session.save()
    started = time.perf_counter()
    assert client.get("/siv/").status_code == 200
    after_edit.append((time.perf_counter() - started) * 1000)
print("RESULT " + json.dumps({"after_edit_ms": statistics.median(after_edit), "hit_ms": statistics.median(hit)}))
"""
EDIT_COSTS = {}  # size: {"after_edit_ms": ..., "hit_ms": ...}


def measure_edit_cost(env):
    result = subprocess.run([PYTHON, "-c", EDIT_COST], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def measure_queries(env, urls):
    result = subprocess.run([PYTHON, "-c", MEASURE, json.dumps(urls)], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=True)  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


class Gunicorn:
    def __init__(self, env, workers=2, root=ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "innovationsvecka.wsgi", "--config", "gunicorn.conf.py", "--bind",
             f"127.0.0.1:{self.port}", "--workers", str(workers), "--max-requests", "0",
             "--error-logfile", str(WORK / "gunicorn.log")],
            cwd=root, env={**env, "GUNICORN_ACCESS_LOG": ""}, start_new_session=True,
        )  # fmt: skip
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url + "/siv/", timeout=5).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not start; see var/bench/gunicorn.log")

    def wait_idle(self, timeout=60):
        """Wait until the workers stop using CPU. wrk stops after its time, but the requests it left
        queued (16 connections to a page that takes half a second) are still served afterwards and would
        be counted against the next measurement."""
        deadline = time.monotonic() + timeout
        last, still = None, 0
        while still < 3 and time.monotonic() < deadline:
            ticks = 0
            for pid in self.worker_pids():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime + stime
            still = still + 1 if ticks == last else 0
            last = ticks
            time.sleep(0.1)

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def wrk(url, *, connections, threads, duration, headers=(), script=None):
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency", "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "non_2xx_3xx": int(non_ok.group(1)) if non_ok else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "output": output,
    }
    bench = re.search(r"BENCH (\d+) (\d+) (\d+)", output)
    if bench:
        result["median_ms"], result["p95_ms"] = int(bench.group(1)) / 1000, int(bench.group(2)) / 1000
    return result


FEED_REBUILDS = r"""
import json, os, statistics, sys, time, urllib.request, django
django.setup()
from django.core.cache import cache
from innovationsvecka import content, pagecache
from events.models import Session

url, edits, empties, worker = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
cpu = []


def worker_ticks():
    fields = open(f"/proc/{worker}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def get():
    ticks = worker_ticks()
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        body = response.read()
        assert response.status == 200, response.status
    cpu.append((worker_ticks() - ticks) * TICK_MS)
    return (time.perf_counter() - started) * 1000, body


def summary(times):
    times = sorted(times)
    median, p95 = statistics.median(times), times[min(len(times) - 1, round(0.95 * len(times)))]
    return {"median_ms": median, "p95_ms": p95, "cpu_ms": sum(cpu[-len(times):]) / len(times)}


get()
_, body = get()
sessions = list(Session.objects.public().filter(edition__year=2026).order_by("start", "pk"))
edited = sessions[len(sessions) // 2]
title = edited.title
times = []
try:
    for n in range(edits):
        edited.title = f"{title} ({n})"
        edited.save()  # as the admin saves: a new `updated`, and the content version changes
        ms, new = get()
        assert new.count(b"BEGIN:VEVENT") == body.count(b"BEGIN:VEVENT") and new != body
        times.append(ms)
        body = new
finally:
    edited.title = title
    edited.save()
out = {"edited": summary(times), "bytes": len(body)}
print("RESULT " + json.dumps(out))
"""


EMPTY_FEED = r"""
import json, sys, time, urllib.request, django
django.setup()
from django.core.cache import cache
from innovationsvecka import content

cache.clear()
content.bump()
started = time.perf_counter()
with urllib.request.urlopen(sys.argv[1], timeout=60) as response:
    assert response.status == 200 and response.read().count(b"BEGIN:VEVENT")
print("RESULT " + json.dumps({"ms": (time.perf_counter() - started) * 1000}))
"""


def feed_rebuilds(database_url, cache_url, *, edits=30, empties=5):
    """The full feed after one edit and with an empty cache, one worker, page cache on (see the docstring).

    "Empty" is what a deploy leaves: a new worker process (nothing in its page or event memory) and an empty
    shared cache, so each of those requests gets a gunicorn of its own, the first request it serves.
    """
    env = base_env(database_url, cache_url, page_cache=True)
    server = Gunicorn(env, workers=1)
    try:
        server.wait_idle()
        load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
        worker = server.worker_pids()[0]
        command = [PYTHON, "-c", FEED_REBUILDS, server.url + "/siv/kalender.ics", str(edits), "0", str(worker)]
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    finally:
        server.stop()
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    out = {**json.loads(line.removeprefix("RESULT ")), "load": load}
    times = []
    for _ in range(empties):
        server = Gunicorn(env, workers=1)
        try:
            server.wait_idle()
            command = [PYTHON, "-c", EMPTY_FEED, server.url + "/siv/kalender.ics"]
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
        finally:
            server.stop()
        times.append(json.loads(next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))[7:])["ms"])
    times.sort()
    out["empty"] = {"median_ms": statistics.median(times), "p95_ms": times[-1], "cpu_ms": None}
    return out


def urls_for(static_name):
    return {
        "/siv/": ("/siv/", {}),
        "/siv/ filtered": ("/siv/?tema=smart-industri&dag=2026-11-10", {}),
        "session page": ("{session}", {}),
        "organisers": ("/siv/aktorer/", {}),
        "/siv/kalender.ics": ("/siv/kalender.ics", {}),
        "filtered feed": ("/siv/kalender.ics?tema=smart-industri", {}),
        "feed 304": ("/siv/kalender.ics", {"If-None-Match": "{etag}"}),
        "sessions.json": ("/siv/api/v1/sessions.json", {}),
        "static file": (f"/static/bench/{static_name}", {}),
    }


def run_size(size, args, cache_url, script):
    database_url = args.database_url or f"sqlite:///{WORK / f'bench-{size}.sqlite3'}"
    env = base_env(database_url, cache_url, page_cache=False)
    existing = database_url.startswith("sqlite:///") and Path(database_url.removeprefix("sqlite:///")).exists()
    if args.reuse and existing:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        build_seconds = 0.0
    else:
        build_seconds = build_database(size, database_url, env)
    rebuilds = feed_rebuilds(database_url, cache_url) if args.cache != "locmem" else None
    if args.feed_rebuilds_only:
        return [], build_seconds, rebuilds
    # A static file as large as /siv/ at this size, collected with the rest so whitenoise serves it.
    urls = urls_for(f"siv-{size}.html")
    first = measure_queries(env, {"/siv/": urls["/siv/"]})
    (WORK / "static" / "bench").mkdir(parents=True, exist_ok=True)
    (WORK / "static" / "bench" / f"siv-{size}.html").write_bytes(b"x" * first["/siv/"]["size"])
    queries = measure_queries(env, {k: v for k, v in urls.items() if k != "static file"})
    rows = []
    for page_cache in (False, True):
        server = Gunicorn(base_env(database_url, cache_url, page_cache))
        try:
            for name, (path, headers) in urls.items():
                if name == "static file" and page_cache:
                    continue
                path = path.replace("{session}", queries["session"])
                header_list = [f"{k}: {queries[name]['etag'] if v == '{etag}' else v}" for k, v in headers.items()]
                server.wait_idle()
                one = wrk(server.url + path, connections=1, threads=1, duration=args.duration, headers=header_list,
                          script=script)  # fmt: skip
                server.wait_idle()
                many = wrk(server.url + path, connections=16, threads=2, duration=args.duration, headers=header_list)
                bad = one["non_2xx_3xx"] + many["non_2xx_3xx"] + one["socket_errors"] + many["socket_errors"]
                if bad:
                    raise SystemExit(f"{name} at {size}: {bad} errors or non-2xx/3xx answers\n{many['output']}")
                rows.append({
                    "size": size, "name": name, "page_cache": page_cache if name != "static file" else None,
                    "median_ms": one["median_ms"], "p95_ms": one["p95_ms"], "rps": many["rps"],
                    "queries": queries[name]["queries"][1 if page_cache else 0] if name in queries else 0,
                    "bytes": queries[name]["size"] if name in queries else first["/siv/"]["size"],
                })  # fmt: skip
        finally:
            server.stop()
    # Last: its edits change the content version, so the "feed 304" ETag measured above would be stale (every
    # request a full 200) if this ran before wrk.
    EDIT_COSTS[size] = measure_edit_cost(env)
    return rows, build_seconds, rebuilds


def find(rows, size, name, page_cache):
    return next(r for r in rows if r["size"] == size and r["name"] == name and r["page_cache"] == page_cache)


def rebuild_verdicts(rebuilds, small):
    if rebuilds.get(small) is None:
        return []
    edited, empty = rebuilds[small]["edited"]["median_ms"], rebuilds[small]["empty"]["median_ms"]
    return [
        (f"/siv/kalender.ics at {small} right after one session was edited: median ≤ 30 ms (one worker)",
         edited, 30, edited <= 30),
        (f"/siv/kalender.ics at {small} with an empty cache (after a deploy): median < 1,000 ms (one worker)",
         empty, 1000, empty < 1000),
    ]  # fmt: skip


def verdicts(rows, sizes):
    small, large = min(sizes), max(sizes)
    if not rows:
        return []
    static = dict(find(rows, small, "static file", None))
    static["rps"] = max(static["rps"], 0.001)
    programme = find(rows, small, "/siv/", True)
    revalidation = find(rows, small, "feed 304", True)
    checks = [
        (f"/siv/ at {small} (page cache on) reaches at least half the static file's requests/s",
         programme["rps"] / static["rps"], 0.5, programme["rps"] / static["rps"] >= 0.5),
        (f"feed revalidation (304) at {small} reaches at least 80% of the static file's requests/s",
         revalidation["rps"] / static["rps"], 0.8, revalidation["rps"] / static["rps"] >= 0.8),
    ]  # fmt: skip
    for name in ("/siv/", "/siv/kalender.ics"):
        built = find(rows, small, name, False)
        met = 0 < built["median_ms"] < 100 if built["median_ms"] else None
        checks.append((f"building {name} at {small} with the cache off: median well under 100 ms (one worker)",
                       built["median_ms"], 100, met))  # fmt: skip
    built = find(rows, small, "sessions.json", False)
    checks.append((f"building the API's sessions.json at {small} with the cache off: at most 50 ms (one worker)",
                   built["median_ms"], 50, 0 < built["median_ms"] <= 50 if built["median_ms"] else None))  # fmt: skip
    if large != small:
        for name in ("/siv/", "/siv/ filtered", "session page", "organisers", "/siv/kalender.ics", "filtered feed"):
            a, b = find(rows, small, name, False), find(rows, large, name, False)
            measured = a["median_ms"] > 0 and b["median_ms"] > 0  # 0: no request finished within the run
            ratio = b["median_ms"] / a["median_ms"] if measured else float("nan")
            limit = large / small
            checks.append((f"{name}: cost {small}→{large} at most linear (median ratio ≤ {limit:g})", ratio, limit,
                           ratio <= limit if measured else None))  # fmt: skip
            checks.append((f"{name}: SQL queries the same at {small} and {large} (cache off)",
                           b["queries"] - a["queries"], 0, a["queries"] == b["queries"]))  # fmt: skip
    return checks


def rebuild_report(rebuilds, sizes):
    if not any(rebuilds.get(size) for size in sizes):
        return ["Feed rebuilds not measured: they need a cache shared with gunicorn (--cache db or redis).", ""]
    lines = [
        "The full feed /siv/kalender.ics with one gunicorn worker and the page cache on: right after a staff edit "
        "of one session (30 edits; every other event from the per-event cache), and with an empty cache "
        "(5 times; every event built, as after a deploy). Worker CPU is the gunicorn worker's user and system "
        "time per request (/proc, 10 ms ticks, averaged): on a busy machine it shows the work apart from the "
        "wait for a core.",
        "",
        "| sessions | feed | median ms | p95 ms | worker CPU ms per request | bytes | load average (1 min) at start |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        if rebuilds.get(size):
            r = rebuilds[size]
            for name, label in (("edited", "after one edit"), ("empty", "empty cache, new worker")):
                cpu = "–" if r[name]["cpu_ms"] is None else f"{r[name]['cpu_ms']:.1f}"
                lines.append(f"| {size} | {label} | {r[name]['median_ms']:.1f} | {r[name]['p95_ms']:.1f} | "
                             f"{cpu} | {r['bytes']} | {r['load']:.1f} |")  # fmt: skip
    return lines + [""]


def report(rows, sizes, checks, builds, args, cache_label, rebuilds):
    lines = [
        "A median of 0.0 means no request finished within the run (the page took longer than the run itself).",
        "",
        f"## Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"`python bench/run.py --duration {args.duration} --cache {args.cache}` on {os.cpu_count()} cores; "
        "gunicorn 2 sync "
        f"workers, DEBUG off, 127.0.0.1; cache backend: {cache_label}; database: "
        f"{'PostgreSQL' if args.database_url else 'SQLite'}. Latency with 1 connection (wrk, median/p95), "
        "throughput with 16 connections over 2 threads. Sample data built by `demo_programme --sessions N` in "
        + ", ".join(f"{builds[s]:.0f} s ({s})" for s in sizes) + " (0 s: reused from an earlier run).",
        "",
        *rebuild_report(rebuilds, sizes),
        "| sessions | URL | page cache | median ms | p95 ms | requests/s | SQL queries | bytes |",
        "| ---: | --- | :---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    if not rows:
        lines = lines[:-2]
    for r in rows:
        cache = "–" if r["page_cache"] is None else ("on" if r["page_cache"] else "off")
        lines.append(f"| {r['size']} | {r['name']} | {cache} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | "
                     f"{r['rps']:.0f} | {r['queries']} | {r['bytes']} |")  # fmt: skip
    if EDIT_COSTS:
        lines += [
            "",
            "What an edit costs the next visitor of /siv/ (page cache on, in-process, median of 5 edits):",
            "",
            "| sessions | next request after saving one session, ms | page-cache hit, ms |",
            "| ---: | ---: | ---: |",
        ]
        for size, cost in EDIT_COSTS.items():
            lines.append(f"| {size} | {cost['after_edit_ms']:.1f} | {cost['hit_ms']:.1f} |")
    lines += ["", "| target | measured | limit | met |", "| --- | ---: | ---: | :---: |"]
    for text, value, limit, ok in checks:
        verdict = "not measured" if ok is None else ("yes" if ok else "**no**")
        lines.append(f"| {text} | {value:.2f} | {limit:g} | {verdict} |")
    return "\n".join(lines) + "\n"


def start_redis():
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)  # fmt: skip
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--cache", choices=["db", "locmem", "redis"], default="db")
    parser.add_argument("--database-url", help="a PostgreSQL database to use (it is emptied!)")
    parser.add_argument("--output", help="append the report to this Markdown file")
    parser.add_argument("--reuse", action="store_true", help="keep var/bench/bench-N.sqlite3 if it exists")
    parser.add_argument("--feed-rebuilds-only", action="store_true",
                        help="measure only the full feed after one edit and with an empty cache")  # fmt: skip
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    WORK.mkdir(parents=True, exist_ok=True)
    redis = None
    cache_url = {"db": "", "locmem": "locmem://"}.get(args.cache)
    cache_label = {"db": "database (DatabaseCache, the default)", "locmem": "local memory per worker",
                   "redis": "Redis"}[args.cache]  # fmt: skip
    if args.cache == "redis":
        redis, cache_url = start_redis()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA_PERCENTILES)
    try:
        rows, builds, rebuilds = [], {}, {}
        for size in args.sizes:
            size_rows, builds[size], rebuilds[size] = run_size(size, args, cache_url, script.name)
            rows += size_rows
    finally:
        os.unlink(script.name)
        if redis:
            redis.terminate()
    (WORK / "rows.json").write_text(json.dumps(rows, indent=1))
    checks = verdicts(rows, args.sizes) + rebuild_verdicts(rebuilds, min(args.sizes))
    text = report(rows, args.sizes, checks, builds, args, cache_label, rebuilds)
    print(text)
    if args.output:
        with open(args.output, "a") as out:
            out.write("\n" + text)


if __name__ == "__main__":
    main()
