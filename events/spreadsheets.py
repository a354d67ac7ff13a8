"""Spreadsheets as Swedish Excel writes them, for the session admin's import and export (issue 15).

SpreadsheetAdminMixin goes in front of ImportExportModelAdmin:

* Only CSV and XLSX are offered (the formats docs/import describes), and the import page links the template in
  both, built from the resource's columns (/…/import/mall.csv and mall.xlsx).
* A CSV is read as bytes and decoded here, before django-import-export sees it: UTF-8 (with or without the BOM
  that Excel's "CSV UTF-8" writes) or else Windows-1252 (Excel's plain "CSV" with Swedish settings), and the
  separator is taken from the header row (Swedish Excel writes semicolons). The CSV export starts with a BOM, so
  Excel opens it with å, ä and ö intact.
* A file that cannot be read gets a Swedish sentence saying what to do, never the exception's name; the form
  keeps the chosen format.
* The export's field picker shows the Swedish column names only, the file is called
  programpunkter-YYYY-MM-DD.xlsx (today in Stockholm), and one edition can be chosen (the list's edition filter
  is the default).
"""

import codecs
import csv
import io

import tablib
from django import forms
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm

from .models import Edition

SEPARATORS = (";", ",", "\t")
ZIP_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """A file the import cannot read; the message says what to do, in Swedish."""


def decode(data):
    """Text from the bytes of a CSV: UTF-8 (BOM or not), else Windows-1252."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith(ZIP_MAGIC):
        raise UnreadableFile(_(
            "Filen är en Excel-arbetsbok, inte en CSV-fil. Välj formatet xlsx och ladda upp den igen."
        ))
    if b"\x00" in data[:4096]:
        raise UnreadableFile(_(
            "Filen går inte att läsa som text. Spara den i Excel som ”CSV UTF-8 (kommaavgränsad)” eller som "
            "Excel-arbetsbok (.xlsx) och ladda upp den igen."
        ))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFile(_(
            "Tecknen i filen går inte att läsa. Spara den i Excel som ”CSV UTF-8 (kommaavgränsad)” och ladda upp "
            "den igen."
        )) from None


def separator(text):
    """The separator the header row uses most (Swedish Excel: semicolon)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ","


class SwedishCSV(base_formats.CSV):
    """CSV read as bytes, decoded and split as Excel with Swedish settings writes it."""

    def is_binary(self):
        return True  # the admin hands over bytes; decode() chooses the encoding

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode(in_stream)
        if not text.strip():
            raise UnreadableFile(_("Filen är tom. Utgå från mallen och fyll i en rad per programpunkt."))
        dataset = tablib.Dataset()
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator(text)))
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        width = len(rows[0])
        dataset.headers = rows[0]
        for number, row in enumerate(rows[1:], start=2):
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]  # Excel pads rows with empty cells
            elif len(row) < width:
                row = row + [""] * (width - len(row))  # and leaves empty cells at the end out
            if len(row) != width:
                raise UnreadableFile(_(
                    "Rad %(row)d har %(found)d kolumner men rubrikraden har %(expected)d. Kontrollera att "
                    "texter med semikolon eller komma står inom citattecken, eller spara filen som .xlsx."
                ) % {"row": number, "found": len(row), "expected": width})
            dataset.append(row)
        return not_empty(dataset)

    def export_data(self, dataset, **kwargs):
        return codecs.BOM_UTF8.decode() + super().export_data(dataset, **kwargs)


def not_empty(dataset):
    if not len(dataset):
        raise UnreadableFile(_(
            "Filen har inga rader under rubrikraden. Fyll i en rad per programpunkt, med rubrikerna från mallen "
            "på rad 1."
        ))
    return dataset


class SwedishXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        if not in_stream.startswith(ZIP_MAGIC):
            raise UnreadableFile(_(
                "Filen är ingen Excel-arbetsbok (.xlsx). Är det en CSV-fil, välj formatet csv och ladda upp den igen."
            ))
        return not_empty(super().create_dataset(in_stream))


FORMATS = [SwedishCSV, SwedishXLSX]


class SwedishExportForm(SelectableFieldsExportForm):
    """The Swedish column name as the only label ("Rubrik"), and a choice of edition."""

    export_edition = forms.ModelChoiceField(
        label=gettext_lazy("Upplaga"), queryset=Edition.objects.order_by("-year"), required=False,
        empty_label=gettext_lazy("Alla upplagor (eller filtret i listan)"),
    )

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return (field.column_name if field else field_name).capitalize()


def template_rows(resource_class):
    return [field.column_name for field in resource_class().get_export_fields()]


class SpreadsheetAdminMixin:
    formats = FORMATS
    export_form_class = SwedishExportForm

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("import/mall.csv", self.admin_site.admin_view(self.template_csv), name=f"{prefix}_template_csv"),
            path("import/mall.xlsx", self.admin_site.admin_view(self.template_xlsx), name=f"{prefix}_template_xlsx"),
        ] + super().get_urls()

    def _template_columns(self, request):
        return template_rows(self.get_import_resource_classes(request)[0])

    def template_csv(self, request):
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerow(self._template_columns(request))
        response = HttpResponse(codecs.BOM_UTF8 + out.getvalue().encode("utf-8"), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="programpunkter-mall.csv"'
        return response

    def template_xlsx(self, request):
        dataset = tablib.Dataset(headers=self._template_columns(request))
        response = HttpResponse(
            base_formats.XLSX().export_data(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="programpunkter-mall.xlsx"'
        return response

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, UnreadableFile):
            message = str(error)
        else:
            message = _(
                "Filen kunde inte läsas i det format du valde. Kontrollera att formatet stämmer med filen (csv "
                "eller xlsx), eller spara den i Excel som ”CSV UTF-8 (kommaavgränsad)” eller som Excel-arbetsbok "
                "(.xlsx), och ladda upp den igen."
            )
        form.add_error("import_file", message)

    def get_export_filename(self, request, queryset, file_format):
        return f"programpunkter-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_export_queryset(self, request):
        queryset = super().get_export_queryset(request)
        edition = request.POST.get("export_edition", "")
        if edition.isdigit():
            queryset = queryset.filter(edition_id=int(edition))
        return queryset

    def export_action(self, request):
        response = super().export_action(request)
        form = getattr(response, "context_data", {}).get("form") if hasattr(response, "context_data") else None
        edition = request.GET.get("edition__id__exact", "")
        if form is not None and not form.is_bound and edition.isdigit():
            form.fields["export_edition"].initial = int(edition)
        return response
