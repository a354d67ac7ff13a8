"""Registration here (issue 16): places, the waiting list, and the e-mails registrants get.

A registration is not content: nothing here saves a Session, so the content version, the page cache and the feeds
never change because someone registered. The session page may show a places-left figure up to its page lifetime
(300 s) old; the form and register() always count live.

Never oversold: register() and promote() take the Session row with SELECT … FOR UPDATE inside one transaction,
so on PostgreSQL registrations for one session are counted and inserted one at a time (on SQLite every write
transaction is serialised anyway). tests/test_registration_concurrency.py proves it with 50 threads.

Every e-mail goes through the queue (innovationsvecka.mail, django-mailer): it is queued in the same transaction
as the change it tells about, so a rolled-back change sends nothing. The e-mails carry nothing the registrant
typed (the form could be used to mail a stranger): they greet neutrally and show only what staff wrote.
"""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from mailer.models import MessageLog

from innovationsvecka.seo import absolute

from .models import Registration, RegistrationMode, Session

logger = logging.getLogger(__name__)

S = Registration.Status
ACTIVE = (S.CONFIRMED, S.WAITING)


class RegistrationClosed(Exception):
    pass


# ---- the numbers ----


def closes_at(session):
    """The last moment to register, and to be promoted from the queue: the deadline, else the start."""
    return session.registration_deadline or session.start


def is_open(session, now=None):
    now = now or timezone.now()
    return (
        session.registration_mode == RegistrationMode.HERE
        and session.status == Session.Status.PUBLISHED
        and session.edition.is_published
        and now < closes_at(session)
    )


def confirmed_count(session):
    """Places taken. Walk-ins added at the door take none: registration has closed by then."""
    return Registration.objects.filter(session=session, status=S.CONFIRMED, walk_in=False).count()


def places_left(session):
    """Live: free places, or None when the session has no capacity (one query, none without a capacity)."""
    if session.capacity is None:
        return None
    return max(0, session.capacity - confirmed_count(session))


def recipients_count(sessions):
    """How many registrants (confirmed and waiting) a change to these sessions would e-mail; one query."""
    return Registration.objects.filter(
        session__in=sessions, session__registration_mode=RegistrationMode.HERE, session__end__gte=timezone.now(),
        status__in=ACTIVE,
    ).count()


# ---- registering, cancelling, the queue ----


def register(*, session_id, name, email, language="sv", **answers):
    """Hold a place at once (or a place in the queue when full) and queue the e-mail that confirms it.

    The .ics is built before the session is locked, so the locked part is four short statements (lock, count,
    insert, queue the e-mail): 50 people at once wait for each other a few milliseconds each."""
    with translation.override(language or "sv"):
        ics = session_ics(Session(pk=session_id))
    with transaction.atomic():
        return _register(session_id=session_id, name=name, email=email, language=language, ics=ics, **answers)


def _register(*, session_id, name, email, language, ics, organisation="", org_number="", municipality=None,
              audience=None, needs="", needs_consent=False, now=None):
    now = now or timezone.now()
    session = Session.objects.select_for_update(of=("self",)).select_related("edition", "venue").get(pk=session_id)
    if not is_open(session, now):
        raise RegistrationClosed
    full = session.capacity is not None and confirmed_count(session) >= session.capacity
    needs = needs.strip() if needs_consent else ""  # GDPR art. 9: no consent, nothing kept
    registration = Registration.objects.create(
        session=session, name=name, email=email.strip().lower(), language=language, organisation=organisation,
        org_number=org_number, municipality=municipality, audience=audience, needs=needs,
        needs_consent_at=now if needs else None, status=S.WAITING if full else S.CONFIRMED, created=now,
    )
    registration.session = session
    send(registration, "waiting" if full else "confirmed", ics=ics)
    return registration


