"""Registration here (issue 16): the form, places and the queue, the personal link, change notices, reminders,
retention, and what a registration must not touch (content version, feeds, the public page)."""

import datetime
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import registrations, services
from events.models import Registration, RegistrationTotals, Session
from events.registration_views import luhn_ok, normal_org_number, sign_start
from innovationsvecka import content
from tests.conftest import text, uid
from tests.factories import EditionFactory, SessionFactory, local, municipality
from tests.test_calendar import parse_everywhere

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year + 1
S = Registration.Status


@pytest.fixture
def next_edition(db):
    return EditionFactory(year=YEAR)


def here_session(edition, **kwargs):
    values = {"registration_mode": "here", "capacity": 3, "edition": edition, "slug": "verkstad",
              "title": "Idéverkstad", "start": local(YEAR, 11, edition.start_date.day + 1, 10),
              "first_published": timezone.now()}
    values.update(kwargs)
    values.setdefault("end", values["start"] + datetime.timedelta(hours=2))
    return SessionFactory(**values)


@pytest.fixture
def session(next_edition):
    return here_session(next_edition)


def url(session):
    return f"/siv/{session.edition.year}/{session.slug}/anmalan/"


def post(name="Saga Svensson", email="saga@example.org", **extra):
    data = {"name": name, "email": email, "consent": "on", "started": sign_start(time.time() - 60), "website": ""}
    data.update(extra)
    return data


def register(n, session, **kwargs):
    return registrations.register(session_id=session.pk, name=f"Person {n}", email=f"p{n}@example.org", **kwargs)


# ---- the form ----


def test_register_holds_a_place_and_redirects_to_the_receipt_and_mails_the_ics(client, session):
    response = client.post(url(session), post())
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_receipt_url()
    assert (registration.status, registration.email, registration.language) == (S.CONFIRMED, "saga@example.org", "sv")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Du är anmäld" in text(page)
    assert "no-store" in page["Cache-Control"] and page["X-Robots-Tag"] == "noindex"
    assert page["Referrer-Policy"] == "same-origin"
    [message] = mail.outbox
    assert message.to == ["saga@example.org"] and message.subject == "Du är anmäld: Idéverkstad"
    assert "Saga" not in message.body and "Svensson" not in message.body  # nothing the person typed
    assert registration.get_absolute_url() in message.body
    assert registration.receipt not in message.body
    [(filename, ics, mimetype)] = message.attachments
    assert filename == "programpunkt.ics" and mimetype == "text/calendar"
    event = parse_everywhere(ics.encode() if isinstance(ics, str) else ics)[uid(session)]
    assert int(event["SEQUENCE"]) == Session.objects.get(pk=session.pk).sequence


def test_the_form_is_not_cached_noindex_and_shows_places_left(client, session):
    register(1, session)
    response = client.get(url(session))
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    assert "2 platser kvar" in text(response) and "csrfmiddlewaretoken" in response.content.decode()


def test_errors_keep_everything_typed(client, next_edition):
    session = here_session(next_edition, ask_organisation=True, ask_org_number=True, ask_municipality=True)
    eskilstuna = municipality("eskilstuna")
    response = client.post(url(session), post(
        email="inte-en-adress", organisation="Almi Mälardalen", org_number="556016-0681", municipality=eskilstuna.pk,
    ))
    page = response.content.decode()
    assert response.status_code == 200 and not Registration.objects.exists()
    assert 'value="Saga Svensson"' in page and 'value="Almi Mälardalen"' in page and 'value="556016-0681"' in page
    assert f'<option value="{eskilstuna.pk}" selected>' in page and 'value="inte-en-adress"' in page
    assert "Organisationsnumret stämmer inte" in page and "Anmälan är inte skickad än" in page


def test_org_number_check_digit():
    assert luhn_ok("5560160680") and not luhn_ok("5560160681")
    assert normal_org_number("5560160680") == "556016-0680" == normal_org_number("556016-0680")
    assert normal_org_number("556016-068") is None and normal_org_number("55601606x0") is None


