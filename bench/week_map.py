"""Build time of the week grid and the county map with the page cache off (issue 14: ≤ 100 ms at 300 sessions).

    DATABASE_URL=sqlite:///var/bench/week.sqlite3 python bench/week_map.py [--sessions 300] [--runs 30]

Loads the sample programme with that many sessions into the database named by DATABASE_URL (migrating it
first), then requests each page in this process with Django's test client, DEBUG off, and prints the
median and the 90th percentile of the wall time, the median CPU time of this process (less swayed by other
load on the machine) and the number of SQL queries.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovationsvecka.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "s" * 50)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SITE_URL", "http://testserver")
os.environ.setdefault("DJANGO_EMAIL_BACKEND", "console")
os.environ.setdefault("DJANGO_LOCAL_HTTP", "1")
os.environ["DJANGO_PAGE_CACHE"] = "0"

URLS = ("/siv/vecka/", "/siv/karta/", "/siv/", "/en/siv/vecka/")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("demo_programme", sessions=args.sessions, verbosity=0)
    client = Client()
    for url in URLS:
        client.get(url)  # warm up: templates compiled, translations loaded
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        print(
            f"{url:18} median {statistics.median(times):6.1f} ms  p90 {times[int(len(times) * 0.9)]:6.1f} ms  "
            f"CPU median {statistics.median(cpu):6.1f} ms  "
            f"{len(queries):2d} queries  {len(response.content) // 1024} KB"
        )


if __name__ == "__main__":
    main()
