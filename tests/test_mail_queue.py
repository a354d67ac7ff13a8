"""The e-mail queue (issue 16): send_mail only queues, the worker delivers to a real SMTP server on 127.0.0.1
(aiosmtpd), an outage loses nothing, staff see what waits and what failed, and /healthz reports the queue."""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail import BadHeaderError, send_mail
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from mailer.models import PRIORITY_DEFERRED, RESULT_FAILURE, RESULT_SUCCESS, Message, MessageLog

from events.models import Session
from innovationsvecka import mail as queue
from tests.factories import EditionFactory, UserFactory, programme_editor
from tests.test_proposal import URL, valid_post

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1, not yet started: the test starts it (and may first send while it is down)."""
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_TIMEOUT = 5
    inbox.controller = controller
    yield inbox
    if controller._thread is not None:
        controller.stop()


@pytest.fixture
def queued(settings):
    """The site's queue in front of the test outbox (pytest-django otherwise delivers to the outbox directly)."""
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def worker_once():
    call_command("mail_worker", "--once")


def test_smtp_down_then_up_loses_nothing_and_delivers_once(smtp):
    send_mail("Bekräftelse", "Tack för ditt förslag.", None, ["saga@example.org"])
    assert Message.objects.count() == 1  # queued, not sent

    worker_once()  # the SMTP server is down: nothing answers on the port
    message = Message.objects.get()
    assert message.priority == PRIORITY_DEFERRED and smtp.received == []
    failure = MessageLog.objects.get()
    assert failure.result == RESULT_FAILURE and "ConnectionRefusedError" in failure.log_message

    smtp.controller.start()
    worker_once()
    worker_once()  # a further round finds nothing left to send
    assert len(smtp.received) == 1
    envelope = smtp.received[0]
    assert envelope.rcpt_tos == ["saga@example.org"]
    delivered = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert (delivered["Subject"], delivered.get_content().strip()) == ("Bekräftelse", "Tack för ditt förslag.")
    assert not Message.objects.exists()
    assert MessageLog.objects.filter(result=RESULT_SUCCESS).count() == 1


def test_a_message_tried_too_often_counts_as_failed(smtp, settings):
    settings.MAILER_EMAIL_MAX_RETRIES = 1
    send_mail("Påminnelse", "Text", None, ["anna@example.org"])
    worker_once()  # fails, deferred (0 retries so far)
    worker_once()  # retried once, fails again: that was the last try
    message = Message.objects.get()
    assert (message.priority, message.retry_count) == (PRIORITY_DEFERRED, 1)
    assert queue.status_of(message) == queue.STATUS_FAILED
    smtp.controller.start()
    worker_once()
    assert smtp.received == [] and Message.objects.count() == 1  # left alone until staff retry it
    assert queue.queue_status() | {"oldest_age_seconds": None} == {
        "waiting": 1, "deferred": 1, "failed": 1, "oldest_age_seconds": None
    }  # fmt: skip


class Broken:
    def __init__(self, **kwargs):
        pass

    def send_messages(self, messages):
        raise RuntimeError("trasig server")


def test_an_unexpected_error_defers_the_message_instead_of_stopping_the_worker(queued, settings):
    settings.MAILER_EMAIL_BACKEND = "tests.test_mail_queue.Broken"
    send_mail("Ett", "Text", None, ["a@example.org"])
    send_mail("Två", "Text", None, ["b@example.org"])
    worker_once()
    assert set(Message.objects.values_list("priority", flat=True)) == {PRIORITY_DEFERRED}
    assert MessageLog.objects.filter(result=RESULT_FAILURE, log_message="RuntimeError: trasig server").count() == 2


def test_a_header_with_a_line_break_fails_when_queued(queued):
    with pytest.raises(BadHeaderError):
        send_mail("Ämne\nBcc: spam@example.org", "Text", None, ["a@example.org"])
    assert not Message.objects.exists()


def test_proposal_emails_wait_in_the_queue_until_the_worker_sends_them(client, queued, settings):
    settings.STAFF_EMAILS = ["program@example.org"]
    year = datetime.date.today().year + 1
    edition = EditionFactory(year=year, proposal_deadline=datetime.date(year, 10, 1), is_published=False)
    assert client.post(URL, valid_post(edition)).status_code == 302
    assert Session.objects.count() == 1 and mail.outbox == [] and Message.objects.count() == 2
    worker_once()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["saga@example.org"], f"Vi har tagit emot ditt programförslag till {edition.title}"),
        (["program@example.org"], "Nytt programförslag: Idéverkstad för unga"),
    ]
    assert not Message.objects.exists()


def test_healthz_is_fine_with_an_empty_queue(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "ok", "database": "ok", "max_age_seconds": 900,
        "mail_queue": {"waiting": 0, "deferred": 0, "failed": 0, "oldest_age_seconds": None},
    }  # fmt: skip