def test_needs_need_explicit_consent_and_are_kept_only_with_it(client, next_edition):
    session = here_session(next_edition, ask_needs=True)
    response = client.post(url(session), post(needs="Rullstol, glutenfritt"))
    assert response.status_code == 200 and "Kryssa i samtycket" in response.content.decode()
    assert "Rullstol, glutenfritt" in response.content.decode() and not Registration.objects.exists()
    client.post(url(session), post(needs="Rullstol, glutenfritt", needs_consent="on"))
    registration = Registration.objects.get()
    assert registration.needs == "Rullstol, glutenfritt" and registration.needs_consent_at is not None
    # the service drops needs given without consent, whatever calls it
    other = registrations.register(session_id=session.pk, name="X", email="x@example.org", needs="Hörslinga")
    assert other.needs == "" and other.needs_consent_at is None


def test_honeypot_fast_posts_and_the_per_email_limit(client, session, settings):
    assert client.post(url(session), post(website="http://spam")).status_code == 400
    assert client.post(url(session), post(started=sign_start())).status_code == 400
    session.capacity = None
    session.save()
    settings.SIV_REGISTRATIONS_PER_EMAIL = 2
    for _ in range(2):
        assert client.post(url(session), post()).status_code == 302
    refused = client.post(url(session), post())
    assert refused.status_code == 429 and Registration.objects.count() == 2
    assert client.post(url(session), post(email="annan@example.org")).status_code == 302  # same address, fine


def test_the_session_page_links_to_the_form_and_stays_the_same_for_everyone(client, session):
    page = client.get(session.get_absolute_url())
    assert url(session) in page.content.decode() and "3 platser kvar" in text(page)
    assert "csrfmiddlewaretoken" not in page.content.decode()


def test_english_form(client, session):
    response = client.get("/en" + url(session))
    assert response.status_code == 200 and "Register: Idéverkstad" in text(response)
    client.post("/en" + url(session), post())
    assert Registration.objects.get().language == "en"
    assert mail.outbox[0].subject == "You are registered: Idéverkstad"


def test_no_form_for_other_modes_or_unpublished(client, next_edition):
    external = SessionFactory(edition=next_edition, registration_mode="external", slug="extern")
    draft = here_session(next_edition, status=Session.Status.DRAFT, slug="utkast")
    assert client.get(url(external)).status_code == 404 and client.get(url(draft)).status_code == 404


# ---- the queue ----


def test_full_puts_people_in_the_queue_and_a_cancel_promotes_the_first(client, session):
    first, second, third, fourth, fifth = (register(n, session) for n in range(5))
    assert [r.status for r in (first, second, third, fourth, fifth)] == [S.CONFIRMED] * 3 + [S.WAITING] * 2
    assert "Fullbokat – ställ dig i kö" in text(client.get(url(session)))
    mail.outbox.clear()
    response = client.post(f"/siv/anmalan/{second.token}/avboka/{second.pk}/")
    assert response.status_code == 302
    fourth.refresh_from_db()
    fifth.refresh_from_db()
    assert (fourth.status, fifth.status) == (S.CONFIRMED, S.WAITING) and fourth.promoted_at is not None
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("p1@example.org", "Avbokad: Idéverkstad"), ("p3@example.org", "Du har fått en plats: Idéverkstad"),
    ]


def test_nobody_is_promoted_after_the_last_day(session, monkeypatch):
    session.registration_deadline = session.start - datetime.timedelta(days=1)
    session.save()
    regs = [register(n, session) for n in range(4)]
    later = session.registration_deadline + datetime.timedelta(hours=1)
    registrations.cancel(registration=regs[0], now=later)
    regs[3].refresh_from_db()
    assert regs[3].status == S.WAITING
    with pytest.raises(registrations.RegistrationClosed):
        register(9, session, now=later)