@transaction.atomic
def cancel(*, registration, now=None):
    """The person cancels (or staff remove) a place: the first in line gets it if it is not too late."""
    now = now or timezone.now()
    session = Session.objects.select_for_update(of=("self",)).get(pk=registration.session_id)
    updated = Registration.objects.filter(pk=registration.pk, status__in=ACTIVE).update(
        status=S.CANCELLED, cancelled_at=now
    )
    if updated:
        promote(session=session, now=now)
    return updated


@transaction.atomic
def remove(*, registration, now=None):
    """Staff remove a registration (spam, a duplicate): it is deleted, and the queue moves up."""
    session = Session.objects.select_for_update(of=("self",)).get(pk=registration.session_id)
    registration.delete()
    promote(session=session, now=now)


@transaction.atomic
def delete_person(*, registrations, now=None):
    """Delete all these registrations (the person's "delete all my data"); freed places go to the queue."""
    sessions = {r.session_id for r in registrations}
    Registration.objects.filter(pk__in=[r.pk for r in registrations]).delete()
    for session in Session.objects.select_for_update(of=("self",)).filter(pk__in=sessions).order_by("pk"):
        promote(session=session, now=now)


def promote(*, session, now=None):
    """Give free places to the first in line, in order, and tell them. Call with the Session row locked.
    Nobody is promoted after the last day to register, nor for a session that is not on."""
    now = now or timezone.now()
    if now >= closes_at(session) or session.status != Session.Status.PUBLISHED:
        return []
    waiting = Registration.objects.filter(session=session, status=S.WAITING).order_by("created", "pk")
    if session.capacity is not None:
        free = session.capacity - confirmed_count(session)
        if free <= 0:
            return []
        waiting = waiting[:free]
    promoted = list(waiting)
    for registration in promoted:
        registration.status, registration.promoted_at, registration.session = S.CONFIRMED, now, session
        registration.save(update_fields=["status", "promoted_at"])
        send(registration, "promoted")
    return promoted


# ---- e-mails ----


def session_ics(session):
    """The session's .ics as the feeds have it (same UID and SEQUENCE), or b"" if no calendar carries it."""
    from .calendar import build_calendar

    body = build_calendar(sessions=Session.objects.filter(pk=session.pk))
    return body if b"BEGIN:VEVENT" in body else b""


def when_text(session):
    start, end = timezone.localtime(session.start), timezone.localtime(session.end)
    day = formats.date_format(start, "l j F Y")
    return _("%(day)s kl. %(start)s–%(end)s") % {"day": day, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}


def place_text(session):
    if session.format == Session.Format.DIGITAL or session.venue is None:
        return _("Digitalt")
    address = session.venue.full_address
    if session.format == Session.Format.HYBRID:
        return _("%(address)s – även digitalt") % {"address": address}
    return address


def join_link(session):
    """The link to the digital session: for registrants with a place, never on a public page."""
    if not session.is_online:
        return ""
    return session.join_url or session.online_url


SUBJECTS = {
    "confirmed": gettext_noop("Du är anmäld: %(title)s"),
    "waiting": gettext_noop("Du står i kö: %(title)s"),
    "promoted": gettext_noop("Du har fått en plats: %(title)s"),
    "cancelled_by_you": gettext_noop("Avbokad: %(title)s"),
    "moved": gettext_noop("Ändrad tid eller plats: %(title)s"),
    "cancelled": gettext_noop("Inställt: %(title)s"),
    "withdrawn": gettext_noop("Inställt: %(title)s"),
    "reminder": gettext_noop("Påminnelse: %(title)s i morgon"),
}


def subject_for(kind, session):
    return _(SUBJECTS[kind]) % {"title": session.title}


