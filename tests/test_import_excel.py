"""Spreadsheets as Swedish Excel writes them (events/spreadsheets.py): semicolons, Windows-1252 and UTF-8 with BOM
import like comma/UTF-8; unreadable files get a Swedish sentence; only csv and xlsx; the template for download;
the export in Swedish, named programpunkter-YYYY-MM-DD.xlsx, for one edition."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from events.models import Session
from tests.conftest import text
from tests.factories import EditionFactory, SessionFactory, VenueFactory, programme_editor

IMPORT = "/admin/events/session/import/"
PROCESS = "/admin/events/session/process_import/"
EXPORT = "/admin/events/session/export/"
HEADER = ["upplaga", "rubrik", "datum", "börjar", "slutar", "form", "plats", "sammanfattning"]
ROW = ["2026", "Idéverkstad för små och stora företag", "2026-11-10", "08:30", "10:00", "plats", "Växthuset",
       "Åka, äta; öva – ”citat”"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, edition):
    VenueFactory(name="Växthuset")
    client.force_login(programme_editor())
    return client


def upload(client, content, name, file_format="csv"):
    index = {"csv": "0", "xlsx": "1"}[file_format]
    return client.post(IMPORT, {"resource": "0", "format": index,
                                "import_file": SimpleUploadedFile(name, content)})


def imported(client, content, name="program.csv"):
    preview = upload(client, content, name)
    confirm = preview.context.get("confirm_form")
    assert confirm is not None, text(preview)
    assert client.post(PROCESS, {n: confirm[n].value() for n in confirm.fields}).status_code == 302
    return Session.objects.get()


def csv_bytes(separator, encoding, bom=False, line_end="\r\n"):
    def cell(value):
        return f'"{value}"' if separator in value or '"' in value else value

    lines = [separator.join(cell(v) for v in row) for row in (HEADER, ROW)]
    data = (line_end.join(lines) + line_end).encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.parametrize(
    "separator, encoding, bom",
    [(";", "cp1252", False), (";", "utf-8", True), (",", "utf-8", False), (",", "utf-8", True), ("\t", "utf-8", False)],
    ids=["semicolon-cp1252", "semicolon-utf8-bom", "comma-utf8", "comma-utf8-bom", "tab-utf8"],
)
def test_excel_csv_variants_import_alike(staff, separator, encoding, bom):
    session = imported(staff, csv_bytes(separator, encoding, bom))
    assert (session.title, session.summary) == (ROW[1], ROW[7])
    assert f"{session.local_start:%Y-%m-%d %H:%M}" == "2026-11-10 08:30"
    assert session.venue.name == "Växthuset"


def test_trailing_empty_cells_excel_adds_are_ignored(staff):
    content = (";".join(HEADER) + ";;\r\n" + ";".join(ROW) + ";;\r\n").encode("cp1252")
    assert imported(staff, content).title == ROW[1]


@pytest.mark.parametrize("content, name, chosen, message", [
    (b"PK\x03\x04 zip", "program.csv", "csv", "Filen är en Excel-arbetsbok, inte en CSV-fil. Välj formatet xlsx"),
    (b"upplaga;rubrik\n2026;a\n", "program.xlsx", "xlsx", "Filen är ingen Excel-arbetsbok (.xlsx)."),
    (b"upplaga,rubrik\r\n2026,\x81\x8d\x8f\r\n", "program.csv", "csv", "Tecknen i filen går inte att läsa."),
    (b"\x00\x01\x02binary", "program.csv", "csv", "Filen går inte att läsa som text."),
    (b"", "tom.csv", "csv", "Den skickade filen är tom."),
    (b" \r\n \r\n", "blank.csv", "csv", "Filen är tom."),
    (";".join(HEADER).encode() + b"\r\n", "rubrik.csv", "csv", "Filen har inga rader under rubrikraden."),
    (b"upplaga,rubrik\r\n2026,a,b,c\r\n", "trasig.csv", "csv", "Rad 2 har 4 kolumner men rubrikraden har 2."),
])
def test_unreadable_files_get_a_swedish_message_and_keep_the_chosen_format(staff, content, name, chosen, message):
    response = upload(staff, content, name, chosen)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in text(response)
    for english in ("InvalidDimensions", "UnicodeDecodeError", "BadZipFile", "encountered while", "No valid data"):
        assert english not in page
    assert response.context["form"]["format"].value() == {"csv": "0", "xlsx": "1"}[chosen]
    assert Session.objects.count() == 0


def test_import_page_offers_only_csv_and_xlsx_and_links_the_templates(staff):
    response = staff.get(IMPORT)
    labels = [label for _value, label in response.context["form"].fields["format"].choices]
    assert labels == ["---", "csv", "xlsx"] or labels == ["csv", "xlsx"]
    page = response.content.decode()
    assert 'href="/admin/events/session/import/mall.xlsx"' in page
    assert 'href="/admin/events/session/import/mall.csv"' in page


def test_template_downloads_hold_the_columns(staff):
    from events.resources import SessionResource

    columns = [field.column_name for field in SessionResource().get_export_fields()]
    csv_file = staff.get("/admin/events/session/import/mall.csv")
    assert csv_file["Content-Disposition"] == 'attachment; filename="programpunkter-mall.csv"'
    assert csv_file.content.decode("utf-8-sig").strip().split(",") == columns
    xlsx = staff.get("/admin/events/session/import/mall.xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="programpunkter-mall.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in next(sheet.iter_rows())] == columns
    assert staff.get("/admin/events/session/import/mall.csv").status_code == 200
    from django.test import Client

    assert Client().get("/admin/events/session/import/mall.csv").status_code == 302  # staff only


def export(client, url=EXPORT, **data):
    from events.resources import SessionResource

    fields = {f"sessionresource_{name}": "on" for name in SessionResource.fields}
    return client.post(url, {"resource": "0", "format": "1", **fields, **data})


def test_export_file_is_named_by_todays_stockholm_date(staff, monkeypatch):
    late = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)  # already 2 December in Stockholm
    monkeypatch.setattr(timezone, "now", lambda: late)
    response = export(staff)
    assert response["Content-Disposition"] == 'attachment; filename="programpunkter-2026-12-02.xlsx"'


def test_export_field_picker_is_swedish_only(staff):
    page = text(staff.get(EXPORT))
    assert "Rubrik" in page and "Sista anmälningsdag" in page and "Meddelande om inställt" in page
    assert "Title (rubrik)" not in page and "(rubrik)" not in page


def test_export_one_edition(staff, edition):
    other = EditionFactory(year=2027)
    SessionFactory(edition=edition, title="I år")
    SessionFactory(edition=other, title="Nästa år")
    form = staff.get(EXPORT + f"?edition__id__exact={other.pk}")
    assert form.context["form"]["export_edition"].value() == other.pk
    response = export(staff, export_edition=str(other.pk))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Nästa år"]
    filtered = export(staff, url=EXPORT + f"?edition__id__exact={edition.pk}")
    rows = list(openpyxl.load_workbook(io.BytesIO(filtered.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["I år"]