def test_closed_form_after_deadline(client, session):
    session.registration_deadline = timezone.now() - datetime.timedelta(minutes=1)
    session.save()
    response = client.get(url(session))
    assert "Anmälan är stängd" in text(response)
    assert client.post(url(session), post()).status_code == 409 and not Registration.objects.exists()


# ---- the personal link ----


def test_personal_link_lists_the_addresses_registrations_the_receipt_only_its_own(client, next_edition, session):
    other = here_session(next_edition, slug="annan", title="Annan punkt")
    one = registrations.register(session_id=session.pk, name="A", email="a@example.org")
    two = registrations.register(session_id=other.pk, name="A", email="A@example.org")
    personal = text(client.get(f"/siv/anmalan/{one.token}/"))
    assert "Idéverkstad" in personal and "Annan punkt" in personal
    receipt = text(client.get(f"/siv/anmalan/{two.receipt}/"))
    assert "Annan punkt" in receipt and "Idéverkstad" not in receipt
    assert client.get("/siv/anmalan/finns-inte/").status_code == 404
    # someone else's receipt cannot cancel this address's other registration
    assert client.post(f"/siv/anmalan/{two.receipt}/avboka/{one.pk}/").status_code == 404


def test_cancel_asks_first_and_delete_removes_all_data(client, next_edition, session):
    other = here_session(next_edition, slug="annan", title="Annan punkt")
    one = registrations.register(session_id=session.pk, name="A", email="a@example.org")
    registrations.register(session_id=other.pk, name="A", email="a@example.org")
    confirm = client.get(f"/siv/anmalan/{one.token}/avboka/{one.pk}/")
    assert confirm.status_code == 200 and "Ja, avboka" in text(confirm)
    assert Registration.objects.get(pk=one.pk).status == S.CONFIRMED  # a GET changes nothing
    assert "Ja, radera allt" in text(client.get(f"/siv/anmalan/{one.token}/radera/"))
    assert Registration.objects.count() == 2
    done = client.post(f"/siv/anmalan/{one.token}/radera/")
    assert done.status_code == 200 and "raderade" in text(done) and not Registration.objects.exists()
    assert client.get(f"/siv/anmalan/{one.token}/").status_code == 404


# ---- a registration is not content ----


def test_registering_changes_no_content_version_and_no_feed_etag(client, session):
    feed = client.get(f"/siv/{YEAR}/kalender.ics")
    version = content.content_version()
    client.post(url(session), post())
    registrations.cancel(registration=Registration.objects.get())
    assert content.content_version() == version
    again = client.get(f"/siv/{YEAR}/kalender.ics")
    assert again["ETag"] == feed["ETag"] and again.content == feed.content
    api = client.get(f"/siv/api/v1/{YEAR}/sessions.json").content.decode()
    assert "platser kvar" not in api and "places_left" not in api


# ---- the join link ----


def test_the_join_link_goes_to_registrants_only(client, next_edition):
    session = here_session(
        next_edition, format=Session.Format.DIGITAL, venue=None, online_url="", slug="digital",
        online_note="Länken skickas efter anmälan.", join_url="https://meet.example.org/hemlig-rum-42",
    )
    secret = "hemlig-rum-42"
    registration = register(1, session)
    assert secret in mail.outbox[0].body
    assert secret in client.get(registration.get_absolute_url()).content.decode()
    public = [
        session.get_absolute_url(), f"/siv/{YEAR}/", f"/siv/{YEAR}/kalender.ics", f"/siv/{YEAR}/digital.ics",
        "/siv/kalender.ics", f"/siv/api/v1/{YEAR}/sessions.json", "/siv/api/v1/sessions.json",
        "/siv/api/v1/sessions.jsonld", "/siv/nyheter.xml", url(session), "/en" + session.get_absolute_url(),
        "/siv/inbaddning/",
    ]
    for path in public:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert secret not in response.content.decode(), path
    from events.resources import SessionResource

    assert secret not in SessionResource().export(Session.objects.all()).csv
    mail.outbox.clear()
    day_before = timezone.localtime(session.start).date() - datetime.timedelta(days=1)
    registrations.send_reminders(now=timezone.make_aware(datetime.datetime.combine(day_before, datetime.time(10))))
    assert [m.to for m in mail.outbox] == [[registration.email]] and secret in mail.outbox[0].body


