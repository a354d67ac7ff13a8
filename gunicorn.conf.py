"""Gunicorn settings for the SIV site. Gunicorn reads this file from the working directory by itself;
command-line flags (as `make run` and bench/run.py use) win over it. Environment variables tune it per server.

Run it behind a reverse proxy (nginx, a load balancer) that terminates TLS and buffers slow clients: the
sync workers below are fast for short requests but should never wait on a slow phone connection.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are built in a few milliseconds and mostly served from the cache, so CPU is the limit:
# two workers per core plus one is the usual starting point.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so no slow leak in a library can grow a worker for a whole year.
max_requests = 5000
max_requests_jitter = 500
# Import Django once in the master: workers start faster and share memory.
preload_app = True
gc.disable()  # in the master only; each worker turns it back on (post_fork)
# Only the proxy on this machine may say which scheme and client address a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log (benchmarks)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Bounded request lines and headers; longer ones get 400 before Django sees them.
limit_request_line = 8190
limit_request_fields = 100


# Garbage collection after a preloaded fork (the recipe in Python's gc.freeze() documentation): the master
# freezes what it imported, so the workers' collections never walk Django's own objects again (docs/benchmarks.md
# has what that saves) and never write to the pages they share with the master.
def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.enable()
