"""The report after the week, for the funders (issue 16): an admin page per edition, printable, with xlsx export.

Figures: sessions held and cancelled by theme, municipality, format and audience; registrations, attendance and
no-shows per session and in total, unique participants, participants per municipality and audience; organisations
taking part; proposals received and accepted. The same figures for up to two earlier editions beside them. Once an
edition's registrants are deleted (purge_registrations) its registration figures come from RegistrationTotals.

Charts are SVG drawn here on the server (no chart scripts), each followed by its numbers as a table.
"""

import io
from collections import Counter

from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .models import Edition, Registration, Session
from .registrations import edition_totals

EARLIER_SHOWN = 2


def session_figures(edition):
    """Counts of the edition's public sessions, held (published) and cancelled, by each grouping."""
    public = Session.objects.filter(edition=edition, status__in=[Session.Status.PUBLISHED, Session.Status.CANCELLED])
    held = public.filter(status=Session.Status.PUBLISHED)

    def by(queryset, field, empty):
        rows = queryset.values(field).annotate(n=Count("pk", distinct=True)).order_by(field)
        return {(row[field] or empty): row["n"] for row in rows}

    formats = dict(Session.Format.choices)
    cancelled = public.filter(status=Session.Status.CANCELLED)

    def groupings(queryset, prefix):
        return {
            f"{prefix}theme": by(queryset, "themes__name", _("Inget tema")),
            f"{prefix}municipality": by(queryset, "venue__municipality__name", _("Digitalt")),
            f"{prefix}format": {str(formats.get(k, k)): n for k, n in by(queryset, "format", "–").items()},
            f"{prefix}audience": by(queryset, "audiences__name", _("Ingen målgrupp")),
        }

    proposals = Session.objects.filter(edition=edition, consent_at__isnull=False)
    return {
        "held": held.count(),
        "cancelled": cancelled.count(),
        **groupings(held, "by_"),
        **groupings(cancelled, "cancelled_by_"),
        "organisations": held.exclude(organisers=None).values("organisers").distinct().count(),
        "proposals_received": proposals.count(),
        "proposals_accepted": proposals.filter(first_published__isnull=False).count(),
    }


def registration_figures(edition):
    """Live counts while the registrations exist, else the totals written before they were deleted."""
    if Registration.objects.filter(session__edition=edition).exists():
        return edition_totals(edition)
    totals = getattr(edition, "registration_totals", None)
    return totals.data if totals is not None else edition_totals(edition)


def figures(edition):
    return {"edition": edition, **session_figures(edition), "registration": registration_figures(edition)}


def report(edition):
    """This edition's figures and those of up to EARLIER_SHOWN earlier editions, newest first."""
    earlier = Edition.objects.filter(year__lt=edition.year).order_by("-year")[:EARLIER_SHOWN]
    return [figures(e) for e in [edition, *earlier]]


def comparison_rows(columns):
    """(label, [value per edition]) for the summary table."""
    def reg(key):
        return [column["registration"].get(key, 0) for column in columns]

    return [
        (_("Programpunkter som genomfördes"), [c["held"] for c in columns]),
        (_("Inställda programpunkter"), [c["cancelled"] for c in columns]),
        (_("Medverkande organisationer"), [c["organisations"] for c in columns]),
        (_("Programförslag som kom in"), [c["proposals_received"] for c in columns]),
        (_("Programförslag som kom med i programmet"), [c["proposals_accepted"] for c in columns]),
        (_("Anmälningar"), reg("registrations")),
        (_("Deltagare som kom"), reg("attended")),
        (_("Varav anmälda på plats"), reg("walk_ins")),
        (_("Uteblev"), reg("no_shows")),
        (_("Unika deltagare"), reg("unique_participants")),
    ]


def grouped_rows(columns, key, sub=None):
    """Rows (label, [value per edition]) of one grouping, labels from every edition, sorted by this year's value."""
    def values(column):
        found = column[key] if sub is None else column["registration"].get(key, {})
        return {(_("Ej angivet") if label == "–" else label): (value[sub] if sub else value)
                for label, value in found.items()}

    per = [values(c) for c in columns]
    labels = Counter()
    for i, value in enumerate(per):
        for label, n in value.items():
            labels[label] += n if i == 0 else 0
    everything = sorted({label for value in per for label in value}, key=lambda label: (-labels[label], label))
    return [(label, [value.get(label, 0) for value in per]) for label in everything]


