"""Registration load test (issue 16): 64 connections post the registration form for 60 s, on PostgreSQL.

    DATABASE_URL=postgres://user:password@127.0.0.1:5432/any python bench/load_registrations.py
        [--duration 60] [--connections 64] [--sessions 20] [--capacity 50] [--workers 2]

Needs PostgreSQL (SQLite takes one writer at a time, and the point is 64 at once): without a postgres:// or
postgresql:// DATABASE_URL it says so and exits 0, so `make load` skips it. It never touches the database
DATABASE_URL names: it uses that server and role (which needs CREATEDB) to create a database of its own,
siv_load_registrations, and drops it afterwards.

The programme is demo_programme for next year (every session in the future); --sessions of its published
sessions become registration_mode="here" with --capacity places, so most fill up and the waiting list gets used.
Gunicorn serves it as in bench/load.py (2 workers unless --workers, DEBUG off, 127.0.0.1 only, no worker recycling),
with bench/load_settings.py: the site's settings with the per-address and per-e-mail limits lifted (every post comes
from 127.0.0.1). The honeypot, the signed fill-time stamp (the form is fetched, then the test waits the minimum
fill time) and the CSRF check stay on: one GET of the form gives the csrftoken cookie, the form's token and the
stamp, which every post then reuses (a CSRF cookie is not bound to a visitor, and the stamp is valid for a day).
wrk posts round-robin over the sessions, every post with an e-mail address never used before. E-mails go to the
queue table (django-mailer); nothing sends them.

Fails unless: wrk reports 0 socket errors and every answer is the 302 to the receipt (a 200 would be the form
again with an error, a 4xx a refused post); afterwards, for every session, confirmed registrations ≤ capacity and
waiting only when full; confirmed + waiting over all sessions = the posts that got a 302; one queued e-mail per
registration; and the workers' memory levels off (as in bench/load.py: the largest resident size in the last
third at most 10% + 4 MB above the largest in the first third).
"""

import argparse
import http.cookies
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402
import run as bench  # noqa: E402

DATABASE = "siv_load_registrations"
ACCESS_LOG = bench.WORK / "registrations-access.log"

POSTS = """
local paths = {%(paths)s}
local body_start = "csrfmiddlewaretoken=%(token)s&started=%(started)s&website=&consent=on&name=Last+Test&email=load-"
local headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "csrftoken=%(cookie)s"}
local threads = {}
local counter = 1

setup = function(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

init = function(args)
  i = 0
  ok = 0
  bad = 0
  first_bad = ""
end

request = function()
  i = i + 1
  local body = body_start .. id .. "-" .. i .. "%%40example.com"
  return wrk.format("POST", paths[i %% #paths + 1], headers, body)
end

response = function(status, headers, body)
  if status == 302 then
    ok = ok + 1
  else
    bad = bad + 1
    if first_bad == "" then first_bad = tostring(status) end
  end
end

done = function(summary, latency, requests)
  local all_ok, all_bad, sent, firsts = 0, 0, 0, ""
  for _, thread in ipairs(threads) do
    sent = sent + thread:get("i")
    all_ok = all_ok + thread:get("ok")
    all_bad = all_bad + thread:get("bad")
    firsts = firsts .. thread:get("first_bad") .. " "
  end
  io.write(string.format("BENCH %%d %%d %%d\\n", latency:percentile(50), latency:percentile(95), summary.requests))
  io.write(string.format("POSTS %%d %%d %%d [%%s]\\n", sent, all_ok, all_bad, firsts))
end
"""

SETUP = r"""
import json, sys
from django.db import transaction
from django.urls import reverse
from events.models import RegistrationMode, Session
year, count, capacity = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
with transaction.atomic():
    chosen = list(Session.objects.filter(edition__year=year, status=Session.Status.PUBLISHED, start__isnull=False)
                  .order_by("start", "pk").values_list("pk", flat=True)[:count])
    Session.objects.filter(pk__in=chosen).update(
        registration_mode=RegistrationMode.HERE, capacity=capacity, registration_deadline=None,
        ask_organisation=False, ask_org_number=False, ask_municipality=False, ask_audience=False, ask_needs=False,
    )
paths = [reverse("events:register", kwargs={"year": s.edition.year, "slug": s.slug})
         for s in Session.objects.filter(pk__in=chosen).select_related("edition")]
print("RESULT " + json.dumps(paths))
"""

