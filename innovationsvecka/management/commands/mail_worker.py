"""The e-mail worker (issue 16): hands queued e-mails to the mail server and retries the deferred ones.
See innovationsvecka/mail.py; runs as deploy/siv-mail-worker.service, and beside gunicorn under `make run`."""

import signal

from django.core.management.base import BaseCommand

from innovationsvecka import mail


class Command(BaseCommand):
    help = "Send queued e-mails; with --once a single round (deferred ones retried), else until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One round, then exit.")

    def handle(self, *args, once=False, **options):
        # systemd (and `make run`'s trap) stop the worker with SIGTERM: it leaves after the round in hand, so a
        # message is never cut off between the mail server taking it and its row leaving the queue.
        stop = []
        signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
        if not once:
            self.stdout.write("E-post: skickar köade e-brev (Ctrl-C avslutar).")
        try:
            mail.run_worker(once=once, stopping=lambda: bool(stop))
        except KeyboardInterrupt:
            pass
