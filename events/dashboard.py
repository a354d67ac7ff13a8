"""The admin's first page: the current edition at a glance (issue 15).

Staff open the admin to run the week, so the index shows what needs doing: how many sessions are in each state,
the proposals waiting for a decision, the sessions with something to fix, the deadlines ahead and the days of the
week. Actor editors see the same for their own organisations' sessions only. Every part is one query, whatever the
size of the programme (tests/test_admin_dashboard.py pins the count).
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innovationsvecka.roles import is_actor_editor, own_organisation_ids

from .models import Edition, Session

STALE_PROPOSAL_DAYS = 7  # a proposal waiting longer than this is listed as a problem
SHOWN_PROPOSALS = 10
SHOWN_PROBLEMS = 50


def sessions_for(user, edition):
    """The sessions the user's dashboard counts: the whole edition, or an actor editor's own."""
    sessions = Session.objects.filter(edition=edition)
    if is_actor_editor(user):
        mine = Session.objects.filter(organisers__in=own_organisation_ids(user)).values("pk")
        sessions = sessions.filter(pk__in=mine)
    return sessions


def changelist_url(**params):
    return reverse("admin:events_session_changelist") + "?" + urlencode(params)


def change_url(session):
    return reverse("admin:events_session_change", args=[session.pk])


def age_in_days(moment, now):
    return max((timezone.localdate(now) - timezone.localdate(moment)).days, 0)


def spelled_age(days):
    if days == 0:
        return _("i dag")
    return ngettext("%(days)d dag", "%(days)d dagar", days) % {"days": days}


def status_counts(sessions, edition):
    counted = sessions.aggregate(**{
        status.value: Count("pk", filter=Q(status=status.value)) for status in Session.Status
    })
    return [
        {
            "label": status.label,
            "count": counted[status.value],
            "url": changelist_url(edition__id__exact=edition.pk, status__exact=status.value),
        }
        for status in Session.Status
    ]


def waiting_proposals(sessions, now):
    proposals = list(
        sessions.filter(status=Session.Status.PROPOSED)
        .order_by("created", "pk")
        .values("pk", "title", "created", "proposer_name", "proposed_organisation")[: SHOWN_PROPOSALS + 1]
    )
    rows = []
    for row in proposals[:SHOWN_PROPOSALS]:
        days = age_in_days(row["created"], now)
        rows.append({
            "title": row["title"],
            "url": reverse("admin:events_session_change", args=[row["pk"]]),
            "proposer": row["proposer_name"] or row["proposed_organisation"] or "–",
            "created": formats.date_format(timezone.localtime(row["created"]), "j F"),
            "age": spelled_age(days),
            "days": days,
        })
    return rows, len(proposals) > SHOWN_PROPOSALS


def _reasons(session, now):
    """Why a session needs a look. The saving paths already refuse impossible sessions; these can happen."""
    reasons = []
    if session.clash:
        reasons.append(_("Samma plats (%(venue)s) som en annan programpunkt samtidigt.") % {"venue": session.venue})
    if session.contact_id is None:
        reasons.append(_("Kontaktperson saknas."))
    if not session.summary.strip():
        reasons.append(_("Sammanfattning saknas."))
    if not session.registration_url and (session.registration_deadline or session.capacity or session.is_full):
        reasons.append(_("Sista anmälningsdag, antal platser eller fullbokat är angivet men länk till anmälan saknas."))
    if session.registration_url and session.has_place and session.capacity is None:
        reasons.append(_("Anmälan finns men antal platser saknas."))
    if session.status == Session.Status.DRAFT and session.end < now:
        reasons.append(_("Har redan ägt rum men är fortfarande ett utkast."))
    if (
        session.status == Session.Status.PROPOSED
        and age_in_days(session.created, now) > STALE_PROPOSAL_DAYS
    ):
        reasons.append(
            _("Förslaget har väntat på beslut i %(age)s.") % {"age": spelled_age(age_in_days(session.created, now))}
        )
    return reasons


def problems(sessions, now):
    """Sessions (not cancelled) with something to fix, each with its reasons, in programme order."""
    clash = (
        Session.objects.filter(
            venue_id=OuterRef("venue_id"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(status=Session.Status.CANCELLED)
    )
    stale = now - datetime.timedelta(days=STALE_PROPOSAL_DAYS + 1)
    has_place = [Session.Format.ON_SITE, Session.Format.HYBRID]
    candidates = (
        sessions.exclude(status=Session.Status.CANCELLED)
        .annotate(clash=Exists(clash))
        .filter(
            Q(clash=True)
            | Q(contact__isnull=True)
            | Q(summary="")
            | Q(registration_url="", registration_deadline__isnull=False)
            | Q(registration_url="", capacity__isnull=False)
            | Q(registration_url="", is_full=True)
            | (~Q(registration_url="") & Q(format__in=has_place, capacity__isnull=True))
            | Q(status=Session.Status.DRAFT, end__lt=now)
            | Q(status=Session.Status.PROPOSED, created__lt=stale)
        )
        .select_related("venue")
        .order_by("start", "pk")
    )
    rows = []
    for session in candidates:
        reasons = _reasons(session, now)
        if reasons:
            start = timezone.localtime(session.start)
            rows.append({
                "title": session.title,
                "url": change_url(session),
                "when": f"{formats.date_format(start, 'D j b')} {start:%H:%M}",
                "status": session.get_status_display(),
                "reasons": reasons,
            })
    return rows


def deadlines(edition, today):
    """What the Edition holds: the last day for proposals, whether the programme is out, and the week itself."""
    rows = []

    def days_left(day):
        left = (day - today).days
        if left < 0:
            return _("passerat")
        if left == 0:
            return _("i dag")
        return ngettext("om %(days)d dag", "om %(days)d dagar", left) % {"days": left}

    if edition.proposal_deadline:
        rows.append({
            "label": _("Sista dag för programförslag"),
            "date": formats.date_format(edition.proposal_deadline, "l j F Y"),
            "left": days_left(edition.proposal_deadline),
        })
    else:
        rows.append({"label": _("Sista dag för programförslag"), "date": _("inte satt"), "left": ""})
    rows.append({
        "label": _("Programmet publiceras"),
        "date": _("publicerat") if edition.is_published else _("inte publicerat ännu"),
        "left": "",
        "url": reverse("admin:events_edition_change", args=[edition.pk]),
    })
    rows.append({
        "label": _("Veckan"),
        "date": _("%(first)s – %(last)s") % {
            "first": formats.date_format(edition.start_date, "l j F"),
            "last": formats.date_format(edition.end_date, "l j F Y"),
        },
        "left": days_left(edition.start_date) if edition.end_date >= today else _("passerat"),
    })
    return rows


def days(sessions, edition):
    """Each weekday of the week, and a weekend day only if something happens then, with its sessions (not
    cancelled) counted."""
    counted = dict(
        sessions.exclude(status=Session.Status.CANCELLED)
        .annotate(day=TruncDate("start", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("day", "count")
    )
    return [
        {
            "label": formats.date_format(day, "l j F"),
            "count": counted.get(day, 0),
            "url": changelist_url(edition__id__exact=edition.pk, dag=day.isoformat()),
        }
        for day in edition.days
        if day.weekday() < 5 or counted.get(day)
    ]


def dashboard(request):
    """The template context for the admin index, or {} for a user who may not see sessions."""
    user = request.user
    if not (user.is_superuser or user.has_perm("events.view_session")):
        return {}
    edition = Edition.objects.home()
    if edition is None:
        return {"dashboard": {"edition": None}}
    now = timezone.now()
    sessions = sessions_for(user, edition)
    proposals, more_proposals = waiting_proposals(sessions, now)
    to_fix = problems(sessions, now)
    return {
        "dashboard": {
            "edition": edition,
            "own_only": is_actor_editor(user),
            "counts": status_counts(sessions, edition),
            "proposals": proposals,
            "more_proposals": more_proposals,
            "proposals_url": changelist_url(edition__id__exact=edition.pk, status__exact=Session.Status.PROPOSED),
            "problems": to_fix[:SHOWN_PROBLEMS],
            "problem_count": len(to_fix),
            "deadlines": deadlines(edition, timezone.localdate(now)),
            "days": days(sessions, edition),
        }
    }