def build_email(registration, kind, *, changes=(), ics=None):
    """One registrant's e-mail in their language: only what staff wrote, the personal link and the .ics."""
    session = registration.session
    with translation.override(registration.language or "sv"):
        confirmed = registration.status == S.CONFIRMED
        context = {
            "kind": kind,
            "session": session,
            "title": session.title,
            "when": when_text(session),
            "place": place_text(session),
            "changes": changes,
            "confirmed": confirmed,
            "join_link": join_link(session) if confirmed and kind not in ("cancelled", "withdrawn") else "",
            "personal_url": absolute(registration.get_absolute_url()),
            "session_url": absolute(session.get_absolute_url()),
            "note": session.cancellation_note if kind == "cancelled" else "",
        }
        body = render_to_string("events/registration_email.txt", context)
        message = EmailMessage(subject_for(kind, session), body, None, [registration.email])
        if kind != "cancelled_by_you":
            ics = ics if ics is not None else session_ics(session)
            if ics:
                message.attach("programpunkt.ics", ics, "text/calendar")
    return message


def send(registration, kind, *, changes=(), ics=None):
    if not registration.email:
        return
    build_email(registration, kind, changes=changes, ics=ics).send()


# ---- change notices (called from events.services) ----


def what_changed(old, session):
    """(kind, [lines]) for a saved session against its previous calendar fields, or (None, [])."""
    S_ = Session.Status
    withdrawn_statuses = (S_.DRAFT, S_.PROPOSED)
    if old["status"] != session.status:
        if session.status == S_.CANCELLED:
            return "cancelled", []
        if old["status"] in (S_.PUBLISHED, S_.CANCELLED) and session.status in withdrawn_statuses:
            return "withdrawn", []
    if session.status != S_.PUBLISHED:
        return None, []
    lines = []
    if old["start"] != session.start or old["end"] != session.end:
        lines.append(_("Ny tid: %(when)s") % {"when": when_text(session)})
    if old["venue_id"] != session.venue_id or old["format"] != session.format:
        lines.append(_("Ny plats: %(place)s") % {"place": place_text(session)})
    return ("moved" if lines else None), lines


def session_changed(*, session, old):
    """After save_session: e-mail everyone registered or waiting about a new time or place, a cancellation or a
    withdrawal, with the updated .ics. `old` holds the calendar fields before the save (None for a new one)."""
    if old is None or session.registration_mode != RegistrationMode.HERE or session.end < timezone.now():
        return 0
    registrations = list(Registration.objects.filter(session=session, status__in=ACTIVE).order_by("pk"))
    if not registrations:
        return 0
    session = Session.objects.select_related("edition", "venue").get(pk=session.pk)
    if any(r.status == S.WAITING for r in registrations):
        promote(session=session)  # more places (save_session holds the row's lock); no-op when still full
        registrations = list(Registration.objects.filter(session=session, status__in=ACTIVE).order_by("pk"))
    with translation.override("sv"):
        kind, _lines = what_changed(old, session)
    if kind is None:
        return 0
    return _notify(session, registrations, kind, lambda: what_changed(old, session)[1])


def venue_changed(*, venue):
    """After save_venue changed an address: e-mail the registrants of the upcoming sessions held there."""
    sessions = Session.objects.filter(
        venue=venue, registration_mode=RegistrationMode.HERE, status=Session.Status.PUBLISHED,
        end__gte=timezone.now(),
    ).select_related("edition", "venue")
    sent = 0
    for session in sessions:
        registrations = list(Registration.objects.filter(session=session, status__in=ACTIVE).order_by("pk"))
        if registrations:
            sent += _notify(session, registrations, "moved",
                            lambda s=session: [_("Ny adress: %(place)s") % {"place": place_text(s)}])
    return sent


def _notify(session, registrations, kind, lines):
    by_language = {}
    for registration in registrations:
        registration.session = session
        language = registration.language or "sv"
        if language not in by_language:
            with translation.override(language):
                by_language[language] = (lines(), session_ics(session))
        changes, ics = by_language[language]
        send(registration, kind, changes=changes, ics=ics)
    return len(registrations)


# ---- reminders ----