# ---- change notices ----


def registrants(session):
    register(1, session)
    register(2, session, language="en")
    for n in range(3, 5):
        register(n, session)  # p3, p4 wait (capacity 3)
    mail.outbox.clear()


def parsed_ics(message, session):
    [(_name, ics, _type)] = message.attachments
    return parse_everywhere(ics.encode() if isinstance(ics, str) else ics)[uid(session)]


def test_a_move_tells_everyone_registered_and_waiting_with_the_new_time(session):
    registrants(session)
    session.start += datetime.timedelta(hours=3)
    session.end += datetime.timedelta(hours=3)
    services.save_session(session=session)
    assert sorted(m.to[0] for m in mail.outbox) == [f"p{n}@example.org" for n in range(1, 5)]
    swedish = next(m for m in mail.outbox if m.to == ["p1@example.org"])
    assert swedish.subject == "Ändrad tid eller plats: Idéverkstad"
    assert "Ny tid:" in swedish.body and "kl. 13:00–15:00" in swedish.body
    english = next(m for m in mail.outbox if m.to == ["p2@example.org"])
    assert english.subject == "Changed time or place: Idéverkstad" and "New time:" in english.body
    event = parsed_ics(swedish, session)
    session.refresh_from_db()
    assert int(event["SEQUENCE"]) == session.sequence and event["DTSTART"].dt.hour == 13
    mail.outbox.clear()
    session.summary = "Ny text"
    services.save_session(session=session)  # not a time or place: nobody is mailed
    assert mail.outbox == []


def test_a_new_venue_address_tells_the_registrants(session):
    registrants(session)
    venue = session.venue
    venue.street_address = "Nygatan 9"
    services.save_venue(venue=venue)
    assert len(mail.outbox) == 4 and "Nygatan 9" in mail.outbox[0].body


def test_a_cancellation_tells_everyone_with_the_note_and_a_cancelled_ics(session):
    registrants(session)
    services.cancel(session=session, note="Föreläsaren är sjuk.")
    assert len(mail.outbox) == 4
    message = next(m for m in mail.outbox if m.to == ["p1@example.org"])
    assert message.subject == "Inställt: Idéverkstad" and "Föreläsaren är sjuk." in message.body
    assert str(parsed_ics(message, session)["STATUS"]) == "CANCELLED"


def test_a_withdrawal_tells_everyone(session):
    registrants(session)
    services.unpublish(session=session)
    assert len(mail.outbox) == 4
    message = next(m for m in mail.outbox if m.to == ["p1@example.org"])
    assert message.subject == "Inställt: Idéverkstad" and "/siv/anmalan/" in message.body
    assert "inte längre med i programmet och blir inte av" in message.body
    assert str(parsed_ics(message, session)["STATUS"]) == "CANCELLED"


# ---- reminders ----


def test_reminder_the_day_before_at_the_editions_time_once(session, next_edition):
    register(1, session)
    register(2, session)
    mail.outbox.clear()
    day_before = timezone.localtime(session.start).date() - datetime.timedelta(days=1)
    early = timezone.make_aware(datetime.datetime.combine(day_before, datetime.time(8, 59)))
    assert registrations.send_reminders(now=early) == 0
    at_nine = early + datetime.timedelta(minutes=1)
    assert registrations.send_reminders(now=at_nine) == 2
    assert registrations.send_reminders(now=at_nine + datetime.timedelta(hours=1)) == 0  # idempotent
    assert {m.subject for m in mail.outbox} == {"Påminnelse: Idéverkstad i morgon"}
    assert session.venue.street_address in mail.outbox[0].body


