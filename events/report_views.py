"""The funder report's admin pages (events.report): one page per edition, printable, and the same as a spreadsheet.

Staff who run the week (Programredaktör) and superusers only: the figures cover every organisation's sessions,
so an actor editor, who sees only their own, gets a 403.
"""

import io

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from innovationsvecka.roles import is_actor_editor

from . import report as figures
from .models import Edition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHART_WIDTH = 320  # px of the longest bar; the others in proportion


def may_see(user):
    return user.has_perm("events.view_session") and not is_actor_editor(user)


def staff_only(view):
    def checked(request, *args, **kwargs):
        if not may_see(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return admin.site.admin_view(checked)


LABEL_WIDTH = 230  # px for the labels left of the bars
ROW_HEIGHT = 28


def with_bars(breakdown):
    """Each row with where its bars go in the chart (held, then cancelled, in one line, then the total), as
    SVG attribute values written out here: a localised template filter would write 12,5."""
    largest = breakdown.largest or 1
    bars = []
    for index, row in enumerate(breakdown.rows):
        held, cancelled = row.held * CHART_WIDTH / largest, row.cancelled * CHART_WIDTH / largest
        bars.append({
            "row": row, "y": f"{6 + index * ROW_HEIGHT}", "text_y": f"{21 + index * ROW_HEIGHT}",
            "held": f"{held:.1f}", "cancelled_x": f"{LABEL_WIDTH + held:.1f}", "cancelled": f"{cancelled:.1f}",
            "total_x": f"{LABEL_WIDTH + held + cancelled + 6:.1f}",
        })  # fmt: skip
    return bars


def index(request):
    """The newest edition's report."""
    edition = Edition.objects.order_by("-year").first()
    if edition is None:
        return render(request, "admin/events/report/none.html", {**admin.site.each_context(request),
                                                                  "title": _("Rapport")})  # fmt: skip
    return redirect("report", year=edition.year)


def page(request, year):
    edition = get_object_or_404(Edition, year=year)
    data = figures.report(edition)
    charts = [
        {"breakdown": b, "bars": with_bars(b), "height": 12 + ROW_HEIGHT * len(b.rows)} for b in data["breakdowns"]
    ]
    context = {
        **admin.site.each_context(request),
        **data,
        "summaries": [data["summary"], *data["earlier"]],
        "title": _("Rapport för %(edition)s") % {"edition": edition},
        "charts": charts,
        "chart_width": LABEL_WIDTH + CHART_WIDTH + 60,
        "label_width": LABEL_WIDTH,
        "editions": Edition.objects.order_by("-year").values_list("year", flat=True),
        "made": timezone.localtime(),
    }
    return render(request, "admin/events/report/page.html", context)


def spreadsheet(request, year):
    edition = get_object_or_404(Edition, year=year)
    data = figures.report(edition)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Sammanfattning")
    sheet.append([_("År"), _("Genomförda"), _("Inställda"), _("Organisationer"), _("Förslag"), _("Godkända förslag")])
    for summary in [data["summary"], *data["earlier"]]:
        sheet.append([summary.year, summary.held, summary.cancelled, summary.organisations, summary.proposals,
                      summary.accepted])  # fmt: skip
    for breakdown in data["breakdowns"]:
        sheet = book.create_sheet(breakdown.title[:31])
        sheet.append([breakdown.title, _("Genomförda"), _("Inställda"), _("Totalt")])
        for row in breakdown.rows:
            sheet.append([row.label, row.held, row.cancelled, row.total])
    sheet = book.create_sheet(_("Organisationer"))
    sheet.append([_("Organisation"), _("Genomförda programpunkter")])
    for name, n in data["organisations"]:
        sheet.append([name, n])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rapport-innovationsveckan-{edition.year}.xlsx"'
    return response


index = staff_only(index)
page = staff_only(page)
spreadsheet = staff_only(spreadsheet)
