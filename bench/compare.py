"""Build cost of one page in several versions of the code, measured in the same run on the same data.

    python bench/compare.py REV [REV ...] [--path /siv/] [--sessions 300] [--rounds 3] [--duration 5]

Each REV is a git revision (exported with `git archive` under var/bench/trees/) or "." for the working
tree. All of them serve the same sample database (var/bench/bench-N.sqlite3, built by demo_programme as
bench/run.py builds it, and reused when it exists) with gunicorn, one worker, page cache off, DEBUG off.
wrk measures the median latency with one connection; the versions take turns, `--rounds` times, so a
busy moment on the machine falls on all of them alike. The report gives each version's median of its
round medians and its ratio to the first REV (the baseline).

With --cpu, each version instead builds the page in-process (Django's test client, same settings) and
the CPU time of each request is measured (time.process_time): on a machine shared with other work this is
much steadier than latency, which counts the time spent waiting for a core.

PYTHONPATH from the environment is passed on, so a version that needs a package the shared environment
lacks can be measured with it installed elsewhere (pip install --target DIR).
"""

import argparse
import statistics
import subprocess
import tempfile
from pathlib import Path

import run  # bench/run.py

TREES = run.WORK / "trees"
CPU = r"""
import json, statistics, sys, time, django
django.setup()
from django.test import Client
path, count = sys.argv[1], int(sys.argv[2])
client = Client()
for _ in range(3):
    assert client.get(path).status_code == 200
times = []
for _ in range(count):
    started = time.process_time()
    client.get(path)
    times.append((time.process_time() - started) * 1000)
print("RESULT " + json.dumps(statistics.median(times)))
"""


def cpu_median(root, env, path, count):
    result = subprocess.run([run.PYTHON, "-c", CPU, path, str(count)], cwd=root, env=env, capture_output=True,
                            text=True, check=True)  # fmt: skip
    line = next(line for line in result.stdout.splitlines() if line.startswith("RESULT "))
    return float(line.removeprefix("RESULT "))


def tree(revision):
    if revision == ".":
        return run.ROOT
    sha = subprocess.run(["git", "rev-parse", "--short", revision], cwd=run.ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    target = TREES / sha
    if not target.exists():
        target.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", sha], cwd=run.ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def environment(root, database_url):
    env = run.base_env(database_url, "", page_cache=False)
    env["DJANGO_STATIC_ROOT"] = str(run.WORK / "static-trees" / root.name)
    subprocess.run([run.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=root, env=env, check=True)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revisions", nargs="+")
    parser.add_argument("--path", default="/siv/")
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--cpu", type=int, metavar="N", help="CPU time of N in-process requests instead of wrk")
    args = parser.parse_args()
    run.WORK.mkdir(parents=True, exist_ok=True)
    database = run.WORK / f"bench-{args.sessions}.sqlite3"
    database_url = f"sqlite:///{database}"
    if not database.exists():
        run.build_database(args.sessions, database_url, run.base_env(database_url, "", page_cache=False))
    else:
        run.manage(run.base_env(database_url, "", page_cache=False), "migrate", "--noinput", "-v0")
    versions = [(revision, tree(revision)) for revision in args.revisions]
    envs = {revision: environment(root, database_url) for revision, root in versions}
    medians = {revision: [] for revision, _ in versions}
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(run.LUA_PERCENTILES)
        script.flush()
        for _ in range(args.rounds):
            for revision, root in versions:
                if args.cpu:
                    medians[revision].append(cpu_median(root, envs[revision], args.path, args.cpu))
                    continue
                server = run.Gunicorn(envs[revision], workers=1, root=root)
                try:
                    server.wait_idle()
                    result = run.wrk(server.url + args.path, connections=1, threads=1, duration=args.duration,
                                     script=script.name)  # fmt: skip
                finally:
                    server.stop()
                if result["non_2xx_3xx"] or result["socket_errors"]:
                    raise SystemExit(f"{revision}: errors or non-2xx/3xx answers\n{result['output']}")
                medians[revision].append(result["median_ms"])
    baseline = statistics.median(medians[args.revisions[0]])
    if args.cpu:
        print(f"{args.path} at {args.sessions} sessions, page cache off, CPU ms per request in-process (median of "
              f"{args.cpu}), {args.rounds} rounds")  # fmt: skip
    else:
        print(f"{args.path} at {args.sessions} sessions, page cache off, one gunicorn worker, wrk 1 connection, "
              f"{args.rounds} rounds of {args.duration} s")  # fmt: skip
    print("| version | median ms (of round medians) | round medians | ratio to first |")
    print("| --- | ---: | --- | ---: |")
    for revision, _ in versions:
        median = statistics.median(medians[revision])
        rounds = ", ".join(f"{m:.1f}" for m in medians[revision])
        print(f"| {revision} | {median:.1f} | {rounds} | {median / baseline:.2f} |")


if __name__ == "__main__":
    Path(run.WORK).mkdir(parents=True, exist_ok=True)
    main()
