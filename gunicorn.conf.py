"""Gunicorn settings for the SIV site. Gunicorn reads this file from the working directory by itself;
command-line flags (as `make run` and bench/run.py use) win over it. Environment variables tune it per server.

Run it behind a reverse proxy (nginx, a load balancer) that terminates TLS and buffers slow clients: the
sync workers below are fast for short requests but should never wait on a slow phone connection.
"""

import gc
import multiprocessing
import os
import re

from gunicorn.glogging import Logger

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
# Each worker imports the app itself, never the master: so `systemctl reload siv` (SIGHUP) starts workers that run
# the new code, one by one, without dropping a request. (With preload_app the master's copy of the old code would
# be forked again.)
preload_app = False
# Forwarded headers (X-Forwarded-Proto, -For) only when there is a proxy that writes them: DJANGO_BEHIND_PROXY, the
# same switch Django trusts them by. Without one, a client on this machine could claim any scheme.
if os.environ.get("DJANGO_BEHIND_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}:
    forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None  # empty: no access log (benchmarks)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Bounded request lines and headers; longer ones get 400 before Django sees them.
limit_request_line = 8190
limit_request_fields = 100

# A "my programme" address is its owner's key (/siv/mitt-program/<token>/, <token>.ics): whoever reads the log could
# open, change or delete the list. The access log writes [token] in its place: in the path, the referrer, anywhere.
# So is a registration's personal link (/siv/anmalan/<token>/).
MY_PROGRAMME_TOKEN = re.compile(r"(/mitt-program/(?!stjarna/)|/anmalan/)[-\w]+")


class AccessLogWithoutTokens(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: MY_PROGRAMME_TOKEN.sub(r"\1[token]", value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }


logger_class = AccessLogWithoutTokens


# Garbage collection (the recipe in Python's gc.freeze() documentation, per worker): once a worker has imported the
# app, it freezes those objects, so its collections never walk Django's own objects again (about a tenth of building
# a large feed).
def post_worker_init(worker):
    gc.freeze()
