"""Every e-mail goes through a queue in the database and a worker process (issue 16), with django-mailer.

The site's EMAIL_BACKEND is QueueBackend: send_mail() anywhere (proposal confirmations, the staff's notice, Django's
password reset) stores the message as a row of mailer.Message and returns at once. The worker (`manage.py
mail_worker`, systemd unit deploy/siv-mail-worker.service, started beside gunicorn by `make run`) hands the rows to
the real backend, MAILER_EMAIL_BACKEND (SMTP, or the console in development). When the SMTP server is down or
refuses a message, the message is deferred, not lost: the row stays, the failure is written to mailer.MessageLog,
and the worker tries deferred messages again every MAIL_RETRY_SECONDS, up to MAILER_EMAIL_MAX_RETRIES times. What
is still queued, and what failed, staff see in the admin (innovationsvecka/admin.py); /healthz tells a monitor.

Nothing here runs by the clock: an e-mail that must go at a given time is enqueued by a systemd timer's command.
"""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.db.models import Count, Min, Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from mailer import engine
from mailer.backend import DbBackend
from mailer.models import PRIORITY_DEFERRED, RESULT_FAILURE, Message, MessageLog

logger = logging.getLogger(__name__)


class QueueBackend(DbBackend):
    """django-mailer's database backend, which first builds each message as the SMTP backend would, so that a
    header with a line break (BadHeaderError) fails in the caller, at once, not later in the worker."""

    def send_messages(self, email_messages):
        for message in email_messages:
            message.message()
        return super().send_messages(email_messages)


def defer_on_any_error(connection, message, exc):
    """MAILER_ERROR_HANDLER: any failure to hand over a message defers it (django-mailer's own handler re-raises
    everything but SMTP and socket errors, which would stop the worker on the first odd message)."""
    message.defer()
    MessageLog.objects.log(message, RESULT_FAILURE, log_message=f"{type(exc).__name__}: {exc}")
    logger.warning("E-mail %s deferred: %s", message.pk, exc)
    return None, "deferred"  # None: the next message opens a new connection


def retry_deferred():
    """Put deferred messages back in line, unless they have been tried MAILER_EMAIL_MAX_RETRIES times: those
    stay deferred, and the admin shows them as failed."""
    return Message.objects.retry_deferred()


def deliver(*, retry=True):
    """One round of the worker: deferred messages back in line (if retry), then everything waiting is sent."""
    if retry:
        retried = retry_deferred()
        if retried:
            logger.info("%s deferred e-mail(s) tried again", retried)
        queue_due_reminders()
    engine.send_all()


def queue_due_reminders():
    """The day-before reminders to registrants that are due (events.registrations.send_reminders, idempotent),
    queued every MAIL_RETRY_SECONDS, so `make run` sends them too; on a server deploy/siv-send-reminders.timer
    does the same. MAIL_WORKER_REMINDERS = False leaves them to the timer alone."""
    if getattr(settings, "MAIL_WORKER_REMINDERS", True):
        from events.registrations import send_reminders

        sent = send_reminders()
        if sent:
            logger.info("%s reminder(s) queued", sent)


def run_worker(*, once=False, stopping=lambda: False, sleep=time.sleep, clock=time.monotonic):
    """Send what is queued every MAIL_POLL_SECONDS and retry deferred messages every MAIL_RETRY_SECONDS, until
    stopping() says so (checked between rounds, so no message is cut off half sent). once: a single round that
    retries deferred messages too (tests, a cron job). A lost database is logged and waited out."""
    last_retry = None
    while not stopping():
        now = clock()
        retry = once or last_retry is None or now - last_retry >= settings.MAIL_RETRY_SECONDS
        try:
            deliver(retry=retry)
            if retry:
                last_retry = now
        except DatabaseError:
            if once:
                raise
            logger.exception("The e-mail worker could not reach the database; trying again")
            close_old_connections()  # a broken connection is dropped, so the next round opens a new one
        if once:
            return
        sleep(settings.MAIL_POLL_SECONDS)


def queue_status():
    """The queue in one query: how many wait (deferred ones included), how many of those were deferred after a
    failure, how many failed for good, and the oldest one's age in seconds."""
    found = Message.objects.aggregate(
        waiting=Count("pk"),
        deferred=Count("pk", filter=Q(priority=PRIORITY_DEFERRED)),
        failed=Count("pk", filter=Q(priority=PRIORITY_DEFERRED, retry_count__gte=settings.MAILER_EMAIL_MAX_RETRIES)),
        oldest=Min("when_added"),
    )
    oldest = found.pop("oldest")
    found["oldest_age_seconds"] = int((timezone.now() - oldest).total_seconds()) if oldest else None
    return found


@never_cache
def healthz(request):
    """For a monitor: 200 when the database answers and no e-mail has waited longer than MAIL_QUEUE_MAX_AGE
    seconds, else 503. JSON, one query, never cached; the body names the reason."""
    try:
        queue = queue_status()
    except DatabaseError:
        logger.exception("/healthz: the database does not answer")
        return JsonResponse({"status": "error", "database": "down", "problem": "database"}, status=503)
    data = {"status": "ok", "database": "ok", "mail_queue": queue, "max_age_seconds": settings.MAIL_QUEUE_MAX_AGE}
    age = queue["oldest_age_seconds"]
    if age is not None and age > settings.MAIL_QUEUE_MAX_AGE:
        data.update(status="error", problem="mail_queue")
        return JsonResponse(data, status=503)
    return JsonResponse(data)


STATUS_WAITING = _("Väntar")
STATUS_RETRY = _("Misslyckades, försöker igen")
STATUS_FAILED = _("Misslyckades")


def status_of(message):
    if message.priority != PRIORITY_DEFERRED:
        return STATUS_WAITING
    if message.retry_count >= settings.MAILER_EMAIL_MAX_RETRIES:
        return STATUS_FAILED
    return STATUS_RETRY


class QueuedEmail(Message):
    """The queue under a Swedish name in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("e-brev i kö")
        verbose_name_plural = _("e-brev i kö")


class EmailAttempt(MessageLog):
    """Every attempt to hand an e-mail to the mail server, sent or failed, under a Swedish name."""

    class Meta:
        proxy = True
        verbose_name = _("e-postlogg")
        verbose_name_plural = _("e-postlogg")