COUNTS = r"""
import json
from django.db.models import Count, Q
from mailer.models import Message
from events.models import Registration, RegistrationMode, Session
rows = (Session.objects.filter(registration_mode=RegistrationMode.HERE)
        .annotate(confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
                  waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
                  total=Count("registrations"))
        .values("slug", "capacity", "confirmed", "waiting", "total"))
emails = Registration.objects.values("email").distinct().count()
print("RESULT " + json.dumps({"sessions": list(rows), "queued": Message.objects.count(), "emails": emails}))
"""


def python(env, code, *args):
    result = subprocess.run([bench.PYTHON, "-c", "import django; django.setup()\n" + code, *map(str, args)],
                            cwd=bench.ROOT, env=env, capture_output=True, text=True, check=True)  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def answered(access_log):
    """{status: count} of the POSTs in gunicorn's access log."""
    statuses = {}
    for line in access_log.read_text().splitlines():
        match = re.search(r'"POST [^"]*" (\d{3}) ', line)
        if match:
            statuses[match.group(1)] = statuses.get(match.group(1), 0) + 1
    return statuses


def own_database(url, create):
    """Create (or drop) the test's own database on the server of `url`; returns its URL."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    try:
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            if create:
                connection.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.Error as error:
        raise SystemExit(f"Registration load test: cannot create or drop the database {DATABASE} ({error}). "
                         "The role in DATABASE_URL needs CREATEDB.") from error  # fmt: skip
    return urllib.parse.urlunsplit(parts._replace(path="/" + DATABASE))


def form_tokens(server, path):
    """GET the form once: (csrftoken cookie, the form's csrfmiddlewaretoken, the signed start stamp)."""
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        html = response.read().decode()
        cookies = http.cookies.SimpleCookie()
        for header in response.headers.get_all("Set-Cookie"):
            cookies.load(header)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    return cookies["csrftoken"].value, token, started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--sessions", type=int, default=20, help="sessions open for registration")
    parser.add_argument("--capacity", type=int, default=50, help="places per session")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers: at most this many posts at once")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("Registration load test skipped: it needs PostgreSQL (SQLite takes one writer at a time). Run it with "
              "DATABASE_URL=postgres://user:password@127.0.0.1:5432/db make load (the role needs CREATEDB; the test "
              f"uses a database of its own, {DATABASE}, and drops it afterwards).")  # fmt: skip
        return
    bench.WORK.mkdir(parents=True, exist_ok=True)
    database_url = own_database(url, create=True)
    env = bench.base_env(database_url, "", page_cache=True)
    env["DJANGO_SETTINGS_MODULE"] = "load_settings"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parent), env.get("PYTHONPATH")]))
    env["DJANGO_EMAIL_BACKEND"] = "console"
    year = time.gmtime().tm_year + 1
    server, access_log = None, ACCESS_LOG
    try:
        print(f"Building next year's programme ({year}) on PostgreSQL …", flush=True)
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "collectstatic", "--noinput", "-v0")
        bench.manage(env, "demo_programme", "--year", str(year), "--sessions", str(max(40, args.sessions)))
        paths = python(env, SETUP, year, args.sessions, args.capacity)
        if len(paths) < args.sessions:
            raise SystemExit(f"only {len(paths)} published sessions to open for registration")
        access_log.unlink(missing_ok=True)
        # An access log (gunicorn reads GUNICORN_CMD_ARGS over gunicorn.conf.py): the server's own count of the
        # posts it answered. wrk only counts the answers it read, not the posts in flight when it stopped.
        server = bench.Gunicorn({**env, "GUNICORN_CMD_ARGS": f"--access-logfile {access_log}"}, workers=args.workers)
        cookie, token, started = form_tokens(server, paths[0])
        time.sleep(3.2)  # the form's minimum fill time (events.registration_views.MIN_SECONDS) stays on
        samples, stop = [], threading.Event()

        def sample():
            while not stop.is_set():
                samples.append((time.monotonic(), {pid: load.rss_kb(pid) for pid in server.worker_pids()}))
                stop.wait(2)

        sampler = threading.Thread(target=sample, daemon=True)
        quoted = {name: urllib.parse.quote(value, safe="") for name, value in
                  {"token": token, "started": started, "cookie": cookie}.items()}  # fmt: skip
        script_text = POSTS % {"paths": ", ".join(f'"{p}"' for p in paths), **quoted}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(script_text)
        try:
            sampler.start()
            threads = min(2, args.connections)  # wrk needs a connection per thread
            result = bench.wrk(server.url + "/", connections=args.connections, threads=threads, duration=args.duration,
                               script=script.name)  # fmt: skip
        finally:
            stop.set()
            sampler.join()
            pids_at_end = server.worker_pids()
            Path(script.name).unlink()
        server.wait_idle()
        counts = python(env, COUNTS)
        counts["answered"] = answered(access_log)
    finally:
        if server:
            server.stop()
        own_database(url, create=False)
    report(args, result, counts, samples, pids_at_end)