def due_reminders(now=None):
    """Confirmed registrations for sessions tomorrow (Stockholm), not yet reminded, once the edition's reminder
    time of today has come."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    tomorrow = local.date() + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    return (
        Registration.objects.filter(
            status=S.CONFIRMED, reminded_at__isnull=True, session__status=Session.Status.PUBLISHED,
            session__start__gte=start, session__start__lt=start + datetime.timedelta(days=1),
            session__edition__reminder_time__lte=local.time(),
        )
        .select_related("session__edition", "session__venue")
        .order_by("session_id", "pk")
    )


def send_reminders(now=None):
    """Queue the day-before reminders that are due; each registration is reminded once (reminded_at)."""
    now = now or timezone.now()
    sent = 0
    for registration in due_reminders(now):
        with transaction.atomic():
            if Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(reminded_at=now):
                send(registration, "reminder")
                sent += 1
    return sent


# ---- retention ----


def edition_totals(edition):
    """The report's registration figures for an edition, as plain counts (kept after the data is deleted)."""
    regs = Registration.objects.filter(session__edition=edition).exclude(status=S.CANCELLED)
    per_session = {}
    keys = ("registrations", "attended", "walk_ins", "no_shows", "waiting")
    rows = regs.values("session_id", "session__title", "session__slug").annotate(
        n_registrations=Count("pk", filter=Q(walk_in=False)),
        n_attended=Count("pk", filter=Q(attended=True)),
        n_walk_ins=Count("pk", filter=Q(walk_in=True)),
        n_no_shows=Count("pk", filter=Q(status=S.CONFIRMED, attended=False, walk_in=False)),
        n_waiting=Count("pk", filter=Q(status=S.WAITING)),
    ).order_by("session_id")
    for row in rows:
        per_session[row["session__slug"]] = {"title": row["session__title"], **{k: row[f"n_{k}"] for k in keys}}

    def grouped(field):
        counted = regs.values(field).annotate(n=Count("pk"), came=Count("pk", filter=Q(attended=True)))
        return {(row[field] or "–"): {"registrations": row["n"], "attended": row["came"]} for row in counted}

    emails = regs.exclude(email="").values("email").distinct().count()
    no_email = regs.filter(email="").count()  # walk-ins without an address count one each
    return {
        "registrations": regs.filter(walk_in=False).count(),
        "attended": regs.filter(attended=True).count(),
        "walk_ins": regs.filter(walk_in=True).count(),
        "no_shows": regs.filter(status=S.CONFIRMED, attended=False, walk_in=False).count(),
        "waiting": regs.filter(status=S.WAITING).count(),
        "unique_participants": emails + no_email,
        "organisations": regs.exclude(organisation="").values("organisation").distinct().count(),
        "per_session": per_session,
        "per_municipality": grouped("municipality__name"),
        "per_audience": grouped("audience__name"),
    }


def purge_due(today=None):
    """Editions whose registrants' data is past its retention: (edition, totals) written, registrations deleted."""
    from .models import Edition, RegistrationTotals

    today = today or timezone.localdate()
    done = []
    for edition in Edition.objects.filter(sessions__registrations__isnull=False).distinct().order_by("year"):
        if edition.end_date + datetime.timedelta(days=edition.registration_retention_days) >= today:
            continue
        with transaction.atomic():
            totals = edition_totals(edition)
            RegistrationTotals.objects.update_or_create(edition=edition, defaults={"data": totals})
            Registration.objects.filter(session__edition=edition).delete()
            # The e-mail log (django-mailer's MessageLog) keeps each message whole, addresses included: entries
            # from before the cut-off go too, so no copy of a registrant's e-mail outlives the registration.
            cut_off = timezone.make_aware(datetime.datetime.combine(
                edition.end_date + datetime.timedelta(days=edition.registration_retention_days), datetime.time.min
            ))
            MessageLog.objects.filter(when_attempted__lt=cut_off).delete()
        done.append((edition, totals))
    return done
