"""The rules every session obeys, and the changes to sessions that calendars and the public must hear about.

The admin, the import and the public proposal form all check sessions with session_problems() and save them
with save_session(), so the rules and the calendar bookkeeping are the same whichever way an edit arrives.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from organisers.models import Contact

from . import addresses, registrations
from .models import Edition, Session, Venue, week46


def long_date(day):
    """'måndag 9 november 2026': dates are spelled out, never 'vecka 46'."""
    return formats.date_format(day, "l j F Y")


def session_problems(session):
    """Field name -> message for every rule the session breaks. Reads only the session's own values."""
    problems = {}
    start, end = session.start, session.end
    if start and end and end <= start:
        problems["end"] = gettext("Sluttiden måste vara efter starttiden.")
    edition = session.edition if session.edition_id else None
    if edition and start and end:
        first, last = timezone.localdate(start), timezone.localdate(end)
        if first < edition.start_date or last > edition.end_date:
            problems.setdefault("start", gettext(
                "Programpunkten måste ligga inom upplagans datum, %(first)s till %(last)s."
            ) % {"first": long_date(edition.start_date), "last": long_date(edition.end_date)})
    if session.format in (Session.Format.ON_SITE, Session.Format.HYBRID) and not session.venue_id:
        problems["venue"] = gettext("En programpunkt på plats eller hybrid behöver en plats.")
    if session.format in (Session.Format.DIGITAL, Session.Format.HYBRID) and not (
        session.online_url or session.online_note
    ):
        problems["online_url"] = gettext(
            "En digital programpunkt eller hybrid behöver en länk eller en rad om länken "
            "(till exempel: Länken skickas efter anmälan)."
        )
    if session.registration_deadline and start and session.registration_deadline >= start:
        problems["registration_deadline"] = gettext("Sista anmälningsdag måste vara före starten.")
    if edition and session.slug:
        taken = Session.objects.filter(edition=edition, slug=session.slug).exclude(pk=session.pk)
        if taken.exists():
            problems["slug"] = gettext(
                "Det finns redan en programpunkt med kortnamnet ”%(slug)s” i upplagan %(year)s. Välj ett annat."
            ) % {"slug": session.slug, "year": edition.year}
    if addresses.is_reserved(session.slug):
        problems["slug"] = gettext(
            "Kortnamnet ”%(slug)s” används av en annan sida på webbplatsen. Välj ett annat."
        ) % {"slug": session.slug}
    if session.status == Session.Status.CANCELLED and not session.cancellation_note.strip():
        problems["cancellation_note"] = gettext(
            "Skriv ett kort meddelande till besökarna om varför programpunkten är inställd."
        )
    return problems


# Kept by the database, never by the Python object being saved: a stale copy (a second browser tab, a history
# revert, a session loaded before save_venue raised its SEQUENCE) must not write an older value back.
KEPT_BY_DATABASE = ("sequence", "first_published", "uid", "created")
SLUG_ATTEMPTS = 5


@transaction.atomic
def save_session(*, session):
    """Save a session, raising its calendar SEQUENCE if subscribers' copies are now out of date.

    Every path that edits a session (admin, history revert, import, proposals) saves through here. SEQUENCE only
    ever rises and first_published is never cleared, whatever the object in hand says: the database raises the
    one (F() + 1, so two concurrent saves give +2) and keeps the other. A new session whose short name was taken
    meanwhile by a concurrent save gets the next free one instead of an error.
    """
    rows = Session.objects.filter(pk=session.pk)
    old = None
    if session.pk is not None and not session._state.adding:
        old = rows.select_for_update().values(*Session.CALENDAR_FIELDS, *MOVE_FIELDS).first()
    if old is None:
        if session.status == Session.Status.PUBLISHED and session.first_published is None:
            session.first_published = timezone.now()
        return _insert_with_free_slug(session)
    old_address = addresses.address_before(session)
    note_move(session, old)
    if any(old[field] != getattr(session, field) for field in Session.CALENDAR_FIELDS):
        rows.update(sequence=F("sequence") + 1)
    if session.status == Session.Status.PUBLISHED:
        rows.filter(first_published__isnull=True).update(first_published=timezone.now())
    session.sequence, session.first_published = rows.values_list("sequence", "first_published").get()
    session.save(update_fields=[
        field.name for field in Session._meta.concrete_fields
        if not field.primary_key and field.name not in KEPT_BY_DATABASE
    ])
    addresses.remember(session, old_address)
    registrations.session_changed(session=session, old=old)  # registrants hear of a new time or place, a cancel
    return session


