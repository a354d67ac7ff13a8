"""Bounded load test: wrk with 64 connections for 60 s against /siv/, a session page and /siv/kalender.ics.

    python bench/load.py [--duration 60] [--connections 64] [--sessions 300]

Serves the 300-session benchmark database (built by bench/run.py, or here if missing) with gunicorn
(2 workers, DEBUG off, 127.0.0.1 only, worker recycling off so memory growth would show). Fails unless wrk
reports 0 socket errors and 0 non-2xx/3xx answers (wrk itself exits 0 even when every answer is a 500), and
unless the workers' memory levels off: the largest resident size in the last third of the run may exceed
the largest in the first third by at most 10% (plus 4 MB for the allocator's noise).
"""

import argparse
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
        server.stop()
        Path(script.name).unlink()
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
    if failures:
        raise SystemExit("LOAD TEST FAILED: " + "; ".join(failures))
    print("LOAD TEST PASSED")


if __name__ == "__main__":
    main()