def test_healthz_answers_503_when_a_message_waited_too_long(client, queued):
    send_mail("Gammalt", "Text", None, ["a@example.org"])
    send_mail("Nytt", "Text", None, ["b@example.org"])
    first = Message.objects.order_by("pk").first()
    Message.objects.filter(pk=first.pk).update(when_added=timezone.now() - datetime.timedelta(seconds=1000))
    response = client.get("/healthz")
    data = response.json()
    assert (response.status_code, data["status"], data["problem"]) == (503, "error", "mail_queue")
    assert data["mail_queue"]["waiting"] == 2 and 1000 <= data["mail_queue"]["oldest_age_seconds"] < 1100


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def down():
        raise OperationalError("connection refused")

    monkeypatch.setattr(queue, "queue_status", down)
    response = client.get("/healthz")
    assert (response.status_code, response.json()["database"]) == (503, "down")


def test_staff_see_queued_and_failed_emails_in_swedish_and_can_retry(client, smtp, settings):
    settings.OTP_REQUIRED = False
    send_mail("Bekräftelse", "Tack.", None, ["saga@example.org"])
    worker_once()  # the SMTP server is down
    client.force_login(UserFactory(username="chef", is_superuser=True))

    page = client.get("/admin/innovationsvecka/queuedemail/").content.decode()
    for text in ("E-brev i kö", "Mottagare", "Senaste fel", "saga@example.org", "Bekräftelse",
                 "Misslyckades, försöker igen", "ConnectionRefusedError"):  # fmt: skip
        assert text in page
    assert "/admin/mailer/" not in client.get("/admin/").content.decode()  # django-mailer's English pages are gone

    log = client.get("/admin/innovationsvecka/emailattempt/?resultat=3").content.decode()
    assert "Misslyckades" in log and "saga@example.org" in log

    settings.MAILER_EMAIL_MAX_RETRIES = 0  # as if every try were used up; the action gives it a fresh start
    message = Message.objects.get()
    response = client.post("/admin/innovationsvecka/queuedemail/",
                           {"action": "retry_now", "_selected_action": [message.pk]}, follow=True)  # fmt: skip
    assert "1 e-brev skickas vid nästa försök." in response.content.decode()
    settings.MAILER_EMAIL_MAX_RETRIES = 48
    smtp.controller.start()
    worker_once()
    assert len(smtp.received) == 1 and not Message.objects.exists()


def test_the_worker_retries_deferred_messages_as_soon_as_it_starts(smtp, settings):
    settings.MAIL_POLL_SECONDS, settings.MAIL_RETRY_SECONDS = 5, 300
    send_mail("Väntar", "Text", None, ["a@example.org"])
    queue.run_worker(once=True)  # SMTP down: deferred
    smtp.controller.start()
    now, rounds = [0.0], []

    def sleep(seconds):
        rounds.append((now[0], len(smtp.received)))
        now[0] += seconds

    queue.run_worker(stopping=lambda: now[0] > 310, sleep=sleep, clock=lambda: now[0])
    # A restarted worker (after an outage, a deploy) does not wait MAIL_RETRY_SECONDS for what was deferred.
    assert rounds[0] == (0.0, 1) and len(smtp.received) == 1


def test_a_deferred_message_waits_for_the_retry_interval(smtp, settings):
    settings.MAIL_POLL_SECONDS, settings.MAIL_RETRY_SECONDS = 5, 300
    now, seen = [0.0], {}
    smtp.controller.start()

    def sleep(seconds):
        seen[now[0]] = len(smtp.received)
        if now[0] == 0:  # after the first round: a message fails once, as if SMTP had hiccuped
            send_mail("Väntar", "Text", None, ["a@example.org"])
            Message.objects.update(priority=PRIORITY_DEFERRED)
        now[0] += seconds

    queue.run_worker(stopping=lambda: now[0] > 305, sleep=sleep, clock=lambda: now[0])
    assert (seen[295], seen[300]) == (0, 1)  # not before MAIL_RETRY_SECONDS, then at once


def test_password_reset_links_go_through_the_queue_too(client, queued):
    programme_editor(username="redaktor", email="redaktor@example.org")
    response = client.post("/admin/password_reset/", {"email": "redaktor@example.org"}, HTTP_HOST="localhost")
    assert response.status_code == 302 and mail.outbox == [] and Message.objects.count() == 1
    worker_once()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["redaktor@example.org"], "Nytt lösenord till Sörmlands innovationsvecka")
    ]


def test_the_worker_waits_out_a_lost_database(monkeypatch, caplog):
    calls = []

    def deliver(retry):
        calls.append(retry)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(queue, "deliver", deliver)
    queue.run_worker(stopping=lambda: len(calls) >= 2, sleep=lambda seconds: None, clock=lambda: 0.0)
    assert calls == [True, True]  # the failed round's retry of deferred messages is not counted as done
    assert "could not reach the database" in caplog.text