MOVE_FIELDS = ("moved_from", "moved_at", "first_published")


def note_move(session, old):
    """Remember where a published session was before its start changed, for "Ändrad: flyttad från 10.00".

    Within a week of the first move the first start is kept (that is what visitors knew); moved back to it,
    the note goes away. Read from the database row, so a stale copy cannot write an older note back.
    """
    session.moved_from, session.moved_at = old["moved_from"], old["moved_at"]
    public = (Session.Status.PUBLISHED, Session.Status.CANCELLED)
    was_public = old["first_published"] is not None or old["status"] in public
    if old["start"] == session.start or not was_public:
        return
    now = timezone.now()
    recent = old["moved_at"] is not None and old["moved_at"] >= now - datetime.timedelta(days=Session.MOVED_SHOWN_DAYS)
    original = old["moved_from"] if recent and old["moved_from"] is not None else old["start"]
    if original == session.start:
        session.moved_from = session.moved_at = None
    else:
        session.moved_from, session.moved_at = original, now


def _insert_with_free_slug(session):
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                session.save()
            return session
        except IntegrityError:
            taken = Session.objects.filter(edition_id=session.edition_id, slug=session.slug)
            if attempt == SLUG_ATTEMPTS - 1 or not taken.exclude(pk=session.pk).exists():
                raise
            session.slug = unique_slug(edition=session.edition, base=session.slug)
    return session


@transaction.atomic
def save_venue(*, venue):
    """Save a venue. If its address or position changed, every session held there gets a new SEQUENCE:
    the LOCATION (and GEO) in subscribers' calendars is out of date, and Outlook and Google ignore an
    update whose SEQUENCE did not rise."""
    old = Venue.objects.filter(pk=venue.pk).values(*Venue.CALENDAR_FIELDS).first() if venue.pk else None
    venue.save()
    field = Venue._meta.get_field
    if old is not None and any(old[name] != field(name).to_python(getattr(venue, name)) for name in old):
        Session.objects.filter(venue=venue).update(sequence=F("sequence") + 1, updated=timezone.now())
        registrations.venue_changed(venue=venue)  # registrants of its upcoming sessions get the new address
    return venue


# Editorial workflow. Each function changes one object and saves it through save_session, so a bulk action
# over 300 sessions is 300 calls of these and every subscribed calendar hears about each change.


def publish(*, session):
    session.status = Session.Status.PUBLISHED
    return save_session(session=session)


def unpublish(*, session):
    """Back to draft. A session that was ever published is thereby withdrawn: feeds keep it as cancelled."""
    session.status = Session.Status.DRAFT
    return save_session(session=session)


def cancel(*, session, note):
    """Cancelled sessions stay listed, marked, with the note telling visitors why or what instead."""
    session.status = Session.Status.CANCELLED
    session.cancellation_note = note.strip()
    return save_session(session=session)


def unique_slug(*, edition, base, exclude_pk=None):
    """The base slug, or base-2, base-3 … whichever is free in the edition and not reserved for a page."""
    base = (slugify(base) or "programpunkt")[:110]
    similar = Session.objects.filter(edition=edition, slug__startswith=base).exclude(pk=exclude_pk)
    taken = set(similar.values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken or addresses.is_reserved(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def _fresh_copy(session, *, edition, start, end):
    """An unsaved draft copy with its own calendar identity and no proposer data."""
    copy = Session(
        edition=edition,
        title=session.title,
        summary=session.summary,
        description=session.description,
        start=start,
        end=end,
        format=session.format,
        venue_id=session.venue_id,
        online_url=session.online_url,
        online_note=session.online_note,
        language=session.language,
        cost=session.cost,
        registration_url=session.registration_url,
        capacity=session.capacity,
        contact_id=session.contact_id,
        status=Session.Status.DRAFT,
        title_en=session.title_en,
        summary_en=session.summary_en,
        description_en=session.description_en,
        # How people register, and what the form asks; the registrations themselves stay with the original.
        registration_mode=session.registration_mode,
        join_url=session.join_url,
        ask_organisation=session.ask_organisation,
        ask_org_number=session.ask_org_number,
        ask_municipality=session.ask_municipality,
        ask_audience=session.ask_audience,
        ask_needs=session.ask_needs,
    )
    return copy


def _copy_relations(source, target):
    target.themes.set(source.themes.all())
    target.audiences.set(source.audiences.all())
    target.organisers.set(source.organisers.all())


@transaction.atomic
def duplicate(*, session):
    """A draft copy in the same edition, same time, with a free slug; the original is untouched."""
    copy = _fresh_copy(session, edition=session.edition, start=session.start, end=session.end)
    copy.title = gettext("%(title)s (kopia)") % {"title": session.title}
    copy.title = copy.title[: Session._meta.get_field("title").max_length]
    copy.slug = unique_slug(edition=session.edition, base=session.slug)
    copy.registration_deadline = session.registration_deadline
    save_session(session=copy)
    _copy_relations(session, copy)
    return copy


def moved_to_year(moment, *, shift_days):
    """The same local wall-clock time, shift_days later (a whole number of weeks keeps the weekday)."""
    local = timezone.localtime(moment)
    day = local.date() + datetime.timedelta(days=shift_days)
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))


