"""Never oversold (issue 16): 50 registrations at the same moment for the last 5 places, each a real request in
its own thread with its own database connection, on PostgreSQL (SQLite serialises every writer, so it would
prove nothing). Skipped unless DATABASE_URL points at PostgreSQL; CI runs the suite there."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from mailer.models import Message

from events.models import Registration
from events.registration_views import sign_start
from tests.factories import EditionFactory, SessionFactory, local

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://…"),
    pytest.mark.django_db(transaction=True),
]

PEOPLE = 50


def test_fifty_at_once_for_the_last_five_places_give_five_places_and_forty_five_in_the_queue(settings):
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    year = timezone.localdate().year + 1
    edition = EditionFactory(year=year)
    start = local(year, 11, edition.start_date.day + 1, 10)
    session = SessionFactory(
        edition=edition, slug="populart", registration_mode="here", capacity=20, start=start,
        end=start + datetime.timedelta(hours=1), first_published=timezone.now(),
    )
    for n in range(15):
        Registration.objects.create(session=session, name=f"Tidig {n}", email=f"tidig{n}@example.org")
    url = f"/siv/{year}/populart/anmalan/"
    started = sign_start(time.time() - 60)
    barrier = threading.Barrier(PEOPLE)
    statuses, errors = [], []

    def person(n):
        try:
            client = Client()
            data = {"name": f"Person {n}", "email": f"p{n}@example.org", "consent": "on", "started": started}
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=person, args=(n,)) for n in range(PEOPLE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and statuses == [302] * PEOPLE
    new = Registration.objects.filter(email__startswith="p")
    assert new.filter(status="confirmed").count() == 5
    assert new.filter(status="waiting").count() == 45
    assert Registration.objects.filter(session=session, status="confirmed").count() == 20
    assert Message.objects.count() == PEOPLE  # every one got its e-mail queued, exactly once