def report(args, result, counts, samples, pids_at_end):
    print(result["output"])
    posts = re.search(r"POSTS (\d+) (\d+) (\d+) \[([^\]]*)\]", result["output"])
    sent, ok, bad = (int(n) for n in posts.groups()[:3])
    first_bad = posts.group(4).split()
    sessions = counts["sessions"]
    confirmed = sum(row["confirmed"] for row in sessions)
    waiting = sum(row["waiting"] for row in sessions)
    total = sum(row["total"] for row in sessions)
    oversold = [row for row in sessions if row["confirmed"] > row["capacity"]]
    queue_early = [row for row in sessions if row["waiting"] and row["confirmed"] < row["capacity"]]
    full = sum(1 for row in sessions if row["confirmed"] == row["capacity"])
    third = max(1, len(samples) // 3)
    first = max(sum(kb.values()) for _, kb in samples[:third])
    last = max(sum(kb.values()) for _, kb in samples[-third:])
    start = samples[0][0]
    print("Worker memory (sum of resident sizes, MB) every 2 s:")
    print(" ".join(f"{t - start:.0f}s:{sum(kb.values()) / 1024:.1f}" for t, kb in samples))
    print("Per session (confirmed/waiting of capacity): "
          + ", ".join(f"{row['confirmed']}/{row['waiting']} of {row['capacity']}" for row in sessions))  # fmt: skip
    failures = []
    if result["socket_errors"]:
        failures.append(f"{result['socket_errors']} socket errors")
    if bad:
        failures.append(f"{bad} posts did not get the 302 to the receipt (first statuses: {', '.join(first_bad)})")
    if oversold:
        failures.append("oversold: " + ", ".join(f"{r['slug']} {r['confirmed']} of {r['capacity']}" for r in oversold))
    if queue_early:
        failures.append("waiting while places were free: " + ", ".join(r["slug"] for r in queue_early))
    # The server's count: wrk stops with up to one post per connection in flight, which the server still
    # finishes (the registration is saved, the answer goes nowhere).
    served = counts["answered"].get("302", 0)
    refused = {status: n for status, n in counts["answered"].items() if status != "302"}
    if refused:
        failures.append(f"the server refused posts: {refused}")
    if total != confirmed + waiting or total != served or counts["emails"] != total:
        failures.append(
            f"{served} posts answered 302 by the server but {confirmed} confirmed + {waiting} waiting "
            f"({total} rows, {counts['emails']} distinct e-mail addresses)"
        )
    if counts["queued"] != total:
        failures.append(f"{counts['queued']} queued e-mails for {total} registrations")
    if set(samples[0][1]) != set(pids_at_end):
        failures.append("a worker was replaced during the run (crash?)")
    if last > first * 1.10 + 4096:
        failures.append(f"worker memory kept growing: {first / 1024:.1f} MB → {last / 1024:.1f} MB")
    print(
        f"Registration posts: {args.connections} connections, {args.duration} s, {args.workers} workers, "
        f"{len(sessions)} sessions × {args.capacity} places"
    )
    print(
        f"Requests/s: {result['rps']:.0f}; latency median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} "
        f"ms; socket errors {result['socket_errors']}; wrk: {sent} posts sent, {ok} answers 302, {bad} other; "
        f"server: {served} posts answered 302, other {sum(refused.values())}"
    )
    print(
        f"Registrations: {confirmed} confirmed, {waiting} waiting ({full} of {len(sessions)} sessions full); "
        f"oversold sessions: {len(oversold)}; queued e-mails: {counts['queued']}"
    )
    print(f"Memory first third {first / 1024:.1f} MB, last third {last / 1024:.1f} MB")
    if failures:
        raise SystemExit("REGISTRATION LOAD TEST FAILED: " + "; ".join(failures))
    print("REGISTRATION LOAD TEST PASSED")


if __name__ == "__main__":
    main()