class EditionExists(Exception):
    pass


@transaction.atomic
def copy_edition(*, edition, with_sessions=False):
    """Next year's edition from this one: intro, texts, coordinator and week contacts.

    Themes and venues are shared by all editions, so they carry over by themselves. With with_sessions, every
    session that is not cancelled comes along as a draft on the same weekday of next year's week 46, at the same
    local time.
    """
    year = edition.year + 1
    if Edition.objects.filter(year=year).exists():
        raise EditionExists(gettext("Upplagan %(year)s finns redan.") % {"year": year})
    new_monday, new_sunday = week46(year)
    old_monday = edition.start_date - datetime.timedelta(days=edition.start_date.weekday())
    shift_days = (new_monday - old_monday).days
    title = edition.title.replace(str(edition.year), str(year))
    new = Edition(
        year=year,
        title=title,
        intro=edition.intro,
        about=edition.about,
        coordinator=edition.coordinator,
        start_date=new_monday + datetime.timedelta(days=edition.start_date.weekday()),
        end_date=new_sunday,
        is_published=False,
        proposal_deadline=(
            edition.proposal_deadline + datetime.timedelta(days=shift_days) if edition.proposal_deadline else None
        ),
    )
    new.end_date = max(new.start_date, (edition.end_date + datetime.timedelta(days=shift_days)))
    new.save()
    new.contacts.set(edition.contacts.all())
    if with_sessions:
        sources = (
            edition.sessions.exclude(status=Session.Status.CANCELLED)
            .prefetch_related("themes", "audiences", "organisers")
            .order_by("start", "pk")
        )
        for session in sources:
            copy = _fresh_copy(
                session,
                edition=new,
                start=moved_to_year(session.start, shift_days=shift_days),
                end=moved_to_year(session.end, shift_days=shift_days),
            )
            copy.slug = session.slug
            save_session(session=copy)
            _copy_relations(session, copy)
    return new


@transaction.atomic
def restore_session(*, session_id):
    """Bring back a deleted session as it was just before deletion, from its history, as a draft.

    It keeps its id and calendar identity; its themes, audiences and organisers come from the last saved
    version's history. Returns None if there is nothing to restore.
    """
    if Session.objects.filter(pk=session_id).exists():
        return None
    last = Session.history.filter(id=session_id).exclude(history_type="-").order_by("-history_date", "-history_id")
    last = last.first()
    if last is None:
        return None
    session = last.instance
    if not Edition.objects.filter(pk=session.edition_id).exists():
        return None
    # The place or contact may have been removed since; the session comes back without them.
    if session.venue_id and not Venue.objects.filter(pk=session.venue_id).exists():
        session.venue_id = None
    if session.contact_id and not Contact.objects.filter(pk=session.contact_id).exists():
        session.contact_id = None
    session._state.adding = True
    session.status = Session.Status.DRAFT
    if Session.objects.filter(edition_id=session.edition_id, slug=session.slug).exists():
        session.slug = unique_slug(edition=session.edition, base=session.slug)
    save_session(session=session)
    session.themes.set(last.themes.values_list("theme_id", flat=True))
    session.audiences.set(last.audiences.values_list("audience_id", flat=True))
    session.organisers.set(last.organisers.values_list("organisation_id", flat=True))
    return session
