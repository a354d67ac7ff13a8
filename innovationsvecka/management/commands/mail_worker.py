"""The e-mail worker (issue 16): hands queued e-mails to the mail server and retries the deferred ones.
See innovationsvecka/mail.py; runs as deploy/siv-mail-worker.service, and beside gunicorn under `make run`."""

import signal
import sys

from django.core.management.base import BaseCommand

from innovationsvecka import mail


class Command(BaseCommand):
    help = "Send queued e-mails; with --once a single round (deferred ones retried), else until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then exit.")

    def handle(self, *args, once=False, **options):
        # systemd stops the service with SIGTERM: leave between messages, not in the middle of one.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        if not once:
            self.stdout.write("E-post: skickar köade e-brev (Ctrl-C avslutar).")
        try:
            mail.run_worker(once=once)
        except KeyboardInterrupt:
            pass
