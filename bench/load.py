"""Bounded load test: wrk with 64 connections for 60 s against /siv/, a session page and /siv/kalender.ics,
then a flood of junk query strings that must not grow the page cache.

    python bench/load.py [--duration 60] [--connections 64] [--sessions 300] [--flood 20]

Serves the 300-session benchmark database (built by bench/run.py, or here if missing) with gunicorn
(2 workers, DEBUG off, 127.0.0.1 only, worker recycling off so memory growth would show). Fails unless wrk
reports 0 socket errors and 0 non-2xx/3xx answers (wrk itself exits 0 even when every answer is a 500), and
unless the workers' memory levels off: the largest resident size in the last third of the run may exceed
the largest in the first third by at most 10% (plus 4 MB for the allocator's noise).

The flood (--flood seconds, 16 connections, 0 to skip) sends every request with query strings never seen
before: half only parameters no page reads (utm_source, fbclid, made-up names), half also made-up values of
a real filter (tema=junk123). It fails if the database cache then holds more page entries than the caching
contract allows (innovationsvecka.pagecache: one entry per page for unknown parameters, at most
MAX_STORED_PER_VIEW per view and window for filter values), and reports the rows and the database file's size
before and after.
"""

import argparse
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402

ROTATE = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


FLOOD = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  local query = "?utm_source=n" .. i .. "&fbclid=" .. i .. "&x" .. i .. "=1"
  if i %% 2 == 0 then query = query .. "&tema=junk" .. i end
  return wrk.format("GET", paths[i %% #paths + 1] .. query)
end
"""


def cache_rows(path):
    with sqlite3.connect(path) as database:
        total = database.execute("SELECT COUNT(*) FROM siv_cache").fetchone()[0]
        pages = database.execute("SELECT COUNT(*) FROM siv_cache WHERE cache_key LIKE '%page:%'").fetchone()[0]
    return total, pages


def max_stored_per_view(env):
    code = "from innovationsvecka.pagecache import MAX_STORED_PER_VIEW as n; print(n)"
    return int(subprocess.run([bench.PYTHON, "manage.py", "shell", "-c", code], cwd=bench.ROOT, env=env,
                              capture_output=True, text=True, check=True).stdout.split()[-1])  # fmt: skip


def flood(server, paths, seconds, database_path, env):
    """Junk query strings for `seconds`; returns (failures, report lines)."""
    budget = max_stored_per_view(env)

    rows_before, pages_before = cache_rows(database_path)
    size_before = database_path.stat().st_size
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(FLOOD % ", ".join(f'"{p}"' for p in paths))
    try:
        result = bench.wrk(server.url + "/", connections=16, threads=2, duration=seconds, script=script.name)
    finally:
        Path(script.name).unlink()
    requests = int(re.search(r"(\d+) requests in", result["output"]).group(1))
    rows_after, pages_after = cache_rows(database_path)
    size_after = database_path.stat().st_size
    # /siv/ and the feed read tema; the session page reads no parameter. Two time windows may be alive.
    allowed = pages_before + 2 * 2 * budget + len(paths)
    report = [
        f"Junk-URL flood: {requests} requests in {seconds} s ({result['rps']:.0f}/s), "
        f"non-2xx/3xx: {result['non_2xx_3xx']}",
        f"Cache rows: {rows_before} before, {rows_after} after (page entries {pages_before} → {pages_after}, "
        f"allowed at most {allowed}); database file {size_before / 1e6:.1f} MB → {size_after / 1e6:.1f} MB",
    ]
    failures = []
    if result["non_2xx_3xx"] or result["socket_errors"]:
        failures.append(f"flood: {result['non_2xx_3xx']} non-2xx/3xx, {result['socket_errors']} socket errors")
    if pages_after > allowed:
        failures.append(f"flood: the page cache grew to {pages_after} entries (allowed {allowed})")
    return failures, report


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--flood", type=int, default=20, help="seconds of junk query strings (0: none)")
    args = parser.parse_args()
    bench.WORK.mkdir(parents=True, exist_ok=True)
    database_url = f"sqlite:///{bench.WORK / f'bench-{args.sessions}.sqlite3'}"
    env = bench.base_env(database_url, "", page_cache=True)
    if not (bench.WORK / f"bench-{args.sessions}.sqlite3").exists():
        print(f"Building a {args.sessions}-session programme …", flush=True)
        bench.build_database(args.sessions, database_url, env)
    else:
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "collectstatic", "--noinput", "-v0")
    session = bench.measure_queries(env, {})["session"]
    paths = ["/siv/", session, "/siv/kalender.ics"]
    server = bench.Gunicorn(env)
    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append((time.monotonic(), {pid: rss_kb(pid) for pid in server.worker_pids()}))
            stop.wait(2)

    sampler = threading.Thread(target=sample, daemon=True)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(ROTATE % ", ".join(f'"{p}"' for p in paths))
    try:
        sampler.start()
        result = bench.wrk(server.url + "/", connections=args.connections, threads=2, duration=args.duration,
                           script=script.name)  # fmt: skip
    finally:
        stop.set()
        sampler.join()
        pids_at_end = server.worker_pids()
        Path(script.name).unlink()
    try:
        database = bench.WORK / f"bench-{args.sessions}.sqlite3"
        flood_failures, flood_report = flood(server, paths, args.flood, database, env) if args.flood else ([], [])
    finally:
        server.stop()
    print(result["output"])
    third = max(1, len(samples) // 3)
    first = max(sum(kb.values()) for _, kb in samples[:third])
    last = max(sum(kb.values()) for _, kb in samples[-third:])
    start = samples[0][0]
    print("Worker memory (sum of resident sizes, MB) every 2 s:")
    print(" ".join(f"{t - start:.0f}s:{sum(kb.values()) / 1024:.1f}" for t, kb in samples))
    recycled = set(samples[0][1]) != set(pids_at_end)
    failures = []
    if result["socket_errors"]:
        failures.append(f"{result['socket_errors']} socket errors")
    if result["non_2xx_3xx"]:
        failures.append(f"{result['non_2xx_3xx']} non-2xx/3xx responses")
    if recycled:
        failures.append("a worker was replaced during the run (crash?)")
    if last > first * 1.10 + 4096:
        failures.append(f"worker memory kept growing: {first / 1024:.1f} MB → {last / 1024:.1f} MB")
    print(f"Paths: {', '.join(paths)}")
    print(f"Requests/s: {result['rps']:.0f}; errors: {result['socket_errors']}; non-2xx/3xx: {result['non_2xx_3xx']}; "
          f"memory first third {first / 1024:.1f} MB, last third {last / 1024:.1f} MB")  # fmt: skip
    for line in flood_report:
        print(line)
    failures += flood_failures
    if failures:
        raise SystemExit("LOAD TEST FAILED: " + "; ".join(failures))
    print("LOAD TEST PASSED")


if __name__ == "__main__":
    main()
