"""The report after the week: what the region tells its funders about one edition, beside the earlier ones.

Figures only, no personal data: sessions held and cancelled by theme, municipality, format and audience, the
organisations taking part, the proposals received and accepted, and the registrations (events.registrations
keeps an edition's registration totals after the registrants' data is deleted, so an old report still works).
A fixed number of queries, however many sessions and editions there are.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from organisers.models import Organisation

from .models import Edition, Session

HELD, CANCELLED = Session.Status.PUBLISHED, Session.Status.CANCELLED
# Sessions that reached the public programme; drafts and proposals never did.
PUBLIC = (HELD, CANCELLED)
# A proposal sent through the public form (it carries the proposer's consent) that staff took into the programme.
ACCEPTED = (Session.Status.DRAFT, Session.Status.PUBLISHED, Session.Status.CANCELLED)


@dataclass
class Row:
    label: str
    held: int = 0
    cancelled: int = 0

    @property
    def total(self):
        return self.held + self.cancelled


@dataclass
class Breakdown:
    """One way of dividing the edition's sessions (by theme, municipality, …), largest first."""

    key: str
    title: str
    note: str = ""
    rows: list = field(default_factory=list)

    @property
    def largest(self):
        return max((row.total for row in self.rows), default=0)


@dataclass
class Summary:
    """The headline figures of one edition."""

    year: int
    held: int = 0
    cancelled: int = 0
    organisations: int = 0
    proposals: int = 0
    accepted: int = 0
    registrations: dict = field(default_factory=dict)


def label_of(name, name_en):
    return name_en if get_language() == "en" and name_en else name


def breakdown(key, title, counts, note=""):
    """counts: {label: Counter(status -> n)} as a Breakdown, largest first, then by label."""
    rows = [Row(label, held=c[HELD], cancelled=c[CANCELLED]) for label, c in counts.items()]
    rows.sort(key=lambda row: (-row.total, row.label))
    return Breakdown(key, title, note, rows)


def summaries():
    """Every edition's headline figures, newest first (three queries)."""
    found = {year: Summary(year) for year in Edition.objects.order_by("-year").values_list("year", flat=True)}
    for year, status, n in (
        Session.objects.filter(status__in=PUBLIC).values_list("edition__year", "status").annotate(n=Count("pk"))
    ):
        if status == HELD:
            found[year].held = n
        else:
            found[year].cancelled = n
    organisers = (
        Session.organisers.through.objects.filter(session__status=HELD)
        .values_list("session__edition__year")
        .annotate(n=Count("organisation", distinct=True))
    )
    for year, n in organisers:
        found[year].organisations = n
    proposals = (
        Session.objects.filter(consent_at__isnull=False)
        .values_list("edition__year", "status")
        .annotate(n=Count("pk"))
    )
    for year, status, n in proposals:
        found[year].proposals += n
        if status in ACCEPTED:
            found[year].accepted += n
    return list(found.values())


def breakdowns(edition):
    """The edition's public sessions by theme, municipality, format and audience (three queries)."""
    sessions = Session.objects.filter(edition=edition, status__in=PUBLIC)
    themes, audiences = defaultdict(Counter), defaultdict(Counter)
    for name, name_en, status, n in (
        Session.themes.through.objects.filter(session__in=sessions)
        .values_list("theme__name", "theme__name_en", "session__status")
        .annotate(n=Count("pk"))
    ):
        themes[label_of(name, name_en)][status] += n
    for name, name_en, status, n in (
        Session.audiences.through.objects.filter(session__in=sessions)
        .values_list("audience__name", "audience__name_en", "session__status")
        .annotate(n=Count("pk"))
    ):
        audiences[label_of(name, name_en)][status] += n
    places, formats = defaultdict(Counter), defaultdict(Counter)
    format_labels = dict(Session.Format.choices)
    for form, name, name_en, status, n in sessions.values_list(
        "format", "venue__municipality__name", "venue__municipality__name_en", "status"
    ).annotate(n=Count("pk")):
        formats[str(format_labels.get(form, form))][status] += n
        if form == Session.Format.DIGITAL or not name:
            places[_("Digitalt") if form == Session.Format.DIGITAL else _("Plats saknas")][status] += n
        else:
            places[label_of(name, name_en)][status] += n
    several = _("En programpunkt med flera %(what)s räknas under var och en av dem.")
    return [
        breakdown("tema", _("Per tema"), themes, several % {"what": _("teman")}),
        breakdown("kommun", _("Per kommun"), places),
        breakdown("form", _("Per form"), formats),
        breakdown("malgrupp", _("Per målgrupp"), audiences, several % {"what": _("målgrupper")}),
    ]


def taking_part(edition):
    """The organisations with at least one session held in the edition, by name (one query)."""
    return list(
        Organisation.objects.filter(sessions__edition=edition, sessions__status=HELD)
        .annotate(n=Count("sessions", distinct=True))
        .order_by("name")
        .values_list("name", "n")
    )


def report(edition):
    """Everything the report page and its spreadsheet show for one edition."""
    editions = summaries()
    this = next(summary for summary in editions if summary.year == edition.year)
    return {
        "edition": edition,
        "summary": this,
        "earlier": [summary for summary in editions if summary.year < edition.year],
        "breakdowns": breakdowns(edition),
        "organisations": taking_part(edition),
    }