# ---- SVG ----

BAR_HEIGHT, GAP, LABEL_WIDTH, CHART_WIDTH = 22, 8, 220, 640


def bar_chart(title, rows, chart_id):
    """A horizontal bar chart of this year's values (rows as from grouped_rows), as inline SVG drawn by
    templates/admin/events/registration/bar_chart.svg. Text in the SVG is the same as the table after it; the SVG
    has a title and is labelled by it. Positions are worked out here and written as plain numbers."""
    rows = [(label, values[0]) for label, values in rows]
    biggest = max([value for _label, value in rows] + [1])
    span = CHART_WIDTH - LABEL_WIDTH - 50
    bars = []
    for i, (label, value) in enumerate(rows):
        top = GAP + i * (BAR_HEIGHT + GAP)
        width = max(1, round(span * value / biggest)) if value else 0
        bars.append({"label": label[:34], "value": value, "top": top, "text_y": top + 15, "width": width,
                     "value_x": LABEL_WIDTH + width + 6})  # fmt: skip
    context = {
        "title": title, "chart_id": chart_id, "bars": bars, "width": CHART_WIDTH, "label_x": LABEL_WIDTH - 8,
        "bar_x": LABEL_WIDTH, "bar_height": BAR_HEIGHT,
        "height": max(len(rows) * (BAR_HEIGHT + GAP) + GAP, BAR_HEIGHT),
    }  # fmt: skip
    return render_to_string("admin/events/registration/bar_chart.svg", context)


def sections(columns):
    """The report's grouped tables, each with its chart: (id, title, rows, svg)."""
    wanted = [
        ("tema", _("Genomförda programpunkter per tema"), grouped_rows(columns, "by_theme")),
        ("kommun", _("Genomförda programpunkter per kommun"), grouped_rows(columns, "by_municipality")),
        ("form", _("Genomförda programpunkter per form"), grouped_rows(columns, "by_format")),
        ("malgrupp", _("Genomförda programpunkter per målgrupp"), grouped_rows(columns, "by_audience")),
        ("installda-tema", _("Inställda programpunkter per tema"), grouped_rows(columns, "cancelled_by_theme")),
        ("installda-kommun", _("Inställda programpunkter per kommun"),
         grouped_rows(columns, "cancelled_by_municipality")),
        ("installda-form", _("Inställda programpunkter per form"), grouped_rows(columns, "cancelled_by_format")),
        ("installda-malgrupp", _("Inställda programpunkter per målgrupp"),
         grouped_rows(columns, "cancelled_by_audience")),
        ("deltagare-kommun", _("Deltagare per kommun (anmälda och på plats)"),
         grouped_rows(columns, "per_municipality", "registrations")),
        ("deltagare-malgrupp", _("Deltagare per målgrupp (anmälda och på plats)"),
         grouped_rows(columns, "per_audience", "registrations")),
    ]
    return [(key, title, rows, bar_chart(title, rows, f"chart-{key}")) for key, title, rows in wanted]


def per_session_rows(column):
    rows = column["registration"].get("per_session", {})
    keys = ("registrations", "attended", "walk_ins", "no_shows", "waiting")
    return [(value["title"], [value.get(k, 0) for k in keys]) for _slug, value in sorted(
        rows.items(), key=lambda item: item[1]["title"]
    )]


def xlsx(columns):
    from openpyxl import Workbook

    from .resources import escape_formula

    book = Workbook(write_only=True)
    years = [str(c["edition"].year) for c in columns]
    sheet = book.create_sheet(_("Sammanfattning"))
    sheet.append([_("Mått")] + years)
    for label, values in comparison_rows(columns):
        sheet.append([label, *values])
    for key, title, rows, _svg in sections(columns):
        sheet = book.create_sheet(key[:31])
        sheet.append([title] + years)
        for label, values in rows:
            sheet.append([escape_formula(str(label)), *values])
    sheet = book.create_sheet(_("Per programpunkt"))
    sheet.append([_("Programpunkt"), _("Anmälningar"), _("Kom"), _("Anmälda på plats"), _("Uteblev"), _("I kö")])
    for title, values in per_session_rows(columns[0]):
        sheet.append([escape_formula(title), *values])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