def test_send_reminders_command(session, monkeypatch):
    register(1, session)
    mail.outbox.clear()
    day_before = timezone.localtime(session.start).date() - datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(day_before, datetime.time(10, 0)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(mail.outbox) == 1


# ---- retention ----


def test_purge_writes_totals_then_deletes_personal_data(next_edition, session):
    other = here_session(next_edition, slug="annan", capacity=None)
    eskilstuna = municipality("eskilstuna")
    a = register(1, session, municipality=eskilstuna)
    register(2, session)
    register(1, other)
    Registration.objects.filter(pk=a.pk).update(attended=True)
    Registration.objects.create(session=session, name="På plats", walk_in=True, attended=True)
    call_command("purge_registrations")
    assert Registration.objects.count() == 4  # not yet: within the retention time
    after = next_edition.end_date + datetime.timedelta(days=91)
    from mailer.models import MessageLog

    MessageLog.objects.create(
        message_data="To: p1@example.org", when_added=timezone.now(), priority=2, result="1", log_message="",
        when_attempted=timezone.now() - datetime.timedelta(days=1),
    )
    call_command("purge_registrations", "--today", after.isoformat())
    assert not Registration.objects.exists() and not MessageLog.objects.exists()
    totals = RegistrationTotals.objects.get(edition=next_edition).data
    assert (totals["registrations"], totals["attended"], totals["walk_ins"], totals["no_shows"]) == (3, 2, 1, 2)
    assert totals["unique_participants"] == 3
    assert totals["per_session"]["verkstad"]["attended"] == 2
    assert totals["per_municipality"]["Eskilstuna"] == {"registrations": 1, "attended": 1}


def test_registration_has_no_history_table():
    assert not hasattr(Registration, "history")


# ---- query counts ----


def test_registration_post_and_confirmation_page_query_counts_are_constant(client, next_edition, settings):
    """With the e-mail queue as in production. The POST (8): the session, the .ics's event row (the event itself is
    cached; building it would be three more), then a savepoint around: lock the session, count, insert, queue the
    e-mail. The receipt page (4): the registration with its session, and the page's shared parts (the footer's
    edition and contacts)."""
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    counts = []
    for n, size in enumerate((1, 20)):
        session = here_session(next_edition, slug=f"punkt-{n}", capacity=100)
        for i in range(size):
            register(100 * n + i, session)
        with CaptureQueriesContext(connection) as posting:
            response = client.post(url(session), post(email=f"new{n}@example.org"))
        assert response.status_code == 302
        with CaptureQueriesContext(connection) as page:
            assert client.get(response["Location"]).status_code == 200
        counts.append((len(posting), len(page)))
    assert counts == [(8, 4), (8, 4)], counts


# ---- the queue and a real SMTP server ----

from tests.test_mail_queue import smtp as smtp  # noqa: E402 -- the fixture
from tests.test_mail_queue import worker_once  # noqa: E402


def test_the_confirmation_waits_in_the_queue_and_reaches_a_real_smtp_server_with_its_ics(client, session, smtp):
    import email
    import email.policy

    from mailer.models import Message

    assert client.post(url(session), post()).status_code == 302
    assert Message.objects.count() == 1 and mail.outbox == []  # queued, not sent
    worker_once()  # the server is down: deferred, not lost
    assert Message.objects.count() == 1 and smtp.received == []
    smtp.controller.start()
    worker_once()
    [envelope] = smtp.received
    assert envelope.rcpt_tos == ["saga@example.org"]
    delivered = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert delivered["Subject"] == "Du är anmäld: Idéverkstad"
    [ics] = [part for part in delivered.iter_attachments() if part.get_content_type() == "text/calendar"]
    event = parse_everywhere(ics.get_payload(decode=True))[uid(session)]
    assert str(event["SUMMARY"]) == "Idéverkstad"
    assert not Message.objects.exists()


def test_the_access_log_masks_the_personal_link():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(__file__).parent.parent / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    line = "GET /en/siv/anmalan/AbC-123_x/avboka/4/ and /siv/2027/verkstad/anmalan/"
    assert conf.MY_PROGRAMME_TOKEN.sub(r"\1[token]", line) == (
        "GET /en/siv/anmalan/[token]/avboka/4/ and /siv/2027/verkstad/anmalan/"
    )
    assert conf.MY_PROGRAMME_TOKEN.sub(r"\1[token]", "/siv/mitt-program/stjarna/") == "/siv/mitt-program/stjarna/"


def test_more_places_promote_the_queue(session):
    regs = [register(n, session) for n in range(5)]
    mail.outbox.clear()
    session.capacity = 4
    services.save_session(session=session)
    assert [r.status for r in Registration.objects.order_by("pk")] == [S.CONFIRMED] * 4 + [S.WAITING]
    assert [m.to for m in mail.outbox] == [[regs[3].email]] and mail.outbox[0].subject.startswith("Du har fått")


def test_places_left_on_the_cached_session_page_lag_at_most_one_page_lifetime(client, session, page_clock):
    assert "3 platser kvar" in text(client.get(session.get_absolute_url()))
    register(1, session)
    assert "3 platser kvar" in text(client.get(session.get_absolute_url()))  # the shared copy, up to 5 minutes old
    assert "2 platser kvar" in text(client.get(url(session)))  # the form counts live
    page_clock.advance(300)
    assert "2 platser kvar" in text(client.get(session.get_absolute_url()))


def test_an_import_that_moves_a_session_notifies_and_its_preview_sends_nothing(editor_client, next_edition, settings):
    from mailer.models import Message

    from tests.factories import OrganisationFactory, VenueFactory
    from tests.test_import import IMPORT, PROCESS, csv_file

    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    venue = VenueFactory(name="MITC")
    session = here_session(next_edition, venue=venue, slug="frukostmote", title="Frukostmöte",
                           organisers=[OrganisationFactory(name="MITC")])
    register(1, session)
    register(2, session)
    Message.objects.all().delete()
    day = timezone.localtime(session.start).date().isoformat()
    sheet = csv_file([{"upplaga": str(YEAR), "rubrik": "Frukostmöte", "kortnamn": "frukostmote", "datum": day,
                       "börjar": "14:00", "slutar": "15:00", "form": "plats", "plats": "MITC", "arrangörer": "MITC",
                       "status": "publicerad"}])
    preview = editor_client.post(IMPORT, {"resource": "0", "format": "0", "import_file": sheet})
    assert [r.import_type for r in preview.context["result"].rows] == ["update"]
    assert not Message.objects.exists()  # the preview is rolled back, and the queued e-mails with it
    confirm = preview.context["confirm_form"]
    editor_client.post(PROCESS, {name: confirm[name].value() for name in confirm.fields})
    assert Message.objects.count() == 2
    assert sorted(m.to_addresses[0] for m in Message.objects.all()) == ["p1@example.org", "p2@example.org"]


def test_the_mail_worker_queues_due_reminders_too(session, monkeypatch, settings):
    settings.EMAIL_BACKEND = "innovationsvecka.mail.QueueBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    register(1, session)
    worker_once()
    mail.outbox.clear()
    day_before = timezone.localtime(session.start).date() - datetime.timedelta(days=1)
    moment = timezone.make_aware(datetime.datetime.combine(day_before, datetime.time(9, 30)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    worker_once()  # a round that retries also queues what is due, and then sends it
    assert [m.subject for m in mail.outbox] == ["Påminnelse: Idéverkstad i morgon"]
