"""Spreadsheets in and out: dry-run preview, plain reasons per row, nothing written unless all rows are valid."""

import csv
import io
import re
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from events.models import Session
from events.resources import SessionResource
from tests.factories import OrganisationFactory, SessionFactory, VenueFactory, local, theme

IMPORT = "/admin/events/session/import/"
PROCESS = "/admin/events/session/process_import/"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "import"
HEADER = (DOCS / "programpunkter-mall.csv").read_text(encoding="utf-8").strip().split(",")


@pytest.fixture
def known(edition):
    """The venues and actors that docs/import/exempel.csv names."""
    VenueFactory(name="Munktell Science Park")
    VenueFactory(name="MITC")
    for name in ["Almi Företagspartner Mälardalen", "Munktell Science Park", "MITC"]:
        OrganisationFactory(name=name)
    return edition


def csv_file(rows, name="programpunkter.csv"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([row.get(column, "") for column in HEADER])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def row(**values):
    base = {"upplaga": "2026", "rubrik": "Frukostmöte", "datum": "2026-11-10", "börjar": "08:30", "slutar": "10:00",
            "form": "plats", "plats": "MITC", "arrangörer": "MITC"}
    base.update(values)
    return base


def upload(client, upload_file, format_="0"):
    return client.post(IMPORT, {"resource": "0", "format": format_, "import_file": upload_file})


def row_errors(response):
    return [li.strip() for li in response.content.decode().split('<ul class="errorlist import-row-errors">')[1]
            .split("</ul>")[0].replace("<li>", "").split("</li>") if li.strip()]


def test_template_has_every_column_the_resource_reads():
    assert HEADER == [field.column_name for field in SessionResource().get_export_fields()]


def test_sample_file_dry_run_previews_and_writes_nothing(editor_client, known):
    sample = SimpleUploadedFile("exempel.csv", (DOCS / "exempel.csv").read_bytes(), content_type="text/csv")
    response = upload(editor_client, sample)
    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert [r.import_type for r in response.context["result"].rows] == ["new", "new", "new"]
    page = response.content.decode()
    assert 'value="Bekräfta importen"' in page and page.count('<td class="import-type">Ny</td>') == 3
    assert Session.objects.count() == 0


def test_sample_file_confirmed_creates_drafts(editor_client, known):
    sample = SimpleUploadedFile("exempel.csv", (DOCS / "exempel.csv").read_bytes(), content_type="text/csv")
    preview = upload(editor_client, sample)
    confirm = preview.context["confirm_form"]
    response = editor_client.post(PROCESS, {name: confirm[name].value() for name in confirm.fields})
    assert response.status_code == 302
    sessions = list(Session.objects.order_by("start"))
    assert [(s.slug, s.status, s.format) for s in sessions] == [
        ("frukostmote-finansiering", "draft", "plats"),
        ("skydda-din-ide", "draft", "digitalt"),
        ("oppet-hus-mitc", "draft", "hybrid"),
    ]
    first = sessions[0]
    times = (first.local_start.strftime("%Y-%m-%d %H:%M"), first.local_end.strftime("%H:%M"))
    assert times == ("2026-11-10 08:30", "10:00")
    assert [o.name for o in sessions[1].organisers.order_by("name")] == ["Almi Företagspartner Mälardalen",
                                                                         "Munktell Science Park"]
    assert list(first.audiences.values_list("slug", flat=True).order_by("slug")) == ["idebarare", "nyforetagare"]
    assert sessions[2].language == "sv-en"


def test_bad_rows_are_reported_with_row_number_and_reason(editor_client, known):
    bad = csv_file([
        row(rubrik="Bra rad"),
        row(rubrik="Okänd aktör", arrangörer="Finns Inte AB"),
        row(rubrik="Fel tid", börjar="25:00"),
        row(rubrik="Baklänges", börjar="11:00", slutar="10:00"),
        row(rubrik="Fel datum", datum="10/11/2026"),
        row(rubrik="Utanför veckan", datum="2026-12-01"),
    ])
    response = upload(editor_client, bad)
    assert response.context.get("confirm_form") is None
    assert row_errors(response) == [
        "Rad 3, arrangörer: Okänd arrangör ”Finns Inte AB”. Skriv namnet precis som i aktörslistan.",
        "Rad 4, börjar: ”25:00” är ingen tid. Skriv tiden som 09:30.",
        "Rad 5, slutar: Sluttiden måste vara efter starttiden.",
        "Rad 6, datum: ”10/11/2026” är inget datum. Skriv datumet som 2026-11-10.",
        "Rad 7, datum: Programpunkten måste ligga inom upplagans datum, måndag 9 november 2026 till söndag "
        "15 november 2026.",
    ]
    assert "Ingenting har sparats." in response.content.decode()
    assert Session.objects.count() == 0


def test_other_bad_values_have_plain_reasons(editor_client, known):
    bad = csv_file([
        row(upplaga="2031"),
        row(rubrik="Digital", form="digitalt", plats=""),
        row(rubrik="Annan form", form="på månen"),
        row(rubrik="Okänd plats", plats="Slottet"),
        row(rubrik="Publicerad?", status="ställs in"),
        row(rubrik="Dubblett"),
        row(rubrik="Dubblett"),
    ])
    assert row_errors(upload(editor_client, bad)) == [
        "Rad 2, upplaga: Upplagan ”2031” finns inte. Skriv året, till exempel 2026.",
        "Rad 3, länk: En digital programpunkt eller hybrid behöver en länk eller en rad om länken "
        "(till exempel: Länken skickas efter anmälan).",
        "Rad 4, form: Formen ”på månen” finns inte. Skriv plats, digitalt eller hybrid.",
        "Rad 5, plats: Okänd plats ”Slottet”. Lägg till platsen i admin först, eller rätta namnet.",
        "Rad 6, status: Statusen ”ställs in” går inte att importera. Skriv utkast, förslag, publicerad eller "
        "inställd.",
        "Rad 8, kortnamn: Kortnamnet ”dubblett” finns redan på rad 7 i filen.",
    ]


def test_missing_columns_are_named(editor_client, known):
    bad = SimpleUploadedFile("x.csv", b"rubrik,datum\nFrukost,2026-11-10\n", content_type="text/csv")
    page = upload(editor_client, bad).content.decode()
    assert "Filen saknar kolumnerna upplaga. Utgå från mallen programpunkter-mall.csv." in page
    assert Session.objects.count() == 0


def test_confirm_writes_nothing_if_the_file_became_invalid(editor_client, known):
    """The real import runs in one transaction: if any row fails then, no row is kept."""
    resource = SessionResource()
    dataset = tablib.Dataset(headers=HEADER)
    for values in [row(rubrik="Bra"), row(rubrik="Dålig", arrangörer="Okänd")]:
        dataset.append([values.get(column, "") for column in HEADER])
    result = resource.import_data(dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert Session.objects.count() == 0


def test_xlsx_file_imports_like_csv(editor_client, known):
    dataset = tablib.Dataset(headers=HEADER)
    values = row(rubrik="Från Excel")
    dataset.append([values.get(column, "") for column in HEADER])
    xlsx = SimpleUploadedFile("program.xlsx", dataset.export("xlsx"))
    preview = upload(editor_client, xlsx, format_="1")
    confirm = preview.context["confirm_form"]
    editor_client.post(PROCESS, {name: confirm[name].value() for name in confirm.fields})
    assert list(Session.objects.values_list("title", "slug")) == [("Från Excel", "fran-excel")]


def test_reimport_updates_session_and_raises_calendar_sequence(editor_client, known):
    session = SessionFactory(edition=known, slug="frukostmote", title="Frukostmöte", status="published",
                             start=local(2026, 11, 10, 8, 30), end=local(2026, 11, 10, 10))
    preview = upload(editor_client, csv_file([row(börjar="09:00", status="publicerad")]))
    assert [r.import_type for r in preview.context["result"].rows] == ["update"]
    confirm = preview.context["confirm_form"]
    editor_client.post(PROCESS, {name: confirm[name].value() for name in confirm.fields})
    session.refresh_from_db()
    assert (Session.objects.count(), session.local_start.hour, session.sequence) == (1, 9, 1)


def test_export_gives_the_import_columns(known):
    session = SessionFactory(edition=known, title="Frukost", slug="frukost", start=local(2026, 11, 10, 8, 30),
                             end=local(2026, 11, 10, 10), organisers=[OrganisationFactory(name="Almi")],
                             themes=[theme("smart-industri")])
    exported = SessionResource().export(Session.objects.filter(pk=session.pk))
    assert exported.headers == HEADER
    assert dict(zip(HEADER, exported[0], strict=True)) == {
        "upplaga": "2026", "rubrik": "Frukost", "kortnamn": "frukost", "datum": "2026-11-10", "börjar": "08:30",
        "slutar": "10:00", "form": "plats", "plats": session.venue.name, "länk": "", "om länken": "",
        "teman": "Smart industri", "målgrupper": "", "arrangörer": "Almi", "sammanfattning": "En kort sammanfattning.",
        "beskrivning": "", "språk": "sv", "kostnad": "", "anmälan": "", "sista anmälningsdag": "",
        "antal platser": "", "kontaktperson": "", "status": "publicerad", "meddelande om inställt": "",
        "rubrik på engelska": "", "sammanfattning på engelska": "", "beskrivning på engelska": "",
    }
    # In a spreadsheet the edition is a number cell (the admin asks for native types for XLSX).
    native = SessionResource().export(Session.objects.filter(pk=session.pk), force_native_type=True)
    assert native[0][0] == 2026


def test_export_view_downloads_csv(editor_client, known):
    SessionFactory(edition=known, title="Frukost")
    fields = {f"sessionresource_{name}": "on" for name in SessionResource.fields}
    response = editor_client.post("/admin/events/session/export/", {"resource": "0", "format": "0", **fields})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert (lines[0].split(","), len(lines)) == (HEADER, 2)


def test_unknown_lists_language_and_missing_title_have_plain_reasons(editor_client, known):
    bad = csv_file([
        row(rubrik="Teman", teman="rymdfart"),
        row(rubrik="Målgrupper", målgrupper="marsianer"),
        row(rubrik="Språk", språk="klingon"),
        row(rubrik="", kortnamn="utan-rubrik"),
    ])
    assert row_errors(upload(editor_client, bad)) == [
        "Rad 2, teman: Okänt tema ”rymdfart”.",
        "Rad 3, målgrupper: Okänd målgrupp ”marsianer”.",
        "Rad 4, språk: Språket ”klingon” finns inte. Skriv sv, en eller sv-en.",
        "Rad 5, rubrik: Rubriken saknas.",
    ]
    assert Session.objects.count() == 0


def test_preview_shows_the_values_of_each_row(editor_client, known):
    response = upload(editor_client, csv_file([row(rubrik="Frukostmöte", börjar="08:30")]))
    cells = [re.sub(r"<[^>]+>", "", str(cell)) for cell in response.context["result"].rows[0].diff]
    shown = [cells[HEADER.index(column)] for column in ("upplaga", "rubrik", "datum", "börjar", "plats", "arrangörer")]
    assert shown == ["2026", "Frukostmöte", "2026-11-10", "08:30", "MITC", "MITC"]
